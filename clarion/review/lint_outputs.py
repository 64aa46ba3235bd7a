"""Lint rule about what was built: private data found in build/."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..limits import MAX_OUTPUT_BYTES, PDFTOTEXT_SECONDS
from ..output import privacy
from ..workspace.private import private_values
from .lint_scope import Finding, Scope

OUTPUT_SUFFIXES = (".md", ".html", ".eml", ".txt", ".json", ".pdf")


def private_in_output(scope: Scope) -> Iterator[Finding]:
    """A built file in build/ that contains a private string."""
    build = scope.ws.root / "build"
    secrets = privacy.secret_forms(private_values(scope.ws))
    if not secrets or not build.is_dir():
        return
    folders = [build] if scope.whole else [build / c.id for c in scope.campaigns]
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_symlink() or not path.is_file() or path.suffix not in OUTPUT_SUFFIXES:
                continue
            if path.stat().st_size > MAX_OUTPUT_BYTES:
                continue
            lines = _output_lines(path)
            for number, line in enumerate(lines, 1):
                cases = privacy.leaks([line], secrets)
                if cases:
                    yield Finding(path.relative_to(scope.ws.root).as_posix(), number,
                                  "private-in-output", (
                                      f"private data of {', '.join(cases)} is in this output; "
                                      "delete it, fix the template or body, and rebuild"))
                    break
            else:
                whole = privacy.leaks(["\n".join(lines)], secrets)
                if whole:
                    yield Finding(path.relative_to(scope.ws.root).as_posix(), 1,
                                  "private-in-output", (
                                      f"private data of {', '.join(whole)} is in this output; "
                                      "delete it, fix the template or body, and rebuild"))


def _output_lines(path: Path) -> list[str]:
    if path.suffix != ".pdf":
        return path.read_bytes().decode("utf-8", errors="replace").splitlines()
    import shutil
    import subprocess
    tool = shutil.which("pdftotext")
    if tool is None:
        return []
    try:
        done = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True,
                              timeout=PDFTOTEXT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        return []
    return done.stdout.decode("utf-8", errors="replace").splitlines()
