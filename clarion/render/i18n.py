"""Languages at work: gettext catalogues, Babel dates, times and lists, pronouns, hyphenation.

What each language needs is in its record (`languages.py`); this module applies it.
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import gettext
import re
from collections.abc import Iterable, Sequence
from typing import cast

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, tokenize_pattern, untokenize_pattern
from babel.lists import format_list

from ..resources import LOCALE_DIR as LOCALE_DIR
from . import languages
from .languages import PRONOUN_FORMS as PRONOUN_FORMS
from .languages import base as base


class Catalog(gettext.NullTranslations):
    """A gettext catalogue read from a .po file; compiled in memory on first use."""

    def __init__(self, messages: dict[str | tuple[str, int], str]):
        super().__init__()
        self._messages = messages

    def gettext(self, message: str) -> str:
        return self._messages.get(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self._messages.get((singular, 0 if n == 1 else 1))
        return found or (singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return self._messages.get(f"{context}\x04{message}") or message

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self.ngettext(singular, plural, n)


@functools.cache
def catalog(language: str) -> gettext.NullTranslations:
    """The fixed-phrase catalogue of `language` (English and unknown languages: as written)."""
    record = languages.get(language)
    path = record.catalogue
    if path is None or not path.is_file():
        return Catalog({})
    from babel.messages.pofile import read_po
    with path.open("rb") as f:
        po = read_po(f, locale=record.code)
    messages: dict[str | tuple[str, int], str] = {}
    for message in po:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, (list, tuple)):
            # Babel: a plural message's string is a sequence, one text per plural form
            for i, text in enumerate(cast("Sequence[str]", message.string)):
                messages[(message.id[0], i)] = text
        else:
            key = message.id if not message.context else f"{message.context}\x04{message.id}"
            messages[key] = cast(str, message.string)
    return Catalog(messages)


def has_phrases(language: str) -> bool:
    """Whether Clarion's fixed phrases exist in `language`."""
    return languages.get(language).phrases


def locale_for(language: str, workspace_language: str, workspace_locale: str | None) -> str:
    """The Babel locale of a document: the workspace `locale` for its own language; a regional
    code (`fr-BE`) gives that region's formats; else the language's usual locale."""
    if workspace_locale and language == workspace_language:
        return workspace_locale
    if "-" in language or "_" in language:
        return language.replace("-", "_")
    known = languages.LANGUAGES.get(language)
    return known.locale if known else language


@functools.cache
def babel_locale(name: str) -> Locale:
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def long_date(value: dt.date, locale: str) -> str:
    """The locale's long date with the inflected month: 18 July 2018, 18 июля 2018 г.,
    18 iyul 2018-ci il."""
    if isinstance(value, dt.datetime):
        value = value.date()
    text = format_date(value, format="long", locale=babel_locale(locale))
    year = languages.get(locale).year
    return year(text) if year else text


#: the named styles of the `date` filter (Babel's four, and ISO 8601)
DATE_STYLES = ("short", "medium", "long", "full", "iso")
#: the letters of a CLDR pattern that write part of a date (era, year, quarter, month, week,
#: day, weekday); the others (a, h, H, K, k, m, s, S, A, z, Z, O, v, V, X, x, b, B) write a time
DATE_FIELDS = frozenset("GyYuQqMLwWdDFgEec")
TIME_FIELDS = frozenset("ahHKkmsSAzZOvVXxbBjJC")


def date_style_problem(style: object) -> str | None:
    """Why `style` is not a style of the `date` filter (one of DATE_STYLES or a CLDR date
    pattern such as `d MMMM`, with other words in single quotes), or None when it is."""
    if style in DATE_STYLES:
        return None
    shown = repr(style[:40] if isinstance(style, str) else style)
    use = (f"use {', '.join(DATE_STYLES[:-1])} or iso, or a CLDR date pattern such as "
           "'d MMMM' (words in single quotes: \"d 'de' MMMM\")")
    if not isinstance(style, str) or not style.strip():
        return f"date({shown}): not a date style; {use}"
    outside = re.sub(r"'[^']*'", "", style.replace("''", ""))
    if "'" in outside:
        return f"date({shown}): a quote is not closed; {use}"
    for letter in re.findall(r"[A-Za-z]", outside):
        if letter in TIME_FIELDS:
            return (f"date({shown}): '{letter}' is a time of day, which a date has not; "
                    f"{use}")
        if letter not in DATE_FIELDS:
            close = difflib.get_close_matches(style, DATE_STYLES, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'? " if close else ""
            return f"date({shown}): '{letter}' is not a date field; {hint}{use}"
    if not re.search(r"[A-Za-z]", outside):
        return f"date({shown}): the pattern writes no part of the date; {use}"
    try:
        format_date(dt.date(2000, 1, 1), _standalone(style), locale=babel_locale("en"))
    except (ValueError, KeyError, AttributeError) as e:
        return f"date({shown}): {e}; {use}"
    return None


def _standalone(pattern: str) -> str:
    """A pattern without a day names the month in its standalone form (`LLLL y`: Russian
    "июль 2017", not the "июля" of "5 июля")."""
    tokens = tokenize_pattern(pattern)
    if any(kind == "field" and str(value[0]) in "dDFg" for kind, value in tokens):
        return pattern
    standalone: list[_Token] = []
    for kind, value in tokens:
        if kind == "field" and isinstance(value, tuple) and value[0] == "M":
            value = ("L", value[1])
        standalone.append((kind, value))
    return untokenize_pattern(standalone)


def styled_date(value: dt.date, style: str, locale: str) -> str:
    """A date in a style of the `date` filter (date_style_problem says which are): `long` is
    `long_date`; a year that ends the text takes the language's grammar (Azerbaijani
    "2017-ci il") except in `short`; a CLDR pattern is Babel's, the month standalone when
    there is no day."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if style == "iso":
        return value.isoformat()
    if style == "long":
        return long_date(value, locale)
    pattern = style if style in DATE_STYLES else _standalone(style)
    text = format_date(value, format=pattern, locale=babel_locale(locale))
    year = languages.get(locale).year
    return year(text) if year and style != "short" else text


def dateline(place: str | None, value: dt.date, locale: str) -> str:
    """The place-and-date line: 'Brussels, 18 July 2018', 'Bruxelles, le 18 juillet 2018'."""
    date = languages.get(locale).dateline_prefix + long_date(value, locale)
    return f"{place}, {date}" if place else (date[:1].upper() + date[1:])


#: a piece of a Babel date pattern: ("field", ("d", 1)) or ("chars", " ")
_Token = tuple[str, "str | tuple[str, int]"]


def date_range(start: dt.date, end: dt.date, locale: str) -> str:
    """Two dates written once where they agree, in the order of the locale's long date, with
    the language's dash: 6–12 October 2014, 29 September – 5 October 2014, 6–12 октября
    2014 г., October 6–12, 2014 (en_US). Clarion's rule, whatever CLDR's interval formats say."""
    if isinstance(start, dt.datetime):
        start = start.date()
    if isinstance(end, dt.datetime):
        end = end.date()
    if start > end:
        start, end = end, start
    if start == end:
        return long_date(start, locale)
    language = languages.get(locale)
    loc = babel_locale(locale)
    tokens = tokenize_pattern(loc.date_formats["long"].pattern)
    fields = {value[0]: i for i, (kind, value) in enumerate(tokens) if kind == "field"}
    if start.year != end.year or not {"d", "M", "y"} <= fields.keys():
        return f"{long_date(start, locale)}{language.range_dashes[1]}{long_date(end, locale)}"
    differ = [fields["d"]] + ([fields["M"]] if start.month != end.month else [])
    cut = max(differ) + 1
    first = tokens[:cut]
    if cut < len(tokens) and tokens[cut][0] == "chars" and str(tokens[cut][1]).startswith("."):
        first.append(("chars", "."))  # German "6.–12. Oktober"
    last = tokens[min(differ):]
    dash = language.range_dashes[0 if start.month == end.month else 1]
    return _part(start, first, locale) + dash + _part(end, last, locale)


def _part(value: dt.date, tokens: Sequence[_Token], locale: str) -> str:
    """One end of a range: the fields of the long date in `tokens` (a year with its grammar)."""
    text = format_date(value, untokenize_pattern(tokens), locale=babel_locale(locale))
    year = languages.get(locale).year
    has_year = any(kind == "field" and v[0] == "y" for kind, v in tokens)
    return year(text) if year and has_year else text


#: zones to name an offset by, per region of the document's locale (first whose offset fits)
ZONES = {"FR": "Europe/Paris", "BE": "Europe/Brussels", "GB": "Europe/London",
         "DE": "Europe/Berlin", "RU": "Europe/Moscow", "AZ": "Asia/Baku",
         "LU": "Europe/Luxembourg", "NL": "Europe/Amsterdam", "CH": "Europe/Zurich",
         "US": "America/New_York", "UA": "Europe/Kyiv", "GE": "Asia/Tbilisi"}
EUROPE_CENTRAL = ("Europe/Paris", "Europe/Brussels", "Europe/Berlin", "Europe/Luxembourg",
                  "Europe/Amsterdam", "Europe/Zurich")


def _zone_name(value: dt.datetime, locale: str) -> str:
    from zoneinfo import ZoneInfo
    loc = babel_locale(locale)
    offset = value.utcoffset()
    regions = [loc.territory] if loc.territory else []
    regions += [r for r in ZONES if r not in regions]
    for region in regions:
        zone = ZONES.get(region or "")
        if not zone:
            continue
        local = value.astimezone(ZoneInfo(zone))
        if local.utcoffset() != offset:
            continue
        key = zone
        if zone in EUROPE_CENTRAL:
            key = "CEST" if local.dst() else "CET"
        elif zone == "Europe/London":
            key = "BST" if local.dst() else "GMT"
        name = languages.zone_name(locale, key)
        if name:
            return name
        from babel.dates import format_datetime
        return format_datetime(local, "z", tzinfo=ZoneInfo(zone), locale=loc)
    total = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if total >= 0 else "−"
    hours, minutes = divmod(abs(total), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def clock(value: dt.datetime | dt.time, locale: str) -> str:
    """A time as the language writes it: 00:01, in French 0 h 01."""
    return languages.get(locale).clock.format(hour=value.hour, minute=value.minute)


def long_datetime(value: dt.datetime, locale: str) -> str:
    """Date, time and zone: 18 July 2018, 00:01 CEST; 18 juillet 2018 à 0 h 01 HAEC."""
    date = long_date(value, locale)
    time = clock(value, locale)
    zone = _zone_name(value, locale) if value.tzinfo else ""
    return f"{date}{languages.get(locale).at}{time} {zone}".rstrip()


def country_name(value: str, locale: str) -> str:
    """An ISO 3166 alpha-2 code in the locale's language ('BE' → 'Belgique', 'Бельгия');
    anything else is a name, used as given."""
    code = value.strip()
    if re.fullmatch(r"[A-Za-z]{2}", code):
        name = babel_locale(locale).territories.get(code.upper())
        if name:
            return str(name)
    return value


def country_keys(value: str | None) -> list[str]:
    """Lower-case ways to name a country in rule keys: 'FR' → ['fr', 'france']."""
    if not value:
        return []
    keys = [value.strip().lower()]
    english = country_name(value, "en")
    if english != value:
        keys.append(english.lower())
    return keys


def quote(text: str, language: str) -> str:
    """Text in the language's quotation marks, unless it already carries them."""
    opening, closing = languages.get(language).quotes
    if text[:1] in "“«„\"":
        return text
    return f"{opening}{text}{closing}"


def word(kind: str, value: str, language: str) -> str:
    """A status or event-type word in `language`, e.g. word('status', 'pre-trial', 'fr')."""
    return catalog(language).pgettext(kind, value)


def list_and(items: Iterable[object], locale: str) -> str:
    texts = [str(i) for i in items]
    if not texts:
        return ""
    return format_list(texts, style="standard", locale=babel_locale(locale))


def pronoun(gender: str | None, form: str, language: str) -> str:
    table = languages.pronouns(language)
    forms = table.get(gender or "other", table["other"])
    return forms[PRONOUN_FORMS.index(form)]


def hyphenation_language(language: str) -> str | None:
    """The `lang` WeasyPrint may hyphenate with, or None where no right dictionary exists."""
    record = languages.get(language)
    if not record.hyphenate:
        return None
    import pyphen
    return record.code if pyphen.language_fallback(record.code) else None
