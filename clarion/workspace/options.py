"""How a workspace is loaded for one run: the choices the person running Clarion made."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LoadOptions:
    """The run's loading choices, passed explicitly to every stage (and process) that reads.

    Frozen and picklable: a worker process given the same root and options loads an equal
    workspace. Only the command line sets these; a workspace file cannot.
    """

    #: follow symbolic links that stay inside the workspace (`clarion --allow-links`)
    allow_links: bool = False
    #: built-in limits raised for this run (`clarion --limit NAME=VALUE`), as (name, value)
    #: pairs; clarion.yaml may only lower a limit, never raise one
    raised: tuple[tuple[str, float], ...] = ()

    def cap(self, name: str, built_in: float) -> float:
        """The cap on limit `name`: raised for this run, else Clarion's built-in one."""
        return dict(self.raised).get(name, built_in)


#: the choices of a run that chose nothing: no links followed, no limit raised
DEFAULTS = LoadOptions()
