"""The attachment's file name: a document's title as a whole, safe name on every system."""
from __future__ import annotations

import re
import unicodedata

#: a name longer than this many characters is shortened (a title is rarely longer: most are
#: attached whole)
MAX_CHARS = 150
#: …and than this many bytes in UTF-8 (with `.pdf`; file systems allow 255 bytes)
MAX_BYTES = 200
#: `France/Azerbaijan`: a slash between words becomes a hyphen
_SLASH = re.compile(r"\s*/\s*")
#: a colon, semicolon, question or exclamation mark ending a clause (French puts a space
#: before it) becomes ` - `: `Open letter: President…` → `Open letter - President…`
_CLAUSE = re.compile(r"\s*[:;?!]+(?:\s+|$)")
_UNSAFE = re.compile(r'[\\/:*?<>|\x00-\x1f\x7f-\x9f\u2028\u2029]+')
#: where a shortened name may end: after a clause or a comma, before a dash
_BOUNDARY = re.compile(r"\s+-\s+|,\s+|\s+[–—]\s+")


def pdf_file_name(title: str, fallback: str) -> str:
    """A readable attachment name from the title: `:` and the like turned into ` - `, no path
    or control characters, and not too long (MAX_CHARS, MAX_BYTES) — when shortened, cut
    after a whole clause or at a word, never inside a word, and without a dangling short
    word (`… de la`)."""
    name = unicodedata.normalize("NFC", title)
    name = _SLASH.sub("-", name)
    name = _CLAUSE.sub(" - ", name)
    name = _UNSAFE.sub(" ", name.replace('"', "'"))
    name = _tidy(name)
    if _too_long(name):
        name = _shorten(name)
    return f"{name or fallback}.pdf"


def _tidy(name: str) -> str:
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"( - )+", " - ", name)
    return name.strip(" .-–—,")


def _too_long(name: str) -> bool:
    return len(name) > MAX_CHARS or len(f"{name}.pdf".encode()) > MAX_BYTES


def _shorten(name: str) -> str:
    """The longest head of `name` that fits: up to a clause boundary when that keeps at
    least half of what fits, else up to a word without the short words a phrase cannot end
    on (articles, prepositions: `of the`, `de la`)."""
    fits = name
    while _too_long(fits):
        fits = fits[:-1]
    limit = len(fits)
    cuts = [m.start() for m in _BOUNDARY.finditer(name) if m.start() <= limit]
    if cuts and cuts[-1] >= limit // 2:
        return _tidy(name[:cuts[-1]])
    head = fits if name[limit:limit + 1] in ("", " ") else fits.rsplit(" ", 1)[0]
    words = head.split(" ")
    while len(words) > 1 and _dangling(words[-1]):
        words.pop()
    return _tidy(" ".join(words))


def _dangling(word: str) -> bool:
    """A word a shortened name should not end on: a short lower-case word (`de`, `la`, `of`,
    `the`, `и`), a lone letter or digit, or punctuation."""
    letters = word.strip("’'()[]")
    return len(letters) <= 3 and (letters.islower() or not letters.isalnum())
