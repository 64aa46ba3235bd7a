"""Commands about the workspace itself: init, validate, list."""
from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import ClarionError, printable
from ..resources import STARTER_DIR as STARTER
from ..workspace.model import Workspace
from .common import Choice, handle_errors, pass_session

if TYPE_CHECKING:
    from ..pipeline.session import Session


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@handle_errors
def init(directory: Path) -> None:
    """Create a new workspace in DIRECTORY with the default templates and an example."""
    from ..resources import BUILT_IN_DIR
    if directory.exists() and any(directory.iterdir()):
        raise ClarionError(f"{directory}: folder is not empty; choose a new or empty folder")
    _copy_new(STARTER, directory)
    _copy_new(BUILT_IN_DIR, directory / "templates")
    click.echo(f"created workspace {directory}; next: "
               f"{shlex.join([*own_command(), '-w', str(directory), 'build'])}", err=True)


def _copy_new(source: Path, target: Path) -> None:
    """Copy the files under `source` into `target` as new files: folders and files get the
    mode the user's umask gives (the installed package's modes are not copied), so that
    colleagues on a shared drive can open what the user can."""
    for folder, dirs, names in os.walk(source):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        here = target / Path(folder).relative_to(source)
        here.mkdir(parents=True, exist_ok=True)
        for name in sorted(names):
            shutil.copyfile(Path(folder) / name, here / name)


def own_command() -> list[str]:
    """How to run Clarion again as typed: `clarion` when that is on PATH and is this one."""
    argv0 = sys.argv[0] if sys.argv and sys.argv[0] else "clarion"
    name = Path(argv0).name
    found = shutil.which("clarion")
    if name == "clarion" and found and Path(found).resolve() == Path(argv0).resolve():
        return ["clarion"]
    if name == "clarion" and Path(argv0).is_file():
        return [str(Path(argv0).resolve())]
    return [Path(sys.executable).name if shutil.which(Path(sys.executable).name) ==
            sys.executable else sys.executable, "-m", "clarion"]


@click.command()
@click.option("--format", "format_", type=Choice(["text", "json"]), default="text",
              show_default=True,
              help="json: one object with every problem (path, line, severity, message).")
@pass_session
@handle_errors
def validate(session: Session, format_: str) -> None:
    """Check every file of the workspace; print one line per problem."""
    from ..pipeline.check import check_workspace
    ws, problems = check_workspace(session.root, options=session.options)
    errors = [p for p in problems if p.severity == "error"]
    if format_ == "json":
        click.echo(json.dumps({
            "ok": not errors, "errors": len(errors), "warnings": len(problems) - len(errors),
            "problems": [{"path": p.location.path, "line": p.location.line,
                          "severity": p.severity, "message": p.message} for p in problems],
        }, ensure_ascii=False, indent=2))
        sys.exit(1 if errors else 0)
    for p in problems:
        click.echo(str(p), err=p.severity != "error")
    if errors or ws is None:
        click.echo(f"{len(errors)} problem(s) found", err=True)
        sys.exit(1)
    click.echo(f"ok: {len(ws.cases)} cases, {len(ws.recipients)} recipients, "
               f"{len(ws.signatories)} signatories, {len(ws.campaigns)} campaigns"
               + (f", {len(problems)} warning(s)" if problems else ""), err=True)


@click.command("list")
@click.argument("what", type=Choice(["cases", "campaigns", "recipients", "signatories",
                                           "templates"]))
@pass_session
@handle_errors
def list_(session: Session, what: str) -> None:
    """One line for each case, campaign, recipient, signatory or template."""
    if what == "templates":
        from ..render.templating import list_templates
        for name, where in list_templates(session.root):
            click.echo(f"{printable(name)}\t{where}")
        return
    ws, _ = session.load()
    for line in _lines(ws, what):
        click.echo(line)


def _lines(ws: Workspace, what: str) -> list[str]:
    """One line per record: its fields separated by tabs, each shown printable (a name may hold
    escape sequences or bidi controls; printed as they are, they would act on the terminal)."""
    return ["\t".join(printable(f"{field}") for field in fields) for fields in _fields(ws, what)]


def _fields(ws: Workspace, what: str) -> list[tuple[object, ...]]:
    if what == "cases":
        return [(c.id, c.name, f"{c.status}" + (f" (as of {c.status_as_of})"
                                                 if c.status_as_of else ""))
                for c in ws.cases.values()]
    if what == "campaigns":
        return [(c.id, c.kind, c.date, c.title) for c in ws.campaigns.values()]
    if what == "recipients":
        return [(r.id, r.name, r.language or "-", " ".join(r.groups))
                for r in ws.recipients.values()]
    # an organisation, with who signs for it; an individual, with their role
    return [(s.id, s.organisation, *([s.person] if s.person else [])) if s.organisation
            else (s.id, s.person or "-", *([s.title] if s.title else []))
            for s in ws.signatories.values()]


COMMANDS = [init, validate, list_]
