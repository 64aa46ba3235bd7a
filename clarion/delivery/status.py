"""`clarion status`: each recipient's letter — built, current, signed, sent or to post, printed."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..output.files import is_current
from ..output.signing import signing_identity
from ..pipeline.build import Inputs
from ..pipeline.check import load_checked
from .bundle import PRINT
from .log import last_sent, read_sent
from .prepare import prepare


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

    def line(self) -> str:
        built = ("current" if self.current else "outdated") if self.built else "not built"
        parts = [f"{self.campaign}/{self.recipient or '-'}", f"built, {built}"
                 if self.built else built, "signed" if self.signed else "unsigned"]
        if self.sent:
            parts.append(f"sent {self.sent} to {self.sent_to}"
                         + (" (changed since)" if self.sent_changed else ""))
        elif self.to_post:
            parts.append("to post")
        else:
            parts.append(f"not sent ({self.email})")
        if self.printed:
            parts.append("printed")
        return "  ".join(parts)


def campaign_status(root: Path, campaigns: tuple[str, ...] = (),
                    out: Path | None = None) -> list[LetterStatus]:
    """One status per recipient (or per campaign, for a document without recipients)."""
    ws, _ = load_checked(Path(root))
    names = campaigns or tuple(sorted(ws.campaigns))
    rows: list[LetterStatus] = []
    # a signed PDF was built with its signer's identity in its inputs hash, as the build does
    signer = signing_identity(ws.root, ws.settings.signing) if ws.settings.signing else None
    unsigned, signed = Inputs(ws), Inputs(ws, signer) if signer else None
    for name in names:
        p = prepare(ws.root, name, out=out, make=False, loaded=ws)
        sent = last_sent(read_sent(p.folder))
        printed = _printed(p.folder)
        for r in p.recipients:
            stem = r.id if r else name
            entry = p.manifest.get(f"{stem}.pdf")
            built = entry is not None and (p.folder / f"{stem}.pdf").is_file()
            inputs = signed if signed and entry and entry.get("signed") else unsigned
            current = built and is_current(
                p.folder, f"{stem}.pdf", inputs.with_finisher(inputs.document(p.campaign, r)),
                p.manifest)
            log = sent.get(r.id) if r else None
            eml = p.manifest.get(f"{stem}.eml")
            changed = bool(log and eml and eml.get("sha256") != log.sha256)
            email = r.email if r else None
            rows.append(LetterStatus(
                name, r.id if r else None, built, current, bool(entry and entry.get("signed")),
                email, log.time if log else None, log.address if log else None, changed,
                not email, bool(entry) and printed.get(stem) == (entry or {}).get("sha256")))
    return rows


def as_json(rows: list[LetterStatus]) -> dict[str, Any]:
    from dataclasses import asdict
    return {"letters": [asdict(r) for r in rows]}


def _printed(folder: Path) -> dict[str, str]:
    """Which letters (by file stem) the last print bundle held, with their PDF's sha256."""
    path = folder / PRINT / f"{folder.name}.json"
    try:
        if path.is_symlink():
            return {}
        data = json.loads(path.read_text("utf-8"))
        return {str(x["file"]).rsplit(".", 1)[0]: str(x["sha256"]) for x in data["letters"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
