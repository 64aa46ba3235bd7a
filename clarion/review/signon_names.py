"""Names as people type them into a form: the key two spellings of one name share, what looks
like spam, and country names turned into ISO codes (Babel's names in many languages)."""
from __future__ import annotations

import difflib
import functools
import re
import unicodedata

from anyascii import anyascii

#: languages whose country names are understood (Babel's data), beside the codes themselves
COUNTRY_LANGUAGES = ("en", "fr", "ru", "de", "es", "it", "pt", "nl", "tr", "az", "uk", "pl",
                     "ar", "ka", "hy", "kk", "ky", "tg", "uz", "be", "ro", "sv", "cs")
#: names people write that are not Babel's
COUNTRY_ALIASES = {
    "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "usa": "US", "u s a": "US",
    "u s": "US", "america": "US", "united states of america": "US", "holland": "NL",
    "czech republic": "CZ", "republic of korea": "KR", "korea": "KR", "ivory coast": "CI",
    "russian federation": "RU", "rf": "RU", "rossiia": "RU", "burma": "MM", "swaziland": "SZ",
    "macedonia": "MK", "turkiye": "TR", "the netherlands": "NL", "the gambia": "GM",
    "drc": "CD", "dr congo": "CD", "uae": "AE", "kyrgyz republic": "KG", "moldova": "MD"}
#: Babel's territories that are not countries
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})

_URL = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|net|org|info|biz|xyz|ru|io|top|site|"
                  r"online|shop|click|link)\b", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_TRAILING_BRACKETS = re.compile(r"\s*[\(\[]([^()\[\]]*)[\)\]]\s*$")
_TRAILING_COUNTRY = re.compile(r"\s*(?:,|-|–|—|/)\s*([^,\-–—/]+)$")


def _plain(text: str) -> str:
    """Lower-case ASCII letters and digits, one space between words."""
    ascii_ = anyascii(text).lower().replace("'", "").replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_).split())


@functools.cache
def _countries() -> dict[str, str]:
    from babel import Locale
    names: dict[str, str] = {}
    for language in COUNTRY_LANGUAGES:
        for code, name in Locale.parse(language).territories.items():
            if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES:
                names.setdefault(_plain(name), code)
                names.setdefault(code.lower(), code)
    names.update(COUNTRY_ALIASES)
    return names


def country_code(text: str) -> str | None:
    """`United Kingdom`, `UK`, `Royaume-Uni`, `Великобритания`, `gb` → `GB`; None if unknown."""
    key = _plain(text)
    key = key[4:] if key.startswith("the ") and key[4:] in _countries() else key
    return _countries().get(key)


def _majority_script(text: str) -> str:
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            script = unicodedata.name(char, "UNKNOWN").split()[0]
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda s: counts[s]) if counts else "LATIN"


def mixed_script_words(text: str) -> list[str]:
    """Words whose letters come from more than one script (Latin `a` beside Cyrillic `м`):
    a lookalike spelling that defeats duplicate checks, or a spammer's trick."""
    found = []
    for word in text.split():
        scripts = {unicodedata.name(c, "UNKNOWN").split()[0] for c in word if c.isalpha()}
        if len(scripts) > 1:
            found.append(word)
    return found


def _skeleton(text: str) -> str:
    """Each lookalike letter of a mixed-script word as its twin in the text's main script
    (Unicode's confusables data): `Аmnesty` with a Cyrillic А reads `Amnesty`."""
    if not mixed_script_words(text):
        return text
    from confusable_homoglyphs import confusables
    main = _majority_script(text)
    out = []
    for char in text:
        twin = char
        if char.isalpha() and unicodedata.name(char, "").split()[:1] != [main]:
            found = confusables.is_confusable(char, greedy=True, preferred_aliases=[main.lower()])
            for entry in found or []:
                twin = next((h["c"] for h in entry["homoglyphs"]
                             if h["n"].startswith(main)), char)
        out.append(twin)
    return "".join(out)


def strip_country(name: str) -> str:
    """`Amnesty International (UK)`, `ACAT – France` → the name without its country."""
    for pattern in (_TRAILING_BRACKETS, _TRAILING_COUNTRY):
        m = pattern.search(name)
        if m and country_code(m.group(1)) and m.start() > 0:
            return name[:m.start()].rstrip()
    return name


def match_key(name: str) -> str:
    """What two spellings of one name share: case, accents, lookalike letters, punctuation, a
    leading "The" and a trailing country do not count."""
    key = _plain(strip_country(_skeleton(" ".join(name.split()))))
    return key[4:] if key.startswith("the ") else key


def spam_signs(name: str) -> list[str]:
    """Why a name looks like spam or a slip, in words for the report (none: it looks fine)."""
    signs = []
    if _URL.search(name):
        signs.append("a web address in the name")
    if _EMAIL.search(name):
        signs.append("an e-mail address in the name")
    mixed = mixed_script_words(name)
    if mixed:
        signs.append("letters of two alphabets mixed in one word (lookalike letters)")
    words = [w for w in re.findall(r"[^\W\d_]+", name) if len(w) >= 3]
    if words and all(w.isupper() for w in words) and (len(words) >= 2 or len(words[0]) >= 8):
        signs.append("all in capitals")
    if sum(c.isdigit() for c in name) > 4:
        signs.append("many digits")
    if len(name) > 150:
        signs.append("very long")
    return signs


class CloseNames:
    """The match keys seen so far, to find one a letter or two away from a new key (a typo)
    or with the same words in another order ("Dupont Jean"). Only keys sharing a word, or
    their first or last three letters, are compared: a few thousand names stay quick."""

    def __init__(self, close: float) -> None:
        self.close = close
        self._said: list[str] = []
        self._keys: list[str] = []
        self._index: dict[str, list[int]] = {}
        self._orders: dict[tuple[str, ...], int] = {}

    @staticmethod
    def _blocks(key: str) -> set[str]:
        return {w for w in key.split() if len(w) >= 3} | {"^" + key[:3], key[-3:] + "$"}

    def find(self, key: str) -> str | None:
        """What was said of a key close to `key` (None: none is)."""
        if not key:
            return None
        same_words = self._orders.get(tuple(sorted(key.split())))
        if same_words is not None and self._keys[same_words] != key:
            return self._said[same_words]
        candidates = sorted({i for b in self._blocks(key) for i in self._index.get(b, ())})
        for i in candidates:
            other = self._keys[i]
            if other == key or 2 * min(len(other), len(key)) < self.close * (
                    len(other) + len(key)):
                continue
            matcher = difflib.SequenceMatcher(None, other, key)
            if matcher.quick_ratio() >= self.close and matcher.ratio() >= self.close:
                return self._said[i]
        return None

    def add(self, key: str, said: str) -> None:
        if not key:
            return
        number = len(self._keys)
        self._keys.append(key)
        self._said.append(said)
        self._orders.setdefault(tuple(sorted(key.split())), number)
        for block in self._blocks(key):
            self._index.setdefault(block, []).append(number)
