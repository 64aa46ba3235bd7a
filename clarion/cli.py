"""Command line: parse options, call one library function, turn errors into exit codes."""
from __future__ import annotations

import functools
import logging
import shutil
import sys
from pathlib import Path

import click

from . import __version__
from .errors import ClarionError

log = logging.getLogger("clarion")
from .resources import STARTER_DIR as STARTER


def _handle_errors(func):
    """User-data errors end as located lines on stderr and exit 1, never a traceback."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ClarionError as e:
            problems = e.problems()
            for p in problems:
                click.echo(str(p) if p.location.path != "-" else p.message, err=True)
            errors = sum(1 for p in problems if p.severity == "error")
            if errors > 1:
                click.echo(f"{errors} problem(s) found", err=True)
            sys.exit(1)
        except OSError as e:  # the output folder or a file the user named
            where = f"{e.filename}: " if getattr(e, "filename", None) else ""
            click.echo(f"{where}{e.strerror or e}; nothing half-written was left behind",
                       err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted; nothing half-written was left behind", err=True)
            sys.exit(130)
    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clarion")
@click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="The workspace folder.")
@click.pass_context
def main(ctx: click.Context, workspace: Path) -> None:
    """Clarion: turn case records into letters, press reactions, statements and alerts."""
    logging.basicConfig(format="%(message)s", level=logging.WARNING)
    ctx.obj = workspace


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@_handle_errors
def init(directory: Path) -> None:
    """Create a new workspace in DIRECTORY with the default templates and an example."""
    from .resources import BUILT_IN_DIR
    if directory.exists() and any(directory.iterdir()):
        raise ClarionError(f"{directory}: folder is not empty; choose a new or empty folder")
    shutil.copytree(STARTER, directory, dirs_exist_ok=True)
    shutil.copytree(BUILT_IN_DIR, directory / "templates", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    click.echo(f"created workspace {directory}; next: clarion -w {directory} build", err=True)


@main.command()
@click.pass_obj
@_handle_errors
def validate(workspace: Path) -> None:
    """Check every file of the workspace; print one line per problem."""
    from .check import check_workspace
    ws, problems = check_workspace(workspace)
    errors = [p for p in problems if p.severity == "error"]
    for p in problems:
        click.echo(str(p), err=p.severity != "error")
    if errors:
        click.echo(f"{len(errors)} problem(s) found", err=True)
        sys.exit(1)
    click.echo(f"ok: {len(ws.cases)} cases, {len(ws.recipients)} recipients, "
               f"{len(ws.signatories)} signatories, {len(ws.campaigns)} campaigns"
               + (f", {len(problems)} warning(s)" if problems else ""), err=True)


@main.command("list")
@click.argument("what", type=click.Choice(["cases", "campaigns", "recipients", "signatories",
                                           "templates"]))
@click.pass_obj
@_handle_errors
def list_(workspace: Path, what: str) -> None:
    """One line for each case, campaign, recipient, signatory or template."""
    if what == "templates":
        from .render.templating import list_templates
        for name, where in list_templates(workspace):
            click.echo(f"{name}\t{where}")
        return
    from .check import load_checked
    ws, _ = load_checked(workspace)
    for line in _lines(ws, what):
        click.echo(line)


def _lines(ws, what: str):
    if what == "cases":
        return [f"{c.id}\t{c.name}\t{c.status}" + (f" (as of {c.status_as_of})"
                                                   if c.status_as_of else "")
                for c in ws.cases.values()]
    if what == "campaigns":
        return [f"{c.id}\t{c.kind}\t{c.date}\t{c.title}" for c in ws.campaigns.values()]
    if what == "recipients":
        return [f"{r.id}\t{r.name}\t{r.language or '-'}\t{' '.join(r.groups)}"
                for r in ws.recipients.values()]
    return [f"{s.id}\t{s.organisation}" + (f"\t{s.person}" if s.person else "")
            for s in ws.signatories.values()]


@main.command()
@click.argument("campaigns", nargs=-1)
@click.option("--recipient", "recipients", multiple=True, help="Only this recipient (repeat).")
@click.option("--format", "formats", multiple=True, type=click.Choice(["pdf", "md", "html"]),
              help="Only these formats (repeat); default from clarion.yaml.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Documents built at once (accepted; this version builds one at a time).")
@click.option("--force", is_flag=True, help="Rebuild even what has not changed.")
@click.option("--no-sign", is_flag=True, help="Do not sign PDFs (signing is not built yet).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: build/ in the workspace).")
@click.pass_obj
@_handle_errors
def build(workspace, campaigns, recipients, formats, jobs, force, no_sign, out) -> None:
    """Build the documents of CAMPAIGNS (all when none is named)."""
    from .build import BuildOptions, build as run
    options = BuildOptions(tuple(campaigns), tuple(recipients), tuple(formats), out, force,
                           jobs, not no_sign)
    bar = _progress() if sys.stderr.isatty() else None
    try:
        report = run(workspace, options, progress=bar.update if bar else None)
    finally:
        if bar:
            bar.close()
    for warning in dict.fromkeys(report.warnings):  # each warning once, in order
        click.echo(f"warning: {warning}" if not warning.split(":", 1)[0].endswith(
            (".yaml", ".csv", ".md")) else warning, err=True)
    click.echo(f"built {len(report.written)} file(s), {report.unchanged} unchanged", err=True)


class _progress:
    """A click progress bar fed with (done, total)."""

    def __init__(self):
        self.bar = None

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="building", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


if __name__ == "__main__":  # pragma: no cover
    main()
