"""Each language's typography, applied once to the text of rendered Markdown and HTML."""
from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable

from ..limits import TYPESET_CACHE_SIZE
from . import breaks, languages
from .i18n import babel_locale, base, catalog
from .languages import NBSP
from .phrases import DURATION_WORDS
from .statuses import number_words

#: abbreviations that end with a full stop, in any of the languages: a sentence's own stop
#: after them is dropped
ABBREVIATIONS = languages.every_abbreviation()
#: spaces that stay unbroken in any language's text ("2018 г.", "2018-ci il")
BINDS = tuple((re.compile(pattern), space) for pattern, space in languages.every_bind())

# Markdown that must not change: front matter, code, autolinks and HTML tags, link targets,
# footnote labels (with the colon of their definitions), bare URLs
_MD_PROTECTED = re.compile(
    r"\A---\n.*?\n---\n"
    r"|^(?:```|~~~).*?^(?:```|~~~)[^\n]*$"
    r"|`[^`\n]*`"
    r"|<[^<>\n]*>"
    r"|\]\([^()\s]*(?:\s+\"[^\"]*\")?\)"
    r"|^\[\^[^\]\n]*\]:"
    r"|\[\^[^\]\n]*\]"
    r"|\b(?:https?|mailto|ftp)://[^\s<>()]+"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    re.S | re.M)
# HTML that must not change: tags with their attributes, comments, and the content of
# script, style, pre, code and textarea
_HTML_PROTECTED = re.compile(
    r"<!--.*?-->"
    r"|<(script|style|pre|code|textarea)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>.*?</\1\s*>"
    r"|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
    re.S | re.I)
_URL = re.compile(r"\b(?:https?|mailto|ftp)://[^\s<>()]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

#: an English quotation inside the text ("“Azerbaijan: Abzas Media…”", a source's title)
#: keeps its own typography: the language's spaces before punctuation stay out of it
_FOREIGN_QUOTE = re.compile(r"“[^“”\n]*”")


def apply_markdown(text: str, language: str) -> str:
    """Typeset the prose of a Markdown document, leaving its syntax and links alone."""
    return _outside(_MD_PROTECTED, text, lambda t: typeset(t, language))


#: a part of a document in another language: `<section lang="az">…</section>` (a copy's cover
#: note); it is typeset in its own language
_LANG_SECTION = re.compile(r'(<section\b[^>]*\blang="([A-Za-z-]+)"[^>]*>)(.*?)(</section>)', re.S)


def apply_html(text: str, language: str, names: Iterable[str] = ()) -> str:
    """Typeset the text nodes of an HTML document (never tags, attributes or code); a
    `<section lang="…">` in another language is typeset in its own. Then mark where lines
    may break (`breaks.mark`): names, capitals and codes never hyphenated (with `names`, the
    records' names, kept whole too), URLs as links that break after `/` and `.`."""
    parts, last = [], 0
    for m in _LANG_SECTION.finditer(text):
        parts.append(_apply_html(text[last:m.start()], language))
        parts.append(m.group(1) + _apply_html(m.group(3), m.group(2)) + m.group(4))
        last = m.end()
    parts.append(_apply_html(text[last:], language))
    return breaks.mark("".join(parts), language, names)


def _apply_html(text: str, language: str) -> str:
    def node(raw: str) -> str:
        plain = html.unescape(raw)
        done = _outside(_URL, plain, lambda t: typeset(t, language))
        return raw if done == plain else html.escape(done, quote=False)
    text = _outside(_HTML_PROTECTED, text, node)
    # "<strong>14 марта 2025 г.</strong>." — the stop after an inline element's abbreviation
    return _STOPS_ACROSS_TAGS.sub(lambda m: m.group(1) + "." + m.group(2), text)


def _outside(pattern: re.Pattern[str], text: str, change: Callable[[str], str]) -> str:
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(change(text[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(change(text[last:]))
    return "".join(out)


@functools.lru_cache(maxsize=TYPESET_CACHE_SIZE)
def typeset(text: str, language: str) -> str:
    """One run of prose in `language`: spaces, quotation marks, apostrophes, full stops."""
    if not text or text.isspace():
        return text
    lang = base(language)
    record = languages.get(lang)
    text = _quotes(text, record.quotes)
    text = _numbers(text, record.group_space)
    text = _day_month(text, lang)
    text = _durations(text, lang)
    if record.nbsp_before_dash:
        # the languages that space their dash (tiret, тире, tire) write it as —: a spaced
        # hyphen between words is one typed on a keyboard ("он сказал - и ушёл")
        text = re.sub(r"(?<=[^\s\d>-]) - (?=[^\s\d-])", " — ", text)
    if record.space_before:
        # French: the narrow no-break space before ; ! ?, a full one before : (Imprimerie
        # nationale, Lexique des règles typographiques); a quoted English title keeps its own
        text = _outside(_FOREIGN_QUOTE, text,
                        lambda t: _space_before(t, record.space_before, NBSP))
        # and its incises hold their words: "— sympathisants … autres —"
        return _doubled_stops(_dash_pairs(text))
    # elsewhere no line starts with a spaced dash (English included)
    return _doubled_stops(_dash_spaces(text))


def _dash_spaces(text: str) -> str:
    """A no-break space before a spaced dash, so that no line starts with one."""
    # after a word only: "> — Speaker" (a Markdown quote's attribution) stays as it is
    return re.sub(r"(?<=[^\s>])[ \t](?=[–—](?:\s|$))", NBSP, text)


def _dash_pairs(text: str) -> str:
    """French incises: "— sympathisants … autres —": the opening dash is followed by a
    no-break space, the closing one preceded by one; a dash the sentence closes opens."""
    out = []
    for sentence in re.split(r"(?<=[.!?…])(\s+)", text):
        opened = False

        def dash(m: re.Match[str]) -> str:
            nonlocal opened
            before, mark, after = m.group(1), m.group(2), m.group(3)
            if not before and not after:
                return m.group(0)  # 6–12: a range, not an incise
            opened = not opened
            if opened:
                return before + mark + (NBSP if after else "")
            return (NBSP if before else "") + mark + after
        out.append(re.sub(r"([ \t\u00a0]?)([–—])([ \t\u00a0]|$)", dash, sentence))
    return "".join(out)


def _quotes(text: str, quotes: tuple[str, str]) -> str:
    """Straight quotes become the language's; an apostrophe becomes ’."""
    opening, closing = quotes
    # apostrophes inside or at the end of a word: RFE/RL’s, d’opinion, Yunus’
    text = re.sub(r"(?<=\w)'", "’", text)
    text = re.sub(r"(?:(?<=^)|(?<=[\s(\[—–-]))'(?=\w)", "‘", text)
    text = re.sub(r"(?<=\S)'", "’", text)
    text = re.sub(r'(?:(?<=^)|(?<=[\s(\[—–/-]))"(?=\S)', opening.replace("\\", ""), text)
    text = text.replace('"', closing)
    mark_open, mark_close = opening.strip(), closing.strip()
    if mark_open != opening:
        # «text» or « text » written by hand: the language's spaces inside the guillemets
        text = re.sub(re.escape(mark_open) + r"[ \u00a0\u202f]*", opening, text)
        text = re.sub(r"[ \u00a0\u202f]*" + re.escape(mark_close), closing, text)
    return text


def _numbers(text: str, space: str) -> str:
    """Groups of thousands written with a space are kept on one line: 10 000, 1 250 000."""
    return re.sub(r"(?<=\d)[ \u00a0](?=\d{3}(?!\d))", space, text)


@functools.cache
def _months(lang: str) -> re.Pattern[str] | None:
    try:
        loc = babel_locale(lang)
    except Exception:  # pragma: no cover - babel_locale already falls back to en_GB
        return None
    names = {name for context in ("format", "stand-alone")
             for width in ("wide", "abbreviated")
             for name in loc.months.get(context, {}).get(width, {}).values()}
    if not names:
        return None
    alternatives = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    return re.compile(rf"(?<![\d.,])(\d{{1,2}})[ \t](?=(?:{alternatives})(?!\w))", re.I)


def _day_month(text: str, lang: str) -> str:
    """No line break between a day and its month: 25 octobre, 22 мая, 18 iyul."""
    pattern = _months(lang)
    if pattern is not None:
        text = pattern.sub(lambda m: m.group(1) + NBSP, text)
    # "2018 г." / "2014-cü il" keep together too
    for bound, space in BINDS:
        text = bound.sub(space, text)
    return text


#: a length written in words up to this number ("seven years"), in digits above (11 years)
WORDS_UP_TO = 10


@functools.cache
def _duration_pattern(lang: str) -> re.Pattern[str] | None:
    words = catalog(lang).pgettext("duration-words", DURATION_WORDS).split()
    if not words or not languages.get(lang).numbers:
        return None
    alternatives = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    return re.compile(rf"(?<![\w.,:/–-])(\d{{1,2}})(?=[ \u00a0](?:{alternatives})(?![\w-]))")


def _durations(text: str, lang: str) -> str:
    """A sentence's length up to ten in words, as style guides write it: "sept ans",
    "seven years", "семь лет", "yeddi il" (the language's number words)."""
    pattern = _duration_pattern(lang)
    if pattern is None:
        return text

    def word(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return number_words(n, lang) if 0 < n <= WORDS_UP_TO else m.group(1)
    return pattern.sub(word, text)


def _space_before(text: str, nbsp: str, colon: str) -> str:
    """French: a narrow no-break space before ; ! ?, a full one before : (not in 10:00, ?!,
    or URLs)."""
    def space(m: re.Match[str]) -> str:
        before, mark = m.group(1), m.group(2)
        after = text[m.end():m.end() + 1]
        if (mark == ":" and before.isdigit() and after.isdigit()) or \
                (not before and m.start() == 0 and text[:1] in "!?" and after.isalnum()):
            return m.group(0)
        return before + (colon if mark == ":" else nbsp) + mark
    # a run may begin right after a link or tag: "<https://…> : suite", "<b>Date</b>:"
    return re.sub(r"(^|[^\s;:!?(\[«])[ \u00a0\u202f]?([;:!?])(?!//)", space, text)


_STOPS = re.compile(r"(?<!\w)(" + "|".join(re.escape(a[:-1]) for a in ABBREVIATIONS) +
                    r")\.([*_]*)\.(?!\.)")


_STOPS_ACROSS_TAGS = re.compile(r"(?<!\w)(" + "|".join(re.escape(a[:-1]) for a in ABBREVIATIONS) +
                                r")\.((?:</(?:strong|em|b|i|span|a|q)>)+)\.(?!\.)")


def _doubled_stops(text: str) -> str:
    """'г..', 'etc..' → one full stop (a date or abbreviation ending a sentence)."""
    return _STOPS.sub(lambda m: m.group(1) + "." + m.group(2), text)
