"""Read a workspace folder into a validated Workspace, collecting every problem on the way."""
from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import Location, Problem, ProblemsError, relpath
from . import records, yamlio
from .csvio import rows_as_nodes
from .model import Campaign, Case, Limits, Settings, Workspace
from .salutations import read_table
from .schema import ID_RE, INVALID, Context, Record
from .yamlio import MappingNode, Node, SequenceNode, YamlProblem

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
    #: symbolic links refused (out of the workspace, or any without --allow-links): never read
    outside: set[Path] = field(default_factory=set)
    #: whether symbolic links inside the workspace may be followed (None: this run's choice)
    links: bool | None = None

    def display(self, path: Path) -> str:
        return relpath(path, self.root)

    def display_link(self, path: Path) -> str:
        """A link's own name in the workspace (not where it leads)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def node(self, path: Path) -> Any:
        """The file's node tree, None for an empty file, or INVALID (problem recorded)."""
        if path in self.outside:
            return INVALID
        try:
            return yamlio.load_node(path, self.display(path),
                                    self.settings.limits.max_file_bytes,
                                    root=self.root, links=self.links)
        except YamlProblem as e:
            self.problems.append(e.problem)
            return INVALID

    def convert(self, spec: Record, node: Node | None, display: str, **fixed: Any) -> Any:
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
    """The files of a workspace folder with one of `suffixes` (symbolic links included, so that
    they are reported rather than silently skipped)."""
    if not folder.is_dir() or folder.is_symlink():
        return []
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    return [p for p in entries if p.suffix in suffixes and not p.name.startswith(".")
            and (p.is_symlink() or p.is_file())]


def workspace_files(folder: Path, max_depth: int = yamlio.MAX_FOLDER_DEPTH) -> list[Path]:
    """Every regular file under `folder`, without following symbolic links and without going
    deeper than `max_depth` folders (a thousand nested folders end the walk, not the program)."""
    return sorted(Path(e.path) for e in _walk(folder, max_depth)
                  if e.is_file(follow_symlinks=False))


def _walk(folder: Path, max_depth: int) -> Iterator[os.DirEntry[str]]:
    """The entries under `folder`, folders entered without following links, `max_depth` deep at
    most; unreadable folders and entries are passed over."""
    todo = [(folder, 0)]
    while todo:
        current, depth = todo.pop()
        try:
            with os.scandir(current) as it:
                entries = list(it)
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False) and depth < max_depth:
                    todo.append((Path(entry.path), depth + 1))
            except OSError:
                continue
            yield entry


def _link_problem(ld: Loader, path: Path, root: Path) -> Problem | None:
    """Why the symbolic link `path` is not read, or None when it may be followed."""
    try:
        inside = path.resolve(strict=True).is_relative_to(root)
    except (OSError, RuntimeError, ValueError):
        return Problem(Location(ld.display_link(path)), (
            "is a symbolic link that leads nowhere (missing, or a loop of links); remove it"))
    if not inside:
        return Problem(Location(ld.display_link(path)), (
            "is a link to a file outside the workspace; copy the file in instead"))
    if yamlio.allow_links(ld.links):
        return None
    return Problem(Location(ld.display_link(path)), (
        "is a symbolic link; copy the file in instead (or run `clarion --allow-links` to allow "
        "links that stay inside the workspace)"))


def outside_links(ld: Loader) -> None:
    """Refuse workspace folders that are links, and workspace files that are symbolic links
    (to anywhere, unless --allow-links; to outside the workspace, always)."""
    root = ld.root.resolve()
    for folder in ("cases", "recipients", "signatories", "campaigns", "templates", "assets",
                   "build"):
        if (ld.root / folder).is_symlink():
            ld.problems.append(Problem(Location(folder + "/"), (
                "is a link; make it a real folder inside the workspace")))
            continue
    candidates = [ld.root / "clarion.yaml"]
    for folder in ("cases", "recipients", "signatories", "campaigns"):
        candidates += [p for p in files(ld.root / folder, (*YAML_SUFFIXES, ".csv", ".md"))
                       if p.is_symlink()]
    templates = ld.root / "templates"
    if templates.is_dir() and not templates.is_symlink():
        candidates += _links_under(templates)
    for path in candidates:
        if not path.is_symlink():
            continue
        problem = _link_problem(ld, path, root)
        if problem is not None:
            ld.problems.append(problem)
            ld.outside.add(path)


def _links_under(folder: Path) -> list[Path]:
    """Symbolic links anywhere under `folder` (not followed; bounded depth)."""
    return sorted(Path(e.path) for e in _walk(folder, yamlio.MAX_FOLDER_DEPTH) if e.is_symlink())


def load_settings(ld: Loader) -> None:
    path = ld.root / "clarion.yaml"
    if not path.is_file() and not path.is_symlink():
        return
    node = ld.node(path)
    if node is None or node is INVALID:
        return
    values = ld.convert(records.SETTINGS, node, ld.display(path))
    if values is INVALID:
        return
    values["limits"] = _capped_limits(ld, values.get("limits"), _field(node, "limits"),
                                      ld.display(path))
    ld.settings = Settings(**values, locs=MappingProxyType(
        {k.value: yamlio.where(k, ld.display(path)) for k, _ in node.value}))


def _capped_limits(ld: Loader, limits: Limits | None, node: Node | None,
                    display: str) -> Limits:
    """The workspace's limits, none above Clarion's built-in cap (or the cap raised on the
    command line with `--limit`): a workspace may lower its limits, never raise them."""
    caps = Limits()
    raised = yamlio.raised_limits()
    chosen = {getattr(k, "value", None): v for k, v in node.value} \
        if isinstance(node, MappingNode) else {}
    out: dict[str, Any] = {}
    for name in Limits.__dataclass_fields__:
        cap = raised.get(name, getattr(caps, name))
        value = getattr(limits, name) if limits is not None and name in chosen else cap
        if value > cap:
            plain = int(value) if float(value).is_integer() else value
            ld.problems.append(Problem(yamlio.where(chosen[name], display), (
                f"limits.{name}: {plain:,} is above Clarion's cap of "
                f"{int(cap) if float(cap).is_integer() else cap:,}, which is used; clarion.yaml "
                "may only lower a limit (raise it for one run with "
                f"`clarion --limit {name}={plain}`)"), "warning"))
            value = cap
        out[name] = type(getattr(caps, name))(value)
    return Limits(**out)


def stem_id(ld: Loader, path: Path, node: Node | None, display: str) -> str | None:
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


def load_cases(ld: Loader) -> dict[str, Case]:
    cases: dict[str, Case] = {}
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


def load_parties(ld: Loader, folder: str, list_key: str, spec: Record,
                  list_fields: set[str]) -> dict[str, Any]:
    """Recipients or signatories: one per YAML file, lists under `list_key:`, or CSV rows."""
    found: dict[str, Any] = {}
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


def _party_nodes(ld: Loader, path: Path, display: str, list_key: str, list_fields: set[str],
                 spec: Record) -> Iterator[tuple[MappingNode, str | None]]:
    if path.suffix == ".csv":
        if path in ld.outside:
            return
        try:
            text = yamlio.read_text(path, display, ld.settings.limits.max_file_bytes,
                                    root=ld.root, links=ld.links)
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


def _field(node: Node | None, name: str) -> Node | None:
    if not isinstance(node, MappingNode):
        return None
    for key, value in node.value:
        if getattr(key, "value", None) == name:
            field_node: Node = value
            return field_node
    return None


def _without(node: MappingNode, name: str) -> MappingNode:
    pairs = [(k, v) for k, v in node.value if getattr(k, "value", None) != name]
    return MappingNode(node.tag, pairs, node.start_mark, node.end_mark)


def load_campaigns(ld: Loader) -> dict[str, Campaign]:
    campaigns: dict[str, Campaign] = {}
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
        if campaign is not None and ld.claim("campaign", campaign.id, yamlio.where(node, display)):
            campaigns[campaign.id] = campaign
    return campaigns


def _build_campaign(ld: Loader, path: Path, display: str, node: MappingNode,
                    values: dict[str, Any]) -> Campaign | None:
    from .model import Translation
    body_path = path.with_suffix(".md")
    body_loc = None
    if "body" in values:
        body_loc = _body_location(_field(node, "body"), display)
        if body_path.is_file() or body_path.is_symlink():
            ld.problems.append(Problem(Location(ld.display(body_path), 1), (
                f"the campaign has both `body:` in {display} and this file; keep one")))
    elif (body_path.is_file() or body_path.is_symlink()) and body_path not in ld.outside:
        try:
            values["body"] = yamlio.read_text(body_path, ld.display(body_path),
                                              ld.settings.limits.max_file_bytes, root=ld.root,
                                              links=ld.links)
        except YamlProblem as e:
            ld.problems.append(e.problem)
            return None
        body_loc = Location(ld.display(body_path), 1)
    translations: dict[str, Translation] = {}
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


def _body_location(body_node: Node | None, display: str) -> Location:
    if body_node is None:  # `body` was converted, so its node exists; the file as a fallback
        return Location(display, 1)
    # a block scalar's text starts on the line after `body: |`
    return Location(display, body_node.start_mark.line + 1 +
                    (1 if getattr(body_node, "style", None) in ("|", ">") else 0))


def read_workspace(root: Path, checks: Sequence[Check] = (), links: bool | None = None
                   ) -> tuple[Workspace | None, list[Problem]]:
    """Load everything; return the workspace (None if any error) and all problems found.

    `checks` are run on the loaded workspace as well (later stages pass their own: the
    template checks live with the templates, and this stage must not import them).
    `links`: whether symbolic links inside the workspace may be followed (None: the choice
    made for this run with `yamlio.links_allowed`, i.e. `clarion --allow-links`).
    """
    from .crosscheck import crosscheck
    root = Path(root)
    if not root.is_dir():
        return None, [Problem(Location(str(root)), "workspace folder not found")]
    ld = Loader(root, links=links)
    outside_links(ld)
    load_settings(ld)
    cases = load_cases(ld)
    recipients = load_parties(ld, "recipients", "recipients", records.RECIPIENT,
                              {"address", "groups"})
    signatories = load_parties(ld, "signatories", "signatories", records.SIGNATORY, set())
    campaigns = load_campaigns(ld)
    salutations, found = read_table(root, ld.settings.limits.max_file_bytes, ld.outside,
                                    ld.links)
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
