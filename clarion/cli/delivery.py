"""Commands that get letters to people: send, print, status."""
from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from typing import TYPE_CHECKING, Any

import click

from .common import fields, handle_errors, json_text, pass_session, say

if TYPE_CHECKING:
    from ..pipeline.session import Session

PASSWORD_VARIABLE = "CLARION_SMTP_PASSWORD"


def _warn(warnings: list[str] | tuple[str, ...]) -> None:
    for warning in dict.fromkeys(warnings):
        say(warning, err=True)


@click.command()
@click.argument("campaign")
@click.option("--recipient", "recipients", multiple=True, help="Only this recipient (repeat).")
@click.option("--send", "really", is_flag=True,
              help="Deliver by SMTP (without it: a dry run that connects nowhere).")
@click.option("--resend", is_flag=True, help="Send again the drafts changed since they were sent.")
@click.option("--mail-host", metavar="HOST", default=None,
              help="The SMTP server to log in to (over your configuration's and the "
                   "workspace's `mail.host`).")
@pass_session
@handle_errors
def send(session: Session, campaign: str, recipients: tuple[str, ...], really: bool,
         resend: bool, mail_host: str | None) -> None:
    """E-mail the letters of CAMPAIGN, each once (a dry run unless --send)."""
    from ..delivery.log import locked
    from ..delivery.prepare import campaign_of
    if mail_host:
        session.user = dataclasses.replace(session.user, mail_host=mail_host)
    campaign_of(session.load((campaign,))[0], campaign)  # a known one, before any lock file
    # a real run holds the send log's lock from planning to the last message: a second run
    # waits, then lists and sends only what this one did not
    with locked(session.output, campaign) if really else contextlib.nullcontext():
        _send(session, campaign, recipients, really, resend)


def _send(session: Session, campaign: str, recipients: tuple[str, ...], really: bool,
          resend: bool) -> None:
    from ..delivery.send import chosen_mail, deliver, plan_send
    plan = plan_send(session, campaign, tuple(recipients))
    _warn(plan.warnings)
    for d in plan.deliveries:
        state = {"new": "to send", "sent": f"sent {d.sent.time if d.sent else ''}",
                 "changed": "CHANGED since sent" + ("" if resend else " (--resend)")}[d.state]
        click.echo(fields(d.recipient, d.address, d.language, f"{d.attachment} "
                          f"({d.size / 1024:.0f} KiB message)", state))
    for rid in plan.to_post:
        click.echo(fields(rid, "-", "to post (no e-mail)"))
    due = plan.due(resend)
    if not really:
        click.echo(f"dry run: {len(due)} message(s) would be sent, {len(plan.to_post)} to post;"
                   " add --send to send", err=True)
        return
    if not due:
        click.echo("nothing to send: every message was sent already", err=True)
        return
    ws, _ = session.load((campaign,))
    mail = chosen_mail(ws.settings, session.user)  # the server the user chose, or stop here
    password = _password(mail.username if mail else None)
    with click.progressbar(length=len(due), label="sending", file=sys.stderr) as bar:
        sent = deliver(plan, mail, password, resend=resend,
                       progress=lambda _d: bar.update(1))
    click.echo(f"sent {len(sent)} message(s); logged in build/{campaign}/sent.json", err=True)


def _password(username: str | None) -> str | None:
    """From CLARION_SMTP_PASSWORD, else asked on the terminal; never echoed or stored."""
    if not username:
        return None
    password = os.environ.get(PASSWORD_VARIABLE)
    if password:
        return password
    if not sys.stdin.isatty():
        from ..errors import ClarionError
        raise ClarionError(f"the SMTP password is needed: set {PASSWORD_VARIABLE} or run "
                           "`clarion send --send` on a terminal to be asked for it")
    return str(click.prompt(f"SMTP password for {username}", hide_input=True, err=True))


@click.command("print")
@click.argument("campaign")
@click.option("--all", "every", is_flag=True,
              help="Every letter, not only those of recipients without e-mail.")
@pass_session
@handle_errors
def print_(session: Session, campaign: str, every: bool) -> None:
    """Write one PDF of CAMPAIGN's letters to post, each starting on an odd page."""
    from ..delivery.bundle import print_bundle
    bundle = print_bundle(session, campaign, every)
    _warn(bundle.warnings)
    say(bundle.path)
    click.echo(f"{len(bundle.letters)} letter(s), {bundle.pages} page(s) with the cover sheet "
               "and blank pages; print double-sided", err=True)


@click.command()
@click.argument("campaigns", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@pass_session
@handle_errors
def status(session: Session, campaigns: tuple[str, ...], fmt: str) -> None:
    """Where each letter stands: built, current, signed, sent or to post, printed."""
    from ..delivery.status import as_json, campaign_status
    rows = campaign_status(session, tuple(campaigns))
    if fmt == "json":
        data: dict[str, Any] = as_json(rows)
        click.echo(json_text(data))
        return
    for row in rows:
        say(row.line())


COMMANDS: list[click.Command] = [send, print_, status]
