"""What a .docx holds, as text for the privacy scan: the body, footnotes, headers and footers,
the file's properties, link targets and any other XML part, each read back from the file."""
from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

#: the most parts read, and the most bytes of one part unpacked (a zip bomb stops here)
MAX_PARTS = 1000
MAX_PART_BYTES = 64 * 2**20
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: WordprocessingML's paragraphs, breaks and tabs: where words end
ENDS_WORD = {f"{W}p": "\n", f"{W}br": "\n", f"{W}cr": "\n", f"{W}tab": "\t"}
TEXT = {f"{W}t", f"{W}delText", f"{W}instrText"}
#: parts whose text a reader sees, named as the scan reports them
SHOWN = (("word/document.xml", "the body"), ("word/footnotes.xml", "the footnotes"),
         ("word/endnotes.xml", "the endnotes"), ("word/comments.xml", "the comments"),
         ("docProps/core.xml", "the file's properties"),
         ("docProps/app.xml", "the file's application properties"),
         ("docProps/custom.xml", "the file's custom properties"))
HEADER_FOOTER = re.compile(r"word/(header|footer)\d*\.xml")


def docx_parts(data: bytes) -> list[tuple[str, str]]:
    """(where, text) of every part of a .docx a reader could meet: the text of the body,
    footnotes, headers, footers and properties, the targets of its links, and every other
    XML part as it is (a value hidden in a part Clarion does not know is still found)."""
    parts: list[tuple[str, str]] = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()[:MAX_PARTS]
        names = {i.filename for i in infos}
        for name, where in SHOWN:
            if name in names:
                parts.append((where, _text(_read(z, name))))
        for info in infos:
            name = info.filename
            page = HEADER_FOOTER.fullmatch(name)
            if page:
                parts.append((f"the page {page.group(1)} ({name})", _text(_read(z, name))))
            elif name.endswith(".rels"):
                parts.append((f"the link targets ({name})", _read(z, name).decode(
                    "utf-8", "replace")))
            elif name.endswith(".xml") and name not in dict(SHOWN):
                parts.append((f"the part {name}", _text(_read(z, name))))
    return parts


def _read(z: zipfile.ZipFile, name: str) -> bytes:
    """One part, at most MAX_PART_BYTES unpacked (zipfile reads no more than the size the
    entry declares)."""
    if z.getinfo(name).file_size > MAX_PART_BYTES:
        raise ValueError(f"{name}: a part larger than {MAX_PART_BYTES // 2**20} MB")
    return z.read(name)


def _text(xml: bytes) -> str:
    """The text of an XML part: WordprocessingML's runs joined into words and lines, any
    other element's text and attribute values as they are."""
    root = ElementTree.fromstring(xml)
    out: list[str] = []
    _walk(root, out)
    return re.sub(r"[ \t]*\n[ \t\n]*", "\n", "".join(out)).strip()


def _walk(el: ElementTree.Element, out: list[str]) -> None:
    if el.tag in TEXT:
        out.append(el.text or "")
    elif not str(el.tag).startswith(W):
        out.append(" ".join([el.text or "", *(v for v in el.attrib.values())]) + " ")
    for child in el:
        _walk(child, out)
        if not str(child.tag).startswith(W) and child.tail:
            out.append(child.tail)
    if el.tag in ENDS_WORD:
        out.append(ENDS_WORD[el.tag])
