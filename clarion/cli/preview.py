"""`clarion preview`: the documents in the browser, updated as the workspace is edited."""
from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .common import handle_errors, pass_session

if TYPE_CHECKING:
    from ..pipeline.session import Session


@click.command()
@click.argument("campaign", required=False)
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="The port on 127.0.0.1 to listen on (default: a free one).")
@pass_session
@handle_errors
def preview(session: Session, campaign: str | None, port: int | None) -> None:
    """Show each document (HTML beside PDF) in the browser with the workspace's problems,
    updated whenever a file is saved; writes nothing. Ctrl-C stops it."""
    from ..preview.server import Preview
    server = Preview(session, campaign, port or 0)
    click.echo(f"preview: {server.url}", err=True)
    click.echo("open it in your browser; the address is a password for this run: share it "
               "with no one. Ctrl-C stops the preview.", err=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        click.echo("preview stopped", err=True)


COMMANDS = [preview]
