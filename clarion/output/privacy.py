"""The last line of defence: no private string may appear in any output."""
from __future__ import annotations

import functools
import html
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..workspace.model import Workspace, texts_of

MIN_CHARS = 8
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_MD_MARKS = re.compile(r"[*_`~]+")
_NOT_WORD = re.compile(r"[\W_]+")
#: invisible characters that are not of category Cf: combining grapheme joiner, Hangul and
#: Mongolian fillers, variation selectors
_MORE_INVISIBLE = [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180E,
                   0x180F, 0x3164, 0xFFA0, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]


@functools.cache
def _invisible() -> re.Pattern[str]:
    """Characters a reader does not see (format characters: zero-width, soft hyphen, bidi
    controls and overrides, tags; variation selectors, fillers): taken out before searching."""
    # format characters live in planes 0, 1 and 14 (tags); the others hold none
    drop = [c for c in [*range(0x20000), *range(0xE0000, 0xE1000)]
            if unicodedata.category(chr(c)) == "Cf"] + _MORE_INVISIBLE
    ranges: list[list[int]] = []
    for c in sorted(set(drop)):
        if ranges and c == ranges[-1][1] + 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                                    for a, b in ranges) + "]")


@functools.cache
def _skeletons() -> dict[int, str]:
    """Each lookalike character → the prototype of its class in Unicode's confusables data
    (UTS #39, as shipped by the `confusable_homoglyphs` package): Cyrillic `а` → `a`,
    `ⅿ` → `m`… The data pairs every source with its prototype; the prototype of a class is
    its centre (the member paired with all others)."""
    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json")
                      .read_text("utf-8"))
    degree: dict[str, int] = {}
    for key, items in data.items():
        degree[key] = len(items)
    table: dict[int, str] = {}
    for key, items in data.items():
        if len(key) != 1:
            continue
        members = [key, *(i["c"] for i in items)]
        centre = max(members, key=lambda m: (degree.get(m, 0), -len(m), [-ord(c) for c in m]))
        if centre != key:
            table[ord(key)] = centre
    return table


@functools.cache
def _ascii_tables() -> tuple[dict[int, str], list[tuple[str, str]]]:
    """The ASCII part of the skeleton table: one-to-one mappings for str.translate's fast path,
    and the few that make two characters (`m` → `rn`) for str.replace."""
    ascii_ = {k: v for k, v in _skeletons().items() if k < 128}
    single = {k: v for k, v in ascii_.items() if len(v) == 1 and v.isascii()}
    return single, [(chr(k), v) for k, v in ascii_.items() if k not in single]


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _skeleton(text: str) -> str:
    table = _skeletons()
    if not text.isascii():
        text = _NON_ASCII.sub(lambda m: table.get(ord(m.group()), m.group()), text)
    single, multi = _ascii_tables()
    text = text.translate(single)
    for char, proto in multi:
        if char in text:
            text = text.replace(char, proto)
    return text


def fold(text: str) -> str:
    """What a reader sees, in one spelling: NFKC, invisible and bidi characters removed, case
    folded, lookalike letters replaced by their UTS #39 prototypes, spacing collapsed."""
    text = unicodedata.normalize("NFKC", _invisible().sub("", text))
    text = _QUOTE_MARKS.sub("", text)  # typography may change them: RFE/RL's → RFE/RL’s
    # prototypes first (Cyrillic `Т` → `T`), then case, then the lower-case lookalikes
    # (each step character by character, so that a string folds the same wherever it stands)
    text = _skeleton(_skeleton(text).casefold()).casefold()
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Secret:
    """Where a private string comes from: the case, the field and its place in the case file."""

    case: str
    field: str   # `private.family`, `events[2].text`
    file: str    # the case file, relative to the workspace


@dataclass(frozen=True)
class Leak:
    """A private string found in an output: what, where it came from and where it went."""

    secret: Secret
    output: str
    at: str
    where: str   # `cases/x.yaml:23`, the private field's line

    source: str | None = None   # `templates/x.md:3`: a workspace file that writes it out

    def __str__(self) -> str:
        s = self.secret
        by = f"; it is written by {self.source}" if self.source else ""
        return (f"{self.output}: private data of case {s.case} would appear in the output "
                f"{self.at} ({s.field}, {self.where}){by}; nothing was written. Check the "
                "templates and the campaign body.")


def _strings(value: object, path: str) -> list[tuple[str, str]]:
    """(dotted field path, text) of every value under `value`."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{path}.{k}")]
    if isinstance(value, (list, tuple)):
        return [s for i, v in enumerate(value) for s in _strings(v, f"{path}[{i}]")]
    if value is None or isinstance(value, bool):
        return []
    return [(path, str(value))]


#: quotation marks and apostrophes, which typography changes (RFE/RL's → RFE/RL’s)
_QUOTE_MARKS = re.compile("[\"'‘’‚‛“”„‟«»‹›]")


def _normal(text: str) -> str:
    return fold(text)


def _compact(folded: str) -> str:
    return _NOT_WORD.sub("", folded)


def _css_char(m: re.Match[str]) -> str:
    if m.group(1):
        code = int(m.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF else ""
    return m.group(2)


def _variants(text: str) -> list[str]:
    """The ways a reader may see `text`, folded (see `fold`): with entities read; with markup
    taken out too (`SECRET-FAM<b></b>ILY`); that once more with everything but letters and
    digits taken out, so that spacing, line breaks, punctuation and Markdown escapes or
    emphasis put between the letters (`SECRET\\-FAMILY`, `S E C R E T`) do not hide a private
    string; and, where there are backslashes, with CSS escapes read (`\\53 ECRET`)."""
    unescaped = html.unescape(text)
    joined = html.unescape(_TAG.sub("", text)) if "<" in text else unescaped
    out = [fold(unescaped)]
    if joined is not unescaped:
        out.append(fold(joined))
    out.append(_compact(out[-1]))
    if "\\" in joined:
        css = fold(_CSS_ESCAPE.sub(_css_char, joined))
        out += [css, _compact(css)]
    return out


def _field_line(case_file: str, field: str, fallback: str) -> str:
    """`cases/x.yaml:12` for a dotted field path, read again from the case file (only when a
    leak is reported, so the build does not keep lines for every private value)."""
    from ..workspace import yamlio
    try:
        node = yamlio.load_node(Path(case_file), case_file)
    except (yamlio.YamlProblem, OSError):
        return fallback
    for part in re.findall(r"[^.\[\]]+", field):
        if isinstance(node, yamlio.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
        elif isinstance(node, yamlio.SequenceNode) and part.isdigit() and \
                int(part) < len(node.value):
            node = node.value[int(part)]
        else:
            return fallback
        if node is None:
            return fallback
    if node is None:
        return fallback
    return f"{fallback}:{node.start_mark.line + 1}"


def private_strings(ws: Workspace) -> dict[str, Secret]:
    """Every form a private string is searched in → where it comes from.

    Each private value (and each of its lines, 8 characters or more) is folded (`fold`), and
    also kept reversed (text set right to left by bidi overrides or CSS reads backwards) and
    with only its letters and digits.
    """
    found: dict[str, Secret] = {}
    for case in ws.cases.values():
        file = case.loc.path if case.loc else f"cases/{case.id}.yaml"
        texts = _strings(case.private, "private")
        for i, event in enumerate(case.events):
            if event.private:
                name = f"events[{i}]"
                texts += [(f"{name}.text", t) for t in (event.text.all() if event.text else [])]
                texts += [(f"{name}.place", t) for t in texts_of(event.place)]
                texts += [(f"{name}.court", t) for t in texts_of(event.court)]
        for field, text in texts:
            secret = Secret(case.id, field, file)
            for piece in [text, *re.split(r"[\n;]+", text)]:
                forms = {fold(piece), fold(piece[::-1])}
                forms |= {_compact(f) for f in forms}
                for form in forms:
                    if len(form) >= MIN_CHARS:
                        found.setdefault(form, secret)
    return found


def _where(secret: Secret, root: Path | None) -> str:
    if root is None:
        return secret.file
    return _field_line(str(root / secret.file), secret.field, secret.file)


def _written_by(secret: Secret, secrets: dict[str, Secret], root: Path | None) -> str | None:
    """The first line of a workspace template or campaign file that holds the private string
    itself (a template copying it in), or None when it came through the data."""
    if root is None:
        return None
    from ..workspace.load import workspace_files
    from ..workspace.yamlio import DEFAULT_MAX_BYTES, read_workspace_file
    forms = {form: s for form, s in secrets.items() if s == secret}
    for folder in ("templates", "campaigns"):
        if (root / folder).is_symlink():
            continue
        for path in workspace_files(root / folder):
            try:
                text = read_workspace_file(root, path.relative_to(root), DEFAULT_MAX_BYTES)
            except OSError:
                continue
            lines = text.decode("utf-8", "replace").split("\n")
            for i, line in enumerate(lines):
                if _first([line], forms):
                    return f"{path.relative_to(root).as_posix()}:{i + 1}"
    return None


def visible_text(markup: str) -> str:
    return "\n".join(_variants(markup)[1:]) or fold(markup)


def _first(texts: list[str], secrets: dict[str, Secret]) -> Secret | None:
    if not secrets:
        return None
    haystack = "\n".join(v for t in texts for v in _variants(t))
    for form in sorted(secrets):
        if form in haystack:
            return secrets[form]
    return None


def leaks(texts: list[str], secrets: dict[str, Secret]) -> list[str]:
    """Ids of the cases whose private strings appear in any of `texts` (in any variant)."""
    if not secrets:
        return []
    haystack = "\n".join(v for t in texts for v in _variants(t))
    return sorted({s.case for form, s in secrets.items() if form in haystack})


def _line_of(text: str, secrets: dict[str, Secret]) -> str:
    """`line N` of the first line (or pair of lines) of `text` that holds a private string."""
    lines = text.split("\n")
    for i in range(len(lines)):
        if _first(["\n".join(lines[i:i + 2])], secrets):
            return f"line {i + 1}"
    return "its text"


def pdf_parts(pdf: bytes) -> list[tuple[str, str]]:
    """(where, text) of what a PDF holds besides its pages: the document information, the XMP
    metadata and every attached file (name, description and content)."""
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(pdf))
    parts = [("the PDF metadata", " ".join(str(v) for v in (reader.metadata or {}).values()))]
    root: Any = reader.trailer["/Root"]
    xmp = root.get_object().get("/Metadata")
    if xmp is not None:
        parts.append(("the PDF's XMP metadata",
                      xmp.get_object().get_data().decode("utf-8", "replace")))
    for name, contents in reader.attachments.items():
        for data in contents:
            parts.append((f"the attached file {name}", f"{name}\n{_decoded(data)}"))
    for page in reader.pages:  # <a rel=attachment>: files attached to a spot on a page
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/FileAttachment" or "/FS" not in annot:
                continue
            spec = annot["/FS"].get_object()
            name = str(spec.get("/UF") or spec.get("/F") or "?")
            data = spec["/EF"].get_object()["/F"].get_object().get_data() \
                if "/EF" in spec else b""
            parts.append((f"the attached file {name}",
                          f"{name}\n{spec.get('/Desc', '')}\n{annot.get('/Contents', '')}\n"
                          f"{_decoded(data)}"))
    return parts


def _decoded(data: bytes) -> str:
    """An attached file as text a reader could see: UTF-8 (or UTF-16 with its mark)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace")
    return data.decode("utf-8", "replace")


def scan_outputs(secrets: dict[str, Secret], name: str, *, markdown: str | None = None,
                 html_text: str | None = None, print_html: str | None = None,
                 metadata: dict[str, object] | None = None, pdf: bytes | None = None,
                 pdf_pages: list[str] | None = None, root: Path | None = None) -> Leak | None:
    """The first private string found in one document's outputs, or None.

    `name` is the document (`build/<campaign>/<stem>`); `markdown` and `html_text` the .md and
    .html outputs, `print_html` the HTML the PDF is made from, `metadata` the document's
    metadata, `pdf` the PDF's bytes (its metadata, XMP and attached files are read back) and
    `pdf_pages` the text laid out on its pages (`pdf.document_texts`). `root` (the workspace)
    lets the leak name the line of the private field in its case file.
    """
    if not secrets:
        return None
    texts: list[tuple[str, str, str]] = []  # (where, text, line-searchable?)
    if markdown is not None:
        texts.append((f"{name}.md", markdown, "lines"))
    if html_text is not None:
        texts.append((f"{name}.html", html_text, "lines"))
    if print_html is not None:
        texts.append((f"{name}.pdf (its HTML)", print_html, "lines"))
    if metadata:
        texts.append((f"{name}.pdf", " ".join(str(v) for v in metadata.values()), "metadata"))
    for i, page in enumerate(pdf_pages or []):
        texts.append((f"{name}.pdf", page, f"the laid-out text ({i // 2 + 1})"))
    if pdf is not None:
        try:
            parts = pdf_parts(pdf)
        except Exception:
            return Leak(Secret("?", "?", "?"), name, "a PDF that cannot be read back", "?")
        texts += [(f"{name}.pdf", text, where) for where, text in parts]
    for output, text, how in texts:
        found = _first([text], secrets)
        if found is None:
            continue
        at = f"{output}, {_line_of(text, secrets)}" if how == "lines" else f"{output}, {how}"
        return Leak(found, name, at, _where(found, root), _written_by(found, secrets, root))
    return None
