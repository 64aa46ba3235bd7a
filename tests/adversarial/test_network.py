"""Every outgoing connection: one lookup, the checked address connected to, no redirects; each
local or private address form refused (remote images and the timestamp server alike) unless
the user allows the local network for the run.

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

from clarion.output.network import (
    AddressRefused,
    RemoteRefused,
    address_check,
    fetch_remote,
    pinned_address,
)
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


# --- the address check, form by form ----------------------------------------------------------

#: (address, what it is): every one leads to a local or private place, or may
REFUSED = [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("10.0.0.1", "private"),
    ("172.16.5.4", "private"), ("192.168.1.1", "private"), ("169.254.169.254", "link-local"),
    ("0.0.0.0", "unspecified"), ("224.0.0.251", "multicast"), ("240.0.0.1", "reserved"),
    ("255.255.255.255", "broadcast"), ("100.64.0.1", "shared (100.64/10)"),
    ("100.127.255.254", "shared (100.64/10)"), ("192.0.2.1", "documentation"),
    ("198.18.0.1", "benchmarking"), ("::1", "IPv6 loopback"), ("::", "IPv6 unspecified"),
    ("fe80::1", "IPv6 link-local"), ("fe80::1%eth0", "IPv6 link-local with a zone"),
    ("fc00::1", "unique-local"), ("fd12:3456::1", "unique-local"), ("fec0::1", "site-local"),
    ("ff02::1", "IPv6 multicast"), ("2001:db8::1", "documentation"),
    ("::ffff:127.0.0.1", "IPv4-mapped loopback"), ("::ffff:10.0.0.1", "IPv4-mapped private"),
    ("::ffff:169.254.169.254", "IPv4-mapped link-local"),
    ("::127.0.0.1", "IPv4-compatible loopback"), ("::10.0.0.1", "IPv4-compatible private"),
    ("::8.8.8.8", "IPv4-compatible (deprecated, never used)"),
    ("64:ff9b::7f00:1", "NAT64 of 127.0.0.1"), ("64:ff9b::a00:1", "NAT64 of 10.0.0.1"),
    ("64:ff9b::a9fe:a9fe", "NAT64 of 169.254.169.254"),
    ("64:ff9b:1::808:808", "local-use NAT64 (64:ff9b:1::/48)"),
    ("2002:7f00:1::1", "6to4 of 127.0.0.1"), ("2002:c0a8:101::1", "6to4 of 192.168.1.1"),
    ("2002:a9fe:a9fe::", "6to4 of 169.254.169.254"), ("2002::1", "6to4 of 0.0.0.0"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"), ("2001::1", "Teredo"),
    ("100::1", "discard"), ("not-an-address", "not an address"),
]
ALLOWED = ["8.8.8.8", "1.1.1.1", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808",
           "2002:808:808::1"]


@pytest.mark.parametrize("address,what", REFUSED, ids=[a for a, _ in REFUSED])
def test_each_local_form_is_refused(address: str, what: str) -> None:
    assert not _public(address), what
    resolve, calls = _resolver([address])
    with pytest.raises(AddressRefused, match=r"example\.org is a local or private address"):
        pinned_address("example.org", 443, resolve)
    assert calls == ["example.org"]


@pytest.mark.parametrize("address", ALLOWED)
def test_public_forms_pass(address: str) -> None:
    resolve, _ = _resolver([address])
    assert _public(address) and pinned_address("example.org", 443, resolve) == address


def test_the_local_network_only_when_the_user_allows_it() -> None:
    resolve, _ = _resolver(["127.0.0.1"])
    assert pinned_address("tsa.example.org", 80, resolve, address_check(True)) == "127.0.0.1"
    with pytest.raises(AddressRefused, match="--allow-local-network"):
        pinned_address("tsa.example.org", 80, resolve, address_check(False))


# --- the timestamp server goes through the same check ----------------------------------------

class _TSA(http.server.BaseHTTPRequestHandler):
    asked: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        _TSA.asked.append(self.path)
        self.send_response(500)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tsa() -> Iterator[str]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _TSA)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _TSA.asked.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/tsa"
    httpd.shutdown()
    httpd.server_close()


def test_a_timestamp_server_on_a_local_address_is_never_asked(make_ws, cli, tsa,
                                                              monkeypatch) -> None:
    from test_signing import signed_ws
    monkeypatch.setenv("XDG_CONFIG_HOME", str(make_ws().parent / "xdg"))
    ws = signed_ws(make_ws, f"  tsa_url: {tsa}\n")  # and no `allow_remote` (false)
    result = cli(ws, "build", "--format", "pdf", "--key", str(ws / "keys/org.key.pem"))
    assert result.exit_code == 1
    assert f"signing.tsa_url: the timestamp server {tsa} was not asked: 127.0.0.1 is a local " \
        "or private address" in result.stderr
    assert _TSA.asked == [] and not list((ws / "build").rglob("*.pdf"))
    # allowed for one run: the server is asked (and this one fails, cleanly)
    result = cli(ws, "--allow-local-network", "build", "--format", "pdf", "--key",
                 str(ws / "keys/org.key.pem"))
    assert result.exit_code == 1 and "could not be signed" in result.stderr
    assert _TSA.asked == ["/tsa"]


def test_the_timestamp_request_is_pinned_to_the_checked_address(monkeypatch) -> None:
    """The name is looked up once, by Clarion; pyHanko's own HTTP client is never used."""
    import asyncio

    from clarion.output.keys import SigningError
    from clarion.output.signing import pinned_timestamper
    looked_up: list[str] = []

    def resolve(host: str, port: int, **kwargs: object) -> list[tuple[object, ...]]:
        looked_up.append(host)
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("64:ff9b::a9fe:a9fe", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    stamper = pinned_timestamper("https://tsa.example.org/")
    with pytest.raises(SigningError, match=r"tsa\.example\.org is a local or private address"):
        asyncio.run(stamper.async_timestamp(b"\0" * 32, "sha256"))
    assert looked_up == ["tsa.example.org"]


def test_a_remote_image_on_a_local_address_is_left_out(tmp_path, server: int) -> None:
    from clarion.output.pdf import write_pdf
    html = (f'<p>text</p><img src="http://127.0.0.1:{server}/p.png">'
            f'<img src="http://[::ffff:127.0.0.1]:{server}/q.png">')
    _, refused = write_pdf(html, tmp_path, {}, "x", allow_remote=True)
    assert _Handler.seen == [] and len(refused) == 2
    assert all("is a local or private address" in r for r in refused)
    _, refused = write_pdf(html, tmp_path, {}, "x", allow_remote=True, allow_local_network=True)
    # (whether the IPv4-mapped form connects depends on the machine's IPv6 set-up)
    assert [p for p, _ in _Handler.seen][:1] == ["/p.png"]
