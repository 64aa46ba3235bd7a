"""Whether the locks (requirements/lock.txt, minimum.txt) pin everything pyproject.toml asks
for, inside its ranges.

Covers the test extra and the build backend, which `pip check` does not see: a dependency
added to pyproject.toml or a range narrowed there needs `scripts/lock` in the same commit.
"""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCKS = [ROOT / "requirements" / "lock.txt", ROOT / "requirements" / "minimum.txt"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.M)


def declared() -> list[Requirement]:
    """Every requirement pyproject.toml names: dependencies, every extra, the build backend."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    project = data["project"]
    texts = [*project.get("dependencies", []), *data["build-system"]["requires"]]
    for extra in project.get("optional-dependencies", {}).values():
        texts += extra
    return [Requirement(text) for text in texts]


def problems(lock: Path, requirements: list[Requirement]) -> list[str]:
    pins = {canonicalize_name(name): version
            for name, version in PIN.findall(lock.read_text("utf-8"))}
    found = []
    for req in requirements:
        if req.marker is not None and not req.marker.evaluate({"extra": "test"}):
            continue
        version = pins.get(canonicalize_name(req.name))
        if version is None:
            found.append(f"{req.name} is not in the lock")
        elif not req.specifier.contains(version, prereleases=True):
            found.append(f"{req.name}=={version} in the lock is outside {req}")
    return found


def main() -> int:
    requirements = declared()
    found = [f"requirements/{lock.name}: {problem}"
             for lock in LOCKS for problem in problems(lock, requirements)]
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print("run scripts/lock (see CONTRIBUTING.md, 'Dependencies')", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
