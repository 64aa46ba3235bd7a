"""Case events in a window of days: what `clarion alerts` lists and an alert is made of."""
from __future__ import annotations

import datetime as dt

from ..errors import ClarionError
from .model import Case, Event, LocalText, Workspace

#: the default number of days ahead `clarion alerts` looks
WITHIN_DAYS = 14


def window_bounds(today: dt.date, within: int = WITHIN_DAYS,
                  since: int | None = None) -> tuple[dt.date, dt.date]:
    """First and last day (both included): today−since (or today) .. today+within."""
    if within < 0 or (since is not None and since < 0):
        raise ClarionError("--within and --since take a number of days, 0 or more")
    try:
        start = today - dt.timedelta(days=since or 0)
        end = today + dt.timedelta(days=within)
    except OverflowError as e:
        raise ClarionError("the window of days is outside the calendar; use fewer days") from e
    return start, end


def events_between(ws: Workspace, start: dt.date, end: dt.date) -> list[tuple[Case, Event]]:
    """Public case events dated start..end, soonest first (then by time, name and id)."""
    found = [(case, e) for case in ws.cases.values() for e in case.public_events()
             if start <= e.date <= end]
    return sorted(found, key=lambda ce: (ce[1].date, ce[1].time or "", plain(ce[0].name, "")
                                         or "", ce[0].id, ce[1].id or ""))


def plain(value: object, language: str) -> str | None:
    """Reader-facing text as one string in `language` (a LocalText is picked)."""
    if value is None:
        return None
    if isinstance(value, LocalText):
        return value.pick(language)[0]
    return str(value)
