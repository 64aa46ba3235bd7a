"""How a workspace is loaded for this run: choices only the person running Clarion makes."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LoadOptions:
    """`clarion --allow-links` and `clarion --limit NAME=VALUE`: never from the workspace."""

    allow_links: bool = False
    raised: tuple[tuple[str, float], ...] = ()
