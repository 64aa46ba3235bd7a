"""`clarion lint`: content checks, one function per rule, registered in RULES."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import Location
from ..output import privacy
from ..render.views import DATED_FACTS, person_groups, status_on
from ..workspace.audience import recipients_of
from ..workspace.model import (
    Campaign,
    Case,
    EventType,
    Kind,
    LocalText,
    Recipient,
    Signatory,
    Status,
    Workspace,
)
from ..workspace.private import private_values
from .alerts import upcoming

#: a person with one of these statuses on a campaign's date is not asked to be released
NOT_HELD = frozenset({Status.RELEASED, Status.DECEASED, Status.EXILED})
#: days after a hearing before lint expects its outcome as an event
HEARING_OUTCOME_DAYS = 7
RELEASE_WORDS = re.compile(r"releas|libér|liber|освобо|azad", re.I)
OUTPUT_SUFFIXES = (".md", ".html", ".eml", ".txt", ".json", ".pdf")
MAX_OUTPUT_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.message}"


@dataclass(frozen=True)
class Scope:
    """What one lint run looks at: the chosen campaigns and the day it runs on."""

    ws: Workspace
    campaigns: tuple[Campaign, ...]
    today: dt.date
    whole: bool                 # no campaign named: also cases no campaign uses, and build/

    def cases_of(self, campaign: Campaign) -> list[Case]:
        ids = list(campaign.cases)
        if campaign.event:
            ids.append(campaign.event.case)
        if campaign.kind is Kind.ALERT and not campaign.cases and campaign.window:
            w = campaign.window
            ids += [c.id for c in self.ws.cases.values()
                    if any(w.start <= e.date <= w.end for e in c.public_events())]
        return [self.ws.cases[i] for i in dict.fromkeys(ids) if i in self.ws.cases]

    def dated_cases(self) -> list[tuple[Case, dt.date, str]]:
        """(case, day it is judged on, why): each campaign's cases on its date; with the whole
        workspace, cases no campaign uses on today."""
        out = [(case, c.date, f"the campaign {c.id} ({c.date})")
               for c in self.campaigns for case in self.cases_of(c)]
        if self.whole:
            used = {case.id for c in self.ws.campaigns.values() for case in self.cases_of(c)}
            out += [(case, self.today, f"today ({self.today})")
                    for case in self.ws.cases.values() if case.id not in used]
        return out


def _at(loc: Location | None, fallback: Location | None = None) -> tuple[str, int]:
    loc = loc or fallback
    return (loc.path, loc.line) if loc else ("-", 0)


def _finding(loc: Location | None, rule: str, message: str,
             fallback: Location | None = None) -> Finding:
    path, line = _at(loc, fallback)
    return Finding(path, line, rule, message)


def stale_status(scope: Scope) -> Iterator[Finding]:
    """A case used by a campaign whose status was confirmed too long before its date."""
    days = scope.ws.settings.freshness_days
    checks = [(case, c.date, f"the campaign {c.id} ({c.date})")
              for c in scope.campaigns for case in scope.cases_of(c)]
    if scope.whole:
        checks += [(item.case, scope.today, f"today's alerts ({scope.today})")
                   for item in upcoming(scope.ws, scope.today)]
    for case, day, why in checks:
        as_of = case.status_as_of
        if as_of is None or case.status in DATED_FACTS:
            continue
        if as_of < day - dt.timedelta(days=days):
            yield _finding(case.locs.get("status_as_of"), "stale-status", (
                f"status `{case.status}` of {case.id} was last confirmed on {as_of}, more than "
                f"{days} days before {why}; confirm it and update status_as_of"), case.loc)


def _names(case: Case) -> list[str]:
    names: list[str] = []
    for value in (case.name, case.native_name):
        if isinstance(value, LocalText):
            names += value.all()
        elif value:
            names.append(str(value))
    return names


def _references(case: Case, text: str, first: bool) -> bool:
    """Whether a line of campaign text names the case (by name, or in a Jinja expression)."""
    if any(name.casefold() in text.casefold() for name in _names(case)):
        return True
    if re.search(rf"""cases\[\s*['"]{re.escape(case.id)}['"]\s*\]""", text):
        return True
    return first and re.search(r"\{\{[^}]*\bcase\b[^}]*\}\}", text) is not None


def _aliases(body: str, case: Case) -> list[str]:
    pattern = rf"""set\s+(\w+)\s*=\s*cases\[\s*['"]{re.escape(case.id)}['"]\s*\]"""
    return re.findall(pattern, body)


def _line_of(root: Path, path: str, snippet: str, default: int) -> int:
    """The line of `path` where `snippet` begins (a YAML list item, maybe quoted or folded
    over several lines); else `default`."""
    wanted = " ".join(snippet.split())
    try:
        lines = (root / path).read_text(encoding="utf-8").splitlines()
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
                    path, line = _at(loc, c.loc)
                    line = _line_of(ws.root, path, ask, line)
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


def unsourced_event(scope: Scope) -> Iterator[Finding]:
    """A public event with no `sources`."""
    cases = scope.ws.cases.values() if scope.whole else \
        [case for c in scope.campaigns for case in scope.cases_of(c)]
    for case in {case.id: case for case in cases}.values():
        for e in case.public_events():
            if not e.sources:
                yield _finding(e.loc, "unsourced-event", (
                    f"the {e.type} of {e.date} in {case.id} has no `sources`; add the report "
                    "it comes from"), case.loc)


OUTCOME_TYPES = frozenset(EventType) - {EventType.HEARING, EventType.STATEMENT}


def hearing_no_outcome(scope: Scope) -> Iterator[Finding]:
    """A hearing more than a week past with no later event for that case."""
    seen: set[tuple[str, dt.date]] = set()
    for case, day, why in scope.dated_cases():
        if (case.id, day) in seen:
            continue
        seen.add((case.id, day))
        events = case.public_events()
        for h in events:
            if h.type is not EventType.HEARING:
                continue
            if (day - h.date).days <= HEARING_OUTCOME_DAYS:
                continue
            later = [e for e in events if e is not h and h.date <= e.date <= day and (
                e.date > h.date or e.type in OUTCOME_TYPES)]
            if not later:
                yield _finding(h.loc, "hearing-no-outcome", (
                    f"the hearing of {h.date} in {case.id} has no later event by {why}; "
                    "record what the court decided"), case.loc)


def past_embargo(scope: Scope) -> Iterator[Finding]:
    """An embargo that has passed and would still be printed."""
    for c in scope.campaigns:
        if c.embargo is not None and c.embargo.date() < scope.today:
            yield _finding(c.locs.get("embargo"), "past-embargo", (
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
                path, line = _at(loc)
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
                yield _finding(t.loc, "incomplete-translation", (
                    f"the {language} translation of {c.id} has {len(t.asks or ())} ask(s), "
                    f"the campaign {len(c.asks)}; translate every ask"), c.loc)
            if (c.body or "").strip() and not (t.body or "").strip():
                yield _finding(t.loc, "incomplete-translation", (
                    f"the {language} translation of {c.id} has no body; the {language} "
                    "document would print the original"), c.loc)


def no_signatory(scope: Scope) -> Iterator[Finding]:
    """An open letter or statement that nobody signs."""
    for c in scope.campaigns:
        if c.kind in (Kind.OPEN_LETTER, Kind.STATEMENT) and not c.signatories:
            yield _finding(c.locs.get("signatories"), "no-signatory", (
                f"the {c.kind} {c.id} has no signatories; add `signatories: [...]`"), c.loc)


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("ı", "i").replace("ə", "a"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w ]", " ", plain.casefold()).split())


def _identity(case: Case) -> tuple[set[str], set[str], str | None]:
    extra = case.extra if isinstance(case.extra, dict) or hasattr(case.extra, "get") else {}
    aliases = extra.get("aliases") or []
    aliases = [aliases] if isinstance(aliases, str) else list(aliases)
    born = extra.get("birth_date") or extra.get("born")
    return ({_key(n) for n in _names(case)}, {_key(str(a)) for a in aliases},
            str(born) if born else None)


def same_person(scope: Scope) -> Iterator[Finding]:
    """Two records of what looks like one person, not linked by `same_person_as`."""
    ws = scope.ws
    group_of = {c.id: n for n, g in enumerate(person_groups(ws)) for c in g}
    ids = sorted(ws.cases)
    identities = {cid: _identity(ws.cases[cid]) for cid in ids}
    for i, a in enumerate(ids):
        names_a, aliases_a, born_a = identities[a]
        for b in ids[i + 1:]:
            if group_of[a] == group_of[b]:
                continue
            names_b, aliases_b, born_b = identities[b]
            by_name = bool(names_a & names_b) and (born_a is None or born_b is None
                                                   or born_a == born_b)
            by_alias = bool((aliases_a & (names_b | aliases_b)) | (aliases_b & names_a))
            if by_name or by_alias:
                case = ws.cases[b]
                yield _finding(case.locs.get("name"), "same-person", (
                    f"{b} and {a} look like the same person (same "
                    f"{'name' if by_name else 'alias'}); if they are, add "
                    f"`same_person_as: {a}` so they count once"), case.loc)


def private_in_output(scope: Scope) -> Iterator[Finding]:
    """A built file in build/ that contains a private string."""
    build = scope.ws.root / "build"
    secrets = privacy.secret_forms(private_values(scope.ws))
    if not secrets or not build.is_dir():
        return
    folders = [build] if scope.whole else [build / c.id for c in scope.campaigns]
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_symlink() or not path.is_file() or path.suffix not in OUTPUT_SUFFIXES:
                continue
            if path.stat().st_size > MAX_OUTPUT_BYTES:
                continue
            lines = _output_lines(path)
            for number, line in enumerate(lines, 1):
                cases = privacy.leaks([line], secrets)
                if cases:
                    yield Finding(path.relative_to(scope.ws.root).as_posix(), number,
                                  "private-in-output", (
                                      f"private data of {', '.join(cases)} is in this output; "
                                      "delete it, fix the template or body, and rebuild"))
                    break
            else:
                whole = privacy.leaks(["\n".join(lines)], secrets)
                if whole:
                    yield Finding(path.relative_to(scope.ws.root).as_posix(), 1,
                                  "private-in-output", (
                                      f"private data of {', '.join(whole)} is in this output; "
                                      "delete it, fix the template or body, and rebuild"))


def _output_lines(path: Path) -> list[str]:
    if path.suffix != ".pdf":
        return path.read_bytes().decode("utf-8", errors="replace").splitlines()
    import shutil
    import subprocess
    tool = shutil.which("pdftotext")
    if tool is None:
        return []
    try:
        done = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                              timeout=60, check=False)
    except subprocess.TimeoutExpired:
        return []
    return done.stdout.decode("utf-8", errors="replace").splitlines()


Rule = Callable[[Scope], Iterable[Finding]]
RULES: dict[str, Rule] = {
    "stale-status": stale_status,
    "release-ask-released": release_ask_released,
    "unsourced-event": unsourced_event,
    "hearing-no-outcome": hearing_no_outcome,
    "past-embargo": past_embargo,
    "untranslated": untranslated,
    "incomplete-translation": incomplete_translation,
    "no-signatory": no_signatory,
    "same-person": same_person,
    "private-in-output": private_in_output,
}


def lint_workspace(ws: Workspace, campaigns: Iterable[str], today: dt.date,
                   disabled: Iterable[str] = ()) -> list[Finding]:
    """Every finding of the rules not switched off (here or in clarion.yaml), sorted."""
    names = tuple(campaigns)
    chosen = tuple(ws.campaigns[n] for n in names) if names else tuple(ws.campaigns.values())
    scope = Scope(ws, chosen, today, whole=not names)
    off = set(disabled) | set(ws.settings.lint.disable)
    found: set[Finding] = set()
    for name, rule in RULES.items():
        if name not in off:
            found.update(rule(scope))
    return sorted(found)
