"""The print bundle's cover sheet, made by a worker like every document: a template in the
organisation's language, laid out until the page numbers it lists are the right ones."""
from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from ..output.files import Output
from ..render import i18n, templating
from ..workspace.yamlio import read_workspace_file
from .jobs import Job

if TYPE_CHECKING:
    from .make import Notify, Worker

#: the cover is laid out again while its own length moves the letters; it settles at once
#: in practice, and never needs more than a few tries
MAX_TRIES = 5
TEMPLATE = "print-cover.html"


def starts(cover_pages: int, pages: list[int]) -> list[int]:
    """The first page of each letter after a cover of `cover_pages`, each from an odd page."""
    out, page = [], cover_pages + cover_pages % 2 + 1
    for count in pages:
        out.append(page)
        page += count + count % 2
    return out


def make_cover(worker: Worker, job: Job, notify: Notify) -> tuple[tuple[Output, ...],
                                                                 dict[str, Any]]:
    """The cover sheet's PDF; `extra["pages"]` is its page count."""
    from pypdf import PdfReader

    from ..output.pdf import write_pdf
    assert job.cover is not None
    ws = worker.ws
    language = ws.settings.language
    phrases = language if i18n.has_phrases(language) else "en"
    locale = i18n.locale_for(phrases, language, ws.settings.locale)
    env = templating.make_environment(ws.root, phrases, locale,
                                      links=worker.setup.options.allow_links)
    template = templating.load(env, TEMPLATE, ws.root)
    campaign = ws.campaigns[job.campaign]
    letters = list(job.cover.letters)
    cover_pages, pdf = 1, b""
    notify("layout")
    for _ in range(MAX_TRIES):
        placed = [{"name": x.name, "file": x.file, "pages": x.pages, "start": s}
                  for x, s in zip(letters, starts(cover_pages, [x.pages for x in letters]),
                                  strict=True)]
        html = templating.render(template, {
            "language": phrases, "title": campaign.title, "campaign": campaign.id,
            "organisation": str(ws.settings.organisation.name), "paper": ws.settings.build.paper,
            "letters": placed, "total_pages": sum(x.pages for x in letters)},
            ws.settings.limits.render_seconds, ws.root)
        pdf, _ = write_pdf(html, ws.root, {"title": campaign.title, "language": phrases,
                                           "author": str(ws.settings.organisation.name),
                                           "created": campaign.date},
                           identity=f"{job.campaign}/print", source=f"{job.campaign}/print",
                           secrets=worker.secrets, font_config=worker.font_config(),
                           allow_links=worker.setup.options.allow_links,
                           read_file=read_workspace_file, trace=worker.trace)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        if pages == cover_pages:
            break
        cover_pages = pages
    output = Output("cover.pdf", "pdf", None, phrases, pdf, "")
    return (output,), {"pages": cover_pages}
