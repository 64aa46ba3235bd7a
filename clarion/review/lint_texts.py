"""Lint rules about what campaigns say: release asks, embargoes, signatories, translations."""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..errors import Location
from ..kinds import KINDS
from ..limits import DEFAULTS
from ..render.views import status_on
from ..safefile import read_file
from ..workspace.audience import recipients_of
from ..workspace.model import Case, Recipient, Signatory, Status, Workspace
from .lint_scope import Finding, Scope, at, case_names, finding

#: a person with one of these statuses on a campaign's date is not asked to be released
NOT_HELD = frozenset({Status.RELEASED, Status.DECEASED, Status.EXILED})
RELEASE_WORDS = re.compile(r"releas|libér|liber|освобо|azad", re.I)


def _references(case: Case, text: str, first: bool) -> bool:
    """Whether a line of campaign text names the case (by name, or in a Jinja expression)."""
    if any(name.casefold() in text.casefold() for name in case_names(case)):
        return True
    if re.search(rf"""cases\[\s*['"]{re.escape(case.id)}['"]\s*\]""", text):
        return True
    return first and re.search(r"\{\{[^}]*\bcase\b[^}]*\}\}", text) is not None


def _aliases(body: str, case: Case) -> list[str]:
    pattern = rf"""set\s+(\w+)\s*=\s*cases\[\s*['"]{re.escape(case.id)}['"]\s*\]"""
    return re.findall(pattern, body)


def _line_of(root: Path, path: str, snippet: str, default: int, links: bool = False) -> int:
    """The line of `path` where `snippet` begins (a YAML list item, maybe quoted or folded
    over several lines); else `default`."""
    wanted = " ".join(snippet.split())
    try:
        lines = read_file(root, path, DEFAULTS.max_file_bytes, links=links).decode(
            "utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return default
    for number, line in enumerate(lines, 1):
        text = " ".join(line.strip().removeprefix("-").strip().strip("'\"").split())
        if len(text) >= 8 and wanted.startswith(text[:40]):
            return number
    return default


def release_ask_released(scope: Scope) -> Iterator[Finding]:
    """An ask or a body line calls for the release of someone released, dead or in exile."""
    ws = scope.ws
    for c in scope.campaigns:
        cases = [case for case in scope.cases_of(c) if status_on(case, c.date) in NOT_HELD]
        if not cases:
            continue
        first = c.cases[0] if c.cases else None
        asks = [(a, c.locs.get("asks")) for a in c.asks]
        asks += [(a, t.loc) for t in c.translations.values() for a in (t.asks or ())]
        bodies = [(c.body, c.body_loc)] + [(t.body, t.body_loc)
                                           for t in c.translations.values()]
        for case in cases:
            status = status_on(case, c.date)
            why = f"{case.id} is recorded as {status} on {c.date}"
            for ask, loc in asks:
                if RELEASE_WORDS.search(ask) and _references(case, ask, case.id == first):
                    path, line = at(loc, c.loc)
                    line = _line_of(ws.root, path, ask, line, ws.options.allow_links)
                    yield Finding(path, line, "release-ask-released",
                                  f"this ask calls for a release, but {why}; reword it")
            for body, loc in bodies:
                if not body or loc is None:
                    continue
                aliases = _aliases(body, case)
                for number, text in enumerate(body.splitlines()):
                    named = _references(case, text, case.id == first) or any(
                        re.search(rf"\b{a}\b\s*[.|]", text) for a in aliases)
                    if named and RELEASE_WORDS.search(text):
                        yield Finding(loc.path, loc.line + number, "release-ask-released",
                                      f"this line calls for a release, but {why}; reword it")


def past_embargo(scope: Scope) -> Iterator[Finding]:
    """An embargo that has passed and would still be printed."""
    for c in scope.campaigns:
        if c.embargo is not None and c.embargo.date() < scope.today:
            yield finding(c.locs.get("embargo"), "past-embargo", (
                f"the embargo of {c.id} ({c.embargo.isoformat()}) has passed; remove "
                "`embargo` so the documents are no longer marked embargoed"), c.loc)


#: how a rendered document names text it printed in another language ("case x roles",
#: "case x event arrest-2013", "recipient y title")
WHERE = re.compile(r"(?P<kind>case|recipient|signatory) (?P<id>\S+) (?P<field>\S+)(?: (?P<item>\S+))?")


def _fallback_location(ws: Workspace, where: str) -> Location | None:
    """The file and line of a text a document printed in another language."""
    m = WHERE.fullmatch(where)
    if m is None:
        return None
    records: dict[str, Mapping[str, Case | Recipient | Signatory]] = {
        "case": ws.cases, "recipient": ws.recipients, "signatory": ws.signatories}
    record = records[m.group("kind")].get(m.group("id"))
    if record is None:
        return None
    field = m.group("field")
    if isinstance(record, Case) and field == "event":
        wanted = m.group("item")
        event = next((e for e in record.events if e.id == wanted or str(e.date) == wanted),
                     None)
        return event.loc if event else record.loc
    found: Location | None = record.locs.get(field) or record.locs.get(field + "s")
    return found or record.loc


def untranslated(scope: Scope) -> Iterator[Finding]:
    """Text a document prints that has no version in the document's language: the
    documents are rendered (no PDF) and every text that fell back is reported."""
    from ..errors import ClarionError
    from ..render.document import render_document
    ws = scope.ws
    for c in scope.campaigns:
        for recipient in recipients_of(ws, c):
            try:
                doc = render_document(ws, c, recipient)
            except ClarionError:
                continue  # `validate` reports documents that do not render
            for where in doc.fallbacks:
                loc = _fallback_location(ws, where) or c.loc
                path, line = at(loc)
                yield Finding(path, line, "untranslated", (
                    f"{where} has no {doc.language} version, and the {doc.language} document "
                    f"of {c.id} prints it; add `{doc.language}: …`"))


def incomplete_translation(scope: Scope) -> Iterator[Finding]:
    """A translation with fewer asks than the campaign, or no body."""
    for c in scope.campaigns:
        for language, t in c.translations.items():
            if language == c.language:
                continue
            if c.asks and len(t.asks or ()) < len(c.asks):
                yield finding(t.loc, "incomplete-translation", (
                    f"the {language} translation of {c.id} has {len(t.asks or ())} ask(s), "
                    f"the campaign {len(c.asks)}; translate every ask"), c.loc)
            if (c.body or "").strip() and not (t.body or "").strip():
                yield finding(t.loc, "incomplete-translation", (
                    f"the {language} translation of {c.id} has no body; the {language} "
                    "document would print the original"), c.loc)


def no_signatory(scope: Scope) -> Iterator[Finding]:
    """An open letter or statement that nobody signs."""
    for c in scope.campaigns:
        if KINDS[c.kind].needs_signatories and not c.signatories:
            yield finding(c.locs.get("signatories"), "no-signatory", (
                f"the {c.kind} {c.id} has no signatories; add `signatories: [...]`"), c.loc)
