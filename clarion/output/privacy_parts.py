"""What a PDF or an e-mail draft holds, as text for the privacy scan: a laid-out document's
text, bookmarks and links; a written PDF's metadata, outline, links and attached files; an
e-mail draft's headers and parts."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

#: the most outline entries (bookmarks) and e-mail parts read
MAX_OUTLINE = 100_000
MAX_PARTS = 1000


def pdf_parts(pdf: bytes) -> list[tuple[str, str]]:
    """(where, text) of what a PDF holds besides its pages: the document information, the XMP
    metadata, the outline (bookmarks), every link target and every attached file (name,
    description and content)."""
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(pdf))
    parts = [("the PDF metadata", " ".join(str(v) for v in (reader.metadata or {}).values()))]
    root: Any = reader.trailer["/Root"]
    xmp = root.get_object().get("/Metadata")
    if xmp is not None:
        parts.append(("the PDF's XMP metadata",
                      xmp.get_object().get_data().decode("utf-8", "replace")))
    titles: list[str] = []
    _outline(reader.outline, titles)
    if titles:
        parts.append(("the PDF's outline (bookmarks)", "\n".join(titles)))
    targets = [str(action.get("/URI", "")) for page in reader.pages
               for annot in page.get("/Annots") or []
               for action in [annot.get_object().get("/A") or {}]
               if hasattr(action, "get")]
    if any(targets):
        parts.append(("the PDF's link targets", "\n".join(t for t in targets if t)))
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



def _outline(items: Any, titles: list[str]) -> None:
    """The title of every bookmark, nested ones too (pypdf gives lists within lists)."""
    for item in items:
        if len(titles) >= MAX_OUTLINE:
            return
        if isinstance(item, list):
            _outline(item, titles)
        else:
            titles.append(str(getattr(item, "title", "") or item.get("/Title", "")))


def email_parts(eml: bytes) -> list[tuple[str, str]]:
    """(where, text) of an e-mail draft: its headers (decoded), each text part, each attached
    file's name, and the text of an attached PDF (its pages and `pdf_parts`)."""
    from email import message_from_bytes, policy
    msg = message_from_bytes(eml, policy=policy.default)
    parts = [("the e-mail headers", "\n".join(f"{k}: {v}" for k, v in msg.items()))]
    for i, part in enumerate(msg.walk()):
        if i >= MAX_PARTS:
            break
        if part.is_multipart():
            continue
        where = f"the e-mail part {i} ({part.get_content_type()})"
        name = part.get_filename() or ""
        headers = "\n".join(f"{k}: {v}" for k, v in part.items())
        data = part.get_payload(decode=True)
        content = data if isinstance(data, bytes) else b""
        if part.get_content_maintype() == "text":
            parts.append((where, f"{headers}\n{_decoded(content)}"))
        elif part.get_content_type() == "application/pdf":
            parts.append((where, f"{headers}\n{name}"))
            parts += [(f"{where}, page text", t) for t in pdf_page_texts(content)]
            parts += [(f"{where}, {w}", t) for w, t in pdf_parts(content)]
        else:
            parts.append((where, f"{headers}\n{name}"))
    return parts


def pdf_page_texts(pdf: bytes) -> list[str]:
    """The text of each page of a PDF, as pypdf extracts it."""
    from pypdf import PdfReader
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


@dataclass
class _Pages:
    """What the walk over a laid-out document found."""

    lines: list[str] = field(default_factory=list)    # every line's text
    shown: list[str] = field(default_factory=list)    # its visible text only
    svg: bool = False                                  # an SVG image is drawn


def laid_out_texts(rendered: Any) -> list[str]:
    """The text WeasyPrint laid out, page by page: lines joined both with and without a space
    (for words broken across lines), once with all their text and once with only what can be
    seen (a transparent, tiny, `visibility: hidden` or off-page span that splits a value is in
    the first, not the second); then every bookmark's label, every link's target and the
    metadata it will write."""
    texts: list[str] = []
    for page in rendered.pages:
        found = _walk(page._page_box)
        for lines in (found.lines, found.shown):
            texts += [" ".join(lines), "".join(lines)]
        texts.append("\n".join(str(mark[1]) for mark in page.bookmarks))
        texts.append("\n".join(str(link[1]) for link in page.links))
    meta = rendered.metadata
    texts += [str(v) for v in (meta.title, meta.description, meta.generator, meta.lang) if v]
    texts += [str(v) for v in [*meta.authors, *meta.keywords, *meta.custom.values()]]
    return texts


def draws_svg(rendered: Any) -> bool:
    """Whether an SVG image is drawn (as an image, a background or a marker): its text is
    drawn as PDF text without being laid out, so that it is read back from the written PDF."""
    return any(_walk(page._page_box).svg for page in rendered.pages)


#: text smaller than this (CSS px) cannot be read
MIN_FONT_SIZE = 1.0


def _seen(box: Any, page: Any) -> bool:
    """Whether a laid-out piece of text can be seen: visible, not transparent, not too small
    to read, and on the page."""
    style = box.style
    x, y = box.position_x, box.position_y
    return (style["visibility"] == "visible" and getattr(style["color"], "alpha", 1) > 0
            and float(style["font_size"]) >= MIN_FONT_SIZE
            and x + box.width > 0 and y + box.height > 0
            and x < page.margin_width() and y < page.margin_height())


def _walk(page_box: Any) -> _Pages:
    from weasyprint.formatting_structure.boxes import LineBox, TextBox
    from weasyprint.images import SVGImage
    found = _Pages()
    todo: list[tuple[Any, bool]] = [(page_box, True)]
    while todo:
        box, visible = todo.pop()
        style = box.style
        visible = visible and float(style["opacity"]) > 0
        if isinstance(box, LineBox):
            found.lines.append("")
            found.shown.append("")
        elif isinstance(box, TextBox) and found.lines:
            found.lines[-1] += box.text
            if visible and _seen(box, page_box):
                found.shown[-1] += box.text
        if isinstance(getattr(box, "replacement", None), SVGImage) or any(
                isinstance(layer.image, SVGImage)
                for layer in getattr(getattr(box, "background", None), "layers", ())):
            found.svg = True
        todo += [(child, visible) for child in reversed(getattr(box, "children", ()) or ())]
    return found
