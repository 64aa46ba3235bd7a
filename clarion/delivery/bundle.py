"""`clarion print`: one PDF of the letters to post, a cover sheet first, each on an odd page
(and a copy's letter on an odd page after its cover note)."""
from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import ClarionError
from ..output.files import read_built, safe_join, sha256, write_atomic
from ..pipeline.build import make_one
from ..pipeline.jobs import Cover, Job
from ..pipeline.jobs import Letter as Listed
from ..pipeline.session import Session, session_of
from ..workspace.audience import addressees, copy_of, copy_recipients, together
from ..workspace.model import Recipient
from .prepare import Prepared, prepare

PRINT = "print"


@dataclass(frozen=True)
class Letter:
    """One letter in the bundle."""

    recipient: str | None
    name: str
    file: str          # the PDF's name in build/<campaign>/
    sha256: str
    pages: int
    first_page: int    # where it starts in the bundle (1-based; always odd)
    #: a copy: where the copied letter starts after its cover note (odd too; a blank page
    #: after a cover note that ends on an odd page)
    copy_page: int | None = None


@dataclass(frozen=True)
class Bundle:
    path: Path
    letters: tuple[Letter, ...]
    pages: int
    warnings: tuple[str, ...]


def print_bundle(where: Path | Session, campaign: str, every: bool = False) -> Bundle:
    """Build what is missing, then join the letters to post (all with `every`) into one PDF.
    Nothing else in the campaign's folder is touched."""
    from pypdf import PdfReader
    session = session_of(where)
    p = prepare(session, campaign, (), ("pdf",))
    chosen = [r for r in p.recipients if every or (r is None and not _all_mailed(p))
              or (r is not None and not r.email)]
    unaddressed = [r for r in chosen if r is not None and not _has_address(r)]
    warnings = [*p.warnings, *(f"warning: {campaign}/{r.id}: left out of the print bundle: "
                               f"{r.id} has no postal address (add `address:` to its record "
                               "to post the letter)" for r in unaddressed)]
    chosen = [r for r in chosen if r not in unaddressed]
    if not chosen:
        raise ClarionError(f"no letter of {campaign} goes by post: every recipient has an "
                           "e-mail address" + (" or no postal address" if unaddressed else "")
                           + "; `clarion print --all` prints every letter with an address")
    letters: list[_Piece] = []
    for r in chosen:
        file = f"{r.id if r else campaign}.pdf"
        entry = p.manifest.get(file)
        data = read_built(p.folder, file, str(entry["sha256"])) if entry else None
        if data is None:
            raise ClarionError(f"build/{campaign}/{file} was not built; run "
                               f"`clarion build {campaign} --format pdf`")
        name = r.name if r else p.campaign.title
        copy = r is not None and copy_of(p.ws, p.campaign, r) is not None
        letters.append(_piece(r.id if r else None, str(name), file, data, copy))
    # the cover lists each letter with the pages it takes in the bundle (a blank page after
    # a cover note included), so that the first pages it names are where the letters are
    made = make_one(session, Job(campaign, None, ("pdf",), cover=Cover(tuple(
        Listed(x.name, x.file, x.pages + (x.blank is not None)) for x in letters))))
    cover = made.outputs[0].data
    data, placed = _join(cover, letters)
    path = safe_join(p.out, campaign, PRINT, f"{campaign}.pdf")
    write_atomic(path, data)
    record = {"campaign": campaign, "file": f"{PRINT}/{campaign}.pdf", "sha256": sha256(data),
              "letters": [asdict(x) for x in placed]}
    write_atomic(safe_join(p.out, campaign, PRINT, f"{campaign}.json"),
                 (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    total = len(PdfReader(io.BytesIO(data)).pages)
    return Bundle(path, tuple(placed), total, tuple(warnings))


def _all_mailed(p: Prepared) -> bool:
    """A letter to several addressees together goes by post unless every one of them (and
    every copy recipient) receives it by e-mail."""
    if not together(p.campaign):
        return False
    people = [*addressees(p.ws, p.campaign), *copy_recipients(p.ws, p.campaign)]
    return bool(people) and all(r.email for r in people)


@dataclass(frozen=True)
class _Piece:
    """One letter to place: its PDF, and where a blank page goes inside it (None: nowhere)."""

    recipient: str | None
    name: str
    file: str
    data: bytes
    pages: int
    blank: int | None = None    # 0-based: a blank page before this page of the letter


def _piece(rid: str | None, name: str, file: str, data: bytes, copy: bool) -> _Piece:
    """A letter, and for a copy the blank page that puts the copied letter on a recto:
    the letter starts on an odd page, so a cover note of an odd number of pages (one,
    mostly) needs a blank page after it to start the copy on the front of a sheet."""
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(data))
    start = _copy_start(reader) if copy else 0
    return _Piece(rid, name, file, data, len(reader.pages), start if start % 2 else None)


def _copy_start(reader: Any) -> int:
    """The page (0-based) where the copied letter starts after its cover note: the page of
    its first bookmark (the letter's subject heading; the cover note has none), else the
    second page (the copied letter always starts on a new page)."""
    try:
        outline = [item for item in reader.outline if not isinstance(item, list)]
        if outline:
            page = int(reader.get_destination_page_number(outline[0]))
            if 0 < page < len(reader.pages):
                return page
    except (KeyError, ValueError, TypeError, AttributeError):
        pass
    return 1 if len(reader.pages) > 1 else 0


def _has_address(r: Recipient) -> bool:
    """Whether the recipient has a postal address to print in the envelope's window."""
    return any(str(line).strip() for line in r.address)


def _join(cover: bytes, letters: list[_Piece]) -> tuple[bytes, list[Letter]]:
    """The cover, then each letter from an odd page on: a blank page pads an odd count (and
    goes after a copy's cover note when the copied letter would start on an even page)."""
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter()
    placed: list[Letter] = []

    def pad() -> None:
        last = writer.pages[-1].mediabox
        writer.add_blank_page(width=float(last.width), height=float(last.height))

    for index, x in enumerate([_Piece(None, "", "", cover, 0), *letters]):
        if len(writer.pages) % 2:
            pad()
        first = len(writer.pages) + 1
        reader = PdfReader(io.BytesIO(x.data))
        if x.blank is None:
            writer.append(reader, import_outline=False)
        else:
            writer.append(reader, pages=(0, x.blank), import_outline=False)
            pad()
            writer.append(reader, pages=(x.blank, len(reader.pages)), import_outline=False)
        if index:
            copy_page = None if x.blank is None else first + x.blank + 1
            placed.append(Letter(x.recipient, x.name, x.file, sha256(x.data), x.pages, first,
                                 copy_page))
    if len(writer.pages) % 2:
        pad()
    writer.add_metadata({"/Title": "Print bundle", "/Producer": "Clarion"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), placed
