"""The send log `build/<campaign>/sent.json`: sealed, read, and appended whole under a lock."""
from __future__ import annotations

import fcntl
import json
import logging
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import OutputError
from ..limits import MAX_LOG_BYTES, MB
from ..output.files import safe_join, seal_bytes, write_atomic
from ..safefile import FileError, read_json

SENT = "sent.json"
#: the lock file beside the log, held while a run reads, sends and appends
LOCK = ".sent.json.lock"
FIELDS = ("recipient", "address", "message_id", "sha256", "time", "reply")
#: fields a log written before they existed may lack
OPTIONAL = ("content",)

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sent:
    """One message the SMTP server accepted."""

    recipient: str
    address: str
    message_id: str
    sha256: str      # of the draft sent (build/<campaign>/<recipient>.eml)
    time: str        # ISO 8601, UTC
    reply: str       # the server's reply to the message
    #: the letter's content hash (the manifest's `content`: what it was made from, not the
    #: signature's time), to tell a changed letter from one only signed again
    content: str = ""


@dataclass(frozen=True)
class SentLog:
    """The log as read: the entries this user sealed, and why the file was ignored (if)."""

    entries: list[Sent]
    warning: str | None = None
    linked: bool = False


def _seal(campaign: object, sent: object) -> str | None:
    body = json.dumps({"campaign": campaign, "sent": sent}, sort_keys=True, ensure_ascii=False)
    return seal_bytes(SENT, body.encode("utf-8"))


def read_log(folder: Path) -> SentLog:
    """Every logged message, oldest first, from a log this user sealed. A log that is missing
    is empty; one that is a link, unreadable, or not sealed by this user (shipped with a
    workspace, edited) is ignored, with a warning saying so."""
    where = f"{folder.name}/{SENT}"
    try:  # never through a link, never a pipe, never past the cap, never too deep
        data = read_json(folder, SENT, MAX_LOG_BYTES, shown=f"build/{where}")
    except FileError as e:
        if e.kind == "missing":
            return SentLog([])
        if e.kind == "link":
            return SentLog([], f"refused: build/{where} is a symbolic link; remove it "
                               "(messages logged in it were not counted as sent)", linked=True)
        if e.kind in ("special", "too-big"):
            return SentLog([], f"build/{where} is not a regular file of at most "
                               f"{MAX_LOG_BYTES // MB} MB: ignored")
        if e.kind == "hard-link":
            return SentLog([], f"build/{where} {e.why}: ignored")
        return SentLog([], f"build/{where} cannot be read: ignored")
    try:
        entries = data["sent"]
        sealed = _seal(data["campaign"], entries)
    except (ValueError, RecursionError, TypeError, KeyError):
        return SentLog([], f"build/{where} cannot be read: ignored")
    if sealed is None or data.get("seal") != sealed or data["campaign"] != folder.name:
        return SentLog([], f"build/{where} is not sealed by you (it came with the workspace, "
                           "or was edited): ignored, so its messages do not count as sent; "
                           "check with the people concerned before sending")
    return SentLog(_entries(entries))


def _entries(entries: object) -> list[Sent]:
    if not isinstance(entries, list):
        return []
    return [Sent(**{k: str(e[k]) for k in FIELDS},
                 **{k: str(e[k]) for k in OPTIONAL if isinstance(e.get(k), str)})
            for e in entries
            if isinstance(e, dict) and all(isinstance(e.get(k), str) for k in FIELDS)]


def read_sent(folder: Path) -> list[Sent]:
    """The sealed log's messages (`read_log`), its warning as one log line; a log that is a
    symbolic link stops the command (OutputError) before anything is sent."""
    log = read_log(folder)
    if log.linked:
        raise OutputError(log.warning or SENT)
    if log.warning:
        _log.warning(log.warning)
    return log.entries


def last_sent(entries: list[Sent]) -> dict[str, Sent]:
    """The latest message logged for each recipient."""
    return {e.recipient: e for e in entries}


_held: dict[str, int] = {}   # lock files this process holds, with how many holders


@contextmanager
def locked(out: Path, campaign: str) -> Iterator[None]:
    """Hold the campaign's send-log lock (fcntl.flock on `.sent.json.lock` beside the log):
    a second run waits here until the first is done. Re-entrant within one process."""
    path = safe_join(out, campaign) / LOCK    # opened below without following a link
    key = str(path)
    if _held.get(key):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # made with the mode the user's umask gives (a colleague sending from the same shared
    # folder must be able to open it too); opened read-only when it is a colleague's that
    # this user may not write (a lock needs no more); never through a link
    flags = os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | flags, 0o666)
    except PermissionError:
        fd = os.open(path, os.O_RDONLY | flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OutputError(f"build/{campaign}/{LOCK} is not a regular file; remove it")
        fcntl.flock(fd, fcntl.LOCK_EX)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def append_sent(out: Path, campaign: str, entries: list[Sent], new: Sent) -> list[Sent]:
    """Log one more message, under the lock: the log on disk (if sealed: another run may have
    added to it since `entries` was read) with `new` after it, rewritten whole and sealed."""
    with locked(out, campaign):
        folder = safe_join(out, campaign)
        current = read_log(folder)
        if current.linked:
            raise OutputError(current.warning or SENT)
        every = [*(current.entries if current.entries else
                   ([] if current.warning else entries)), new]
        write_log(out, campaign, every)
    return every


def write_log(out: Path, campaign: str, entries: list[Sent]) -> None:
    """Write the whole log, sealed with this user's key (call under `locked`)."""
    sent = [asdict(e) for e in entries]
    data = {"campaign": campaign, "sent": sent, "seal": _seal(campaign, sent)}
    write_atomic(safe_join(out, campaign, SENT),
                 (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
