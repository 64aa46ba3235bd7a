"""Each document the preview shows, made on request by the build's one path for a document
(clarion.pipeline.make: the same rendering, privacy scan and limits) and made again only when
something it read has changed; nothing is written.

A document's HTML is made in this process, in the thread that may bound a render's time (the
main thread: the limit is a timer signal); a PDF is laid out in a worker process, which the
engine ends at the layout's time or memory limit, as in a build."""
from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..errors import ClarionError, Problem
from ..formats import FORMATS
from ..pipeline.build import make_one
from ..pipeline.jobs import Job, Made, Setup
from .state import Snapshot

if TYPE_CHECKING:
    from ..pipeline.make import Worker
    from ..pipeline.session import Session

#: documents kept in memory (HTML and PDF counted apart); the least recently shown goes first
KEPT = 32
#: a document whose page asked for it this recently is being viewed: made again at once
#: after a change, before the whole workspace is checked
VIEWED_SECONDS = 5.0

Key = tuple[str, str | None, str]
#: runs a function in the thread that makes documents in this process (and returns its result)
Call = Callable[[Callable[[], "Shown"]], "Shown"]


def _here(fn: Callable[[], Shown]) -> Shown:
    return fn()


@dataclass(frozen=True)
class Shown:
    """One document in one format as last made: its bytes, or why there are none."""

    number: int                 # the snapshot it is current for
    data: bytes = b""
    language: str = ""
    #: what it read (key → digest), as the build records it: unchanged digests, same document
    reads: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    stops: tuple[str, ...] = ()     # why it is not shown: a build would stop here
    warnings: tuple[str, ...] = ()
    made: int = -1                  # the snapshot it was made for (default: `number`)

    def __post_init__(self) -> None:
        if self.made < 0:
            object.__setattr__(self, "made", self.number)

    @property
    def tag(self) -> str:
        """What changes when the document would look different."""
        text = "\n".join([hashlib.sha256(self.data).hexdigest(), self.language,
                          *self.stops, "", *self.warnings])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


class Documents:
    """The documents made so far. `call` runs the making of a text format (HTML) in the
    thread that may do it; one PDF is laid out at a time."""

    def __init__(self, call: Call = _here, kept: int = KEPT):
        self._call, self._size = call, kept
        self._kept: OrderedDict[Key, Shown] = OrderedDict()
        self._viewed: dict[Key, float] = {}
        self._lock = threading.Lock()   # held for a moment: the tables
        # one PDF at a time: the machine's cores are the user's, and starting a worker
        # process changes the current folder for a moment (clarion.pipeline.engine)
        self._laying_out = threading.Lock()
        self._worker: tuple[Session, Worker] | None = None   # in `call`'s thread only

    def get(self, snapshot: Snapshot, campaign: str, recipient: str | None,
            fmt: str) -> Shown:
        """The document as the workspace of `snapshot` makes it (one already made is
        answered at once, while another is being made)."""
        key = (campaign, recipient, fmt)
        with self._lock:
            self._viewed[key] = time.monotonic()
        shown = self._lookup(key, snapshot)
        if shown is not None:
            return shown
        if not FORMATS[fmt].laid_out:
            return self._call(lambda: self._update(key, snapshot))
        with self._laying_out:
            return self._update(key, snapshot)

    def version(self, snapshot: Snapshot, campaign: str, recipient: str | None,
                fmt: str) -> int:
        """Which making of a document a page should load (without making it): the one
        kept, unless what it read has changed since; then this snapshot's."""
        with self._lock:
            shown = self._kept.get((campaign, recipient, fmt))
        if shown is None:
            return snapshot.number
        if shown.number >= snapshot.number or \
                (shown.reads and snapshot.digests().current(shown.reads)):
            return shown.made
        return snapshot.number

    def remake_viewed(self, snapshot: Snapshot) -> None:
        """Make again, now, the HTML of the documents being viewed (called in `call`'s
        thread, right after a change is loaded)."""
        now = time.monotonic()
        with self._lock:
            viewed = [k for k, at in self._viewed.items() if now - at < VIEWED_SECONDS]
            self._viewed = {k: at for k, at in self._viewed.items() if now - at < 60}
        for key in viewed:
            if not FORMATS[key[2]].laid_out:
                self._update(key, snapshot)

    def _lookup(self, key: Key, snapshot: Snapshot) -> Shown | None:
        with self._lock:
            shown = self._kept.get(key)
            if shown is None or shown.number < snapshot.number:
                return None
            self._kept.move_to_end(key)
            return shown

    def _update(self, key: Key, snapshot: Snapshot) -> Shown:
        shown = self._lookup(key, snapshot)  # made meanwhile, for another request
        if shown is not None:
            return shown
        with self._lock:
            before = self._kept.get(key)
        shown = self._current(snapshot, before, *key)
        with self._lock:
            held = self._kept.get(key)  # a later snapshot's stays
            if held is None or held.number <= shown.number:
                self._kept[key] = shown
                self._kept.move_to_end(key)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return shown

    def _current(self, snapshot: Snapshot, shown: Shown | None, campaign: str,
                 recipient: str | None, fmt: str) -> Shown:
        stops = snapshot.stops(campaign, recipient)
        if stops:
            return Shown(snapshot.number, stops=stops)
        if shown is not None and shown.reads and snapshot.digests().current(shown.reads):
            return replace(shown, number=snapshot.number)  # nothing it read has changed
        job = Job(campaign, recipient, (fmt,))
        if FORMATS[fmt].laid_out:
            return _laid_out(snapshot, job)
        try:
            worker = self._worker_for(snapshot)
        except ClarionError as e:
            return Shown(snapshot.number, stops=tuple(_line(p) for p in e.problems()))
        return _shown(snapshot.number, fmt, worker.make(job))

    def _worker_for(self, snapshot: Snapshot) -> Worker:
        """The pipeline's worker for this moment's workspace, in this process: never signs."""
        if self._worker is None or self._worker[0] is not snapshot.session:
            from ..pipeline.make import Worker
            assert snapshot.loaded is not None  # a document is made only when it is loaded
            s = snapshot.session
            setup = Setup(s.root, s.output, s.options, sign=False, key=s.key, user=s.user)
            self._worker = (s, Worker(setup, snapshot.loaded.ws))
        return self._worker[1]


def _laid_out(snapshot: Snapshot, job: Job) -> Shown:
    """A PDF, laid out by a worker process as a build lays it out (unsigned)."""
    try:
        made = make_one(snapshot.session, job)
    except ClarionError as e:
        return Shown(snapshot.number, stops=tuple(_line(p) for p in e.problems()))
    except OSError as e:  # a file gone while the worker read it: the next change retries
        return Shown(snapshot.number, stops=(f"{e.strerror or e}",))
    return _shown(snapshot.number, job.formats[0], made)


def _shown(number: int, fmt: str, made: Made) -> Shown:
    errors = tuple(_line(p) for p in made.problems if p.severity == "error")
    warnings = tuple(_line(p) for p in made.problems if p.severity != "error")
    output = next((o for o in made.outputs if o.format == fmt), None)
    if made.failed or output is None:
        return Shown(number, stops=errors or ("nothing was made",), warnings=warnings)
    return Shown(number, output.data, output.language, MappingProxyType(dict(output.reads)),
                 warnings=warnings)


def _line(problem: Problem) -> str:
    """`file:line: message`; the message alone when no file is to blame."""
    text = problem.line()
    return text.removeprefix("error: ") if problem.severity == "error" else text
