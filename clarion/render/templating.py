"""The one place Jinja environments are made, and where template errors get their location."""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2 import ChoiceLoader, FileSystemLoader
from markupsafe import Markup

from ..errors import Location, SecurityError, TemplateError
from ..limits import (
    BODY_CACHE_SIZE,
    DEFAULTS,
    MAX_DOCUMENT_CHARS,
    MAX_SEQUENCE,
    TEMPLATE_CACHE_SIZE,
)
from ..resources import BUILT_IN_DIR
from . import i18n
from .filters import make_filters
from .sandbox import LimitedSandbox, RenderTimeout, time_limit
from .undefined import ClearUndefined, CollectingUndefined, is_collecting, undefined_message

BUILT_IN_LABEL = "(built-in templates)"
REMOVED_FILTERS = ("safe", "pprint", "forceescape")


class RefusedTemplate(jinja2.TemplateError):
    """A workspace template file that exists but is not read (a link, a hard link, too big):
    an error, not a reason to fall back silently to the built-in template of that name."""

    def __init__(self, message: str, name: str):
        super().__init__(message)
        self.name = name


class ConfinedLoader(FileSystemLoader):
    """Loads the workspace's templates: each file opened once, with no symbolic link on the
    way (unless `links`, the workspace's `options.allow_links`, and then only to a file inside
    the folder), a regular file with a single link, of bounded size
    (yamlio.read_workspace_file)."""

    def __init__(self, searchpath: str, links: bool = False):
        super().__init__(searchpath)
        self.links = links

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        from jinja2.loaders import split_template_path

        from ..workspace.yamlio import FileRefused, read_workspace_file
        base = Path(self.searchpath[0])
        rel = Path(*split_template_path(template))
        try:
            data = read_workspace_file(base, rel, DEFAULTS.max_file_bytes, self.links)
        except FileRefused as e:
            raise RefusedTemplate(f"template `{template}` {e.why}; copy the file in instead",
                                  template) from None
        except OSError:
            raise jinja2.TemplateNotFound(template) from None
        try:
            source = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise jinja2.TemplateSyntaxError("is not valid UTF-8 text; save the file as UTF-8",
                                             1, template, str(base / rel)) from None
        return source, str(base / rel), lambda: True


def template_dirs(root: Path | None) -> list[Path]:
    own = root / "templates" if root else None
    dirs = [own] if own and own.is_dir() and not own.is_symlink() else []
    return [*dirs, BUILT_IN_DIR]


def template_exists(root: Path | None, name: str, ext: str | None = None) -> bool:
    exts = (ext,) if ext else ("html", "md")
    return any((d / f"{name}.{e}").is_file() for d in template_dirs(root) for e in exts)


def list_templates(root: Path | None) -> list[tuple[str, str]]:
    """(name, where) of every template a workspace can use, workspace ones first."""
    seen, out = set(), []
    for d in template_dirs(root):
        label = "templates/" if d != BUILT_IN_DIR else "built-in"
        for path in sorted(d.iterdir()):
            if path.suffix in (".html", ".md", ".css", ".yaml") and path.name not in seen:
                seen.add(path.name)
                out.append((path.name, label))
    return out


def _bounded_filters(filters: dict[str, Callable[..., object]]) -> dict[str, Callable[..., object]]:
    """Jinja's filters that allocate what they are told (`batch(10**9, 'x')` pads a list to a
    billion items, `wordwrap(10**9)`) with their counts checked first."""
    batch, slice_, wordwrap = filters["batch"], filters["slice"], filters["wordwrap"]

    def count(value: object, what: str) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_SEQUENCE:
            raise jinja2.exceptions.SecurityError(
                f"{what} must be a whole number from 1 to {MAX_SEQUENCE:,}")

    def bounded_batch(value: object, linecount: object, fill_with: object = None) -> object:
        count(linecount, "batch: the size of a batch")
        return batch(value, linecount, fill_with)

    def bounded_slice(value: object, slices: object, fill_with: object = None) -> object:
        count(slices, "slice: the number of slices")
        return slice_(value, slices, fill_with)

    def bounded_wordwrap(env: object, value: object, width: object = 79, *args: object,
                         **kwargs: object) -> object:
        count(width, "wordwrap: the width")
        return wordwrap(env, value, width, *args, **kwargs)

    bounded_wordwrap.jinja_pass_arg = wordwrap.jinja_pass_arg  # type: ignore[attr-defined]
    return {"batch": bounded_batch, "slice": bounded_slice, "wordwrap": bounded_wordwrap}


def _md_finalize(value: object) -> str:
    """In Markdown output, data cannot open HTML tags: `<` and `>` become entities."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    return str(value).replace("<", "&lt;").replace(">", "&gt;")


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled template code kept in memory, so each document does not compile them again.

    Keyed by template name and file, and checked against the source's hash (an edited
    template is compiled afresh); one cache per kind of environment (HTML or Markdown).
    """

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if len(self._store) >= TEMPLATE_CACHE_SIZE:
            self._store.clear()
        self._store[bucket.key] = bucket.bytecode_to_string()


_COMPILED = {False: _CompiledTemplates(), True: _CompiledTemplates()}


def make_environment(root: Path | None, language: str, locale: str,
                     markdown: bool = False, links: bool = False) -> LimitedSandbox:
    """A sandboxed environment for one language: HTML-escaping, or Markdown when asked.

    `links`: whether symbolic links inside templates/ may be followed (the workspace's
    `ws.options.allow_links`). Clarion's built-in templates are read as installed.
    """
    env = LimitedSandbox(
        bytecode_cache=_COMPILED[markdown],
        loader=ChoiceLoader([ConfinedLoader(str(d), links) if d != BUILT_IN_DIR
                             else FileSystemLoader(str(d)) for d in template_dirs(root)]),
        undefined=CollectingUndefined if is_collecting() else ClearUndefined,
        autoescape=not markdown,
        finalize=_md_finalize if markdown else None,
        keep_trailing_newline=True,
        trim_blocks=not markdown,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    for name in REMOVED_FILTERS:
        env.filters.pop(name, None)
    env.filters.update(make_filters(language, locale))
    env.filters.update(_bounded_filters(env.filters))
    # the method is added at run time by the jinja2.ext.i18n extension
    env.install_gettext_translations(  # type: ignore[attr-defined]
        i18n.catalog(language), newstyle=True)
    return env


def display_name(filename: str | None, root: Path | None) -> str:
    if not filename:
        return "template"
    path = Path(filename)
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    try:
        return f"{BUILT_IN_LABEL} {path.resolve().relative_to(BUILT_IN_DIR.resolve()).as_posix()}"
    except ValueError:
        return filename


def render(template: jinja2.Template, context: dict[str, Any], seconds: float, root: Path | None,
           line_offset: int = 0) -> str:
    """Render with a time limit; any failure becomes a TemplateError at the template line."""
    try:
        with time_limit(seconds):
            text = template.render(context)
        _check_output(text, template.filename, root, line_offset)
        return text
    except (jinja2.TemplateError, RenderTimeout, ArithmeticError, TypeError, ValueError,
            KeyError, IndexError, AttributeError, RecursionError, MemoryError) as e:
        raise _located(e, template.filename, root, line_offset) from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_output(text: str, filename: str | None, root: Path | None, offset: int) -> None:
    """A rendered text must be a document: bounded in size, and only real characters (a lone
    surrogate, made by an escape such as `"\\udc80"`, cannot be written as UTF-8)."""
    where = Location(display_name(filename, root) if filename and os.path.isabs(filename)
                     else filename or "template", offset + 1 if offset else 0)
    if len(text) > MAX_DOCUMENT_CHARS:
        raise SecurityError(f"rendering stopped: the document would be longer than "
                            f"{MAX_DOCUMENT_CHARS:,} characters; look for a runaway loop", where)
    if _SURROGATE.search(text):
        raise TemplateError("the text holds a lone surrogate (an escape such as \\udc80), "
                            "which is not a character; remove it", where)


#: compiled campaign bodies, by what the code depends on: the environment's kind (HTML or
#: Markdown), the file named in messages and the source (each recipient's letter compiled
#: the same body again)
_BODIES: dict[tuple[bool, str, str], CodeType] = {}


def compile_source(env: jinja2.Environment, source: str, display: str,
                   line_offset: int = 0) -> jinja2.Template:
    """Compile a campaign body; `display` names its file, `line_offset` where it starts."""
    key = (env.finalize is not None, display, source)
    try:
        if key not in _BODIES:
            if len(_BODIES) >= BODY_CACHE_SIZE:
                _BODIES.clear()
            _BODIES[key] = env.compile(source, name=display, filename=display)
        return env.template_class.from_code(env, _BODIES[key], env.globals, None)
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(f"template syntax error: {e.message}",
                            Location(display, (e.lineno or 1) + line_offset)) from None


def load(env: jinja2.Environment, name: str, root: Path | None) -> jinja2.Template:
    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(f"template syntax error: {e.message}",
                            Location(display_name(e.filename, root), e.lineno or 0)) from None
    except jinja2.TemplateNotFound as e:
        raise TemplateError(f"template `{e.name}` not found in templates/ or the built-in "
                            "templates") from None
    except RefusedTemplate as e:
        raise TemplateError(str(e.message), Location(f"templates/{e.name}")) from None


def _located(e: BaseException, filename: str | None, root: Path | None,
             offset: int) -> TemplateError | SecurityError:
    line, where = 0, filename
    tb = e.__traceback__
    while tb is not None:
        code_file = tb.tb_frame.f_code.co_filename
        if code_file == filename or code_file.endswith((".html", ".md", ".css")) \
                or (filename and code_file == filename):
            line, where = tb.tb_lineno, code_file
        tb = tb.tb_next
    if isinstance(e, jinja2.TemplateSyntaxError):
        line, where = e.lineno or line, e.filename or where
    if where == filename and filename and not os.path.isabs(filename):
        line += offset
        display = filename
    else:
        display = display_name(where, root)
    loc = Location(display, line)
    if isinstance(e, jinja2.exceptions.SecurityError) or \
            ("unsafe" in str(e) and isinstance(e, jinja2.UndefinedError)):
        return SecurityError(f"blocked by the template sandbox: {e}", loc)
    if isinstance(e, RenderTimeout):
        return TemplateError(f"rendering stopped: {e}; look for a runaway loop", loc)
    if isinstance(e, jinja2.UndefinedError):
        return TemplateError(undefined_message(str(e)), loc)
    if isinstance(e, (MemoryError, RecursionError)):
        return SecurityError(f"rendering stopped: {type(e).__name__}", loc)
    return TemplateError(f"template error: {e}", loc)
