"""The build engine: jobs made in worker processes, each bounded by the parent, which ends a
worker that runs past a limit.

A worker process loads the workspace once (as the `Setup` says: same root, same options),
keeps fonts and caches, and makes one job at a time (clarion.pipeline.make). The parent
sends each job to an idle worker and watches every busy one: a document whose render or
layout takes longer than its limit, or whose worker grows by more memory than allowed, has
its worker killed — nothing inside WeasyPrint or Pango can swallow that — and a fresh worker
takes the next job. `--jobs 1` is one worker process, bounded the same way.
"""
from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from ..errors import ClarionError, Location, Problem
from ..limits import DOCUMENTS_PER_WORKER, START_SECONDS, Limits
from .jobs import Job, Made, Setup

log = logging.getLogger(__name__)

#: how often the parent looks at its busy workers
TICK = 0.05
#: renders in one document before its layout (body, Markdown, print and screen HTML), each
#: bounded by `limits.render_seconds` inside the worker; the parent's bound is their sum
RENDERS = 4


@dataclass
class _Slot:
    """One worker process as the parent sees it."""

    process: Any
    conn: Connection
    job: Job | None = None
    deadline: float = 0.0
    phase: str = ""
    base_rss: int | None = None
    made: int = 0


def run(jobs: Sequence[Job], setup: Setup, workers: int, limits: Limits,
        on_made: Callable[[Made], bool]) -> None:
    """Make `jobs` in `workers` processes, calling `on_made` here for each result as it comes.

    `on_made` returns False to stop: no new job is started, the ones under way are
    abandoned and their workers ended.
    """
    if not jobs:
        return
    todo = deque(jobs)
    slots = [_start(setup) for _ in range(max(1, min(workers, len(jobs))))]
    try:
        while todo or any(s.job for s in slots):
            for slot in slots:
                if slot.job is None and todo:
                    _send(slot, todo.popleft(), limits)
            busy = {id(s.conn): s for s in slots if s.job is not None}
            for conn in wait([s.conn for s in busy.values()], timeout=TICK):
                slot = busy[id(conn)]
                made = _receive(slot, limits)
                if made is None:
                    continue
                if not on_made(made):
                    return
                slot.made += 1
                if slot.made >= DOCUMENTS_PER_WORKER and todo:
                    _replace(slots, slot, setup)
            for slot in [s for s in slots if s.job is not None]:
                stopped = _over_limit(slot, limits)
                if stopped is not None:
                    _replace(slots, slot, setup)
                    if not on_made(stopped):
                        return
    finally:
        for slot in slots:
            _end(slot)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":  # new workers start from a warm process
        ctx.set_forkserver_preload(["clarion.pipeline.make", "clarion.output.pdf",
                                    "weasyprint"])
    return ctx


def _start(setup: Setup) -> _Slot:
    ctx = _context()
    ours, theirs = ctx.Pipe(duplex=True)
    process = ctx.Process(target=serve, args=(theirs, setup), daemon=True,
                          name="clarion-worker")
    with _outside_workspace():
        process.start()
    theirs.close()
    return _Slot(process, ours)


@contextlib.contextmanager
def _outside_workspace() -> Iterator[None]:
    """Start processes from the file system's root, not from the current folder: the
    forkserver is started with `python -c`, which puts the current folder first on its
    module path while it preloads, so a workspace holding a `clarion/` or `weasyprint/`
    folder would otherwise have its own code run by the first worker of a build."""
    here = os.getcwd()
    os.chdir(os.sep)
    try:
        yield
    finally:
        os.chdir(here)


def _send(slot: _Slot, job: Job, limits: Limits) -> None:
    slot.job, slot.phase = job, "render"
    slot.deadline = time.monotonic() + RENDERS * limits.render_seconds + \
        (START_SECONDS if slot.made == 0 else 0)
    slot.base_rss = None  # measured when the layout starts: loading and rendering are not it
    slot.conn.send(job)


def _receive(slot: _Slot, limits: Limits) -> Made | None:
    """The worker's document, or None when it only said that its layout began."""
    job = slot.job
    assert job is not None
    try:
        message = slot.conn.recv()
    except (EOFError, OSError):
        slot.job = None
        return _ended(job, "a worker process ended while making this document (it crashed)")
    if isinstance(message, str):  # the phase: the layout starts
        slot.phase = message
        slot.deadline = time.monotonic() + limits.layout_seconds
        slot.base_rss = _rss(slot.process.pid)
        return None
    slot.job = None
    assert isinstance(message, Made)
    return message


def _over_limit(slot: _Slot, limits: Limits) -> Made | None:
    """A failed Made when the worker ran past a limit (the worker is then ended)."""
    job = slot.job
    assert job is not None
    what = f"{job.name}.pdf" if slot.phase == "layout" else job.name
    if time.monotonic() > slot.deadline:
        if slot.phase == "layout":
            why = (f"{what}: the layout took longer than the limit of "
                   f"{limits.layout_seconds:g} s (limits.layout_seconds)")
        else:
            why = (f"{what}: rendering took longer than the limit of "
                   f"{RENDERS} × {limits.render_seconds:g} s (limits.render_seconds)")
        return _failed(job, why, "time-limit")
    rss = _rss(slot.process.pid)
    if rss is not None and slot.base_rss is not None and \
            rss - slot.base_rss > limits.layout_memory_mb * 2**20:
        return _failed(job, f"{what}: the layout needed more memory than the limit of "
                            f"{limits.layout_memory_mb} MB (limits.layout_memory_mb)",
                       "memory-limit")
    if not slot.process.is_alive():
        return _ended(job, "a worker process ended while making this document (it crashed)")
    return None


def _failed(job: Job, message: str, code: str) -> Made:
    return Made(job, failed=True, problems=(Problem(Location("-"), message, code=code,
                                                    subject=(job.campaign, job.recipient)),))


def _ended(job: Job, why: str) -> Made:
    return _failed(job, f"{job.name}: {why}; nothing of it was written", "worker-ended")


def _replace(slots: list[_Slot], slot: _Slot, setup: Setup) -> None:
    _end(slot)
    slots[slots.index(slot)] = _start(setup)


def _end(slot: _Slot) -> None:
    """Stop a worker: asked to leave when idle, killed when busy (or deaf)."""
    process = slot.process
    if slot.job is None and process.is_alive():
        try:
            slot.conn.send(None)
        except OSError:
            pass
        process.join(2)
    if process.is_alive():
        process.kill()
        process.join(5)
    slot.conn.close()


def _rss(pid: int | None) -> int | None:
    """A process's resident memory (Linux /proc), or None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


# ---------------------------------------------------------------- in the worker process

def serve(conn: Connection, setup: Setup) -> None:
    """A worker process: make each job received, until told to stop (None) or killed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    from .make import Worker
    worker: Worker | None = None
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        if worker is None:
            try:
                worker = Worker(setup)
            except ClarionError as e:
                conn.send(Made(job, problems=tuple(e.problems()), failed=True))
                continue
        conn.send(worker.make(job, notify=conn.send))
        worker.settle()
