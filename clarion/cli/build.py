"""Commands that make and remove outputs: build, clean."""
from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from .common import handle_errors, pass_session

if TYPE_CHECKING:
    from ..errors import Problem
    from ..pipeline.session import Session


@click.command()
@click.argument("campaigns", nargs=-1)
@click.option("--recipient", "recipients", multiple=True, help="Only this recipient (repeat).")
@click.option("--format", "formats", multiple=True, metavar="pdf|md|html|eml",
              help="Only these formats (repeat); default from clarion.yaml.")
@click.option("--jobs", type=click.IntRange(1, 256), default=None,
              help="Documents made at once, in as many processes (default: every core, "
                   "once there are enough documents to pay for it; 1 builds in this process).")
@click.option("--force", is_flag=True, help="Rebuild even what has not changed.")
@click.option("--no-sign", is_flag=True, help="Do not sign PDFs, even with `signing:` set.")
@click.option("--strict", is_flag=True, help="Warnings fail the build (exit 1), for CI.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no summary line.")
@click.option("--verbose", "-v", is_flag=True,
              help="List every warning (not one line per kind of warning), and the time the "
                   "documents took.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: build/ in the workspace).")
@click.option("--key", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The private key that signs the PDFs (over your configuration's and the "
                   "workspace's `signing.key`).")
@pass_session
@handle_errors
def build(session: Session, campaigns: tuple[str, ...], recipients: tuple[str, ...],
          formats: tuple[str, ...], jobs: int | None, force: bool, no_sign: bool, strict: bool,
          quiet: bool, verbose: bool, out: Path | None, key: Path | None) -> None:
    """Build the documents of CAMPAIGNS (all when none is named)."""
    from functools import partial

    from ..pipeline.build import BuildOptions
    from ..pipeline.build import build as run
    from ..pipeline.finish import signing_for
    if key is not None:
        session.user = dataclasses.replace(session.user, key=str(key.absolute()))
    options = BuildOptions(tuple(campaigns), tuple(recipients), tuple(formats), out, force,
                           jobs, not no_sign)
    if not no_sign:  # the key the user chose; if encrypted, its passphrase
        options.passphrase = _passphrase(session, tuple(formats))
    bar = Progress(sys.stderr) if sys.stderr.isatty() and not quiet else None
    started = time.monotonic()
    try:
        report = run(session, options, progress=bar.update if bar else None,
                     finisher=partial(signing_for, session.user))
    finally:
        if bar:
            bar.close()
    warnings = report.all_warnings if verbose else report.warnings
    placeholders = _placeholders(session, campaigns)
    for warning in [*warnings, *placeholders]:
        click.echo(warning.line(), err=True)
    if report.removed and not quiet:
        click.echo(f"removed {len(report.removed)} outdated file(s)", err=True)
    if not quiet:
        click.echo(f"built {len(report.written)} file(s), {report.unchanged} unchanged",
                   err=True)
    if verbose and report.documents:
        click.echo(f"made {report.documents} document(s) in {time.monotonic() - started:.1f} s "
                   f"with {report.workers} process(es); {1000 * report.cpu / report.documents:.0f}"
                   " ms of CPU per document", err=True)
    if report.blocked:
        errors = sorted({p for found in report.blocked.values() for p in found})
        for error in errors:
            click.echo(str(error), err=True)
        click.echo(f"not built, because of the errors above: {', '.join(sorted(report.blocked))}"
                   "; every other campaign was built", err=True)
        sys.exit(1)
    if strict and (report.all_warnings or placeholders):
        click.echo(f"{len(report.all_warnings) + len(placeholders)} warning(s); --strict makes "
                   "them fail the build", err=True)
        sys.exit(1)


def _placeholders(session: Session, campaigns: tuple[str, ...]) -> list[Problem]:
    """Text still to be written (TODO, lorem ipsum…) in the campaigns built: `lint`'s
    `placeholder` findings, as warnings."""
    from ..review.lint_placeholders import placeholder_warnings
    ws, _ = session.load()
    return placeholder_warnings(ws, campaigns)


@click.command()
@click.argument("campaigns", nargs=-1)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: build/ in the workspace).")
@pass_session
@handle_errors
def clean(session: Session, campaigns: tuple[str, ...], out: Path | None) -> None:
    """Remove what builds wrote for CAMPAIGNS (all when none is named): only the files
    their manifests list."""
    from ..pipeline.build import clean as run
    removed = run(session.root, tuple(campaigns), out)
    click.echo(f"removed {len(removed)} file(s)", err=True)


def _passphrase(session: Session, formats: tuple[str, ...]) -> bytes | None:
    """Stops with one line when the workspace names a signing key the user did not (see
    pipeline.signatures.chosen_signing), before anything is read from it; then the passphrase
    of the chosen key when it is encrypted: CLARION_KEY_PASSPHRASE, else asked on a terminal.
    A build that makes no PDF signs nothing and needs neither."""
    from ..output.keys import env_passphrase, key_encrypted
    from ..pipeline.signatures import chosen_signing
    ws, _ = session.load()  # the session's one load, which the build goes on with
    if not {"pdf", "eml"} & set(formats or ws.settings.build.formats):
        return None
    chosen = chosen_signing(ws, session.user)
    if chosen is None or not key_encrypted(*chosen):
        return None
    given = env_passphrase()
    if given is not None or not sys.stdin.isatty():
        return given
    typed = click.prompt(f"Passphrase of the signing key {chosen[1].key}", hide_input=True,
                         err=True)
    return str(typed).encode("utf-8")


class Progress:
    """A one-line progress bar: documents done, documents per second, time left."""

    WIDTH = 24

    def __init__(self, stream: TextIO):
        self.stream, self.started, self.shown = stream, time.monotonic(), 0.0

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.shown < 0.1:
            return
        self.shown = now
        elapsed = max(now - self.started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate else 0
        filled = self.WIDTH * done // max(total, 1)
        self.stream.write(f"\rbuilding [{'#' * filled}{' ' * (self.WIDTH - filled)}] "
                          f"{done}/{total}  {rate:.1f} docs/s  ETA {int(left) // 60}:"
                          f"{int(left) % 60:02d} ")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


COMMANDS = [build, clean]
