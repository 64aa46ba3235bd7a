"""The last line of defence: no private string may appear in any output."""
from __future__ import annotations

import html
import re
import unicodedata

from ..workspace.model import Workspace, texts_of

MIN_CHARS = 8
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
#: characters a reader does not see: soft hyphen, zero-width and direction marks, BOM
_INVISIBLE = re.compile("[\u00ad\u034f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                        "\ufeff]")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_MD_MARKS = re.compile(r"[*_`~]+")


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


#: quotation marks and apostrophes, which typography changes (RFE/RL's → RFE/RL’s)
_QUOTE_MARKS = re.compile("[\"'‘’‚‛“”„‟«»‹›]")


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    text = _QUOTE_MARKS.sub("", text)
    return _SPACE.sub(" ", text).strip().casefold()


def _css_char(m: re.Match) -> str:
    if m.group(1):
        code = int(m.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF else ""
    return m.group(2)


def _variants(text: str) -> list[str]:
    """The ways a reader may see `text`: as written, and with markup, entities, CSS and
    Markdown escapes and emphasis taken out, so that `SECRET-FAM<b></b>ILY`, `&#83;ECRET…`,
    `content: "\\53 ECRET…"` or `SECRET\\-FAMILY` do not hide a private string."""
    unescaped = html.unescape(text)
    joined = html.unescape(_TAG.sub("", text))
    out = [text, unescaped, joined, html.unescape(_TAG.sub(" ", text)),
           _CSS_ESCAPE.sub(_css_char, joined), _MD_MARKS.sub("", _MD_ESCAPE.sub(r"\1", joined))]
    return list(dict.fromkeys(_normal(t) for t in out))


def private_strings(ws: Workspace) -> dict[str, str]:
    """Normalised private text → the case it belongs to (short strings are too common)."""
    found: dict[str, str] = {}
    for case in ws.cases.values():
        texts = _strings(case.private)
        for event in case.events:
            if event.private:
                texts += event.text.all() if event.text else []
                texts += texts_of(event.place) + texts_of(event.court)
        for text in texts:
            for piece in [text, *re.split(r"[\n;]+", text)]:
                piece = _normal(piece)
                if len(piece) >= MIN_CHARS:
                    found.setdefault(piece, case.id)
    return found


def visible_text(markup: str) -> str:
    return "\n".join(_variants(markup)[2:]) or _normal(markup)


def leaks(texts: list[str], secrets: dict[str, str]) -> list[str]:
    """Ids of the cases whose private strings appear in any of `texts` (in any variant)."""
    if not secrets:
        return []
    haystack = "\n".join(v for t in texts for v in _variants(t))
    return sorted({case for secret, case in secrets.items() if secret in haystack})

