"""Undefined template values: a message naming the record, or, in validate's dry run, a note."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import jinja2
from jinja2 import StrictUndefined

from ..errors import did_you_mean


class ClearUndefined(StrictUndefined):
    """StrictUndefined whose message names the record kind rather than a Python class."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        obj = self._undefined_obj
        kind = getattr(obj, "_kind", None) if obj is not jinja2.utils.missing else None
        if kind and self._undefined_name is not None:
            data = getattr(obj, "_data", None)
            hint = did_you_mean(str(self._undefined_name), data) if isinstance(data, dict) else ""
            return f"{kind} has no field '{self._undefined_name}'{hint}"
        return super()._undefined_message


class Collector:
    """While `validate` dry-renders: template problems noted (file, line, message), not raised."""

    def __init__(self) -> None:
        self.found: list[tuple[str, int, str]] = []

    def add(self, message: str) -> None:
        """Note `message` at the template line being rendered (the innermost template frame)."""
        frame = sys._getframe(1)
        while frame is not None:
            template = frame.f_globals.get("__jinja_template__")
            if isinstance(template, jinja2.Template):
                line = template.get_corresponding_lineno(frame.f_lineno)
                self.found.append((frame.f_code.co_filename, line, message))
                return
            frame = frame.f_back  # type: ignore[assignment]
        self.found.append(("", 0, message))


_COLLECTOR: ContextVar[Collector | None] = ContextVar("clarion_collector", default=None)


@contextmanager
def collecting() -> Iterator[Collector]:
    """Environments made inside note undefined fields (and `soft_fail`s) instead of raising."""
    collector = Collector()
    token = _COLLECTOR.set(collector)
    try:
        yield collector
    finally:
        _COLLECTOR.reset(token)


def is_collecting() -> bool:
    """Whether environments made now note undefined values instead of raising."""
    return _COLLECTOR.get() is not None


def soft_fail(message: str) -> bool:
    """While collecting, note `message` and return True (go on); else False (raise it)."""
    collector = _COLLECTOR.get()
    if collector is None:
        return False
    collector.add(message)
    return True


class CollectingUndefined(ClearUndefined):
    """An undefined value that notes each use and renders as nothing, so rendering goes on."""

    __slots__ = ()

    def _note(self) -> None:
        if self._undefined_exception is not jinja2.UndefinedError or \
                "unsafe" in self._undefined_message:
            self._fail_with_undefined_error()  # the sandbox's refusals stop rendering
        soft_fail(undefined_message(self._undefined_message))

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__":
            raise AttributeError(name)
        self._note()
        return self

    def __str__(self) -> str:  # type: ignore[override]
        self._note()
        return ""

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        self._note()
        return iter(())

    def __bool__(self) -> bool:  # type: ignore[override]
        self._note()
        return False

    def __len__(self) -> int:  # type: ignore[override]
        self._note()
        return 0

    def __eq__(self, other: object) -> bool:  # type: ignore[override]
        self._note()
        return type(self) is type(other)

    def __ne__(self, other: object) -> bool:  # type: ignore[override]
        return not self.__eq__(other)

    def __hash__(self) -> int:  # type: ignore[override]
        return id(type(self))

    def __contains__(self, item: object) -> bool:  # type: ignore[override]
        self._note()
        return False

    def __call__(self, *args: Any, **kwargs: Any) -> CollectingUndefined:  # type: ignore[override]
        self._note()
        return self

    def __getitem__(self, key: Any) -> CollectingUndefined:  # type: ignore[override]
        self._note()
        return self


def undefined_message(message: str) -> str:
    if "did you mean" in message:
        return message
    return f"{message}; check the spelling, or guard it with {{% if … %}}"
