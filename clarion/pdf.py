"""HTML → PDF bytes with WeasyPrint, fetching only what the workspace allows."""
from __future__ import annotations

import hashlib
import logging
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from .errors import ClarionError
from .templating import template_dirs

log = logging.getLogger(__name__)


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
            self.allowed = [(root / "assets").resolve(),
                            *[d.resolve() for d in template_dirs(root)]]
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
                if self.allow_remote:
                    return super().fetch(url, headers)
                return self.refuse(url, "remote file (set `allow_remote: true` to allow)")
            return self.refuse(url, f"{scheme or 'unknown'} URL")

        def local(self, url: str):
            path = Path(url2pathname(unquote(urlsplit(url).path)))
            try:
                # resolve() follows symlinks: a link in assets/ to elsewhere is outside
                resolved = path.resolve()
            except (OSError, RuntimeError):
                return self.refuse(url, "file outside assets/ and templates/")
            if not any(resolved.is_relative_to(a) for a in self.allowed):
                return self.refuse(url, "file outside assets/ and templates/")
            if not resolved.is_file():
                return self.refuse(url, "file not found")
            kind = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, resolved.read_bytes(), {"Content-Type": kind})

        def refuse(self, url: str, why: str):
            self.refused.append(f"{self.source}: refused to load {url} ({why})")
            raise URLFetchingError(f"refused: {url}")

    return WorkspaceFetcher


def make_fetcher(root: Path, allow_remote: bool, source: str):
    return _fetcher_class()(root, allow_remote, source)


def write_pdf(html: str, root: Path, metadata: dict, identity: str,
              allow_remote: bool = False, source: str = "document") -> tuple[bytes, list[str]]:
    """Render HTML (with base URL = the workspace) to PDF bytes; return refusals as warnings."""
    import weasyprint
    fetcher = make_fetcher(root, allow_remote, source)
    # refusals are reported once, by the fetcher; WeasyPrint's own log would repeat them
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    try:
        document = weasyprint.HTML(string=html, base_url=root.resolve().as_uri() + "/",
                                   url_fetcher=fetcher)
        pdf = document.write_pdf(
            pdf_identifier=hashlib.sha256(identity.encode()).hexdigest()[:32].encode(),
            pdf_tags=True, optimize_images=False,
            stylesheets=[], attachments=[], uncompressed_pdf=False)
    except ClarionError:
        raise
    except Exception as e:  # WeasyPrint's own failures on a document it was given
        raise ClarionError(f"{source}: the PDF could not be made ({type(e).__name__}: {e})") \
            from e
    return pdf, fetcher.refused
