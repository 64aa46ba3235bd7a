"""Images of the published .html read from assets/ and embedded as data: URIs (size-capped)."""
from __future__ import annotations

import base64
import html as html_lib
import re
from pathlib import Path

from ..limits import KB, MAX_EMBED_BYTES

IMG_SRC_RE = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")')
EMBED_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml"}


def embed_images(html: str, root: Path, notes: list[str]) -> str:
    """The .html as one file that still shows its images when mailed: images from assets/
    become data: URIs; other relative paths, and images over MAX_EMBED_BYTES, are dropped,
    each with a note in `notes` ("assets/big.png: left out of the .html (…)")."""
    assets = (root / "assets").resolve()

    def embed(m: re.Match[str]) -> str:
        src = html_lib.unescape(m.group(2))
        if re.match(r"^(https?:|data:)", src, re.I):
            return m.group(0)
        path = (root / src).resolve()
        kind = EMBED_TYPES.get(path.suffix.lower())
        why = None
        if not path.is_relative_to(assets) or kind is None or not path.is_file():
            why = "not an image file under assets/"
        elif path.stat().st_size > MAX_EMBED_BYTES:
            why = f"larger than {MAX_EMBED_BYTES // KB} KB"
        if why:
            notes.append(f"{src}: left out of the .html ({why})")
            return re.sub(r'\s+src="$', "", m.group(1))  # the attribute goes: no empty src
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"{m.group(1)}data:{kind};base64,{data}{m.group(3)}"

    return IMG_SRC_RE.sub(embed, str(html))
