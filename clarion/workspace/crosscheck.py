"""Checks across records: every reference points at something that exists."""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Set
from pathlib import Path

from ..errors import Location, Problem, did_you_mean
from ..kinds import KINDS
from .mailboxes import check_mailboxes
from .model import GROUP_PREFIX, Campaign, Case, Recipient, Signatory, Workspace
from .postal import printed_lines, window_lines


def _hint(name: str, known: Iterable[str], broken: Set[str] = frozenset()) -> str:
    """`; did you mean …?`, also naming records that exist but have errors of their own."""
    hint = did_you_mean(name, set(known) | set(broken))
    close = hint[len("; did you mean `"):-2]
    if close in broken and close not in known:
        hint = hint[:-1] + " (its file has errors of its own)"
    return hint


def crosscheck(ws: Workspace, broken: Set[str] = frozenset()) -> list[Problem]:
    """Problems with references; ids in `broken` were reported already and are not repeated."""
    problems: list[Problem] = []
    for case in ws.cases.values():
        problems += check_case(case)
    parties: list[Recipient | Signatory] = [*ws.recipients.values(), *ws.signatories.values()]
    for party in parties:
        for name in ("logo", "signature"):
            value = getattr(party, name, None)
            if value:
                where = party.locs.get(name) or party.loc or Location("-")
                problems += check_asset(ws.root, value, where, name, ws.options.allow_links)
    org = ws.settings.organisation
    if org.logo:
        problems += check_asset(ws.root, org.logo, Location("clarion.yaml", 1), "logo",
                                ws.options.allow_links)
    for campaign in ws.campaigns.values():
        problems += check_campaign(ws, campaign, broken)
    problems += check_same_person(ws, broken)
    problems += check_addresses(ws)
    problems += check_mailboxes(ws)
    return problems


def check_addresses(ws: Workspace) -> list[Problem]:
    """An address that cannot fit in the envelope window is an error at the recipient."""
    most = window_lines(ws.settings.build.paper)
    problems: list[Problem] = []
    for r in ws.recipients.values():
        count = printed_lines(r, ws.settings.organisation)
        if count > most:
            problems.append(Problem(r.locs.get("address") or r.loc or Location(f"recipients/{r.id}"), (
                f"address: {r.id}'s name, title and address take about {count} lines; the "
                f"envelope window shows {most}; shorten the title or join address lines")))
    return problems


def _check_refs(ws: Workspace, c: Campaign, name: str, refs: tuple[str, ...],
                broken: Collection[str]) -> list[Problem]:
    """`to:` and `cc:` name recipients or groups, as `recipients:` does."""
    problems: list[Problem] = []
    groups = {g for r in ws.recipients.values() for g in r.groups}
    for ref in refs:
        if ref.startswith(GROUP_PREFIX):
            group = ref[len(GROUP_PREFIX):]
            if group not in groups:
                problems.append(Problem(c.locs.get(name) or c.loc or Location(f"campaigns/{c.id}.yaml"), (
                    f"{name}: no recipient is in group `{group}`{_hint(group, groups)}")))
        elif ref not in ws.recipients and ref not in broken:
            problems.append(Problem(c.locs.get(name) or c.loc or Location(f"campaigns/{c.id}.yaml"), (
                f"{name}: unknown recipient `{ref}`{_hint(ref, ws.recipients)}")))
    return problems


def check_case(case: Case) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, Location] = {}
    for event in case.events:
        loc = event.loc or case.loc or Location(f"cases/{case.id}.yaml")
        if event.id:
            if event.id in seen:
                problems.append(Problem(loc, (
                    f"event id `{event.id}` is used twice in this case (first at line "
                    f"{seen[event.id].line}); make it unique")))
            seen.setdefault(event.id, loc)
        for key in event.sources:
            if key not in case.sources:
                problems.append(Problem(loc, (
                    f"sources: `{key}` is not a key of this case's `sources`"
                    f"{_hint(key, case.sources)}")))
    return problems


def check_asset(root: Path, value: str, loc: Location, name: str,
                links: bool = False) -> list[Problem]:
    """Images may come only from the workspace's assets/ folder (no link out, no loop; a
    link inside it only with `clarion --allow-links`)."""
    assets = (root / "assets").resolve()
    try:
        if not value.startswith("assets/") or ".." in Path(value).parts:
            raise ValueError
        path = root / value
        if path.is_symlink() and not links:
            return [Problem(loc, f"{name}: '{value}' is a symbolic link; copy the image into "
                                 "assets/ instead")]
        target = path.resolve(strict=True)
        if not target.is_relative_to(assets):
            raise ValueError
    except ValueError:
        return [Problem(loc, f"{name}: '{value}' must be a file under assets/")]
    except (OSError, RuntimeError):
        return [Problem(loc, f"{name}: file '{value}' not found; add it to assets/")]
    if not target.is_file():
        return [Problem(loc, f"{name}: file '{value}' not found; add it to assets/")]
    return []


def check_campaign(ws: Workspace, c: Campaign, broken: Set[str] = frozenset()) -> list[Problem]:
    problems: list[Problem] = []
    home = c.loc or Location(f"campaigns/{c.id}.yaml")

    def at(name: str) -> Location:
        return c.locs.get(name) or home

    for case_id in c.cases:
        if case_id not in ws.cases and case_id not in broken:
            problems.append(Problem(at("cases"), (
                f"cases: unknown case `{case_id}`{_hint(case_id, ws.cases, broken)}")))
    groups = {g for r in ws.recipients.values() for g in r.groups}
    for ref in c.recipients:
        if ref.startswith(GROUP_PREFIX):
            group = ref[len(GROUP_PREFIX):]
            if group not in groups:
                problems.append(Problem(at("recipients"), (
                    f"recipients: no recipient is in group `{group}`{_hint(group, groups)}")))
        elif ref not in ws.recipients and ref not in broken:
            problems.append(Problem(at("recipients"), (
                f"recipients: unknown recipient `{ref}`{_hint(ref, ws.recipients, broken)}")))
    kind = KINDS[c.kind]
    if c.recipients and not kind.recipients:
        sent = " and ".join(str(k.kind).replace("-", " ") + "s" for k in KINDS.values()
                            if k.recipients)
        problems.append(Problem(at("recipients"), (
            f"recipients: only {sent} go to recipients; this {c.kind} is built once "
            "without them"), "warning", code="recipients-ignored"))
    problems += _check_refs(ws, c, "to", c.to, broken)
    problems += _check_refs(ws, c, "cc", c.cc, broken)
    if c.issued_by and c.issued_by not in ws.signatories and c.issued_by not in broken:
        problems.append(Problem(at("issued_by"), (
            f"issued_by: unknown signatory `{c.issued_by}`{_hint(c.issued_by, ws.signatories)}")))
    signing_groups = {g for s in ws.signatories.values() for g in s.groups}
    for sig in c.signatories:
        if sig.startswith(GROUP_PREFIX):
            group = sig[len(GROUP_PREFIX):]
            if group not in signing_groups:
                problems.append(Problem(at("signatories"), (
                    f"signatories: no signatory is in group `{group}`"
                    f"{_hint(group, signing_groups)}")))
        elif sig not in ws.signatories and sig not in broken:
            problems.append(Problem(at("signatories"), (
                f"signatories: unknown signatory `{sig}`{_hint(sig, ws.signatories, broken)}")))
    if c.event and c.event.case not in broken:
        problems += _check_event_ref(ws, c, at("event"))
    if kind.reacts_to_event and not c.event and not c.quotes:
        problems.append(Problem(home, (
            f"a {str(c.kind).replace('-', ' ')} usually names the `event` reacted to and has "
            "`quotes`"), "warning", code="no-event-or-quotes"))
    problems += check_citations(ws, c, broken)
    return problems


CITE_RE = re.compile(r"""cite\(\s*['"]([^'"]+)['"]\s*(?:,\s*(?:case\s*=\s*)?['"]([^'"]+)['"])?""")


def check_citations(ws: Workspace, c: Campaign, broken: Set[str] = frozenset()) -> list[Problem]:
    """Every cite('key') in a body names a source of one of the campaign's cases."""
    problems: list[Problem] = []
    if any(case_id in broken or case_id not in ws.cases for case_id in c.cases):
        return problems  # the broken or unknown case is reported already; its sources too
    bodies = [(c.body, c.body_loc)] + [(t.body, t.body_loc) for t in c.translations.values()]
    for body, loc in bodies:
        if not body or loc is None:
            continue
        for number, line in enumerate(body.splitlines()):
            for key, case_id in CITE_RE.findall(line):
                pool = [case_id] if case_id else list(c.cases)
                if not any(key in ws.cases[p].sources for p in pool if p in ws.cases):
                    known = {k for p in pool if p in ws.cases for k in ws.cases[p].sources}
                    problems.append(Problem(Location(loc.path, loc.line + number), (
                        f"cite: no source `{key}` in the cases of this campaign"
                        f"{_hint(key, known)}")))
    return problems


def _check_event_ref(ws: Workspace, c: Campaign, loc: Location) -> list[Problem]:
    if c.event is None:
        return []
    case = ws.cases.get(c.event.case)
    if case is None:
        return [Problem(loc, f"event: unknown case `{c.event.case}`{_hint(c.event.case, ws.cases)}")]
    ids = {e.id: e for e in case.events if e.id}
    if c.event.event not in ids:
        return [Problem(loc, (f"event: case `{case.id}` has no event `{c.event.event}`"
                              f"{_hint(c.event.event, ids)}"))]
    if ids[c.event.event].private:
        return [Problem(loc, f"event: `{c.event.event}` is private and cannot be reacted to "
                             "in a public document")]
    problems = []
    if c.event.case not in c.cases:
        problems.append(Problem(loc, (
            f"event: case `{c.event.case}` is not in this campaign's `cases`; add it"),
            "warning"))
    return problems


def check_same_person(ws: Workspace, broken: Set[str] = frozenset()) -> list[Problem]:
    """`same_person_as` names another case of this workspace."""
    problems: list[Problem] = []
    for case in ws.cases.values():
        other = case.same_person_as
        if other is None or other in broken:
            continue
        loc = case.locs.get("same_person_as") or case.loc or Location(f"cases/{case.id}.yaml")
        if other == case.id:
            problems.append(Problem(loc, "same_person_as: a record cannot be linked to itself; "
                                         "name the other record of this person"))
        elif other not in ws.cases:
            problems.append(Problem(loc, (f"same_person_as: unknown case `{other}`"
                                          f"{_hint(other, ws.cases, broken)}")))
    return problems
