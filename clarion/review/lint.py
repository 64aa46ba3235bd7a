"""`clarion lint`: content checks, one function per rule, registered in RULES."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from ..errors import Location
from ..workspace.model import Workspace
from .lint_outputs import private_in_output
from .lint_placeholders import placeholder
from .lint_records import hearing_no_outcome, same_person, stale_status, unsourced_event
from .lint_scope import Finding, Scope, finding
from .lint_texts import (
    incomplete_translation,
    no_signatory,
    past_embargo,
    release_ask_released,
    untranslated,
)
from .lint_voices import no_language, quote_voice

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
    "placeholder": placeholder,
    "quote-voice": quote_voice,
    "no-language": no_language,
}


#: rules a workspace's clarion.yaml cannot switch off (the command line's --disable can)
UNTOUCHABLE = frozenset({"private-in-output"})


def lint_workspace(ws: Workspace, campaigns: Iterable[str], today: dt.date,
                   disabled: Iterable[str] = ()) -> list[Finding]:
    """Every finding of the rules not switched off (here or in clarion.yaml), sorted.

    Only the user, on the command line, can switch off a rule that guards against the
    workspace itself (UNTOUCHABLE): clarion.yaml asking for it is reported, and it runs."""
    names = tuple(campaigns)
    chosen = tuple(ws.campaigns[n] for n in names) if names else tuple(ws.campaigns.values())
    scope = Scope(ws, chosen, today, whole=not names)
    asked = set(ws.settings.lint.disable)
    off = set(disabled) | (asked - UNTOUCHABLE)
    found: set[Finding] = {
        finding(ws.settings.locs.get("lint"), "lint-disable",
                f"lint.disable cannot switch off {rule} (a workspace may not); it was run. "
                f"Only `clarion lint --disable {rule}` can", Location("clarion.yaml", 1))
        for rule in sorted(asked & UNTOUCHABLE)}
    for name, rule in RULES.items():
        if name not in off:
            found.update(rule(scope))
    return sorted(found)
