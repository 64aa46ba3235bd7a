"""Commands that make and remove outputs: build."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import handle_errors


@click.command()
@click.argument("campaigns", nargs=-1)
@click.option("--recipient", "recipients", multiple=True, help="Only this recipient (repeat).")
@click.option("--format", "formats", multiple=True, type=click.Choice(["pdf", "md", "html", "eml"]),
              help="Only these formats (repeat); default from clarion.yaml.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Documents built at once (accepted; this version builds one at a time).")
@click.option("--force", is_flag=True, help="Rebuild even what has not changed.")
@click.option("--no-sign", is_flag=True, help="Do not sign PDFs, even with `signing:` set.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: build/ in the workspace).")
@click.pass_obj
@handle_errors
def build(workspace, campaigns, recipients, formats, jobs, force, no_sign, out) -> None:
    """Build the documents of CAMPAIGNS (all when none is named)."""
    from ..build import BuildOptions
    from ..build import build as run
    options = BuildOptions(tuple(campaigns), tuple(recipients), tuple(formats), out, force,
                           jobs, not no_sign)
    if not no_sign:  # an encrypted signing key: the passphrase from the environment or asked
        from .signing import passphrase_for
        options.passphrase = passphrase_for(workspace)
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


COMMANDS = [build]
