"""A document's printed HTML as a .docx for partners who edit in a word processor: the same
text and structure as the PDF, in named Word styles, with real footnotes; never signed."""
from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from .docx_inline import HTML, SPACE, Fmt, Inline, classes, image_data
from .docx_notes import Footnotes
from .docx_page import (
    MARGINS,
    PAPER,
    add_numbering,
    reproducible,
    set_header_footer,
    set_page,
    set_properties,
    set_styles,
    word_language,
)

__all__ = ["write_docx"]

#: elements whose text is never shown, and elements of the printed page a .docx leaves out:
#: fold marks, the running head (it goes into the header), a digital signature's box
SKIPPED_TAGS = frozenset({"head", "style", "script", "template", "title", "meta", "link",
                          "noscript", "hr"})
SKIPPED_CLASSES = frozenset({"marks", "running-title", "clarion-signature"})
#: elements laid out as blocks: a run of inline content between them is one paragraph
BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl",
                    "dt", "dd", "table", "blockquote", "pre", "section", "header", "footer",
                    "main", "article", "aside", "nav", "figure", "figcaption", "address",
                    "body", "hr"})
#: a paragraph's class → its Word style (the first class of a paragraph found here)
STYLE_OF_CLASS = {
    "dateline": "Dateline", "salutation": "Salutation", "closing": "Closing",
    "asks-intro": "Asks Intro", "copy-label": "Copy Label", "kicker": "Kicker",
    "release-date": "Release Date", "embargo": "Embargo", "ends": "Ends", "cc": "Copied To",
    "to-line": "Address", "contact-line": "Copied To", "subject": "Subject",
}
#: a container's class → the style of the paragraphs in it
STYLE_OF_SECTION = {"media-contact": "Small Print", "notes-to-editors": "Small Print",
                    "inside-address": "Address", "signatory": "Signatory"}
HEADINGS = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 3",
            "h5": "Heading 3", "h6": "Heading 3"}
#: a kind whose style sheet writes a style in capitals (style.css: `.statement h1`)
CAPITALS = {"statement": "Heading 1"}
#: the localised word before the page number, as the printed page writes it
PAGE_WORD = re.compile(r'@bottom-center\s*\{\s*content:\s*"([^"]*?)\s*"\s*counter\(page\)')


@dataclass(frozen=True)
class Place:
    """Where paragraphs go and how they look: the container (the body or a table cell), the
    style, and the text's language."""

    container: Any
    style: str
    fmt: Fmt


def write_docx(html: str, *, languages: Mapping[str, str],
               metadata: Mapping[str, Any]) -> bytes:
    """The .docx of a document's printed HTML. `languages` maps a language code to the tag
    Word spell-checks with (`fr` → `fr-FR`); `metadata` gives the file's properties."""
    import tinyhtml5
    from docx import Document

    root = tinyhtml5.parse(html)
    body = root.find(f"{HTML}body")
    code = root.get("lang") or str(metadata.get("language") or "en")
    tag = word_language(code, languages)
    document = Document()
    set_styles(document, tag)
    paper = "letter" if "paper-letter" in classes(body) else "a4"
    set_page(document, paper)
    for kind, style in CAPITALS.items():
        if kind in classes(body):
            document.styles[style].font.all_caps = True
    if body is not None and "justify" in classes(body):
        for name in ("Body Text", "Quote", "Ask", "List Paragraph"):
            document.styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    set_properties(document, metadata, tag)
    writer = Writer(document, languages, PAPER[paper][0] - MARGINS[1] - MARGINS[3])
    if body is not None:
        writer.flow(body, Place(document, "Body Text", Fmt(lang=tag)))
    page_word = PAGE_WORD.search(html)
    set_header_footer(document, writer.running_head,
                      page_word.group(1) if page_word else "Page")
    out = io.BytesIO()
    document.save(out)
    return reproducible(out.getvalue())


class Writer:
    """Walks the printed HTML and writes Word paragraphs, lists and tables."""

    def __init__(self, document: Any, languages: Mapping[str, str], width: int):
        self.document, self.languages, self.width = document, languages, width
        self.notes = Footnotes(document)
        self.inline = Inline(self.notes, languages)
        self.running_head = ""
        self.page_break = False

    def paragraph(self, place: Place, style: str | None = None) -> Any:
        """A new paragraph in `place`, in `style` (else the place's)."""
        p = place.container.add_paragraph(style=self.document.styles[style or place.style])
        if self.page_break:
            p.paragraph_format.page_break_before = True
            self.page_break = False
        return p

    def add_table(self, place: Place, rows: int, cols: int) -> Any:
        """A new table in `place`, with a paragraph of no height after it (two tables side
        by side would be read as one)."""
        from docx.shared import Pt
        table = place.container.add_table(rows=rows, cols=cols)
        spacer = place.container.add_paragraph(style=self.document.styles["Normal"])
        fmt = spacer.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = Pt(1)
        return table

    def flow(self, el: Any, place: Place) -> None:
        """A container's children: each block in turn, each run of inline content between
        blocks as one paragraph."""
        pending: list[Any] = [el.text] if el.text else []
        for child in el:
            if not isinstance(child.tag, str):  # a comment
                pass
            elif _local(child) in BLOCKS:
                self.write_inline(place, pending)
                pending = []
                self.block(child, place)
            else:
                pending.append(child)
            if child.tail:
                pending.append(child.tail)
        self.write_inline(place, pending)

    def write_inline(self, place: Place, items: list[Any], style: str | None = None) -> None:
        """A paragraph of inline content, when it shows anything."""
        pieces = self.inline.collect(items, place.fmt)
        if self.inline.shows(pieces):
            self.inline.write(self.paragraph(place, style), pieces)

    def block(self, el: Any, place: Place) -> None:
        tag, cls = _local(el), classes(el)
        if tag in SKIPPED_TAGS or cls & SKIPPED_CLASSES:
            if "running-title" in cls:
                self.running_head = SPACE.sub(" ", "".join(el.itertext())).strip(" ")
            return
        if el.get("lang"):
            lang = word_language(el.get("lang"), self.languages)
            place = replace(place, fmt=replace(place.fmt, lang=lang))
        if "letterhead" in cls:
            return self.letterhead(el, place)
        if "address-field" in cls:
            return self.address_field(el, place)
        if "signatories" in cls and tag != "ul" and tag != "ol":
            return self.signatory_grid(el, place)
        if "copied-letter" in cls:
            self.page_break = True
        if tag in ("ul", "ol"):
            return self.list_(el, place, tag == "ol")
        if tag in HEADINGS:
            style = "Subject" if "subject" in cls else HEADINGS[tag]
            return self.write_inline(place, _content(el), style)
        if tag == "blockquote":
            style = "Pull Quote" if "pull" in cls else "Quote"
            return self.flow(el, replace(place, style=style))
        if tag == "table":
            return self.table(el, place)
        if tag == "dl":
            return self.terms(el, place)
        if tag in ("dt", "dd"):
            return self.flow(el, replace(place, style="Term" if tag == "dt" else "Value"))
        if tag == "pre":  # its lines kept
            text = "".join(el.itertext()).strip("\n")
            pieces = self.inline.lines(text, replace(place.fmt, mono=True))
            if self.inline.shows(pieces):
                self.inline.write(self.paragraph(place), pieces)
            return None
        if tag == "p":
            named = next((STYLE_OF_CLASS[c] for c in sorted(cls) if c in STYLE_OF_CLASS), None)
            fmt = replace(place.fmt, bold=True) if "cover-sender" in cls else place.fmt
            return self.write_inline(replace(place, fmt=fmt), _content(el), named)
        style = next((STYLE_OF_SECTION[c] for c in sorted(cls) if c in STYLE_OF_SECTION),
                     place.style)
        self.flow(el, replace(place, style=style))

    def letterhead(self, el: Any, place: Place) -> None:
        """The logo on the left, the organisation's name and address on the right."""
        from docx.enum.table import WD_ROW_HEIGHT_RULE
        from docx.shared import Mm
        table = self.add_table(place, rows=1, cols=2)
        _widths(table, [Mm(50), self.width - Mm(50)])
        table.rows[0].height, table.rows[0].height_rule = Mm(25), WD_ROW_HEIGHT_RULE.AT_LEAST
        left, right = table.rows[0].cells
        parts = [c for c in el if isinstance(c.tag, str)]
        logo = next((img for img in el.iter(f"{HTML}img")), None)
        data = image_data(logo.get("src", "")) if logo is not None else None
        if data is not None:
            left.paragraphs[0].paragraph_format.line_spacing = 1.0  # not cut to a line
            self.inline.picture(left.paragraphs[0], data, max_height=14, max_width=60)
        org = parts[-1] if len(parts) > 1 else None
        if org is None:
            return
        name = org.find(f"{HTML}strong")
        cell = Place(right, "Letterhead", place.fmt)
        first = right.paragraphs[0]
        first.style = self.document.styles["Letterhead Name"]
        if name is not None:
            self.inline.write(first, self.inline.collect(_content(name), place.fmt))
            rest = _in_order(org, name)
        else:
            rest = _content(org)
        self.write_inline(cell, rest)

    def address_field(self, el: Any, place: Place) -> None:
        """The window of the envelope: the return line and the recipient's address, in a box
        as tall as the window's field (the date line comes below it, as in the PDF)."""
        from docx.enum.table import WD_ROW_HEIGHT_RULE
        from docx.shared import Mm
        table = self.add_table(place, rows=1, cols=1)
        row = table.rows[0]
        row.height, row.height_rule = Mm(45), WD_ROW_HEIGHT_RULE.AT_LEAST
        _widths(table, [Mm(85)])
        cell = row.cells[0]
        cell._tc.remove(cell.paragraphs[0]._p)
        inner = Place(cell, "Address", place.fmt)
        for div in el.iter(f"{HTML}div"):
            if "return" in classes(div) and not self._hidden_return():
                self.write_inline(inner, _content(div), "Return Address")
            if "recipient" in classes(div):
                self.flow(div, inner)
        if not cell.paragraphs:
            cell.add_paragraph()

    def _hidden_return(self) -> bool:
        """US Letter has no return line in its window (style.css hides it)."""
        return bool(self.document.sections[0].page_height == PAPER["letter"][1])

    def signatory_grid(self, el: Any, place: Place) -> None:
        """Signatories side by side, as many a row as the PDF puts, in a table."""
        people = [c for c in el if isinstance(c.tag, str) and "signatory" in classes(c)]
        if not people:
            return self.flow(el, place)
        per_row = next((int(c.rsplit("-", 1)[1]) for c in classes(el)
                        if re.fullmatch(r"per-row-[1-4]", c)), 2)
        rows = -(-len(people) // per_row)
        table = self.add_table(place, rows=rows, cols=per_row)
        _widths(table, [self.width // per_row] * per_row)
        by_hand = "by-hand" in classes(el)
        for i, person in enumerate(people):
            cell = table.rows[i // per_row].cells[i % per_row]
            cell._tc.remove(cell.paragraphs[0]._p)
            inner = Place(cell, "Signatory", place.fmt)
            if by_hand or person.find(f"{HTML}div") is not None:
                self._signature_space(inner, by_hand)
            self.flow(person, inner)
        for row in table.rows:
            for cell in row.cells:
                if not cell.paragraphs:
                    cell.add_paragraph()

    def _signature_space(self, place: Place, by_hand: bool) -> None:
        """Room to sign (a dotted line when signed by hand); never a signature's image."""
        from docx.shared import Pt
        p = self.paragraph(place)
        p.paragraph_format.space_before = Pt(30 if by_hand else 24)
        p.paragraph_format.space_after = Pt(4)
        if by_hand:
            self.inline.dotted_line(p)

    def list_(self, el: Any, place: Place, ordered: bool) -> None:
        """A list: numbered or bulleted, each starting again at 1; a sign-on list as the
        PDF has it (`numbered`, or one name a line for `list`)."""
        cls = classes(el)
        plain = "signon" in cls and "numbered" not in cls
        style = "Signatory Line" if "signon" in cls else "Ask" if "asks" in cls \
            else "List Paragraph"
        num = None if plain else add_numbering(self.document, ordered)
        for li in el:
            if not isinstance(li.tag, str) or _local(li) != "li":
                continue
            start = len(place.container.paragraphs)
            self.flow(li, replace(place, style=style))
            items = place.container.paragraphs[start:]
            if num is not None and items:
                self.inline.number(items[0], num)

    def terms(self, el: Any, place: Place) -> None:
        """A list of terms and values (a trial watch's date, court, status…): a term beside
        its value, a row each, as the PDF sets them."""
        from docx.shared import Mm
        rows: list[tuple[list[Any], list[Any]]] = []
        for child in el:
            if not isinstance(child.tag, str) or _local(child) not in ("dt", "dd"):
                continue
            if _local(child) == "dt" or not rows:
                rows.append(([], []))
            rows[-1][0 if _local(child) == "dt" else 1].append(child)
        if not rows:
            return
        table = self.add_table(place, rows=len(rows), cols=2)
        _widths(table, [Mm(28), self.width - Mm(28)])
        for row, (terms, values) in zip(table.rows, rows, strict=True):
            for cell, items, style in ((row.cells[0], terms, "Term"),
                                       (row.cells[1], values, "Value")):
                cell._tc.remove(cell.paragraphs[0]._p)
                for item in items:
                    self.flow(item, Place(cell, style, place.fmt))
                if not cell.paragraphs:
                    cell.add_paragraph()

    def table(self, el: Any, place: Place) -> None:
        """An HTML table as a Word table, cell by cell."""
        rows = [tr for tr in el.iter(f"{HTML}tr")]
        cols = max((len([c for c in tr if _local(c) in ("td", "th")]) for tr in rows),
                   default=0)
        if not rows or not cols:
            return
        table = self.add_table(place, rows=len(rows), cols=cols)
        table.style = self.document.styles["Table Grid"]
        for r, tr in enumerate(rows):
            cells = [c for c in tr if _local(c) in ("td", "th")]
            for c, td in enumerate(cells):
                cell = table.rows[r].cells[c]
                cell._tc.remove(cell.paragraphs[0]._p)
                fmt = replace(place.fmt, bold=True) if _local(td) == "th" else place.fmt
                self.flow(td, Place(cell, "Body Text", fmt))
                if not cell.paragraphs:
                    cell.add_paragraph()


def _widths(table: Any, widths: list[int]) -> None:
    """The table's columns `widths` wide (the grid LibreOffice reads and each cell Word
    reads)."""
    table.autofit = False
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(widths) // 635))  # EMU to twentieths of a point
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _local(el: Any) -> str:
    """An element's tag without the HTML namespace."""
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag[len(HTML):] if tag.startswith(HTML) else tag


def _content(el: Any) -> list[Any]:
    """An element's inline content: its text, children and their tails, in order."""
    items: list[Any] = [el.text] if el.text else []
    for child in el:
        items.append(child)
        if child.tail:
            items.append(child.tail)
    return items


def _in_order(el: Any, leave_out: Any) -> list[Any]:
    """`el`'s inline content without the child `leave_out` (its tail kept)."""
    items: list[Any] = [el.text] if el.text else []
    for child in el:
        if child is not leave_out:
            items.append(child)
        if child.tail:
            items.append(child.tail)
    return items
