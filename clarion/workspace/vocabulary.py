"""The values records are made of: statuses, genders, event types, and reader-facing text
in one or several languages. No I/O here."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

EMPTY: Mapping[str, Any] = MappingProxyType({})
#: how a campaign names a group of recipients: `group:eu-foreign-ministers`
GROUP_PREFIX = "group:"


class Status(StrEnum):
    DETAINED = "detained"
    PRE_TRIAL = "pre-trial"
    IMPRISONED = "imprisoned"
    HOUSE_ARREST = "house-arrest"
    CHARGED = "charged"  # prosecuted or on trial, at liberty
    TRAVEL_BAN = "travel-ban"
    RELEASED = "released"
    EXILED = "exiled"
    ATTACKED = "attacked"
    DECEASED = "deceased"
    MISSING = "missing"


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"


class EventType(StrEnum):
    ARREST = "arrest"
    DETENTION = "detention"
    CHARGE = "charge"
    HEARING = "hearing"
    SENTENCE = "sentence"
    APPEAL = "appeal"
    TRANSFER = "transfer"
    RELEASE = "release"
    PARDON = "pardon"
    ATTACK = "attack"
    DEATH = "death"
    JUDGMENT = "judgment"
    EXILE = "exile"
    TRAVEL_BAN = "travel-ban"
    STATEMENT = "statement"
    OTHER = "other"


#: statuses in which a person is deprived of liberty
HELD = frozenset({Status.DETAINED, Status.PRE_TRIAL, Status.IMPRISONED, Status.HOUSE_ARREST})


@dataclass(frozen=True)
class LocalText:
    """Reader-facing text: one string, or one per language code (first given first)."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def plain(cls, text: str) -> LocalText:
        return cls((("", text),))

    def pick(self, language: str, fallback: str | None = None) -> tuple[str, bool]:
        """The text in `language` (`fr-BE`, then `fr`, then another `fr-…`); else in
        `fallback` (the campaign language), else the first given — with True to say it fell
        back."""
        base = language.lower().replace("_", "-").split("-")[0]
        keys = [lang.lower() for lang, _ in self.values]
        for lang in (language.lower(), base):
            if lang in keys:
                return self.values[keys.index(lang)][1], False
        for i, key in enumerate(keys):
            if key.split("-")[0] == base and key:
                return self.values[i][1], False
        if "" in keys:
            return self.values[keys.index("")][1], False
        if fallback and fallback.lower() in keys:
            return self.values[keys.index(fallback.lower())][1], True
        return self.values[0][1], True

    def all(self) -> list[str]:
        return [text for _, text in self.values]

    def languages(self) -> list[str]:
        return [lang for lang, _ in self.values if lang]

    def __str__(self) -> str:
        """The first text given (for listings and messages that have no language)."""
        return self.values[0][1]

    def __eq__(self, other: object) -> bool:
        """Equal to the same texts; a plain string is also equal to that string."""
        if isinstance(other, str):
            return self.values == (("", other),)
        return isinstance(other, LocalText) and self.values == other.values

    def __hash__(self) -> int:
        return hash(self.values[0][1]) if self.values[0][0] == "" else hash(self.values)


def text_in(value: str | LocalText | None, language: str, fallback: str | None = None) -> str:
    """Plain text of a translatable field in `language` ('' when not given)."""
    if value is None:
        return ""
    if isinstance(value, LocalText):
        return value.pick(language, fallback)[0]
    return str(value)


def texts_of(value: str | LocalText | None) -> list[str]:
    """Every language's text of a translatable field (for the private-data check)."""
    if value is None:
        return []
    return value.all() if isinstance(value, LocalText) else [str(value)]
