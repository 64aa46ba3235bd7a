"""What one `clarion lint` run looks at (Scope), what a rule reports (Finding), and the lines
of the files findings point into (SourceLines)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import Location
from ..kinds import KINDS
from ..limits import DEFAULTS
from ..safefile import FileError, read_file
from ..workspace.model import Campaign, Case, LocalText, Workspace


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
        if KINDS[campaign.kind].window and not campaign.cases and campaign.window:
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


def at(loc: Location | None, fallback: Location | None = None) -> tuple[str, int]:
    loc = loc or fallback
    return (loc.path, loc.line) if loc else ("-", 0)


def finding(loc: Location | None, rule: str, message: str,
             fallback: Location | None = None) -> Finding:
    path, line = at(loc, fallback)
    return Finding(path, line, rule, message)


def case_names(case: Case) -> list[str]:
    names: list[str] = []
    for value in (case.name, case.native_name):
        if isinstance(value, LocalText):
            names += value.all()
        elif value:
            names.append(str(value))
    return names


class SourceLines:
    """The lines of the workspace files findings point into, each read once."""

    def __init__(self, ws: Workspace):
        self.ws, self.read = ws, dict[str, list[str]]()
        #: where a rule found a text, so that the same text again is looked for below it
        self.taken: dict[tuple[str, int, str], int] = {}

    def lines(self, path: str) -> list[str]:
        if path not in self.read:
            try:
                data = read_file(self.ws.root, path, DEFAULTS.max_file_bytes,
                                 links=self.ws.options.allow_links)
                self.read[path] = data.decode("utf-8", errors="replace").splitlines()
            except (FileError, OSError):
                self.read[path] = []
        return self.read[path]


def line_of(lines: list[str], first: int, fragments: list[str]) -> int:
    """The line (from `first` on) holding a fragment, the first of `fragments` that is found;
    else `first`."""
    for fragment in fragments:
        fragment = fragment.strip()
        if not fragment:
            continue
        for number in range(max(first, 1), len(lines) + 1):
            if fragment in lines[number - 1]:
                return number
    return first
