"""What templates see: read-only views of the model in one language, private data left out."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..workspace.model import (
    HELD,
    Campaign,
    Case,
    EventType,
    LocalText,
    Organisation,
    Recipient,
    Signatory,
    Source,
    Status,
    Workspace,
    texts_of,
)
from . import i18n
from .statuses import status_sentence

#: statuses that record a dated fact ("Killed on …"): never stale
DATED_FACTS = frozenset({Status.DECEASED, Status.ATTACKED})
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

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("views are read-only")

    def __repr__(self) -> str:
        return f"<{self._kind}>"

    def __str__(self) -> str:
        return str(self._data.get("name") or self._data.get("organisation") or
                   self._data.get("person") or self._kind)


class Deferred:
    """A view value worked out when a template first reads it (so only used text warns)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]):
        self.make = make

    def __call__(self) -> Any:
        return self.make()


@dataclass
class Picker:
    """Picks reader-facing text in one language and remembers where it had to fall back.

    `language` may be regional (`fr-BE`: then `fr`); `fallback` is the campaign language,
    tried before the first text given; `locale` names countries given as ISO codes."""

    language: str
    fallbacks: list[str] = field(default_factory=list)
    fallback: str | None = None
    locale: str | None = None

    def text(self, value: LocalText | str | None, where: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, LocalText):
            return str(value)
        text, fell_back = value.pick(self.language, self.fallback)
        if fell_back:
            self.fallbacks.append(where)
        return text

    def later(self, value: LocalText | str | None, where: str) -> Deferred | None:
        return None if value is None else Deferred(lambda: self.text(value, where))

    def later_all(self, values: Iterable[LocalText | str | None], where: str) -> Deferred:
        return Deferred(lambda: [self.text(v, where) for v in values])

    def country(self, value: str | None) -> str | None:
        """An ISO 3166 code in the document's language ('BE' → 'Belgique'); a name as given."""
        from .i18n import country_name
        return country_name(value, self.locale or self.language) if value else value


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


def case_view(case: Case, pick: Picker, day: dt.date, locale: str | None = None,
              phrases: str | None = None) -> View:
    """`phrases`/`locale`: language and locale of the status sentence (default: the pick's)."""
    where = f"case {case.id}"
    on_day, since = status_on(case, day), held_since(case, day)
    sentence_language = phrases or pick.language
    sentence_locale = locale or i18n.locale_for(sentence_language, sentence_language, None)
    events = [View("event", {
        "id": e.id, "date": e.date, "type": e.type.value,
        "place": pick.later(e.place, f"{where} event {e.id or e.date} place"),
        "court": pick.later(e.court, f"{where} event {e.id or e.date} court"),
        "text": pick.later(e.text, f"{where} event {e.id or e.date}"),
        "sources": [_source(case.sources[k]) for k in e.sources if k in case.sources],
        "source_keys": list(e.sources), "private": False,
        "time": e.time, "court_address": pick.later(e.court_address, f"{where} court_address"),
        "case_number": e.case_number, "observers": e.observers,
    }) for e in sorted(case.public_events(), key=lambda e: e.date)]
    sentence = case.sentence
    return View("case", {
        "id": case.id, "name": pick.text(case.name, f"{where} name"),
        "native_name": case.native_name,
        "gender": case.gender.value if case.gender else None,
        "country": pick.country(case.country),
        "roles": pick.later_all(case.roles, f"{where} roles"),
        "status": case.status.value, "status_as_of": case.status_as_of,
        "status_on_date": on_day.value if on_day else None,
        "held_since": since,
        "status_sentence": Deferred(lambda: status_sentence(
            case, on_day, day, since, sentence_language, sentence_locale)),
        "summary": pick.later(case.summary, f"{where} summary"),
        "recognitions": [View("recognition", {"by": r.by, "as": r.as_})
                         for r in case.recognitions],
        "charges": [View("charge", {"text": pick.later(c.text, f"{where} charge"),
                                    "article": c.article, "code": c.code})
                    for c in case.charges],
        "sentence": View("sentence", {"years": sentence.years, "life": sentence.life,
                                      "date": sentence.date,
                                      "court": pick.text(sentence.court, f"{where} sentence")})
        if sentence else None,
        "judgments": [View("judgment", {"court": j.court, "case": j.case, "date": j.date,
                                        "finding": j.finding}) for j in case.judgments],
        "events": events,
        "sources": {k: _source(s) for k, s in case.sources.items()},
        "extra": dict(case.extra),
    })


def _source(s: Source) -> View:
    return View("source", {"key": s.key, "title": s.title, "publisher": s.publisher,
                           "date": s.date, "url": s.url})


def sources_elsewhere(ws: Workspace, campaign: Campaign) -> Callable[[list[View]], list[View]]:
    """`elsewhere(sources)` for templates: the sources less the document itself (published by
    its issuer on its date), which a document must not cite as its own source."""
    issuer = ws.signatories.get(campaign.issued_by or "")
    org = ws.settings.organisation
    names = {n.casefold() for n in (
        texts_of(issuer.organisation) + texts_of(issuer.person) if issuer is not None
        else texts_of(org.name) + texts_of(org.short))}

    def elsewhere(sources: list[View]) -> list[View]:
        return [s for s in sources if not (
            s.date == campaign.date and str(s.publisher or "").casefold() in names)]
    return elsewhere


def recipient_view(r: Recipient | None, language: str, pick: Picker | None = None,
                   block: list[str] | None = None, addressed: str | None = None
                   ) -> View | None:
    """A recipient as templates see it; `block`: the lines printed for them in an address
    block (an addressee of a letter to several together); `addressed`: the block's first line
    when the language puts a civility before the name ("Monsieur Emmanuel Macron")."""
    if r is None:
        return None
    pick = pick or Picker(language)
    where = f"recipient {r.id}"
    name = pick.text(r.name, f"{where} name")
    return View("recipient", {"block": block or [],
        "id": r.id, "name": name, "addressed": addressed or name,
        "title": pick.text(r.title, f"{where} title"), "honorific": r.honorific, "kind": r.kind,
        "gender": r.gender.value if r.gender else None,
        "salutation": r.salutation.pick(language)[0] if r.salutation else None,
        "address": [pick.text(line, f"{where} address") for line in r.address],
        "country": pick.country(r.country), "language": r.language,
        "email": r.email, "groups": list(r.groups), "extra": dict(r.extra)})


def signatory_view(s: Signatory, pick: Picker | None = None, show_country: bool = True,
                   phrases: str | None = None) -> View:
    """A signatory in the document's language. `shown_country`: the country when the campaign
    prints it (`show_country`); `capacity_text`: "in a personal capacity" in `phrases`, the
    language of the document's fixed phrases."""
    pick = pick or Picker("en")
    where = f"signatory {s.id}"
    country = pick.country(s.country)
    personal = s.capacity == "personal"
    return View("signatory", {
        "id": s.id, "organisation": pick.text(s.organisation, f"{where} organisation"),
        "country": country, "shown_country": country if show_country else None,
        "person": pick.text(s.person, f"{where} person"),
        "title": pick.text(s.title, f"{where} title"), "capacity": s.capacity,
        "capacity_text": i18n.catalog(phrases or pick.language).gettext(
            "in a personal capacity") if personal else None,
        "individual": s.individual, "groups": list(s.groups), "signature": s.signature,
        "logo": s.logo, "extra": dict(s.extra)})


def organisation_view(o: Organisation, pick: Picker | None = None) -> View:
    pick = pick or Picker("en")
    return View("organisation", {"name": pick.text(o.name, "organisation name"), "short": o.short,
                                 "address": [pick.text(line, "organisation address")
                                             for line in o.address],
                                 "email": o.email, "logo": o.logo})


@dataclass(frozen=True)
class CountResult:
    """How many people count_cases() found, and the records it had to leave out."""

    count: int
    stale: tuple[str, ...] = ()          # ids: status last confirmed too long before the day
    undated: tuple[str, ...] = ()        # ids: no `status_as_of` at all


def person_groups(ws: Workspace) -> list[list[Case]]:
    """Records grouped by `same_person_as` (a link in either direction joins them)."""
    parent = {cid: cid for cid in ws.cases}

    def root(cid: str) -> str:
        while parent[cid] != cid:
            parent[cid] = parent[parent[cid]]
            cid = parent[cid]
        return cid

    for case in ws.cases.values():
        if case.same_person_as in parent:
            parent[root(case.id)] = root(case.same_person_as)
    groups: dict[str, list[Case]] = {}
    for cid in sorted(ws.cases):
        groups.setdefault(root(cid), []).append(ws.cases[cid])
    return list(groups.values())


def counted_statuses(ws: Workspace, day: dt.date, statuses: Iterable[str], fresh_days: int | None = None
                     ) -> CountResult:
    """People (not records) whose status on `day` is one of `statuses`, counting a record
    only when its status was confirmed within `freshness_days` before `day`; a record
    confirmed after `day` counts with the status its events give on `day`."""
    wanted = {Status(s) for s in statuses}
    days = ws.settings.freshness_days if fresh_days is None else fresh_days
    try:
        oldest = day - dt.timedelta(days=max(days, 0))
    except OverflowError:
        oldest = dt.date.min
    count, stale, undated = 0, [], []
    for group in person_groups(ws):
        # the person's record is the one confirmed last on or before the day (else the one
        # confirmed first after it)
        dated = [(c.status_as_of, c) for c in group if c.status_as_of is not None]
        before = [pair for pair in dated if pair[0] <= day]
        if before:
            case = max(before, key=lambda pair: pair[0])[1]
        elif dated:
            case = min(dated, key=lambda pair: pair[0])[1]
        else:
            case = group[0]
        status = status_on(case, day)
        if status not in wanted:
            continue
        if case.status_as_of is None:
            undated.append(case.id)
        elif case.status_as_of < oldest and status not in DATED_FACTS:
            stale.append(case.id)
        else:
            count += 1
    return CountResult(count, tuple(stale), tuple(undated))
