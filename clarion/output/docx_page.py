"""A .docx's furniture: paper and margins, named styles in the PDF's fonts, the language of its
text, page numbers and the running head, list numbering, and the file's reproducible bytes."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

#: the faces of style.css: the text face and the face of headings, letterhead and addresses
SERIF, SANS = "Charis SIL", "DejaVu Sans"
#: paper sizes (width, height) and the page margins of style.css (top, right, bottom, left)
PAPER = {"a4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}
MARGINS = (Mm(20), Mm(20), Mm(25), Mm(25))
#: the order of paragraph and run properties (ECMA-376 Part 1, 17.3.1.26 and 17.3.2.28)
PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
             "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
             "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
             "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
             "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
             "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
             "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
             "w:sectPr", "w:pPrChange")
RPR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
             "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
             "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
             "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
             "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
             "w:eastAsianLayout", "w:specVanish", "w:oMath", "w:rPrChange")
#: a fixed time for every entry of the zip file: the same document, the same bytes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Look:
    """One named paragraph style: its face, size, weight and spacing (points)."""

    name: str
    font: str = SERIF
    size: float = 10.5
    bold: bool = False
    italic: bool = False
    before: float = 0
    after: float = 6
    align: str = ""
    indent: float = 0
    color: str = ""
    keep_next: bool = False
    caps: bool = False
    #: the colour of a rule down the left side (a pull quote's)
    rule: str = ""


#: the paragraph styles, named for what they hold (as style.css's classes are)
LOOKS = (
    Look("Letterhead", SANS, 8, after=0, align="right", color="333333"),
    Look("Letterhead Name", SANS, 10, bold=True, after=1, align="right"),
    Look("Return Address", SANS, 6.5, before=3.4, after=30, color="444444"),
    Look("Address", SANS, 9, after=0),
    Look("Dateline", before=11, after=17, align="right"),
    Look("Subject", SANS, 10.5, bold=True, after=14, keep_next=True),
    Look("Salutation", after=8.5),
    Look("Closing", before=14, after=6, keep_next=True),
    Look("Asks Intro", after=3, keep_next=True),
    Look("Ask", after=4),
    Look("Quote", italic=True, before=8.5, after=8.5, indent=17),
    Look("Pull Quote", SANS, 12, before=14, after=14, indent=14, rule="A00000"),
    Look("Signatory", SANS, 9, after=11),
    Look("Signatory Line", SANS, 9, after=3),
    Look("Copy Label", SANS, 8.5, color="A00000", caps=True),
    Look("Kicker", SANS, 8.5, after=6, color="A00000", caps=True),
    Look("Release Date", SANS, 9, after=14, color="333333"),
    Look("Embargo", SANS, 9, bold=True, after=8.5, color="A00000"),
    Look("Ends", bold=True, before=17, after=17, align="center"),
    Look("Copied To", SANS, 9, before=17),
    Look("Small Print", size=9.5),
    Look("Term", SANS, 8.5, after=3, color="444444"),
    Look("Value", after=3),
    Look("Footnote Text", size=8, after=2),
)
#: built-in styles given the PDF's faces: (name, face, size, bold, before, after)
BUILT_IN = (("Heading 1", SANS, 16, True, 0, 11), ("Heading 2", SANS, 12, True, 17, 6),
            ("Heading 3", SANS, 10.5, True, 11, 3), ("Title", SANS, 16, True, 0, 11),
            ("Header", SANS, 7.5, False, 0, 0), ("Footer", SANS, 7.5, False, 0, 0),
            ("List Paragraph", SERIF, 10.5, False, 0, 4), ("Body Text", SERIF, 10.5, False, 0, 6))


def word_language(code: str, tags: Mapping[str, str]) -> str:
    """The language tag Word spell-checks with: `fr` → `fr-FR` (from the table `tags` the
    caller gives: the languages' locales); a regional code as it is."""
    return tags.get(code) or tags.get(code.split("-")[0], code) if "-" not in code else code


def place(parent: Any, tag: str) -> Any:
    """The child `tag` of a properties element (w:pPr, w:rPr), added where the schema puts
    it when missing (Word refuses a file whose properties are out of order)."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        order = PPR_ORDER if parent.tag == qn("w:pPr") else RPR_ORDER
        parent.insert_element_before(child, *order[order.index(tag) + 1:])
    return child


def set_fonts(rpr: Any, face: str) -> None:
    """Every script of the run properties `rpr` in `face` (Latin, Cyrillic and the rest)."""
    fonts = place(rpr, "w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), face)


def set_language(rpr: Any, tag: str) -> None:
    """The run properties `rpr` in the language `tag` (what Word spell-checks it as)."""
    lang = place(rpr, "w:lang")
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), tag)


def set_styles(document: Any, language: str) -> None:
    """The document's default language and face, and every named style of LOOKS."""
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, SERIF)
    set_language(rpr, language)
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    set_fonts(normal.element.get_or_add_rPr(), SERIF)
    set_language(normal.element.get_or_add_rPr(), language)
    normal.paragraph_format.line_spacing = Pt(14.9)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.widow_control = True
    for name, face, size, bold, before, after in BUILT_IN:
        style = styles[name]
        _shape(style, Look(name, face, size, bold, before=before, after=after))
        style.font.color.rgb = RGBColor(0x11, 0x11, 0x11)
        style.font.italic = False
        if name.startswith("Heading"):
            style.paragraph_format.keep_with_next = True
    for look in LOOKS:
        style = styles[look.name] if look.name in styles else \
            styles.add_style(look.name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.color.rgb = RGBColor(0x11, 0x11, 0x11)
        _shape(style, look)
    ref = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
    ref.font.superscript = True


def _shape(style: Any, look: Look) -> None:
    """`style` made to look as `look` says."""
    style.font.size = Pt(look.size)
    style.font.bold = look.bold
    style.font.italic = look.italic or None
    set_fonts(style.element.get_or_add_rPr(), look.font)
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(look.before), Pt(look.after)
    if look.indent:
        fmt.left_indent = Pt(look.indent)
    if look.align:
        fmt.alignment = {"right": WD_ALIGN_PARAGRAPH.RIGHT,
                         "center": WD_ALIGN_PARAGRAPH.CENTER}[look.align]
    if look.color:
        style.font.color.rgb = RGBColor.from_string(look.color)
    if look.keep_next:
        fmt.keep_with_next = True
    if look.caps:
        style.font.all_caps = True
    if look.rule:
        add_rule(style.element.get_or_add_pPr(), "left", "single", look.rule)
    # style.css's line heights: 1.42 for the text face, 1.3 for the sans-serif one
    fmt.line_spacing = Pt(round(look.size * (1.42 if look.font == SERIF else 1.3), 1))


def add_rule(ppr: Any, side: str, kind: str, color: str) -> None:
    """A rule along one side of a paragraph (w:pBdr in the paragraph properties `ppr`)."""
    line = OxmlElement(f"w:{side}")
    for attr, value in (("w:val", kind), ("w:sz", "20" if kind == "single" else "4"),
                        ("w:space", "12" if side == "left" else "1"), ("w:color", color)):
        line.set(qn(attr), value)
    place(ppr, "w:pBdr").append(line)


def set_page(document: Any, paper: str) -> None:
    """A4 or Letter, with style.css's margins; page 1 has its own (empty) header."""
    section = document.sections[0]
    section.page_width, section.page_height = PAPER.get(paper, PAPER["a4"])
    (section.top_margin, section.right_margin, section.bottom_margin,
     section.left_margin) = MARGINS
    section.header_distance, section.footer_distance = Mm(10), Mm(12)
    section.different_first_page_header_footer = True


def add_field(paragraph: Any, instruction: str, shown: str) -> None:
    """A field (`PAGE`, `NUMPAGES`) Word and LibreOffice fill in, showing `shown` until then."""
    for kind, text in (("begin", None), (None, f" {instruction} "), ("separate", None),
                       (None, shown), ("end", None)):
        run = paragraph.add_run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == shown:
            run.text = text
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)


def set_header_footer(document: Any, running_head: str, page_word: str) -> None:
    """Page numbers ("Page 2 / 3") at the foot of every page; from page 2 the running head at
    the top right, as in the PDF."""
    section = document.sections[0]
    for footer in (section.footer, section.first_page_footer):
        p = footer.paragraphs[0]
        p.style = document.styles["Footer"]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(f"{page_word} ")
        add_field(p, "PAGE", "1")
        p.add_run(" / ")
        add_field(p, "NUMPAGES", "1")
    if running_head:
        p = section.header.paragraphs[0]
        p.style = document.styles["Header"]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.add_run(running_head)
    section.first_page_header.paragraphs[0].text = ""


def add_numbering(document: Any, ordered: bool) -> int:
    """A new list's numbering (1., 2., … or bullets) starting again at 1: its w:numId."""
    numbering = document.part.numbering_part.element
    abstract_id = 9000 + int(ordered)
    if numbering.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{abstract_id}']") \
            is None:
        numbering.insert(0, _abstract(abstract_id, ordered))
    num = numbering.add_num(abstract_id)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    return int(num.numId)


def _abstract(abstract_id: int, ordered: bool) -> Any:
    """One level of numbering: decimal `1.` or a bullet, hanging 6 mm."""
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), str(abstract_id))
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), "0")
    for tag, value in (("w:start", "1"), ("w:numFmt", "decimal" if ordered else "bullet"),
                       ("w:lvlText", "%1." if ordered else "•"), ("w:lvlJc", "left")):
        el = OxmlElement(tag)
        el.set(qn("w:val"), value)
        lvl.append(el)
    ppr = OxmlElement("w:pPr")
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), "454")
    ind.set(qn("w:hanging"), "340")
    ppr.append(ind)
    lvl.append(ppr)
    abstract.append(lvl)
    return abstract


def set_properties(document: Any, metadata: Mapping[str, Any], language: str) -> None:
    """The file's properties from the document's metadata, dated by the campaign."""
    props = document.core_properties
    props.title = str(metadata.get("title") or "")
    props.subject = str(metadata.get("subject") or "")
    props.author = props.last_modified_by = str(metadata.get("author") or "")
    props.language = language
    props.keywords = props.comments = props.category = ""
    props.revision = 1
    created = metadata.get("created")
    when = datetime(created.year, created.month, created.day, tzinfo=UTC) \
        if isinstance(created, date) else datetime(2000, 1, 1, tzinfo=UTC)
    props.created = props.modified = when
    package = document.part.package
    for rid, rel in list(package.rels.items()):  # the template's picture of another text
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)


def reproducible(data: bytes) -> bytes:
    """The .docx written again with fixed entry times: the same document, the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in sorted(zin.infolist(), key=lambda i: _order(i.filename)):
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zout.writestr(entry, zin.read(info.filename))
    return out.getvalue()


def _order(name: str) -> tuple[int, str]:
    """[Content_Types].xml first, as readers expect, then every part by name."""
    return (0 if name == "[Content_Types].xml" else 1, name)
