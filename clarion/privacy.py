"""The last line of defence: no private string may appear in any output."""
from __future__ import annotations

import html
import re

from .model import Workspace

MIN_CHARS = 8
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    if value is None or isinstance(value, bool):
        return []
    return [str(value)]


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def private_strings(ws: Workspace) -> dict[str, str]:
    """Normalised private text → the case it belongs to (short strings are too common)."""
    found: dict[str, str] = {}
    for case in ws.cases.values():
        texts = _strings(case.private)
        for event in case.events:
            if event.private:
                texts += event.text.all() if event.text else []
                texts += [t for t in (event.place, event.court) if t]
        for text in texts:
            for piece in [text, *re.split(r"[\n;]+", text)]:
                piece = _normal(piece)
                if len(piece) >= MIN_CHARS:
                    found.setdefault(piece, case.id)
    return found


def visible_text(markup: str) -> str:
    return _normal(html.unescape(_TAG.sub(" ", markup)))


def leaks(texts: list[str], secrets: dict[str, str]) -> list[str]:
    """Ids of the cases whose private strings appear in any of `texts`."""
    if not secrets:
        return []
    haystack = " ".join(_normal(t) for t in texts)
    return sorted({case for secret, case in secrets.items() if secret in haystack})
