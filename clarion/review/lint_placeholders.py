"""Lint rule `placeholder`: reader text still holding TODO, TBD, XXX, "example" or lorem ipsum.

`clarion new` writes "TODO: …" in every gap of a draft; a document built before each is
replaced would print it. Every text a reader of a campaign's documents sees is searched — the
campaign's own (title, subject, place, asks, quotes, body, notes…, and its translations) and
that of the cases, recipients and signatories it uses — never comments, ids, e-mail addresses
or links. `build` reports the same findings as warnings (`--strict` fails on them).
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..errors import Location, Problem
from ..workspace.audience import recipients_of, signatories_of
from ..workspace.model import Campaign, LocalText, Workspace
from .lint_scope import Finding, Scope, SourceLines, line_of

RULE = "placeholder"

#: a marker left to be replaced: upper-case TODO, TBD, TBC, FIXME, XXX (or longer), lorem ipsum
MARKERS = re.compile(r"(?<![\w@/#.-])(?:TODO|TBD|TBC|FIXME|X{3,})(?![\w@/-]|\.\w)"
                     r"|(?i:\blorem\s+ipsum\b)")
#: "example" as a word (Example Organisation, John Example) …
EXAMPLE = re.compile(r"(?i)(?<![\w@/#.-])example(?![\w@/-]|\.\w)")
#: … but not in prose: "for example", "an example of", "set a bad example", "as an example"
PROSE_BEFORE = re.compile(r"(?i)\b(?:for|a|an|the|this|that|one|another|such|as|good|bad|"
                          r"clear|striking|prime|perfect|typical|recent|latest|further)\s+$")
PROSE_AFTER = re.compile(r"(?i)^\s*(?:of|to|for|set|is|was|shows|where)\b")
#: links and e-mail addresses, which may say "example" (example.org) without printing it as a word
LINKS = re.compile(r"[A-Za-z][\w+.-]*://\S+|\bwww\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
                   r"|\]\([^)\s]*\)")
#: a template's comments: never printed
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)

#: campaign fields that are not reader text although written as text
NOT_TEXT = frozenset({"recipients", "to", "cc", "extra", "translations", "body", "email",
                      "phone", "url", "source_hash"})
#: the fields of the records a campaign uses that its documents print (the contract's list)
CASE_TEXT = ("name", "native_name", "roles", "summary")
EVENT_TEXT = ("text", "place", "court")
RECIPIENT_TEXT = ("name", "title", "salutation", "address")
SIGNATORY_TEXT = ("organisation", "person", "title")


@dataclass(frozen=True)
class Text:
    """A reader text, what it is (`title`, `case x summary`) and where it was written; `lines`
    when its lines are the file's from `loc` on (a body)."""

    what: str
    text: str
    loc: Location | None
    lines: bool = False


def placeholder(scope: Scope) -> Iterator[Finding]:
    """Each marker in a reader text of the chosen campaigns, at its line."""
    yield from placeholders_in(scope.ws, scope.campaigns)


def placeholders_in(ws: Workspace, campaigns: Iterable[Campaign]) -> Iterator[Finding]:
    files = SourceLines(ws)
    for c in campaigns:
        files.taken.clear()  # a record two campaigns use is found at the same line for both
        for text in [*campaign_texts(c), *record_texts(ws, c)]:
            for start, end in markers(text.text):
                yield _finding(files, text, start, end)


def placeholder_warnings(ws: Workspace, campaigns: Sequence[str] = ()) -> list[Problem]:
    """The rule's findings as `build` warnings (code `placeholder`) for the campaigns named
    (all when none is), unless clarion.yaml switches the rule off."""
    if RULE in ws.settings.lint.disable:
        return []
    chosen = [ws.campaigns[n] for n in campaigns if n in ws.campaigns] if campaigns else \
        list(ws.campaigns.values())
    return [Problem(Location(f.path, f.line), f"{RULE}: {f.message}", "warning", code=RULE)
            for f in sorted(set(placeholders_in(ws, chosen)))]


def markers(text: str) -> list[tuple[int, int]]:
    """(start, end) of each placeholder in `text`, links and template comments left out."""
    plain = _blank(_blank(text, JINJA_COMMENT), LINKS)
    found = [m.span() for m in MARKERS.finditer(plain)]
    for m in EXAMPLE.finditer(plain):
        line_start = plain.rfind("\n", 0, m.start()) + 1
        if PROSE_BEFORE.search(plain[line_start:m.start()]) or \
                PROSE_AFTER.match(plain[m.end():m.end() + 12]):
            continue
        found.append(m.span())
    return sorted(found)


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    """`text` with each match of `pattern` turned into spaces (newlines kept, so that
    positions and line numbers stay)."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def campaign_texts(c: Campaign) -> list[Text]:
    """The campaign's reader texts: each text field (new ones too), its quotes, its body, and
    the same in each translation."""
    home = c.loc or Location(f"campaigns/{c.id}.yaml")
    out = _fields(c, c.locs, home, "")
    if c.body:
        out.append(Text("the body", c.body, c.body_loc or home, lines=c.body_loc is not None))
    for language, t in c.translations.items():
        where = t.loc or home
        out += _fields(t, {}, where, f"the {language} translation's ")
        if t.body:
            out.append(Text(f"the {language} body", t.body, t.body_loc or where,
                            lines=t.body_loc is not None))
    return out


def _fields(record: object, locs: object, home: Location, prefix: str) -> list[Text]:
    """The text fields of a campaign-like record, by their declarations: not internal, not
    ids or language codes, not a choice among fixed words."""
    out: list[Text] = []
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        meta = f.metadata
        if f.name in NOT_TEXT or meta.get("internal") or meta.get("check") or \
                meta.get("choices") or meta.get("pattern"):
            continue
        loc = locs.get(f.name) if isinstance(locs, dict) or hasattr(locs, "get") else None
        for what, text in _strings(getattr(record, f.name), f.name):
            out.append(Text(prefix + what, text, loc or home))
    return out


def _strings(value: object, name: str) -> Iterator[tuple[str, str]]:
    """(what, text) of every string in a field's value: texts in each language, list items,
    the text fields of a quote or contact."""
    if isinstance(value, LocalText):
        for text in value.all():
            yield f"`{name}`", text
    elif isinstance(value, str):  # a plain string, or an enumeration's word (harmless)
        yield f"`{name}`", value
    elif isinstance(value, tuple):
        for i, item in enumerate(value, 1):
            for what, text in _strings(item, name):
                yield (f"{what} item {i}" if not dataclasses.is_dataclass(item) else
                       f"`{name}` item {i}, {what}"), text
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if f.name not in NOT_TEXT and not f.metadata.get("internal") and \
                    not f.metadata.get("check"):
                yield from _strings(getattr(value, f.name), f.name)


def record_texts(ws: Workspace, c: Campaign) -> list[Text]:
    """The reader texts of the cases, recipients and signatories the campaign uses."""
    out: list[Text] = []
    cases = [ws.cases[i] for i in dict.fromkeys(
        [*c.cases, *([c.event.case] if c.event else [])]) if i in ws.cases]
    for case in cases:
        out += _record(case, CASE_TEXT, f"case {case.id}")
        for e in case.public_events():
            out += _record(e, EVENT_TEXT, f"case {case.id} event {e.id or e.date}", case.loc)
        for n, charge in enumerate(case.charges, 1):
            out += _record(charge, ("text",), f"case {case.id} charge {n}",
                           case.locs.get("charges") or case.loc)
    for r in recipients_of(ws, c):
        if r is not None:
            out += _record(r, RECIPIENT_TEXT, f"recipient {r.id}")
    for s in signatories_of(ws, c):  # groups included
        out += _record(s, SIGNATORY_TEXT, f"signatory {s.id}")
    return out


def _record(record: object, names: Sequence[str], what: str,
            fallback: Location | None = None) -> list[Text]:
    locs = getattr(record, "locs", {})
    home = getattr(record, "loc", None) or fallback
    return [Text(f"{what} {name}", text, locs.get(name) or home)
            for name in names for _, text in _strings(getattr(record, name, None), name)]


def _finding(files: SourceLines, text: Text, start: int, end: int) -> Finding:
    line_start = text.text.rfind("\n", 0, start) + 1
    line_end = text.text.find("\n", end)
    line = text.text[line_start:line_end if line_end >= 0 else len(text.text)]
    left, right = max(start - line_start - 40, 0), min(end - line_start + 40, len(line))
    shown = ("…" if left else "") + line[left:right].strip() + ("…" if right < len(line) else "")
    word = " ".join(text.text[start:end].split())
    message = (f"{text.what} still says \"{shown}\"; replace the {word} with the real text "
               "before it is printed")
    loc = text.loc
    if loc is None:
        return Finding("-", 0, RULE, message)
    if text.lines:
        return Finding(loc.path, loc.line + text.text.count("\n", 0, start), RULE, message)
    fragments = [line.strip(), text.text[start:end + 20].split("\n")[0], text.text[start:end]]
    # the same words again (a second quote's "TODO: who is quoted") are looked for below
    key = (loc.path, loc.line, fragments[0])
    found = line_of(files.lines(loc.path), max(loc.line, files.taken.get(key, 0) + 1),
                    fragments)
    files.taken[key] = found
    return Finding(loc.path, found, RULE, message)
