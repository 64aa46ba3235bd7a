"""Recipients and signatories: one per YAML file, lists under `recipients:`, or CSV rows."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import Location, Problem
from . import yamlio
from .csvio import rows_as_nodes
from .derived import MadeIds
from .folders import YAML_SUFFIXES, files
from .reader import Loader, field_of, stem_id, without
from .schema import ID_RE, INVALID, ListOf, Record
from .uses import Origin
from .yamlio import MappingNode, Node, ScalarNode, SequenceNode, YamlProblem


def load_parties(ld: Loader, folder: str, list_key: str, spec: Record,
                  list_fields: set[str]) -> dict[str, Any]:
    """Recipients or signatories: one per YAML file, lists under `list_key:`, or CSV rows."""
    found: dict[str, Any] = {}
    kind = list_key[:-1].replace("ie", "y") if list_key.endswith("ies") else list_key[:-1]
    # a list field may hold several values in one cell (`a | b`)
    list_fields = list_fields | {name for name, f in spec.fields.items()
                                 if isinstance(f.spec, ListOf)}
    for path in files(ld.root / folder, (*YAML_SUFFIXES, ".csv")):
        display = ld.display(path)
        made = MadeIds(kind, {i for k, i in ld.where if k == kind})
        for node, stem in _party_nodes(ld, path, display, kind, list_key, list_fields, spec):
            if stem is None and path.suffix == ".csv" and not _has_id(node):
                fixed_id = made.derive(node, display)
                if fixed_id is None:
                    ld.problems.append(Problem(yamlio.where(node, display), (
                        "missing required field `id`, and no name to make one from"),
                        code="missing-id"))
                    ld.origins.append(_origin(kind, None, display, node, whole=False))
                    continue
            else:
                fixed_id = stem or _item_id(ld, node, display)
            ld.origins.append(_origin(kind, fixed_id, display, node, whole=stem is not None))
            if fixed_id is None:
                continue
            if not ID_RE.fullmatch(fixed_id):
                # the schema reports the bad id; nothing can be built without one
                ld.convert(spec, node, display, id=fixed_id)
                continue
            node = without(node, "id")
            record = ld.convert(spec, node, display, id=fixed_id)
            if record is not INVALID and kind == "signatory" and not _signs(node):
                ld.problems.append(Problem(yamlio.where(node, display), (
                    "a signatory needs `organisation` or `person` (or both): an organisation "
                    "signs alone, an individual with `person` (and `title` as their role)"),
                    code="missing-signer"))
                record = INVALID
            if record is INVALID:
                ld.broken.add(fixed_id)
            elif ld.claim(kind, fixed_id, record.loc):
                found[fixed_id] = record
        ld.problems.extend(made.problems(display))
    return found


def _signs(node: MappingNode) -> bool:
    """Whether a signatory's fields name who signs: an organisation, a person or both."""
    return any(value is not None and not yamlio.is_null(value) and
               not (isinstance(value, ScalarNode) and not value.value.strip())
               for value in (field_of(node, "organisation"), field_of(node, "person")))


def _has_id(node: MappingNode) -> bool:
    id_node = field_of(node, "id")
    return id_node is not None and not (isinstance(id_node, ScalarNode) and not
                                        id_node.value.strip())


def _item_id(ld: Loader, node: MappingNode, display: str) -> str | None:
    """The `id:` of an item of a list file or a CSV row (None, problem recorded, if none)."""
    id_node = field_of(node, "id")
    if id_node is None or yamlio.is_null(id_node):
        ld.problems.append(Problem(yamlio.where(node, display), (
            "missing required field `id` (each item of a list file needs its own)"),
            code="missing-id"))
        return None
    if not isinstance(id_node, ScalarNode):
        ld.problems.append(Problem(yamlio.where(id_node, display), "id: must be text",
                                   code="bad-id"))
        return None
    value: str = id_node.value
    return value


def _origin(kind: str, id_: str | None, display: str, node: MappingNode | None,
            whole: bool) -> Origin:
    """Where a party is written, with the groups it names (None when they cannot be read)."""
    groups: frozenset[str] | None = frozenset()
    value = field_of(node, "groups")
    if isinstance(value, ScalarNode) and not yamlio.is_null(value):
        groups = frozenset([value.value])
    elif isinstance(value, SequenceNode):
        names = [v.value for v in value.value if isinstance(v, ScalarNode)]
        groups = frozenset(names) if len(names) == len(value.value) else None
    elif value is not None and not yamlio.is_null(value):
        groups = None
    if whole or node is None:
        return Origin(kind, id_, display, groups=groups)
    first = node.start_mark.line + 1
    return Origin(kind, id_, display, first, max(_last_line(node), first), groups)


def _last_line(node: Node) -> int:
    """The last line a node's text is on (a collection's own end mark is where the next item
    begins, so its scalars are asked)."""
    if isinstance(node, ScalarNode):
        end = node.end_mark
        return int(end.line) + (0 if end.column == 0 else 1)  # a block scalar ends on a new line
    children = [v for pair in node.value for v in pair] if isinstance(node, MappingNode) \
        else list(node.value)
    return max((_last_line(c) for c in children), default=node.start_mark.line + 1)


def _party_nodes(ld: Loader, path: Path, display: str, kind: str, list_key: str,
                 list_fields: set[str], spec: Record) -> Iterator[tuple[MappingNode, str | None]]:
    """The records of one file: (node, its id) for a one-record file, (node, None) for the
    items of a list file and the rows of a CSV file, whose ids are in them."""
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
    items = field_of(node, list_key)
    if items is None:  # one record (or a file that could not be read as any): named by its stem
        id_ = stem_id(ld, path, node, display) if isinstance(node, MappingNode) else None
        if id_ is not None:
            yield node, id_
            return
        ld.origins.append(Origin(kind, path.stem if ID_RE.fullmatch(path.stem) else None,
                                 display, groups=None))
        if node is None:
            ld.problems.append(Problem(Location(display, 1), "file is empty", code="empty-file"))
        elif node is not INVALID and not isinstance(node, MappingNode):
            ld.problems.append(Problem(yamlio.where(node, display),
                                       "must be a mapping of fields (name: value)",
                                       code="not-a-mapping"))
        return
    if len(node.value) > 1:
        ld.problems.append(Problem(yamlio.where(node, display), (
            f"a list file holds only `{list_key}:`; move other fields into its items"),
            code="list-file-fields"))
    if not isinstance(items, SequenceNode):
        ld.problems.append(Problem(yamlio.where(items, display),
                                   f"{list_key}: must be a list of records", code="not-a-list"))
        return
    for item in items.value:
        if not isinstance(item, MappingNode):
            ld.problems.append(Problem(yamlio.where(item, display),
                                       "each item must be a mapping of fields",
                                       code="not-a-mapping"))
            continue
        yield item, None
