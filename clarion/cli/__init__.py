"""Command line: parse options, call one library function, turn errors into exit codes.

Each module of this package holds the commands of one area and lists them in `COMMANDS`;
they are added to the `clarion` group here, in the order `clarion --help` shows them.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import __version__
from . import build, content, delivery, preview, signing, signon, workspace

if TYPE_CHECKING:
    from ..workspace.userconfig import User

log = logging.getLogger("clarion")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clarion")
@click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="The workspace folder.")
@click.option("--allow-links", is_flag=True,
              help="Follow symbolic links that stay inside the workspace (refused otherwise).")
@click.option("--limit", "limits", multiple=True, metavar="NAME=VALUE",
              help="Raise a built-in limit for this run (max_file_bytes, max_csv_rows, "
                   "render_seconds, layout_seconds); clarion.yaml can only lower them.")
@click.option("--key", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The private key that signs PDFs in this run (over your configuration's "
                   "and any workspace's).")
@click.option("--mail-host", metavar="HOST", default=None,
              help="The SMTP server `send --send` logs in to in this run (over your "
                   "configuration's and any workspace's).")
@click.option("--allow-local-network", is_flag=True,
              help="Let remote images and the timestamp server be on loopback, private or "
                   "other local addresses (refused otherwise).")
@click.pass_context
def main(ctx: click.Context, workspace: Path, allow_links: bool, limits: tuple[str, ...],
         key: Path | None, mail_host: str | None, allow_local_network: bool) -> None:
    """Clarion: turn case records into letters, press reactions, statements and alerts."""
    handler = logging.StreamHandler()
    handler.setFormatter(_PrintableFormatter("%(message)s"))
    logging.basicConfig(handlers=[handler], level=logging.WARNING)
    from ..pipeline.session import Session
    from ..workspace.options import LoadOptions
    # for this run only: a workspace setting could never turn these on
    ctx.obj = Session(workspace, LoadOptions(allow_links, tuple(_limits(limits).items())),
                      user=_user(key, mail_host, allow_local_network))


class _PrintableFormatter(logging.Formatter):
    """Log lines as a terminal shows them: what records or logs put in a message (an escape
    sequence, a line break that would forge a line) is shown escaped, never acted on."""

    def format(self, record: logging.LogRecord) -> str:
        from ..errors import printable
        return printable(super().format(record))


def _user(key: Path | None, mail_host: str | None, allow_local_network: bool) -> User:
    """The user's configuration file and this run's confirmations; a broken configuration
    stops every command, with a line for each mistake."""
    from ..errors import ClarionError
    from ..workspace.userconfig import User, load_user_config
    try:
        config = load_user_config()
    except ClarionError as e:
        for problem in e.problems():
            click.echo(str(problem), err=True)
        sys.exit(1)
    return User(config, str(key.absolute()) if key else None, mail_host or None,
                allow_local_network)


def _limits(pairs: tuple[str, ...]) -> dict[str, float]:
    from ..workspace.model import Limits
    out: dict[str, float] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in Limits.__dataclass_fields__:
            raise click.BadParameter(f"unknown limit `{name}`; one of "
                                     + ", ".join(Limits.__dataclass_fields__), param_hint="--limit")
        try:
            out[name] = float(value)
            if out[name] <= 0:
                raise ValueError
        except ValueError:
            raise click.BadParameter(f"`{pair}`: the value must be a positive number",
                                     param_hint="--limit") from None
    return out


for _module in (workspace, build, signing, content, delivery, signon, preview):
    for _command in _module.COMMANDS:
        main.add_command(_command)
