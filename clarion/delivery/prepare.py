"""What send, print and status start from: the workspace, a known campaign, its outputs built."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError, did_you_mean
from ..output.files import read_manifest
from ..pipeline.build import BuildOptions, as_text, build
from ..pipeline.check import load_checked
from ..workspace.audience import recipients_of
from ..workspace.model import Campaign, Recipient, Workspace


@dataclass
class Prepared:
    """A campaign ready to deliver: its recipients and the manifest of what is built."""

    ws: Workspace
    campaign: Campaign
    out: Path
    folder: Path
    recipients: list[Recipient | None]
    manifest: dict[str, Any]
    warnings: list[str]


def campaign_of(ws: Workspace, name: str) -> Campaign:
    if name not in ws.campaigns:
        raise UsageError(f"unknown campaign `{name}`{did_you_mean(name, ws.campaigns)}; "
                         "`clarion list campaigns` shows them")
    return ws.campaigns[name]


def prepare(root: Path, name: str, recipients: tuple[str, ...] = (),
            formats: tuple[str, ...] = ("pdf",), out: Path | None = None,
            make: bool = True, loaded: Workspace | None = None) -> Prepared:
    """Load and check the workspace; build what is missing or outdated (when `make`)."""
    ws, problems = (loaded, []) if loaded is not None else load_checked(Path(root))
    campaign = campaign_of(ws, name)
    chosen = recipients_of(ws, campaign)
    known = [r.id for r in chosen if r is not None]
    for rid in recipients:
        if rid not in known:
            raise UsageError(f"`{rid}` is not a recipient of {name}{did_you_mean(rid, known)}")
    if recipients:
        chosen = [r for r in chosen if r is not None and r.id in recipients]
    out = Path(out) if out else ws.root / "build"
    warnings = [str(p) for p in problems]
    if make:
        report = build(ws.root, BuildOptions((name,), tuple(recipients), formats, out))
        warnings += [w for w in map(as_text, report.warnings) if w not in warnings]
    folder = out / name
    return Prepared(ws, campaign, out, folder, chosen, read_manifest(folder), warnings)
