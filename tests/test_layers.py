"""The package's layout is its pipeline: no stage imports a later one."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "clarion"
#: stages in pipeline order; a module may import its own stage and earlier ones only.
#: Top-level modules (build, check, engine, cli, …) orchestrate and may import any stage.
ORDER = ["workspace", "render", "output", "pipeline"]
#: shared by every stage; they import no stage (limits, formats and kinds: the registries)
LOWER = {"errors", "resources", "limits", "formats", "kinds"}


def _imports(path: Path) -> set[str]:
    """Dotted names (inside clarion) that a module imports, anywhere in it."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            names = [name] + [f"{name}.{a.name}" for a in node.names]
            found.update(n for n in names if n.startswith("clarion"))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("clarion"))
    return found


def _stage(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_stage_imports_a_later_one(path):
    own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    if own in LOWER:
        allowed: set[str] = set(LOWER)
    elif own in ORDER:
        allowed = set(ORDER[: ORDER.index(own) + 1]) | LOWER
    else:
        return  # an orchestrator
    bad = sorted(n for n in _imports(path)
                 if _stage(n) and _stage(n) not in allowed and _stage(n) != "__version__")
    assert not bad, f"{path.relative_to(PACKAGE)} imports a later stage: {bad}"


def test_the_check_sees_a_violation(tmp_path):
    """The test above must be able to fail: a workspace module importing the renderer."""
    fake = PACKAGE / "workspace" / "model.py"
    tree = _imports(fake) | {"clarion.render.document"}
    assert any(_stage(n) == "render" for n in tree)
