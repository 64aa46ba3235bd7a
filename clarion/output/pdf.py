"""HTML → PDF bytes with WeasyPrint, fetching only what the workspace allows."""
from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

from ..errors import ClarionError, PrivacyError
from ..limits import FETCH_SECONDS, MAX_FETCH_BYTES, RELAYOUTS
from ..resources import BUILT_IN_DIR
from ..safefile import FileError, read_file
from . import privacy, privacy_parts
from .network import RemoteRefused, address_check, fetch_remote

log = logging.getLogger(__name__)

OUTSIDE = "file outside assets/ and templates/"

#: reads a workspace file safely: (folder, path inside it, max bytes, allow links) → its bytes;
#: raises OSError, with no errno when the file is refused (a link, a hard link, too big…).
#: The workspace's own reader, clarion.workspace.yamlio.read_workspace_file (which is
#: clarion.safefile.read_file), is one.
Reader = Callable[[Path, Path, int, bool], bytes]


def allowed_folders(root: Path) -> list[Path]:
    """Where documents may load files from: assets/ and templates/ as named, and the built-ins.

    The workspace's folders count where they are named, not where a link would take them:
    an assets/ that is a link to /home is not a way to /home.
    """
    real = root.resolve()
    return [real / "assets", real / "templates", BUILT_IN_DIR.resolve()]


def _fetcher_class() -> type[Any]:
    """The fetcher class (WeasyPrint is imported only when a PDF is made)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

    # WeasyPrint has no type information: its URLFetcher is Any to mypy
    class WorkspaceFetcher(URLFetcher):  # type: ignore[misc]
        """Serves files from assets/ and the template folders, and data: images; nothing else.

        Remote URLs only when the workspace sets `allow_remote: true`, and only to public
        addresses unless the user allows the local network for this run
        (`allow_local_network`, from `clarion --allow-local-network`). Every refusal is kept
        as a warning naming the URL and the document it came from. Workspace files are read
        with `read_file` (none without it); the built-ins are always served.
        """

        def __init__(self, root: Path, allow_remote: bool, source: str,
                     allow_links: bool = False, read_file: Reader | None = None,
                     allow_local_network: bool = False):
            super().__init__(timeout=FETCH_SECONDS, allowed_protocols={"file", "data", "http", "https"},
                             allow_redirects=False)
            self.allowed = allowed_folders(root)
            self.allow_remote, self.source, self.allow_links = allow_remote, source, allow_links
            self.read_file = read_file
            self.public = address_check(allow_local_network)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
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
                try:  # Clarion's own fetch: the checked address is the one connected to
                    data, kind = fetch_remote(url, public=self.public)
                except RemoteRefused as e:
                    return self.refuse(url, str(e))
                return URLFetcherResponse(url, data, {"Content-Type": kind})
            return self.refuse(url, f"{scheme or 'unknown'} URL")

        def local(self, url: str) -> Any:
            return _local_file(self, url)

        def refuse(self, url: str, why: str) -> NoReturn:
            self.refused.append(f"{self.source}: refused to load {url} ({why})")
            raise URLFetchingError(f"refused: {url}")

    return WorkspaceFetcher


def _local_file(fetcher: Any, url: str) -> Any:
    """A file: URL inside assets/, templates/ or the built-ins, read once from one open handle.

    The path is taken as written (`..` folded, links not followed): a symbolic link anywhere
    on the way is refused unless --allow-links (and then it must stay inside its folder), and
    so is a file with more than one hard link, which could be any file of the machine.
    """
    from weasyprint.urls import URLFetcherResponse
    path = Path(os.path.normpath(url2pathname(unquote(urlsplit(url).path))))
    if "\0" in str(path):
        return fetcher.refuse(url, OUTSIDE)
    folder = next((a for a in fetcher.allowed if path.is_relative_to(a)), None)
    if folder is None:
        return fetcher.refuse(url, OUTSIDE)
    try:
        if folder == fetcher.allowed[-1]:  # Clarion's own files, installed as installers do
            data = read_file(folder, path.relative_to(folder), MAX_FETCH_BYTES, own=True)
        elif fetcher.read_file is None:
            return fetcher.refuse(url, "workspace files are not read for this document")
        else:
            data = fetcher.read_file(folder, path.relative_to(folder), MAX_FETCH_BYTES,
                                     fetcher.allow_links)
    except FileError as e:  # refused (a link, a hard link, a pipe, too big…) or missing
        return fetcher.refuse(url, "file not found" if e.kind == "missing" else e.why)
    except FileNotFoundError:
        return fetcher.refuse(url, "file not found")
    except OSError as e:  # another reader's refusal, or the open's error
        return fetcher.refuse(url, str(e) if e.errno is None else
                              f"cannot be read: {e.strerror or e}")
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(url, data, {"Content-Type": kind})


def _attaches_files(rendered: Any, attachments: Sequence[object]) -> bool:
    """Whether the PDF will embed files: given ones, `<link rel=attachment>` in the document,
    or `<a rel=attachment>` links on its pages."""
    return bool(attachments) or bool(rendered.metadata.attachments) or any(
        link[0] == "attachment" for page in rendered.pages for link in page.links)


#: shown each page's body lines, returns the HTML to lay out instead (or None)
Relayout = Callable[[str, list[list[str]]], "str | None"]


def body_lines(rendered: Any) -> list[list[str]]:
    """The text of each line WeasyPrint laid out in the body of each page, in order: no
    running head or page number (margin boxes), no footnote."""
    from weasyprint.formatting_structure import boxes

    def lines_of(box: Any, out: list[str]) -> None:
        if isinstance(box, boxes.MarginBox | boxes.FootnoteAreaBox):
            return
        if isinstance(box, boxes.LineBox):
            out.append("".join(t.text for t in box.descendants()
                               if isinstance(t, boxes.TextBox)))
            return
        for child in getattr(box, "children", None) or ():
            lines_of(child, out)

    pages = []
    for page in rendered.pages:
        found: list[str] = []
        lines_of(page._page_box, found)
        pages.append(found)
    return pages


def document_texts(rendered: Any) -> list[str]:
    """The text WeasyPrint laid out, its bookmarks, links and metadata
    (privacy_parts.laid_out_texts)."""
    return privacy_parts.laid_out_texts(rendered)


#: PDF variants WeasyPrint writes (with XMP metadata declaring the part); PDF/UA-1 by default
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b")


def variant_options(variant: object) -> dict[str, object]:
    """WeasyPrint options for a `build.pdf_variant` (none: PDF/UA-1, tagged, with XMP)."""
    name = str(variant).lower() if variant else "pdf/ua-1"
    if name not in PDF_VARIANTS:
        raise ClarionError(f"clarion.yaml: build.pdf_variant '{name}' is not one of "
                           f"{', '.join(PDF_VARIANTS)}; choose one")
    return {"pdf_variant": name}


def make_fetcher(root: Path, allow_remote: bool, source: str, allow_links: bool = False,
                 read_file: Reader | None = None, allow_local_network: bool = False) -> Any:
    """A WeasyPrint URL fetcher that serves only what a document may load (see _fetcher_class)."""
    return _fetcher_class()(root, allow_remote, source, allow_links, read_file,
                            allow_local_network)


def _only_plain_rules(text: str) -> bool:
    """True when the stylesheet's only at-rules are @page and @media (nothing to fetch)."""
    import tinycss2

    def plain(rules: Iterable[Any]) -> bool:
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


def parse_stylesheet(text: str, root: Path, allow_remote: bool, allow_links: bool = False,
                     read_file: Reader | None = None,
                     allow_local_network: bool = False) -> object | None:
    """`text` parsed once, to be given to write_pdf for many documents; None when parsing
    it loaded or refused anything (then each document parses it, and reports refusals)."""
    import weasyprint
    if not _only_plain_rules(text):  # @font-face, @import…: each document parses its own
        return None
    fetcher = make_fetcher(root, allow_remote, "stylesheet", allow_links, read_file,
                           allow_local_network)
    calls: list[str] = []
    fetch = fetcher.fetch

    def counting(url: str, headers: Any = None) -> Any:
        calls.append(url)
        return fetch(url, headers)

    fetcher.fetch = counting
    try:
        css = weasyprint.CSS(string=text, base_url=root.resolve().as_uri() + "/",
                             url_fetcher=fetcher)
    except Exception:  # the document's own parse reports it
        return None
    return None if calls or fetcher.refused else css


def write_pdf(html: str, root: Path, metadata: dict[str, Any], identity: str,
              allow_remote: bool = False, source: str = "document",
              stylesheets: Sequence[str | object] = (), attachments: Sequence[str] = (),
              secrets: dict[str, privacy.Secret] | None = None,
              allow_links: bool = False, font_config: object | None = None,
              cache: dict[Any, Any] | None = None, read_file: Reader | None = None,
              trace: privacy.Trace | None = None,
              allow_local_network: bool = False,
              relayout: Relayout | None = None) -> tuple[bytes, list[str]]:
    """Render HTML (with base URL = the workspace) to PDF bytes; return refusals as warnings.

    Files under the workspace's assets/ and templates/ are read with `read_file` (without
    it, none is: only the built-ins, data: images and, with `allow_remote`, remote files at
    public addresses, or any address with `allow_local_network`),
    following symbolic links that stay in their folder only with `allow_links`.

    `stylesheets` (CSS text) and `attachments` (URLs, relative to the workspace) are made
    into WeasyPrint objects here, with the same fetcher: WeasyPrint's CSS and Attachment
    would otherwise fetch with its default fetcher, which reads any file or URL.

    With `secrets` (privacy.secret_forms), the laid-out text of every page, the PDF's
    metadata and every file attached to it are searched (privacy.scan_outputs) and a leak
    raises PrivacyError: text that only CSS writes (`content:`, `string-set`, counters) and
    attached files are in the PDF but not in the HTML the build scanned; `trace` lets the
    message name where the private string comes from.

    `relayout` is shown the laid-out body lines of each page (`body_lines`) and returns HTML to
    lay out instead, or None to keep the layout: the typesetter's way to keep whole a word
    hyphenated across a page break, which WeasyPrint's CSS cannot forbid (at most
    RELAYOUTS times).

    A stylesheet may also be a weasyprint.CSS already parsed (by `parse_stylesheet`).
    A build engine's worker passes one `font_config` (weasyprint.text.fonts.FontConfiguration)
    and one image `cache` (a dict) for all the documents it makes, instead of one per document.
    """
    import weasyprint
    fetcher = make_fetcher(root, allow_remote, source, allow_links, read_file,
                           allow_local_network)
    base = root.resolve().as_uri() + "/"
    # refusals are reported once, by the fetcher; WeasyPrint's own log would repeat them
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    try:
        document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
        css = [weasyprint.CSS(string=text, base_url=base, url_fetcher=fetcher)
               if isinstance(text, str) else text for text in stylesheets]
        files = [weasyprint.Attachment(url=urljoin(base, url),
                                       url_fetcher=fetcher) for url in attachments]
        options = dict(
            pdf_identifier=hashlib.sha256(identity.encode()).hexdigest()[:32].encode(),
            pdf_tags=True, optimize_images=False,
            stylesheets=css, attachments=files, uncompressed_pdf=False)
        options.update(variant_options(metadata.get("pdf_variant")))
        if cache is not None:
            options["cache"] = cache
        rendered = document.render(font_config=font_config, **options)
        for _ in range(RELAYOUTS if relayout is not None else 0):
            assert relayout is not None
            again = relayout(html, body_lines(rendered))
            if again is None:
                break
            html = again
            document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
            rendered = document.render(font_config=font_config, **options)
        pages = document_texts(rendered) if secrets else []
        pdf = rendered.write_pdf(**options)
        if secrets:
            if privacy_parts.draws_svg(rendered):  # an SVG's text is drawn, never laid out
                pages += privacy_parts.pdf_page_texts(pdf)
            # the PDF is read back only when it carries files: its text and metadata are the
            # laid-out ones already in `pages` (reading every PDF back would double the cost)
            leak = privacy.scan_outputs(secrets, source.rsplit(".", 1)[0],
                                        pdf=pdf if _attaches_files(rendered, files) else None,
                                        pdf_pages=pages, trace=trace)
            if leak:
                raise PrivacyError(str(leak))
    except ClarionError:
        raise
    except Exception as e:  # WeasyPrint's own failures on a document it was given
        raise ClarionError(f"{source}: the PDF could not be made ({type(e).__name__}: {e})") \
            from e
    return pdf, fetcher.refused
