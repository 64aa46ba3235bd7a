"""`clarion print`: one PDF of the letters to post, a cover sheet first, each on an odd page."""
from __future__ import annotations

import html
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import ClarionError
from ..output.files import safe_join, sha256, write_atomic
from ..workspace.model import Workspace
from .prepare import prepare

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


def print_bundle(root: Path, campaign: str, every: bool = False,
                 out: Path | None = None) -> Bundle:
    """Build what is missing, then join the letters to post (all with `every`) into one PDF."""
    from pypdf import PdfReader
    p = prepare(root, campaign, (), ("pdf",), out)
    chosen = [r for r in p.recipients if every or r is None or not r.email]
    if not chosen:
        raise ClarionError(f"no letter of {campaign} goes by post: every recipient has an "
                           "e-mail address; `clarion print --all` prints them all")
    letters: list[tuple[str | None, str, str, bytes, int]] = []
    for r in chosen:
        file = f"{r.id if r else campaign}.pdf"
        path = p.folder / file
        if file not in p.manifest or not path.is_file() or path.is_symlink():
            raise ClarionError(f"build/{campaign}/{file} was not built; run "
                               f"`clarion build {campaign} --format pdf`")
        data = path.read_bytes()
        name = r.name if r else p.campaign.title
        letters.append((r.id if r else None, str(name), file, data,
                        len(PdfReader(io.BytesIO(data)).pages)))
    cover_pages = 1
    while True:  # the cover lists where each letter starts, which depends on its own length
        cover = _cover_pdf(p.ws, campaign, p.campaign.title, letters,
                           _starts(cover_pages, letters))
        if len(_pages(cover)) == cover_pages:
            break
        cover_pages = len(_pages(cover))
    data, placed = _join(cover, letters)
    path = safe_join(p.out, campaign, PRINT, f"{campaign}.pdf")
    write_atomic(path, data)
    record = {"campaign": campaign, "file": f"{PRINT}/{campaign}.pdf", "sha256": sha256(data),
              "letters": [asdict(x) for x in placed]}
    write_atomic(safe_join(p.out, campaign, PRINT, f"{campaign}.json"),
                 (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    total = sum(1 for _ in _pages(data))
    return Bundle(path, tuple(placed), total, tuple(p.warnings))


def _starts(cover_pages: int, letters: list[tuple[str | None, str, str, bytes, int]]
            ) -> list[int]:
    """The first page of each letter after a cover of `cover_pages`, each padded to even."""
    starts, page = [], cover_pages + cover_pages % 2 + 1
    for *_, pages in letters:
        starts.append(page)
        page += pages + pages % 2
    return starts


def _pages(data: bytes) -> list[object]:
    from pypdf import PdfReader
    return list(PdfReader(io.BytesIO(data)).pages)


def _join(cover: bytes,
          letters: list[tuple[str | None, str, str, bytes, int]]) -> tuple[bytes, list[Letter]]:
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


def _cover_pdf(ws: Workspace, campaign: str, title: str,
               letters: list[tuple[str | None, str, str, bytes, int]], starts: list[int]
               ) -> bytes:
    """A list of the letters, their page counts and first pages, rendered with WeasyPrint."""
    from ..output.pdf import write_pdf
    rows = "".join(f"<tr><td>{i}</td><td>{html.escape(name)}</td><td>{html.escape(file)}</td>"
                   f"<td class=n>{pages}</td><td class=n>{start}</td></tr>"
                   for i, ((_, name, file, _, pages), start)
                   in enumerate(zip(letters, starts, strict=True), 1))
    paper = getattr(ws.settings.build, "paper", "A4")
    page = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Print bundle"
            f"</title><style>@page {{ size: {paper}; margin: 20mm }} body {{ font-family: "
            "sans-serif; font-size: 10pt }} table { border-collapse: collapse; width: 100% } "
            "td, th { border-bottom: 0.5pt solid #999; padding: 2pt 4pt; text-align: left } "
            ".n { text-align: right }</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>Print bundle of <b>{html.escape(campaign)}</b>: "
            f"{len(letters)} letter(s), {sum(x[4] for x in letters)} page(s); each letter "
            "starts on an odd page (print double-sided).</p><table><thead><tr><th>#</th>"
            "<th>Recipient</th><th>File</th><th class=n>Pages</th><th class=n>Starts on page</th></tr></thead><tbody>"
            f"{rows}</tbody></table></body></html>")
    metadata = {"title": f"Print bundle: {title}", "author": str(ws.settings.organisation.name),
                "language": "en", "created": ws.campaigns[campaign].date}
    pdf, _ = write_pdf(page, ws.root, metadata, identity=f"{campaign}/print",
                       source=f"{campaign}/print")
    return pdf
