"""The build pipeline: load → choose → render → PDF → check privacy → write."""
from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .check import load_checked
from .errors import ClarionError, PrivacyError
from .output import privacy
from .output.files import Output, is_current, safe_join, sha256, trusted_manifest, write_campaign
from .render.document import Document, recipients_of, render_document
from .render.templating import template_dirs
from .workspace.load import workspace_files
from .workspace.model import Campaign, Workspace
from .workspace.yamlio import read_workspace_file

MAX_FETCH_BYTES = 50 * 1024 * 1024  # as output.pdf: no file a document loads is larger

if TYPE_CHECKING:
    from .output.signing import Signer

log = logging.getLogger(__name__)


@dataclass
class BuildOptions:
    campaigns: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    out: Path | None = None
    force: bool = False
    jobs: int = 1
    sign: bool = True
    passphrase: bytes | None = field(default=None, repr=False)  # of an encrypted signing key


@dataclass
class BuildReport:
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class Job:
    """One document to make: a campaign for one recipient (or none), in some formats."""

    campaign: Campaign
    recipient: object
    formats: tuple[str, ...]
    inputs: str
    identity: str = ""      # the inputs without the signer's: unsigned bytes stay the same


def build(root: Path, options: BuildOptions,
          progress: Callable[[int, int], None] | None = None) -> BuildReport:
    ws, problems = load_checked(Path(root))
    report = BuildReport(warnings=[str(p) for p in problems])
    signer = load_signer(ws, options)  # signing: key parsed once, for every PDF
    out = Path(options.out) if options.out else ws.root / "build"
    jobs = plan(ws, options, out, report, signer.fingerprint if signer else "")
    secrets = privacy.private_strings(ws)
    results: dict[str, list[Output]] = {}
    for done, job in enumerate(jobs, 1):
        doc = render_document(ws, job.campaign, job.recipient,
                              asset_base=_asset_base(ws.root, out, job.campaign.id),
                              signature_box=signer.box() if signer and signer.visible else None)
        report.warnings.extend(doc.warnings)
        results.setdefault(job.campaign.id, []).extend(
            make_outputs(ws, doc, job, secrets, report, signer))
        if progress:
            progress(done, len(jobs))
    for campaign_id in sorted({j.campaign.id for j in jobs} | set(results)):
        folder = out / campaign_id
        previous = trusted_manifest(folder)
        fresh = {o.file for o in results.get(campaign_id, [])}
        kept = [e for f, e in previous.items() if f not in fresh and (folder / f).is_file()]
        report.written += write_campaign(out, campaign_id, results.get(campaign_id, []), kept)
    return report


def plan(ws: Workspace, options: BuildOptions, out: Path, report: BuildReport,
         signer_fingerprint: str = "") -> list[Job]:
    names = options.campaigns or tuple(sorted(ws.campaigns))
    for name in names:
        if name not in ws.campaigns:
            raise ClarionError(f"unknown campaign `{name}`; `clarion list campaigns` shows them")
    formats = options.formats or ws.settings.build.formats
    jobs = []
    for name in names:
        campaign = ws.campaigns[name]
        folder = out / name
        previous = trusted_manifest(folder)
        for recipient in recipients_of(ws, campaign):
            if options.recipients and (recipient is None or recipient.id not in
                                       options.recipients):
                continue
            stem = recipient.id if recipient else campaign.id
            identity = inputs = inputs_hash(ws, campaign, recipient)
            if signer_fingerprint:  # a new key, certificate or signing setting: re-sign
                inputs = hashlib.sha256(f"{inputs}\0{signer_fingerprint}".encode()).hexdigest()
            # issue 15: a draft only for a recipient with an e-mail; made with its PDF, together
            wanted = tuple(f for f in formats if f != "eml" or getattr(recipient, "email", None))
            todo = tuple(f for f in wanted if options.force or
                         not is_current(folder, f"{stem}.{f}", inputs, previous))
            if "eml" in wanted and ("eml" in todo) != ("pdf" in todo):
                todo = tuple(dict.fromkeys(("pdf", *todo, "eml")))
            report.unchanged += len([f for f in wanted if f not in todo])
            if todo:
                safe_join(out, name, *(f"{stem}.{f}" for f in todo[:1]))
                jobs.append(Job(campaign, recipient, todo, inputs, identity))
    if options.recipients and not jobs and not report.unchanged:
        raise ClarionError("no recipient of the chosen campaigns matches --recipient "
                           + ", ".join(options.recipients))
    return jobs


def make_outputs(ws, doc: Document, job: Job, secrets, report,
                 signer: Signer | None = None) -> list[Output]:
    stem = doc.recipient or doc.campaign
    datas: dict[str, bytes] = {}
    if "md" in job.formats:
        datas["md"] = doc.markdown.encode("utf-8")
    if "html" in job.formats:
        datas["html"] = doc.html.encode("utf-8")
    leak = privacy.scan_outputs(secrets, f"build/{doc.campaign}/{stem}", markdown=doc.markdown,
                                html_text=doc.html, print_html=doc.print_html,
                                metadata=doc.metadata, root=ws.root)
    if leak:
        raise PrivacyError(str(leak))
    if "pdf" in job.formats or "eml" in job.formats:
        from .output.pdf import write_pdf
        pdf, refused = write_pdf(doc.print_html, ws.root, doc.metadata,
                                 identity=f"{doc.campaign}/{stem}/{job.identity or job.inputs}",
                                 allow_remote=ws.settings.allow_remote,
                                 source=f"{doc.campaign}/{stem}.pdf", secrets=secrets)
        report.warnings.extend(refused)
        datas["pdf"] = pdf
    unsigned_pdf = None
    if signer is not None and "pdf" in datas:  # after the privacy check, before any write
        unsigned_pdf = datas["pdf"]
        datas["pdf"] = signer.sign(unsigned_pdf, location=job.campaign.place,
                                   source=f"build/{doc.campaign}/{stem}.pdf")
    # --- e-mail draft (issue 15): made from the final PDF bytes (the signed ones when
    # signing is on), only for a recipient with an e-mail address
    if "eml" in job.formats:
        from .output.email import make_draft
        eml = make_draft(ws, doc, job.campaign, job.recipient, job.inputs,
                         datas.pop("pdf") if "pdf" not in job.formats else datas["pdf"])
        if eml is not None:
            datas["eml"] = eml
    # --- end of e-mail draft
    outputs = [Output(f"{stem}.{fmt}", fmt, doc.recipient, doc.language, data, job.inputs)
               for fmt, data in datas.items()]
    for o in outputs:
        if o.format == "pdf" and unsigned_pdf is not None:
            o.unsigned_sha256, o.signed = sha256(unsigned_pdf), True
    return outputs


def load_signer(ws: Workspace, options: BuildOptions) -> Signer | None:
    """The workspace's signer when `signing:` is set and PDFs are built and signed."""
    formats = options.formats or ws.settings.build.formats
    if ws.settings.signing is None or not options.sign or "pdf" not in formats:
        return None
    from .output.signing import Signer
    return Signer.load(ws.root, ws.settings.signing, options.passphrase)


def _asset_base(root: Path, out: Path, campaign: str) -> str:
    """Where assets/ is seen from an .html output, so its images still show."""
    rel = os.path.relpath(root.resolve(), (out / campaign).resolve())
    return rel.replace(os.sep, "/") + "/"


def inputs_hash(ws: Workspace, campaign: Campaign, recipient) -> str:
    """A hash of every file this document is made from, and of Clarion's version."""
    paths = {ws.root / "clarion.yaml", *[ws.root / "campaigns" / f"{campaign.id}{s}"
                                        for s in (".yaml", ".yml", ".md")]}
    # alerts over all cases, and counts, read every case: then every case file is an input
    templates = [p for d in template_dirs(ws.root) for p in workspace_files(d)]
    reads_all = not campaign.cases or any(
        "count_cases" in (text or "") for text in
        [campaign.body, *[t.body for t in campaign.translations.values()],
         *[_hashed(ws.root, p).decode("utf-8", errors="replace") for p in templates]])
    cases = ws.cases.values() if reads_all else [ws.cases[c] for c in campaign.cases
                                                 if c in ws.cases]
    records = list(cases)
    if campaign.event and campaign.event.case in ws.cases:
        records.append(ws.cases[campaign.event.case])
    records += [ws.signatories[s] for s in campaign.signatories if s in ws.signatories]
    if recipient is not None:
        records.append(recipient)
    paths |= {ws.root / r.loc.path for r in records if r.loc}
    for d in template_dirs(ws.root):
        paths |= set(workspace_files(d))
    assets = ws.root / "assets"
    if assets.is_dir() and not assets.is_symlink():
        paths |= set(workspace_files(assets))
    digest = hashlib.sha256(f"clarion {__version__}\n".encode())
    for path in sorted(paths):
        if path.is_file():
            digest.update(str(path.relative_to(path.anchor)).encode() + b"\0")
            digest.update(hashlib.sha256(_hashed(ws.root, path)).digest())
    return digest.hexdigest()


def _hashed(root: Path, path: Path) -> bytes:
    """A file's bytes for the inputs hash: read without links, size-checked first (a link to
    a huge file is not read); a file that is refused counts by why it was refused."""
    base = root if path.is_relative_to(root) else path.parent
    try:
        return read_workspace_file(base, path.relative_to(base), MAX_FETCH_BYTES)
    except OSError as e:
        return f"refused: {e}".encode()
