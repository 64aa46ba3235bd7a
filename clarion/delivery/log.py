"""The send log `build/<campaign>/sent.json`: read it, append to it whole after each message."""
from __future__ import annotations

import json
import stat
from dataclasses import asdict, dataclass
from pathlib import Path

from ..output.files import safe_join, write_atomic

SENT = "sent.json"
MAX_LOG_BYTES = 20 * 1024 * 1024
FIELDS = ("recipient", "address", "message_id", "sha256", "time", "reply")
#: fields a log written before they existed may lack
OPTIONAL = ("content",)


@dataclass(frozen=True)
class Sent:
    """One message the SMTP server accepted."""

    recipient: str
    address: str
    message_id: str
    sha256: str      # of the draft sent (build/<campaign>/<recipient>.eml)
    time: str        # ISO 8601, UTC
    reply: str       # the server's reply to the message
    #: the letter's content hash (the manifest's `content`: what it was made from, not the
    #: signature's time), to tell a changed letter from one only signed again
    content: str = ""


def read_sent(folder: Path) -> list[Sent]:
    """Every logged message, oldest first; a missing, linked or unreadable log is empty."""
    path = folder / SENT
    try:
        if path.is_symlink() or not stat.S_ISREG(path.stat().st_mode):
            return []
        with open(path, "rb") as f:
            raw = f.read(MAX_LOG_BYTES + 1)
        data = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_LOG_BYTES else {}
        entries = data.get("sent", []) if isinstance(data, dict) else []
    except (OSError, ValueError, RecursionError):
        return []
    return [Sent(**{k: str(e[k]) for k in FIELDS},
                 **{k: str(e[k]) for k in OPTIONAL if isinstance(e.get(k), str)})
            for e in entries
            if isinstance(e, dict) and all(isinstance(e.get(k), str) for k in FIELDS)]


def last_sent(entries: list[Sent]) -> dict[str, Sent]:
    """The latest message logged for each recipient."""
    return {e.recipient: e for e in entries}


def append_sent(out: Path, campaign: str, entries: list[Sent], new: Sent) -> list[Sent]:
    """Log one more message: the whole log is rewritten atomically (never half a log)."""
    every = [*entries, new]
    data = {"campaign": campaign, "sent": [asdict(e) for e in every]}
    write_atomic(safe_join(out, campaign, SENT),
                 (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return every
