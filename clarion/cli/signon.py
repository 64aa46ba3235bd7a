"""`clarion signon import`: a sign-on form's export into a signatories file, and its report."""
from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import click

from ..errors import UsageError
from .common import handle_errors, pass_session, say

if TYPE_CHECKING:
    from ..pipeline.session import Session

#: the largest export read (a form with tens of thousands of responses is far smaller)
MAX_EXPORT_BYTES = 20 * 1024 * 1024


@click.group()
def signon() -> None:
    """Sign-on lists: signatories gathered with a form."""


@signon.command("import")
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--group", required=True, metavar="NAME",
              help="The group the new signatories join (campaigns list `group:NAME`).")
@click.option("--out", metavar="PATH", default=None,
              help="The signatories file, inside the workspace (default: "
                   "signatories/NAME.csv).")
@pass_session
@handle_errors
def import_(session: Session, export: Path, group: str, out: str | None) -> None:
    """Turn a form's CSV export into signatories: duplicates merged, organisations and
    individuals told apart, doubtful entries held back; a rerun adds only new responses."""
    from ..review.signon import import_signon
    from ..review.signon_report import report_lines
    from ..safefile import read_file, read_path
    from ..workspace.schema import ID_RE
    if not ID_RE.fullmatch(group):
        raise UsageError(f"--group '{group}' is not an id: lower-case letters, digits and '-'")
    rel = out or f"signatories/{group}.csv"
    parts = PurePosixPath(rel).parts
    if PurePosixPath(rel).is_absolute() or ".." in parts or not rel.endswith(".csv") or \
            len(parts) < 2 or parts[0] != "signatories":
        raise UsageError(f"--out '{rel}' must be a .csv file in the workspace's signatories/ "
                         f"folder, such as signatories/{group}.csv")
    data = read_path(export, MAX_EXPORT_BYTES, own=True, shown=str(export))
    root = session.root
    cap = _max_file_bytes()
    existing = read_file(root, rel, cap, shown=rel) if (root / rel).exists() else None
    result = import_signon(data, str(export), existing, rel, group, _taken(session, rel))
    if result.data is not None:
        _write(root, rel, result.data, existing is not None)
    for line in report_lines(result, str(export), rel, group):
        say(line)


def _max_file_bytes() -> int:
    from ..workspace.model import Limits
    return int(Limits().max_file_bytes)


def _taken(session: Session, rel: str) -> set[str]:
    """The ids of the workspace's signatories written elsewhere than `rel` (a broken
    workspace gives what could be read)."""
    from ..workspace.load import load
    loaded = load(session.root, (), session.options)
    if loaded.ws is None:
        return set()
    return {id_ for id_, s in loaded.ws.signatories.items()
            if s.loc is None or s.loc.path != rel}


def _write(root: Path, rel: str, data: bytes, replacing: bool) -> None:
    """A new file is created (never over one); a file that exists is replaced whole, by a
    new file renamed over it, so a failed write leaves the old one as it was."""
    from .newfile import create_file
    text = data.decode("utf-8")
    if not replacing:
        create_file(root, rel, text)
        return
    path = PurePosixPath(rel)
    temporary = str(path.with_name(f".{path.name}.import-{os.getpid()}"))
    written = create_file(root, temporary, text)
    try:
        os.replace(written, root / rel)
    except BaseException:
        written.unlink(missing_ok=True)
        raise


COMMANDS: list[click.Command] = [signon]
