"""What every command shares: errors turned into lines and exit codes, and text from records
or logs printed so that a terminal shows it and never acts on it."""
from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable
from typing import NoReturn, ParamSpec, TypeVar

import click

from ..errors import ClarionError, UsageError, did_you_mean, printable

P = ParamSpec("P")
R = TypeVar("R")
#: what a terminal would act on that json.dumps leaves raw (it escapes C0 controls itself): DEL,
#: C1 controls, line and paragraph separators, bidi marks, embeddings, overrides, isolates
#: (errors.printable's set, without the C0 controls)
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def say(text: object, err: bool = False) -> None:
    """Print one line made from records or logs: every control character, escape sequence,
    bidi control and line break in it shown escaped (errors.printable), never acted on."""
    click.echo(printable(text), err=err)


def fields(*values: object) -> str:
    """Tab-separated values, each escaped: a tab or line break inside a value cannot make a
    column or a line of its own."""
    return "\t".join(printable(v) for v in values)


def json_text(data: object) -> str:
    """`data` as indented JSON that is safe on a terminal: the characters json.dumps leaves
    raw that a terminal would act on are written as `\\uXXXX` escapes (the same data)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


class Choice(click.Choice):  # type: ignore[type-arg]
    """click.Choice whose refusal adds "did you mean" (exit 2, like every usage mistake)."""

    def fail(self, message: str, param: click.Parameter | None = None,
             ctx: click.Context | None = None) -> NoReturn:
        value = message.split("'")[1] if message.count("'") >= 2 else ""
        hint = did_you_mean(value, [str(c) for c in self.choices]) if value else ""
        super().fail(message.rstrip(".") + hint, param, ctx)


def pass_session(func: Callable[..., R]) -> Callable[..., R]:
    """Gives a command the run's session (`clarion -w … --allow-links --limit …`, a
    clarion.pipeline.session.Session, made by the `clarion` group), loaded once — after
    checking that its folder is a workspace: elsewhere the command stops (exit 1) with one
    line saying so and what to do (`clarion init`)."""
    @functools.wraps(func)
    def wrapper(*args: object, **kwargs: object) -> R:
        from ..workspace.folders import require_workspace
        session = click.get_current_context().obj
        try:
            require_workspace(session.root)
        except ClarionError as e:
            click.echo(f"Error: {printable(e)}", err=True)
            sys.exit(1)
        return func(session, *args, **kwargs)
    return wrapper


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """User-data errors end as located lines on stderr and exit 1, never a traceback.

    A command-line mistake (errors.UsageError: an unknown campaign, recipient or format) is
    printed as click prints its own usage errors and exits 2.
    """
    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
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


