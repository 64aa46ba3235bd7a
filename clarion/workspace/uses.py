"""What each campaign uses (its files, records, templates), and so which problems block it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    """Where one record (loaded or left out) is written: what a problem there is about."""

    kind: str                       # case, recipient or signatory
    id: str | None                  # None: a record (or a whole file) whose ids are unknown
    path: str                       # the file, relative to the workspace
    first: int = 0                  # its first and last line; 0, 0: the whole file
    last: int = 0
    #: a recipient's groups; None when they could not be read (it may be in any group)
    groups: frozenset[str] | None = frozenset()

    def holds(self, line: int) -> bool:
        return self.first == 0 or self.first <= line <= self.last
