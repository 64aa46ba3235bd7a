"""What a reader sees, in one spelling: folding and decoding of text for the privacy scan."""
from __future__ import annotations

import base64
import binascii
import functools
import html
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from urllib.parse import unquote

_SPACE = re.compile(r"\s+")
NOT_WORD = re.compile(r"[\W_]+")
WORD = re.compile(r"[^\W_]+")
GROUP = re.compile(r"\d+")
#: a number as written: digits, and groups of digits joined by spaces, dashes, dots, slashes,
#: brackets, plus signs or commas (`+994 (50) 777-12-34`); not colons (times: 10:00); not
#: touching a letter (digits inside `aze84436994` or a hexadecimal digest are no number: an
#: identifier with letters is searched as a token); in a private value, any digits
NUMBER_IN_PRIVATE = re.compile(r"\d+(?:[\s\-./()+,\u00a0]{1,3}\d+)*")
_NUMBER = re.compile(r"(?<![^\W_])" + NUMBER_IN_PRIVATE.pattern + r"(?![^\W_])")
#: text spelled out: three or more one-character words in a row
_SPELLED = re.compile(r"(?<!\S)\S(?: \S){2,}(?!\S)")
_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
#: an inline element with no element inside, taken out with its text: a span hidden by CSS
#: (`Ley<span class=x>zz</span>la`) leaves the rest joined as a reader sees it
_INLINE = re.compile(r"<(span|b|i|em|strong|small|s|u|mark|sup|sub|font|ins|del|q|abbr|code|"
                     r"a|tspan|text|bdo|bdi|cite|dfn|kbd|samp|var|time|data)\b[^>]*>[^<]*</\1\s*>",
                     re.I)
#: Markdown a reader sees through: emphasis and code marks (`Ley**la**` shows `Leyla`), and
#: a link or image shown by its text (`![Leyla](a.png)![Nurieva](b.png)`, read aloud)
_MD_MARKS = re.compile(r"[*_`~]+")
_MD_LINK = re.compile(r"!?\[([^\]\n]{0,1000})\]\([^)\n]{0,4000}\)")
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_DATA_URI = re.compile(r"data:(image/svg\+xml|text/[\w.+-]+|application/xhtml\+xml)"
                       r"((?:;[\w.+=-]+)*?)(;base64)?,([^\"'\s)<>]*)", re.I)
#: quotation marks and apostrophes, which typography changes (RFE/RL's → RFE/RL’s)
_QUOTE_MARKS = re.compile("[\"'‘’‚‛“”„‟«»‹›]")
#: invisible characters that are not of category Cf: combining grapheme joiner, Hangul and
#: Mongolian fillers, variation selectors
_MORE_INVISIBLE = [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180E,
                   0x180F, 0x3164, 0xFFA0, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]
#: the largest data: URI decoded (an SVG's text), and how many are decoded in one text
MAX_DATA_URI = 4 * 1024 * 1024
MAX_DATA_URIS = 256
_PLANES = [*range(0x30000), *range(0xE0000, 0xE1000)]


def _char_class(codes: list[int]) -> re.Pattern[str]:
    ranges: list[list[int]] = []
    for c in sorted(set(codes)):
        if ranges and c == ranges[-1][1] + 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                                    for a, b in ranges) + "]")


@functools.cache
def _invisible() -> re.Pattern[str]:
    """Characters a reader does not see (format characters: zero-width, soft hyphen, bidi
    controls and overrides, tags; variation selectors, fillers): taken out before searching."""
    return _char_class([c for c in _PLANES if unicodedata.category(chr(c)) == "Cf"]
                       + _MORE_INVISIBLE)


@functools.cache
def _marks() -> re.Pattern[str]:
    """Combining marks (accents, cedillas, enclosing marks): dropped after NFKD, so that
    `Le\u0301yla`, `Léyla` and `Leyla` are one spelling."""
    return _char_class([c for c in _PLANES if unicodedata.category(chr(c)) in ("Mn", "Me")])


@functools.cache
def _lookalikes() -> dict[int, str]:
    """Letters NFKC keeps but a reader reads as others: small capitals (`ʟᴇʏʟᴀ`), regional
    indicator letters; and every decimal digit (Arabic-Indic, Devanagari…) as its ASCII one."""
    table: dict[int, str] = {}
    for c in _PLANES:
        ch = chr(c)
        name = unicodedata.name(ch, "")
        if "SMALL CAPITAL " in name:
            rest = name.rsplit("SMALL CAPITAL ", 1)[1]
            if rest.isascii() and rest.isalpha():
                table[c] = rest.lower()
        elif name.startswith("REGIONAL INDICATOR SYMBOL LETTER "):
            table[c] = name[-1].lower()
        elif unicodedata.category(ch) == "Nd" and c >= 128:
            table[c] = str(unicodedata.decimal(ch))
    return table


@functools.cache
def _skeletons() -> dict[int, str]:
    """Each lookalike character → the prototype of its class in Unicode's confusables data
    (UTS #39, as shipped by the `confusable_homoglyphs` package): Cyrillic `а` → `a`,
    `ⅿ` → `m`… The data pairs every source with its prototype; the prototype of a class is
    its centre (the member paired with all others)."""
    data = json.loads(resources.files("confusable_homoglyphs").joinpath("confusables.json")
                      .read_text("utf-8"))
    degree: dict[str, int] = {key: len(items) for key, items in data.items()}
    table: dict[int, str] = {}
    for key, items in data.items():
        if len(key) != 1:
            continue
        members = [key, *(i["c"] for i in items)]
        centre = max(members, key=lambda m: (degree.get(m, 0), -len(m), [-ord(c) for c in m]))
        if centre != key:
            table[ord(key)] = centre
    return table


@functools.cache
def _ascii_tables() -> tuple[dict[int, str], list[tuple[str, str]]]:
    """The ASCII part of the skeleton table: one-to-one mappings for str.translate's fast path,
    and the few that make two characters (`m` → `rn`) for str.replace."""
    ascii_ = {k: v for k, v in _skeletons().items() if k < 128}
    single = {k: v for k, v in ascii_.items() if len(v) == 1 and v.isascii()}
    return single, [(chr(k), v) for k, v in ascii_.items() if k not in single]


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _skeleton(text: str) -> str:
    table = _skeletons()
    if not text.isascii():
        text = _NON_ASCII.sub(lambda m: table.get(ord(m.group()), m.group()), text)
    single, multi = _ascii_tables()
    text = text.translate(single)
    for char, proto in multi:
        if char in text:
            text = text.replace(char, proto)
    return text


def _plain(text: str) -> str:
    """Invisible characters out; NFKD with combining marks dropped; small capitals and
    other digits and letters NFKC keeps read as plain ones; then NFKC."""
    if text.isascii():
        return text
    text = _invisible().sub("", text)
    text = _marks().sub("", unicodedata.normalize("NFKD", text)).translate(_lookalikes())
    return unicodedata.normalize("NFKC", text)


def fold(text: str) -> str:
    """What a reader sees, in one spelling: invisible and bidi characters removed, NFKD with
    combining marks dropped, small capitals and other lookalikes read as plain letters, NFKC,
    case folded, lookalike letters replaced by their UTS #39 prototypes, spacing collapsed."""
    return fold_plain(_plain(text))


def fold_plain(text: str) -> str:
    """`fold` of a text already through `fold_digits`."""
    text = _QUOTE_MARKS.sub("", text)  # typography may change them
    # prototypes first (Cyrillic `Т` → `T`), then case, then the lower-case lookalikes
    # (each step character by character, so that a string folds the same wherever it stands)
    text = _skeleton(_skeleton(text).casefold()).casefold()
    return _SPACE.sub(" ", text).strip()


def fold_digits(text: str) -> str:
    """`text` with its digits kept as digits (fold reads `0` as `o`): for numbers only."""
    return _plain(text)


def _css_char(m: re.Match[str]) -> str:
    if m.group(1):
        code = int(m.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF else ""
    return m.group(2)


def data_uri_texts(text: str) -> list[str]:
    """The text of each SVG, HTML or text data: URI in `text` (base64 or percent-encoded):
    an SVG's `<text>` is laid out as real text in a PDF and shown in a browser."""
    found: list[str] = []
    for m in _DATA_URI.finditer(text):
        if len(found) >= MAX_DATA_URIS:
            break
        payload = m.group(4)[:MAX_DATA_URI * 2]
        if m.group(3):
            try:
                data = base64.b64decode(unquote(payload) + "=" * (-len(payload) % 4))
            except (binascii.Error, ValueError):
                continue
            found.append(data[:MAX_DATA_URI].decode("utf-8", "replace"))
        else:
            found.append(unquote(payload)[:MAX_DATA_URI])
    return found


def decoded(text: str) -> str:
    """`text` with HTML entities and percent-escapes read (twice each: `%2525`, `&amp;#…`)."""
    for _ in range(2):
        text = html.unescape(text)
        if "%" in text:
            text = unquote(text)
    return text


def variants(text: str) -> list[str]:
    """The ways a reader may see `text`, each before folding: decoded (entities and percent
    escapes read; tags, attributes and link targets kept); with markup taken out
    (`SECRET-FAM<b></b>ILY`); with short inline elements taken out together with their text
    (a span hidden by CSS); with CSS escapes read (`\\53 ECRET`); a text that is not an HTML
    document also as Markdown is shown (marks of emphasis out, links and images by their
    text); and the text of every SVG or text
    data: URI in it."""
    out = [decoded(text)]
    if "<" in text:
        bare = _COMMENT.sub("", text)
        out.append(decoded(_TAG.sub("", bare)))
        hidden = _INLINE.sub("", bare)
        if hidden != bare:
            out.append(decoded(_TAG.sub("", hidden)))
    if "\\" in text:
        out.append(decoded(_CSS_ESCAPE.sub(_css_char, out[-1])))
    if not text.lstrip().startswith("<") and (_MD_MARKS.search(text) or "](" in text):
        out.append(decoded(_MD_MARKS.sub("", _MD_LINK.sub(r" \1 ", text))))
    if "data:" in text:
        for inner in data_uri_texts(html.unescape(text)):
            out += [inner, decoded(_TAG.sub("", inner))]
    return out


def compact(folded: str) -> str:
    """Only the letters and digits of a folded text."""
    return NOT_WORD.sub("", folded)


@dataclass
class Haystack:
    """One output text in the forms the patterns are searched in."""

    raw: str = ""                 # folded variants, and each with only letters and digits
    runs: str = ""                # words of each variant joined by one space
    spelled: str = ""             # runs of one-letter words (`L e y l a`), joined
    digits: str = ""              # the digits of each number, `#` between numbers
    starts: frozenset[int] = frozenset()   # where a group of digits starts in `digits`
    ends: frozenset[int] = frozenset()     # where one ends
    joins: frozenset[int] = frozenset()    # a group after a separator other than spaces


def haystack(text: str) -> Haystack:
    """`text` in every form the privacy scan's patterns are searched in."""
    raw: list[str] = []
    runs: list[str] = []
    spelled: list[str] = []
    digits: list[str] = []
    starts: set[int] = set()
    ends: set[int] = set()
    joins: set[int] = set()
    at = 0
    for variant in variants(text):
        plain = fold_digits(variant)
        folded = fold_plain(plain)
        raw += [folded, compact(folded)]
        words = WORD.findall(folded)
        runs.append(" " + " ".join(words) + " ")
        spelled += ["".join(m.group().split()) for m in _SPELLED.finditer(" ".join(words))]
        for m in _NUMBER.finditer(plain):
            digits.append("#")
            at += 1
            previous = 0
            for group in GROUP.finditer(m.group()):
                if group.start() and not m.group()[previous:group.start()].isspace():
                    joins.add(at)
                previous = group.end()
                starts.add(at)
                digits.append(group.group())
                at += len(group.group())
                ends.add(at - 1)
    return Haystack("\n".join(raw), "\n".join(runs), "\n".join(spelled), "".join(digits) + "#",
                     frozenset(starts), frozenset(ends), frozenset(joins))
