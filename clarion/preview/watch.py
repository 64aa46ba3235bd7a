"""Watching the workspace for saved files (watchfiles): one batch of changes at a time, once
the editor has finished saving."""
from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

#: how long a batch of changes must be quiet before it is reported (an editor's save is often
#: a write, a rename and a change of mode), and how often the watcher looks
DEBOUNCE_MS = 150
STEP_MS = 50
#: how often the watcher looks at its stop event when nothing changes
TIMEOUT_MS = 500


def changes(root: Path, ignore: Iterable[Path], stop: threading.Event) -> Iterator[set[str]]:
    """The paths changed under `root` (not under `ignore`: the output folder), one set per
    batch, until `stop` is set; Ctrl-C raises KeyboardInterrupt here (in the main thread)."""
    from watchfiles import DefaultFilter, watch
    watched = DefaultFilter(ignore_paths=[str(p) for p in ignore])
    for batch in watch(root, watch_filter=watched, debounce=DEBOUNCE_MS, step=STEP_MS,
                       stop_event=stop, rust_timeout=TIMEOUT_MS, yield_on_timeout=False):
        yield {path for _, path in batch}
