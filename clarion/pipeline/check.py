"""Checking a workspace as a whole, and loading it for the campaigns a command makes."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from ..errors import Location, Problem, ProblemsError
from ..render.checks import check_templates, check_templates_parse
from ..render.return_line import check_return_lines
from ..render.salutations import check_salutations
from ..workspace.load import Check, Loaded, load
from ..workspace.model import Workspace
from ..workspace.options import DEFAULTS, LoadOptions
from ..workspace.translations import translation_warnings
from ..workspace.uses import SETTINGS, Uses, blocks, template_names, templates_count_cases, uses
from .envelope import check_mail_headers
from .signatures import check_signing

CHECKS = (check_templates, check_salutations, check_signing, check_mail_headers,
          check_return_lines)
#: what the other commands check before they start: the same, less the dry render of every
#: document (`build` renders the documents it makes, and a no-op build should cost nothing)
LOAD_CHECKS = (check_templates_parse, check_salutations, check_signing, check_mail_headers,
               check_return_lines)


def check_workspace(root: Path, checks: Sequence[Check] = CHECKS,
                    options: LoadOptions = DEFAULTS) -> tuple[Workspace | None, list[Problem]]:
    """Everything `validate` reports: the workspace (broken records left out; None when
    clarion.yaml is broken) and every problem, errors anywhere included."""
    loaded = load(Path(root), checks, options)
    return loaded.ws, _all_problems(loaded)


def _all_problems(loaded: Loaded) -> list[Problem]:
    """The loader's and the checks' problems, with the translations' warnings, each once."""
    extra = translation_warnings(loaded.ws) if loaded.ws is not None else []
    return unique(loaded.problems + extra)


def unique(problems: list[Problem]) -> list[Problem]:
    """Sorted, each once: two checks may find the same mistake (a `cite` key, statically and
    while dry-rendering); hints after `;` may differ."""
    seen: set[tuple[Location, str]] = set()
    out = []
    for p in sorted(problems):
        key = (p.location, p.message.split(";")[0])
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


class LoadedFor(NamedTuple):
    """A workspace loaded for some campaigns: what they can be made from, and what is not."""

    ws: Workspace
    #: warnings, and the errors in files these campaigns do not use, made warnings that say so
    warnings: list[Problem]
    #: (all campaigns only) campaign → the errors that keep it from being built
    blocked: Mapping[str, list[Problem]]
    #: the errors set aside (records left out): a command must not take their absence for a
    #: deletion (no tidying of outputs while any is left)
    ignored: list[Problem]


def load_for(root: Path, campaigns: Sequence[str] | None, options: LoadOptions = DEFAULTS,
             checks: Sequence[Check] = LOAD_CHECKS) -> LoadedFor:
    """Load the workspace to make `campaigns`: stop only for errors in what they use.

    Raises ProblemsError with the errors that block a named campaign: in clarion.yaml, in
    the campaign's own files, in the cases, recipients (groups included) and signatories it
    names, in its document template (or in any file Clarion cannot tell is unused). Every
    other error is returned as a warning naming its file and what it was not used by.

    `campaigns=None` (every campaign): nothing is raised unless clarion.yaml is broken; each
    campaign an error blocks is in `blocked` with its errors, for the command to build the
    others, then report those and fail.
    """
    return for_campaigns(load(Path(root), checks, options), campaigns)


def for_campaigns(loaded: Loaded, campaigns: Sequence[str] | None) -> LoadedFor:
    """`load_for` of a workspace already loaded (a session loads it once per command)."""
    ws, problems = loaded.ws, _all_problems(loaded)
    errors = [p for p in problems if p.severity == "error"]
    if ws is None:
        raise ProblemsError(errors)
    warnings = [p for p in problems if p.severity != "error"]
    wanted = list(dict.fromkeys(campaigns)) if campaigns is not None else _every(ws, errors)
    judge = _Judge(ws, loaded)
    stops: dict[str, list[Problem]] = {}
    ignored: list[Problem] = []
    for error in errors:
        blocked = [c for c in wanted if judge.blocks(error, c)]
        for c in blocked:
            stops.setdefault(c, []).append(error)
        if not blocked:
            ignored.append(error)
            warnings.append(_ignored(error, campaigns))
    if campaigns is not None and stops:
        raise ProblemsError(sorted({p for found in stops.values() for p in found}))
    return LoadedFor(ws, sorted(warnings), stops, ignored)


def _every(ws: Workspace, errors: list[Problem]) -> list[str]:
    """Every campaign: those loaded, and those whose own file has errors (left out)."""
    paths = [PurePosixPath(p.location.path) for p in errors]
    return sorted({*ws.campaigns, *(p.stem for p in paths if p.parent.name == "campaigns"
                                    and len(p.parts) == 2)})


def _ignored(error: Problem, campaigns: Sequence[str] | None) -> Problem:
    """An error in a file the campaigns made do not use, as a warning that says so."""
    users = ", ".join(campaigns) if campaigns else "any campaign"
    return replace(error, severity="warning",
                   message=f"{error.message} (not used by {users}; ignored)",
                   code=error.code or "unused-file-error")


class _Judge:
    """Which errors block which campaign (what each uses, worked out once)."""

    def __init__(self, ws: Workspace, loaded: Loaded):
        self.ws, self.origins = ws, loaded.origins
        self.templates = template_names(ws)
        self._counts: bool | None = None
        self._uses: dict[str, Uses | None] = {}

    def blocks(self, error: Problem, campaign: str) -> bool:
        use = self.uses(campaign)
        if use is None:  # left out: what it would use is unknown, its own errors say why
            path = PurePosixPath(error.location.path)
            return path == PurePosixPath(SETTINGS) or \
                (path.parts[:1] == ("campaigns",) and path.stem == campaign)
        return blocks(error, use, self.origins, self.templates)

    def uses(self, campaign: str) -> Uses | None:
        if campaign not in self._uses:
            c = self.ws.campaigns.get(campaign)
            if c is not None and self._counts is None and c.cases:
                self._counts = templates_count_cases(self.ws)
            self._uses[campaign] = uses(c, bool(self._counts)) if c is not None else None
        return self._uses[campaign]
