"""Whether requirements/lock.txt pins everything pyproject.toml asks for, inside its ranges.

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
LOCK = ROOT / "requirements" / "lock.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.M)


def declared() -> list[Requirement]:
    """Every requirement pyproject.toml names: dependencies, every extra, the build backend."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    project = data["project"]
    texts = [*project.get("dependencies", []), *data["build-system"]["requires"]]
    for extra in project.get("optional-dependencies", {}).values():
        texts += extra
    return [Requirement(text) for text in texts]


def problems() -> list[str]:
    pins = {canonicalize_name(name): version
            for name, version in PIN.findall(LOCK.read_text("utf-8"))}
    found = []
    for req in declared():
        if req.marker is not None and not req.marker.evaluate({"extra": "test"}):
            continue
        version = pins.get(canonicalize_name(req.name))
        if version is None:
            found.append(f"{req.name} is not in the lock")
        elif not req.specifier.contains(version, prereleases=True):
            found.append(f"{req.name}=={version} in the lock is outside {req}")
    return found


def main() -> int:
    found = problems()
    for problem in found:
        print(f"requirements/lock.txt: {problem}", file=sys.stderr)
    if found:
        print("run scripts/lock (see CONTRIBUTING.md, 'Dependencies')", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
