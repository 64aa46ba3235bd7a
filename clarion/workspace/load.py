"""Read a workspace folder into a validated Workspace, collecting every problem on the way."""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import Location, Problem, ProblemsError
from . import records, yamlio
from .folders import YAML_SUFFIXES, files, refused_links, workspace_files
from .model import Campaign, Case, Limits, Settings, Workspace
from .options import DEFAULTS, LoadOptions
from .parties import load_parties
from .reader import Loader, field_of, stem_id
from .salutations import read_table
from .schema import ID_RE, INVALID
from .uses import Origin
from .yamlio import MappingNode, Node, YamlProblem

#: Loader, files and workspace_files are used from here by other modules
__all__ = ["Check", "Loaded", "Loader", "files", "load", "load_settings", "load_workspace",
           "read_workspace", "workspace_files"]

#: a check a later stage runs on the loaded workspace: (workspace, ids already broken) → problems
Check = Callable[[Workspace, set[str]], list[Problem]]

log = logging.getLogger(__name__)


def load_settings(ld: Loader) -> None:
    """clarion.yaml into `ld.settings`, its limits capped; `ld.settings_ok` False if it is
    broken (then nothing can be built)."""
    path = ld.root / "clarion.yaml"
    ld.settings = Settings(limits=_capped_limits(ld, None, None, "clarion.yaml"))
    if not path.is_file() and not path.is_symlink():
        return
    node = ld.node(path)
    if node is None:
        return
    values = INVALID if node is INVALID else ld.convert(records.SETTINGS, node, ld.display(path))
    if values is INVALID:
        ld.settings_ok = False
        return
    values["limits"] = _capped_limits(ld, values.get("limits"), field_of(node, "limits"),
                                      ld.display(path))
    ld.settings = Settings(**values, locs=MappingProxyType(
        {k.value: yamlio.where(k, ld.display(path)) for k, _ in node.value}))


def _capped_limits(ld: Loader, limits: Limits | None, node: Node | None,
                    display: str) -> Limits:
    """The workspace's limits, none above Clarion's built-in cap (or the cap raised for this
    run, `LoadOptions.raised`): a workspace may lower its limits, never raise them."""
    caps = Limits()
    chosen = {getattr(k, "value", None): v for k, v in node.value} \
        if isinstance(node, MappingNode) else {}
    out: dict[str, Any] = {}
    for name in Limits.__dataclass_fields__:
        cap = ld.options.cap(name, getattr(caps, name))
        value = getattr(limits, name) if limits is not None and name in chosen else cap
        if value > cap:
            plain = int(value) if float(value).is_integer() else value
            ld.problems.append(Problem(yamlio.where(chosen[name], display), (
                f"limits.{name}: {plain:,} is above Clarion's cap of "
                f"{int(cap) if float(cap).is_integer() else cap:,}, which is used; clarion.yaml "
                "may only lower a limit (raise it for one run with "
                f"`clarion --limit {name}={plain}`)"), "warning", code="limit-above-cap"))
            value = cap
        out[name] = type(getattr(caps, name))(value)
    return Limits(**out)


def load_cases(ld: Loader) -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for path in files(ld.root / "cases", YAML_SUFFIXES):
        node, display = ld.node(path), ld.display(path)
        ld.origins.append(Origin("case", path.stem if ID_RE.fullmatch(path.stem) else None,
                                 display))
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
        body_loc = _body_location(field_of(node, "body"), display)
        if body_path.is_file() or body_path.is_symlink():
            ld.problems.append(Problem(Location(ld.display(body_path), 1), (
                f"the campaign has both `body:` in {display} and this file; keep one"),
                code="body-twice"))
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
    trans_node = field_of(node, "translations")
    for lang, data in (values.pop("translations", None) or {}).items():
        t_node = field_of(trans_node, lang)
        loc = yamlio.where(t_node, display) if t_node is not None else None
        body_node = field_of(t_node, "body")
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


@dataclass(frozen=True)
class Loaded:
    """A workspace as far as it could be read, everything wrong with it, and where each
    record was written (so that a problem can be traced to the records it is about)."""

    ws: Workspace | None            # None: clarion.yaml is broken, or there is no workspace
    problems: list[Problem]
    origins: tuple[Origin, ...] = ()


def load(root: Path, checks: Sequence[Check] = (), options: LoadOptions = DEFAULTS
         ) -> Loaded:
    """Load everything that can be loaded: a record with an error is left out (a case, a
    campaign, one recipient of a CSV file), and every problem is kept, located in its file.

    `checks` are run on the loaded workspace as well (later stages pass their own: the
    template checks live with the templates, and this stage must not import them).
    `options`: the run's choices (links allowed, limits raised); the workspace records them.
    """
    from .crosscheck import crosscheck
    root = Path(root)
    if not root.is_dir():
        return Loaded(None, [Problem(Location(str(root)), "workspace folder not found",
                                     code="no-workspace")])
    ld = Loader(root, options=options)
    found, ld.outside = refused_links(root, options.allow_links)
    ld.problems.extend(found)
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
                   campaigns=MappingProxyType(campaigns), salutations=salutations,
                   options=options)
    ld.problems.extend(crosscheck(ws, ld.broken))
    for check in checks:
        ld.problems.extend(check(ws, ld.broken))
    return Loaded(ws if ld.settings_ok else None, sorted(ld.problems), tuple(ld.origins))


def read_workspace(root: Path, checks: Sequence[Check] = (),
                   options: LoadOptions = DEFAULTS) -> tuple[Workspace | None, list[Problem]]:
    """The workspace with every broken record left out (None only when clarion.yaml is
    broken or the folder is missing), and all problems found; see `load`."""
    loaded = load(root, checks, options)
    return loaded.ws, loaded.problems


def load_workspace(root: Path, checks: Sequence[Check] = (),
                   options: LoadOptions = DEFAULTS) -> tuple[Workspace, list[Problem]]:
    """The whole workspace and its warnings; raises ProblemsError if anything is wrong."""
    ws, problems = read_workspace(root, checks, options)
    if ws is None or any(p.severity == "error" for p in problems):
        raise ProblemsError(problems)
    return ws, problems
