"""Who may read the preview: a secret token in every URL and a Host header naming this
machine's loopback address and port (so no other local user, and no web page through a DNS
name rebound to 127.0.0.1, can read a workspace through it)."""
from __future__ import annotations

import asyncio
import hmac
import secrets

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: bytes of randomness in the token (32 URL-safe characters)
TOKEN_BYTES = 24
#: the only address the preview listens on
HOST = "127.0.0.1"
#: what every response carries: nothing cached, no address (with its token) sent to a site a
#: document links to, no page framed by another site, no type guessed from the content
HEADERS = (
    (b"cache-control", b"no-store"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
)


def new_token() -> str:
    """A fresh secret for one run of the preview."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def allowed_hosts(port: int) -> frozenset[str]:
    """The Host headers a browser on this machine sends for the preview's address."""
    return frozenset({f"{HOST}:{port}", f"localhost:{port}"})


def host_allowed(host: str | None, port: int) -> bool:
    return host is not None and host.strip().lower() in allowed_hosts(port)


def token_allowed(path: str, token: str) -> bool:
    """Whether the path starts with `/<token>/` (or is `/<token>`), compared in constant time."""
    first = path.lstrip("/").split("/", 1)[0]
    return hmac.compare_digest(first.encode("utf-8", "surrogateescape"),
                               token.encode("ascii"))


class Guard:
    """ASGI middleware in front of every route: a wrong Host header is refused with 400, a
    missing or wrong token with 404 (the same answer as a page that does not exist), before
    anything of the workspace is looked at; every answer gets HEADERS."""

    def __init__(self, app: ASGIApp, token: str, port: int):
        self.app, self.token, self.port = app, token, port

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return
        host = _header(scope, b"host")
        if not host_allowed(host, self.port):
            await _refuse(send, 400, "This address is not the preview's (wrong Host header).")
            return
        if not token_allowed(scope.get("path", ""), self.token):
            await _refuse(send, 404, "Not found.")
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [h for h in message.get("headers", [])
                           if h[0].lower() not in {name for name, _ in HEADERS}]
                message = {**message, "headers": [*headers, *HEADERS]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except asyncio.CancelledError:
            # the preview is stopping (Ctrl-C) while this request waits for a document: it
            # is answered so, and that is no error to report
            if not started:
                await _refuse(send, 503, "The preview stopped.")


def _header(scope: Scope, name: bytes) -> str | None:
    values = [v for k, v in scope.get("headers", []) if k.lower() == name]
    if len(values) != 1:  # none, or two that could be read differently
        return None
    return bytes(values[0]).decode("latin-1")


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *HEADERS]})
    await send({"type": "http.response.body", "body": body})
