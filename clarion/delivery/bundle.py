"""`clarion print`: one PDF of the letters to post, a cover sheet first, each on an odd page."""
from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import ClarionError
from ..output.files import read_built, safe_join, sha256, write_atomic
from ..pipeline.build import make_one
from ..pipeline.jobs import Cover, Job
from ..pipeline.jobs import Letter as Listed
from ..pipeline.session import Session, session_of
from ..workspace.audience import addressees, copy_recipients, together
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
    if not chosen:
        raise ClarionError(f"no letter of {campaign} goes by post: every recipient has an "
                           "e-mail address; `clarion print --all` prints them all")
    letters: list[tuple[str | None, str, str, bytes, int]] = []
    for r in chosen:
        file = f"{r.id if r else campaign}.pdf"
        entry = p.manifest.get(file)
        data = read_built(p.folder, file, str(entry["sha256"])) if entry else None
        if data is None:
            raise ClarionError(f"build/{campaign}/{file} was not built; run "
                               f"`clarion build {campaign} --format pdf`")
        name = r.name if r else p.campaign.title
        letters.append((r.id if r else None, str(name), file, data,
                        len(PdfReader(io.BytesIO(data)).pages)))
    made = make_one(session, Job(campaign, None, ("pdf",), cover=Cover(tuple(
        Listed(name, file, pages) for _, name, file, _, pages in letters))))
    cover = made.outputs[0].data
    data, placed = _join(cover, letters)
    path = safe_join(p.out, campaign, PRINT, f"{campaign}.pdf")
    write_atomic(path, data)
    record = {"campaign": campaign, "file": f"{PRINT}/{campaign}.pdf", "sha256": sha256(data),
              "letters": [asdict(x) for x in placed]}
    write_atomic(safe_join(p.out, campaign, PRINT, f"{campaign}.json"),
                 (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    total = len(PdfReader(io.BytesIO(data)).pages)
    return Bundle(path, tuple(placed), total, tuple(p.warnings))


def _all_mailed(p: Prepared) -> bool:
    """A letter to several addressees together goes by post unless every one of them (and
    every copy recipient) receives it by e-mail."""
    if not together(p.campaign):
        return False
    people = [*addressees(p.ws, p.campaign), *copy_recipients(p.ws, p.campaign)]
    return bool(people) and all(r.email for r in people)


def _join(cover: bytes, letters: list[tuple[str | None, str, str, bytes, int]]
          ) -> tuple[bytes, list[Letter]]:
    """The cover, then each letter from an odd page on: a blank page pads an odd count."""
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter()
    placed: list[Letter] = []
    for index, (rid, name, file, data, pages) in enumerate([(None, "", "", cover, 0),
                                                            *letters]):
        if len(writer.pages) % 2:
            last = writer.pages[-1].mediabox
            writer.add_blank_page(width=float(last.width), height=float(last.height))
        first = len(writer.pages) + 1
        writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
        if index:
            placed.append(Letter(rid, name, file, sha256(data), pages, first))
    if len(writer.pages) % 2:
        last = writer.pages[-1].mediabox
        writer.add_blank_page(width=float(last.width), height=float(last.height))
    writer.add_metadata({"/Title": "Print bundle", "/Producer": "Clarion"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), placed
