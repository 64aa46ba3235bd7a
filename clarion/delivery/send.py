"""`clarion send`: who gets which draft, and delivery by SMTP, once each, logged as it goes."""
from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import shlex
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, getaddresses
from pathlib import Path

from ..errors import Location
from ..output.files import read_built, sha256
from ..pipeline.session import Session
from ..workspace.audience import addressees, copy_recipients, together
from ..workspace.model import Mail, Settings
from ..workspace.userconfig import User
from .connect import SendError as SendError  # raised here too; callers import it from here
from .connect import open_smtp
from .log import Sent, append_sent, last_sent, locked, read_sent
from .prepare import Prepared, prepare
from .smtp import Link, Permanent, Temporary, one_line, transaction

#: seconds to wait before the first retry of a temporary failure; doubled each time (1, 2
#: and 4 s: a run waits at most 7 s on one message before it stops and says so)
BACKOFF = 1.0
RETRIES = 3


@dataclass(frozen=True)
class Delivery:
    """One e-mail to send (a row of the dry run)."""

    recipient: str
    address: str
    cc: tuple[str, ...]
    language: str
    file: Path              # the draft, build/<campaign>/<recipient>.eml
    attachment: str         # the PDF's file name in the message
    size: int               # of the whole message, in bytes
    sha256: str
    message_id: str
    state: str              # new | sent | changed
    sent: Sent | None = None
    content: str = ""       # the letter's content hash (manifest `content`)
    #: every address the message is delivered to (RCPT TO), when not `address` alone: a
    #: letter to several addressees together goes to each of them and each copy recipient
    rcpts: tuple[str, ...] = ()


@dataclass
class SendPlan:
    """Everything `clarion send` knows before connecting."""

    campaign: str
    out: Path
    deliveries: list[Delivery]
    to_post: list[str]
    warnings: list[str] = field(default_factory=list)
    log: list[Sent] = field(default_factory=list)

    def due(self, resend: bool = False) -> list[Delivery]:
        """What a `--send` delivers: never sent, and, with `resend`, changed since sent."""
        return [d for d in self.deliveries
                if d.state == "new" or (resend and d.state == "changed")]


def plan_send(where: Path | Session, campaign: str,
              recipients: tuple[str, ...] = ()) -> SendPlan:
    """Build the drafts that are missing or outdated; list who gets what; connect nowhere."""
    p = prepare(where, campaign, recipients, ("pdf", "eml"))
    log = read_sent(p.folder)
    latest = last_sent(log)
    plan = SendPlan(campaign, p.out, [], [], p.warnings, log)
    if together(p.campaign):
        _plan_together(plan, p, latest)
        return plan
    for r in p.recipients:
        if r is None:
            continue
        if not r.email:
            plan.to_post.append(r.id)
            continue
        plan.deliveries.append(_delivery(p, r.id, r.email, latest))
    return plan


def _plan_together(plan: SendPlan, p: Prepared, latest: dict[str, Sent]) -> None:
    """One letter to several addressees together: one message, To every addressee with an
    e-mail, Cc the copy recipients, each address once; who has none gets it by post."""
    people = [*addressees(p.ws, p.campaign), *copy_recipients(p.ws, p.campaign)]
    plan.to_post += [r.id for r in people if not r.email]
    if not any(r.email for r in addressees(p.ws, p.campaign)):
        return
    plan.deliveries.append(_delivery(p, p.campaign.id, "", latest))


def _once(addresses: tuple[str, ...]) -> tuple[str, ...]:
    """Each address once (whatever its case), in order."""
    seen: dict[str, str] = {}
    for a in addresses:
        seen.setdefault(a.lower(), a)
    return tuple(seen.values())


def _delivery(p: Prepared, stem: str, address: str, latest: dict[str, Sent]) -> Delivery:
    """The delivery of the draft `build/<campaign>/<stem>.eml`, read back and checked; with
    no `address` (a letter to several together), to every address its To and Cc name."""
    campaign = p.campaign.id
    entry = p.manifest.get(f"{stem}.eml")
    path = p.folder / f"{stem}.eml"
    if entry is None or not path.is_file() or path.is_symlink():
        raise SendError(f"build/{campaign}/{stem}.eml was not built; run "
                        f"`clarion build {campaign} --format pdf --format eml`")
    data = read_built(p.folder, f"{stem}.eml", str(entry.get("sha256")))
    if data is None:
        raise SendError(f"build/{campaign}/{stem}.eml changed since it was built; run "
                        f"`clarion build {campaign} --format pdf --format eml`")
    digest = sha256(data)
    content = str(entry.get("content") or "")
    headers = BytesHeaderParser(policy=SMTP_POLICY).parsebytes(data)
    before = latest.get(stem)
    state = "new" if before is None else "sent" if same_letter(before, digest, content) \
        else "changed"
    cc = tuple(a for _, a in getaddresses([str(v) for v in headers.get_all("Cc", [])]))
    to = tuple(a for _, a in getaddresses([str(v) for v in headers.get_all("To", [])]))
    return Delivery(stem, address or ", ".join(to), cc, str(entry.get("language", "")), path,
                    _attachment_name(data), len(data), digest,
                    str(headers["Message-ID"] or ""), state, before, content,
                    rcpts=() if address else _once((*to, *cc)))


def same_letter(sent: Sent, digest: str, content: str) -> bool:
    """Whether the letter logged as sent is the one built now: the same content (what it
    was made from), whatever the time of its signature; for a log entry from before content
    was logged, the same draft to the byte."""
    if sent.content and content:
        return sent.content == content
    return sent.sha256 == digest


def deliver(plan: SendPlan, mail: Mail | None, password: str | None = None, *,
            resend: bool = False, connect: Callable[[], smtplib.SMTP] | None = None,
            progress: Callable[[Delivery], None] | None = None,
            sleep: Callable[[float], None] = time.sleep,
            clock: Callable[[], float] = time.monotonic,
            backoff: float = BACKOFF, retries: int = RETRIES) -> list[Sent]:
    """Send every due draft, at most `per_minute` a minute; log each one as soon as accepted.

    The whole run holds the campaign's send-log lock, and what is due is worked out again
    under it from the log on disk: a second run started meanwhile waits, then sends only
    what the first did not. Each message goes to its own recipient alone: the Cc header
    names the copy recipients, who each get a letter of their own, so none gets two.
    A temporary failure (4xx, a dropped connection) is retried with backoff; a permanent one
    (5xx) stops the run with the server's reply. What was sent before stays logged.
    """
    settings = _mail_settings(mail)
    with locked(plan.out, plan.campaign):
        due = _still_due(plan, resend)
        if not due:
            return []
        sender = _envelope_sender(due[0].file, due[0].sha256)
        _refuse_unsendable(sender, due)
        link = Link(connect or (lambda: open_smtp(settings, password)))
        pace = _Pace(60.0 / settings.per_minute, sleep, clock)
        sent: list[Sent] = []
        try:
            for d in due:
                pace.wait()
                now = dt.datetime.now(dt.UTC).replace(microsecond=0)
                draft = read_built(d.file.parent, d.file.name, d.sha256)
                if draft is None:
                    raise SendError(f"build/{plan.campaign}/{d.file.name} changed since this "
                                    "run looked at it; nothing more was sent; run `clarion "
                                    "send` again")
                answer = _send_with_retries(link, sender, d.rcpts or (d.address,),
                                            with_date(draft, now),
                                            d, sleep, backoff, retries, len(sent), len(due))
                entry = Sent(d.recipient, d.address, d.message_id, d.sha256,
                             now.isoformat(), answer, d.content)
                plan.log = append_sent(plan.out, plan.campaign, plan.log, entry)
                sent.append(entry)
                if progress:
                    progress(d)
        finally:
            link.close()
    return sent


class _Pace:
    """At most one message every `interval` seconds."""

    def __init__(self, interval: float, sleep: Callable[[float], None],
                 clock: Callable[[], float]):
        self.interval, self.sleep, self.clock = interval, sleep, clock
        self.last: float | None = None

    def wait(self) -> None:
        if self.last is not None:
            wait = self.last + self.interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self.last = self.clock()


def _still_due(plan: SendPlan, resend: bool) -> list[Delivery]:
    """What is due now (call under the lock): each delivery's state from the log as it is on
    disk, which another run may have added to since the plan was made."""
    plan.log = read_sent(plan.out / plan.campaign)
    latest = last_sent(plan.log)
    fresh = []
    for d in plan.deliveries:
        before = latest.get(d.recipient)
        state = "new" if before is None else "sent" \
            if same_letter(before, d.sha256, d.content) else "changed"
        fresh.append(dataclasses.replace(d, state=state, sent=before))
    plan.deliveries = fresh
    return plan.due(resend)


def _refuse_unsendable(sender: str, due: list[Delivery]) -> None:
    """Stop before connecting when an address is not ASCII (`clarion validate` says so at the
    file and line): smtplib would fail on it halfway through the run."""
    for who, address in [("mail.from", sender),
                         *((d.recipient, a) for d in due for a in d.rcpts or (d.address,))]:
        if not address.isascii():
            raise SendError(f"{who} <{address}>: the address holds characters outside ASCII, "
                            "which Clarion does not send to; nothing was sent; `clarion "
                            "validate` shows where it is written and what to write instead")


def chosen_mail(settings: Settings, user: User) -> Mail | None:
    """The mail settings `send --send` connects and logs in with: the workspace's `mail:` with
    the server the user chose.

    The host comes from the command line (`--mail-host`), else from the user's configuration;
    the workspace's `mail.host` is used only when it is that same host: a workspace never
    chooses which server receives the SMTP password. Port, security and user name come from
    the user's configuration when it has `mail:`, else from the workspace's (whose host the
    user then confirmed). Sender, reply address and rate stay the workspace's. Raises
    SendError, one line, when the workspace names a server the user did not."""
    theirs, mine = settings.mail, user.config.mail
    host = user.mail_host or (mine.host if mine else None)
    if theirs is not None and theirs.host and not _same_host(theirs.host, host):
        if user.mail_host is None:
            raise _unconfirmed(theirs.host, settings, user, host)
    if host is None:
        return theirs
    base = theirs or Mail()
    if mine is not None:
        return dataclasses.replace(base, host=host, port=mine.port, security=mine.security,
                                   username=mine.username)
    return dataclasses.replace(base, host=host)


def _same_host(a: str, b: str | None) -> bool:
    return b is not None and a.strip().rstrip(".").lower() == b.strip().rstrip(".").lower()


def _unconfirmed(host: str, settings: Settings, user: User, mine: str | None) -> SendError:
    """The one line that stops a send to a server only the workspace names."""
    why = "comes from the workspace, not from your configuration" if mine is None else \
        "comes from the workspace and is not the server in your configuration"
    return SendError(f"mail.host '{host}' {why} ({user.where}); to use it, run again with "
                     f"--mail-host {shlex.quote(host)} or add it to your configuration",
                     settings.locs.get("mail") or Location("clarion.yaml"))


def with_date(message: bytes, when: dt.datetime) -> bytes:
    """The message with its Date header set to `when` (drafts carry the campaign's date)."""
    head, sep, body = message.partition(b"\r\n\r\n")
    lines = [b"Date: " + format_datetime(when).encode("ascii")
             if line.lower().startswith(b"date:") else line for line in head.split(b"\r\n")]
    return b"\r\n".join(lines) + sep + body


def _send_with_retries(link: Link, sender: str, rcpts: tuple[str, ...], data: bytes,
                       d: Delivery, sleep: Callable[[float], None], backoff: float,
                       retries: int, done: int, total: int) -> str:
    for attempt in range(retries + 1):
        try:
            return transaction(link.get(), sender, rcpts, data)
        except Temporary as e:
            reply = e.reply
            if reply.startswith("421"):  # the server is closing the connection
                link.drop()
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as e:
            reply = f"connection failed: {one_line(str(e)) or type(e).__name__}"
            link.drop()
        except Permanent as e:
            raise SendError(f"{d.recipient} <{d.address}>: the server refused the message: "
                            f"{e.reply}; stopped after {done} of {total} sent (logged in "
                            f"build/{_campaign_of(d)}/sent.json)") from None
        if attempt < retries:
            sleep(backoff * 2 ** attempt)
    raise SendError(f"{d.recipient} <{d.address}>: still failing after {retries + 1} tries: "
                    f"{reply}; stopped after {done} of {total} sent; run `clarion send "
                    "--send` again later to send the rest")


def _campaign_of(d: Delivery) -> str:
    return d.file.parent.name


def _envelope_sender(draft: Path, digest: str) -> str:
    """The From address of a built draft, read as it was planned (no link, no pipe, capped)."""
    data = read_built(draft.parent, draft.name, digest)
    if data is None:
        raise SendError(f"build/{draft.parent.name}/{draft.name} changed since this run looked "
                        "at it; nothing was sent; run `clarion send` again")
    headers = BytesHeaderParser(policy=SMTP_POLICY).parsebytes(data)
    pairs = getaddresses([str(headers["From"] or "")])
    if not pairs or not pairs[0][1]:
        raise SendError(f"{draft.name}: the draft has no From address; set `mail.from` in "
                        "clarion.yaml and build it again")
    return pairs[0][1]


def _attachment_name(data: bytes) -> str:
    from email import message_from_bytes
    msg = message_from_bytes(data, policy=SMTP_POLICY)
    for part in msg.walk():
        if part.get_content_disposition() == "attachment":
            return str(part.get_filename() or "")
    return ""


def _mail_settings(mail: Mail | None) -> Mail:
    if mail is None or not mail.host:
        raise SendError("clarion.yaml: sending needs `mail: {host: …, port: …, security: …}`; "
                        "docs/sending.md describes the settings")
    if mail.security == "none" and mail.username and not _loopback(mail.host):
        raise SendError(f"{mail.host}: `mail.security: none` with a `mail.username` would "
                        "send the password unencrypted, so Clarion does not log in without "
                        "encryption; set `mail.security: starttls` (port 587) or `tls` (port "
                        "465), or leave out `mail.username` for a server that needs no login")
    return mail


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
