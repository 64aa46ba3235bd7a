"""Every file Clarion reads is opened by clarion.safefile: a scan of the package's code for any
other way to open a file, with the few that are not workspace, build or key files named."""
from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "clarion"
#: the one module that opens files to read them
SAFE_MODULE = "clarion/safefile.py"
#: methods that open or read a file by its path, whatever object they are called on
#: (pathlib's `Path.open`, `read_bytes`, `read_text`; `os.open`, `io.open`, `codecs.open`…)
OPENING_METHODS = frozenset({"open", "read_bytes", "read_text"})
#: functions that open a file by its path when called by their bare name
OPENING_NAMES = frozenset({"open"})
#: Clarion's own modules whose reading functions read through clarion.safefile
#: (`yamlio.read_text` is the workspace's text reader)
SAFE_WRAPPERS = frozenset({"yamlio"})

#: (module, function, call) → why that call may open a file another way. Each is either not a
#: file any workspace, build folder or signing setting names, or a write (new files, made
#: exclusively, never read back through it).
ALLOWED: dict[tuple[str, str, str], str] = {
    # the kernel's own accounting of a process's memory, not a file anyone names
    ("clarion/pipeline/engine.py", "_rss", "open()"): "/proc/<pid>/statm",
    ("clarion/render/sandbox.py", "memory_limit", "open()"): "/proc/self/statm",
    # the package's own message catalogues (clarion/locale), found by Babel's layout
    ("clarion/render/i18n.py", "catalog", ".open()"): "clarion/locale/*.mo",
    # a library's own data file, through importlib.resources
    ("clarion/output/privacy_fold.py", "_skeletons", ".read_text()"):
        "confusable_homoglyphs' confusables.json",
    # writes: the user's sealing key made once (O_CREAT | O_EXCL), read back by safefile
    ("clarion/output/files.py", "manifest_key", "os.open()"): "creates the sealing key",
    # writes: the send log's lock file, created and locked, never read
    ("clarion/delivery/log.py", "locked", "os.open()"): "creates the lock file",
    # writes: `clarion new` makes a new file, every folder opened without following a link
    ("clarion/cli/newfile.py", "_folder", "os.open()"): "opens a folder to write into",
    ("clarion/cli/newfile.py", "create_file", "os.open()"): "creates the new file",
    # writes: `clarion keys new` makes a new key file (O_CREAT | O_EXCL)
    ("clarion/cli/signing.py", "keys_new", "os.open()"): "creates the new key file",
}


@dataclass(frozen=True, order=True)
class Opening:
    """A call that opens or reads a file by its path: where, in which function, what call."""

    path: str
    line: int
    function: str
    call: str

    def key(self) -> tuple[str, str, str]:
        return self.path, self.function, self.call

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.function}() calls {self.call}"


def _call(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Name) and func.id in OPENING_NAMES:
        return f"{func.id}()"
    if isinstance(func, ast.Attribute) and func.attr in OPENING_METHODS:
        if isinstance(func.value, ast.Name) and func.value.id in SAFE_WRAPPERS:
            return None
        if isinstance(func.value, ast.Name) and func.value.id in ("os", "io", "codecs"):
            return f"{func.value.id}.{func.attr}()"
        return f".{func.attr}()"
    return None


def _openings(tree: ast.AST, rel: str) -> Iterator[Opening]:
    """Each opening call in a module, with the innermost function around it."""
    def visit(node: ast.AST, function: str) -> Iterator[Opening]:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                else function
            if isinstance(child, ast.Call):
                call = _call(child)
                if call is not None:
                    yield Opening(rel, child.lineno, function, call)
            yield from visit(child, inner)
    yield from visit(tree, "<module>")


def openings(package: Path) -> list[Opening]:
    """Every call in the package that opens a file another way than clarion.safefile."""
    found = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).as_posix()
        if rel == SAFE_MODULE:
            continue
        found += _openings(ast.parse(path.read_text("utf-8")), rel)
    return sorted(found)


def test_every_file_is_opened_by_the_safe_module():
    """A workspace, build or key file read another way (a plain open(), Path.read_bytes(),
    os.open()…) could follow a link, hang on a pipe or read 6 GB: read it with
    clarion.safefile (read_file, read_path, read_json) instead."""
    stray = [str(o) for o in openings(PACKAGE) if o.key() not in ALLOWED]
    assert not stray, ("open files only through clarion.safefile:\n" + "\n".join(stray))


def test_the_allow_list_names_only_calls_that_exist():
    """An entry whose call is gone is removed, so the list stays the true list."""
    seen = {o.key() for o in openings(PACKAGE)}
    assert not [k for k in ALLOWED if k not in seen]


def test_the_scan_finds_each_way_of_opening_a_file(tmp_path):
    """The scan on a planted package: each way of opening a file is reported (a method of
    that name on any object: no guessing of types), safefile itself is not."""
    package = tmp_path / "clarion"
    (package / "output").mkdir(parents=True)
    (package / "safefile.py").write_text("def read(p):\n    return open(p).read()\n")
    (package / "output" / "a.py").write_text(textwrap.dedent("""\
        import io, os
        from pathlib import Path

        def one(p):
            with open(p, "rb") as f:
                return f.read()

        def two(p):
            return Path(p).read_bytes() + p.read_text().encode()

        def three(p):
            return os.open(p, os.O_RDONLY), io.open(p), Path(p).open("rb")

        class Reader:
            def four(self, p):
                return [open(x) for x in p]
        """))
    found = sorted((o.function, o.call) for o in openings(package))
    assert found == sorted([("one", "open()"), ("two", ".read_bytes()"),
                            ("two", ".read_text()"), ("three", "os.open()"),
                            ("three", "io.open()"), ("three", ".open()"), ("four", "open()")])
