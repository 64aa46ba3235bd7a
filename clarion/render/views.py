"""What templates see: read-only views of the model in one language, private data left out."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..workspace.model import (
    HELD,
    Case,
    EventType,
    LocalText,
    Organisation,
    Recipient,
    Signatory,
    Status,
    Workspace,
)

#: event types that set where a person stands, for status on an earlier date
STATUS_FROM_EVENT = {
    EventType.ARREST: Status.DETAINED, EventType.DETENTION: Status.DETAINED,
    EventType.SENTENCE: Status.IMPRISONED, EventType.RELEASE: Status.RELEASED,
    EventType.PARDON: Status.RELEASED, EventType.DEATH: Status.DECEASED,
    EventType.EXILE: Status.EXILED, EventType.TRAVEL_BAN: Status.TRAVEL_BAN,
}


class View:
    """A read-only record for templates: known fields exist (maybe None); others are errors."""

    __slots__ = ("_data", "_kind")

    def __init__(self, kind: str, data: dict[str, Any]):
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name: str) -> Any:
        try:
            value = self._data[name]
        except KeyError:
            raise AttributeError(name) from None
        if isinstance(value, Deferred):
            value = self._data[name] = value()
        return value

    def __getitem__(self, name: str) -> Any:
        return self.__getattr__(name) if name in self._data else self._data[name]

    def __contains__(self, name: str) -> bool:
        return name in self._data

    def __setattr__(self, name, value):
        raise AttributeError("views are read-only")

    def __repr__(self) -> str:
        return f"<{self._kind}>"

    def __str__(self) -> str:
        return str(self._data.get("name") or self._data.get("organisation") or self._kind)


class Deferred:
    """A view value worked out when a template first reads it (so only used text warns)."""

    __slots__ = ("make",)

    def __init__(self, make):
        self.make = make

    def __call__(self):
        return self.make()


@dataclass
class Picker:
    """Picks reader-facing text in one language and remembers where it had to fall back."""

    language: str
    fallbacks: list[str] = field(default_factory=list)

    def text(self, value: LocalText | None, where: str) -> str | None:
        if value is None:
            return None
        text, fell_back = value.pick(self.language)
        if fell_back:
            self.fallbacks.append(where)
        return text

    def later(self, value: LocalText | None, where: str) -> Deferred | None:
        return None if value is None else Deferred(lambda: self.text(value, where))

    def later_all(self, values, where: str) -> Deferred:
        return Deferred(lambda: [self.text(v, where) for v in values])


def status_on(case: Case, day: dt.date) -> Status | None:
    """The case's status on `day`: its `status` if confirmed by then, else from its events."""
    if case.status_as_of is None or case.status_as_of <= day:
        return case.status
    status = None
    for event in sorted(case.public_events(), key=lambda e: e.date):
        if event.date <= day and event.type in STATUS_FROM_EVENT:
            status = STATUS_FROM_EVENT[event.type]
    return status


def held_since(case: Case, day: dt.date) -> dt.date | None:
    """Date of the arrest or detention that began the deprivation of liberty held on `day`."""
    if status_on(case, day) not in HELD:
        return None
    start = None
    for event in sorted(case.public_events(), key=lambda e: e.date):
        if event.date > day:
            break
        if event.type in (EventType.RELEASE, EventType.PARDON):
            start = None
        elif event.type in (EventType.ARREST, EventType.DETENTION) and start is None:
            start = event.date
    return start


def case_view(case: Case, pick: Picker, day: dt.date) -> View:
    where = f"case {case.id}"
    events = [View("event", {
        "id": e.id, "date": e.date, "type": e.type.value, "place": e.place, "court": e.court,
        "text": pick.later(e.text, f"{where} event {e.id or e.date}"),
        "sources": [_source(case.sources[k]) for k in e.sources if k in case.sources],
        "source_keys": list(e.sources), "private": False,
        "time": e.time, "court_address": pick.later(e.court_address, f"{where} court_address"),
        "case_number": e.case_number, "observers": e.observers,
    }) for e in sorted(case.public_events(), key=lambda e: e.date)]
    sentence = case.sentence
    return View("case", {
        "id": case.id, "name": case.name, "native_name": case.native_name,
        "gender": case.gender.value if case.gender else None, "country": case.country,
        "roles": pick.later_all(case.roles, f"{where} roles"),
        "status": case.status.value, "status_as_of": case.status_as_of,
        "status_on_date": (status_on(case, day).value if status_on(case, day) else None),
        "held_since": held_since(case, day),
        "summary": pick.later(case.summary, f"{where} summary"),
        "recognitions": [View("recognition", {"by": r.by, "as": r.as_})
                         for r in case.recognitions],
        "charges": [View("charge", {"text": pick.later(c.text, f"{where} charge"),
                                    "article": c.article, "code": c.code})
                    for c in case.charges],
        "sentence": View("sentence", {"years": sentence.years, "life": sentence.life,
                                      "date": sentence.date, "court": sentence.court})
        if sentence else None,
        "judgments": [View("judgment", {"court": j.court, "case": j.case, "date": j.date,
                                        "finding": j.finding}) for j in case.judgments],
        "events": events,
        "sources": {k: _source(s) for k, s in case.sources.items()},
        "extra": dict(case.extra),
    })


def _source(s) -> View:
    return View("source", {"key": s.key, "title": s.title, "publisher": s.publisher,
                           "date": s.date, "url": s.url})


def recipient_view(r: Recipient | None, language: str) -> View | None:
    if r is None:
        return None
    return View("recipient", {
        "id": r.id, "name": r.name, "title": r.title, "honorific": r.honorific,
        "gender": r.gender.value if r.gender else None,
        "salutation": r.salutation.pick(language)[0] if r.salutation else None,
        "address": list(r.address), "country": r.country, "language": r.language,
        "email": r.email, "groups": list(r.groups), "extra": dict(r.extra)})


def signatory_view(s: Signatory) -> View:
    return View("signatory", {
        "id": s.id, "organisation": s.organisation, "country": s.country, "person": s.person,
        "title": s.title, "signature": s.signature, "logo": s.logo, "extra": dict(s.extra)})


def organisation_view(o: Organisation) -> View:
    return View("organisation", {"name": o.name, "short": o.short, "address": list(o.address),
                                 "email": o.email, "logo": o.logo})


def count_statuses(ws: Workspace, day: dt.date, statuses) -> int:
    wanted = {Status(s) for s in statuses}
    return sum(1 for c in ws.cases.values() if status_on(c, day) in wanted)
