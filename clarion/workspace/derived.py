"""Ids made from names (`Löfven` → `lofven`) for spreadsheet rows that have none."""
from __future__ import annotations

import re
from collections.abc import Collection

from anyascii import anyascii

from ..errors import Location, Problem
from . import yamlio
from .reader import field_of
from .yamlio import MappingNode, Node, ScalarNode

#: the longest id (schema.ID_RE)
MAX_ID = 64
#: the fields a row's id is made from, first given first: a recipient's name; a signatory's
#: organisation, else the person signing
NAME_FIELDS = ("name", "organisation", "person")


def slug(text: str, limit: int = MAX_ID) -> str:
    """`Mélenchon` → `melenchon`, `Ильгар Мамедов` → `ilgar-mamedov`: transliterated to ASCII
    (anyascii), lower-cased, every run of anything else one `-`, cut at a word if too long."""
    ascii_ = anyascii(text).lower().replace("'", "")
    out = re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")
    if len(out) > limit:
        out = out[:limit].rsplit("-", 1)[0] if "-" in out[:limit] else out[:limit]
    return out.strip("-")


def unique(base: str, taken: Collection[str]) -> str:
    """`base`, else `base-2`, `base-3`… — the first not in `taken` (cut to fit an id)."""
    if base not in taken:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[:MAX_ID - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        number += 1


def _text(node: Node | None) -> str:
    """A name cell's text; for per-language columns the plain one, else the first."""
    if isinstance(node, ScalarNode):
        return "" if yamlio.is_null(node) else str(node.value).strip()
    if isinstance(node, MappingNode):
        for _key, value in node.value:
            text = _text(value)
            if text:
                return text
    return ""


class MadeIds:
    """The ids made for one file's rows, unique among `taken` and each other; the clashes
    are reported once per file, as a note."""

    def __init__(self, kind: str, taken: set[str]):
        self.kind = kind
        self.taken = taken
        self.clashes: list[tuple[int, str]] = []

    def derive(self, node: MappingNode, display: str) -> str | None:
        """The id for a row without one, made from its name (None: no name to use)."""
        base = next((slug(t) for f in NAME_FIELDS if (t := _text(field_of(node, f)))
                     and slug(t)), "")
        if not base:
            return None
        made = unique(base, self.taken)
        if made != base:
            self.clashes.append((yamlio.where(node, display).line, made))
        self.taken.add(made)
        return made

    def problems(self, display: str) -> list[Problem]:
        if not self.clashes:
            return []
        shown = ", ".join(f"line {line}: `{made}`" for line, made in self.clashes[:5])
        more = f" and {len(self.clashes) - 5} more" if len(self.clashes) > 5 else ""
        line = self.clashes[0][0]
        return [Problem(Location(display, line), (
            f"{len(self.clashes)} {self.kind} id(s) made from names were already taken, so a "
            f"number was added ({shown}{more}); add an `id` column to choose them"),
            severity="note", code="derived-id-clash")]
