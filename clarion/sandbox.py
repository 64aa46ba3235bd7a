"""The Jinja sandbox every template and campaign body runs in, with resource limits."""
from __future__ import annotations

import contextlib
import operator
import os
import re
import signal
import threading

from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_SEQUENCE = 100_000     # characters or items a `*` may produce
MAX_EXPONENT = 128
#: str methods that allocate as much as they are told to
BLOCKED_METHODS = frozenset({"format", "format_map", "center", "ljust", "rjust", "zfill",
                             "expandtabs", "mro"})
BIG_WIDTH = re.compile(r"%[-#0 +]*(\d{5,}|\*)|%[-#0 +]*\d*\.(\d{5,}|\*)")


class RenderTimeout(Exception):
    """A render ran past its time limit."""


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """Immutable sandbox that also bounds `*`, `**` and `%` and blocks allocating str methods."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def getattr(self, obj, attribute):
        # Jinja wraps str.format in its own formatter before asking is_safe_attribute
        if isinstance(obj, str) and attribute in BLOCKED_METHODS:
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        if isinstance(obj, str) and argument in BLOCKED_METHODS:
            return self.unsafe_undefined(obj, argument)
        return super().getitem(obj, argument)

    def is_safe_attribute(self, obj, attr, value):
        if isinstance(obj, str) and attr in BLOCKED_METHODS:
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, op, left, right):
        if op == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(count, int) \
                        and len(seq) * count > MAX_SEQUENCE:
                    raise SecurityError(f"'*' would make more than {MAX_SEQUENCE:,} items")
            return operator.mul(left, right)
        if op == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"'**' exponent larger than {MAX_EXPONENT}")
            return operator.pow(left, right)
        if op == "%":
            if isinstance(left, str) and BIG_WIDTH.search(left):
                raise SecurityError("'%' formatting with a huge width")
            return operator.mod(left, right)
        return super().call_binop(context, op, left, right)


RENDER_MEMORY = 1 << 30   # bytes a render may add to the process before MemoryError


@contextlib.contextmanager
def memory_limit(extra: int = RENDER_MEMORY):
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


@contextlib.contextmanager
def time_limit(seconds: float):
    """Stop a render after `seconds` (main thread on POSIX; elsewhere no limit is set)."""
    usable = seconds and hasattr(signal, "setitimer") and \
        threading.current_thread() is threading.main_thread()
    if not usable:
        with memory_limit():
            yield
        return

    def expire(signum, frame):
        raise RenderTimeout(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with memory_limit():
            yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
