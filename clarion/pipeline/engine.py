"""The build engine: planned jobs made on any concurrent.futures.Executor, bytes sent back.

The parent (clarion.pipeline.build) plans jobs and writes every file; this module only makes
documents in memory. A worker — a process of a pool, the build's own process with
`--jobs 1`, or a machine of a Dask or Ray cluster behind their Executor — loads the
workspace once, keeps one FontConfiguration and one image cache, and makes its jobs one
after another, each document's layout bounded in time and memory (`limits`).
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import logging
import multiprocessing
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ClarionError, Location, PrivacyError, Problem
from ..output import privacy
from ..output.files import Output, sha256
from ..workspace.load import read_workspace
from ..workspace.model import Workspace

if TYPE_CHECKING:
    from ..render.document import Document

log = logging.getLogger(__name__)

#: documents a worker process makes before it is replaced (WeasyPrint's caches only grow)
DOCUMENTS_PER_WORKER = 200
#: after a limit is reached, how long a layout stuck in C code gets before its process ends
GRACE_SECONDS = 5.0
#: exit status of a worker process ended by the watchdog (layout stuck past its limit)
STUCK_EXIT = 75


@dataclass(frozen=True)
class Limits:
    """How long and how much memory one document's layout may take."""

    seconds: float = 60.0
    memory_mb: int = 1024


@dataclass(frozen=True)
class Job:
    """One document to make: a campaign for one recipient (or none), in some formats."""

    campaign: str
    recipient: str | None
    formats: tuple[str, ...]
    inputs: str        # hash of everything the outputs are made from (manifest `inputs`)
    content: str       # the same without the finisher: names the unsigned PDF

    @property
    def name(self) -> str:
        """`campaign/stem`, as messages name a document."""
        return f"{self.campaign}/{self.recipient or self.campaign}"


@dataclass(frozen=True)
class Made:
    """What a worker hands back for one job: the outputs' bytes, or why there are none."""

    job: Job
    outputs: tuple[Output, ...] = ()
    problems: tuple[Problem, ...] = ()   # warnings; with `failed`, the error(s) too
    failed: bool = False
    cpu: float = 0.0                     # CPU time of the thread that made it


class Finisher(Protocol):
    """Turns a finished, privacy-checked PDF into the one written (e.g. signs it).

    Made once per worker by a FinisherFactory; `identity` (a key's fingerprint) is part
    of every job's inputs hash, so that a new key rebuilds the PDFs; `signature_box`, when
    not None, is given to the templates (a visible signature's box).
    """

    identity: str
    signature_box: dict[str, str] | None

    def __call__(self, pdf: bytes, job: Job) -> bytes: ...


#: (workspace, setup) → Finisher or None; a module-level function, so it can be pickled
FinisherFactory = Callable[[Workspace, "Setup"], "Finisher | None"]


def no_finisher(ws: Workspace, setup: Setup) -> Finisher | None:
    """PDFs written as WeasyPrint made them."""
    return None


class SigningFinisher:
    """Signs each PDF with the workspace's key (clarion.output.signing), parsed once."""

    def __init__(self, ws: Workspace, signer: Any):
        self.ws, self.signer = ws, signer
        self.identity: str = signer.fingerprint
        self.signature_box: dict[str, str] | None = signer.box() if signer.visible else None

    def __call__(self, pdf: bytes, job: Job) -> bytes:
        campaign = self.ws.campaigns[job.campaign]
        return bytes(self.signer.sign(pdf, location=campaign.place,
                                      source=f"build/{job.name}.pdf"))


def signing_finisher(ws: Workspace, setup: Setup) -> Finisher | None:
    """The default: sign PDFs when `signing:` is set, PDFs are made and --no-sign not given."""
    if ws.settings.signing is None or not setup.sign:
        return None
    from ..output.signing import Signer
    return SigningFinisher(ws, Signer.load(ws.root, ws.settings.signing, setup.passphrase))


@dataclass(frozen=True)
class Setup:
    """Everything a worker needs to start: sent once to each worker (picklable)."""

    root: Path
    limits: Limits
    sign: bool = True           # PDFs are made and may be signed
    finisher: FinisherFactory = signing_finisher
    in_process: bool = False    # the build's own process: never end it, even when stuck
    build: str = ""             # one per build: a worker kept from an earlier build reloads
    passphrase: bytes | None = field(default=None, repr=False)  # of an encrypted signing key


#: a document's stylesheet, as the built-in templates write it: parsed once per worker
STYLE = re.compile(r"<style>(.*?)</style>", re.S)
MAX_STYLESHEETS = 32


class LayoutLimit(BaseException):
    """A document's layout ran past a limit (a BaseException: no `except Exception` eats it)."""


# ---------------------------------------------------------------- bounds on one layout

def _rss_bytes() -> int | None:
    """This process's resident memory (Linux /proc), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def bounded(limits: Limits, what: str, hard_exit: bool) -> Iterator[None]:
    """Run the block under `limits`: past either, LayoutLimit is raised in it.

    A watchdog thread measures wall time and the growth of resident memory every 50 ms
    and interrupts the main thread with SIGUSR1, whose handler raises. No RLIMIT_AS: a cap
    on address space makes Pango's allocations fail where they cannot be caught.
    When the main thread is stuck in C code and does not answer within GRACE_SECONDS, a
    worker process (`hard_exit`) ends itself; the parent then reports the document.
    Outside the main thread (a thread-based executor) no limit can be enforced.
    """
    if threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "pthread_kill"):
        yield
        return
    start, base = time.monotonic(), _rss_bytes()
    stop, main = threading.Event(), threading.main_thread().ident
    reason: list[str] = []

    def interrupt(signum: int, frame: object) -> None:
        if reason and not stop.is_set():
            stop.set()
            raise LayoutLimit(reason[0])

    def watch() -> None:
        while not stop.wait(0.05):
            rss = _rss_bytes()
            if time.monotonic() - start > limits.seconds:
                reason.append(f"{what}: the layout took longer than the limit of "
                              f"{limits.seconds:g} s (limits.layout_seconds)")
            elif base is not None and rss is not None and \
                    rss - base > limits.memory_mb * 2**20:
                reason.append(f"{what}: the layout needed more memory than the limit of "
                              f"{limits.memory_mb} MB (limits.layout_memory_mb)")
            else:
                continue
            assert main is not None
            signal.pthread_kill(main, signal.SIGUSR1)
            if not stop.wait(GRACE_SECONDS) and hard_exit:
                os._exit(STUCK_EXIT)
            return

    previous = signal.signal(signal.SIGUSR1, interrupt)
    watchdog = threading.Thread(target=watch, name="clarion-layout-watchdog", daemon=True)
    watchdog.start()
    try:
        yield
    finally:
        stop.set()
        watchdog.join()
        signal.signal(signal.SIGUSR1, previous)


# ---------------------------------------------------------------- the worker

class Worker:
    """One process's state: the workspace, private strings, fonts, image cache, finisher."""

    def __init__(self, setup: Setup, ws: Workspace | None = None):
        if ws is None:
            ws, _ = read_workspace(setup.root, ())
        if ws is None:  # changed since the parent checked it
            raise ClarionError("the workspace changed during the build; run it again")
        self.setup, self.ws = setup, ws
        self.secrets = privacy.private_strings(ws)
        self.finish = setup.finisher(ws, setup)
        self.fonts: Any = None
        self.cache: dict[Any, Any] = {}
        self.styles: dict[str, object | None] = {}
        self.settled = False  # see _settle

    def font_config(self) -> Any:
        if self.fonts is None:
            from weasyprint.text.fonts import FontConfiguration
            self.fonts = FontConfiguration()
        return self.fonts

    def stylesheet(self, html: str) -> tuple[str, list[object]]:
        """The document without its one `<style>` block, and that block parsed (once per
        worker for each distinct block: they differ only by paper and language)."""
        blocks = STYLE.findall(html)
        if len(blocks) != 1 or html.count("<style") != 1:
            return html, []
        text = blocks[0]
        if text not in self.styles:
            from ..output.pdf import parse_stylesheet
            if len(self.styles) >= MAX_STYLESHEETS:
                self.styles.clear()
            self.styles[text] = parse_stylesheet(text, self.ws.root,
                                                 self.ws.settings.allow_remote)
        css = self.styles[text]
        return (STYLE.sub("", html, count=1), [css]) if css is not None else (html, [])

    def make(self, job: Job) -> Made:
        cpu = time.thread_time()
        try:
            outputs, problems = self._make(job)
        except LayoutLimit as e:
            return Made(job, problems=(Problem(Location("-"), str(e)),), failed=True)
        except ClarionError as e:
            return Made(job, problems=tuple(e.problems()), failed=True)
        return Made(job, tuple(outputs), tuple(problems), cpu=time.thread_time() - cpu)

    def _make(self, job: Job) -> tuple[list[Output], list[Problem]]:
        ws = self.ws
        campaign = ws.campaigns.get(job.campaign)
        recipient = ws.recipients.get(job.recipient) if job.recipient else None
        if campaign is None or (job.recipient and recipient is None):
            raise ClarionError(f"{job.name}: the workspace changed during the build; "
                               "run it again")
        # imported here: a build with nothing to make does not load the render stack
        from ..render.document import forms_for, render_document
        box = self.finish.signature_box if self.finish is not None else None
        doc = render_document(ws, campaign, recipient, signature_box=box,
                              forms=forms_for(job.formats))
        problems = list(doc.warnings)
        datas = self._check_and_encode(doc, job)
        signed = False
        unsigned: str | None = None
        if "pdf" in job.formats or "eml" in job.formats:  # an e-mail draft attaches the PDF
            from ..output.pdf import write_pdf
            fonts = self.font_config()  # imports and font set-up are not the document's
            html, sheets = self.stylesheet(doc.print_html)
            with bounded(self.setup.limits, f"{job.name}.pdf",
                         hard_exit=not self.setup.in_process):
                pdf, refused = write_pdf(
                    html, ws.root, doc.metadata, identity=f"{job.name}/{job.content}",
                    allow_remote=ws.settings.allow_remote, source=f"{job.name}.pdf",
                    stylesheets=sheets, secrets=self.secrets, font_config=fonts,
                    cache=self.cache)
            problems += [Problem(Location("-"), r, "warning") for r in refused]
            unsigned = sha256(pdf)
            if self.finish is not None:  # after every privacy check, before anything returns
                pdf, signed = self.finish(pdf, job), True
            datas["pdf"] = pdf
        if "eml" in job.formats:  # made from the final (signed) PDF
            from ..output.email import make_draft
            eml = make_draft(ws, doc, campaign, recipient, job.inputs, datas["pdf"])
            if eml is not None:
                datas["eml"] = eml
        stem = job.recipient or job.campaign
        return [Output(f"{stem}.{fmt}", fmt, doc.recipient, doc.language, datas[fmt],
                       job.inputs, signed=signed and fmt == "pdf",
                       unsigned_sha256=unsigned if fmt == "pdf" else None)
                for fmt in job.formats if fmt in datas], problems

    def _check_and_encode(self, doc: Document, job: Job) -> dict[str, bytes]:
        """The text outputs' bytes, once no private string is in any form of the document."""
        leak = privacy.scan_outputs(self.secrets, f"build/{job.name}", markdown=doc.markdown,
                                    html_text=doc.html, print_html=doc.print_html,
                                    metadata=doc.metadata, root=self.ws.root)
        if leak:
            raise PrivacyError(str(leak))
        datas: dict[str, bytes] = {}
        if "md" in job.formats:
            datas["md"] = doc.markdown.encode("utf-8")
        if "html" in job.formats:
            datas["html"] = doc.html.encode("utf-8")
        return datas


_worker: Worker | None = None
#: set in a process of the default pool, whose memory is its own (see _settle)
_pool_process = False


def _worker_for(setup: Setup, ws: Workspace | None = None) -> Worker:
    """This process's worker for `setup`, made on first use (any executor, no initializer)."""
    global _worker
    if _worker is None or _worker.setup != setup:
        _worker = Worker(setup, ws)
    return _worker


def init_process(setup: Setup) -> None:
    """A pool process's initializer: Ctrl-C is the parent's to handle; load the workspace."""
    global _pool_process
    _pool_process = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    try:
        _worker_for(setup).font_config()
    except ClarionError:
        pass  # reported by the first chunk, which tries again


def make_chunk(setup: Setup, jobs: Sequence[Job]) -> list[Made]:
    """The task sent to an executor: make these jobs, stopping at the first failure."""
    try:
        worker = _worker_for(setup)
    except ClarionError as e:
        return [Made(jobs[0], problems=tuple(e.problems()), failed=True)]
    made = []
    for job in jobs:
        made.append(worker.make(job))
        if made[-1].failed:
            break
        _settle(worker)
    return made


def _settle(worker: Worker) -> None:
    """In a process of the default pool, once its first document is made: what is loaded by
    then (the workspace, fonts, hyphenation dictionaries, compiled templates) lives as long
    as the process, so it is moved out of the garbage collector's sight (`gc.freeze`).
    WeasyPrint leaves reference cycles behind every document, and each collection of the
    oldest generation would otherwise walk all of it again: about 10 ms of a letter.
    Not in the build's own process, or under another executor, whose memory is not ours."""
    if _pool_process and not worker.settled:
        gc.collect()
        gc.freeze()
        worker.settled = True


# ---------------------------------------------------------------- the parent's side

#: the most documents sent to a worker at once
MAX_CHUNK = 16


def chunks(jobs: Sequence[Job], workers: int) -> list[list[Job]]:
    """Jobs in chunks that shrink towards the end (guided scheduling): up to MAX_CHUNK
    documents while there is much left, so that sending costs little, then smaller and
    smaller, down to one, so that all workers finish together instead of one waiting for
    the other's last big chunk."""
    out, start = [], 0
    while start < len(jobs):
        size = max(1, min(MAX_CHUNK, (len(jobs) - start) // (workers * 4)))
        out.append(list(jobs[start:start + size]))
        start += size
    return out


def process_pool(workers: int, setup: Setup) -> Executor:
    """The default executor: worker processes started from a warm forkserver. `run` replaces
    the whole pool after about DOCUMENTS_PER_WORKER documents per worker, so WeasyPrint's
    memory cannot grow without end (not with `max_tasks_per_child`: in Python 3.11 a pool
    whose workers exit that way can stop starting new ones and wait forever)."""
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":  # new workers start from a warm process
        ctx.set_forkserver_preload(["clarion.pipeline.engine", "clarion.output.pdf", "weasyprint"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=init_process,
                               initargs=(setup,))


def rounds(jobs: Sequence[Job], workers: int) -> list[list[list[Job]]]:
    """The jobs in rounds of DOCUMENTS_PER_WORKER documents per worker, one pool each, each
    round in chunks (the chunks of a round end together, before the pool is replaced)."""
    per_round = max(1, workers * DOCUMENTS_PER_WORKER)
    return [chunks(jobs[i:i + per_round], workers) for i in range(0, len(jobs), per_round)]


ExecutorFactory = Callable[[int, Setup], Executor]


def run(jobs: Sequence[Job], setup: Setup, workers: int,
        on_made: Callable[[Made], bool],
        executor: Executor | ExecutorFactory | None = None,
        ws: Workspace | None = None) -> None:
    """Make `jobs`, calling `on_made` in this process for each result as it arrives.

    `on_made` returns False to stop: no new job is started, the ones under way are
    abandoned. With `workers` 1 (and no executor) everything runs in this process, under
    the same limits. `executor` is any concurrent.futures.Executor (it is not shut down
    here) or a factory (workers, setup) → Executor, e.g. one of a Dask or Ray cluster.
    In this process, `ws` (the workspace the parent loaded) is used as it is.
    """
    if not jobs:
        return
    if executor is None and workers <= 1:
        in_process = dataclasses.replace(setup, in_process=True)
        _worker_for(in_process, ws)
        for job in jobs:
            for made in make_chunk(in_process, [job]):
                if not on_made(made):
                    return
        return
    owned = executor is None or not isinstance(executor, Executor)
    factory: ExecutorFactory = process_pool if executor is None else \
        executor if not isinstance(executor, Executor) else (lambda n, s: executor)
    # the default pool is replaced between rounds; another executor gets all the work at once
    for round_ in rounds(jobs, workers) if executor is None else [chunks(jobs, workers)]:
        pool = factory(workers, setup)
        pending: dict[Future[list[Made]], list[Job]] = {}
        finished = False
        try:
            for chunk in round_:
                pending[pool.submit(make_chunk, setup, chunk)] = chunk
            finished = _collect(pending, on_made)
        finally:
            for future in pending:
                future.cancel()
            if owned:
                _stop(pool, abort=not finished)
        if not finished:
            return


def _collect(pending: dict[Future[list[Made]], list[Job]],
             on_made: Callable[[Made], bool]) -> bool:
    """Hand each result to `on_made` as its chunk ends; False when stopped early."""
    from concurrent.futures import FIRST_COMPLETED, wait
    from concurrent.futures.process import BrokenProcessPool
    waiting = set(pending)
    while waiting:
        done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
        for future in sorted(done, key=lambda f: pending[f][0].name):
            chunk = pending.pop(future)
            try:
                results = future.result()
            except BrokenProcessPool:
                names = ", ".join(j.name for j in chunk[:3]) + (", …" if len(chunk) > 3 else "")
                results = [Made(chunk[0], failed=True, problems=(Problem(Location("-"), (
                    f"{names}: a worker process ended while making this document (its layout "
                    "was stuck past a limit, or it crashed); nothing of it was written")),))]
            for made in results:
                if not on_made(made):
                    return False
    return True


def _stop(pool: Executor, abort: bool) -> None:
    """Shut the pool down; when aborting, pending work is cancelled and busy workers end."""
    if not abort:
        pool.shutdown(wait=True)
        return
    processes = dict(getattr(pool, "_processes", None) or {})
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes.values():
        if process.is_alive():
            process.terminate()
    for process in processes.values():
        process.join(10)
