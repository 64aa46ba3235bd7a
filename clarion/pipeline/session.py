"""One command's session: the workspace loaded once, with the run's own options, and what
every stage after loading shares (the output folder, the user's key, the digests)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem
from ..output.files import manifest_key
from ..workspace.model import Workspace
from ..workspace.options import LoadOptions
from ..workspace.userconfig import User
from .reads import Digests

if TYPE_CHECKING:
    from ..workspace.load import Loaded
    from .check import LoadedFor


@dataclass
class Session:
    """What a command works on: `clarion -w ROOT --allow-links --limit …` made into one
    object the CLI passes down (click's context), and the library takes explicitly."""

    root: Path
    options: LoadOptions = field(default_factory=LoadOptions)
    out: Path | None = None
    #: the user's own configuration and this run's confirmations (`--key`, `--mail-host`,
    #: `--allow-local-network`): which key signs, which server gets the password, where
    #: documents may connect; never anything a workspace says
    user: User = field(default_factory=User)
    _loaded: Loaded | None = field(default=None, repr=False)
    _digests: dict[str, Digests] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # absolute: worker processes do not run in the current folder (engine)
        self.root = Path(self.root).absolute()

    @property
    def output(self) -> Path:
        return Path(self.out).absolute() if self.out else self.root / "build"

    def load(self, campaigns: tuple[str, ...] | None = None) -> tuple[Workspace, list[Problem]]:
        """The workspace and its warnings, for making `campaigns` (None: every campaign not
        blocked); raises ProblemsError with the errors in what the named campaigns use."""
        loaded = self.loaded(campaigns)
        return loaded.ws, loaded.warnings

    def loaded(self, campaigns: tuple[str, ...] | None = None) -> LoadedFor:
        """What `load_for` says for `campaigns`, from the workspace as loaded once."""
        from .check import LOAD_CHECKS, for_campaigns  # the checks import the render stack
        if self._loaded is None:
            from ..workspace.load import load
            self._loaded = load(self.root, LOAD_CHECKS, self.options)
        return for_campaigns(self._loaded, campaigns)

    @property
    def key(self) -> bytes:
        """The user's secret that digests and seals are keyed with (empty if it cannot be
        kept: then digests are plain hashes and manifests are never trusted)."""
        return manifest_key() or b""

    def digests(self, signer: str = "") -> Digests:
        """Digests of this session's workspace, for a signer identity ('' when unsigned)."""
        if signer not in self._digests:
            from .dependencies import TemplateFiles
            ws, _ = self.load()
            self._digests[signer] = Digests(ws, self.key, signer,
                                            TemplateFiles(ws.root, self.options.allow_links))
        return self._digests[signer]


def session_of(where: Path | Session) -> Session:
    """A session for a workspace folder, or the one given."""
    return where if isinstance(where, Session) else Session(Path(where))
