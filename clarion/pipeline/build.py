"""The build: load → plan what changed → make documents (clarion.pipeline.engine) → write → tidy."""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import ClarionError, Location, Problem, ProblemsError, UsageError, did_you_mean
from ..output.files import (
    clean_campaign,
    manifest_entry,
    remove_outputs,
    remove_stale_temps,
    safe_join,
    trusted_manifest,
    write_manifest,
    write_output,
)
from ..render.templating import template_dirs
from ..workspace.audience import recipients_of
from ..workspace.load import workspace_files
from ..workspace.model import Campaign, Recipient, Workspace
from ..workspace.records import FORMATS
from ..workspace.yamlio import read_workspace_file
from .check import load_checked
from .engine import ExecutorFactory, FinisherFactory, Job, Limits, Made, Setup, signing_finisher
from .engine import run as run_jobs

MAX_FETCH_BYTES = 50 * 1024 * 1024  # as output.pdf: no file a document loads is larger

log = logging.getLogger(__name__)

#: ids a summarised warning names before `…`
SHOWN_IDS = 3


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
    removed: list[Path] = field(default_factory=list)      # outdated outputs taken away
    warnings: list[Problem] = field(default_factory=list)  # summarised: one per kind
    all_warnings: list[Problem] = field(default_factory=list)  # each one (`--verbose`)
    documents: int = 0                                      # documents made
    workers: int = 0                                        # processes that made them
    cpu: float = 0.0                # CPU seconds the documents took (not start-up)


@dataclass
class _Campaign:
    """What the build knows of one campaign's folder while it runs."""

    previous: dict[str, dict[str, Any]]
    wanted: set[str]            # every output the campaign should have after this build
    prune: bool                 # remove what the manifest lists beyond `wanted`
    fresh: dict[str, dict[str, Any]] = field(default_factory=dict)


Progress = Callable[[int, int], None]


def build(root: Path, options: BuildOptions, progress: Progress | None = None,
          executor: Executor | ExecutorFactory | None = None,
          finisher: FinisherFactory = signing_finisher) -> BuildReport:
    """Build what changed; write it; remove outputs no longer part of their campaign.

    `executor` replaces the default process pool (see clarion.pipeline.engine.run); `finisher`
    makes each worker's PDF finisher once, from the workspace: by default the signer.
    """
    ws, problems = load_checked(Path(root))
    pairs: list[tuple[Problem, str | None]] = [(p, None) for p in problems]
    pdfs = "pdf" in (options.formats or _formats(ws))
    setup = Setup(ws.root, limits(ws), options.sign and pdfs, finisher,
                  build=uuid.uuid4().hex, passphrase=options.passphrase)
    made_finisher = finisher(ws, setup)  # signing: the key parsed here first, errors early
    out = Path(options.out) if options.out else ws.root / "build"
    identity = made_finisher.identity if made_finisher is not None else ""
    report = BuildReport()
    jobs, folders = plan(ws, options, out, report, Inputs(ws, identity))
    failures: list[Problem] = []

    def on_made(made: Made) -> bool:
        recipient = made.job.recipient
        pairs.extend((p, recipient) for p in made.problems if not made.failed or
                     p.severity != "error")
        if made.failed:
            failures.extend(p for p in made.problems if p.severity == "error")
            return False
        folder = folders[made.job.campaign]
        for o in made.outputs:
            report.written.append(write_output(out, made.job.campaign, o))
            folder.fresh[o.file] = manifest_entry(o)
        report.documents += 1
        report.cpu += made.cpu
        if progress:
            progress(report.documents, len(jobs))
        return True

    completed = False
    try:
        report.workers = _workers(jobs, options.jobs)
        run_jobs(jobs, setup, report.workers, on_made, executor, ws)
        completed = not failures
    finally:  # also on Ctrl-C: the manifest lists every whole file written so far
        for name, folder in folders.items():
            if completed and folder.prune:
                outdated = sorted(set(folder.previous) - folder.wanted)
                report.removed += remove_outputs(out, name, outdated)
            _write_manifest(out, name, folder, completed)
        report.all_warnings = _unique(p for p, _ in pairs)
        report.warnings = summarise(pairs)
    if failures:
        raise ProblemsError(failures) if len(failures) > 1 else _error(failures[0])
    return report


#: below this many PDFs (or text-only documents), starting processes costs more than it saves
POOL_MIN_PDFS = 8
POOL_MIN_TEXTS = 50


def _workers(jobs: list[Job], wanted: int | None) -> int:
    """Processes to use: as asked (`--jobs`), or by default every core once there is enough
    work to pay for starting them."""
    if len(jobs) < 2:
        return 1
    if wanted is not None:
        return min(wanted, len(jobs))
    pdfs = sum(1 for j in jobs if "pdf" in j.formats)
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


def _write_manifest(out: Path, name: str, folder: _Campaign, completed: bool) -> None:
    """Previous entries still on disk (and still wanted, once complete), then this build's."""
    if not folder.fresh and not (completed and folder.prune and
                                 set(folder.previous) - folder.wanted):
        return
    entries = {}
    for file, entry in folder.previous.items():
        if completed and folder.prune and file not in folder.wanted:
            continue
        if (out / name / file).is_file():
            entries[file] = entry
    entries.update(folder.fresh)
    write_manifest(out, name, entries)


def limits(ws: Workspace) -> Limits:
    """Layout limits from clarion.yaml (`limits:`)."""
    return Limits(ws.settings.limits.layout_seconds, ws.settings.limits.layout_memory_mb)


def _formats(ws: Workspace) -> tuple[str, ...]:
    return tuple(ws.settings.build.formats)


def plan(ws: Workspace, options: BuildOptions, out: Path, report: BuildReport,
         inputs: Inputs) -> tuple[list[Job], dict[str, _Campaign]]:
    """The jobs to run (what is not current), and each chosen campaign's expected files."""
    names = options.campaigns or tuple(sorted(ws.campaigns))
    for name in names:
        if name not in ws.campaigns:
            raise UsageError(f"unknown campaign `{name}`{did_you_mean(name, ws.campaigns)}; "
                             "`clarion list campaigns` shows them")
    for fmt in options.formats:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format `{fmt}`{did_you_mean(fmt, FORMATS)}; "
                             f"formats are {', '.join(FORMATS)}")
    formats = tuple(dict.fromkeys(options.formats or _formats(ws)))
    chosen = {name: recipients_of(ws, ws.campaigns[name]) for name in names}
    known = {r.id for rs in chosen.values() for r in rs if r is not None}
    for rid in options.recipients:
        if rid not in known:
            raise UsageError(f"no recipient of the chosen campaigns matches --recipient "
                             f"{rid}{did_you_mean(rid, known)}")
    jobs, folders = [], {}
    for name in names:
        campaign = ws.campaigns[name]
        folder = safe_join(out, name)
        remove_stale_temps(out, name)
        previous = trusted_manifest(folder)
        # a --format build adds formats; only a build of the configured ones drops others
        kept_formats = set(_formats(ws)) | set(formats)
        wanted = {f"{r.id if r else name}.{f}" for r in chosen[name]
                  for f in _formats_for(kept_formats, r)}
        folders[name] = _Campaign(previous, wanted, prune=True)
        for recipient in chosen[name]:
            if options.recipients and (recipient is None or
                                       recipient.id not in options.recipients):
                continue
            stem = recipient.id if recipient else name
            content = inputs.document(campaign, recipient)
            digest = inputs.with_finisher(content)
            own = _formats_for(formats, recipient)
            # `previous` holds only entries whose file was just checked against its hash
            todo = tuple(f for f in own if options.force or
                         previous.get(f"{stem}.{f}", {}).get("inputs") != digest)
            if "eml" in own and ("eml" in todo) != ("pdf" in todo):  # a draft with its PDF
                todo = tuple(dict.fromkeys(("pdf", *todo, "eml")))
            report.unchanged += len([f for f in own if f not in todo])
            if todo:
                safe_join(out, name, f"{stem}.{todo[0]}")
                jobs.append(Job(name, recipient.id if recipient else None, todo, digest,
                                content))
    return jobs, folders


def _formats_for(formats: Iterable[str], recipient: Recipient | None) -> tuple[str, ...]:
    """The formats one document is made in: an e-mail draft only for a recipient with an
    e-mail address."""
    return tuple(f for f in formats
                 if f != "eml" or (recipient is not None and recipient.email))


def as_text(problem: Problem) -> str:
    """A warning as one line without its severity (`where: message`)."""
    if problem.location.path == "-":
        return problem.message
    return f"{problem.location}: {problem.message}"



def read_input(root: Path, path: Path) -> bytes:
    """A file's bytes for the inputs hash: read without links, size-checked first (a link to
    a huge file is not read); a file that is refused counts by why it was refused."""
    base = root if path.is_relative_to(root) else path.parent
    try:
        return read_workspace_file(base, path.relative_to(base), MAX_FETCH_BYTES)
    except OSError as e:
        return f"refused: {e}".encode()


class Inputs:
    """Hashes of what each document is made from; every file is read once per build."""

    def __init__(self, ws: Workspace, finisher_identity: str = ""):
        self.ws, self.identity = ws, finisher_identity
        self.files: dict[Path, bytes] = {}
        self.campaigns: dict[str, bytes] = {}
        self.shared = [p for d in template_dirs(ws.root) for p in sorted(workspace_files(d))]
        assets = ws.root / "assets"
        if assets.is_dir() and not assets.is_symlink():
            self.shared += sorted(workspace_files(assets))
        self._templates_count: bool | None = None

    def file(self, path: Path) -> bytes:
        if path not in self.files:
            self.files[path] = hashlib.sha256(read_input(self.ws.root, path)).digest() \
                if path.is_file() else b"-"
        return self.files[path]

    def _count_in_templates(self) -> bool:
        if self._templates_count is None:
            self._templates_count = any(
                b"count_cases" in read_input(self.ws.root, p)
                for d in template_dirs(self.ws.root) for p in workspace_files(d))
        return self._templates_count

    def campaign(self, campaign: Campaign) -> bytes:
        """The digest of every file a campaign's documents share."""
        if campaign.id not in self.campaigns:
            ws = self.ws
            paths = {ws.root / "clarion.yaml", *[ws.root / "campaigns" / f"{campaign.id}{s}"
                                                for s in (".yaml", ".yml", ".md")]}
            # alerts over all cases, and counts, read every case: then every case file counts
            reads_all = not campaign.cases or any(
                "count_cases" in (text or "") for text in
                [campaign.body, *[t.body for t in campaign.translations.values()]]) \
                or self._count_in_templates()
            cases = ws.cases.values() if reads_all else \
                [ws.cases[c] for c in campaign.cases if c in ws.cases]
            records: list[object] = list(cases)
            if campaign.event and campaign.event.case in ws.cases:
                records.append(ws.cases[campaign.event.case])
            records += [ws.signatories[s] for s in campaign.signatories
                        if s in ws.signatories]
            paths |= {ws.root / loc.path for r in records
                      if (loc := getattr(r, "loc", None)) is not None}
            digest = hashlib.sha256(f"clarion {__version__}\n".encode())
            for path in sorted(paths | set(self.shared)):
                digest.update(str(path.relative_to(ws.root) if path.is_relative_to(ws.root)
                                  else path.relative_to(path.anchor)).encode() + b"\0")
                digest.update(self.file(path))
            self.campaigns[campaign.id] = digest.digest()
        return self.campaigns[campaign.id]

    def document(self, campaign: Campaign, recipient: Recipient | None) -> str:
        """The campaign's digest and the recipient's own record (not its whole file: a
        change to one row of a spreadsheet rebuilds that recipient only)."""
        digest = hashlib.sha256(self.campaign(campaign))
        if recipient is not None:
            digest.update(_record_bytes(recipient))
        return digest.hexdigest()

    def with_finisher(self, content: str) -> str:
        """The manifest's `inputs`: the content hash, and the finisher (a key) when set."""
        if not self.identity:
            return content
        return hashlib.sha256(f"{content}\0{self.identity}".encode()).hexdigest()


def _record_bytes(record: object) -> bytes:
    """A record's values (not where they were read from), as stable bytes."""
    assert dataclasses.is_dataclass(record)
    values = [(f.name, getattr(record, f.name)) for f in dataclasses.fields(record)
              if f.name not in ("loc", "locs")]
    return repr(values).encode("utf-8")


# ---------------------------------------------------------------- warnings

def _unique(problems: Iterable[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def summarise(pairs: Sequence[tuple[Problem, str | None]]) -> list[Problem]:
    """The same warning for many recipients as one, with a count and the first few ids:
    `no de translation for 50 recipients (mep-0003, mep-0007, …); written in en`."""
    groups: dict[tuple[Location, str, str], list[str]] = {}
    for problem, recipient in pairs:
        token = _id_pattern(recipient) if recipient else None
        if token is not None and token.search(problem.message):
            template = token.sub("\0", problem.message)
            ids = groups.setdefault((problem.location, problem.severity, template), [])
            if recipient is not None and recipient not in ids:
                ids.append(recipient)
        else:
            groups.setdefault((problem.location, problem.severity, problem.message), [])
    out = []
    for (location, severity, template), ids in groups.items():
        if len(ids) > 1:
            shown = ", ".join(ids[:SHOWN_IDS]) + (", …" if len(ids) > SHOWN_IDS else "")
            message = template.replace("recipient \0", "\0").replace(
                "\0", f"{len(ids)} recipients ({shown})")
        else:
            message = template.replace("\0", ids[0]) if ids else template
        out.append(Problem(location, message, severity))
    return out


def _id_pattern(recipient: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(recipient) + r"(?![\w-])")


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
