"""What every command shares: errors turned into lines and exit codes."""
from __future__ import annotations

import functools
import sys

import click

from ..errors import ClarionError, UsageError, printable


def handle_errors(func):
    """User-data errors end as located lines on stderr and exit 1, never a traceback."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except UsageError as e:  # like click's own usage errors: exit 2
            click.echo(f"Error: {printable(e)}", err=True)
            sys.exit(2)
        except ClarionError as e:
            problems = e.problems()
            for p in problems:
                click.echo(str(p) if p.location.path != "-" else printable(p.message), err=True)
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
