"""Checks of campaign translations: missing fields, originals changed since translating, and
the languages a campaign asks for (`languages`, `copies: translated`) that it has no text in."""
from __future__ import annotations

import hashlib
import json
from typing import Any

from ..errors import Location, Problem
from .audience import copy_recipients
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
    """Warnings about translations that lack fields or were made from an older original; an
    error for each of a campaign's `languages` it has no text in."""
    out: list[Problem] = []
    for c in ws.campaigns.values():
        out += language_problems(ws, c)
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


def has_language(ws: Workspace, campaign: Campaign, language: str) -> bool:
    """Whether the campaign has text in `language`: its own, or a translation (`fr-BE` is
    served by `fr`)."""
    own = campaign.language or ws.settings.language
    base = language.split("-")[0]
    return any(code in (own, own.split("-")[0]) or code in campaign.translations
               for code in (language, base))


def language_problems(ws: Workspace, c: Campaign) -> list[Problem]:
    """`languages:` naming a language the campaign has no text in (an error), and copy
    recipients of a `copies: translated` campaign whose language it has not (a warning: they
    get the cover note and the letter as sent)."""
    out: list[Problem] = []
    home = c.loc or Location(f"campaigns/{c.id}.yaml")
    for lang in c.languages:
        if not has_language(ws, c, lang):
            out.append(Problem(c.locs.get("languages") or home, (
                f"languages: `{lang}` has no translation; add `translations: {{{lang}: …}}` "
                "or leave it out of `languages`"), code="language-untranslated",
                subject=(c.id, None)))
    if c.copies == "translated":
        lacking = [r.id for r in copy_recipients(ws, c)
                   if r.language and not has_language(ws, c, r.language)]
        if lacking:
            out.append(Problem(c.locs.get("copies") or home, (
                f"copies: translated, but there is no translation in the language of "
                f"{', '.join(lacking)}; they get a cover note in their language and the "
                "letter as sent"), "warning", code="copy-untranslated", subject=(c.id, None)))
    return out
