"""What a model field is declared with besides its type and default: its doc, and what its
type does not say. Plain data (no schema here), so that importing a record stays cheap; the
checks are made from it in declare.py."""
from __future__ import annotations

import re
from typing import Any

#: named checks a field's values may ask for instead of plain text (declare.py makes them)
NAMED_CHECKS = ("id", "language")


def about(doc: str, *, check: str | None = None,
          pattern: tuple[re.Pattern[str], str] | None = None, key: str | None = None,
          required: bool | None = None, choices: tuple[str, ...] | None = None,
          minimum: float | None = None, maximum: float | None = None,
          key_check: str | None = None, shown_default: str | None = None) -> dict[str, Any]:
    """A field's metadata: its doc, and what its type alone does not say.

    `check` (one of NAMED_CHECKS) or `pattern` (regex, what it stands for) narrow each text
    value (each item of a list); `key_check` each key of a mapping; `choices` the values
    allowed; `minimum`/`maximum` a number's range; `key` the name files use when it differs
    from the attribute's (`as`, `from`); `required` when it differs from "has no default";
    `shown_default` the default as the documentation words it.
    """
    if {check, key_check} - {None, *NAMED_CHECKS}:
        raise ValueError(f"unknown check; use one of {NAMED_CHECKS}")
    given = {"doc": doc, "check": check, "pattern": pattern, "key": key, "required": required,
             "choices": choices, "minimum": minimum, "maximum": maximum,
             "key_check": key_check, "shown_default": shown_default}
    return {name: value for name, value in given.items() if value is not None}


def internal(doc: str) -> dict[str, Any]:
    """The metadata of an attribute the loader fills and no file writes."""
    return {"doc": doc, "internal": True}
