"""Every language Clarion knows, one `Language` record per code: adding a language is one entry.

A record holds what the code needs to write in the language: its Babel locale and gettext
catalogue (fixed phrases, status sentences), typography (quotation marks, spaces, dashes,
abbreviations), number words, pronouns, the words of a call for release, date and time
grammar, the names of time zones, and whether to hyphenate. The forms of address are a
table of their own (`clarion/templates/salutations.yaml`), since a workspace extends it.

A code with no entry gets `Language(code)`: English typography and grammar, Babel's dates in
that language, fixed phrases from the campaign's language.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..resources import LOCALE_DIR

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: French punctuation, number groups
#: the language Clarion's fixed phrases are written in (the catalogues' source)
SOURCE = "en"
#: the forms of a pronoun, in the order a record gives them
PRONOUN_FORMS = ("subject", "object", "possessive")
#: the genders a record gives pronouns for (a person of unknown gender takes `other`)
PRONOUN_GENDERS = ("male", "female", "other")
#: the keys of `zone_names`: zones CLDR names only by offset, and the European seasons
ZONE_KEYS = ("Europe/Moscow", "Asia/Baku", "CET", "CEST", "GMT", "BST")


def catalogue_of(code: str) -> Path:
    """Where the catalogue of a language's fixed phrases ships."""
    return LOCALE_DIR / code / "LC_MESSAGES" / "clarion.po"


@dataclass(frozen=True, eq=False)
class Language:
    """Everything Clarion needs to write in one language. Empty means "as English does"
    (pronouns, zone names), "no such rule" (spaces, abbreviations) or "digits" (numbers)."""

    code: str
    #: Babel locale of its dates, lists and country names (a regional code overrides it)
    locale: str = ""
    #: Clarion's fixed phrases exist in it (written in it, or translated in `catalogue`)
    phrases: bool = False
    #: the .po file of its fixed phrases and status sentences; None for the source language
    catalogue: Path | None = None
    #: double quotation marks, opening and closing, with any space they keep inside
    quotes: tuple[str, str] = ("“", "”")
    #: the space written before : ; ! ? (French: a narrow no-break space); "" for none
    space_before: str = ""
    #: the space between groups of thousands (10 000)
    group_space: str = NBSP
    #: a no-break space before a dash, so that a line never starts with one
    nbsp_before_dash: bool = False
    #: abbreviations ending in a full stop (a sentence's own stop after one is dropped)
    abbreviations: tuple[str, ...] = ()
    #: spaces kept unbroken: (regular expression matching the space, the space put instead)
    bind: tuple[tuple[str, str], ...] = ()
    #: how a name that is an office begins ("The Minister…"): never cut into a surname
    articles: tuple[str, ...] = ()
    #: 0, 1, 2… as words (counts up to the last are written out); () writes digits
    numbers: tuple[str, ...] = ()
    #: number words that agree with a gender: {"female": {1: "une"}}
    gendered_numbers: Mapping[str, Mapping[int, str]] = field(default_factory=dict)
    #: per gender, the (subject, object, possessive) pronouns
    pronouns: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)
    #: word stems of a call for release (`clarion lint` checks asks against them)
    release_words: tuple[str, ...] = ()
    #: whether WeasyPrint may hyphenate it with Pyphen's dictionary for the code
    hyphenate: bool = True
    #: names of zones (ZONE_KEYS) where CLDR gives only an offset, and of European seasons
    zone_names: Mapping[str, str] = field(default_factory=dict)
    #: written before the date of a dateline ("Bruxelles, le 18 juillet 2018")
    dateline_prefix: str = ""
    #: a time of day, from `hour` and `minute`
    clock: str = "{hour:02d}:{minute:02d}"
    #: between the date and the time
    at: str = ", "
    #: the dash between the ends of a date range: within one month, and across months
    range_dashes: tuple[str, str] = ("–", " – ")
    #: grammar after a date that ends in its year (Azerbaijani "2018-ci il")
    year: Callable[[str], str] | None = None

    def __post_init__(self) -> None:
        if not self.locale:
            object.__setattr__(self, "locale", self.code)


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


_ALL = (
    Language(
        "en", locale="en_GB", phrases=True, catalogue=None,
        abbreviations=("etc.", "e.g.", "i.e.", "i.a.", "et al.", "cf."),
        articles=("the ",),
        numbers=("zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                 "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
                 "sixteen", "seventeen", "eighteen", "nineteen", "twenty"),
        pronouns={"male": ("he", "him", "his"), "female": ("she", "her", "her"),
                  "other": ("they", "them", "their")},
        release_words=("releas",),
        zone_names={"Europe/Moscow": "MSK", "Asia/Baku": "AZT", "CET": "CET", "CEST": "CEST",
                    "GMT": "GMT", "BST": "BST"}),
    Language(
        "fr", locale="fr_FR", phrases=True, catalogue=catalogue_of("fr"),
        quotes=("«" + NNBSP, NNBSP + "»"), space_before=NNBSP, group_space=NNBSP,
        nbsp_before_dash=True, articles=("le ", "la ", "l’", "l'"),
        numbers=("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit",
                 "neuf", "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize",
                 "dix-sept", "dix-huit", "dix-neuf", "vingt"),
        gendered_numbers={"female": {1: "une"}},
        pronouns={"male": ("il", "lui", "son"), "female": ("elle", "elle", "sa"),
                  "other": ("iel", "iel", "son")},
        release_words=("libér", "liber"),
        zone_names={"Europe/Moscow": "MSK", "Asia/Baku": "AZT", "CET": "HNEC", "CEST": "HAEC",
                    "GMT": "GMT", "BST": "BST"},
        dateline_prefix="le ", clock="{hour}" + NBSP + "h" + NBSP + "{minute:02d}", at=" à "),
    Language(
        "ru", locale="ru_RU", phrases=True, catalogue=catalogue_of("ru"),
        quotes=("«", "»"), group_space=NNBSP, nbsp_before_dash=True,
        abbreviations=("г.", "гг.", "и т. д.", "и т. п.", "и др."),
        bind=((r"(?<=\d)[ \t](?=г\.|гг\.)", NNBSP),),  # 2018 г.
        numbers=("ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь",
                 "девять", "десять", "одиннадцать", "двенадцать", "тринадцать",
                 "четырнадцать", "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать",
                 "девятнадцать", "двадцать"),
        gendered_numbers={"female": {1: "одна", 2: "две"}, "neuter": {1: "одно"}},
        pronouns={"male": ("он", "его", "его"), "female": ("она", "её", "её"),
                  "other": ("они", "их", "их")},
        release_words=("освобо",),
        zone_names={"Europe/Moscow": "МСК", "Asia/Baku": "бакинское время", "CET": "CET",
                    "CEST": "CEST", "GMT": "GMT", "BST": "BST"}),
    Language(
        "az", locale="az_Latn_AZ", phrases=True, catalogue=catalogue_of("az"),
        group_space=NNBSP, nbsp_before_dash=True, abbreviations=("il.",),
        bind=((r"(?<=\d-c[ıiuü])[ \t](?=il\b)", NBSP),),  # 2018-ci il
        numbers=("sıfır", "bir", "iki", "üç", "dörd", "beş", "altı", "yeddi", "səkkiz",
                 "doqquz", "on", "on bir", "on iki", "on üç", "on dörd", "on beş", "on altı",
                 "on yeddi", "on səkkiz", "on doqquz", "iyirmi"),
        pronouns={"male": ("o", "onu", "onun"), "female": ("o", "onu", "onun"),
                  "other": ("o", "onu", "onun")},
        release_words=("azad",),
        # Pyphen's Azerbaijani-like dictionaries break words wrongly
        hyphenate=False,
        zone_names={"Europe/Moscow": "MSK", "Asia/Baku": "Bakı vaxtı", "CET": "CET",
                    "CEST": "CEST", "GMT": "GMT", "BST": "BST"},
        year=az_year),
    # typography only: fixed phrases, pronouns and forms of address come from the campaign
    Language("de", quotes=("„", "“")),
    Language("uk", quotes=("«", "»"), group_space=NNBSP, nbsp_before_dash=True),
)

#: the registry: code → record
LANGUAGES: dict[str, Language] = {language.code: language for language in _ALL}


def base(language: str) -> str:
    """The language part of a code: `fr-BE`, `fr_BE` → `fr`."""
    return language.replace("_", "-").split("-")[0].lower()


def get(code: str) -> Language:
    """The record of a language code (`fr-BE` → French); English rules for an unknown one."""
    key = base(code)
    return LANGUAGES.get(key) or _unknown(key)


def label(text: str, code: str) -> str:
    """A label as the language sets it before what it labels: 'cc:', in French 'Copie :'
    (a no-break space before the colon)."""
    return f"{text}{NBSP if get(code).space_before else ''}:"


@functools.cache
def _unknown(code: str) -> Language:
    return Language(code)


def source() -> Language:
    """The language Clarion's fixed phrases are written in."""
    return LANGUAGES[SOURCE]


def built_in() -> tuple[str, ...]:
    """The codes Clarion has fixed phrases in."""
    return tuple(code for code, language in LANGUAGES.items() if language.phrases)


def pronouns(code: str) -> Mapping[str, tuple[str, str, str]]:
    """The language's pronouns, else English's."""
    return get(code).pronouns or source().pronouns


def zone_name(code: str, key: str) -> str | None:
    """The language's name for a zone or season (ZONE_KEYS), else English's, else None."""
    return get(code).zone_names.get(key) or source().zone_names.get(key)


def release_words() -> re.Pattern[str]:
    """Any language's word for release, as `clarion lint` looks for it in an ask."""
    words = [word for language in LANGUAGES.values() for word in language.release_words]
    return re.compile("|".join(re.escape(word) for word in words), re.I)


# Rules every document follows whatever its language (a Russian date quoted in an English
# letter keeps "2018 г." together): the union over the registry.

def every_abbreviation() -> tuple[str, ...]:
    return tuple(a for language in LANGUAGES.values() for a in language.abbreviations)


def every_bind() -> tuple[tuple[str, str], ...]:
    return tuple(b for language in LANGUAGES.values() for b in language.bind)


def every_article() -> tuple[str, ...]:
    return tuple(a for language in LANGUAGES.values() for a in language.articles)
