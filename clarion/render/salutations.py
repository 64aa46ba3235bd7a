"""Forms of address: the rule table (built in, extended by the workspace) applied to a recipient."""
from __future__ import annotations

import functools
import re
from pathlib import Path

from ..errors import ClarionError, Location
from ..resources import BUILT_IN_SALUTATIONS as BUILT_IN
from ..workspace import yamlio
from ..workspace.model import Recipient

FILE = "salutations.yaml"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@functools.lru_cache(maxsize=8)
def _read(path: Path, display: str, own: bool = False) -> dict:
    node = yamlio.load_node(path, display, own=own)
    value = yamlio.plain_value(node) if node is not None else {}
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ClarionError("must map language codes to honorific rules", Location(display, 1))
    for lang, rules in value.items():
        for key, rule in rules.items():
            if not isinstance(rule, dict) or not all(
                    _text_or_forms(rule.get(k)) for k in ("salutation", "closing")):
                raise ClarionError(
                    f"{lang}: {key}: a rule maps `salutation` and `closing` to text, or to "
                    "text for each gender (male, female, other)", Location(display, 1))
    return value


def _text_or_forms(value) -> bool:
    if value is None or isinstance(value, str):
        return True
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def rule_table(root: Path | None) -> dict:
    """Built-in rules with the workspace's templates/salutations.yaml laid over them."""
    table = {lang: dict(rules) for lang, rules in
             _read(BUILT_IN, "salutations.yaml", own=True).items()}
    override = root / "templates" / FILE if root else None
    if override and override.is_file() and \
            override.resolve().is_relative_to((root / "templates").resolve()):
        try:
            extra = _read(override, f"templates/{FILE}")
        except yamlio.YamlProblem as e:
            raise ClarionError(e.problem.message, e.problem.location) from e
        for lang, rules in extra.items():
            for key, rule in rules.items():
                table.setdefault(lang, {})[str(key).lower()] = rule
    return table


def _pick(value, gender: str | None):
    if isinstance(value, dict):
        return value.get(gender or "other") or value.get("other") or next(iter(value.values()))
    return value


def address_forms(recipient: Recipient | None, language: str, table: dict) -> tuple[str, str]:
    """(salutation, closing) for `recipient` in `language`; the recipient's own wins."""
    rules = table.get(language) or table["en"]
    if recipient is None:
        return "", _pick(rules.get("-", {}).get("closing", ""), None) or ""
    honorific = (recipient.honorific or "").strip().lower()
    country = (recipient.country or "").strip().lower()
    keys = [f"{honorific}@{country}", honorific, "*"] if honorific else ["-"]
    rule = next((rules[k] for k in keys if k in rules), {})
    gender = recipient.gender.value if recipient.gender else None
    fallback = rules.get("*" if honorific else "-", {})
    salutation = _pick(rule.get("salutation"), gender) or _pick(fallback.get("salutation"), gender)
    if rule.get("salutation") and isinstance(rule["salutation"], dict) and \
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
    return salutation, _fill(closing, fields)


def _fill(text: str, fields: dict[str, str]) -> str:
    """Replace {name}-style placeholders; unlike str.format, no attribute or index access."""
    return PLACEHOLDER.sub(lambda m: fields.get(m.group(1), m.group(0)), str(text))
