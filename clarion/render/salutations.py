"""Forms of address: the workspace's rule table (read while loading) applied to a recipient."""
from __future__ import annotations

import re
from collections.abc import Mapping, Set
from typing import Any

from ..errors import Location, Problem
from ..workspace.model import Recipient, Workspace, text_in
from .i18n import base, country_keys
from .languages import SOURCE, every_article

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def rule_table(ws: Workspace) -> Mapping[str, Any]:
    """Built-in rules with the workspace's templates/salutations.yaml laid over them (read
    while loading: workspace/salutations.py)."""
    return ws.salutations


#: the form for one person whose gender the record does not give (then `other`)
UNKNOWN = "unknown"
#: the form when the recipient's `name` is a function or office, not a person's name
NAMELESS = "nameless"


def _pick(value: Any, gender: str | None) -> Any:
    if isinstance(value, Mapping):
        if gender is None and value.get(UNKNOWN):
            return value[UNKNOWN]
        return value.get(gender or "other") or value.get("other") or next(iter(value.values()))
    return value


Rules = Mapping[str, Any]


def _rules(recipient: Recipient, language: str, table: Mapping[str, Rules]
           ) -> tuple[Rules, Rules]:
    """The rule for the recipient's honorific (and country) in `language`, and its fallback."""
    rules = table.get(base(language)) or table[SOURCE]
    honorific = (recipient.honorific or "").strip().lower()
    countries = country_keys(recipient.country)
    keys = [f"{honorific}@{c}" for c in countries] + [honorific, "*"] if honorific else ["-"]
    rule: Rules = next((rules[k] for k in keys if k in rules), {})
    fallback: Rules = rules.get("*" if honorific else "-", {})
    return rule, fallback


def depends_on_gender(recipient: Recipient, language: str, table: Mapping[str, Rules]) -> bool:
    """Whether the recipient's form of address changes with a gender the record lacks."""
    if recipient.gender is not None or recipient.salutation is not None:
        return False
    rule, fallback = _rules(recipient, language, table)
    form = rule.get("salutation") or fallback.get("salutation")
    return isinstance(form, Mapping) and len({form.get("male"), form.get("female")} - {None}) > 1


def name_is_title(name: str, recipient: Recipient, language: str) -> bool:
    """A recipient `name` that names an office ('The Minister of Justice', or the title or
    honorific itself), so must not be cut into a surname."""
    low = " ".join(name.lower().split())
    title = text_in(recipient.title, language).lower()
    honorific = (recipient.honorific or "").strip().lower()
    return low.startswith(every_article()) or (bool(title) and low == title) \
        or (bool(honorific) and honorific in low)


def address_forms(recipient: Recipient | None, language: str,
                  table: Mapping[str, Any]) -> tuple[str, str]:
    """(salutation, closing) for `recipient` in `language`; the recipient's own wins."""
    rules = table.get(base(language)) or table[SOURCE]
    if recipient is None:
        return "", _pick(rules.get("-", {}).get("closing", ""), None) or ""
    rule, fallback = _rules(recipient, language, table)
    gender = recipient.gender.value if recipient.gender else None
    salutation = _pick(rule.get("salutation"), gender) or _pick(fallback.get("salutation"), gender)
    if rule.get("salutation") and isinstance(rule["salutation"], Mapping) and \
            (gender or "other") not in rule["salutation"] and gender != "male":
        # e.g. no rule for a woman or unknown gender: fall back to the neutral form
        salutation = _pick(fallback.get("salutation"), gender)
    closing = _pick(rule.get("closing") or fallback.get("closing", ""), gender)
    name = text_in(recipient.name, language)
    words = name.split()
    if name_is_title(name, recipient, language) and PLACEHOLDER.search(str(salutation)):
        # a title is never used as a surname: "Dear Minister," not "Dear Minister Justice,"
        nameless = rules.get("-", {}).get(NAMELESS)
        salutation = _pick(nameless, gender) if nameless and "{honorific}" not in \
            str(salutation) else re.sub(r"\s*\{(?:surname|name)\}", "", str(salutation))
    fields = {"name": name, "surname": words[-1] if words else name,
              "honorific": recipient.honorific or ""}
    # a recipient's own salutation is taken literally, never filled in
    salutation = recipient.salutation.pick(language)[0] if recipient.salutation \
        else _fill(salutation, fields)
    fields["address"] = salutation.rstrip(",!:. ")
    return salutation, _fill(closing, fields)


def check_salutations(ws: Workspace, broken: Set[str] = frozenset()) -> list[Problem]:
    """Warnings for `validate`: recipients whose form of address needs a gender they lack."""
    table = rule_table(ws)
    problems: list[Problem] = []
    for r in ws.recipients.values():
        language = base(r.language or ws.settings.language)
        if language not in table:
            language = SOURCE
        if depends_on_gender(r, language, table):
            salutation, _ = address_forms(r, language, table)
            problems.append(Problem(r.locs.get("name") or r.loc or Location("recipients"), (
                f"recipient {r.id}: no `gender`, and the {language} form of address depends "
                f"on it; the form for one person of unknown gender ({salutation}) is used. "
                "Add `gender: male`, `female` or `other`, or a `salutation`"), "warning"))
    return problems


def _fill(text: str, fields: dict[str, str]) -> str:
    """Replace {name}-style placeholders; unlike str.format, no attribute or index access."""
    return PLACEHOLDER.sub(lambda m: fields.get(m.group(1), m.group(0)), str(text))
