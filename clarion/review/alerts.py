"""`clarion alerts`: the case events in a window around today, and what to check before an
alert of them goes out. (The alert itself is made by clarion.pipeline.alerts.)"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..workspace.events import WITHIN_DAYS, events_between, plain, window_bounds
from ..workspace.model import Case, Event, Workspace

__all__ = ["WITHIN_DAYS", "AlertItem", "stale_warnings", "upcoming", "window_bounds"]


@dataclass(frozen=True)
class AlertItem:
    """One case event in the window."""

    date: dt.date
    case: Case
    event: Event

    def as_json(self, language: str) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "case": self.case.id,
                "name": plain(self.case.name, language), "type": self.event.type.value,
                "event": self.event.id, "place": plain(self.event.place, language),
                "court": plain(self.event.court, language), "time": self.event.time,
                "text": plain(self.event.text, language)}

    def line(self, language: str) -> str:
        """`2014-10-08 10:00  Alayif Hasanov  hearing  Yasamal District Court, Baku — text`"""
        when = self.date.isoformat() + (f" {self.event.time}" if self.event.time else "")
        where = ", ".join(p for p in (plain(self.event.court, language),
                                      plain(self.event.place, language)) if p)
        text = " ".join((plain(self.event.text, language) or "").split())
        parts = [when, plain(self.case.name, language) or self.case.id, self.event.type.value]
        return "  ".join([*parts, where or "-"]) + (f" — {text}" if text else "")


def upcoming(ws: Workspace, today: dt.date, within: int = WITHIN_DAYS,
             since: int | None = None) -> list[AlertItem]:
    """Public case events dated in the window, soonest first (then by time and name)."""
    start, end = window_bounds(today, within, since)
    return [AlertItem(e.date, case, e) for case, e in events_between(ws, start, end)]


def stale_warnings(ws: Workspace, items: list[AlertItem], today: dt.date) -> list[str]:
    """A line for each listed case whose status was confirmed too long before today."""
    from ..render.views import DATED_FACTS
    days = ws.settings.freshness_days
    out = []
    for case in {i.case.id: i.case for i in items}.values():
        as_of = case.status_as_of
        if as_of is not None and case.status not in DATED_FACTS and \
                (today - as_of).days > days:
            loc = case.locs.get("status_as_of", case.loc)
            out.append(f"{loc}: status `{case.status}` of {case.id} was last confirmed on "
                       f"{as_of}, more than {days} days before {today}; confirm it before the "
                       "alert goes out")
    return out
