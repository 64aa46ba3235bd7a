"""What a document depends on beyond the records: Clarion itself, the libraries and fonts
that shape its pages, the templates it was rendered with and the files it embeds."""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import hashlib
import os
from importlib import metadata
from pathlib import Path

from ..limits import HARD_MAX_BYTES, MAX_FETCH_BYTES
from ..resources import PACKAGE_DIR
from ..safefile import read_file
from ..workspace.yamlio import read_workspace_file

#: the Python distributions whose versions can change what an output looks like or says
SHAPING = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "tinyhtml5", "fonttools", "pyphen",
           "Babel", "Markdown", "nh3", "Jinja2", "MarkupSafe", "PyYAML", "pyHanko",
           "pyhanko-certvalidator", "cryptography", "pillow", "pypdf", "python-docx")
#: the C libraries WeasyPrint lays text out with: (library, function that returns its version)
NATIVE = (("pango-1.0", "pango_version_string"), ("harfbuzz", "hb_version_string"),
          ("fontconfig", "FcGetVersion"))
#: where the system's fonts live (Pango finds them through fontconfig)
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")


@functools.cache
def clarion_digest() -> str:
    """Clarion's own code, built-in templates and catalogues: a change to any rebuilds."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            rel = path.relative_to(PACKAGE_DIR)
            digest.update(rel.as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(read_file(PACKAGE_DIR, rel, HARD_MAX_BYTES,
                                                   own=True)).digest())
    return digest.hexdigest()


@functools.cache
def libraries() -> dict[str, str]:
    """The version of each library that shapes an output, native ones as the system has them,
    and a fingerprint of the installed fonts."""
    found = {}
    for name in SHAPING:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    for library, function in NATIVE:
        found[library] = _native_version(library, function)
    found["fonts"] = _fonts_fingerprint()
    return found


def libraries_digest() -> str:
    return hashlib.sha256(repr(sorted(libraries().items())).encode()).hexdigest()


def _native_version(library: str, function: str) -> str:
    path = ctypes.util.find_library(library)
    if path is None:
        return "absent"
    try:
        call = getattr(ctypes.CDLL(path), function)
    except (OSError, AttributeError):
        return "unknown"
    if function == "FcGetVersion":
        call.restype = ctypes.c_int
        return str(call())
    call.restype = ctypes.c_char_p
    value = call()
    return value.decode() if isinstance(value, bytes) else "unknown"


def _fonts_fingerprint() -> str:
    """Names, sizes and times of the font files: a font added, removed or updated shows."""
    digest = hashlib.sha256()
    for folder in FONT_DIRS:
        base = Path(os.path.expanduser(folder))
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                try:
                    info = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                digest.update(f"{dirpath}/{name}\0{info.st_size}\0{info.st_mtime_ns}\n"
                              .encode())
    return digest.hexdigest()


class TemplateFiles:
    """The template files a document is rendered with, as the loader resolves them
    (a workspace's own first, then the built-in), each with the templates it includes,
    extends or imports; and the bytes of workspace files a document embeds."""

    def __init__(self, root: Path, allow_links: bool = False):
        from ..render.templating import template_dirs
        self.root, self.allow_links = root, allow_links
        self.dirs = template_dirs(root)
        self._sources: dict[str, tuple[str, bytes] | None] = {}

    def _source(self, name: str) -> tuple[str, bytes] | None:
        """(where, bytes) of the file the loader would use for `name`, or None."""
        if name not in self._sources:
            self._sources[name] = None
            for folder in self.dirs:
                path = folder / name
                if path.is_file():
                    where = "built-in" if folder == self.dirs[-1] else "templates"
                    self._sources[name] = (where, self._read(folder, name))
                    break
        return self._sources[name]

    def _read(self, folder: Path, rel: str) -> bytes:
        try:
            return read_workspace_file(folder, rel, MAX_FETCH_BYTES, self.allow_links)
        except OSError as e:
            return f"refused: {e}".encode()

    def closure(self, name: str) -> list[str]:
        """`name` and every template it reaches; every template when a reference is not a
        constant (`{% include some_variable %}`)."""
        import jinja2
        import jinja2.meta
        env = jinja2.Environment()
        seen: list[str] = []
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.append(current)
            found = self._source(current)
            if found is None:
                continue
            try:
                tree = env.parse(found[1].decode("utf-8-sig", "replace"))
                refs = list(jinja2.meta.find_referenced_templates(tree))
            except jinja2.TemplateSyntaxError:
                refs = []
            if any(r is None for r in refs):
                return sorted({p.name for d in self.dirs for p in d.iterdir() if p.is_file()})
            todo += [r for r in refs if r is not None]
        return sorted(seen)

    def digest(self, name: str) -> str:
        hashed = hashlib.sha256()
        for each in self.closure(name):
            found = self._source(each)
            where, data = found if found is not None else ("absent", b"")
            hashed.update(f"{each}\0{where}\0".encode() + hashlib.sha256(data).digest())
        return hashed.hexdigest()

    def file_digest(self, rel: str) -> str:
        path = self.root / rel
        if not path.is_file():
            return "absent"
        return hashlib.sha256(self._read(self.root, rel)).hexdigest()
