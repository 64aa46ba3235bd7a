"""Safe YAML reading: one document of plain data, no aliases or tags, bounded size and depth.

The result is PyYAML's node tree, not Python values: scalars stay as the text the user wrote,
with their position, so the schema decides types (``country: NO`` stays the string "NO") and
every value can be traced to its line.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

from ..errors import Location, Problem

try:  # the C parser is much faster on large files; both give the same nodes and marks
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

MAX_DEPTH = 32
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
#: whatever `limits.max_file_bytes` says (the workspace writes it), no file is read past this
HARD_MAX_BYTES = 100 * 1024 * 1024

MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode
ScalarNode = yaml.ScalarNode
Node = yaml.Node


class YamlProblem(Exception):
    """A YAML file that cannot be read at all; carries its one problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def read_text(path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a workspace text file: size-limited, UTF-8 (a BOM is dropped), newlines unified."""
    max_bytes = min(max_bytes, HARD_MAX_BYTES)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise YamlProblem(Problem(Location(display), (
                "is not a regular file (a device, a pipe or a folder); remove it")))
        # read no more than the limit allows: a file may be larger than it says (/proc)
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
            size = len(data)
            if size > max_bytes:
                size = max(size, os.fstat(f.fileno()).st_size)
    except OSError as e:
        raise YamlProblem(Problem(Location(display), (
            f"cannot be read ({e.strerror or e}); check the file's permissions"))) from e
    if size > max_bytes:
        raise YamlProblem(Problem(Location(display), (
            f"file is {size:,} bytes, over the limit of {max_bytes:,}; split it, "
            f"or raise `limits.max_file_bytes` in clarion.yaml")))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise YamlProblem(Problem(Location(display, line), (
            "is not valid UTF-8 text; save the file as UTF-8"))) from e
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_node(path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Node | None:
    """Parse one YAML file into its node tree (None for an empty file)."""
    return parse_node(read_text(path, display, max_bytes), display)


def parse_node(text: str, display: str) -> Node | None:
    _scan_events(text, display)
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        raise YamlProblem(_syntax_problem(e, display)) from e
    except yaml.YAMLError as e:
        raise YamlProblem(_other_problem(e, text, display)) from e


def _scan_events(text: str, display: str) -> None:
    """Refuse aliases, explicit tags and deep nesting before anything is built.

    PyYAML's composer recurses once per level and shares aliased nodes (the billion-laughs
    bomb), so both are stopped here, on the flat event stream.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                raise YamlProblem(Problem(Location(display, line), (
                    f"YAML aliases (*{event.anchor}) are not allowed; write the value out")))
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)) and event.tag:
                implicit = event.implicit if isinstance(event, yaml.CollectionStartEvent) \
                    else any(event.implicit)
                if not implicit and event.tag != "!":
                    raise YamlProblem(Problem(Location(display, line), (
                        f"YAML tags ({event.tag}) are not allowed; write plain values")))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlProblem(Problem(Location(display, line), (
                        f"nesting deeper than {MAX_DEPTH} levels; flatten the data")))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as e:
        raise YamlProblem(_syntax_problem(e, display)) from e
    except yaml.YAMLError as e:
        raise YamlProblem(_other_problem(e, text, display)) from e


def _other_problem(e: yaml.YAMLError, text: str, display: str) -> Problem:
    """One line for the errors PyYAML reports without a mark (a control character…)."""
    if isinstance(e, yaml.reader.ReaderError):
        line = text.count("\n", 0, max(e.position, 0)) + 1
        char = e.character if isinstance(e.character, str) else chr(e.character or 0)
        return Problem(Location(display, line), (
            f"contains the control character U+{ord(char):04X}, which YAML does not allow; "
            "remove it"))
    return Problem(Location(display), "YAML error: " + " ".join(str(e).split()))


def _syntax_problem(e: yaml.MarkedYAMLError, display: str) -> Problem:
    mark = e.problem_mark or e.context_mark
    line = mark.line + 1 if mark else 0
    what = e.problem or "syntax error"
    if e.context:
        what = f"{e.context}, {what}"
    return Problem(Location(display, line), f"YAML syntax error: {what}; check the indentation "
                   "and quoting on this line or the one before")


def where(node: Node, display: str) -> Location:
    return Location(display, node.start_mark.line + 1, node.start_mark.column + 1)


def is_plain(node: Node) -> bool:
    """An unquoted scalar (PyYAML says None, libyaml says '')."""
    return isinstance(node, ScalarNode) and not node.style


def is_null(node: Node) -> bool:
    return is_plain(node) and \
        node.value in ("", "~", "null", "Null", "NULL")


def plain_value(node: Node):
    """Python value of a free-form node (under `extra:`): YAML 1.2 core types, no surprises."""
    if isinstance(node, MappingNode):
        return {str(plain_value(k)): plain_value(v) for k, v in node.value}
    if isinstance(node, SequenceNode):
        return [plain_value(v) for v in node.value]
    if not is_plain(node):
        return node.value
    if is_null(node):
        return None
    if node.value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return node.value.lower() == "true"
    try:
        if (node.value.lstrip("-+").isdigit() and not node.value.lstrip("-+").startswith("0")) \
                or node.value in ("0", "-0", "+0"):
            return int(node.value)
    except ValueError:
        pass
    return node.value
