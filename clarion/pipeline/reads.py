"""What a document read, and a digest of each thing read, so that a later build can tell
exactly which documents a change touches.

A document is rendered from a *watched* workspace: every record it looks up (a case, a
recipient, a group's members, a signatory, a campaign) is noted as a key such as
`case:ilgar-mammadov`; looking at all of a kind (`for case in ws.cases.values()`) is noted
as `case:*`. The templates, files and libraries a document depends on are noted the same
way. The manifest keeps each output's keys with their digests; the next plan recomputes the
digest of each key and rebuilds exactly the outputs where one differs.

A digest is made from what a document can show, never from private data: a case's
`private:` block and its private events are left out (templates cannot read them either), so
that no manifest, PDF /ID or Message-ID changes when a private character does. Digests are
also keyed with the user's own secret (the one that seals manifests), so that no one without
it can recompute them from a guess of the public inputs.
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote

from ..workspace.model import Recipient, Workspace
from ..workspace.private import is_private, without_private
from .dependencies import TemplateFiles, clarion_digest, libraries_digest

T = TypeVar("T")
#: the key of "every record of this kind"
EVERY = "*"
#: the digest of a key whose record is not there
ABSENT = "-"
#: always read by every document: the settings, the forms of address, Clarion and its libraries
ALWAYS = ("settings", "salutations", "clarion", "libraries")


class _Watched(Mapping[str, T]):
    """A mapping of records that notes each key looked up, and `kind:*` when listed."""

    def __init__(self, data: Mapping[str, T], kind: str, seen: set[str]):
        self._data, self._kind, self._seen = data, kind, seen

    def __getitem__(self, key: str) -> T:
        if key:  # no record has an empty id: `get(campaign.issued_by or "")` reads nothing
            self._seen.add(f"{self._kind}:{key}")
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        if key:
            self._seen.add(f"{self._kind}:{key}")
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        self._seen.add(f"{self._kind}:{EVERY}")
        return iter(self._data)

    def __len__(self) -> int:
        self._seen.add(f"{self._kind}:{EVERY}")
        return len(self._data)


@dataclass(frozen=True)
class WatchedWorkspace(Workspace):
    """A workspace that notes what is read from it (see `watch`)."""

    seen: set[str] = field(default_factory=set, compare=False, repr=False)

    def group(self, name: str) -> list[Recipient]:
        """A group's members, noted as `group:NAME` (its members' ids), not as every
        recipient: a recipient joining another group changes nothing here. A member's own
        record is noted only when more than its id is read (a cc line names them all; a
        letter to one of them only asks who else is in the group)."""
        self.seen.add(f"group:{name}")
        return [_noting(r, self.seen) for r in _members(_unwatched(self.recipients), name)]


@dataclass(frozen=True)
class _NotedRecipient(Recipient):
    """A recipient that notes `recipient:ID` in its `_seen` when a field other than its id
    is read."""

    def __getattribute__(self, name: str) -> Any:
        if name[:1] != "_" and name != "id":
            object.__getattribute__(self, "_seen").add(
                f"recipient:{object.__getattribute__(self, 'id')}")
        return object.__getattribute__(self, name)


def _noting(record: Recipient, seen: set[str]) -> Recipient:
    noted = _NotedRecipient(**{f.name: getattr(record, f.name)
                               for f in dataclasses.fields(Recipient)})
    object.__setattr__(noted, "_seen", seen)
    return noted


def watch(ws: Workspace) -> WatchedWorkspace:
    """`ws` with its records watched; `result.seen` fills as a document is rendered."""
    seen: set[str] = set()
    values = {f.name: getattr(ws, f.name) for f in dataclasses.fields(Workspace)}
    for name, kind in (("cases", "case"), ("recipients", "recipient"),
                       ("signatories", "signatory"), ("campaigns", "campaign")):
        values[name] = _Watched(_unwatched(values[name]), kind, seen)
    return WatchedWorkspace(**values, seen=seen)


def _unwatched(records: Mapping[str, T]) -> Mapping[str, T]:
    return records._data if isinstance(records, _Watched) else records


def _members(recipients: Mapping[str, Recipient], group: str) -> list[Recipient]:
    return [r for r in recipients.values() if group in r.groups]


# ---------------------------------------------------------------- digests

#: local files a rendered document refers to: `src="…"`, `href="…"`, `url(…)`
_REFERENCE = re.compile(r"""(?:\bsrc|\bhref)\s*=\s*["']([^"'#?]+)|url\(\s*["']?([^"')#?]+)""")


def referenced_files(root: Path, html: str) -> set[str]:
    """`file:PATH` keys of the workspace files a document's HTML refers to (images, fonts,
    style sheets) in the folders documents load from; remote addresses, data URIs and other
    files (a case file, say, which would bring its private block into a digest) are not read."""
    found = set()
    for m in _REFERENCE.finditer(html):
        ref = (m.group(1) or m.group(2) or "").strip()
        if not ref or ":" in ref.split("/")[0] or ref.startswith("//"):
            continue  # http:, data:, mailto: …
        path = unquote(ref[len("file://"):] if ref.startswith("file://") else ref)
        rel = Path(os.path.normpath(path))
        if rel.is_absolute():
            try:
                rel = rel.relative_to(root)
            except ValueError:
                continue  # outside the workspace: refused by the fetcher anyway
        if rel.parts[:1] in (("assets",), ("templates",)) and len(rel.parts) > 1:
            found.add(f"file:{rel.as_posix()}")  # what the PDF fetcher and embed_images serve
    return found


class Digests:
    """The digest of each key, computed from one loaded workspace, each at most once."""

    def __init__(self, ws: Workspace, key: bytes, signer: str = "",
                 templates: TemplateFiles | None = None):
        self.ws, self._key, self.signer = ws, key, signer
        self._done: dict[str, str] = {}
        self._templates = templates

    def of(self, key: str) -> str:
        if key not in self._done:
            self._done[key] = self._hmac(self._bytes(key))
        return self._done[key]

    def all(self, keys: Iterable[str]) -> dict[str, str]:
        return {k: self.of(k) for k in sorted(set(keys))}

    def current(self, reads: Mapping[str, str]) -> bool:
        """Whether every key read still has the digest it had."""
        return all(self.of(k) == v for k, v in reads.items())

    def _hmac(self, data: bytes) -> str:
        return hmac.new(self._key, data, hashlib.sha256).hexdigest()

    def _bytes(self, key: str) -> bytes:
        kind, _, name = key.partition(":")
        ws = self.ws
        if kind == "settings":
            return _record_bytes(ws.settings)
        if kind == "salutations":
            return repr(_plain(ws.salutations)).encode("utf-8")
        if kind == "clarion":
            return clarion_digest().encode()
        if kind == "libraries":
            return libraries_digest().encode()
        if kind == "signer":
            return self.signer.encode("utf-8")
        if kind == "group":
            return "\n".join(r.id for r in _members(_unwatched(ws.recipients), name)).encode()
        if kind == "template":
            assert self._templates is not None
            return self._templates.digest(name).encode()
        if kind == "file":
            assert self._templates is not None
            return self._templates.file_digest(name).encode()
        if kind == "alert":
            return name.encode("utf-8")
        found: Mapping[str, Any] | None = {
            "case": ws.cases, "recipient": ws.recipients, "signatory": ws.signatories,
            "campaign": ws.campaigns}.get(kind)
        if found is None:
            return f"unknown key {key}".encode()
        records: Mapping[str, Any] = _unwatched(found)
        if name == EVERY:
            return b"\0".join(k.encode() + b"=" + _record_bytes(records[k])
                              for k in sorted(records))
        return _record_bytes(records[name]) if name in records else ABSENT.encode()


#: fields that are not a record's values: where it was read from, and load options
_NOT_VALUES = frozenset({"loc", "locs", "body_loc", "seen", "options"})


def _record_bytes(record: object) -> bytes:
    """A record's public values (not its private ones, nor where in a file they were read
    from), as stable bytes."""
    return repr(_plain(record)).encode("utf-8")


def _plain(value: object) -> object:
    """Records as nested tuples without their locations and private data, in a stable order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple(
            (name, _plain(v)) for name, v in without_private(value, _NOT_VALUES)))
    if isinstance(value, Mapping):
        return tuple(sorted(((str(k), _plain(v)) for k, v in value.items()),
                            key=lambda kv: kv[0]))
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value if not is_private(v))
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(_plain(v)) for v in value))
    return value
