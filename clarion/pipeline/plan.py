"""What a build must make: each output whose recorded reads no longer match the workspace,
and each campaign folder's files, kept or pruned. `status` asks the same questions here."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError, did_you_mean
from ..formats import FORMATS, formats_for
from ..output.files import parts, remove_stale_temps, safe_join, trusted_manifest
from ..workspace.audience import addressees, everyone, recipients_of, together
from ..workspace.model import Campaign, Recipient, Workspace
from .jobs import Job
from .reads import Digests


@dataclass
class Folder:
    """What a build knows of one campaign's folder while it runs."""

    name: str
    previous: dict[str, dict[str, Any]]   # the sealed manifest's entries, files checked
    stems: set[str]                        # whose documents belong here now
    prune: bool                            # remove entries of stems no longer here
    fresh: dict[str, dict[str, Any]] = field(default_factory=dict)

    def outdated(self) -> list[str]:
        """Files of recipients (or campaigns) that are gone: any format, and only those."""
        return sorted(f for f in self.previous if f.rsplit(".", 1)[0] not in self.stems)


@dataclass
class Plan:
    jobs: list[Job]
    folders: dict[str, Folder]
    unchanged: int = 0


def check_names(ws: Workspace, campaigns: Iterable[str], formats: Iterable[str]) -> None:
    for name in campaigns:
        if name not in ws.campaigns:
            raise UsageError(f"unknown campaign `{name}`{did_you_mean(name, ws.campaigns)}; "
                             "`clarion list campaigns` shows them")
    for fmt in formats:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format `{fmt}`{did_you_mean(fmt, FORMATS)}; "
                             f"formats are {', '.join(FORMATS)}")


def current(entry: dict[str, Any] | None, digests: Digests) -> bool:
    """An output is current when the sealed manifest lists it (its file checked) and every
    thing it read still has the digest it had."""
    if not entry or not isinstance(entry.get("reads"), dict) or not entry["reads"]:
        return False
    return digests.current(entry["reads"])


def plan(ws: Workspace, digests: Digests, out: Path, campaigns: tuple[str, ...],
         recipients: tuple[str, ...], formats: tuple[str, ...], force: bool = False) -> Plan:
    """The jobs that make what is missing or outdated among these campaigns' documents."""
    chosen = {name: recipients_of(ws, ws.campaigns[name]) for name in campaigns}
    known = {r.id for rs in chosen.values() for r in rs if r is not None}
    for rid in recipients:
        joint = [n for n in campaigns if together(ws.campaigns[n])
                 and rid in {r.id for r in everyone(ws, ws.campaigns[n])}]
        if rid not in known and joint:
            raise UsageError(f"{rid} is on the one letter of {joint[0]} to all its recipients "
                             "together (`address: together`); build it without --recipient")
        if rid not in known:
            raise UsageError(f"no recipient of the chosen campaigns matches --recipient "
                             f"{rid}{did_you_mean(rid, known)}")
    result = Plan([], {})
    for name in campaigns:
        folder = safe_join(out, *parts(name))
        remove_stale_temps(out, name)
        stems = {r.id if r else name for r in chosen[name]}
        result.folders[name] = Folder(name, trusted_manifest(folder), stems,
                                      prune=not recipients)
        for recipient in chosen[name]:
            if recipients and (recipient is None or recipient.id not in recipients):
                continue
            job = _job(ws, result, name, recipient, formats, digests, force)
            if job is not None:
                safe_join(out, *parts(name), f"{job.stem}.{job.formats[0] if job.formats else 'pdf'}")
                result.jobs.append(job)
    return result


def _mailed_together(ws: Workspace, campaign: Campaign) -> bool:
    """Whether one letter to several addressees together is e-mailed: one of them has an
    address (its draft goes to every one who has)."""
    return together(campaign) and any(r.email for r in addressees(ws, campaign))


def _job(ws: Workspace, result: Plan, name: str, recipient: Recipient | None,
         formats: tuple[str, ...], digests: Digests, force: bool) -> Job | None:
    stem = recipient.id if recipient else name
    mailed = bool(recipient.email) if recipient else _mailed_together(ws, ws.campaigns[name])
    todo, attach, unchanged = outdated(result.folders[name].previous, stem,
                                       formats_for(formats, mailed), digests, force)
    result.unchanged += unchanged
    if not todo:
        return None
    return Job(name, recipient.id if recipient else None, todo, attach=attach)


def outdated(previous: dict[str, dict[str, Any]], stem: str, own: tuple[str, ...],
             digests: Digests, force: bool
             ) -> tuple[tuple[str, ...], tuple[str, str] | None, int]:
    """Which of one document's formats to make, the current PDF a draft made alone attaches,
    and how many formats are current."""
    todo = [f for f in own if force or not current(previous.get(f"{stem}.{f}"), digests)]
    unchanged = len(own) - len(todo)
    if not todo:
        return (), None, unchanged
    attach = None
    if "pdf" in todo and "eml" in own and "eml" not in todo:
        todo.append("eml")  # the draft attaches the letter: a new letter, a new draft
        unchanged -= 1
    if "eml" in todo and "pdf" not in todo:
        pdf = previous.get(f"{stem}.pdf")
        if pdf is not None and current(pdf, digests):
            attach = (f"{stem}.pdf", str(pdf["sha256"]))  # never made (or signed) again
        else:
            todo.insert(0, "pdf")
    return tuple(todo), attach, unchanged
