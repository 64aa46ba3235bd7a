"""The last line of defence: no private string may appear in any output."""
from __future__ import annotations

import functools
import html
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any, Protocol

MIN_CHARS = 8
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
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


class PrivateValue(Protocol):
    """One private text and where it comes from (the workspace gives them: PrivateValue in
    clarion/workspace/private.py)."""

    @property
    def case(self) -> str: ...
    @property
    def field(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def text(self) -> str: ...


#: traces a leaked string back in the workspace: (case file, field, holds) → (the field's line,
#: `cases/x.yaml:12`; the first template or campaign line that writes it out, or None), where
#: `holds(text)` says whether a text shows the string (trace_leak in workspace/private.py)
Trace = Callable[[str, str, Callable[[str], bool]], tuple[str, str | None]]


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


#: quotation marks and apostrophes, which typography changes (RFE/RL's → RFE/RL’s)
_QUOTE_MARKS = re.compile("[\"'‘’‚‛“”„‟«»‹›]")


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


def secret_forms(values: Iterable[PrivateValue]) -> dict[str, Secret]:
    """Every form a private string is searched in → where it comes from.

    Each private value (and each of its lines, 8 characters or more) is folded (`fold`), and
    also kept reversed (text set right to left by bidi overrides or CSS reads backwards) and
    with only its letters and digits.
    """
    found: dict[str, Secret] = {}
    for value in values:
        secret, text = Secret(value.case, value.field, value.file), value.text
        for piece in [text, *re.split(r"[\n;]+", text)]:
            forms = {fold(piece), fold(piece[::-1])}
            forms |= {_compact(f) for f in forms}
            for form in forms:
                if len(form) >= MIN_CHARS:
                    found.setdefault(form, secret)
    return found


def _origin(secret: Secret, secrets: dict[str, Secret], trace: Trace | None
            ) -> tuple[str, str | None]:
    """(the private field's line, the workspace file that writes the string out or None)."""
    if trace is None:
        return secret.file, None
    forms = {form: s for form, s in secrets.items() if s == secret}
    return trace(secret.file, secret.field, lambda line: _first([line], forms) is not None)


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
                 pdf_pages: list[str] | None = None, trace: Trace | None = None) -> Leak | None:
    """The first private string found in one document's outputs, or None.

    `name` is the document (`build/<campaign>/<stem>`); `markdown` and `html_text` the .md and
    .html outputs, `print_html` the HTML the PDF is made from, `metadata` the document's
    metadata, `pdf` the PDF's bytes (its metadata, XMP and attached files are read back) and
    `pdf_pages` the text laid out on its pages (`pdf.document_texts`). `trace` lets the leak
    name the line of the private field in its case file, and a file that writes it out.
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
        return Leak(found, name, at, *_origin(found, secrets, trace))
    return None
