"""The build, top to bottom: load (once, in the session) → plan what changed → make each
document (clarion.pipeline.engine) → write it → prune what is gone."""
from __future__ import annotations

import dataclasses
import logging
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ClarionError, Problem, ProblemsError, UsageError, did_you_mean
from ..output.files import (
    clean_campaign,
    manifest_entry,
    parts,
    remove_outputs,
    safe_join,
    trusted_manifest,
    write_manifest,
    write_output,
)
from ..workspace.audience import recipients_of
from ..workspace.model import Workspace
from ..workspace.userconfig import User
from .engine import run as run_jobs
from .jobs import FinisherFactory, Job, Made, Setup, signing_finisher
from .plan import Folder, Plan, check_names, outdated, plan
from .session import Session, session_of

log = logging.getLogger(__name__)

#: ids a summarised warning names before `…`
SHOWN_IDS = 3
#: below this many PDFs (or text-only documents), a second process costs more than it saves
POOL_MIN_PDFS = 8
POOL_MIN_TEXTS = 50


@dataclass
class BuildOptions:
    campaigns: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    out: Path | None = None
    force: bool = False
    jobs: int | None = None     # processes; None: every core when there is enough work
    sign: bool = True
    passphrase: bytes | None = field(default=None, repr=False)  # of an encrypted signing key


@dataclass
class BuildReport:
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    removed: list[Path] = field(default_factory=list)      # outputs of what is gone
    warnings: list[Problem] = field(default_factory=list)  # summarised: one per kind
    all_warnings: list[Problem] = field(default_factory=list)  # each one (`--verbose`)
    documents: int = 0                                      # documents made
    workers: int = 0                                        # processes that made them
    cpu: float = 0.0                # CPU seconds the documents took (not start-up)
    #: campaigns not built because of errors in what they use (a build of every campaign)
    blocked: dict[str, list[Problem]] = field(default_factory=dict)


Progress = Callable[[int, int], None]


def build(where: Path | Session, options: BuildOptions, progress: Progress | None = None,
          finisher: FinisherFactory = signing_finisher) -> BuildReport:
    """Build what changed; write it; remove the outputs of recipients and campaigns that
    are gone. `finisher` makes each worker's PDF finisher, by default the signer."""
    session = session_of(where)
    if options.out is not None:
        session.out = Path(options.out)
    loaded = session.loaded(options.campaigns or None)
    ws, problems = loaded.ws, loaded.warnings
    # a colleague's broken draft blocks only what uses it: the rest is built, then reported
    names = options.campaigns or tuple(c for c in sorted(ws.campaigns) if c not in loaded.blocked)
    if options.recipients and loaded.blocked and not options.campaigns:
        # the recipient's campaign may be the one blocked: its errors say more than "unknown"
        known = {r.id for c in names for r in recipients_of(ws, ws.campaigns[c]) if r}
        if not set(options.recipients) <= known:
            raise ProblemsError(sorted({p for f in loaded.blocked.values() for p in f}))
    formats = tuple(dict.fromkeys(options.formats or ws.settings.build.formats))
    check_names(ws, names, formats)
    setup, signer = _setup(session, ws, options, formats, finisher)
    todo = plan(ws, session.digests(signer), session.output, names, options.recipients,
                formats, options.force)
    report = BuildReport(unchanged=todo.unchanged, blocked=dict(loaded.blocked))
    warnings: list[Problem] = list(problems)
    failures = _make(todo, setup, ws, options.jobs, report, warnings, progress)
    if not options.campaigns and not failures and not loaded.ignored and not loaded.blocked:
        report.removed += _remove_gone_campaigns(ws, session.output)
    return _finish(report, warnings, failures)


def build_jobs(session: Session, jobs: Sequence[Job], options: BuildOptions,
               finisher: FinisherFactory = signing_finisher) -> BuildReport:
    """Make these jobs (documents not from a campaign file: an alert) into their folders,
    as a build makes any document: unless current, written whole, listed in a manifest."""
    ws, problems = session.load()
    formats = tuple(dict.fromkeys(f for j in jobs for f in j.formats))
    setup, signer = _setup(session, ws, options, formats, finisher)
    digests = session.digests(signer)
    todo = Plan([], {})
    for job in jobs:
        folder = todo.folders.get(job.campaign) or Folder(
            job.campaign, trusted_manifest(safe_join(session.output, *parts(job.campaign))),
            {job.stem}, prune=False)
        todo.folders[job.campaign] = folder
        formats_todo, attach, unchanged = outdated(folder.previous, job.stem, job.formats,
                                                   digests, options.force)
        todo.unchanged += unchanged
        if formats_todo:
            todo.jobs.append(dataclasses.replace(job, formats=formats_todo, attach=attach))
    report = BuildReport(unchanged=todo.unchanged)
    warnings: list[Problem] = list(problems)
    failures = _make(todo, setup, ws, options.jobs, report, warnings, None)
    return _finish(report, warnings, failures)


def make_one(session: Session, job: Job, options: BuildOptions | None = None) -> Made:
    """Make one document that is not written to a campaign's folder (the print bundle's
    cover sheet) in a worker, bounded like every other; its failure raised."""
    ws, _ = session.load()
    setup, _ = _setup(session, ws, options or BuildOptions(sign=False), job.formats,
                      signing_finisher)
    results: list[Made] = []

    def keep(made: Made) -> bool:
        results.append(made)
        return True

    run_jobs([job], setup, 1, ws.settings.limits, keep)
    made = results[0]
    if made.failed:
        errors = [p for p in made.problems if p.severity == "error"]
        raise ProblemsError(errors) if len(errors) > 1 else _error(errors[0])
    return made


def _setup(session: Session, ws: Workspace, options: BuildOptions, formats: tuple[str, ...],
           finisher: FinisherFactory) -> tuple[Setup, str]:
    """What every worker is given, and the signer's identity (checked here first: a key
    that cannot be used fails the build before any document is made)."""
    setup = Setup(ws.root, session.output, session.options,
                  sign=options.sign and ("pdf" in formats or "eml" in formats),
                  finisher=finisher, build=uuid.uuid4().hex, passphrase=options.passphrase,
                  key=session.key, user=session.user)
    made = finisher(ws, setup)
    return setup, made.identity if made is not None else ""


def _finish(report: BuildReport, warnings: list[Problem],
            failures: list[Problem]) -> BuildReport:
    report.all_warnings = list(dict.fromkeys(warnings))
    report.warnings = summarise(warnings)
    if failures:
        raise ProblemsError(failures) if len(failures) > 1 else _error(failures[0])
    return report


def _make(todo: Plan, setup: Setup, ws: Workspace, jobs: int | None, report: BuildReport,
          pairs: list[Problem], progress: Progress | None) -> list[Problem]:
    """Make the planned jobs, writing each document as it comes; then the manifests (also
    on Ctrl-C: a manifest lists every whole file written so far)."""
    failures: list[Problem] = []
    out = setup.out

    def on_made(made: Made) -> bool:
        pairs.extend(p for p in made.problems if not made.failed or p.severity != "error")
        if made.failed:
            failures.extend(p for p in made.problems if p.severity == "error")
            return False
        folder = todo.folders[made.job.campaign]
        for o in made.outputs:
            report.written.append(write_output(out, made.job.campaign, o))
            folder.fresh[o.file] = manifest_entry(o)
        report.documents += 1
        report.cpu += made.cpu
        if progress:
            progress(report.documents, len(todo.jobs))
        return True

    completed = False
    try:
        report.workers = workers_for(todo.jobs, jobs)
        run_jobs(todo.jobs, setup, report.workers, ws.settings.limits, on_made)
        completed = not failures
    finally:
        for name, folder in todo.folders.items():
            if completed and folder.prune:
                report.removed += remove_outputs(out, name, folder.outdated())
            _write_manifest(out, folder, completed)
    return failures


def workers_for(jobs: Sequence[object], wanted: int | None) -> int:
    """Processes to use: as asked (`--jobs`), or by default every core once there is enough
    work to pay for starting them."""
    if len(jobs) < 2:
        return 1
    if wanted is not None:
        return min(wanted, len(jobs))
    pdfs = sum(1 for j in jobs if "pdf" in getattr(j, "formats", ()))
    if pdfs < POOL_MIN_PDFS and len(jobs) < POOL_MIN_TEXTS:
        return 1
    return min(cores(), len(jobs))


def cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _error(problem: Problem) -> ClarionError:
    return ClarionError(problem.message,
                        problem.location if problem.location.path != "-" else None)


def _write_manifest(out: Path, folder: Folder, completed: bool) -> None:
    """Previous entries still on disk (less those pruned), then this build's."""
    gone = set(folder.outdated()) if completed and folder.prune else set()
    if not folder.fresh and not gone:
        return
    entries = {f: e for f, e in folder.previous.items()
               if f not in gone and out.joinpath(*folder.name.split("/"), f).is_file()}
    entries.update(folder.fresh)
    write_manifest(out, folder.name, entries)


def _remove_gone_campaigns(ws: Workspace, out: Path) -> list[Path]:
    """The outputs of campaigns whose file was deleted (not of one that failed to load)."""
    if not out.is_dir():
        return []
    removed: list[Path] = []
    for folder in sorted(out.iterdir()):
        name = folder.name
        if folder.is_symlink() or not folder.is_dir() or name in ws.campaigns or \
                name == "alerts" or _campaign_file_exists(ws.root, name):
            continue
        removed += clean_campaign(out, name)
    return removed


def _campaign_file_exists(root: Path, name: str) -> bool:
    return any((root / "campaigns" / f"{name}{s}").exists() for s in (".yaml", ".yml", ".md"))


def signer_identity(ws: Workspace, user: User, sign: bool = True) -> str:
    """Whom signed PDFs are built by — the key `user` chose (signatures.chosen_signing), from
    its certificate, no passphrase needed: what `status` compares a signed letter's `signer`
    with. Empty when nothing signs or the workspace names a key the user did not confirm
    (then every signed letter shows as not current until the user confirms it)."""
    if not sign:
        return ""
    from ..output.keys import SigningError, signing_identity
    from .signatures import chosen_signing
    try:
        chosen = chosen_signing(ws, user)
    except SigningError:
        return ""
    return signing_identity(*chosen) or "" if chosen else ""


# ---------------------------------------------------------------- warnings

def summarise(problems: Sequence[Problem]) -> list[Problem]:
    """The same warning for many recipients as one, with a count and the first few ids:
    `no de translation for 50 recipients (mep-0003, mep-0007, …); written in en`.

    Two warnings are the same when their place, severity and code are, and their messages
    are, but for the id of the recipient each is about (its subject)."""
    groups: dict[tuple[object, ...], list[Problem]] = {}
    for p in problems:
        recipient = p.subject[1] if p.subject else None
        shape = p.message.replace(recipient, "\0") if recipient else p.message
        key = (p.location, p.severity, p.code, shape)
        found = groups.setdefault(key, [])
        if all(q.subject != p.subject or q.message != p.message for q in found):
            found.append(p)
    out = []
    for shape_of, found in groups.items():
        first, shape = found[0], str(shape_of[3])
        ids = list(dict.fromkeys(q.subject[1] for q in found if q.subject and q.subject[1]))
        if len(ids) > 1:
            shown = ", ".join(ids[:SHOWN_IDS]) + (", …" if len(ids) > SHOWN_IDS else "")
            many = f"{len(ids)} recipients ({shown})"
            message = shape.replace("recipient \0", "\0").replace("\0", many)
            out.append(Problem(first.location, message, first.severity, first.code,
                               (first.subject[0], None) if first.subject else None))
        else:
            out.append(first)
    return out


# ---------------------------------------------------------------- clean

def clean(root: Path, campaigns: Sequence[str] = (), out: Path | None = None) -> list[Path]:
    """Remove what builds wrote (the files their manifests list) for these campaigns (all)."""
    root = Path(root)
    folder = Path(out) if out else root / "build"
    present = sorted(p.name for p in folder.iterdir()
                     if p.is_dir() and not p.is_symlink()) if folder.is_dir() else []
    known = set(present)
    campaigns_dir = root / "campaigns"
    if campaigns_dir.is_dir():
        known |= {p.name.rsplit(".", 1)[0] for p in campaigns_dir.iterdir()}
    for name in campaigns:
        if name not in known:
            raise UsageError(f"unknown campaign `{name}`{did_you_mean(name, known)}")
    removed: list[Path] = []
    for name in campaigns or present:
        if name in present:
            removed += clean_campaign(folder, name)
    return removed


