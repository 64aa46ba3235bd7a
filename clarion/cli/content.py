"""Commands about what documents say: alerts, lint, new."""
from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

import click

from ..errors import UsageError
from .common import handle_errors, json_text, pass_session, say

if TYPE_CHECKING:
    from ..pipeline.session import Session


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """--today: an ISO date (a mistake is a usage error, exit 2)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


@click.command()
@click.option("--today", callback=_date, metavar="DATE",
              help="The day to look from (default: today), YYYY-MM-DD.")
@click.option("--within", type=click.IntRange(0, 3660), default=14, show_default=True,
              help="Days ahead: events dated today..today+DAYS.")
@click.option("--since", type=click.IntRange(0, 3660), default=None,
              help="Also events dated today-DAYS..today (arrests, attacks, releases).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--build", "build_", is_flag=True,
              help="Also write the alert to build/alerts/<today>/ (Markdown and PDF).")
@pass_session
@handle_errors
def alerts(session: Session, today: dt.date | None, within: int, since: int | None, fmt: str,
           build_: bool) -> None:
    """List case events from today to today+WITHIN days (and, with --since, before today)."""
    from ..review.alerts import stale_warnings, upcoming
    ws, _ = session.load()
    day = today or dt.date.today()
    items = upcoming(ws, day, within, since)
    language = ws.settings.language
    if fmt == "json":
        click.echo(json_text({"events": [i.as_json(language) for i in items]}))
    else:
        for item in items:
            say(item.line(language))
    for warning in stale_warnings(ws, items, day):
        say(warning, err=True)
    click.echo(f"{len(items)} event(s) from {day - dt.timedelta(days=since or 0)} to "
               f"{day + dt.timedelta(days=within)}", err=True)
    if build_:
        from ..pipeline.alerts import build_alert
        from ..pipeline.jobs import Alert
        for path in build_alert(session, Alert(day, within, since)):
            say(f"wrote {path}", err=True)


@click.command()
@click.argument("campaigns", nargs=-1)
@click.option("--today", callback=_date, metavar="DATE",
              help="The day to check against (default: today), YYYY-MM-DD.")
@click.option("--disable", "disabled", multiple=True, metavar="RULE",
              help="Switch a rule off (repeat); also `lint: {disable: [...]}` in clarion.yaml.")
@pass_session
@handle_errors
def lint(session: Session, campaigns: tuple[str, ...], today: dt.date | None,
         disabled: tuple[str, ...]) -> None:
    """Content checks: one line per finding, `path:line: rule-id: message`."""
    from ..errors import did_you_mean
    from ..review.lint import RULES, lint_workspace
    for rule in disabled:
        if rule not in RULES:
            raise UsageError(f"--disable: no rule `{rule}`{did_you_mean(rule, RULES)}")
    ws, _ = session.load()
    for name in campaigns:
        if name not in ws.campaigns:
            raise UsageError(f"no campaign `{name}`{did_you_mean(name, ws.campaigns)}")
    findings = lint_workspace(ws, campaigns, today or dt.date.today(), disabled)
    for finding in findings:
        say(finding)
    if findings:
        click.echo(f"{len(findings)} finding(s)", err=True)
        sys.exit(1)
    click.echo("lint: clean", err=True)


@click.group()
def new() -> None:
    """Write a starting file to edit: a press reaction, a case or an open letter."""


@new.command("press-reaction")
@click.option("--case", "case_id", required=True, help="The case the event belongs to.")
@click.option("--event", "event_id", required=True, help="The id of the event reacted to.")
@click.option("--speaker", help="A signatory id: who is quoted (their person, title, organisation).")
@pass_session
@handle_errors
def new_press_reaction(session: Session, case_id: str, event_id: str,
                       speaker: str | None) -> None:
    """A press reaction to a case event: headline, lede, quote placeholders, background."""
    from ..review.drafts import press_reaction_draft
    from .newfile import create_file
    ws, _ = session.load()
    draft = press_reaction_draft(ws, case_id, event_id, speaker, dt.date.today())
    path = create_file(ws.root, draft.path, draft.text)
    click.echo(f"wrote {path}; edit it, then: clarion build {path.stem}", err=True)


@new.command("case")
@click.argument("name")
@pass_session
@handle_errors
def new_case(session: Session, name: str) -> None:
    """A case record for the person NAME, with the fields to fill in."""
    from ..review.drafts import case_draft
    from .newfile import create_file
    draft = case_draft(name, dt.date.today())
    path = create_file(session.root, draft.path, draft.text)
    click.echo(f"wrote {path}; fill it in, then: clarion validate", err=True)


@new.command("open-letter")
@click.argument("campaign_id", metavar="ID")
@pass_session
@handle_errors
def new_open_letter(session: Session, campaign_id: str) -> None:
    """An open letter campaigns/ID.yaml, with the fields to fill in."""
    from ..review.drafts import open_letter_draft
    from .newfile import create_file
    draft = open_letter_draft(session.root, campaign_id, dt.date.today())
    path = create_file(session.root, draft.path, draft.text)
    click.echo(f"wrote {path}; fill it in, then: clarion build {campaign_id}", err=True)


COMMANDS: list[click.Command] = [alerts, lint, new]
