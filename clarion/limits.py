"""Every limit Clarion keeps, declared once: the workspace's `limits:` and the fixed caps.

`Limits` is what a workspace may lower in clarion.yaml (and `clarion --limit` raise for one
run); its defaults are Clarion's built-in caps. The constants below are fixed: no workspace
changes them. Each stage reads its caps from here, so a limit is found, and changed, in one
place. Nothing here imports a stage.
"""
from __future__ import annotations

from dataclasses import dataclass, field

KB = 1024
MB = 1024 * KB


@dataclass(frozen=True)
class Limits:
    """`limits:` in clarion.yaml: caps on what one workspace may cost to build.

    Each field's metadata is its schema (`doc`, `minimum`, `maximum`), read by the workspace
    stage's declarations: a whole number for an `int`, a number for a `float`.
    """

    max_file_bytes: int = field(default=5 * MB, metadata={
        "doc": "the largest file Clarion will read (5 MB)", "minimum": 1})
    max_csv_rows: int = field(default=10_000, metadata={
        "doc": "the most rows in one CSV file", "minimum": 1})
    render_seconds: float = field(default=10.0, metadata={
        "doc": "the longest time one template may take to render", "minimum": 0.1,
        "maximum": 3600})
    layout_seconds: float = field(default=60.0, metadata={
        "doc": "the longest time one PDF may take to lay out", "minimum": 0.1,
        "maximum": 3600})
    layout_memory_mb: int = field(default=1024, metadata={
        "doc": "the most memory one PDF's layout may add, in MB", "minimum": 16,
        "maximum": 65536})


#: the built-in caps: what a workspace without `limits:` gets, and the most it may ask for
DEFAULTS = Limits()

# ---------------------------------------------------------------- reading the workspace

#: YAML nested deeper than this is refused (a real record is a few levels deep)
MAX_YAML_DEPTH = 32
#: whatever `limits.max_file_bytes` says (the workspace writes it), no file is read past this
HARD_MAX_BYTES = 100 * MB
#: folders deeper than this under a workspace folder are not looked into
MAX_FOLDER_DEPTH = 16
#: one cell of a recipients or signatories spreadsheet
MAX_CSV_FIELD_CHARS = 10_000
#: columns of a spreadsheet (a recipient or signatory has far fewer fields)
MAX_CSV_COLUMNS = 100

# ---------------------------------------------------------------- rendering

#: whatever `limits.render_seconds` says (the workspace writes it), no render runs longer
MAX_RENDER_SECONDS = 600
#: compiling a template may take no longer (a real one compiles in milliseconds)
COMPILE_SECONDS = 10
#: memory a render (or a template's compiling) may add to its process before MemoryError
RENDER_MEMORY_BYTES = 1024 * MB
#: characters or items a `*` in a template may produce
MAX_SEQUENCE = 100_000
#: the largest exponent `**` may use in a template
MAX_EXPONENT = 128
#: bits of a whole number `*` or `**` may make in a template (about 30,000 digits)
MAX_INT_BITS = 100_000
#: Python-Markdown is slow on some shapes (thousands of nested `[` or `<a `): never longer
MARKDOWN_SECONDS = 20.0
#: a rendered body longer than this is refused (Markdown parsing can be slow on hostile text)
MAX_BODY_CHARS = 200_000
#: no rendered document (a letter, a statement) may be longer; a real one is under 100,000
MAX_DOCUMENT_CHARS = 1_000_000
#: an image larger than this is left out of the .html (a mailed file must stay small)
MAX_EMBED_BYTES = 512 * KB
#: the widest a template filter may pad text (`center`, `indent`)
MAX_WIDTH = 200

# ---------------------------------------------------------------- output

#: no single file a document loads may be larger (a photo is a few MB)
MAX_FETCH_BYTES = 50 * MB
#: how long fetching one remote image may take (only with `allow_remote: true`)
FETCH_SECONDS = 10.0
#: a manifest larger than this is not read (as if there were none: its outputs are rebuilt)
MAX_MANIFEST_BYTES = 10 * MB
#: how long the timestamp server (`signing.tsa_url`) may take to answer
TSA_SECONDS = 20.0
#: a timestamp server's answer is a few kilobytes
MAX_TSA_BYTES = 1 * MB
#: a file larger than this is not read by `clarion verify` (said, not checked)
MAX_VERIFY_BYTES = 200 * MB
#: a key, certificate or chain file (`signing:`, `--cert`): a real one is a few kilobytes
MAX_KEY_BYTES = 1 * MB
#: JSON Clarion reads back from build/ (manifests, logs) nested deeper is not its own
MAX_JSON_DEPTH = 32

# ---------------------------------------------------------------- making many documents

#: documents a worker process makes before it is replaced (WeasyPrint's caches only grow)
DOCUMENTS_PER_WORKER = 200
#: added to a fresh worker's first render limit: loading fonts and the workspace
START_SECONDS = 10.0
#: compiled templates kept per kind of environment (HTML or Markdown)
TEMPLATE_CACHE_SIZE = 512
#: compiled campaign bodies kept (each recipient's letter compiles the same body again)
BODY_CACHE_SIZE = 128
#: bodies turned into HTML kept (a campaign to many recipients converts one body)
HTML_CACHE_SIZE = 64
#: parsed stylesheets a worker keeps
STYLESHEET_CACHE_SIZE = 32
#: runs of text kept typeset (the same ones come back in every recipient's letter)
TYPESET_CACHE_SIZE = 4096

# ---------------------------------------------------------------- review and delivery

#: a built output larger than this is passed over by `clarion lint`
MAX_OUTPUT_BYTES = 50 * MB
#: how long `clarion lint` waits for pdftotext to read one PDF
PDFTOTEXT_SECONDS = 60
#: a sent-log (`sent.json`) larger than this is not read (as if nothing had been sent)
MAX_LOG_BYTES = 20 * MB
#: how long the mail server may take to answer `clarion send`
SMTP_SECONDS = 60.0
#: how many times the PDF writer lays a document out again to keep whole a word hyphenated
#: across a page break or in a third hyphenated line in a row
RELAYOUTS = 3
