"""The Jinja sandbox every template and campaign body runs in, with resource limits."""
from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import operator
import os
import re
import signal
import threading
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from types import CodeType, FrameType
from typing import Any, Literal, overload

from jinja2 import BaseLoader, FileSystemLoader, Template, Undefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import (
    SecurityError,
    TemplateNotFound,
    TemplateRuntimeError,
    TemplateSyntaxError,
)
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..limits import (
    COMPILE_SECONDS,
    MAX_EXPONENT,
    MAX_INT_BITS,
    MAX_RENDER_SECONDS,
    MAX_SEQUENCE,
    RENDER_MEMORY_BYTES,
)

#: str methods that allocate as much as they are told to
BLOCKED_METHODS = frozenset({"format", "format_map", "center", "ljust", "rjust", "zfill",
                             "expandtabs", "mro"})
#: `%` conversions with a width or precision of 10,000 or more, or one taken from the values
GETTEXT_NAMES = frozenset({"gettext", "ngettext", "pgettext", "npgettext", "_gettext_alias"})
BIG_WIDTH = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\d{5,}|\*)"
                       r"|%(?:\([^)]*\))?[-#0 +]*\d*\.(?:\d{5,}|\*)")
#: values `{{ }}` prints as they are: text (Markup too), numbers, dates, nothing
PLAIN = (str, bool, int, float, decimal.Decimal, dt.date, dt.time, type(None))
#: Python's internal form of an object, as `|string`, `~` or `|join` would make it: a memory
#: address, or the description of a function, method, class or module
OBJECT_FORM = re.compile(r" at 0x[0-9a-fA-F]{4,}>|<(?:built-in (?:function|method)|bound method"
                         r"|function|method|method-wrapper|slot wrapper|class|module"
                         r"|(?:async_)?generator object|coroutine object) ")


class RenderTimeout(BaseException):
    """A render ran past its time limit.

    A BaseException, so that no `except Exception` on the way (in Jinja, in a filter) can
    swallow it and let the render run on without a clock.
    """


class LimitedTemplate(Template):
    """A template whose time-out, too, reports template lines (Jinja rewrites only Exception)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except RenderTimeout:
            self.environment.handle_exception()


class NoFoldingCodeGenerator(CodeGenerator):
    """Jinja's code generator without constant folding of expressions, whose `{{ }}` print
    only values that have a text of their own (`LimitedSandbox.printed`).

    Jinja evaluates constant expressions while it compiles (`{{ [1]|batch(10**9, 'x') }}`),
    before any render limit runs and even in `validate`; here only literal text and constants
    are folded, every filter, test and call runs when the template renders, under its limits.
    """

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        super()._output_child_pre(node, frame, finalize)
        self.write("environment.printed(")

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write(")")
        super()._output_child_post(node, frame, finalize)

    def _output_child_to_const(self, node: nodes.Expr, frame: Frame,
                               finalize: Any) -> str:
        if not isinstance(node, (nodes.TemplateData, nodes.Const)):
            raise nodes.Impossible()
        return str(super()._output_child_to_const(node, frame, finalize))

    def visit_EvalContextModifier(self, node: nodes.EvalContextModifier,
                                  frame: Frame) -> None:
        frame.eval_ctx.volatile = True  # `{% autoescape <expr> %}`: decided when rendering
        super().visit_EvalContextModifier(node, frame)


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """Immutable sandbox that also bounds `*`, `**` and `%` and blocks allocating str methods;
    templates are compiled without constant folding, under a time and memory limit."""

    intercepted_binops = frozenset({"*", "**", "%"})
    template_class = LimitedTemplate
    code_generator_class = NoFoldingCodeGenerator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["optimized"] = False  # Jinja's optimizer folds constants too
        super().__init__(*args, **kwargs)

    @overload
    def compile(self, source: str | nodes.Template, name: str | None = None,
                filename: str | None = None, raw: Literal[False] = False,
                defer_init: bool = False) -> CodeType: ...

    @overload
    def compile(self, source: str | nodes.Template, name: str | None = None,
                filename: str | None = None, raw: Literal[True] = ...,
                defer_init: bool = False) -> str: ...

    def compile(self, source: str | nodes.Template, name: str | None = None,
                filename: str | None = None, raw: bool = False,
                defer_init: bool = False) -> str | CodeType:
        """Compile; nesting too deep for Jinja's parser or Python's compiler is a syntax error.

        Without this, `{{ ((((…1)))) }}`, a long chain of filters or 25 nested `{% for %}`
        would end in RecursionError or Python's own SyntaxError instead of a located line.
        """
        try:
            with time_limit(COMPILE_SECONDS):
                if raw:  # two calls, one per overload of Environment.compile
                    return super().compile(source, name, filename, True, defer_init)
                return super().compile(source, name, filename, False, defer_init)
        except RenderTimeout:
            raise TemplateSyntaxError(f"compiling took longer than {COMPILE_SECONDS} s; "
                                      "simplify it", 1, name, filename) from None
        except TemplateSyntaxError:
            raise
        except (RecursionError, MemoryError, SyntaxError):
            raise TemplateSyntaxError(
                "nested too deeply (brackets, filters or blocks); simplify it",
                1, name, filename) from None

    def _load_template(self, name: str,
                       globals: MutableMapping[str, Any] | None) -> Template:
        template = super()._load_template(name, globals)
        _confined(self.loader, name, template.filename)
        return template

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # gettext and friends apply `%` to their message in Python, not through call_binop
        if getattr(__obj, "__name__", "") in GETTEXT_NAMES and any(
                isinstance(a, str) and BIG_WIDTH.search(a) for a in args):
            raise SecurityError("'%' formatting with a huge width")
        return super().call(__context, __obj, *args, **kwargs)

    def printed(self, value: Any) -> Any:
        """`value` when `{{ }}` may print it; TemplateRuntimeError (at the template's line)
        when its text would be Python's internal form: a function or method not called
        (`{{ campaign.date.fromisoformat }}`), an object with a memory address, a list or
        mapping as Python writes it. No memory address or object description reaches a
        document."""
        if isinstance(value, Undefined):
            return value   # reported as undefined, as it always is
        if callable(value):
            name = getattr(value, "__name__", "")
            what = f"`{name}`" if name and not name.startswith("<") else "this"
            raise TemplateRuntimeError(f"{what} is a function or method, not a value to print: "
                                       "call it with `()` and what it needs, or leave it out")
        if not isinstance(value, PLAIN) and (getattr(type(value), "__str__", None) is object.__str__
                                             or isinstance(value, (bytes, bytearray))):
            raise TemplateRuntimeError(
                f"a {type(value).__name__} cannot be printed as it is (it would show Python's "
                "internal form): print its fields, loop over it, or join it with "
                "`|join(', ')`")
        if OBJECT_FORM.search(str(value)):
            raise TemplateRuntimeError(
                "the text holds Python's internal form of an object (a memory address, or a "
                "function, class or module): print a value, not the object itself")
        return value

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Jinja wraps str.format in its own formatter before asking is_safe_attribute
        if isinstance(obj, str) and attribute in BLOCKED_METHODS:
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, str) and argument in BLOCKED_METHODS:
            return self.unsafe_undefined(obj, argument)
        return super().getitem(obj, argument)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, str) and attr in BLOCKED_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Context, op: str, left: Any, right: Any) -> Any:
        if op == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int) \
                        and len(seq) * count > MAX_SEQUENCE:
                    raise SecurityError(f"'*' would make more than {MAX_SEQUENCE:,} items")
            # Python multiplies big numbers in one step, in which no time limit can fire
            if _whole(left) and _whole(right) and \
                    left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise SecurityError(f"'*' would make a number of more than {MAX_INT_BITS:,} "
                                    "bits")
            return operator.mul(left, right)
        if op == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"'**' exponent larger than {MAX_EXPONENT}")
            if _whole(left) and _whole(right) and right > 0 and \
                    left.bit_length() * right > MAX_INT_BITS:
                raise SecurityError(f"'**' would make a number of more than {MAX_INT_BITS:,} "
                                    "bits")
            return operator.pow(left, right)
        if op == "%":
            if isinstance(left, str) and BIG_WIDTH.search(left):
                raise SecurityError("'%' formatting with a huge width")
            return operator.mod(left, right)
        return super().call_binop(context, op, left, right)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _confined(loader: BaseLoader | None, name: str, filename: str | None) -> None:
    """A template file must lie inside its template folder, not be reached through a link.

    The folder counts where it is named (`<workspace>/templates`), not where a link would
    take it: a workspace whose templates/ is a link to /etc gets no template from there.
    """
    folders = [Path(p) for fs in _file_loaders(loader) for p in fs.searchpath]
    if not filename or not folders:
        return
    try:
        real = Path(filename).resolve()
        if any(real.is_relative_to(f.parent.resolve() / f.name) for f in folders):
            return
    except RecursionError:  # `{% extends %}` of itself: reported as such by the render
        raise
    except (OSError, RuntimeError, ValueError):
        pass
    raise TemplateNotFound(name, f"template `{name}` is, or is in, a link to a place outside "
                                 "the template folders; copy the file in instead")


def _file_loaders(loader: BaseLoader | None) -> Iterator[FileSystemLoader]:
    if isinstance(loader, FileSystemLoader):
        yield loader
    for inner in getattr(loader, "loaders", ()):
        yield from _file_loaders(inner)


@contextlib.contextmanager
def memory_limit(extra: int = RENDER_MEMORY_BYTES) -> Iterator[None]:
    """Cap the address space at its current size plus `extra` while a render runs.

    Per-operation checks cannot catch every composition (`replace`, `join`, nested loops), so
    the process itself refuses to grow past the cap; the soft limit is restored afterwards.
    """
    try:
        import resource
        pages = int(open("/proc/self/statm").read().split()[0])
        current = pages * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError):
        yield
        return
    cap = current + extra
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft < cap:
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


_active = threading.local()


@contextlib.contextmanager
def time_limit(seconds: float, memory: bool = True) -> Iterator[None]:
    """Stop a render after `seconds` (main thread on POSIX; elsewhere no time limit is set).

    A render inside a render (`background()` in a body) runs under the outer limits: it
    neither restarts the clock nor, when it ends, stops it.
    """
    if getattr(_active, "token", None) is not None:
        yield
        return
    seconds = min(seconds, MAX_RENDER_SECONDS) if seconds else MAX_RENDER_SECONDS
    usable = hasattr(signal, "setitimer") and \
        threading.current_thread() is threading.main_thread()
    token = object()

    def expire(signum: int, frame: FrameType | None) -> None:
        if getattr(_active, "token", None) is token:  # once, and only for this render
            _active.token = None
            raise RenderTimeout(f"took longer than {seconds:g} s")

    # the memory cap is for Python code: C libraries (WeasyPrint's Pango) may abort on it
    with memory_limit() if memory else contextlib.nullcontext():  # restored after the clock
        _active.token = token
        previous = signal.signal(signal.SIGALRM, expire) if usable else None
        try:
            if usable:
                signal.setitimer(signal.ITIMER_REAL, seconds)
            yield
        finally:
            _active.token = None
            if usable:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
