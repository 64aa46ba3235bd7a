"""What a PDF or an e-mail draft holds besides its laid-out text, as text for the privacy scan."""
from __future__ import annotations

import io
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
