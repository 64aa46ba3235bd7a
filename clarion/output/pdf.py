"""HTML → PDF bytes with WeasyPrint, fetching only what the workspace allows."""
from __future__ import annotations

import hashlib
import ipaddress
import logging
import mimetypes
import re
import socket
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

from ..errors import ClarionError, PrivacyError
from ..render.sandbox import RenderTimeout, time_limit
from ..resources import BUILT_IN_DIR
from . import privacy

log = logging.getLogger(__name__)

#: no single file a document loads may be larger (a photo is a few MB)
MAX_FETCH_BYTES = 50 * 1024 * 1024
#: a letter takes a second or two; a template that makes 100,000 paragraphs would take hours
PDF_SECONDS = 300
OUTSIDE = "file outside assets/ and templates/"


def allowed_folders(root: Path) -> list[Path]:
    """Where documents may load files from: assets/ and templates/ as named, and the built-ins.

    The workspace's folders count where they are named, not where a link would take them:
    an assets/ that is a link to /home is not a way to /home.
    """
    real = root.resolve()
    return [real / "assets", real / "templates", BUILT_IN_DIR.resolve()]


def _public_host(host: str) -> str | None:
    """Why `host` may not be fetched from (loopback, private, link-local…), or None."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError):
        return "host not found"
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global:
            return f"{host} is a local or private address"
    return None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

    class WorkspaceFetcher(URLFetcher):
        """Serves files from assets/ and the template folders, and data: images; nothing else.

        Remote URLs only when the workspace sets `allow_remote: true`. Every refusal is kept
        as a warning naming the URL and the document it came from.
        """

        def __init__(self, root: Path, allow_remote: bool, source: str):
            super().__init__(timeout=10, allowed_protocols={"file", "data", "http", "https"},
                             allow_redirects=False)
            self.allowed = allowed_folders(root)
            self.allow_remote, self.source = allow_remote, source
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                if re.match(r"data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", url, re.I):
                    return super().fetch(url, headers)
                return self.refuse(url[:60] + "…", "data: URLs other than images")
            if scheme == "file":
                return self.local(url)
            if scheme in ("http", "https"):
                if not self.allow_remote:
                    return self.refuse(url, "remote file (set `allow_remote: true` to allow)")
                why = _public_host(urlsplit(url).hostname or "")
                if why:  # the machine's own network is not the workspace's to read
                    return self.refuse(url, why)
                return super().fetch(url, headers)
            return self.refuse(url, f"{scheme or 'unknown'} URL")

        def local(self, url: str):
            path = Path(url2pathname(unquote(urlsplit(url).path)))
            try:
                # resolve() follows symlinks: a link in assets/ to elsewhere is outside
                resolved = path.resolve()
            except (OSError, RuntimeError, ValueError):
                return self.refuse(url, OUTSIDE)
            if not any(resolved.is_relative_to(a) for a in self.allowed):
                return self.refuse(url, OUTSIDE)
            if not resolved.is_file():
                return self.refuse(url, "file not found")
            try:
                with open(resolved, "rb") as f:
                    data = f.read(MAX_FETCH_BYTES + 1)
            except OSError as e:
                return self.refuse(url, f"cannot be read: {e.strerror or e}")
            if len(data) > MAX_FETCH_BYTES:
                return self.refuse(url, f"file larger than {MAX_FETCH_BYTES // 2**20} MB")
            kind = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, data, {"Content-Type": kind})

        def refuse(self, url: str, why: str):
            self.refused.append(f"{self.source}: refused to load {url} ({why})")
            raise URLFetchingError(f"refused: {url}")

    return WorkspaceFetcher


def document_texts(rendered) -> list[str]:
    """The text WeasyPrint laid out (page by page, lines joined both with and without a
    space, for words broken across lines) and the metadata it will write."""
    from weasyprint.formatting_structure.boxes import LineBox, TextBox
    texts = []
    for page in rendered.pages:
        lines = []
        for box in page._page_box.descendants():
            if isinstance(box, LineBox):
                lines.append("".join(b.text for b in box.descendants()
                                     if isinstance(b, TextBox)))
        texts += [" ".join(lines), "".join(lines)]
    meta = rendered.metadata
    texts += [str(v) for v in (meta.title, meta.description, meta.generator, meta.lang) if v]
    texts += [str(v) for v in [*meta.authors, *meta.keywords, *meta.custom.values()]]
    return texts


def make_fetcher(root: Path, allow_remote: bool, source: str):
    return _fetcher_class()(root, allow_remote, source)


def _only_plain_rules(text: str) -> bool:
    """True when the stylesheet's only at-rules are @page and @media (nothing to fetch)."""
    import tinycss2

    def plain(rules) -> bool:
        for rule in rules:
            if rule.type == "error":
                return False
            if rule.type == "at-rule":
                if rule.lower_at_keyword == "media" and rule.content is not None:
                    if not plain(tinycss2.parse_rule_list(rule.content, True, True)):
                        return False
                elif rule.lower_at_keyword != "page":
                    return False
        return True

    return plain(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True))


def parse_stylesheet(text: str, root: Path, allow_remote: bool) -> object | None:
    """`text` parsed once, to be given to write_pdf for many documents; None when parsing
    it loaded or refused anything (then each document parses it, and reports refusals)."""
    import weasyprint
    if not _only_plain_rules(text):  # @font-face, @import…: each document parses its own
        return None
    fetcher = make_fetcher(root, allow_remote, "stylesheet")
    calls: list[str] = []
    fetch = fetcher.fetch

    def counting(url, headers=None):
        calls.append(url)
        return fetch(url, headers)

    fetcher.fetch = counting
    try:
        css = weasyprint.CSS(string=text, base_url=root.resolve().as_uri() + "/",
                             url_fetcher=fetcher)
    except Exception:  # the document's own parse reports it
        return None
    return None if calls or fetcher.refused else css


def write_pdf(html: str, root: Path, metadata: dict, identity: str,
              allow_remote: bool = False, source: str = "document",
              stylesheets: Sequence[str | object] = (), attachments: Sequence[str] = (),
              secrets: dict[str, str] | None = None, font_config: object | None = None,
              cache: dict | None = None) -> tuple[bytes, list[str]]:
    """Render HTML (with base URL = the workspace) to PDF bytes; return refusals as warnings.

    `stylesheets` (CSS text) and `attachments` (URLs, relative to the workspace) are made
    into WeasyPrint objects here, with the same fetcher: WeasyPrint's CSS and Attachment
    would otherwise fetch with its default fetcher, which reads any file or URL.

    With `secrets` (privacy.private_strings), the laid-out text of every page and the PDF's
    metadata are searched before any byte is made: text that only CSS writes (`content:`,
    `string-set`, counters) is in the PDF but not in the HTML the build scanned.

    A stylesheet may also be a weasyprint.CSS already parsed (by `parse_stylesheet`).
    A build engine's worker passes one `font_config` (weasyprint.text.fonts.FontConfiguration)
    and one image `cache` (a dict) for all the documents it makes, instead of one per document.
    """
    import weasyprint
    fetcher = make_fetcher(root, allow_remote, source)
    base = root.resolve().as_uri() + "/"
    # refusals are reported once, by the fetcher; WeasyPrint's own log would repeat them
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    try:
        with time_limit(PDF_SECONDS, memory=False):
            document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
            css = [weasyprint.CSS(string=text, base_url=base, url_fetcher=fetcher)
                   if isinstance(text, str) else text for text in stylesheets]
            files = [weasyprint.Attachment(url=urljoin(base, url),
                                           url_fetcher=fetcher) for url in attachments]
            options = dict(
                pdf_identifier=hashlib.sha256(identity.encode()).hexdigest()[:32].encode(),
                pdf_tags=True, optimize_images=False,
                stylesheets=css, attachments=files, uncompressed_pdf=False)
            if cache is not None:
                options["cache"] = cache
            rendered = document.render(font_config=font_config, **options)
            if secrets:
                leaked = privacy.leaks(document_texts(rendered), secrets)
                if leaked:
                    raise PrivacyError(
                        f"{source}: private data of case {', '.join(leaked)} would appear in "
                        "the PDF; nothing was written. Check the templates and the stylesheet.")
            pdf = rendered.write_pdf(**options)
    except RenderTimeout:
        raise ClarionError(f"{source}: making the PDF took longer than {PDF_SECONDS:g} s; "
                           "look for a template that repeats content without end") from None
    except ClarionError:
        raise
    except Exception as e:  # WeasyPrint's own failures on a document it was given
        raise ClarionError(f"{source}: the PDF could not be made ({type(e).__name__}: {e})") \
            from e
    return pdf, fetcher.refused
