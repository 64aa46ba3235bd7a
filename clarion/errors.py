"""Errors and problems: every one carries the place in the workspace it is about."""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

#: characters that would move the cursor, change colours, forge lines or reorder text on a
#: terminal: C0 and C1 controls (tab and newline too), line and paragraph separators, bidi
#: embeddings, overrides, isolates and marks
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e"
                          "\u2066-\u2069]")


def printable(text: object) -> str:
    """`text` safe to print on a terminal or in a log: every control character and bidi
    control shown escaped (`\\x1b`, `\\n`, `\\u202e`), never acted on."""
    def escape(m: re.Match[str]) -> str:
        char = m.group(0)
        named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
        return named.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100
                                   else f"\\u{ord(char):04x}")
    return _UNPRINTABLE.sub(escape, str(text))


@dataclass(frozen=True, order=True)
class Location:
    """A place in a workspace file: path relative to the workspace, 1-based line."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        path = printable(self.path)  # a file name may hold a newline or an escape sequence
        return f"{path}:{self.line}" if self.line else path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, ready to print as `path:line: message`."""

    location: Location
    message: str
    severity: str = field(default="error", compare=False)
    #: a stable name for the kind of problem (`no-translation`, `layout-limit`…): what the
    #: command line and `--format json` group and count by, never the message's wording
    code: str = field(default="", compare=False)
    #: what the problem is about when it is one document's: (campaign, recipient or None)
    subject: tuple[str, str | None] | None = field(default=None, compare=False)

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.location}: {prefix}{printable(self.message)}"

    def line(self) -> str:
        """As a command prints it: `file:line: warning: …` for a place in a file; `warning:
        campaign: …` for one document's (its location is its subject's campaign); `warning:
        …` when no place can be named."""
        if self.location.path == "-":
            return f"{self.severity}: {printable(self.message)}"
        if self.subject is not None and self.location.path == self.subject[0] and \
                not self.location.line:
            return f"{self.severity}: {self.location}: {printable(self.message)}"
        return str(self)


class ClarionError(Exception):
    """Base of every error Clarion reports to the user without a traceback."""

    def __init__(self, message: str, location: Location | None = None):
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        message = printable(self.message)
        return f"{self.location}: {message}" if self.location else message

    def problems(self) -> list[Problem]:
        return [Problem(self.location or Location("-"), self.message)]


class ProblemsError(ClarionError):
    """Many problems found at once (validation); printed one per line."""

    def __init__(self, problems: list[Problem]):
        self.all = sorted(problems)
        super().__init__(f"{len(self.all)} problem(s) found")

    def problems(self) -> list[Problem]:
        return self.all


class UsageError(ClarionError):
    """A mistake on the command line (an unknown campaign, recipient or format): exit 2."""


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """`; did you mean `x`?` when a known name is close to `name`, else an empty string."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


class TemplateError(ClarionError):
    """A template or a campaign body could not be rendered."""


class SecurityError(ClarionError):
    """Something in the workspace tried to leave its sandbox."""


class PrivacyError(ClarionError):
    """Private data was found in an output."""


class OutputError(ClarionError):
    """An output could not be written safely."""


def relpath(path: Path, root: Path) -> str:
    """The path as the user knows it: relative to the workspace when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # outside, or a loop of links
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return str(path)
