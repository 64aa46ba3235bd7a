"""Writing one new file into the workspace (`clarion new`): never over a file, never via a link."""
from __future__ import annotations

import errno
import os
from pathlib import Path, PurePosixPath

from ..errors import ClarionError, OutputError

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | _CLOEXEC
_NEW_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC


def _folder(fd: int, name: str, shown: str) -> int:
    """Open the folder `name` inside the open folder `fd`, made if missing, never a link."""
    for _ in range(2):
        try:
            return os.open(name, _DIR_FLAGS, dir_fd=fd)
        except FileNotFoundError:
            try:
                os.mkdir(name, dir_fd=fd)
            except FileExistsError:
                pass  # made meanwhile: open it on the second round
        except OSError as e:
            if e.errno in (errno.ELOOP, errno.ENOTDIR):
                raise OutputError(f"refusing to write through {shown}/: it is a link or not "
                                  "a folder; nothing was written") from e
            raise
    raise OutputError(f"{shown}/ could not be made; nothing was written")


def create_file(root: Path, rel: str, text: str) -> Path:
    """Write `text` to the new file `root/rel` and return its path.

    Every folder of `rel` is opened from the one before without following a link (missing
    folders are made); the file is created exclusively, so an existing file — or a link in
    its place — is never written over. A write that fails removes the half-written file.
    """
    parts = PurePosixPath(rel).parts
    if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
        raise OutputError(f"refusing to write '{rel}': not a path inside the workspace")
    data = text.encode("utf-8")
    fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    try:
        for depth, part in enumerate(parts[:-1], 1):
            step = _folder(fd, part, "/".join(parts[:depth]))
            os.close(fd)
            fd = step
        try:
            out = os.open(parts[-1], _NEW_FLAGS, 0o666, dir_fd=fd)
        except FileExistsError:
            raise ClarionError(f"{rel}: already exists; nothing was written (choose another "
                               "name, or edit that file)") from None
        except OSError as e:
            if e.errno == errno.ELOOP:
                raise ClarionError(f"{rel}: already exists (a link); nothing was written") \
                    from None
            raise
        try:
            with os.fdopen(out, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
        except BaseException:
            os.unlink(parts[-1], dir_fd=fd)
            raise
    finally:
        os.close(fd)
    return root.joinpath(*parts)
