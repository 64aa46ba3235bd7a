"""The one place Jinja environments are made, and where template errors get their location."""
from __future__ import annotations

import os
from pathlib import Path

import jinja2
from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..errors import Location, SecurityError, TemplateError
from ..resources import BUILT_IN_DIR
from . import i18n
from .filters import make_filters
from .sandbox import LimitedSandbox, RenderTimeout, time_limit

BUILT_IN_LABEL = "(built-in templates)"
REMOVED_FILTERS = ("safe", "pprint", "forceescape")


class ClearUndefined(StrictUndefined):
    """StrictUndefined whose message names the record kind rather than a Python class."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        obj = self._undefined_obj
        kind = getattr(obj, "_kind", None) if obj is not jinja2.utils.missing else None
        if kind and self._undefined_name is not None:
            return f"{kind} has no field '{self._undefined_name}'"
        return super()._undefined_message


class ConfinedLoader(FileSystemLoader):
    """A FileSystemLoader that will not follow a link out of its folder."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        base = Path(self.searchpath[0]).resolve()
        if not Path(filename).resolve().is_relative_to(base):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


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


def _md_finalize(value):
    """In Markdown output, data cannot open HTML tags: `<` and `>` become entities."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    return str(value).replace("<", "&lt;").replace(">", "&gt;")


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory and shared by a process's environments.

    A build makes new environments for every document; compiling the same template files
    again was most of a document's rendering time. Each flavour (HTML, Markdown: they
    compile differently) has its own cache; Jinja checks the source's hash on every load.
    """

    def __init__(self, flavour: str):
        self.flavour = flavour
        self.codes: dict[str, bytes] = {}

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return f"{self.flavour}:{super().get_cache_key(name, filename)}"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


_COMPILED = {True: CompiledTemplates("md"), False: CompiledTemplates("html")}


def make_environment(root: Path | None, language: str, locale: str,
                     markdown: bool = False) -> LimitedSandbox:
    """A sandboxed environment for one language: HTML-escaping, or Markdown when asked."""
    env = LimitedSandbox(
        bytecode_cache=_COMPILED[markdown],
        loader=ChoiceLoader([ConfinedLoader(str(d)) for d in template_dirs(root)]),
        undefined=ClearUndefined,
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
    env.install_gettext_translations(i18n.catalog(language), newstyle=True)
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


def render(template: jinja2.Template, context: dict, seconds: float, root: Path | None,
           line_offset: int = 0) -> str:
    """Render with a time limit; any failure becomes a TemplateError at the template line."""
    try:
        with time_limit(seconds):
            return template.render(context)
    except (jinja2.TemplateError, RenderTimeout, ArithmeticError, TypeError, ValueError,
            KeyError, IndexError, AttributeError, RecursionError, MemoryError) as e:
        raise _located(e, template.filename, root, line_offset) from None


def compile_source(env, source: str, display: str, line_offset: int = 0):
    """Compile a campaign body; `display` names its file, `line_offset` where it starts."""
    try:
        return env.template_class.from_code(
            env, env.compile(source, name=display, filename=display), env.globals, None)
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(f"template syntax error: {e.message}",
                            Location(display, (e.lineno or 1) + line_offset)) from None


def load(env, name: str, root: Path | None):
    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(f"template syntax error: {e.message}",
                            Location(display_name(e.filename, root), e.lineno or 0)) from None
    except jinja2.TemplateNotFound as e:
        raise TemplateError(f"template `{e.name}` not found in templates/ or the built-in "
                            "templates") from None


def _located(e: BaseException, filename: str | None, root: Path | None, offset: int):
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
        return TemplateError(f"{e}; check the spelling, or guard it with {{% if … %}}", loc)
    if isinstance(e, (MemoryError, RecursionError)):
        return SecurityError(f"rendering stopped: {type(e).__name__}", loc)
    return TemplateError(f"template error: {e}", loc)
