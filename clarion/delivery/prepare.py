"""What send, print and status start from: the session's workspace, a known campaign, its
outputs built, and its sealed manifest."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError, did_you_mean
from ..output.files import trusted_manifest
from ..pipeline.build import BuildOptions, build
from ..pipeline.session import Session, session_of
from ..workspace.audience import everyone, recipients_of, together
from ..workspace.model import Campaign, Recipient, Workspace


@dataclass
class Prepared:
    """A campaign ready to deliver: its recipients and the manifest of what is built."""

    ws: Workspace
    campaign: Campaign
    out: Path
    folder: Path
    recipients: list[Recipient | None]
    manifest: dict[str, Any]    # the sealed manifest's entries whose files are intact
    warnings: list[str]


def campaign_of(ws: Workspace, name: str) -> Campaign:
    if name not in ws.campaigns:
        raise UsageError(f"unknown campaign `{name}`{did_you_mean(name, ws.campaigns)}; "
                         "`clarion list campaigns` shows them")
    return ws.campaigns[name]


def prepare(where: Path | Session, name: str, recipients: tuple[str, ...] = (),
            formats: tuple[str, ...] = ("pdf",), make: bool = True) -> Prepared:
    """The campaign's recipients and manifest; what is missing or outdated built first (when
    `make`) — only in `formats`, and nothing else touched."""
    session = session_of(where)
    ws, problems = session.load((name,))
    campaign = campaign_of(ws, name)
    chosen = recipients_of(ws, campaign)
    known = [r.id for r in chosen if r is not None]
    for rid in recipients:
        if together(campaign) and rid in {r.id for r in everyone(ws, campaign)}:
            raise UsageError(f"{rid} is on the one letter of {name} to all its recipients "
                             "together (`address: together`); leave out --recipient")
        if rid not in known:
            raise UsageError(f"`{rid}` is not a recipient of {name}{did_you_mean(rid, known)}")
    if recipients:
        chosen = [r for r in chosen if r is not None and r.id in recipients]
    warnings = [p.line() for p in problems]
    if make:
        report = build(session, BuildOptions((name,), tuple(recipients), formats))
        warnings += [w for w in (p.line() for p in report.warnings) if w not in warnings]
    folder = session.output / name
    return Prepared(ws, campaign, session.output, folder, chosen, trusted_manifest(folder),
                    warnings)
