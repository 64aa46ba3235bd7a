"""Read a workspace folder into a validated Workspace, collecting every problem on the way."""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..errors import Location, Problem, ProblemsError, relpath
from . import records, yamlio
from .csvio import rows_as_nodes
from .model import Campaign, Settings, Workspace
from .salutations import read_table
from .schema import ID_RE, INVALID, Context
from .yamlio import MappingNode, SequenceNode, YamlProblem

#: a check a later stage runs on the loaded workspace: (workspace, ids already broken) → problems
Check = Callable[[Workspace, set[str]], list[Problem]]

log = logging.getLogger(__name__)

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Loader:
    """One pass over a workspace: records found so far and everything wrong with them."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    where: dict[tuple[str, str], Location] = field(default_factory=dict)
    #: ids whose records exist but failed validation: references to them are not errors too
    broken: set[str] = field(default_factory=set)
    #: links that lead out of the workspace: never read
    outside: set[Path] = field(default_factory=set)

    def display(self, path: Path) -> str:
        return relpath(path, self.root)

    def node(self, path: Path):
        if path in self.outside:
            return INVALID
        try:
            return yamlio.load_node(path, self.display(path), self.settings.limits.max_file_bytes)
        except YamlProblem as e:
            self.problems.append(e.problem)
            return INVALID

    def convert(self, spec, node, display, **fixed):
        ctx = Context(display)
        value = spec.convert(node, ctx, **fixed) if isinstance(node, MappingNode) else INVALID
        if not isinstance(node, MappingNode):
            ctx.report(yamlio.where(node, display) if node is not None else Location(display, 1),
                       "must be a mapping of fields (name: value)")
        self.problems.extend(ctx.problems)
        return value

    def claim(self, kind: str, id_: str, loc: Location) -> bool:
        """Record that `id_` is defined at `loc`; a second definition is a problem."""
        first = self.where.get((kind, id_))
        if first is not None:
            self.problems.append(Problem(loc, (
                f"duplicate {kind} id `{id_}`, already defined at {first}; ids must be unique")))
            return False
        self.where[(kind, id_)] = loc
        return True


def files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in suffixes
                  and not p.name.startswith("."))


def outside_links(ld: Loader) -> None:
    """Refuse workspace files that are links to somewhere outside the workspace."""
    root = ld.root.resolve()
    for folder in ("cases", "recipients", "signatories", "campaigns", "templates", "assets",
                   "build"):
        if (ld.root / folder).is_symlink():
            ld.problems.append(Problem(Location(folder + "/"), (
                "is a link; make it a real folder inside the workspace")))
            continue
    for folder in ("cases", "recipients", "signatories", "campaigns", "templates"):
        if (ld.root / folder).is_symlink():
            continue
        for path in sorted((ld.root / folder).rglob("*")) if (ld.root / folder).is_dir() else []:
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                ld.problems.append(Problem(Location(ld.display(path)), (
                    "is a link to a file outside the workspace; copy the file in instead")))
                ld.outside.add(path)


def load_settings(ld: Loader) -> None:
    path = ld.root / "clarion.yaml"
    if not path.is_file():
        return
    node = ld.node(path)
    if node is None or node is INVALID:
        return
    values = ld.convert(records.SETTINGS, node, ld.display(path))
    if values is INVALID:
        return
    ld.settings = Settings(**values, locs=MappingProxyType(
        {k.value: yamlio.where(k, ld.display(path)) for k, _ in node.value}))


def stem_id(ld: Loader, path: Path, node, display: str) -> str | None:
    """The id of a one-record file: its stem, which an explicit `id` must equal."""
    stem = path.stem
    if not ID_RE.fullmatch(stem):
        ld.problems.append(Problem(Location(display, 1), (
            f"file name '{stem}' is not a valid id; rename it with lower-case letters, digits "
            "and '-'")))
        return None
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if key.value == "id" and value.value != stem:
                ld.problems.append(Problem(yamlio.where(value, display), (
                    f"id '{value.value}' must equal the file name '{stem}'; change one")))
                return None
    return stem


def load_cases(ld: Loader) -> dict:
    cases = {}
    for path in files(ld.root / "cases", YAML_SUFFIXES):
        node, display = ld.node(path), ld.display(path)
        if node is INVALID:
            ld.broken.add(path.stem)
            continue
        id_ = stem_id(ld, path, node, display)
        if id_ is None:
            continue
        case = ld.convert(records.CASE, node, display, id=id_)
        if case is INVALID:
            ld.broken.add(id_)
        elif ld.claim("case", id_, case.loc):
            cases[id_] = case
    return cases


def load_parties(ld: Loader, folder: str, list_key: str, spec, list_fields: set[str]) -> dict:
    """Recipients or signatories: one per YAML file, lists under `list_key:`, or CSV rows."""
    found = {}
    kind = list_key[:-1].replace("ie", "y") if list_key.endswith("ies") else list_key[:-1]
    for path in files(ld.root / folder, (*YAML_SUFFIXES, ".csv")):
        display = ld.display(path)
        for node, fixed_id in _party_nodes(ld, path, display, list_key, list_fields, spec):
            if fixed_id is None:
                id_node = _field(node, "id")
                if id_node is None or yamlio.is_null(id_node):
                    ld.problems.append(Problem(yamlio.where(node, display), (
                        "missing required field `id` (each item of a list file and each CSV "
                        "row needs its own)")))
                    continue
                if not isinstance(id_node, yamlio.ScalarNode):
                    ld.problems.append(Problem(yamlio.where(id_node, display),
                                               "id: must be text"))
                    continue
                fixed_id = id_node.value
                if not ID_RE.fullmatch(fixed_id):
                    # the schema reports the bad id; nothing can be built without one
                    ld.convert(spec, node, display, id=fixed_id)
                    continue
            node = _without(node, "id")
            record = ld.convert(spec, node, display, id=fixed_id)
            if record is INVALID:
                ld.broken.add(fixed_id)
            elif ld.claim(kind, fixed_id, record.loc):
                found[fixed_id] = record
    return found


def _party_nodes(ld, path, display, list_key, list_fields, spec):
    if path.suffix == ".csv":
        if path in ld.outside:
            return
        try:
            text = yamlio.read_text(path, display, ld.settings.limits.max_file_bytes)
        except YamlProblem as e:
            ld.problems.append(e.problem)
            return
        for node, problems in rows_as_nodes(text, display, list_fields,
                                            ld.settings.limits.max_csv_rows, spec.fields):
            ld.problems.extend(problems)
            if node is not None:
                yield node, None
        return
    node = ld.node(path)
    if node is INVALID or node is None:
        if node is None:
            ld.problems.append(Problem(Location(display, 1), "file is empty"))
        return
    if not isinstance(node, MappingNode):
        ld.problems.append(Problem(yamlio.where(node, display),
                                   "must be a mapping of fields (name: value)"))
        return
    items = _field(node, list_key)
    if items is None:
        id_ = stem_id(ld, path, node, display)
        if id_ is not None:
            yield node, id_
        return
    if len(node.value) > 1:
        ld.problems.append(Problem(yamlio.where(node, display), (
            f"a list file holds only `{list_key}:`; move other fields into its items")))
    if not isinstance(items, SequenceNode):
        ld.problems.append(Problem(yamlio.where(items, display),
                                   f"{list_key}: must be a list of records"))
        return
    for item in items.value:
        if not isinstance(item, MappingNode):
            ld.problems.append(Problem(yamlio.where(item, display),
                                       "each item must be a mapping of fields"))
            continue
        yield item, None


def _field(node, name):
    if not isinstance(node, MappingNode):
        return None
    for key, value in node.value:
        if getattr(key, "value", None) == name:
            return value
    return None


def _without(node: MappingNode, name: str) -> MappingNode:
    pairs = [(k, v) for k, v in node.value if getattr(k, "value", None) != name]
    return MappingNode(node.tag, pairs, node.start_mark, node.end_mark)


def load_campaigns(ld: Loader) -> dict:
    campaigns = {}
    for path in files(ld.root / "campaigns", YAML_SUFFIXES):
        node, display = ld.node(path), ld.display(path)
        if node is INVALID:
            continue
        if stem_id(ld, path, node, display) is None:
            continue
        values = ld.convert(records.CAMPAIGN, node, display)
        if values is INVALID:
            continue
        values.pop("id", None)
        campaign = _build_campaign(ld, path, display, node, values)
        if campaign is not None and ld.claim("campaign", campaign.id, campaign.loc):
            campaigns[campaign.id] = campaign
    return campaigns


def _build_campaign(ld, path, display, node, values) -> Campaign | None:
    from .model import Translation
    body_path = path.with_suffix(".md")
    body_loc = None
    if "body" in values:
        body_loc = _body_location(_field(node, "body"), display)
        if body_path.is_file():
            ld.problems.append(Problem(Location(ld.display(body_path), 1), (
                f"the campaign has both `body:` in {display} and this file; keep one")))
    elif body_path.is_file() and body_path not in ld.outside:
        try:
            values["body"] = yamlio.read_text(body_path, ld.display(body_path),
                                              ld.settings.limits.max_file_bytes)
        except YamlProblem as e:
            ld.problems.append(e.problem)
            return None
        body_loc = Location(ld.display(body_path), 1)
    translations = {}
    trans_node = _field(node, "translations")
    for lang, data in (values.pop("translations", None) or {}).items():
        t_node = _field(trans_node, lang)
        loc = yamlio.where(t_node, display) if t_node is not None else None
        body_node = _field(t_node, "body")
        translations[lang] = Translation(
            language=lang, loc=loc, **data,
            body_loc=_body_location(body_node, display) if body_node is not None else None)
    loc = yamlio.where(node, display)
    key_locs = {k.value: yamlio.where(k, display) for k, _ in node.value}
    return Campaign(id=path.stem, body_loc=body_loc, loc=loc,
                    translations=MappingProxyType(translations),
                    locs=MappingProxyType(key_locs),
                    extra=MappingProxyType(values.pop("extra", None) or {}),
                    **values)


def _body_location(body_node, display: str) -> Location:
    # a block scalar's text starts on the line after `body: |`
    return Location(display, body_node.start_mark.line + 1 +
                    (1 if body_node.style in ("|", ">") else 0))


def read_workspace(root: Path, checks: Sequence[Check] = ()) -> tuple[Workspace | None, list[Problem]]:
    """Load everything; return the workspace (None if any error) and all problems found.

    `checks` are run on the loaded workspace as well (later stages pass their own: the
    template checks live with the templates, and this stage must not import them).
    """
    from .crosscheck import crosscheck
    root = Path(root)
    if not root.is_dir():
        return None, [Problem(Location(str(root)), "workspace folder not found")]
    ld = Loader(root)
    outside_links(ld)
    load_settings(ld)
    cases = load_cases(ld)
    recipients = load_parties(ld, "recipients", "recipients", records.RECIPIENT,
                              {"address", "groups"})
    signatories = load_parties(ld, "signatories", "signatories", records.SIGNATORY, set())
    campaigns = load_campaigns(ld)
    salutations, found = read_table(root, ld.settings.limits.max_file_bytes, ld.outside)
    ld.problems.extend(found)
    ws = Workspace(root=root, settings=ld.settings, cases=MappingProxyType(cases),
                   recipients=MappingProxyType(recipients),
                   signatories=MappingProxyType(signatories),
                   campaigns=MappingProxyType(campaigns), salutations=salutations)
    ld.problems.extend(crosscheck(ws, ld.broken))
    for check in checks:
        ld.problems.extend(check(ws, ld.broken))
    problems = sorted(ld.problems)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return ws, problems


def load_workspace(root: Path, checks: Sequence[Check] = ()) -> tuple[Workspace, list[Problem]]:
    """The workspace and its warnings; raises ProblemsError if anything is wrong."""
    ws, problems = read_workspace(root, checks)
    if ws is None:
        raise ProblemsError(problems)
    return ws, problems
