"""One command's session: the workspace loaded once, with the run's own options, and what
every stage after loading shares (the output folder, the user's key, the digests)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..output.files import manifest_key
from ..workspace.model import Workspace
from ..workspace.options import LoadOptions
from .reads import Digests


@dataclass
class Session:
    """What a command works on: `clarion -w ROOT --allow-links --limit …` made into one
    object the CLI passes down (click's context), and the library takes explicitly."""

    root: Path
    options: LoadOptions = field(default_factory=LoadOptions)
    out: Path | None = None
    _loaded: tuple[Workspace, list[Problem]] | None = field(default=None, repr=False)
    _digests: dict[str, Digests] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # absolute: worker processes do not run in the current folder (engine)
        self.root = Path(self.root).absolute()

    @property
    def output(self) -> Path:
        return Path(self.out).absolute() if self.out else self.root / "build"

    def load(self, campaigns: tuple[str, ...] | None = None) -> tuple[Workspace, list[Problem]]:
        """The workspace and its warnings, loaded on first use only."""
        if self._loaded is None:
            from .check import load_checked  # the checks import the render stack
            self._loaded = load_checked(self.root)
        return self._loaded

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
