"""Safe YAML reading: one document of plain data, no aliases or tags, bounded size and depth.

The result is PyYAML's node tree, not Python values: scalars stay as the text the user wrote,
with their position, so the schema decides types (``country: NO`` stays the string "NO") and
every value can be traced to its line.
"""
from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, Problem
from ..limits import DEFAULTS, HARD_MAX_BYTES, MAX_YAML_DEPTH

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


class FileRefused(OSError):
    """A workspace file that is not read: a link, a hard link, not a regular file, too big."""


_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | \
    getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | \
    getattr(os, "O_CLOEXEC", 0)


def _open_nofollow(base: Path, parts: tuple[str, ...]) -> int:
    """Open base/parts… with no symbolic link at any step (each step opened from the last)."""
    fd = os.open(base, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        for part in parts[:-1]:
            try:
                step = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError as e:
                if e.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise FileRefused(f"{part}/ is a symbolic link or not a folder") from e
                raise
            os.close(fd)
            fd = step
        try:
            return os.open(parts[-1], _FLAGS, dir_fd=fd)
        except OSError as e:
            if e.errno == errno.ELOOP:
                raise FileRefused("is a symbolic link") from e
            raise
    finally:
        os.close(fd)


def _real_path(fd: int, fallback: Path) -> Path:
    try:
        return Path(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        return fallback.resolve()


def read_workspace_file(root: Path, rel: str | Path, max_bytes: int,
                        links: bool = False, own: bool = False) -> bytes:
    """The bytes of `root/rel`, read once from one open handle, which must be a regular file
    with a single link (no hard link to a file elsewhere), at most `max_bytes` long.

    No step of the path may be a symbolic link, unless `links` (the run's
    `LoadOptions.allow_links`, `clarion --allow-links`); then the file reached must lie inside
    `root`. `own`: a file of Clarion itself (its built-in templates and rules), read as the
    installer laid it out (installers may hard-link or link files). Raises FileRefused (an
    OSError) with what is wrong, or the OSError of the open.
    """
    root = Path(root)
    rel = Path(rel)
    parts = rel.parts
    if rel.is_absolute() or not parts or ".." in parts:
        raise FileRefused("is not a path inside the workspace")
    if own:
        fd = os.open(root / rel, _FLAGS & ~getattr(os, "O_NOFOLLOW", 0))
    elif links:
        fd = os.open(root / rel, _FLAGS & ~getattr(os, "O_NOFOLLOW", 0))
        if not _real_path(fd, root / rel).is_relative_to(root.resolve()):
            os.close(fd)
            raise FileRefused("is a link to a file outside the workspace")
    else:
        fd = _open_nofollow(root, parts)
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused("is not a regular file (a device, a pipe or a folder)")
        if info.st_nlink != 1 and not own:
            raise FileRefused(f"has {info.st_nlink} hard links: it may be another file of the "
                              "workspace or of the machine")
        if info.st_size > max_bytes:
            raise FileRefused(f"file is {info.st_size:,} bytes, over the limit of {max_bytes:,}")
        # read no more than the limit allows: a file may be larger than it says
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileRefused(f"file is over the limit of {max_bytes:,} bytes")
    return data


def _refusal(e: OSError) -> str:
    """What to tell the user about a file that was not read."""
    if isinstance(e, FileRefused):
        why = str(e)
        if "symbolic link" in why and "outside" not in why:
            return (f"{why}; copy the file in instead (or run `clarion --allow-links` to "
                    "allow links that stay inside the workspace)")
        if "hard links" in why:
            return f"{why}; copy the file in instead of linking it"
        if "over the limit" in why:
            return f"{why}; split it, or raise `limits.max_file_bytes` in clarion.yaml"
        if "outside" in why:
            return f"{why}; copy the file in instead"
        return f"{why}; remove it"
    if e.errno == errno.ENAMETOOLONG:
        return "path too long (folders nested too deeply); flatten the folders"
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
