"""The one way Clarion opens a file it reads: no link followed, checked on the handle, capped.

Every file a workspace, a build folder or a signing setting names is read here, so that a
symbolic link, a hard link to a secret, a pipe, a device or a 6 GB sparse file is refused with
one line instead of being followed, hanging or filling memory. The path is walked from a root
folder one step at a time (`openat`), each step opened without following a link; the file is
looked at before it is opened (a pipe or device is never opened) and checked again on the open
handle (`fstat`: a regular file, one link, not over the cap), then read from that handle, never
past the cap. JSON read from build/ is depth-checked before it is parsed.
"""
from __future__ import annotations

import errno as errnos
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from .errors import ClarionError, Location
from .limits import MAX_JSON_DEPTH

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
#: a file: never through a link; a pipe opened by mistake must not wait for a writer
_FILE_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC | \
    getattr(os, "O_NOCTTY", 0)
_DIR_FLAGS = os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC

#: a path as callers hold it
PathLike = str | os.PathLike[str]

#: what to do about a file that is not read, by the kind of refusal (a caller may say better)
HINTS = {
    "link": "copy the file in instead",
    "hard-link": "copy the file in instead of linking it",
    "special": "remove it",
    "too-big": "remove it or make it smaller",
    "outside": "copy the file in instead",
    "malformed": "remove it (Clarion writes it again)",
    "missing": "check the path",
    "unreadable": "check the file's permissions",
}


class FileError(ClarionError, OSError):
    """A file that was not read, as one line: `<file>: <why>; <what to do>`.

    Also an OSError (callers that read files catch those): `kind` says why, one of HINTS;
    `why` and `hint` are the two halves of the message, for callers that word their own.
    """

    def __init__(self, shown: str, why: str, kind: str, hint: str | None = None,
                 code: int | None = None):
        self.shown, self.why, self.kind = shown, why, kind
        self.hint = hint or HINTS[kind]
        ClarionError.__init__(self, f"{why}; {self.hint}", Location(shown))
        self.errno = code   # the open's errno (ENOENT…), None for a refusal

    def __reduce__(self) -> tuple[Any, ...]:  # crosses process boundaries whole
        return type(self), (self.shown, self.why, self.kind, self.hint, self.errno)


class FileRefused(FileError):
    """A file Clarion will not read: a link, a hard link, not a regular file, too big, outside
    its folder, or (for JSON) not what Clarion writes."""


class FileUnreadable(FileError):
    """A file that could not be opened: missing, not permitted (`errno` says which)."""


def read_file(root: PathLike, rel: PathLike, max_bytes: int, *, links: bool = False,
              own: bool = False, shown: str | None = None) -> bytes:
    """The bytes of `root/rel`, read once from one open handle, which must be a regular file
    with a single link (no hard link to a file elsewhere), at most `max_bytes` long.

    `root` is trusted as given (the workspace, the build folder); below it no step may be a
    symbolic link, unless `links` (`clarion --allow-links`): then the file reached must lie
    inside `root`. `own`: a file the user or Clarion itself chose (an installed template, the
    user's own key), read wherever its links lead and whatever its link count. `shown`: the
    file as messages name it (default `rel`). Raises FileRefused or FileUnreadable.
    """
    root, rel = Path(root), Path(rel)
    shown = rel.as_posix() if shown is None else shown
    parts = rel.parts
    if rel.is_absolute() or not parts or ".." in parts:
        raise FileRefused(shown, "is not a path inside its folder", "outside")
    try:
        if own or links:
            fd = _open_following(root, rel, shown, inside=None if own else root)
        else:
            fd = _open_walking(root, parts, shown)
    except FileError:
        raise
    except OSError as e:
        raise _unreadable(shown, e) from e
    return _read_handle(fd, max_bytes, shown, hard_links=own)


def read_path(path: PathLike, max_bytes: int, *, own: bool = False,
              shown: str | None = None) -> bytes:
    """`read_file` of one file in the folder it names (`path`'s last step is the file)."""
    path = Path(path)
    return read_file(path.parent, path.name, max_bytes, own=own,
                     shown=str(path) if shown is None else shown)


def read_json(root: PathLike, rel: PathLike, max_bytes: int, *,
              shown: str | None = None, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """A JSON file of Clarion's own (a manifest, a log) read as `read_file` reads, then
    parsed: at most `max_depth` levels deep, else FileRefused (never a RecursionError)."""
    shown = Path(rel).as_posix() if shown is None else shown
    return parse_json(read_file(root, rel, max_bytes, shown=shown), shown, max_depth)


#: a JSON string (skipped whole: brackets inside it do not nest) or a bracket
_JSON_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.S)


def parse_json(data: bytes, shown: str, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """`data` parsed as UTF-8 JSON, refused (FileRefused, one line) when deeper than
    `max_depth` or not JSON at all."""
    depth = 0
    for m in _JSON_TOKEN.finditer(data):
        token = m.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > max_depth:
                raise FileRefused(shown, f"is nested more than {max_depth} levels deep: not "
                                  "a file Clarion wrote", "malformed")
        elif token in (b"]", b"}"):
            depth -= 1
    try:
        return json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as e:
        raise FileRefused(shown, "is not valid JSON", "malformed") from e


def _open_walking(root: Path, parts: tuple[str, ...], shown: str) -> int:
    """Open root/parts… with no symbolic link at any step below root, each step opened from
    the last; the file is looked at before it is opened (a pipe or a device never is)."""
    fd = os.open(root, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    try:
        for part in parts[:-1]:
            try:
                step = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError as e:
                if e.errno in (errnos.ELOOP, errnos.ENOTDIR):
                    raise FileRefused(shown, f"{part}/ is a symbolic link or not a folder",
                                      "link") from e
                raise
            os.close(fd)
            fd = step
        _check_kind(os.stat(parts[-1], dir_fd=fd, follow_symlinks=False), shown)
        try:
            return os.open(parts[-1], _FILE_FLAGS, dir_fd=fd)
        except OSError as e:
            if e.errno == errnos.ELOOP:  # swapped for a link since it was looked at
                raise FileRefused(shown, "is a symbolic link", "link") from e
            raise
    finally:
        os.close(fd)


def _open_following(root: Path, rel: Path, shown: str, inside: Path | None) -> int:
    """Open root/rel following links; with `inside`, the file reached must lie in it."""
    path = root / rel
    _check_kind(os.stat(path), shown)
    fd = os.open(path, _FILE_FLAGS & ~_NOFOLLOW)
    if inside is not None and not _real_path(fd, path).is_relative_to(inside.resolve()):
        os.close(fd)
        raise FileRefused(shown, "is a link to a file outside the workspace", "outside")
    return fd


def _check_kind(info: os.stat_result, shown: str) -> None:
    if stat.S_ISLNK(info.st_mode):
        raise FileRefused(shown, "is a symbolic link", "link")
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(shown, "is not a regular file (a device, a pipe or a folder)",
                          "special")


def _real_path(fd: int, fallback: Path) -> Path:
    try:
        return Path(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        return fallback.resolve()


def _read_handle(fd: int, max_bytes: int, shown: str, hard_links: bool) -> bytes:
    """Check the open file on its handle, then read at most `max_bytes` (+1 to tell)."""
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        _check_kind(info, shown)
        if info.st_nlink != 1 and not hard_links:
            raise FileRefused(shown, f"has {info.st_nlink} hard links: it may be another file "
                              "of the workspace or of the machine", "hard-link")
        if info.st_size > max_bytes:
            raise FileRefused(shown, f"file is {info.st_size:,} bytes, over the limit of "
                              f"{max_bytes:,}", "too-big")
        try:  # no more than the limit allows: a file may be larger than it said
            data = f.read(max_bytes + 1)
        except OSError as e:
            raise _unreadable(shown, e) from e
    if len(data) > max_bytes:
        raise FileRefused(shown, f"file is over the limit of {max_bytes:,} bytes", "too-big")
    return data


def _unreadable(shown: str, e: OSError) -> FileUnreadable:
    if e.errno == errnos.ENOENT:
        return FileUnreadable(shown, "not found", "missing", code=e.errno)
    if e.errno == errnos.ENAMETOOLONG:
        return FileUnreadable(shown, "path too long (folders nested too deeply)", "unreadable",
                              "flatten the folders", code=e.errno)
    if e.errno == errnos.ELOOP:
        return FileUnreadable(shown, "is a loop of symbolic links", "unreadable",
                              "remove the links", code=e.errno)
    return FileUnreadable(shown, f"cannot be read ({e.strerror or e})", "unreadable",
                          code=e.errno)
