"""`clarion preview`'s server: the application served by uvicorn on 127.0.0.1 in a thread of
its own, a thread watching the workspace, and the calling thread, which reloads the workspace
after each change and makes the documents' HTML (clarion.preview.mainthread)."""
from __future__ import annotations

import socket
import threading
import time

from ..errors import ClarionError, UsageError, did_you_mean
from ..pipeline.session import Session
from .app import make_app
from .documents import Documents
from .mainthread import MainThread
from .security import HOST, new_token
from .state import Live
from .watch import changes

#: how long the server may take to start, and to stop
START_SECONDS = 10
STOP_SECONDS = 3


class Preview:
    """One run of the preview: the address (with its token) is known once it is made;
    `serve()` runs it until Ctrl-C (KeyboardInterrupt, raised again) or `stop()`."""

    def __init__(self, session: Session, campaign: str | None = None, port: int = 0):
        import uvicorn
        if not session.root.is_dir():  # nothing to watch: say so now, not once serving
            raise ClarionError(f"{session.root}: no such folder; give the workspace with -w")
        self.live = Live(session, campaign)
        _check_campaign(self.live, campaign)
        self._main = MainThread()
        self.documents = Documents(self._main.call)
        self._socket = listen(port)
        self.port = int(self._socket.getsockname()[1])
        self.token = new_token()
        self.url = f"http://{HOST}:{self.port}/{self.token}/"
        config = uvicorn.Config(
            make_app(self.live, self.token, self.port, self.documents), interface="asgi3",
            http="h11", ws="none", lifespan="off", log_config=None, log_level="warning",
            access_log=False, server_header=False, date_header=False,
            timeout_graceful_shutdown=STOP_SECONDS)
        self._server = uvicorn.Server(config)
        self._stop = threading.Event()
        self._changed = threading.Event()
        self._watch_failed: BaseException | None = None
        self._serving: threading.Thread | None = None

    def serve(self) -> None:
        """Serve, reloading the workspace after each change, until stopped."""
        server = self._serving = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]},
            name="clarion-preview-server", daemon=True)
        watcher = threading.Thread(target=self._watch, name="clarion-preview-watch",
                                   daemon=True)
        server.start()
        try:
            _wait_started(self._server, server)
            watcher.start()
            self._main.run(self._idle)
        finally:
            self._stop.set()
            # stop now: a document being made for a page is abandoned, not waited for
            self._server.should_exit = self._server.force_exit = True
            server.join(STOP_SECONDS + 2)
            if watcher.ident is not None:
                watcher.join(2)
            self._socket.close()

    def stop(self) -> None:
        """End `serve()` from another thread."""
        self._stop.set()
        self._main.wake()

    def _watch(self) -> None:
        try:
            for _ in changes(self.live.base.root, [self.live.base.output], self._stop):
                self._changed.set()
                self._main.wake()
        except Exception as e:  # reported by the serving thread, which stops
            self._watch_failed = e
            self._main.wake()

    def _idle(self) -> bool:
        """After a change: reload, make again the documents being viewed, then check the
        whole workspace. False once stopped."""
        if self._watch_failed is not None:
            raise ClarionError(f"watching the workspace failed: {self._watch_failed}")
        if self._serving is not None and not self._serving.is_alive():
            raise ClarionError("the preview's web server stopped")
        if self._changed.is_set() and not self._stop.is_set():
            self._changed.clear()
            self.documents.remake_viewed(self.live.reload())
            self.live.check()
        return not self._stop.is_set()


def listen(port: int) -> socket.socket:
    """A socket listening on 127.0.0.1 at `port` (0: a free one the system picks)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(64)
    except OSError as e:
        sock.close()
        raise ClarionError(f"cannot listen on {HOST}:{port}: {e.strerror or e}; choose "
                           "another --port, or leave it out for a free one") from e
    return sock


def _check_campaign(live: Live, campaign: str | None) -> None:
    """An unknown campaign is a usage mistake (a broken one is shown with its errors)."""
    loaded = live.snapshot.loaded
    if campaign is None or loaded is None:
        return
    known = {*loaded.ws.campaigns, *loaded.blocked}
    if campaign not in known:
        raise UsageError(f"unknown campaign `{campaign}`{did_you_mean(campaign, known)}; "
                         "`clarion list campaigns` shows them")


def _wait_started(server: object, thread: threading.Thread) -> None:
    deadline = time.monotonic() + START_SECONDS
    while not getattr(server, "started", False):
        if not thread.is_alive() or time.monotonic() > deadline:
            raise ClarionError("the preview's web server did not start")
        time.sleep(0.02)
