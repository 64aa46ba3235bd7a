"""The files of a workspace's folders, and the symbolic links among them that are not read."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import ClarionError, Location, Problem
from ..limits import MAX_FOLDER_DEPTH

YAML_SUFFIXES = (".yaml", ".yml")
#: the file that makes a folder a workspace
SETTINGS_FILE = "clarion.yaml"
#: the folders of a workspace; none of them may itself be a link
FOLDERS = ("cases", "recipients", "signatories", "campaigns", "templates", "assets", "build")


def require_workspace(root: Path) -> None:
    """Raise ClarionError when `root` is a folder without clarion.yaml: a command run in the
    wrong folder says so instead of building nothing. (A missing folder, or a clarion.yaml
    that is a link, is reported by the loader.)"""
    path = Path(root) / SETTINGS_FILE
    if Path(root).is_dir() and not path.is_file() and not path.is_symlink():
        raise ClarionError(f"{Path(root).absolute()}: not a Clarion workspace (there is no "
                           f"{SETTINGS_FILE}); run `clarion init` to make one here, or name "
                           "the workspace folder with `clarion -w FOLDER`")


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


def workspace_files(folder: Path, max_depth: int = MAX_FOLDER_DEPTH) -> list[Path]:
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


def refused_links(root: Path, links: bool) -> tuple[list[Problem], set[Path]]:
    """Workspace folders that are links, and workspace files that are symbolic links (to
    anywhere, unless `links`; to outside the workspace, always): the problems, and the files
    that must not be read."""
    problems: list[Problem] = []
    refused: set[Path] = set()
    for folder in FOLDERS:
        if (root / folder).is_symlink():
            problems.append(Problem(Location(folder + "/"), (
                "is a link; make it a real folder inside the workspace"), code="folder-link"))
    candidates = [root / "clarion.yaml"]
    for folder in ("cases", "recipients", "signatories", "campaigns"):
        candidates += [p for p in files(root / folder, (*YAML_SUFFIXES, ".csv", ".md"))
                       if p.is_symlink()]
    templates = root / "templates"
    if templates.is_dir() and not templates.is_symlink():
        candidates += sorted(Path(e.path) for e in _walk(templates, MAX_FOLDER_DEPTH)
                             if e.is_symlink())
    real_root = root.resolve()
    for path in candidates:
        if not path.is_symlink():
            continue
        problem = _link_problem(root, path, real_root, links)
        if problem is not None:
            problems.append(problem)
            refused.add(path)
    return problems, refused


def _link_problem(root: Path, path: Path, real_root: Path, links: bool) -> Problem | None:
    """Why the symbolic link `path` is not read, or None when it may be followed."""
    try:
        shown = path.relative_to(root).as_posix()  # the link's own name, not where it leads
    except ValueError:
        shown = str(path)
    try:
        inside = path.resolve(strict=True).is_relative_to(real_root)
    except (OSError, RuntimeError, ValueError):
        return Problem(Location(shown), (
            "is a symbolic link that leads nowhere (missing, or a loop of links); remove it"),
            code="link-broken")
    if not inside:
        return Problem(Location(shown), (
            "is a link to a file outside the workspace; copy the file in instead"),
            code="link-outside")
    if links:
        return None
    return Problem(Location(shown), (
        "is a symbolic link; copy the file in instead (or run `clarion --allow-links` to allow "
        "links that stay inside the workspace)"), code="link-refused")
