"""Checks of campaign translations: missing fields, and originals changed since translating."""
from __future__ import annotations

import hashlib
import json
from typing import Any

from ..errors import Location, Problem
from .model import Campaign, Workspace

FIELDS = ("title", "subject", "place", "asks", "quotes", "body")


def source_hash(campaign: Campaign) -> str:
    """A short hash of the original text a translation is made from."""
    data: dict[str, Any] = {name: getattr(campaign, name) for name in FIELDS}
    data["quotes"] = [[q.speaker, q.title, q.organisation, q.text] for q in campaign.quotes]
    data["asks"] = list(campaign.asks)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def translation_warnings(ws: Workspace) -> list[Problem]:
    """Warnings about translations that lack fields or were made from an older original."""
    out: list[Problem] = []
    for c in ws.campaigns.values():
        current = source_hash(c)
        for lang, t in c.translations.items():
            loc = t.loc or c.loc or Location(f"campaigns/{c.id}.yaml")
            missing = [f for f in FIELDS if _given(getattr(c, f)) and not _given(getattr(t, f))]
            if missing:
                out.append(Problem(loc, (
                    f"translations.{lang}: lacks {', '.join(missing)} that the original has; "
                    "those parts will be in the original language"), "warning",
                    code="translation-incomplete", subject=(c.id, None)))
            if t.source_hash is None:
                out.append(Problem(loc, (
                    f"translations.{lang}: no `source_hash`; add `source_hash: {current}` "
                    "so Clarion can tell when the original changes"), "warning",
                    code="translation-unhashed", subject=(c.id, None)))
            elif t.source_hash != current:
                out.append(Problem(loc, (
                    f"translations.{lang}: the original has changed since this translation "
                    f"was made; update it, then set `source_hash: {current}`"), "warning",
                    code="translation-stale", subject=(c.id, None)))
    return out


def _given(value: Any) -> bool:
    return value not in (None, "", (), [])
