"""Lint rules about who speaks and who reads: `quote-voice` (a quote from outside the issuer
and signatories) and `no-language` (a recipient who would get a language not their country's
while the campaign has theirs)."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..render import i18n
from ..render.choice import document_language
from ..workspace.audience import recipients_of, signatories_of
from ..workspace.model import Campaign, Workspace, texts_of
from .lint_scope import Finding, Scope, SourceLines, at, line_of


def _name_key(text: str) -> str:
    """An organisation's name compared loosely: case, accents, punctuation and a leading
    "The" do not count."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    words = re.sub(r"[^\w]+", " ", plain).split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def voices(ws: Workspace, c: Campaign) -> tuple[str, list[str]]:
    """(who issues the campaign, the name keys of the issuer and every signatory)."""
    names: list[str] = []
    issuer = ws.signatories.get(c.issued_by) if c.issued_by else None
    if issuer is not None:
        names += texts_of(issuer.organisation) + texts_of(getattr(issuer, "person", None))
        shown = str(issuer.organisation or issuer.id)
    else:
        org = ws.settings.organisation
        names += texts_of(org.name) + texts_of(org.short)
        shown = str(org.short or org.name)
    for s in signatories_of(ws, c):  # groups included
        names += texts_of(s.organisation) + texts_of(getattr(s, "person", None))
    return shown, [k for k in (_name_key(n) for n in names) if k]


def _speaks_for(organisation: str, known: list[str]) -> bool:
    """Whether a quoted organisation is one of `known`: the same name, or one within the
    other word for word ("Amnesty International" and "Amnesty International UK")."""
    key = _name_key(organisation)
    padded = f" {key} "
    return any(key == k or padded in f" {k} " or f" {k} " in padded for k in known)


def quote_voice(scope: Scope) -> Iterator[Finding]:
    """A quote whose `organisation` neither issues the campaign nor signs it: the document
    would put another organisation's words under the issuer's name."""
    files = SourceLines(scope.ws)
    for c in scope.campaigns:
        issuer, known = voices(scope.ws, c)
        quoted = [(q, c.locs.get("quotes") or c.loc, "") for q in c.quotes]
        quoted += [(q, t.loc or c.loc, f" ({language})")
                   for language, t in c.translations.items() for q in (t.quotes or ())]
        after: dict[str, int] = {}  # each quote is looked for below the one before
        for q, loc, language in quoted:
            path, line = at(loc)
            line = line_of(files.lines(path), max(line, after.get(path, 0)),
                           [f"speaker: {q.speaker}", q.speaker])
            after[path] = line + 1
            if not q.organisation or _speaks_for(q.organisation, known):
                continue
            yield Finding(path, line, "quote-voice", (
                f"the quote{language} of {q.speaker} speaks for {q.organisation}, which neither "
                f"issues {c.id} ({issuer}) nor signs it; add {q.organisation} to "
                "`signatories`, or quote someone who speaks for the issuer or a signatory"))


def country_languages(country: str | None) -> list[str]:
    """The languages of a country written as an ISO code (`BE`) or an English name
    (`Belgium`): ['nl', 'fr', 'de']; [] when it is neither."""
    if not country:
        return []
    code = country.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        names = {str(name).casefold(): c for c, name in
                 i18n.babel_locale("en").territories.items()}
        code = names.get(country.strip().casefold(), "")
    if not code:
        return []
    from babel.languages import get_official_languages
    found = get_official_languages(code, de_facto=True)
    return list(dict.fromkeys(i18n.base(language) for language in found))


def no_language(scope: Scope) -> Iterator[Finding]:
    """A recipient without `language` who gets the campaign's language although the
    campaign has a translation in their country's language."""
    ws = scope.ws
    for c in scope.campaigns:
        has = {i18n.base(c.language or ws.settings.language),
               *(i18n.base(t) for t in c.translations)}
        for r in recipients_of(ws, c):
            if r is None or r.language:
                continue
            spoken = country_languages(str(r.country) if r.country else None)
            written, _ = document_language(ws, c, r)
            if not spoken or i18n.base(written) in spoken:
                continue
            theirs = [language for language in spoken if language in has]
            if theirs:
                path, line = at(r.locs.get("country") or r.loc)
                yield Finding(path, line, "no-language", (
                    f"recipient {r.id} has no `language`: they get the {written} document of "
                    f"{c.id}, which has {' and '.join(theirs)}, a language of {r.country}; add "
                    f"`language: {theirs[0]}` (or `language: {written}` to keep it)"))
