"""Work the server's threads hand to the thread that runs the preview (the main thread of
`clarion preview`), which alone may bound a render's time: the limit is a timer signal, and
only the main thread receives signals. That thread also reloads the workspace on a change."""
from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from ..errors import ClarionError

T = TypeVar("T")
#: how often the waiting thread looks up from its queue (Ctrl-C is seen at once regardless)
TICK = 0.5

_Task = tuple[Callable[[], Any], "Future[Any]"]


class Stopped(ClarionError):
    """The preview stopped before the work handed to it was done."""


class MainThread:
    """A queue of calls run one at a time by the thread in `run()`; a call made from that
    thread itself (or before `run()`) runs at once, where it is made; after, none runs."""

    def __init__(self) -> None:
        self._queue: queue.Queue[_Task | None] = queue.Queue()
        self._owner: threading.Thread | None = None
        self._ended = False
        self._lock = threading.Lock()

    def call(self, fn: Callable[[], T]) -> T:
        """`fn()` run in the owning thread: its result, or its exception raised here."""
        with self._lock:
            if self._ended:
                raise Stopped("the preview stopped")
            owner = self._owner
            if owner is not None and threading.current_thread() is not owner:
                future: Future[T] = Future()
                self._queue.put((fn, future))
        if owner is None or threading.current_thread() is owner:
            return fn()
        return future.result()

    def wake(self) -> None:
        """Have `run()` call its `idle` function now."""
        self._queue.put(None)

    def run(self, idle: Callable[[], bool]) -> None:
        """Run the calls handed over, and `idle()` when woken or every TICK, in this thread,
        until `idle()` returns False or Ctrl-C (KeyboardInterrupt, raised again)."""
        with self._lock:
            self._owner = threading.current_thread()
        try:
            while idle():
                try:
                    task = self._queue.get(timeout=TICK)
                except queue.Empty:
                    continue
                if task is not None:
                    _run(*task)
        finally:
            with self._lock:
                self._owner, self._ended = None, True
            self._drain()

    def _drain(self) -> None:
        """Fail what is still queued: no request waits for a thread that has stopped."""
        while True:
            try:
                task = self._queue.get_nowait()
            except queue.Empty:
                return
            if task is not None and task[1].set_running_or_notify_cancel():
                task[1].set_exception(Stopped("the preview stopped"))


def _run(fn: Callable[[], Any], future: Future[Any]) -> None:
    if not future.set_running_or_notify_cancel():
        return
    try:
        future.set_result(fn())
    except BaseException as e:  # handed to the caller; Ctrl-C also stops the run
        future.set_exception(e)
        if not isinstance(e, Exception):
            raise
