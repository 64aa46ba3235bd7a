"""Images of the published .html read from assets/ and embedded as data: URIs (size-capped)."""
from __future__ import annotations

import base64
import html as html_lib
import posixpath
import re
from pathlib import Path, PurePosixPath

from ..limits import KB, MAX_EMBED_BYTES
from ..safefile import FileError, read_file

IMG_SRC_RE = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")')
EMBED_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml"}
NOT_AN_ASSET = "not an image file under assets/"


def embed_images(html: str, root: Path, notes: list[str], links: bool = False) -> str:
    """The .html as one file that still shows its images when mailed: images from assets/
    become data: URIs; other relative paths, and images over MAX_EMBED_BYTES, are dropped,
    each with a note in `notes` ("assets/big.png: left out of the .html (…)").

    Each image is read once through clarion.safefile: no symbolic link on the way (unless
    `links`, `clarion --allow-links`, and then only to a file inside assets/), a regular file
    with a single link (a hard link may be a key file of the workspace or any file of the
    machine), never a pipe or a device."""
    assets = Path(root) / "assets"

    def embed(m: re.Match[str]) -> str:
        src = html_lib.unescape(m.group(2))
        if re.match(r"^(https?:|data:)", src, re.I):
            return m.group(0)
        rel = _asset_path(src)
        kind = EMBED_TYPES.get(rel.suffix.lower()) if rel is not None else None
        data, why = None, NOT_AN_ASSET
        if rel is not None and kind is not None and not assets.is_symlink():
            try:
                data = read_file(assets, rel, MAX_EMBED_BYTES, links=links, shown=src)
            except FileError as e:
                why = _why(e)
        if data is None:
            notes.append(f"{src}: left out of the .html ({why})")
            return re.sub(r'\s+src="$', "", m.group(1))  # the attribute goes: no empty src
        encoded = base64.b64encode(data).decode("ascii")
        return f"{m.group(1)}data:{kind};base64,{encoded}{m.group(3)}"

    return IMG_SRC_RE.sub(embed, str(html))


def _asset_path(src: str) -> PurePosixPath | None:
    """`src` as a path inside assets/ (`assets/a/../logo.svg` is `logo.svg`), or None."""
    if "\0" in src or "\\" in src or src.startswith("/"):
        return None
    parts = PurePosixPath(posixpath.normpath(src)).parts
    if len(parts) < 2 or parts[0] != "assets" or ".." in parts:
        return None
    return PurePosixPath(*parts[1:])


def _why(e: FileError) -> str:
    if e.kind == "too-big":
        return f"larger than {MAX_EMBED_BYTES // KB} KB"
    if e.kind == "missing":
        return NOT_AN_ASSET
    if e.kind == "outside":
        return "is a link to a file outside assets/; copy the file in instead"
    return f"{e.why}; {e.hint}"
