"""`clarion alerts`: case events in a window around today, and a trial-watch alert of them."""
from __future__ import annotations

import datetime as dt
import html as html_lib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ClarionError, PrivacyError
from ..output import privacy
from ..output.files import safe_join, write_atomic
from ..render import i18n
from ..render.document import render_document
from ..workspace.model import Campaign, Case, Event, Kind, LocalText, Window, Workspace

#: the default number of days ahead `clarion alerts` looks
WITHIN_DAYS = 14


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


def plain(value: object, language: str) -> str | None:
    """Reader-facing text as one string in `language` (a LocalText is picked)."""
    if value is None:
        return None
    if isinstance(value, LocalText):
        return value.pick(language)[0]
    return str(value)


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


def upcoming(ws: Workspace, today: dt.date, within: int = WITHIN_DAYS,
             since: int | None = None) -> list[AlertItem]:
    """Public case events dated in the window, soonest first (then by time and name)."""
    start, end = window_bounds(today, within, since)
    items = [AlertItem(e.date, case, e) for case in ws.cases.values()
             for e in case.public_events() if start <= e.date <= end]
    return sorted(items, key=lambda i: (i.date, i.event.time or "", plain(i.case.name, "") or "",
                                        i.case.id, i.event.id or ""))


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


def alert_campaign(ws: Workspace, today: dt.date, within: int = WITHIN_DAYS,
                   since: int | None = None) -> Campaign:
    """An alert campaign, in memory, listing the window's events of every case."""
    start, end = window_bounds(today, within, since)
    cases = tuple(dict.fromkeys(i.case.id for i in upcoming(ws, today, within, since)))
    language = ws.settings.language
    locale = i18n.locale_for(language, language, ws.settings.locale)
    title = i18n.catalog(language).gettext("Trial watch") + \
        f": {i18n.long_date(start, locale)} – {i18n.long_date(end, locale)}"
    return Campaign(id=f"alerts-{today.isoformat()}", kind=Kind.ALERT, title=title, date=today,
                    language=language, cases=cases,
                    window=Window(start, (end - start).days + 1))


def build_alert(ws: Workspace, today: dt.date, within: int = WITHIN_DAYS,
                since: int | None = None, out: Path | None = None) -> list[Path]:
    """Write the window's alert as build/alerts/<today>/alerts-<today>.md and .pdf."""
    from ..output.pdf import write_pdf
    campaign = alert_campaign(ws, today, within, since)
    base = out if out is not None else ws.root / "build"
    folder = safe_join(base, "alerts", today.isoformat())
    doc = render_document(ws, campaign, None)
    secrets = privacy.private_strings(ws)
    leaked = privacy.leaks([doc.markdown, doc.html, html_lib.unescape(doc.print_html),
                            privacy.visible_text(doc.print_html)], secrets)
    if leaked:
        raise PrivacyError(f"build/alerts/{today}: private data of case {', '.join(leaked)} "
                           "would appear in the alert; nothing was written")
    pdf, _refused = write_pdf(doc.print_html, ws.root, doc.metadata,
                              identity=f"alerts/{today}", allow_remote=ws.settings.allow_remote,
                              source=f"alerts/{today}/{campaign.id}.pdf", secrets=secrets)
    written = []
    for ext, data in (("md", doc.markdown.encode("utf-8")), ("pdf", pdf)):
        path = safe_join(folder, f"{campaign.id}.{ext}")
        write_atomic(path, data)
        written.append(path)
    return written
