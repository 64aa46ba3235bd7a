"""Status as a sentence a person would write, and small numbers as words, per language."""
from __future__ import annotations

import datetime as dt

from ..workspace.model import HELD, Case, Event, EventType, Status
from . import i18n, languages
from .phrases import NOT_RECORDED, STATUS_SENTENCES

#: a death within this many days of an attack is a killing: dated by the attack, and written
#: as what happened on each day ("Attacked on …; died on …")
KILLED_WITHIN_DAYS = 31

#: the events that date each status: the latest such event on or before the day
DATED_BY: dict[Status, tuple[EventType, ...]] = {
    Status.CHARGED: (EventType.CHARGE, EventType.HEARING),
    Status.TRAVEL_BAN: (EventType.TRAVEL_BAN,),
    Status.RELEASED: (EventType.RELEASE, EventType.PARDON),
    Status.EXILED: (EventType.EXILE,),
    Status.ATTACKED: (EventType.ATTACK,),
    Status.DECEASED: (EventType.DEATH,),
}
#: statuses dated by their first event (since …) rather than their last (on …)
FIRST_EVENT = frozenset({Status.CHARGED})


def _events_before(case: Case, day: dt.date) -> list[Event]:
    return [e for e in sorted(case.public_events(), key=lambda e: e.date) if e.date <= day]


def status_date(case: Case, status: Status, day: dt.date,
                held_from: dt.date | None) -> tuple[dt.date | None, bool]:
    """The date a status sentence gives, and whether the person was killed (an attack
    shortly before the death)."""
    if status in HELD:
        return held_from, False
    events = _events_before(case, day)
    if status is Status.DECEASED:
        death = next((e for e in reversed(events) if e.type is EventType.DEATH), None)
        if death is None:
            return None, False
        attack = next((e for e in reversed(events) if e.type is EventType.ATTACK
                       and 0 <= (death.date - e.date).days <= KILLED_WITHIN_DAYS), None)
        return (attack.date, True) if attack else (death.date, False)
    types = DATED_BY.get(status, ())
    if not types:
        return None, False  # nothing in the events dates it (missing)
    if status in FIRST_EVENT:
        last_free = max((e.date for e in events if e.type in (
            EventType.RELEASE, EventType.PARDON)), default=dt.date.min)
        first = next((e for e in events if e.type in types and e.date >= last_free), None)
        return (first.date if first else None), False
    last = next((e for e in reversed(events) if e.type in types), None)
    return (last.date if last else None), False


def _gendered(language: str, context: str, message: str, gender: str | None) -> str:
    """The catalogue's form for the gender where the language has one, else the plain one."""
    catalog = i18n.catalog(language)
    if gender in ("female", "other"):
        found = catalog.pgettext(f"{context}-{gender}", message)
        if found != message:
            return found
    return catalog.pgettext(context, message)


def status_sentence(case: Case, status: Status | None, day: dt.date,
                    held_from: dt.date | None, language: str, locale: str) -> str:
    """E.g. "Held in pre-trial detention since 12 June 2014", in `language` (no full stop)."""
    gender = case.gender.value if case.gender else None
    if status is None:
        return i18n.catalog(language).pgettext("status-sentence", NOT_RECORDED[1])
    date, killed = status_date(case, status, day, held_from)
    with_date, without = STATUS_SENTENCES[status]
    if date is None:
        return _gendered(language, "status-sentence", without, gender)
    if killed:
        return _killing(case, day, date, language, locale, gender)
    return _gendered(language, "status-sentence", with_date, gender) % {
        "date": i18n.long_date(date, locale)}


def _killing(case: Case, day: dt.date, attacked: dt.date, language: str, locale: str,
             gender: str | None) -> str:
    """"Attacked on 29 September 2024; died on 1 October 2024": each day with what happened
    on it, from the two sentences the catalogue already has (never "Killed on" the day of
    the attack, which a reader sets against the date of death)."""
    died = max(e.date for e in _events_before(case, day) if e.type is EventType.DEATH)
    first = _gendered(language, "status-sentence", STATUS_SENTENCES[Status.ATTACKED][0],
                      gender) % {"date": i18n.long_date(attacked, locale)}
    then = _gendered(language, "status-sentence", STATUS_SENTENCES[Status.DECEASED][0],
                     gender) % {"date": i18n.long_date(died, locale)}
    return f"{first}; {then[:1].lower()}{then[1:]}"


def number_words(n: int, language: str, gender: str = "male") -> str:
    """0–20 as a word in the language ("six", "шесть"); larger numbers as digits."""
    record = languages.get(language)
    if not 0 <= n < len(record.numbers):
        return str(n)
    return record.gendered_numbers.get(gender, {}).get(n, record.numbers[n])


class Count(int):
    """A number that prints as a word in the document's language and still compares as one;
    `of()` names what is counted in the right form ("one person", "three people")."""

    words: str
    language: str

    def __new__(cls, value: int, words: str, language: str = "en") -> Count:
        made = super().__new__(cls, value)
        made.words = words
        made.language = language
        return made

    def of(self, one: str, other: str, few: str | None = None, many: str | None = None) -> str:
        """The number and the noun in its plural form for the language: `one`, `few` and
        `many` are the forms CLDR names (Russian: один человек, два человека, пять человек);
        a form not given is `other`."""
        category = i18n.babel_locale(i18n.base(self.language)).plural_form(int(self))
        noun = {"one": one, "few": few, "many": many}.get(category) or other
        return f"{self.words} {noun}"

    def __str__(self) -> str:
        return self.words

    def __html__(self) -> str:
        return self.words
