"""One pass over a workspace's files: the Loader's state, and the helpers every reader shares."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, relpath
from . import yamlio
from .model import Settings
from .options import LoadOptions
from .schema import ID_RE, INVALID, Context, Record
from .uses import Origin
from .yamlio import MappingNode, Node, YamlProblem


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
    #: the run's choices: links allowed, limits raised
    options: LoadOptions = field(default_factory=LoadOptions)
    #: where each record was written, loaded or not: what a problem there is about
    origins: list[Origin] = field(default_factory=list)
    #: clarion.yaml was read (or is absent): without it nothing can be built
    settings_ok: bool = True

    @property
    def links(self) -> bool:
        """Whether symbolic links inside the workspace may be followed (`--allow-links`)."""
        return self.options.allow_links

    def display(self, path: Path) -> str:
        return relpath(path, self.root)

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
        if not isinstance(node, MappingNode):
            self.problems.append(Problem(
                yamlio.where(node, display) if node is not None else Location(display, 1),
                "must be a mapping of fields (name: value)", code="not-a-mapping"))
            return INVALID
        ctx = Context(display)
        value = spec.convert(node, ctx, **fixed)
        self.problems.extend(ctx.problems)
        return value

    def claim(self, kind: str, id_: str, loc: Location) -> bool:
        """Record that `id_` is defined at `loc`; a second definition is a problem."""
        first = self.where.get((kind, id_))
        if first is not None:
            self.problems.append(Problem(loc, (
                f"duplicate {kind} id `{id_}`, already defined at {first}; ids must be unique"),
                code="duplicate-id"))
            return False
        self.where[(kind, id_)] = loc
        return True


def stem_id(ld: Loader, path: Path, node: Node | None, display: str) -> str | None:
    """The id of a one-record file: its stem, which an explicit `id` must equal."""
    stem = path.stem
    if not ID_RE.fullmatch(stem):
        ld.problems.append(Problem(Location(display, 1), (
            f"file name '{stem}' is not a valid id; rename it with lower-case letters, digits "
            "and '-'"), code="bad-file-name"))
        return None
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if key.value == "id" and value.value != stem:
                ld.problems.append(Problem(yamlio.where(value, display), (
                    f"id '{value.value}' must equal the file name '{stem}'; change one"),
                    code="id-not-file-name"))
                return None
    return stem


def field_of(node: Node | None, name: str) -> Node | None:
    if not isinstance(node, MappingNode):
        return None
    for key, value in node.value:
        if getattr(key, "value", None) == name:
            field_node: Node = value
            return field_node
    return None


def without(node: MappingNode, name: str) -> MappingNode:
    pairs = [(k, v) for k, v in node.value if getattr(k, "value", None) != name]
    return MappingNode(node.tag, pairs, node.start_mark, node.end_mark)
