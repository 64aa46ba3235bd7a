"""Real Word footnotes in a .docx: the footnotes part (word/footnotes.xml, its relationship and
content type) and the w:footnoteReference runs that call its notes (python-docx has no API
for them)."""
from __future__ import annotations

from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.story import StoryPart
from docx.text.paragraph import Paragraph

PARTNAME = "/word/footnotes.xml"
#: the style ids of a note's text and of the number that calls it (docx_page makes them)
TEXT, REFERENCE = "FootnoteText", "FootnoteReference"
#: the two notes Word expects before any other: the line above the notes, and its
#: continuation on the next page
SEPARATORS = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>")


class Footnotes:
    """The footnotes of one document; `part` is where a note's links are related from."""

    def __init__(self, document: Any):
        self.document = document
        self._part: StoryPart | None = None
        self.count = 0

    @property
    def part(self) -> StoryPart:
        """The footnotes part, made (and related to the document) at the first note."""
        if self._part is None:
            main = self.document.part
            self._part = StoryPart(PackURI(PARTNAME), CT.WML_FOOTNOTES, parse_xml(SEPARATORS),
                                 main.package)
            main.relate_to(self._part, RT.FOOTNOTES)
        return self._part

    def add(self, paragraph: Paragraph) -> Paragraph:
        """A new note called at the end of `paragraph` (a footnote reference run): the
        note's own paragraph, for its text."""
        self.count += 1
        note_id = str(self.count)
        call = paragraph.add_run()
        call._r.get_or_add_rPr().style = REFERENCE
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), note_id)
        call._r.append(reference)
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), note_id)
        p = OxmlElement("w:p")
        note.append(p)
        self.part.element.append(note)
        p.get_or_add_pPr().style = TEXT
        text = Paragraph(p, self)
        mark = text.add_run()
        mark._r.get_or_add_rPr().style = REFERENCE
        mark._r.append(OxmlElement("w:footnoteRef"))
        text.add_run(" ")
        return text
