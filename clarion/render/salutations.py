"""Forms of address: the workspace's rule table (read while loading) applied to a recipient."""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..workspace.model import Recipient, Workspace

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def rule_table(ws: Workspace) -> Mapping[str, Any]:
    """Built-in rules with the workspace's templates/salutations.yaml laid over them."""
    return ws.salutations


def _pick(value: Any, gender: str | None) -> Any:
    if isinstance(value, Mapping):
        return value.get(gender or "other") or value.get("other") or next(iter(value.values()))
    return value


def address_forms(recipient: Recipient | None, language: str,
                  table: Mapping[str, Any]) -> tuple[str, str]:
    """(salutation, closing) for `recipient` in `language`; the recipient's own wins."""
    rules = table.get(language) or table["en"]
    if recipient is None:
        return "", _pick(rules.get("-", {}).get("closing", ""), None) or ""
    honorific = (recipient.honorific or "").strip().lower()
    country = (recipient.country or "").strip().lower()
    keys = [f"{honorific}@{country}", honorific, "*"] if honorific else ["-"]
    rule: Mapping[str, Any] = next((rules[k] for k in keys if k in rules), {})
    gender = recipient.gender.value if recipient.gender else None
    fallback = rules.get("*" if honorific else "-", {})
    salutation = _pick(rule.get("salutation"), gender) or _pick(fallback.get("salutation"), gender)
    if rule.get("salutation") and isinstance(rule["salutation"], Mapping) and \
            (gender or "other") not in rule["salutation"] and gender != "male":
        # e.g. no rule for a woman or unknown gender: fall back to the neutral form
        salutation = _pick(fallback.get("salutation"), gender)
    closing = _pick(rule.get("closing") or fallback.get("closing", ""), gender)
    words = recipient.name.split()
    fields = {"name": recipient.name, "surname": words[-1] if words else recipient.name,
              "honorific": recipient.honorific or ""}
    # a recipient's own salutation is taken literally, never filled in
    salutation = recipient.salutation.pick(language)[0] if recipient.salutation \
        else _fill(salutation, fields)
    fields["address"] = salutation.rstrip(",!:. ")
    return str(salutation), _fill(closing, fields)


def _fill(text: str, fields: dict[str, str]) -> str:
    """Replace {name}-style placeholders; unlike str.format, no attribute or index access."""
    return PLACEHOLDER.sub(lambda m: fields.get(m.group(1), m.group(0)), str(text))
