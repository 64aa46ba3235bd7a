"""Clarion's own remote fetch: one lookup, the checked address connected to, no redirects.

No test here reaches the internet: a server on 127.0.0.1 stands in for a public host, with a
resolver and an address check injected into `fetch_remote`.
"""
from __future__ import annotations

import http.server
import re
import socket
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest

from clarion.output.network import RemoteRefused, fetch_remote
from clarion.output.network import public_address as _public


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[tuple[str, str | None]]] = []

    def do_GET(self) -> None:
        _Handler.seen.append((self.path, self.headers.get("Host")))
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return
        body = b"IMAGE-BYTES" * (100 if self.path == "/big" else 1)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[int]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Handler.seen.clear()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def _resolver(answers: list[str]):
    """A resolver that gives the next answer at each call (a rebinding name server)."""
    calls: list[str] = []

    def resolve(host: str, port: int, **kwargs: object) -> list[tuple[object, ...]]:
        calls.append(host)
        address = answers[min(len(calls) - 1, len(answers) - 1)]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
    return resolve, calls


def test_private_and_local_addresses_are_not_public() -> None:
    for address in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1",
                    "fe80::1", "::ffff:127.0.0.1", "0.0.0.0", "100.64.0.1", "224.0.0.1"):
        assert not _public(address), address
    assert _public("8.8.8.8") and _public("2606:4700::1111")


def test_refused_before_any_connection_when_the_name_is_local(server: int) -> None:
    resolve, calls = _resolver(["127.0.0.1"])
    with pytest.raises(RemoteRefused, match=r"example\.org is a local or private address"):
        fetch_remote(f"http://example.org:{server}/x.png", resolver=resolve)
    assert calls == ["example.org"] and _Handler.seen == []


def test_one_private_address_among_public_ones_is_refused() -> None:
    def resolve(host: str, port: int, **kwargs: object) -> list[tuple[object, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                for a in ("8.8.8.8", "10.0.0.5")]
    with pytest.raises(RemoteRefused, match="local or private"):
        fetch_remote("http://example.org/x.png", resolver=resolve)


def test_the_checked_address_is_the_one_connected_to(server: int) -> None:
    """DNS rebinding: the name answers 'public' first and the local address after. Clarion
    looks it up once and connects to what it checked; the Host header names the host."""
    resolve, calls = _resolver(["127.0.0.1", "10.0.0.1"])
    checked: list[str] = []

    def public(address: str) -> bool:  # the test server stands in for a public host
        checked.append(address)
        return address == "127.0.0.1"

    data, kind = fetch_remote(f"http://photos.example.org:{server}/p.png", resolver=resolve,
                              public=public)
    assert data == b"IMAGE-BYTES" and kind == "image/png"
    assert calls == ["photos.example.org"] and checked == ["127.0.0.1"]
    assert _Handler.seen == [("/p.png", f"photos.example.org:{server}")]


def test_connections_go_to_the_pinned_address_only(monkeypatch: pytest.MonkeyPatch) -> None:
    resolve, calls = _resolver(["8.8.8.8", "127.0.0.1"])
    tried: list[object] = []

    def connect(address: object, *args: object, **kwargs: object) -> socket.socket:
        tried.append(address)
        raise OSError("no network in tests")

    monkeypatch.setattr(socket, "create_connection", connect)
    with pytest.raises(RemoteRefused, match="cannot be fetched"):
        fetch_remote("https://example.org/x.png", resolver=resolve)
    assert tried == [("8.8.8.8", 443)] and calls == ["example.org"]


def test_redirects_are_not_followed(server: int) -> None:
    resolve, _ = _resolver(["127.0.0.1"])
    with pytest.raises(RemoteRefused, match=re.escape(
            "redirect to http://169.254.169.254/latest/meta-data/ not followed")):
        fetch_remote(f"http://example.org:{server}/redirect", resolver=resolve,
                     public=lambda a: True)
    assert [p for p, _ in _Handler.seen] == ["/redirect"]


def test_size_is_capped(server: int) -> None:
    resolve, _ = _resolver(["127.0.0.1"])
    with pytest.raises(RemoteRefused, match="larger than"):
        fetch_remote(f"http://example.org:{server}/big", resolver=resolve,
                     public=lambda a: True, max_bytes=500)
