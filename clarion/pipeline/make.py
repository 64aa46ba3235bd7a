"""The one path that makes a document: `Worker.make(job) → Made(outputs, problems)`, each
output carrying what it read. `build`, `alerts --build` and the print bundle's cover sheet all
come here (through clarion.pipeline.engine, in a worker process)."""
from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import hmac
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import ClarionError, Location, PrivacyError, Problem
from ..formats import FORMATS
from ..kinds import KINDS
from ..limits import STYLESHEET_CACHE_SIZE
from ..output import privacy
from ..output.files import Output, sha256
from ..workspace.load import read_workspace
from ..workspace.model import Campaign, Workspace
from ..workspace.private import private_values, trace_leak
from ..workspace.yamlio import read_workspace_file
from .dependencies import TemplateFiles
from .jobs import Job, Made, Setup
from .reads import ALWAYS, Digests, referenced_files, watch

if TYPE_CHECKING:
    from ..render.document import Document

#: a document's stylesheet, as the built-in templates write it: parsed once per worker
STYLE = re.compile(r"<style>(.*?)</style>", re.S)
#: what a worker tells the parent while it works: the layout of a PDF starts now
LAYOUT = "layout"
#: the format WeasyPrint lays out (the one a format made with it, an e-mail draft, attaches)
LAID_OUT = next(f.name for f in FORMATS.values() if f.laid_out)
#: the template each form of a document is rendered from: its `.md` or its `.html`
FORM_TEMPLATE = {"markdown": "md", "html": "html", "print": "html"}

Notify = Callable[[str], None]


def _quiet(phase: str) -> None:
    """A Notify that tells no one."""


class Worker:
    """One process's state: the workspace, private strings, fonts, caches, finisher."""

    def __init__(self, setup: Setup, ws: Workspace | None = None):
        if ws is None:
            ws, _ = read_workspace(setup.root, (), setup.options)
        if ws is None:  # changed since the parent checked it
            raise ClarionError("the workspace changed during the build; run it again")
        self.setup, self.ws = setup, ws
        self.secrets = privacy.secret_forms(private_values(ws))
        self.trace = functools.partial(trace_leak, ws.root)
        self.finish = setup.finisher(ws, setup)
        identity = self.finish.identity if self.finish is not None else ""
        self.digests = Digests(ws, setup.key, identity,
                               TemplateFiles(ws.root, setup.options.allow_links))
        self.fonts: Any = None
        self.cache: dict[Any, Any] = {}
        self.styles: dict[str, object | None] = {}
        self.settled = False

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
            if len(self.styles) >= STYLESHEET_CACHE_SIZE:
                self.styles.clear()
            self.styles[text] = parse_stylesheet(
                text, self.ws.root, self.ws.settings.allow_remote,
                self.setup.options.allow_links, read_workspace_file,
                allow_local_network=self.setup.user.allow_local_network)
        css = self.styles[text]
        return (STYLE.sub("", html, count=1), [css]) if css is not None else (html, [])

    def make(self, job: Job, notify: Notify = _quiet) -> Made:
        cpu = time.process_time()
        try:
            if job.cover is not None:
                from .cover import make_cover
                covers, extra = make_cover(self, job, notify)
                return Made(job, covers, extra=extra, cpu=time.process_time() - cpu)
            outputs, problems = self._make(job, notify)
        except ClarionError as e:
            return Made(job, problems=tuple(self._about(job, p) for p in e.problems()),
                        failed=True)
        return Made(job, tuple(outputs), tuple(self._about(job, p) for p in problems),
                    cpu=time.process_time() - cpu)

    @staticmethod
    def _about(job: Job, problem: Problem) -> Problem:
        """The problem with its subject: the document it is about."""
        if problem.subject is not None:
            return problem
        return dataclasses.replace(problem, subject=(job.campaign, job.recipient))

    @staticmethod
    def campaign_of(ws: Workspace, job: Job) -> Campaign | None:
        """The job's campaign; an alert's is made from `ws` (watched: every case it looks
        at to choose the window's events is one of the alert's reads)."""
        if job.alert is not None:
            from .alerts import alert_campaign
            return alert_campaign(ws, job.alert)
        return ws.campaigns.get(job.campaign)

    def _make(self, job: Job, notify: Notify) -> tuple[list[Output], list[Problem]]:
        watched = watch(self.ws)
        campaign = self.campaign_of(watched, job)
        recipient = watched.recipients.get(job.recipient) \
            if job.recipient and job.alert is None else None
        if campaign is None or (job.recipient and job.alert is None and recipient is None):
            raise ClarionError(f"{job.name}: the workspace changed during the build; "
                               "run it again")
        # imported here: a build with nothing to make does not load the render stack
        from ..formats import forms_for
        from ..render.document import render_document
        box = self.finish.signature_box if self.finish is not None else None
        doc = render_document(watched, campaign, recipient, signature_box=box,
                              forms=forms_for(job.formats))
        problems = list(doc.warnings)
        reads = self._reads(job, campaign, watched.seen, doc)
        content = self._content(reads["common"])
        if doc.html:  # the .html is one file that still shows its images when mailed
            from ..output.embed import embed_images
            notes: list[str] = []
            doc.html = embed_images(doc.html, self.ws.root, notes,
                                    self.setup.options.allow_links)
            problems += [Problem(Location(campaign.id), note, "warning", code="image-left-out")
                         for note in notes]
        datas = self._check_and_encode(doc, job)
        unsigned: str | None = None
        signed = False
        made = {m for f in job.formats for m in (f, *FORMATS[f].made_with)}
        if job.attach is not None and LAID_OUT not in job.formats:
            datas[LAID_OUT] = self._attached(job)
        elif LAID_OUT in made:  # a draft attaches the PDF
            notify(LAYOUT)
            pdf, refused = self._pdf(job, doc, content)
            problems += [Problem(Location("-"), r, "warning", code="refused-file")
                         for r in refused]
            unsigned = sha256(pdf)
            if self.finish is not None:  # after every privacy check, before anything returns
                pdf, signed = self.finish(pdf, job), True
            datas[LAID_OUT] = pdf
        if "docx" in job.formats:
            datas["docx"] = self._docx(job, doc)
        if "eml" in job.formats:  # made from the final (signed) PDF
            from .envelope import make_draft
            eml = make_draft(self.ws, doc, campaign, recipient, content, datas[LAID_OUT])
            if eml is not None:
                datas["eml"] = eml
        return [Output(f"{job.stem}.{fmt}", fmt, doc.recipient, doc.language, datas[fmt],
                       self._inputs(content, fmt), signed=signed and FORMATS[fmt].signed,
                       unsigned_sha256=unsigned if FORMATS[fmt].signed else None,
                       reads=self.digests.all(reads["common"] | reads[fmt]),
                       content=content)
                for fmt in job.formats if fmt in datas], problems

    def _reads(self, job: Job, campaign: Campaign, seen: set[str],
               doc: Document) -> dict[str, set[str]]:
        """What each output read: what rendering looked up, the campaign, the files the
        document refers to, and each format's own template (and signer)."""
        common = {*seen, *ALWAYS, f"campaign:{campaign.id}"}
        if job.alert is not None:
            alert = job.alert
            common.add(f"alert:{alert.today.isoformat()}/{alert.within}/{alert.since}")
        common |= referenced_files(self.ws.root, doc.print_html + doc.html)
        name = campaign.template or KINDS[campaign.kind].template
        signer = {"signer"} if self.finish is not None else set()
        reads = {"common": common}
        for fmt, info in FORMATS.items():
            reads[fmt] = {f"template:{name}.{FORM_TEMPLATE[form]}" for form in info.forms}
            if _signed_with(fmt):
                reads[fmt] |= signer
        return reads

    def _content(self, keys: set[str]) -> str:
        """The document's content hash: every digest it read (not the signer), keyed with
        the user's secret. It becomes the PDF /ID and the Message-ID, and neither depends on
        private data: the digests are of what a document can show (clarion.pipeline.reads)."""
        pairs = "\n".join(f"{k}={v}" for k, v in self.digests.all(keys).items())
        return hmac.new(self.setup.key, pairs.encode(), hashlib.sha256).hexdigest()

    def _inputs(self, content: str, fmt: str) -> str:
        """The manifest's `inputs`: the content, and the finisher's identity for a PDF."""
        if self.finish is None or not _signed_with(fmt):
            return content
        return hashlib.sha256(f"{content}\0{self.finish.identity}".encode()).hexdigest()

    def _attached(self, job: Job) -> bytes:
        """The current PDF an e-mail draft made alone attaches, read back and checked."""
        assert job.attach is not None
        from ..output.files import read_built
        name, digest = job.attach
        data = read_built(self.setup.out / job.campaign, name, digest)
        if data is None:
            raise ClarionError(f"{job.name}: build/{job.campaign}/{name} changed during the "
                               "build; run it again")
        return data

    def _pdf(self, job: Job, doc: Document, content: str) -> tuple[bytes, list[str]]:
        from ..output.pdf import write_pdf
        from ..render.breaks import keeping_whole
        fonts = self.font_config()  # imports and font set-up are not the document's
        html, sheets = self.stylesheet(doc.print_html)
        pdf, refused = write_pdf(
            html, self.ws.root, doc.metadata, identity=f"{job.name}/{content}",
            allow_remote=self.ws.settings.allow_remote, source=f"{job.name}.pdf",
            stylesheets=sheets, secrets=self.secrets, font_config=fonts, cache=self.cache,
            allow_links=self.setup.options.allow_links, read_file=read_workspace_file,
            trace=self.trace, allow_local_network=self.setup.user.allow_local_network,
            relayout=keeping_whole(doc.language))
        return pdf, list(refused)

    def _docx(self, job: Job, doc: Document) -> bytes:
        """The .docx, from the printed HTML with its images embedded; read back and searched
        for private strings like every other output."""
        from ..output.docx_build import write_docx
        from ..output.embed import embed_images
        html = embed_images(doc.print_html, self.ws.root, [], self.setup.options.allow_links)
        data = write_docx(html, languages=word_languages(), metadata=doc.metadata)
        leak = privacy.scan_outputs(self.secrets, f"build/{job.name}", docx=data,
                                    trace=self.trace)
        if leak:
            raise PrivacyError(str(leak))
        return data

    def _check_and_encode(self, doc: Document, job: Job) -> dict[str, bytes]:
        """The text outputs' bytes, once no private string is in any form of the document."""
        leak = privacy.scan_outputs(self.secrets, f"build/{job.name}", markdown=doc.markdown,
                                    html_text=doc.html, print_html=doc.print_html,
                                    metadata=doc.metadata, trace=self.trace)
        if leak:
            raise PrivacyError(str(leak))
        texts = {"markdown": doc.markdown, "html": doc.html}
        return {fmt: texts[form].encode("utf-8") for fmt in job.formats if FORMATS[fmt].text
                for form in FORMATS[fmt].forms}

    def settle(self) -> None:
        """Once its first document is made, what a worker process has loaded (workspace,
        fonts, hyphenation dictionaries, compiled templates) lives as long as the process:
        it is moved out of the garbage collector's sight (`gc.freeze`). WeasyPrint leaves
        reference cycles behind every document, and each collection of the oldest generation
        would otherwise walk all of it again: about 10 ms of a letter."""
        if not self.settled:
            gc.collect()
            gc.freeze()
            self.settled = True


def word_languages() -> dict[str, str]:
    """The tag a word processor spell-checks each language with, from its locale: `fr` →
    `fr-FR`, `az` → `az-Latn-AZ`."""
    from ..render.languages import LANGUAGES
    return {code: lang.locale.replace("_", "-") for code, lang in LANGUAGES.items()
            if lang.locale}


def _signed_with(fmt: str) -> bool:
    """Whether output in `fmt` is signed or carries a signed output (a draft's PDF)."""
    info = FORMATS[fmt]
    return info.signed or any(FORMATS[m].signed for m in info.made_with)
