"""The forms-of-address rule table: built in, extended by templates/salutations.yaml; read once."""
from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from types import MappingProxyType

from ..errors import Location, Problem
from ..limits import DEFAULTS
from ..resources import BUILT_IN_SALUTATIONS
from . import yamlio
from .schema import LANG_RE, normalise_language
from .yamlio import MappingNode, Node, ScalarNode, YamlProblem

FILE = "templates/salutations.yaml"
#: `unknown`: one person whose gender the record does not give
GENDERS = ("male", "female", "other", "unknown")
#: `nameless` (under `-`): when the recipient's name is an office, not a person's name;
#: `name_line`: the address block's first line where usage puts a civility before the name
PARTS = ("salutation", "closing", "nameless", "name_line")

#: a form: one text for everyone, or one per gender
Form = str | Mapping[str, str]
#: language → rule key (`minister`, `president@france`, `*`, `-`) → part → form
Table = Mapping[str, Mapping[str, Mapping[str, Form]]]


def read_table(root: Path | None, max_bytes: int = DEFAULTS.max_file_bytes,
               outside: Collection[Path] = (), links: bool = False,
               ) -> tuple[Table, list[Problem]]:
    """The built-in rules with the workspace's own laid over them, and what is wrong with those.

    A workspace file in `outside` (a link out of the workspace, reported already) is not read;
    `links`: whether a symbolic link inside the workspace may be followed (the run's choice).
    """
    table, problems = _read(BUILT_IN_SALUTATIONS, "(built-in) salutations.yaml", max_bytes,
                            own=True)
    merged: dict[str, dict[str, Mapping[str, Form]]] = {lang: dict(rules)
                                                          for lang, rules in table.items()}
    mine = root / FILE if root is not None else None
    if mine is not None and mine.is_file() and mine not in outside:
        extra, found = _read(mine, FILE, max_bytes, root=root, links=links)
        problems += found
        for lang, rules in extra.items():
            merged.setdefault(lang, {}).update(rules)
    return _freeze(merged), problems


def _read(path: Path, display: str, max_bytes: int, root: Path | None = None,
          links: bool = False, own: bool = False) -> tuple[Table, list[Problem]]:
    try:
        node = yamlio.load_node(path, display, max_bytes, root=root, links=links, own=own)
    except YamlProblem as e:
        return {}, [e.problem]
    except OSError as e:  # refused (a link, a hard link) or unreadable
        return {}, [Problem(Location(display), f"{e.strerror or e}", code="file-unreadable")]
    if node is None:
        return {}, []
    problems: list[Problem] = []
    out: dict[str, dict[str, dict[str, Form]]] = {}

    def bad(at: Node, message: str) -> None:
        problems.append(Problem(Location(display, at.start_mark.line + 1), message,
                                code="salutation-rule"))

    if not isinstance(node, MappingNode):
        bad(node, "must map language codes (en, fr…) to forms of address")
        return {}, problems
    for lang_node, rules_node in node.value:
        lang = str(lang_node.value)
        code = normalise_language(lang) if LANG_RE.fullmatch(lang) else None
        if not isinstance(lang_node, ScalarNode) or code is None:
            bad(lang_node, f"`{lang}` is not a language code such as en, fr, ru, az")
            continue
        lang = code  # `fre` is `fr`, as in every record
        if not isinstance(rules_node, MappingNode):
            bad(rules_node, f"{lang}: must map honorifics (minister, `*`, `-`) to forms")
            continue
        rules: dict[str, dict[str, Form]] = {}
        for key_node, rule_node in rules_node.value:
            key = str(key_node.value).strip().lower()
            rule = _rule(rule_node, f"{lang}.{key}", bad)
            if rule is not None:
                rules[key] = rule
        out[lang] = rules
    return out, problems


def _rule(node: Node, name: str, report: Callable[[Node, str], None]) -> dict[str, Form] | None:
    if not isinstance(node, MappingNode):
        report(node, f"{name}: must be a mapping with `salutation` and/or `closing`")
        return None
    rule: dict[str, Form] = {}
    for part_node, form_node in node.value:
        part = str(part_node.value)
        if part not in PARTS:
            report(part_node, f"{name}: unknown part `{part}`; use {', '.join(PARTS)}")
            continue
        if isinstance(form_node, ScalarNode) and form_node.value.strip():
            rule[part] = form_node.value
            continue
        if isinstance(form_node, MappingNode):
            forms = {str(g.value): f.value for g, f in form_node.value
                     if isinstance(f, ScalarNode)}
            wrong = [g for g in forms if g not in GENDERS]
            if wrong or len(forms) != len(form_node.value) or not forms:
                report(form_node, (f"{name}.{part}: give a text, or texts by gender "
                                   f"({', '.join(GENDERS)})"))
                continue
            rule[part] = MappingProxyType(forms)
            continue
        report(form_node, f"{name}.{part}: give a text, or texts by gender "
                          f"({', '.join(GENDERS)})")
    return rule


def _freeze(table: Mapping[str, Mapping[str, Mapping[str, Form]]]) -> Table:
    return MappingProxyType({lang: MappingProxyType({k: MappingProxyType(r)
                                                     for k, r in rules.items()})
                             for lang, rules in table.items()})
