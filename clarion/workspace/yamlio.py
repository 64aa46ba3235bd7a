"""Safe YAML reading: one document of plain data, no aliases or tags, bounded size and depth.

The result is PyYAML's node tree, not Python values: scalars stay as the text the user wrote,
with their position, so the schema decides types (``country: NO`` stays the string "NO") and
every value can be traced to its line.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, Problem
from ..limits import DEFAULTS, HARD_MAX_BYTES, MAX_YAML_DEPTH
from ..safefile import FileRefused as FileRefused
from ..safefile import FileUnreadable as FileUnreadable
from ..safefile import read_file

_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]
try:  # the C parser is much faster on large files; both give the same nodes and marks
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

_SURROGATE = re.compile("[\ud800-\udfff]")

MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode
ScalarNode = yaml.ScalarNode
Node = yaml.Node


class YamlProblem(Exception):
    """A YAML file that cannot be read at all; carries its one problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def read_workspace_file(root: Path, rel: str | Path, max_bytes: int,
                        links: bool = False, own: bool = False) -> bytes:
    """The bytes of the workspace file `root/rel` (clarion.safefile.read_file: no link at any
    step unless `links`, one open handle, a regular file with a single link, at most
    `max_bytes`). `own`: a file of Clarion itself or of the user, read where its links lead.
    Raises FileRefused or FileUnreadable (OSErrors and ClarionErrors, one line each)."""
    return read_file(root, rel, max_bytes, links=links, own=own)


def _refusal(e: OSError) -> str:
    """What to tell the user about a workspace file that was not read."""
    if isinstance(e, FileRefused):
        if e.kind == "link":
            return (f"{e.why}; copy the file in instead (or run `clarion --allow-links` to "
                    "allow links that stay inside the workspace)")
        if e.kind == "too-big":
            return f"{e.why}; split it, or raise `limits.max_file_bytes` in clarion.yaml"
        return f"{e.why}; {e.hint}"
    if isinstance(e, FileUnreadable):
        return f"{e.why}; {e.hint}"
    return f"cannot be read ({e.strerror or e}); check the file's permissions"


def read_text(path: Path, display: str, max_bytes: int = DEFAULTS.max_file_bytes,
              root: Path | None = None, links: bool = False, own: bool = False) -> str:
    """Read a workspace text file: size-limited, UTF-8 (a BOM is dropped), newlines unified.

    `root` is the workspace (`path` must lie in it; every step below it is opened without
    following links); without it, only `path`'s last step is.
    """
    max_bytes = min(max_bytes, HARD_MAX_BYTES)
    base = Path(root) if root is not None else path.parent
    try:
        data = read_workspace_file(base, path.relative_to(base), max_bytes, links, own)
    except (OSError, ValueError) as e:
        why = _refusal(e) if isinstance(e, OSError) else "is not inside the workspace"
        code = "file-refused" if isinstance(e, (FileRefused, ValueError)) else "file-unreadable"
        raise YamlProblem(Problem(Location(display), why, code=code)) from e
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise YamlProblem(Problem(Location(display, line), (
            "is not valid UTF-8 text; save the file as UTF-8"), code="not-utf8")) from e
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_node(path: Path, display: str, max_bytes: int = DEFAULTS.max_file_bytes,
              root: Path | None = None, links: bool = False,
              own: bool = False) -> Node | None:
    """Parse one YAML file into its node tree (None for an empty file)."""
    return parse_node(read_text(path, display, max_bytes, root, links, own), display)


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
            # the parser marks every event; 0 (no line) only if a future one did not
            line = event.start_mark.line + 1 if event.start_mark is not None else 0
            if isinstance(event, yaml.AliasEvent):
                raise YamlProblem(Problem(Location(display, line), (
                    f"YAML aliases (*{event.anchor}) are not allowed; write the value out"),
                    code="yaml-alias"))
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)) and event.tag:
                implicit = event.implicit if isinstance(event, yaml.CollectionStartEvent) \
                    else any(event.implicit)
                if not implicit and event.tag != "!":
                    raise YamlProblem(Problem(Location(display, line), (
                        f"YAML tags ({event.tag}) are not allowed; write plain values"),
                        code="yaml-tag"))
            if isinstance(event, yaml.ScalarEvent) and _SURROGATE.search(event.value):
                raise YamlProblem(Problem(Location(display, line), (
                    "contains an escaped lone surrogate (\\ud800-\\udfff), which is not a "
                    "character; remove it"), code="yaml-surrogate"))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise YamlProblem(Problem(Location(display, line), (
                        f"nesting deeper than {MAX_YAML_DEPTH} levels; flatten the data"),
                        code="yaml-depth"))
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
            "remove it"), code="yaml-control-character")
    return Problem(Location(display), "YAML error: " + " ".join(str(e).split()),
                   code="yaml-syntax")


def _syntax_problem(e: yaml.MarkedYAMLError, display: str) -> Problem:
    mark = e.problem_mark or e.context_mark
    line = mark.line + 1 if mark else 0
    what = e.problem or "syntax error"
    if e.context:
        what = f"{e.context}, {what}"
    return Problem(Location(display, line), f"YAML syntax error: {what}; check the indentation "
                   "and quoting on this line or the one before", code="yaml-syntax")


def where(node: Node, display: str) -> Location:
    return Location(display, node.start_mark.line + 1, node.start_mark.column + 1)


def is_plain(node: Node) -> bool:
    """An unquoted scalar (PyYAML says None, libyaml says '')."""
    return isinstance(node, ScalarNode) and not node.style


def is_null(node: Node) -> bool:
    return is_plain(node) and \
        node.value in ("", "~", "null", "Null", "NULL")


def plain_value(node: Node) -> Any:
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
