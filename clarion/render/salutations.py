"""Forms of address: the workspace's rule table (read while loading) applied to a recipient."""
from __future__ import annotations

import re
from collections.abc import Mapping, Set
from typing import Any

from ..errors import Location, Problem
from ..workspace.model import LocalText, Recipient, Workspace, text_in
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
#: the rule for a recipient with `kind: institution`: no gender, no name in the salutation
INSTITUTION = "institution"
#: the rule for one letter to several addressees together (`address: together`)
TOGETHER = "together"
#: words that name an institution, never a person's surname: a recipient so named, without
#: `kind`, `gender` or `honorific`, is written to as an institution (and `validate` says so)
INSTITUTION_WORDS = re.compile(
    r"(?<![\w-])(?:ministry|minist[eè]re|ministerium|government|gouvernement|regierung|embassy|"
    r"ambassade|botschaft|parliament|parlement|prosecutor(?:'s|’s)? office|parquet|department|"
    r"agency|commission|committee|comit[eé]|council|secretariat|secr[eé]tariat|"
    r"министерств\w*|правительств\w*|посольств\w*|прокуратур\w*|администраци\w*|"
    r"nazirliy\w*|hökumət\w*|səfirliy\w*|prokurorluğ\w*|prokurorluq\w*|aparat\w*)(?![\w-])",
    re.IGNORECASE)


def is_institution(recipient: Recipient, language: str = "") -> bool:
    """Whether the recipient is written to as an institution: `kind: institution`, or a name
    such as "Ministry of Interior" on a record that says nothing of a person."""
    if recipient.kind == INSTITUTION:
        return True
    if "kind" in recipient.locs or recipient.gender is not None or recipient.honorific:
        return False
    names = recipient.name.all() if isinstance(recipient.name, LocalText) else [recipient.name]
    return any(INSTITUTION_WORDS.search(str(n)) for n in names)


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
    if recipient.gender is not None or recipient.salutation is not None or \
            is_institution(recipient):
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


def name_line(recipient: Recipient | None, language: str, table: Mapping[str, Any]
               ) -> str | None:
    """The first line of the recipient's address block in `language` when its usage puts a
    civility before the name ("Monsieur Emmanuel Macron" in French: `name_line` in
    salutations.yaml); None where the name stands alone (English, an institution, a gender
    the record does not give, a name that is an office)."""
    if recipient is None or is_institution(recipient):
        return None
    rule, fallback = _rules(recipient, language, table)
    gender = recipient.gender.value if recipient.gender else None
    form = rule.get("name_line") or fallback.get("name_line")
    if gender is None or form is None:
        return None
    line = _pick(form, gender) if isinstance(form, Mapping) and gender in form else None
    name = text_in(recipient.name, language)
    if not line or name_is_title(name, recipient, language):
        return None
    return _fill(str(line), {"name": name, "surname": name.split()[-1] if name else name,
                             "honorific": recipient.honorific or ""})


def address_forms(recipient: Recipient | None, language: str,
                  table: Mapping[str, Any], own: LocalText | None = None) -> tuple[str, str]:
    """(salutation, closing) for `recipient` in `language`; `own` (the campaign's
    `salutation:`) wins, then the recipient's own; a closing quotes the salutation used."""
    rules = table.get(base(language)) or table[SOURCE]
    if recipient is None:
        return (own.pick(language)[0] if own else "",
                _pick(rules.get("-", {}).get("closing", ""), None) or "")
    own = own or recipient.salutation  # either is taken literally, never filled in
    if is_institution(recipient):
        return _institution_forms(recipient, language, rules, own)
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
    salutation = own.pick(language)[0] if own else _fill(salutation, fields)
    fields["address"] = salutation.rstrip(",!:. ")
    return salutation, _fill(closing, fields)


def group_forms(own: LocalText | None, language: str, table: Mapping[str, Any]
                ) -> tuple[str, str]:
    """(salutation, closing) of one letter to several addressees together: the campaign's
    own salutation (`own`), else the language's group form (rule `together`: "Your
    Excellencies,"), else its form for a nameless reader; the closing of that rule."""
    rules = table.get(base(language)) or table[SOURCE]
    rule: Rules = rules.get(TOGETHER) or {}
    nameless = rules.get("-", {})
    salutation = own.pick(language)[0] if own else \
        _pick(rule.get("salutation") or nameless.get(NAMELESS), None) or ""
    closing = _pick(rule.get("closing") or nameless.get("closing", ""), None) or ""
    return salutation, _fill(closing, {"address": salutation.rstrip(",!:. ")})


def _institution_forms(recipient: Recipient, language: str, rules: Rules,
                       own: LocalText | None) -> tuple[str, str]:
    """(salutation, closing) of an institution: its language's institutional form (else the
    form for a nameless office); no gender, no name cut into a surname."""
    rule: Rules = rules.get(INSTITUTION) or {}
    nameless = rules.get("-", {})
    salutation = _pick(rule.get("salutation") or nameless.get(NAMELESS), None) or ""
    if own:
        salutation = own.pick(language)[0]
    closing = _pick(rule.get("closing") or nameless.get("closing", ""), None) or ""
    fields = {"name": text_in(recipient.name, language), "honorific": "",
              "address": salutation.rstrip(",!:. ")}
    fields["surname"] = fields["name"]
    return salutation, _fill(closing, fields)


def check_salutations(ws: Workspace, broken: Set[str] = frozenset()) -> list[Problem]:
    """Warnings for `validate`: recipients whose form of address needs a gender they lack."""
    table = rule_table(ws)
    problems: list[Problem] = []
    for r in ws.recipients.values():
        languages = _letter_languages(ws, r, table)
        if is_institution(r):
            problems += _institution_warnings(r, languages[0], table)
            continue
        for language in languages:
            if depends_on_gender(r, language, table):
                salutation, _ = address_forms(r, language, table)
                problems.append(Problem(r.locs.get("name") or r.loc or Location("recipients"), (
                    f"recipient {r.id}: no `gender`, and the {language} form of address "
                    f"depends on it; the form for one person of unknown gender ({salutation}) "
                    "is used. Add `gender: male`, `female` or `other`, or a `salutation`"),
                    "warning"))
    return problems


def _letter_languages(ws: Workspace, r: Recipient, table: Mapping[str, Any]) -> list[str]:
    """The languages of the forms of address r's letters use: each campaign's letter to r is
    in r's language only when the campaign is written in it (r's own language when no
    campaign writes to r)."""
    from ..workspace.audience import everyone
    from .choice import document_language
    wanted = {base(document_language(ws, c, r)[0]) for c in ws.campaigns.values()
              if any(x.id == r.id for x in everyone(ws, c))}
    found = {code if code in table else SOURCE
             for code in wanted or {base(r.language or ws.settings.language)}}
    return sorted(found)


def _institution_warnings(r: Recipient, language: str, table: Mapping[str, Any]
                          ) -> list[Problem]:
    """An institution given a gender or honorific (ignored), or a name that reads as an
    institution's on a record that does not say which it is."""
    salutation, _ = address_forms(r, language, table)
    if r.kind != INSTITUTION:
        return [Problem(r.locs.get("name") or r.loc or Location("recipients"), (
            f"recipient {r.id}: its name reads as an institution's, so it is written to as one "
            f"({salutation}); add `kind: institution` to say so, or `kind: person` with a "
            "`gender` for a person"), "warning")]
    given = [f for f in ("gender", "honorific") if getattr(r, f)]
    if not given:
        return []
    return [Problem(r.locs.get(given[0]) or r.loc or Location("recipients"), (
        f"recipient {r.id}: `kind: institution` has no {' or '.join(given)}; "
        f"{' and '.join(f'`{g}`' for g in given)} ignored (it is written to as {salutation}). "
        "To write to the person at its head, make the recipient `kind: person`"), "warning")]


def _fill(text: str, fields: dict[str, str]) -> str:
    """Replace {name}-style placeholders; unlike str.format, no attribute or index access."""
    return PLACEHOLDER.sub(lambda m: fields.get(m.group(1), m.group(0)), str(text))
