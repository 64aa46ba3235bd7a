"""The Jinja sandbox every template and campaign body runs in, with resource limits."""
from __future__ import annotations

import contextlib
import operator
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


@contextlib.contextmanager
def time_limit(seconds: float):
    """Stop a render after `seconds` (main thread on POSIX; elsewhere no limit is set)."""
    usable = seconds and hasattr(signal, "setitimer") and \
        threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise RenderTimeout(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
