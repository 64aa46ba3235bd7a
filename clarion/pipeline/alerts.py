"""`clarion alerts --build`: the window's trial-watch alert, made like every document."""
from __future__ import annotations

from pathlib import Path

from ..render import i18n
from ..workspace.events import events_between, window_bounds
from ..workspace.model import Campaign, Kind, Window, Workspace
from .build import BuildOptions, BuildReport, build_jobs
from .jobs import Alert, Job
from .session import Session

#: where alerts go under the output folder: alerts/<today>/
FOLDER = "alerts"


def alert_campaign(ws: Workspace, alert: Alert) -> Campaign:
    """An alert campaign, in memory, listing the window's events of every case."""
    start, end = window_bounds(alert.today, alert.within, alert.since)
    cases = tuple(dict.fromkeys(case.id for case, _ in events_between(ws, start, end)))
    language = ws.settings.language
    locale = i18n.locale_for(language, language, ws.settings.locale)
    title = i18n.catalog(language).gettext("Trial watch") + \
        f": {i18n.long_date(start, locale)} – {i18n.long_date(end, locale)}"
    return Campaign(id=f"alerts-{alert.today.isoformat()}", kind=Kind.ALERT, title=title,
                    date=alert.today, language=language, cases=cases,
                    window=Window(start, (end - start).days + 1))


def build_alert(session: Session, alert: Alert, formats: tuple[str, ...] = ("md", "pdf"),
                options: BuildOptions | None = None) -> list[Path]:
    """Write the window's alert to build/alerts/<today>/alerts-<today>.<format> (signed when
    signing is set, listed in that folder's sealed manifest), like any other document."""
    window_bounds(alert.today, alert.within, alert.since)  # a bad window: one clear line
    folder = f"{FOLDER}/{alert.today.isoformat()}"
    job = Job(folder, f"alerts-{alert.today.isoformat()}", tuple(formats), alert=alert)
    report: BuildReport = build_jobs(session, [job], options or BuildOptions())
    return report.written
