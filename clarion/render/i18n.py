"""Languages: gettext catalogues, Babel dates and lists, pronouns, hyphenation choice."""
from __future__ import annotations

import datetime as dt
import functools
import gettext
import re
from collections.abc import Iterable, Sequence
from typing import cast

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list

from ..resources import LOCALE_DIR

#: languages whose fixed phrases ship with Clarion (English is the source language)
BUILT_IN = ("en", "fr", "ru", "az")
DEFAULT_LOCALES = {"en": "en_GB", "fr": "fr_FR", "ru": "ru_RU", "az": "az_Latn_AZ"}
#: languages Pyphen has a dictionary for but which must not be hyphenated with it
NO_HYPHENATION = frozenset({"az"})

PRONOUNS = {
    "en": {"male": ("he", "him", "his"), "female": ("she", "her", "her"),
           "other": ("they", "them", "their")},
    "fr": {"male": ("il", "lui", "son"), "female": ("elle", "elle", "sa"),
           "other": ("iel", "iel", "son")},
    "ru": {"male": ("он", "его", "его"), "female": ("она", "её", "её"),
           "other": ("они", "их", "их")},
    "az": {"male": ("o", "onu", "onun"), "female": ("o", "onu", "onun"),
           "other": ("o", "onu", "onun")},
}
PRONOUN_FORMS = ("subject", "object", "possessive")


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
    language = base(language)
    path = LOCALE_DIR / language / "LC_MESSAGES" / "clarion.po"
    if not path.is_file():
        return Catalog({})
    from babel.messages.pofile import read_po
    with path.open("rb") as f:
        po = read_po(f, locale=language)
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


def base(language: str) -> str:
    """The language part of a code: `fr-BE`, `fr_BE` → `fr`."""
    return language.replace("_", "-").split("-")[0].lower()


def has_phrases(language: str) -> bool:
    return base(language) in BUILT_IN


def locale_for(language: str, workspace_language: str, workspace_locale: str | None) -> str:
    """The Babel locale of a document: the workspace `locale` for its own language; a regional
    code (`fr-BE`) gives that region's formats; else the language's usual locale."""
    if workspace_locale and language == workspace_language:
        return workspace_locale
    if "-" in language or "_" in language:
        return language.replace("-", "_")
    return DEFAULT_LOCALES.get(language, language)


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
    return az_year(text) if base(locale) == "az" else text


#: the Azerbaijani ordinal suffix after a number, by the word its last non-zero part is read as
AZ_UNITS = {1: "ci", 2: "ci", 3: "cü", 4: "cü", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cu"}
AZ_TENS = {1: "cu", 2: "ci", 3: "cu", 4: "cı", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cı"}


def az_ordinal_suffix(number: int) -> str:
    """'2014' → 'cü' (dörd), '2010' → 'cu' (on), '2000' → 'ci' (min), '2100' → 'cü' (yüz)."""
    if number % 10:
        return AZ_UNITS[number % 10]
    if number % 100:
        return AZ_TENS[number % 100 // 10]
    if number % 1000:
        return "cü"
    return "ci" if number % 1_000_000 else "cu"


def az_year(text: str) -> str:
    """An Azerbaijani date ending in a year gets the ordinal suffix and 'il': 2018-ci il."""
    return re.sub(r"(\d{3,4})$", lambda m: f"{m.group(1)}-{az_ordinal_suffix(int(m.group(1)))} il",
                  text)


def dateline(place: str | None, value: dt.date, locale: str) -> str:
    """The place-and-date line: 'Brussels, 18 July 2018', 'Bruxelles, le 18 juillet 2018'."""
    date = long_date(value, locale)
    if base(locale) == "fr":
        date = f"le {date}"
    return f"{place}, {date}" if place else (date[:1].upper() + date[1:])


def date_range(start: dt.date, end: dt.date, locale: str) -> str:
    """A range through the locale's interval patterns, months written out: 6–12 October 2014,
    26 September – 2 October 2014, 6–12 октября 2014 г."""
    if start > end:
        start, end = end, start
    if start == end:
        return long_date(start, locale)
    loc = babel_locale(locale)
    greatest = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    if base(locale) == "az":  # CLDR's az pattern is "2014 okt 6–12"; write 6–12 oktyabr 2014-cü il
        first = {"d": "d", "M": "d MMMM", "y": "d MMMM y"}[greatest]
        head = format_date(start, first, locale=loc)
        head = az_year(head) if greatest == "y" else head
        return f"{head}–{long_date(end, locale)}" if greatest == "d" else \
            f"{head} – {long_date(end, locale)}"
    try:
        patterns = loc.interval_formats["yMMMd"][greatest]
    except (KeyError, TypeError):
        return f"{long_date(start, locale)} – {long_date(end, locale)}"

    def wide(pattern: str) -> str:
        return re.sub(r"(?<!M)MMM(?!M)", "MMMM", pattern)
    text = format_date(start, wide(patterns[0]), locale=loc) + \
        format_date(end, wide(patterns[1]), locale=loc)
    return text if greatest == "d" else text.replace("\u2009–\u2009", " – ")


#: zones to name an offset by, per region of the document's locale (first whose offset fits)
ZONES = {"FR": "Europe/Paris", "BE": "Europe/Brussels", "GB": "Europe/London",
         "DE": "Europe/Berlin", "RU": "Europe/Moscow", "AZ": "Asia/Baku",
         "LU": "Europe/Luxembourg", "NL": "Europe/Amsterdam", "CH": "Europe/Zurich",
         "US": "America/New_York", "UA": "Europe/Kyiv", "GE": "Asia/Tbilisi"}
#: short zone names a language writes where CLDR gives only an offset
ZONE_NAMES = {"Europe/Moscow": {"ru": "МСК", "en": "MSK", "fr": "MSK", "az": "MSK"},
              "Asia/Baku": {"az": "Bakı vaxtı", "ru": "бакинское время", "en": "AZT",
                            "fr": "AZT"}}
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
        if zone in ZONE_NAMES:
            return ZONE_NAMES[zone].get(base(locale), ZONE_NAMES[zone]["en"])
        if zone in EUROPE_CENTRAL:
            summer = bool(local.dst())
            return {"fr": "HAEC" if summer else "HNEC"}.get(base(locale),
                                                            "CEST" if summer else "CET")
        if zone == "Europe/London":
            return "BST" if local.dst() else "GMT"
        from babel.dates import format_datetime
        return format_datetime(local, "z", tzinfo=ZoneInfo(zone), locale=loc)
    total = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if total >= 0 else "−"
    hours, minutes = divmod(abs(total), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def clock(value: dt.datetime | dt.time, locale: str) -> str:
    """A time as the language writes it: 00:01, in French 0 h 01."""
    if base(locale) == "fr":
        return f"{value.hour}\u00a0h\u00a0{value.minute:02d}"
    return f"{value.hour:02d}:{value.minute:02d}"


def long_datetime(value: dt.datetime, locale: str) -> str:
    """Date, time and zone: 18 July 2018, 00:01 CEST; 18 juillet 2018 à 0 h 01 HAEC."""
    date = long_date(value, locale)
    time = clock(value, locale)
    zone = _zone_name(value, locale) if value.tzinfo else ""
    joiner = {"fr": " à ", "ru": ", ", "az": ", "}.get(base(locale), ", ")
    return f"{date}{joiner}{time} {zone}".rstrip()


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


QUOTES = {"fr": ("«\u202f", "\u202f»"), "ru": ("«", "»"), "de": ("„", "“"), "az": ("“", "”")}


def quote(text: str, language: str) -> str:
    """Text in the language's quotation marks, unless it already carries them."""
    opening, closing = QUOTES.get(base(language), ("“", "”"))
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
    table = PRONOUNS.get(base(language), PRONOUNS["en"])
    forms = table.get(gender or "other", table["other"])
    return forms[PRONOUN_FORMS.index(form)]


def hyphenation_language(language: str) -> str | None:
    """The `lang` WeasyPrint may hyphenate with, or None where no right dictionary exists."""
    language = base(language)
    if language in NO_HYPHENATION:
        return None
    import pyphen
    return language if pyphen.language_fallback(language) else None
