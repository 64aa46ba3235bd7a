"""`clarion status`: each recipient's letter — built, current, signed, sent or to post, printed."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import printable
from ..kinds import KINDS
from ..limits import MAX_MANIFEST_BYTES
from ..output.files import read_sealed_manifest
from ..pipeline.build import signer_identity
from ..pipeline.plan import current
from ..pipeline.session import Session, session_of
from ..safefile import FileError, read_json
from ..workspace.audience import addressees, copy_recipients, together
from .bundle import PRINT
from .log import last_sent, read_log
from .prepare import prepare
from .send import same_letter

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LetterStatus:
    """Where one recipient's letter of one campaign stands."""

    campaign: str
    recipient: str | None
    built: bool
    current: bool
    signed: bool
    email: str | None
    sent: str | None          # when (ISO 8601), from the send log
    sent_to: str | None
    sent_changed: bool        # the draft changed since it was sent
    to_post: bool
    printed: bool
    #: the campaign's manifest is there but not sealed by this user (shipped with the
    #: workspace, or edited), or the letter is not what it lists: nothing it says is
    #: believed, so `built` and `signed` are False
    unverified: bool = False
    #: a letter (sent or posted); a statement, press reaction or alert is neither
    letter: bool = True
    #: a letter to post whose recipient has no postal address: `clarion print` leaves it out
    no_address: bool = False

    def line(self) -> str:
        built = ("current" if self.current else "outdated") if self.built else "not built"
        parts = [f"{self.campaign}/{self.recipient or '-'}", f"built, {built}"
                 if self.built else built, "signed" if self.signed else "unsigned"]
        if self.unverified:
            parts[1:] = ["unverified (not as sealed in manifest.json; build again)"]
        if self.sent:
            parts.append(f"sent {self.sent} to {self.sent_to}"
                         + (" (changed since)" if self.sent_changed else ""))
        elif not self.letter:
            parts.append("not a letter: neither sent nor posted")
        elif self.no_address:
            parts.append("to post, but no postal address: not in the print bundle")
        elif self.to_post:
            parts.append("to post")
        else:
            parts.append(f"not sent ({self.email})")
        if self.printed:
            parts.append("printed")
        return "  ".join(parts)


def campaign_status(where: Path | Session,
                    campaigns: tuple[str, ...] = ()) -> list[LetterStatus]:
    """One status per recipient (or per campaign, for a document without recipients),
    answered from the sealed manifests: a letter is current when everything it read, as
    its manifest entry records, still has the digest it had (the build's own question)."""
    session = session_of(where)
    ws, _ = session.load(campaigns or None)
    names = campaigns or tuple(sorted(ws.campaigns))
    digests = session.digests(signer_identity(ws, session.user))
    rows: list[LetterStatus] = []
    for name in names:
        p = prepare(session, name, make=False)
        reading = read_sealed_manifest(p.folder)
        sent_log = read_log(p.folder)
        if sent_log.warning:
            _log.warning(sent_log.warning)
        sent = last_sent(sent_log.entries)
        printed = _printed(p.folder)
        for r in p.recipients:
            stem = r.id if r else name
            entry = p.manifest.get(f"{stem}.pdf")
            many = r is None and together(p.campaign)  # one letter to all: one row
            log = sent.get(r.id if r else name) if r or many else None
            eml = p.manifest.get(f"{stem}.eml")
            changed = bool(log and eml and not same_letter(log, str(eml.get("sha256")),
                                                     str(eml.get("content") or "")))
            letter = KINDS[p.campaign.kind].recipients
            email, post = (r.email, not r.email) if r else (None, letter)
            unaddressed = bool(r and post and not any(str(x).strip() for x in r.address))
            if many:  # by e-mail to who has an address, by post to anyone else
                people = [*addressees(ws, p.campaign), *copy_recipients(ws, p.campaign)]
                email = ", ".join(a.email for a in addressees(ws, p.campaign) if a.email) \
                    or None
                post = not people or any(not a.email for a in people)
            # a manifest not sealed by this user, or a sealed one whose letter was changed
            unverified = (reading.present and not reading.sealed) or \
                (f"{stem}.pdf" in reading.entries and entry is None)
            rows.append(LetterStatus(
                name, r.id if r else None, entry is not None, current(entry, digests),
                bool(entry and entry.get("signed")),
                email, log.time if log else None, log.address if log else None, changed,
                post and not unaddressed,
                bool(entry) and printed.get(stem) == (entry or {}).get("sha256"),
                unverified, letter, unaddressed))
    return rows


def as_json(rows: list[LetterStatus]) -> dict[str, Any]:
    from dataclasses import asdict
    return {"letters": [asdict(r) for r in rows]}


def _printed(folder: Path) -> dict[str, str]:
    """Which letters (by file stem) the last print bundle held, with their PDF's sha256."""
    try:  # never through a link, never a pipe or a huge file, never too deep
        data = read_json(folder, f"{PRINT}/{folder.name}.json", MAX_MANIFEST_BYTES,
                         shown=f"build/{folder.name}/{PRINT}/{folder.name}.json")
    except FileError as e:
        if e.kind != "missing":
            _log.warning(f"{printable(str(e))} (its letters are not counted as printed)")
        return {}
    try:
        return {str(x["file"]).rsplit(".", 1)[0]: str(x["sha256"]) for x in data["letters"]}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}
