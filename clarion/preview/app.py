"""The preview's web application: its routes (the index, a document's page, its HTML and
PDF, the tags the pages poll), each behind the token and Host checks."""
from __future__ import annotations

import re
import secrets

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp

from . import pages
from .documents import Documents, Shown
from .mainthread import Stopped
from .security import Guard
from .state import Live, Snapshot

#: a campaign's or recipient's id (anything else is no document's)
ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}\Z")
#: the preview's pages: their own script and style only, frames of this server only
PAGE_POLICY = ("default-src 'none'; script-src 'nonce-{n}'; style-src 'nonce-{n}'; "
               "connect-src 'self'; frame-src 'self'; img-src 'self'; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'none'")
#: a document's HTML: no script at all (sandboxed), its own inline style and embedded images
DOCUMENT_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; "
                   "font-src data:; base-uri 'none'; form-action 'none'; "
                   "frame-ancestors 'self'; sandbox allow-popups "
                   "allow-popups-to-escape-sandbox")
#: a PDF, or the note shown in its place
PDF_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"


class Routes:
    """The handlers, reading the latest snapshot of `live` and the documents made."""

    def __init__(self, live: Live, documents: Documents, base: str):
        self.live, self.documents, self.base = live, documents, base

    def index(self, request: Request) -> Response:
        nonce = secrets.token_urlsafe(16)
        text = pages.index_page(self.live.snapshot, self.base, nonce)
        return HTMLResponse(text, headers={"content-security-policy":
                                           PAGE_POLICY.format(n=nonce)})

    def index_tag(self, request: Request) -> Response:
        return JSONResponse({"tag": pages.index_main(self.live.snapshot, self.base)[1]})

    def page(self, request: Request) -> Response:
        viewed = self._viewed(request)
        if isinstance(viewed, Response):
            return viewed
        nonce = secrets.token_urlsafe(16)
        snapshot, shown, (campaign, recipient), pdf = viewed
        text = pages.document_page(snapshot, shown, campaign, recipient, self.base, nonce, pdf)
        return HTMLResponse(text, headers={"content-security-policy":
                                           PAGE_POLICY.format(n=nonce)})

    def tag(self, request: Request) -> Response:
        viewed = self._viewed(request)
        if isinstance(viewed, Response):
            return viewed
        snapshot, shown, (campaign, recipient), pdf = viewed
        tag = pages.document_main(snapshot, shown, campaign, recipient, self.base, pdf)[1]
        return JSONResponse({"tag": tag})

    def _viewed(self, request: Request
                ) -> tuple[Snapshot, Shown, tuple[str, str | None], int] | Response:
        """What a document's page shows: the snapshot, the HTML made from it, the ids and
        the PDF's version (for the frame to reload when it changes); else the response."""
        found = _ids(request)
        if found is None:
            return _missing()
        snapshot = self.live.snapshot
        shown = self._get(snapshot, *found, "html")
        if shown is None:
            return _stopping()
        return snapshot, shown, found, self.documents.version(snapshot, *found, "pdf")

    def html(self, request: Request) -> Response:
        shown = self._shown(request, "html")
        if isinstance(shown, Response):
            return shown
        if shown.stops:
            return _stopped("HTML", shown)
        return Response(shown.data, media_type="text/html; charset=utf-8",
                        headers={"content-security-policy": DOCUMENT_POLICY})

    def pdf(self, request: Request) -> Response:
        shown = self._shown(request, "pdf")
        if isinstance(shown, Response):
            return shown
        if shown.stops:
            return _stopped("PDF", shown)
        return Response(shown.data, media_type="application/pdf",
                        headers={"content-security-policy": PDF_POLICY,
                                 "content-disposition": "inline"})

    def _shown(self, request: Request, fmt: str) -> Shown | Response:
        found = _ids(request)
        if found is None:
            return _missing()
        return self._get(self.live.snapshot, *found, fmt) or _stopping()

    def _get(self, snapshot: Snapshot, campaign: str, recipient: str | None,
             fmt: str) -> Shown | None:
        """The document, or None when the preview stops before it is made."""
        try:
            return self.documents.get(snapshot, campaign, recipient, fmt)
        except Stopped:
            return None


def _ids(request: Request) -> tuple[str, str | None] | None:
    campaign = request.path_params.get("campaign", "")
    recipient = request.path_params.get("recipient")
    if not ID.match(campaign) or (recipient is not None and not ID.match(recipient)):
        return None
    return campaign, recipient


def _missing() -> Response:
    return HTMLResponse(pages.missing_page(), status_code=404)


def _stopping() -> Response:
    return Response("The preview is stopping.", status_code=503, media_type="text/plain")


def _stopped(what: str, shown: Shown) -> Response:
    return HTMLResponse(pages.stop_page(what, shown.stops),
                        headers={"content-security-policy": PDF_POLICY})


def make_app(live: Live, token: str, port: int, documents: Documents | None = None) -> ASGIApp:
    """The application for one run: every route under `/<token>/`, behind the Guard."""
    base = f"/{token}"
    r = Routes(live, documents or Documents(), base)
    routes = [Route("/", r.index), Route("/tag", r.index_tag)]
    for what, handler in (("doc", r.page), ("tag", r.tag), ("html", r.html), ("pdf", r.pdf)):
        routes += [Route(f"/{what}/{{campaign}}", handler),
                   Route(f"/{what}/{{campaign}}/{{recipient}}", handler)]
    app = Starlette(routes=[Mount(base, routes=routes)])
    return Guard(app, token, port)
