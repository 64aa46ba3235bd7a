"""Lint rules about case records: stale status, unsourced event, no outcome, same person."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator

from ..render.views import DATED_FACTS, person_groups
from ..workspace.model import Case, EventType
from .alerts import upcoming
from .lint_scope import Finding, Scope, case_names, finding

#: days after a hearing before lint expects its outcome as an event
HEARING_OUTCOME_DAYS = 7


def stale_status(scope: Scope) -> Iterator[Finding]:
    """A case used by a campaign whose status was confirmed too long before its date."""
    days = scope.ws.settings.freshness_days
    checks = [(case, c.date, f"the campaign {c.id} ({c.date})")
              for c in scope.campaigns for case in scope.cases_of(c)]
    if scope.whole:
        checks += [(item.case, scope.today, f"today's alerts ({scope.today})")
                   for item in upcoming(scope.ws, scope.today)]
    for case, day, why in checks:
        as_of = case.status_as_of
        if as_of is None or case.status in DATED_FACTS:
            continue
        if as_of < day - dt.timedelta(days=days):
            yield finding(case.locs.get("status_as_of"), "stale-status", (
                f"status `{case.status}` of {case.id} was last confirmed on {as_of}, more than "
                f"{days} days before {why}; confirm it and update status_as_of"), case.loc)


def unsourced_event(scope: Scope) -> Iterator[Finding]:
    """A public event with no `sources`."""
    cases = scope.ws.cases.values() if scope.whole else \
        [case for c in scope.campaigns for case in scope.cases_of(c)]
    for case in {case.id: case for case in cases}.values():
        for e in case.public_events():
            if not e.sources:
                yield finding(e.loc, "unsourced-event", (
                    f"the {e.type} of {e.date} in {case.id} has no `sources`; add the report "
                    "it comes from"), case.loc)


OUTCOME_TYPES = frozenset(EventType) - {EventType.HEARING, EventType.STATEMENT}


def hearing_no_outcome(scope: Scope) -> Iterator[Finding]:
    """A hearing more than a week past with no later event for that case."""
    seen: set[tuple[str, dt.date]] = set()
    for case, day, why in scope.dated_cases():
        if (case.id, day) in seen:
            continue
        seen.add((case.id, day))
        events = case.public_events()
        for h in events:
            if h.type is not EventType.HEARING:
                continue
            if (day - h.date).days <= HEARING_OUTCOME_DAYS:
                continue
            later = [e for e in events if e is not h and h.date <= e.date <= day and (
                e.date > h.date or e.type in OUTCOME_TYPES)]
            if not later:
                yield finding(h.loc, "hearing-no-outcome", (
                    f"the hearing of {h.date} in {case.id} has no later event by {why}; "
                    "record what the court decided"), case.loc)


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("ə", "a"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w ]", " ", plain.casefold()).split())


def _identity(case: Case) -> tuple[set[str], set[str], str | None]:
    """(names, aliases, date of birth) of a case: the declared `aliases` and `birth_date`,
    else the same under `extra:` (workspaces written before they were declared)."""
    extra = case.extra if isinstance(case.extra, dict) or hasattr(case.extra, "get") else {}
    aliases = case.aliases or extra.get("aliases") or []
    aliases = [aliases] if isinstance(aliases, str) else list(aliases)
    born = case.birth_date or extra.get("birth_date") or extra.get("born")
    return ({_key(n) for n in case_names(case)}, {_key(str(a)) for a in aliases},
            str(born) if born else None)


def same_person(scope: Scope) -> Iterator[Finding]:
    """Two records of what looks like one person, not linked by `same_person_as`."""
    ws = scope.ws
    group_of = {c.id: n for n, g in enumerate(person_groups(ws)) for c in g}
    ids = sorted(ws.cases)
    identities = {cid: _identity(ws.cases[cid]) for cid in ids}
    for i, a in enumerate(ids):
        names_a, aliases_a, born_a = identities[a]
        for b in ids[i + 1:]:
            if group_of[a] == group_of[b]:
                continue
            names_b, aliases_b, born_b = identities[b]
            by_name = bool(names_a & names_b) and (born_a is None or born_b is None
                                                   or born_a == born_b)
            by_alias = bool((aliases_a & (names_b | aliases_b)) | (aliases_b & names_a))
            if by_name or by_alias:
                case = ws.cases[b]
                yield finding(case.locs.get("name"), "same-person", (
                    f"{b} and {a} look like the same person (same "
                    f"{'name' if by_name else 'alias'}); if they are, add "
                    f"`same_person_as: {a}` so they count once"), case.loc)
