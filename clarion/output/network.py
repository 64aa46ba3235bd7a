"""Every outgoing connection a document makes (remote images, the timestamp server): the
address check, one lookup pinned to the address checked, and the request itself."""
from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from ..limits import FETCH_SECONDS, MAX_FETCH_BYTES

Resolver = Callable[..., list[tuple[Any, ...]]]
IP = ipaddress.IPv4Address | ipaddress.IPv6Address

#: IPv4 ranges that are never the public internet, whatever Python's tables say (they changed
#: between releases): this network, private, shared (carrier-grade NAT), loopback, link-local,
#: IETF protocol assignments, documentation, the 6to4 relay, benchmarking, multicast, reserved
_LOCAL_V4 = tuple(ipaddress.IPv4Network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
    "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4"))
#: IPv6 ranges refused outright: unspecified and loopback, IPv4-compatible (`::a.b.c.d`,
#: deprecated), discard, local-use NAT64 (64:ff9b:1::/48, RFC 8215), IETF protocol
#: assignments with Teredo (2001::/32, which tunnels to any IPv4 address), documentation,
#: unique-local, site-local, link-local, multicast
_LOCAL_V6 = tuple(ipaddress.IPv6Network(n) for n in (
    "::/96", "100::/64", "64:ff9b:1::/48", "2001::/23", "2001:db8::/32", "fc00::/7",
    "fec0::/10", "fe80::/10", "ff00::/8"))
#: IPv6 forms that carry an IPv4 address the connection really goes to: IPv4-mapped, NAT64
#: (well-known prefix) and 6to4; the IPv4 address inside must be public
_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_SIXTOFOUR = ipaddress.IPv6Network("2002::/16")


class RemoteRefused(Exception):
    """A remote request that is not made, or that failed, and why."""


class AddressRefused(RemoteRefused):
    """A remote request not made at all: the host is unknown, or an address is not allowed."""


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped, NAT64 or 6to4 address leads to, else None."""
    if ip in _MAPPED or ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _SIXTOFOUR:
        return ipaddress.IPv4Address((int(ip) >> 80) & 0xFFFFFFFF)
    return None


def public_address(address: str) -> bool:
    """An address on the public internet: not private, loopback, link-local, unspecified,
    multicast, reserved, shared (100.64/10), documentation; for IPv6 not unique- or site-local,
    Teredo (2001::/32), local-use NAT64 (64:ff9b:1::/48) or IPv4-compatible (`::a.b.c.d`), and
    for IPv4-mapped, NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses, the IPv4 address
    inside is checked the same way. Anything that is not an address is not public."""
    try:
        ip: IP = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None:
            return public_address(str(inner))
        if any(ip in net for net in _LOCAL_V6):
            return False
    elif any(ip in net for net in _LOCAL_V4):
        return False
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_private
                                 or ip.is_loopback or ip.is_link_local or ip.is_unspecified)


def any_address(address: str) -> bool:
    """The check with `--allow-local-network`: every address may be connected to."""
    return True


def address_check(allow_local_network: bool) -> Callable[[str], bool]:
    """The check every outgoing connection goes through for this run."""
    return any_address if allow_local_network else public_address


def pinned_address(host: str, port: int, resolver: Resolver | None = None,
                   public: Callable[[str], bool] = public_address) -> str:
    """Look `host` up once; every address it has must pass `public`. Returns the one to use."""
    try:  # the system's resolver as it is at the call (not at import)
        infos = (resolver or socket.getaddrinfo)(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError):
        raise AddressRefused("host not found") from None
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise AddressRefused("host not found")
    if not all(public(a) for a in addresses):
        raise AddressRefused(f"{host} is a local or private address; allow it for one run "
                             "with `clarion --allow-local-network`")
    return addresses[0]


def request_remote(url: str, body: bytes | None = None, headers: Mapping[str, str] | None = None,
                   resolver: Resolver | None = None,
                   public: Callable[[str], bool] = public_address, timeout: float = FETCH_SECONDS,
                   max_bytes: int = MAX_FETCH_BYTES) -> tuple[bytes, str]:
    """GET (or, with `body`, POST) an http(s) URL the way Clarion allows: the host is looked up
    once, all its addresses must pass `public`, and the connection goes to the address that
    was checked (so a name that answers differently the second time — DNS rebinding — cannot
    lead to the machine's own network); HTTPS is verified against the host name (SNI),
    redirects are not followed and at most `max_bytes` are read. Returns (bytes, content
    type); raises RemoteRefused."""
    import http.client
    import ssl
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), parts.hostname or ""
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise RemoteRefused("bad port") from None
    if scheme not in ("http", "https") or not host:
        raise RemoteRefused("not an http or https address")
    address = pinned_address(host, port, resolver, public)

    def connect_pinned(self: http.client.HTTPConnection) -> None:
        self.sock = socket.create_connection((address, port), timeout)

    class Pinned(http.client.HTTPConnection):
        connect = connect_pinned

    class PinnedTLS(http.client.HTTPSConnection):
        def connect(self) -> None:
            connect_pinned(self)
            self.sock = context.wrap_socket(self.sock, server_hostname=host)

    context = ssl.create_default_context()
    conn = (PinnedTLS(host, port, timeout=timeout, context=context) if scheme == "https"
            else Pinned(host, port, timeout=timeout))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    sent = {"User-Agent": "Clarion", "Accept": "*/*", **(headers or {})}
    try:
        conn.request("GET" if body is None else "POST", target, body=body, headers=sent)
        response = conn.getresponse()
        if 300 <= response.status < 400:
            raise RemoteRefused(f"redirect to {response.getheader('Location', '?')} not followed")
        if response.status != 200:
            raise RemoteRefused(f"HTTP {response.status}")
        data = response.read(max_bytes + 1)
    except (OSError, http.client.HTTPException) as e:
        raise RemoteRefused(f"cannot be fetched: {e}") from None
    finally:
        conn.close()
    if len(data) > max_bytes:
        raise RemoteRefused(f"file larger than {max_bytes:,} bytes")
    kind = response.getheader("Content-Type", "application/octet-stream")
    return data, kind.split(";", 1)[0].strip()


def fetch_remote(url: str, resolver: Resolver | None = None,
                 public: Callable[[str], bool] = public_address, timeout: float = FETCH_SECONDS,
                 max_bytes: int = MAX_FETCH_BYTES) -> tuple[bytes, str]:
    """GET `url` (see request_remote): a remote image."""
    return request_remote(url, None, None, resolver, public, timeout, max_bytes)
