"""A paragraph's inline content in a .docx: text runs with their emphasis and language, line
breaks, real hyperlinks, footnote calls with their notes, and pictures."""
from __future__ import annotations

import base64
import binascii
import dataclasses
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from .docx_notes import Footnotes
from .docx_page import add_rule, set_fonts, set_language, word_language

HTML = "{http://www.w3.org/1999/xhtml}"
#: HTML's white space (not the no-break spaces typography put there on purpose)
SPACE = re.compile(r"[ \t\n\r\f]+")
#: the addresses a reader may follow from a .docx
LINKABLE = re.compile(r"(https?:|mailto:)", re.I)
DATA_URI = re.compile(r"data:image/(png|jpeg|gif|bmp|tiff);base64,(.*)", re.S | re.I)
MONO = "DejaVu Sans Mono"


@dataclass(frozen=True)
class Fmt:
    """How a run looks: emphasis, position, a link, and its language (a Word tag)."""

    lang: str = "en-GB"
    bold: bool = False
    italic: bool = False
    sup: bool = False
    sub: bool = False
    mono: bool = False
    strike: bool = False
    underline: bool = False
    small: bool = False
    link: str | None = None
    #: which link (two links to one address side by side stay two)
    link_no: int = 0


@dataclass
class Piece:
    """One run, break, footnote (its own pieces) or picture of a paragraph."""

    kind: str  # "text", "br", "note", "img"
    text: str = ""
    fmt: Fmt = Fmt()
    note: list[Piece] | None = None
    data: bytes = b""


#: an element's effect on the runs inside it
EFFECTS: dict[str, dict[str, bool]] = {
    "strong": {"bold": True}, "b": {"bold": True}, "em": {"italic": True},
    "i": {"italic": True}, "cite": {"italic": True}, "sup": {"sup": True},
    "sub": {"sub": True}, "code": {"mono": True}, "kbd": {"mono": True},
    "s": {"strike": True}, "del": {"strike": True}, "u": {"underline": True},
    "ins": {"underline": True}, "small": {"small": True},
}
#: a class's effect (style.css: names of persons in bold)
CLASS_EFFECTS: dict[str, dict[str, bool]] = {"person": {"bold": True}}


def classes(el: Any) -> frozenset[str]:
    """An element's classes."""
    return frozenset((el.get("class") or "").split()) if el is not None else frozenset()


def image_data(src: str) -> bytes | None:
    """The bytes of an image embedded as a data: URI (the pipeline embeds them), or None."""
    m = DATA_URI.fullmatch(src.strip())
    if not m:
        return None
    try:
        return base64.b64decode(m.group(2), validate=False)
    except (binascii.Error, ValueError):
        return None


class Inline:
    """Turns inline HTML into pieces, then pieces into Word runs."""

    def __init__(self, notes: Footnotes, languages: Mapping[str, str]):
        self.notes, self.languages = notes, languages
        self.links = 0

    def collect(self, items: list[Any], fmt: Fmt) -> list[Piece]:
        """The pieces of inline content (strings and elements), white space collapsed."""
        pieces: list[Piece] = []
        for item in items:
            self._add(item, fmt, pieces)
        return _tidy(pieces)

    def _add(self, item: Any, fmt: Fmt, pieces: list[Piece]) -> None:
        if isinstance(item, str):
            pieces.append(Piece("text", SPACE.sub(" ", item), fmt))
            return
        if not isinstance(item.tag, str):
            return
        tag = item.tag[len(HTML):] if item.tag.startswith(HTML) else item.tag
        cls = classes(item)
        if tag in ("script", "style", "template") or "clarion-signature" in cls:
            return
        if tag == "br":
            pieces.append(Piece("br", fmt=fmt))
            return
        if tag == "img":
            data = image_data(item.get("src", ""))
            if data is not None and "signature" not in cls:
                pieces.append(Piece("img", fmt=fmt, data=data))
            return
        if item.get("lang"):
            fmt = replace(fmt, lang=word_language(item.get("lang"), self.languages))
        if "footnote" in cls:
            note: list[Piece] = []
            self._children(item, Fmt(lang=fmt.lang), note)
            pieces.append(Piece("note", fmt=fmt, note=_tidy(note)))
            return
        if "by" in cls:  # the speaker under a pull quote: a line of its own
            pieces.append(Piece("br", fmt=fmt))
        changes = dict(EFFECTS.get(tag, {}))
        for c in cls:
            changes.update(CLASS_EFFECTS.get(c, {}))
        if tag == "a" and LINKABLE.match(item.get("href", "").strip()):
            self.links += 1
            fmt = replace(fmt, link=item.get("href", "").strip(), link_no=self.links)
        if tag in ("p", "div", "li") and pieces:  # a block met inside a line: a new line
            pieces.append(Piece("br", fmt=fmt))
        for name, value in changes.items():
            fmt = dataclasses.replace(fmt, **{name: value})  # type: ignore[arg-type]
        self._children(item, fmt, pieces)

    def _children(self, el: Any, fmt: Fmt, pieces: list[Piece]) -> None:
        if el.text:
            self._add(el.text, fmt, pieces)
        for child in el:
            self._add(child, fmt, pieces)
            if child.tail:
                self._add(child.tail, fmt, pieces)

    @staticmethod
    def lines(text: str, fmt: Fmt) -> list[Piece]:
        """Preformatted text: its lines as they are, a break between each."""
        pieces: list[Piece] = []
        for i, line in enumerate(text.split("\n")):
            if i:
                pieces.append(Piece("br", fmt=fmt))
            if line:
                pieces.append(Piece("text", line, fmt))
        return pieces

    @staticmethod
    def shows(pieces: list[Piece]) -> bool:
        """Whether the pieces show anything (text, a note or a picture)."""
        return any(p.kind in ("note", "img") or (p.kind == "text" and p.text.strip())
                   for p in pieces)

    def write(self, paragraph: Any, pieces: list[Piece]) -> None:
        """The pieces as runs of `paragraph` (links as w:hyperlink, notes as footnotes)."""
        link_el, link_no = None, 0
        for piece in pieces:
            if piece.kind == "note":
                note = self.notes.add(paragraph)
                self.write(note, piece.note or [])
                continue
            run = paragraph.add_run()
            self._look(run, piece.fmt)
            if piece.kind == "text":
                run.text = piece.text
            elif piece.kind == "br":
                run.add_break()
            elif piece.kind == "img":
                paragraph.paragraph_format.line_spacing = 1.0  # not cut to a line's height
                self._picture_run(run, piece.data, max_height=40, max_width=160)
            if piece.fmt.link is None:
                link_el = None
                continue
            if link_el is None or link_no != piece.fmt.link_no:
                link_el = OxmlElement("w:hyperlink")
                link_el.set(qn("r:id"), paragraph.part.relate_to(
                    piece.fmt.link, RT.HYPERLINK, is_external=True))
                paragraph._p.append(link_el)
                link_no = piece.fmt.link_no
            link_el.append(run._r)

    @staticmethod
    def _look(run: Any, fmt: Fmt) -> None:
        rpr = run._r.get_or_add_rPr()
        font = run.font
        if fmt.bold:
            font.bold = True
        if fmt.italic:
            font.italic = True
        if fmt.sup:
            font.superscript = True
        if fmt.sub:
            font.subscript = True
        if fmt.strike:
            font.strike = True
        if fmt.underline or fmt.link:
            font.underline = bool(fmt.underline)
        if fmt.small:
            from docx.shared import Pt
            font.size = Pt(8.5)
        if fmt.link:
            from docx.shared import RGBColor
            font.color.rgb = RGBColor(0x0B, 0x4A, 0x8B)
        if fmt.mono:
            set_fonts(rpr, MONO)
        set_language(rpr, fmt.lang)

    def picture(self, paragraph: Any, data: bytes, max_height: float, max_width: float
                ) -> None:
        """A picture in its own run, at most `max_height` × `max_width` mm."""
        self._picture_run(paragraph.add_run(), data, max_height, max_width)

    @staticmethod
    def _picture_run(run: Any, data: bytes, max_height: float, max_width: float) -> None:
        from docx.image.exceptions import UnrecognizedImageError
        from docx.shared import Mm
        try:
            shape = run.add_picture(io.BytesIO(data), height=Mm(max_height))
        except (UnrecognizedImageError, ValueError, KeyError, ZeroDivisionError):
            return  # a format Word cannot show (SVG, WebP): the PDF keeps it
        if shape.width > Mm(max_width):
            shape.height = int(shape.height * Mm(max_width) / shape.width)
            shape.width = Mm(max_width)

    @staticmethod
    def dotted_line(paragraph: Any) -> None:
        """A dotted rule under `paragraph`: where to sign by hand."""
        add_rule(paragraph._p.get_or_add_pPr(), "bottom", "dotted", "777777")

    @staticmethod
    def number(paragraph: Any, num: int) -> None:
        """`paragraph` an item of the list numbered `num`."""
        ppr = paragraph._p.get_or_add_pPr()
        ppr.get_or_add_numPr().get_or_add_ilvl().val = 0
        ppr.get_or_add_numPr().get_or_add_numId().val = num


def _tidy(pieces: list[Piece]) -> list[Piece]:
    """White space as HTML shows it: none at the start or end of a line, never two."""
    out: list[Piece] = []
    space_before = True  # at a line's start
    for piece in pieces:
        if piece.kind != "text":
            if piece.kind == "br" and out and out[-1].kind == "text":
                out[-1].text = out[-1].text.rstrip(" ")
            out.append(piece)
            space_before = piece.kind == "br"
            continue
        text = piece.text
        if space_before:
            text = text.lstrip(" ")
        if not text:
            continue
        out.append(replace(piece, text=text))
        space_before = text.endswith(" ")
    while out and out[-1].kind == "text" and not out[-1].text.rstrip(" "):
        out.pop()
    if out and out[-1].kind == "text":
        out[-1].text = out[-1].text.rstrip(" ")
    while out and out[-1].kind == "br":
        out.pop()
    return [p for p in out if p.kind != "text" or p.text]
