"""Languages: gettext catalogues, Babel dates and lists, pronouns, hyphenation choice."""
from __future__ import annotations

import datetime as dt
import functools
import gettext

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

    def __init__(self, messages: dict[str, str]):
        super().__init__()
        self._messages = messages

    def gettext(self, message: str) -> str:
        return self._messages.get(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self._messages.get((singular, 0 if n == 1 else 1))
        return found or (singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return self._messages.get(f"{context}\x04{message}") or message

    def npgettext(self, context, singular, plural, n):
        return self.ngettext(singular, plural, n)


@functools.cache
def catalog(language: str) -> gettext.NullTranslations:
    """The fixed-phrase catalogue of `language` (English and unknown languages: as written)."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / "clarion.po"
    if not path.is_file():
        return Catalog({})
    from babel.messages.pofile import read_po
    with path.open("rb") as f:
        po = read_po(f, locale=language)
    messages: dict = {}
    for message in po:
        if not message.id or message.fuzzy:
            continue
        key = message.id if not message.context else f"{message.context}\x04{message.id}"
        if isinstance(message.id, (list, tuple)):
            for i, text in enumerate(message.string):
                messages[(message.id[0], i)] = text
        else:
            messages[key] = message.string
    return Catalog(messages)


def has_phrases(language: str) -> bool:
    return language in BUILT_IN


def locale_for(language: str, workspace_language: str, workspace_locale: str | None) -> str:
    """The Babel locale of a document: the workspace `locale` for its own language."""
    if workspace_locale and language == workspace_language:
        return workspace_locale
    return DEFAULT_LOCALES.get(language, language)


@functools.cache
def babel_locale(name: str) -> Locale:
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def long_date(value: dt.date, locale: str) -> str:
    """The locale's long date with the inflected month: 18 July 2018, 18 июля 2018 г."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, format="long", locale=babel_locale(locale))


def long_datetime(value: dt.datetime, locale: str) -> str:
    from babel.dates import format_datetime
    return format_datetime(value, format="d MMMM y, HH:mm ZZZZ", tzinfo=value.tzinfo,
                           locale=babel_locale(locale))


QUOTES = {"fr": ("«\u202f", "\u202f»"), "ru": ("«", "»"), "de": ("„", "“"), "az": ("“", "”")}


def quote(text: str, language: str) -> str:
    """Text in the language's quotation marks, unless it already carries them."""
    opening, closing = QUOTES.get(language, ("“", "”"))
    if text[:1] in "“«„\"":
        return text
    return f"{opening}{text}{closing}"


def word(kind: str, value: str, language: str) -> str:
    """A status or event-type word in `language`, e.g. word('status', 'pre-trial', 'fr')."""
    return catalog(language).pgettext(kind, value)


def list_and(items, locale: str) -> str:
    items = [str(i) for i in items]
    if not items:
        return ""
    return format_list(items, style="standard", locale=babel_locale(locale))


def pronoun(gender: str | None, form: str, language: str) -> str:
    table = PRONOUNS.get(language, PRONOUNS["en"])
    forms = table.get(gender or "other", table["other"])
    return forms[PRONOUN_FORMS.index(form)]


def hyphenation_language(language: str) -> str | None:
    """The `lang` WeasyPrint may hyphenate with, or None where no right dictionary exists."""
    if language in NO_HYPHENATION:
        return None
    import pyphen
    return language if pyphen.language_fallback(language) else None
