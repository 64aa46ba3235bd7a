"""`clarion lint`: content checks, one function per rule, registered in RULES."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from ..workspace.model import Workspace
from .lint_outputs import private_in_output
from .lint_records import hearing_no_outcome, same_person, stale_status, unsourced_event
from .lint_scope import Finding, Scope
from .lint_texts import (
    incomplete_translation,
    no_signatory,
    past_embargo,
    release_ask_released,
    untranslated,
)

__all__ = ["RULES", "Finding", "Rule", "Scope", "lint_workspace"]

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
