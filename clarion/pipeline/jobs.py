"""What is sent to a worker and what comes back: the setup, one job, one made document."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import Problem
from ..output.files import Output
from ..workspace.options import LoadOptions
from ..workspace.userconfig import User

if TYPE_CHECKING:
    from ..workspace.model import Workspace


class Finisher(Protocol):
    """Turns a finished, privacy-checked PDF into the one written (e.g. signs it).

    Made once per worker by a FinisherFactory; `identity` (a key's fingerprint) is one of the
    things a PDF reads (`signer`), so a new key rebuilds the PDFs; `signature_box`, when not
    None, is given to the templates (a visible signature's box).
    """

    identity: str
    signature_box: dict[str, str] | None

    def __call__(self, pdf: bytes, job: Job) -> bytes: ...


#: (workspace, setup) → Finisher or None; a module-level function, so it can be pickled
FinisherFactory = Callable[["Workspace", "Setup"], "Finisher | None"]


def signing_finisher(ws: Workspace, setup: Setup) -> Finisher | None:
    """The default: sign PDFs with the key the user chose (the setup's `user`; see
    signatures.chosen_signing) when PDFs are made and --no-sign not given."""
    from .finish import signing_for
    return signing_for(setup.user, ws, setup)


@dataclass(frozen=True)
class Setup:
    """Everything a worker needs to start, sent once to each worker process (picklable):
    nothing a worker does depends on state it would not find here."""

    root: Path
    out: Path                   # the output folder (build/): current PDFs are read from it
    options: LoadOptions = field(default_factory=LoadOptions)  # --allow-links, --limit
    sign: bool = True           # PDFs are made and may be signed
    finisher: FinisherFactory = signing_finisher
    build: str = ""             # one per build: a worker kept from an earlier build reloads
    passphrase: bytes | None = field(default=None, repr=False)  # of an encrypted signing key
    key: bytes = field(default=b"", repr=False)  # the user's secret the digests are keyed with
    #: the user's configuration and this run's confirmations (--key, --mail-host,
    #: --allow-local-network): which key signs, where documents may connect
    user: User = field(default_factory=User)


@dataclass(frozen=True)
class Alert:
    """A trial-watch alert's window (`clarion alerts --build`): made, not read from a file."""

    today: dt.date
    within: int
    since: int | None = None


@dataclass(frozen=True)
class Letter:
    """One letter as the print bundle's cover sheet lists it."""

    name: str
    file: str
    pages: int


@dataclass(frozen=True)
class Cover:
    """The print bundle's cover sheet: the letters it precedes."""

    letters: tuple[Letter, ...]


@dataclass(frozen=True)
class Job:
    """One document to make: a campaign for one recipient (or none), in some formats."""

    campaign: str
    recipient: str | None
    formats: tuple[str, ...]
    #: the PDF already built and current (file name, sha256): an e-mail draft made alone
    #: attaches it as it is, instead of making (and signing) the letter again
    attach: tuple[str, str] | None = None
    alert: Alert | None = None   # the campaign is this alert's, not a campaign file
    cover: Cover | None = None   # the print bundle's cover sheet of the campaign
    folder: tuple[str, ...] = ()  # where under the output folder (default: the campaign's)

    @property
    def stem(self) -> str:
        return self.recipient or self.campaign

    @property
    def name(self) -> str:
        """`campaign/stem`, as messages name a document."""
        return f"{self.campaign}/{self.stem}"


@dataclass(frozen=True)
class Made:
    """What a worker hands back for one job: the outputs' bytes, or why there are none."""

    job: Job
    outputs: tuple[Output, ...] = ()
    problems: tuple[Problem, ...] = ()   # warnings; with `failed`, the error(s) too
    failed: bool = False
    cpu: float = 0.0                     # CPU time the document took
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. a cover sheet's page count
