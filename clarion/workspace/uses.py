"""What each campaign uses (its files, records, templates), and so which problems block it."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import Problem
from ..kinds import KINDS
from .model import GROUP_PREFIX, Campaign, Workspace

#: the workspace folders whose files hold records, and the kind of record each holds
RECORD_FOLDERS = {"cases": "case", "recipients": "recipient", "signatories": "signatory"}
SALUTATIONS = "templates/salutations.yaml"
SETTINGS = "clarion.yaml"


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


@dataclass(frozen=True)
class Uses:
    """Everything one campaign's documents are made from."""

    campaign: str
    cases: frozenset[str]
    all_cases: bool                 # alerts over every case, or a count of cases
    recipients: frozenset[str]      # named by id (open letters only)
    groups: frozenset[str]          # named as `group:…` (open letters only)
    signatories: frozenset[str]
    template: str                   # the document template's name (its kind, or `template:`)
    addressed: bool                 # an open letter: forms of address apply


def uses(c: Campaign, counts_in_templates: bool) -> Uses:
    """What `c` uses; `counts_in_templates`: a workspace template calls count_cases()."""
    letter = KINDS[c.kind].recipients
    refs = (*c.recipients, *c.to, *c.cc) if letter else ()
    bodies = [c.body, *[t.body for t in c.translations.values()]]
    return Uses(
        campaign=c.id,
        cases=frozenset([*c.cases, *([c.event.case] if c.event else [])]),
        all_cases=not c.cases or counts_in_templates or
        any("count_cases" in (body or "") for body in bodies),
        recipients=frozenset(r for r in refs if not r.startswith(GROUP_PREFIX)),
        groups=frozenset(r[len(GROUP_PREFIX):] for r in refs if r.startswith(GROUP_PREFIX)),
        signatories=frozenset([*c.signatories, *([c.issued_by] if c.issued_by else [])]),
        template=c.template or KINDS[c.kind].template, addressed=letter)


def blocks(problem: Problem, use: Uses, origins: Sequence[Origin],
           templates: Iterable[str]) -> bool:
    """Whether `problem` keeps the campaign described by `use` from being built.

    `origins`: where every record is written; `templates`: the names of document templates
    some campaign or kind uses. A problem in a file nobody is known to use (clarion.yaml, a
    folder, a shared template) blocks every campaign: when in doubt, stop.
    """
    path = PurePosixPath(problem.location.path)
    parts = path.parts
    if len(parts) == 2 and parts[0] == "campaigns":
        return path.stem == use.campaign
    if len(parts) == 2 and parts[0] in RECORD_FOLDERS:
        return any(_uses_record(use, o) for o in about(problem, parts[0], origins))
    if problem.location.path == SALUTATIONS:
        return use.addressed
    if len(parts) == 2 and parts[0] == "templates" and path.stem in templates:
        return path.stem == use.template
    return True


def about(problem: Problem, folder: str, origins: Sequence[Origin]) -> list[Origin]:
    """The records a problem in a record file is about: the one whose lines hold it; else
    (a problem with the whole file) every record of the file, and any it failed to give."""
    mine = [o for o in origins if o.path == problem.location.path]
    held = [o for o in mine if o.holds(problem.location.line)]
    if held and problem.location.line:
        return held
    return [*mine, Origin(RECORD_FOLDERS[folder], None, problem.location.path, groups=None)]


def _uses_record(use: Uses, o: Origin) -> bool:
    if o.kind == "case":
        return use.all_cases or o.id in use.cases
    if o.kind == "signatory":
        # `signatories` holds `group:NAME` too: a signatory in such a group (or whose groups
        # cannot be read) signs this campaign's documents
        groups = {s[len(GROUP_PREFIX):] for s in use.signatories if s.startswith(GROUP_PREFIX)}
        return o.id in use.signatories or \
            (bool(groups) and (o.groups is None or bool(o.groups & groups)))
    if not use.addressed:
        return False
    if o.id is not None and o.id in use.recipients:
        return True
    return bool(use.groups) and (o.groups is None or bool(o.groups & use.groups))


def template_names(ws: Workspace) -> frozenset[str]:
    """The document templates of this workspace's campaigns and of every kind."""
    return frozenset({*(k.template for k in KINDS.values()),
                      *(c.template or KINDS[c.kind].template for c in ws.campaigns.values())})


def templates_count_cases(ws: Workspace) -> bool:
    """Whether a workspace template calls count_cases() (then its documents read every case).
    An unreadable template counts as one that does: when in doubt, the campaign waits."""
    from ..limits import DEFAULTS
    from .folders import workspace_files
    from .yamlio import read_workspace_file
    folder = ws.root / "templates"
    if not folder.is_dir() or folder.is_symlink():
        return False
    for path in workspace_files(folder):
        try:
            data = read_workspace_file(ws.root, Path(path).relative_to(ws.root),
                                       DEFAULTS.max_file_bytes, ws.options.allow_links)
        except OSError:
            return True
        if b"count_cases" in data:
            return True
    return False
