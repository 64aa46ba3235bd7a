"""The package's layout is its pipeline: the import and write rules, read from the code."""
from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "clarion"

#: the stages in pipeline order, one tier per entry; a module may import its own stage and the
#: stages of earlier tiers. Stages of one tier stand side by side: neither imports the other.
#: preview/ shows what review/ finds (lint) beside what pipeline/ makes: it comes after both.
TIERS: list[tuple[str, ...]] = [("workspace",), ("render",), ("output",), ("pipeline",),
                                ("review", "delivery"), ("preview",), ("cli",)]
#: top-level modules every stage shares; they import nothing of Clarion's but each other
SHARED = frozenset({"errors", "resources", "limits", "formats", "kinds", "safefile"})
#: the lazy public API and `python -m clarion`: they may name any stage
EXEMPT = frozenset({"__init__", "__main__"})
#: what output/ may import: it takes HTML and bytes, never the workspace's model
OUTPUT_MAY_IMPORT = frozenset({"errors", "limits", "formats", "resources", "safefile",
                               "output"})
MAX_LINES = 400

#: names of functions (or modules) that change files, in output/ or pipeline/
WRITER_NAME = re.compile(r"write|remove|clean|prune|delete|unlink", re.I)
#: stages that read and never write: review/ (lint, listings) and preview/ (the browser's view)
READ_ONLY = ("review", "preview")
#: modules a read-only stage must not import whole: the writer to build/, the build that writes
WRITER_MODULES = frozenset({"output.files", "pipeline.build"})
#: calls that change the file system, by dotted name (after resolving `import … as …`)
WRITING_CALLS = frozenset({
    "os.replace", "os.remove", "os.unlink", "os.rename", "os.renames", "os.rmdir",
    "os.removedirs", "os.mkdir", "os.makedirs", "os.link", "os.symlink", "os.truncate",
    "os.write", "os.mkfifo", "shutil.rmtree", "shutil.move", "shutil.copy", "shutil.copy2",
    "shutil.copyfile", "shutil.copytree", "tempfile.mkstemp", "tempfile.mkdtemp",
    "tempfile.NamedTemporaryFile", "tempfile.TemporaryFile", "tempfile.TemporaryDirectory"})
#: methods that change the file system whatever they are called on (pathlib's)
WRITING_METHODS = frozenset({"write_bytes", "write_text", "unlink", "mkdir", "rmdir", "touch",
                             "symlink_to", "hardlink_to", "rename"})
#: calls that open a file, and where their mode is: (position, keyword)
OPENS = {"open": (1, "mode"), "io.open": (1, "mode"), "os.fdopen": (1, "mode"),
         "codecs.open": (1, "mode")}
WRITE_FLAGS = re.compile(r"O_(WRONLY|RDWR|CREAT|TRUNC|APPEND)")


@dataclass(frozen=True, order=True)
class Violation:
    path: str
    line: int
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.detail}"


@dataclass(frozen=True)
class Import:
    """One import: the module reached (`clarion.output.files`), the name taken from it (None
    when the module itself is imported), and the line."""

    module: str
    name: str | None
    line: int


def _modules(package: Path) -> list[Path]:
    return sorted(package.rglob("*.py"))


def _dotted(package: Path, path: Path) -> str:
    return ".".join(path.relative_to(package.parent).with_suffix("").parts)


def _is_module(package: Path, dotted: str) -> bool:
    rel = Path(*dotted.split(".")[1:]) if "." in dotted else Path()
    base = package.joinpath(rel)
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports(package: Path, path: Path) -> Iterator[Import]:
    """Every import of the package's own modules in one module, anywhere in it (inside
    functions and `if TYPE_CHECKING:` too: a dependency is a dependency)."""
    root = package.name
    module = _dotted(package, path)
    here = module.split(".")[:-1]  # the package a relative import starts from
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == root or alias.name.startswith(root + "."):
                    yield Import(alias.name, None, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(here[:len(here) - node.level + 1] +
                                ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base != root and not base.startswith(root + "."):
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if _is_module(package, sub):
                    yield Import(sub, None, node.lineno)
                else:
                    yield Import(base, alias.name, node.lineno)


def _dynamic_imports(path: Path) -> Iterator[int]:
    """Lines that import a module by name at run time (`importlib.import_module`)."""
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else \
            func.id if isinstance(func, ast.Name) else ""
        if name in ("import_module", "__import__"):
            yield node.lineno


def _part(dotted: str) -> str:
    """The top-level part of the package a dotted name is in: `output`, `errors`, or '' for
    the package itself."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else ""


def _allowed(stage: str) -> frozenset[str] | None:
    """The parts a module of `stage` may import, or None if `stage` is not a stage."""
    for number, tier in enumerate(TIERS):
        if stage in tier:
            earlier = {s for t in TIERS[:number] for s in t}
            return frozenset(earlier | {stage} | SHARED)
    if stage in SHARED:
        return SHARED
    return None


def _rel(package: Path, path: Path) -> str:
    return path.relative_to(package.parent).as_posix()


def stage_violations(package: Path) -> list[Violation]:
    """A stage imports a later stage, or one beside it; a shared module imports a stage; a
    module sits in no stage, imports by name at run time, or takes a name from the package's
    lazy public API."""
    found = []
    for path in _modules(package):
        rel = path.relative_to(package)
        own = rel.parts[0].removesuffix(".py")
        if len(rel.parts) == 1 and own in EXEMPT:
            continue
        allowed = _allowed(own)
        if allowed is None:
            found.append(Violation(_rel(package, path), 1, "no-stage", (
                f"`{own}` is in no stage; place it in TIERS or SHARED")))
            continue
        for line in _dynamic_imports(path):
            found.append(Violation(_rel(package, path), line, "dynamic-import", (
                "imports by name at run time, which hides the dependency from these rules; "
                "use an import statement")))
        for imp in imports(package, path):
            target = _part(imp.module)
            if target == "":
                if imp.name == "__version__":
                    continue
                found.append(Violation(_rel(package, path), imp.line, "public-api", (
                    f"imports `{imp.name}` from the package's lazy public API; import it from "
                    "the module that defines it")))
            elif target not in allowed:
                found.append(Violation(_rel(package, path), imp.line, "later-stage", (
                    f"{own} imports {imp.module}: {own} may import only "
                    f"{', '.join(sorted(allowed))}")))
    return found


def output_violations(package: Path) -> list[Violation]:
    """output/ takes HTML, not the model: it imports only errors, limits, formats, resources
    and itself."""
    found = []
    for path in _modules(package / "output"):
        wrong: dict[tuple[int, str], list[str]] = {}
        for imp in imports(package, path):
            if _part(imp.module) not in OUTPUT_MAY_IMPORT:
                names = wrong.setdefault((imp.line, imp.module), [])
                names += [imp.name] if imp.name else []
        for (line, module), names in wrong.items():
            found.append(Violation(_rel(package, path), line, "output-takes-html", (
                f"imports {module}{' (' + ', '.join(names) + ')' if names else ''}; output/ "
                f"may import only {', '.join(sorted(OUTPUT_MAY_IMPORT))}")))
    return found


def _writer(imp: Import) -> bool:
    """Whether an import brings a writer: output.files (any name of it), pipeline.build whole or
    its build(), or anything of output/ or pipeline/ named like a writer."""
    inner = imp.module.partition(".")[2]
    if inner.split(".")[0] not in ("output", "pipeline"):
        return False
    if inner == "output.files":
        return True
    if inner in WRITER_MODULES and imp.name in (None, "build"):
        return True
    return bool(WRITER_NAME.search(inner.rsplit(".", 1)[-1]) or
                (imp.name and WRITER_NAME.search(imp.name)))


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local name → dotted name, from `import os as o` and `from os import replace`."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                names[a.asname or a.name.split(".")[0]] = a.name if a.asname else \
                    a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                names[a.asname or a.name] = f"{node.module}.{a.name}"
    return names


def _call_name(func: ast.expr, aliases: dict[str, str]) -> str | None:
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    parts.append(aliases.get(func.id, func.id))
    return ".".join(reversed(parts))


def _mode_writes(call: ast.Call, position: int, keyword: str) -> bool:
    """Whether an open() call may write: its mode has w, a, x or +, or is not a constant."""
    mode: ast.expr | None = call.args[position] if len(call.args) > position else None
    for kw in call.keywords:
        if kw.arg == keyword:
            mode = kw.value
    if mode is None:
        return False
    if not (isinstance(mode, ast.Constant) and isinstance(mode.value, str)):
        return True
    return bool(set(mode.value) & set("wax+"))


def _writing_call(call: ast.Call, aliases: dict[str, str]) -> str | None:
    """What a call does to the file system, if it changes it."""
    name = _call_name(call.func, aliases)
    if name in WRITING_CALLS:
        return f"{name}()"
    if name in OPENS and _mode_writes(call, *OPENS[name]):
        return f"{name}() with a write mode"
    if name == "os.open" and len(call.args) > 1 and WRITE_FLAGS.search(ast.unparse(call.args[1])):
        return "os.open() with write flags"
    if isinstance(call.func, ast.Attribute):
        method = call.func.attr
        if method in WRITING_METHODS:
            return f".{method}()"
        if method == "open" and name not in OPENS and _mode_writes(call, 0, "mode"):
            return ".open() with a write mode"
    return None


def review_violations(package: Path) -> list[Violation]:
    """review/ and preview/ read, never write: they import no writer and make no call that
    changes a file."""
    found = []
    for stage in READ_ONLY:
        rule = f"{stage}-never-writes"
        for path in _modules(package / stage):
            rel = _rel(package, path)
            for imp in imports(package, path):
                if _writer(imp):
                    what = imp.module + (f".{imp.name}" if imp.name else "")
                    found.append(Violation(rel, imp.line, rule, f"imports the writer {what}"))
            tree = ast.parse(path.read_text("utf-8"))
            aliases = _aliases(tree)
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    what = _writing_call(node, aliases)
                    if what:
                        found.append(Violation(rel, node.lineno, rule, f"calls {what}"))
    return found


def size_violations(package: Path) -> list[Violation]:
    """Modules over MAX_LINES lines."""
    found = []
    for path in _modules(package):
        lines = len(path.read_text("utf-8").splitlines())
        if lines > MAX_LINES:
            found.append(Violation(_rel(package, path), lines, "too-long",
                                   f"{lines} lines, over {MAX_LINES}"))
    return found


def check(package: Path) -> list[Violation]:
    """Every rule's violations in the package at `package` (a folder named like the package)."""
    return sorted(stage_violations(package) + output_violations(package) +
                  review_violations(package) + size_violations(package))


def _report(found: list[Violation]) -> str:
    return f"{len(found)} violation(s):\n" + "\n".join(map(str, found))


# --- the rules, on Clarion itself ---------------------------------------------------------

def test_no_stage_imports_a_later_one():
    found = stage_violations(PACKAGE)
    assert not found, _report(found)


def test_output_takes_html_not_the_model():
    found = output_violations(PACKAGE)
    assert not found, _report(found)


def test_review_and_preview_read_never_write():
    found = review_violations(PACKAGE)
    assert not found, _report(found)


def test_no_module_over_400_lines():
    found = size_violations(PACKAGE)
    assert not found, _report(found)


def test_every_module_is_seen():
    """The rules look at every module: each stage's folder is found and read."""
    seen = {path.relative_to(PACKAGE).parts[0].removesuffix(".py") for path in _modules(PACKAGE)}
    assert {s for tier in TIERS for s in tier} <= seen
    assert {"errors", "resources"} <= seen


# --- the checker, on a package with one planted violation of each rule --------------------

CLEAN = {
    "__init__.py": ("import importlib\nfrom .pipeline import build\nfrom . import cli\n"
                    "importlib.import_module('clarion.cli')\n"),
    "__main__.py": "from .cli import main\n",
    "errors.py": "class ClarionError(Exception):\n    pass\n",
    "limits.py": "from .errors import ClarionError\n",
    "workspace/__init__.py": "",
    "workspace/model.py": "from ..errors import ClarionError\nfrom .. import __version__\n",
    "render/__init__.py": "",
    "render/document.py": "from ..workspace.model import Workspace\nfrom . import views\n",
    "render/views.py": "import clarion.workspace.model\n",
    "output/__init__.py": "",
    "output/files.py": ("import os\nfrom ..limits import MAX\n\ndef write_atomic(p, d):\n"
                        "    os.replace(p, d)\n"),
    "output/pdf.py": "from . import files\nfrom ..resources import X\n",
    "pipeline/__init__.py": "",
    "pipeline/build.py": ("from ..output.files import write_atomic\n"
                          "from ..render.document import render\n"),
    "review/__init__.py": "",
    "review/lint.py": ("from ..pipeline.build import BuildOptions\nfrom ..output import pdf\n"
                       "def read(p):\n    with open(p, 'rb') as f:\n        return f.read()\n"
                       "def text(p):\n    return p.read_text().replace('a', 'b')\n"),
    "delivery/__init__.py": "",
    "delivery/send.py": "from ..pipeline.build import build\nfrom ..output.files import x\n",
    "preview/__init__.py": "",
    "preview/app.py": "from ..pipeline.build import make_one\nfrom ..review.lint import read\n",
    "cli/__init__.py": ("from ..review import lint\nfrom ..delivery import send\n"
                        "from ..preview import app\n"),
}

PLANTED = {
    "limits.py": ("from .workspace import model\n", "later-stage"),
    "workspace/model.py": ("from ..render.document import render\n", "later-stage"),
    "render/views.py": ("import clarion.cli\n", "later-stage"),
    "pipeline/build.py": ("from .. import build\n", "public-api"),
    "output/pdf.py": ("from ..workspace.model import Workspace\n", "output-takes-html"),
    "output/email.py": ("def f():\n    from ..render import document\n", "output-takes-html"),
    "review/alerts.py": ("from ..delivery.send import send\n", "later-stage"),
    "delivery/log.py": ("from ..review.lint import read\n", "later-stage"),
    "review/a.py": ("from ..output.files import safe_join\n", "review-never-writes"),
    "review/b.py": ("from ..output import files\n", "review-never-writes"),
    "review/c.py": ("from ..pipeline.build import build\n", "review-never-writes"),
    "review/d.py": ("from ..pipeline import build\n", "review-never-writes"),
    "review/e.py": ("from ..pipeline.build import clean\n", "review-never-writes"),
    "review/f.py": ("from ..output.pdf import write_pdf\n", "review-never-writes"),
    "review/g.py": ("def f(p):\n    open(p, 'w').close()\n", "review-never-writes"),
    "review/h.py": ("def f(p, m):\n    open(p, mode=m)\n", "review-never-writes"),
    "review/i.py": ("def f(p):\n    p.write_bytes(b'')\n", "review-never-writes"),
    "review/j.py": ("def f(p):\n    p.write_text('')\n", "review-never-writes"),
    "review/k.py": ("import os as o\ndef f(p):\n    o.replace(p, p)\n", "review-never-writes"),
    "review/l.py": ("from os import remove\ndef f(p):\n    remove(p)\n", "review-never-writes"),
    "review/m.py": ("def f(p):\n    p.unlink()\n", "review-never-writes"),
    "review/n.py": ("def f(p):\n    p.parent.mkdir(parents=True)\n", "review-never-writes"),
    "review/o.py": ("def f(p):\n    with p.open('a') as f:\n        pass\n",
                    "review-never-writes"),
    "review/p.py": ("import os\ndef f(p):\n    os.open(p, os.O_WRONLY | os.O_CREAT)\n",
                    "review-never-writes"),
    "review/q.py": ("import os\ndef f(p):\n    os.makedirs(p)\n", "review-never-writes"),
    "review/r.py": ("from ..preview.app import make_one\n", "later-stage"),
    "delivery/status.py": ("from ..preview import app\n", "later-stage"),
    "preview/state.py": ("from ..cli import main\n", "later-stage"),
    "preview/a.py": ("from ..output.files import write_output\n", "preview-never-writes"),
    "preview/b.py": ("from ..pipeline.build import build\n", "preview-never-writes"),
    "preview/c.py": ("def f(p):\n    p.write_bytes(b'')\n", "preview-never-writes"),
    "render/lazy.py": ("import importlib\nimportlib.import_module('clarion.cli')\n",
                       "dynamic-import"),
    "extra.py": ("", "no-stage"),
    "render/big.py": ("x = 1\n" * (MAX_LINES + 1), "too-long"),
}


def _write_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "clarion"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), "utf-8")
    return package


def test_the_checker_passes_a_clean_package(tmp_path):
    """The fake package below obeys every rule: the checker must find nothing in it (so a
    finding in a planted copy comes from the plant)."""
    package = _write_package(tmp_path, CLEAN)
    assert check(package) == []


def test_the_checker_reports_each_planted_violation(tmp_path):
    """One file of the clean package gains one violation of one rule at a time; the checker
    reports exactly that file under that rule, and nothing else."""
    missed = []
    for name, (text, rule) in PLANTED.items():
        files = dict(CLEAN)
        files[name] = files.get(name, "") + text
        package = _write_package(tmp_path / name.replace("/", "-"), files)
        found = check(package)
        expected = f"clarion/{name}"
        if not any(v.path == expected and v.rule == rule for v in found) or \
                any(v.path != expected for v in found):
            missed.append(f"{name} ({rule}): {[str(v) for v in found]}")
    assert not missed, "\n".join(missed)


def test_the_checker_reads_relative_and_absolute_imports_alike(tmp_path):
    package = _write_package(tmp_path, {**CLEAN, "workspace/a.py": "import clarion.render\n",
                                        "workspace/b.py": "from clarion.render import x\n",
                                        "workspace/sub/__init__.py": "",
                                        "workspace/sub/c.py": "from ...render import x\n"})
    assert sorted(v.path for v in check(package)) == [
        "clarion/workspace/a.py", "clarion/workspace/b.py", "clarion/workspace/sub/c.py"]
