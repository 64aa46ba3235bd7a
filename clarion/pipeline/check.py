"""Checking a workspace as a whole: records, cross-references, templates and translations."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import Location, Problem, ProblemsError
from ..output.email import check_mail_headers
from ..output.signing import check_workspace as check_signing
from ..render.checks import check_templates, check_templates_parse
from ..render.salutations import check_salutations
from ..workspace.load import Check, Loaded, load
from ..workspace.model import Workspace
from ..workspace.options import DEFAULTS, LoadOptions
from ..workspace.translations import translation_warnings

CHECKS = (check_templates, check_salutations, check_signing, check_mail_headers)
#: what the other commands check before they start: the same, less the dry render of every
#: document (`build` renders the documents it makes, and a no-op build should cost nothing)
LOAD_CHECKS = (check_templates_parse, check_salutations, check_signing, check_mail_headers)


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


def load_checked(root: Path, options: LoadOptions = DEFAULTS
                 ) -> tuple[Workspace, list[Problem]]:
    """The whole workspace and its warnings, ready to build; raises ProblemsError on any
    error anywhere."""
    ws, problems = check_workspace(root, LOAD_CHECKS, options)
    if ws is None or any(p.severity == "error" for p in problems):
        raise ProblemsError(problems)
    return ws, problems
