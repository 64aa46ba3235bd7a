"""The postal address as printed in an envelope window: its lines and whether they fit."""
from __future__ import annotations

from .model import Organisation, Recipient

#: lines the window shows: DIN 5008 form B (A4) has a 6-line address zone and a 3-line note
#: zone above it; a US #10 window shows about six lines
WINDOW_LINES = {"a4": 9, "letter": 6}
#: characters of a 9 pt address line in the 75 mm the window leaves for text (conservative)
CHARS_PER_LINE = 45


def address_lines(recipient: Recipient | None, org: Organisation) -> tuple[list[str], bool]:
    """Postal lines; the country is added (in capitals) when the letter crosses a border."""
    if recipient is None:
        return [], False
    lines = [str(line) for line in recipient.address]
    country = (recipient.country or "").strip()
    # the sender's country: the last part of its last address line ("…, Belgium" or "Belgium")
    home = (str(org.address[-1]).split(",")[-1] if org.address else "").strip().lower()
    if country and lines and lines[-1].strip().lower() != country.lower() \
            and country.lower() != home:
        return [*lines, country], True
    return lines, False


def printed_lines(recipient: Recipient, org: Organisation) -> int:
    """How many printed lines the address block takes: name, title and postal lines wrapped."""
    lines, _ = address_lines(recipient, org)
    texts = [recipient.name, recipient.title, *lines]
    return sum(max(1, -(-_longest(t) // CHARS_PER_LINE)) for t in texts if t)


def _longest(text: object) -> int:
    """Characters of a text, or of its longest language form (per-language text)."""
    forms = text.all() if hasattr(text, "all") else [text]
    return max((len(str(f)) for f in forms), default=0)


def window_lines(paper: str) -> int:
    return WINDOW_LINES.get(paper.strip().lower(), WINDOW_LINES["a4"])
