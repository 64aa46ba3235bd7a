"""`clarion preview`: who may read it (the token in the URL, the Host header), what it shows
(the documents as a build makes them, the privacy stop, the problems at file:line), what it
makes again after a change (only what read the changed file), that it writes nothing, and
that Ctrl-C stops it cleanly.

The command runs as a user runs it, in a process of its own (`preview()` below, also used by
tests/test_preview_browser.py): its address is read from what it prints."""
from __future__ import annotations

import io
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import BASE

#: how long the command may take to print its address (a loaded machine, a first import)
START_SECONDS = 90


@dataclass
class Running:
    """A running `clarion preview`: its address, and what it printed on stderr."""

    process: subprocess.Popen[str]
    url: str
    lines: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(urlsplit(self.url).port or 0)

    @property
    def token(self) -> str:
        return urlsplit(self.url).path.strip("/")

    def get(self, path: str = "", host: str | None = None,
            timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
        """GET `path` under the preview's address (or an absolute path starting with `/`):
        the status, headers and body, whatever the status."""
        base = f"http://127.0.0.1:{self.port}"
        url = base + path if path.startswith("/") else self.url + path
        request = urllib.request.Request(url)
        if host is not None:
            request.add_unredirected_header("Host", host)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return answer.status, _lower(answer.headers), answer.read()
        except urllib.error.HTTPError as e:
            return e.code, _lower(e.headers), e.read()


@contextmanager
def preview(workspace: Path, *args: str) -> Iterator[Running]:
    """`clarion -w WORKSPACE preview ARGS…` until the block ends, then Ctrl-C (SIGINT); the
    command must then end cleanly (checked by `stop`)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "clarion", "-w", str(workspace), "preview", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=workspace.parent)
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_read, args=(process, lines), daemon=True)
    reader.start()
    seen: list[str] = []
    running: Running | None = None
    try:
        while running is None:
            line = lines.get(timeout=START_SECONDS)
            if line is None:
                raise AssertionError(f"clarion preview ended: {''.join(seen)}")
            seen.append(line)
            if line.startswith("preview: http://"):
                running = Running(process, line.split()[1], seen)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(5)
        while not lines.empty():
            line = lines.get()
            if line is not None:
                seen.append(line)


def _lower(headers: object) -> dict[str, str]:
    """Headers by their lower-case names."""
    return {k.lower(): v for k, v in headers.items()}  # type: ignore[attr-defined]


def _read(process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        lines.put(line)
    lines.put(None)


# --- who may read it -----------------------------------------------------------------------

CASE = "cases/ilgar-mammadov.yaml"
LETTER = "campaigns/letter.yaml"
PRIVATE = "SECRET-FAMILY-CONTACT-12345"
#: a private note, part of which a letter may repeat (tests/test_privacy_build.py)
REAL = "Sister Leyla Nurieva, phone +994 50 777 1234"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """One preview of a small workspace for the module's read-only tests."""
    root = tmp_path_factory.mktemp("served") / "ws"
    root.mkdir()
    from conftest import write_files
    write_files(root, BASE)
    with preview(root) as running:
        yield running, root
    assert running.process.returncode == 0, running.lines


def test_the_address_is_on_loopback_with_a_long_random_token(served):
    running, _ = served
    assert running.url.startswith("http://127.0.0.1:")
    assert len(running.token) >= 32
    assert running.url == f"http://127.0.0.1:{running.port}/{running.token}/"


def test_the_right_token_and_host_are_served(served):
    running, _ = served
    for host in (None, f"127.0.0.1:{running.port}", f"localhost:{running.port}"):
        status, headers, body = running.get("", host=host)
        assert status == 200, (host, body)
        assert b"Release Ilgar Mammadov" in body
        assert headers["referrer-policy"] == "no-referrer"   # the token never leaves
        assert headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", [
    "/", "/x/", "/{wrong}/", "/{wrong}/doc/letter/emmanuel-macron", "/{short}/",
    "/{token}x/", "/doc/letter/emmanuel-macron", "/{upper}/", "/{wrong}/pdf/letter/jean-asselborn",
    "/{wrong}/html/letter/emmanuel-macron", "/{wrong}/tag"])
def test_a_wrong_or_missing_token_is_not_found_and_shows_nothing(served, path):
    running, _ = served
    token = running.token
    wrong = ("A" if token[0] != "A" else "B") + token[1:]
    status, _, body = running.get(path.format(wrong=wrong, short=token[:-1], token=token,
                                              upper=token.upper() if token.upper() != token
                                              else wrong))
    assert status == 404
    for word in (b"Mammadov", b"Macron", b"letter", b"Test Rights", token.encode()):
        assert word not in body


@pytest.mark.parametrize("host", [
    "evil.example:{port}", "evil.example", "127.0.0.1", "localhost", "127.0.0.1:{other}",
    "localhost.evil.example:{port}", "127.0.0.2:{port}", "[::1]:{port}", "0.0.0.0:{port}",
    "127.0.0.1:{port}.evil.example", ""])
def test_a_foreign_host_header_is_refused_even_with_the_token(served, host):
    """A web page whose DNS name was rebound to 127.0.0.1 sends its own name as the Host: the
    preview answers it nothing, though the request reached it with the right token."""
    running, _ = served
    status, _, body = running.get("", host=host.format(port=running.port,
                                                       other=running.port + 1))
    assert status == 400
    assert b"Mammadov" not in body and b"Release" not in body


def test_a_page_with_two_host_headers_is_refused(served):
    import http.client
    running, _ = served
    conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=30)
    conn.putrequest("GET", f"/{running.token}/", skip_host=True)
    conn.putheader("Host", f"127.0.0.1:{running.port}")
    conn.putheader("Host", "evil.example")
    conn.endheaders()
    answer = conn.getresponse()
    assert answer.status == 400
    assert b"Mammadov" not in answer.read()
    conn.close()


def test_an_id_that_is_no_documents_is_not_found(served):
    running, _ = served
    for path in ("doc/Letter/emmanuel-macron", "doc/letter/..", "html/letter/%2e%2e",
                 "pdf/..%2fcases/x", "doc/letter/a/b"):
        status, _, body = running.get(path)
        assert status == 404, path
        assert b"Mammadov" not in body


# --- what it shows -------------------------------------------------------------------------

def test_the_index_lists_campaigns_recipients_and_languages(served):
    running, _ = served
    _, _, body = running.get("")
    page = body.decode()
    for recipient, language in (("emmanuel-macron", "en"), ("jean-asselborn", "en"),
                                ("simon-coveney", "en")):
        assert f"/{running.token}/doc/letter/{recipient}" in page
        assert re.search(rf"\({recipient}\)</a> <span class=\"lang\">{language}</span>", page)
    assert "validate and lint" in page


def test_a_document_page_shows_its_html_beside_its_pdf(served):
    running, _ = served
    status, headers, body = running.get("doc/letter/emmanuel-macron")
    assert status == 200
    page = body.decode()
    assert 'id="html"' in page and 'id="pdf"' in page
    html = re.search(r'<iframe id="html"[^>]* src="([^"]+)"', page)
    pdf = re.search(r'<iframe id="pdf"[^>]* src="([^"]+)"', page)
    assert html and pdf
    assert "script-src 'nonce-" in headers["content-security-policy"]

    status, headers, text = running.get(html.group(1).replace("&amp;", "&"))
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"We write about Ilgar Mammadov." in text
    assert "sandbox" in headers["content-security-policy"]   # no script of a document runs

    status, headers, data = running.get(pdf.group(1).replace("&amp;", "&"))
    assert status == 200 and headers["content-type"] == "application/pdf"
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(data))
    words = " ".join((page.extract_text() or "") for page in reader.pages).split()
    assert "Mammadov." in words and "Macron" in words
    assert "/Sig" not in str(reader.trailer["/Root"].get("/AcroForm", {}))  # never signed


def test_it_writes_nothing_in_the_workspace(served):
    """The documents were made in memory: no build/ folder, no file changed."""
    running, root = served
    for path in ("", "doc/letter/jean-asselborn", "pdf/letter/jean-asselborn",
                 "html/letter/simon-coveney"):
        assert running.get(path)[0] == 200
    assert not (root / "build").exists()
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == sorted(
        {*BASE, "cases", "recipients", "signatories", "campaigns"})


# --- what it makes, and when (in this process: the library under the command) ---------------

def _live(root: Path):
    from clarion.pipeline.session import Session
    from clarion.preview.documents import Documents
    from clarion.preview.state import Live
    return Live(Session(root)), Documents()


def _change(live, files: dict[str, str]):
    """Save files as an editor would, and load the workspace again as the watcher has it."""
    from conftest import write_files
    write_files(live.base.root, files)
    live.reload()
    return live.check()


def test_a_document_is_made_again_only_when_something_it_read_changed(make_ws):
    root = make_ws()
    live, documents = _live(root)
    first = documents.get(live.snapshot, "letter", "emmanuel-macron", "html")
    assert b"We write about Ilgar Mammadov." in first.data and not first.stops
    assert first.reads and any(k.startswith("case:") for k in first.reads)

    # a case no campaign uses: the letter read nothing of it, and is not made again
    snapshot = _change(live, {"cases/leyla-yunus.yaml": "name: Leyla Yunus\nstatus: free\n"})
    again = documents.get(snapshot, "letter", "emmanuel-macron", "html")
    assert again.data is first.data and again.number == snapshot.number

    # the letter's own case: made again, with the new text
    snapshot = _change(live, {CASE: BASE[CASE].replace("name: Ilgar Mammadov",
                                                        "name: Ilgar Mammadli")})
    changed = documents.get(snapshot, "letter", "emmanuel-macron", "html")
    assert b"We write about Ilgar Mammadli." in changed.data
    assert changed.tag != first.tag
    assert not (root / "build").exists()


def test_the_page_loads_the_pdf_again_only_when_what_it_read_changed(make_ws):
    """The page's PDF frame names a version: the same while the PDF is current (no layout
    again), a new one once something it read changed (then laid out on request)."""
    root = make_ws()
    live, documents = _live(root)
    snapshot = live.snapshot
    version = documents.version(snapshot, "letter", "simon-coveney", "pdf")
    pdf = documents.get(snapshot, "letter", "simon-coveney", "pdf")
    assert pdf.data.startswith(b"%PDF") and not pdf.stops
    assert documents.version(snapshot, "letter", "simon-coveney", "pdf") == version

    snapshot = _change(live, {"cases/leyla-yunus.yaml": "name: Leyla Yunus\nstatus: free\n"})
    assert documents.version(snapshot, "letter", "simon-coveney", "pdf") == version
    snapshot = _change(live, {CASE: BASE[CASE].replace("Shaki Court", "Baku Court")})
    assert documents.version(snapshot, "letter", "simon-coveney", "pdf") != version


def test_a_private_leak_shows_the_privacy_stop_not_the_text(make_ws):
    """As a build would stop: the page says which private field and where, never its value;
    neither the HTML nor the PDF is served."""
    from clarion.preview import pages
    root = make_ws({CASE: BASE[CASE].replace(PRIVATE, REAL),
                    LETTER: BASE[LETTER].replace("We write about {{ case.name }}.",
                                                 "We write about {{ case.name }}. We thank "
                                                 "Leyla Nurieva.")})
    live, documents = _live(root)
    for fmt in ("html", "pdf"):
        shown = documents.get(live.snapshot, "letter", "emmanuel-macron", fmt)
        assert shown.data == b"", fmt
        assert any(re.search(r"private data of case ilgar-mammadov would appear in the output "
                             r"build/letter/emmanuel-macron\.\w+( \(its HTML\))?, line \d+ "
                             r"\(private\.family, cases/ilgar-mammadov\.yaml:\d+\)", s)
                   for s in shown.stops), \
            shown.stops
    page = pages.document_page(live.snapshot, shown, "letter", "emmanuel-macron", "/t", "n")
    assert "Not shown: a build of this document would stop here" in page
    assert "<iframe" not in page
    for part in ("Nurieva", "Leyla", "777"):
        assert part not in page and all(part not in s for s in shown.stops)
    assert not (root / "build").exists()


def test_a_broken_yaml_shows_its_line_and_the_fix_brings_the_document_back(make_ws):
    root = make_ws()
    live, documents = _live(root)
    snapshot = _change(live, {CASE: BASE[CASE].replace("status: imprisoned",
                                                       "status: [imprisoned")})
    shown = documents.get(snapshot, "letter", "emmanuel-macron", "html")
    assert shown.data == b""
    assert [s for s in shown.stops if s.startswith("cases/ilgar-mammadov.yaml:7: YAML syntax")], \
        shown.stops
    assert any(n.severity == "error" and n.text.startswith("cases/ilgar-mammadov.yaml:7: ")
               for n in snapshot.notices)
    entry = next(c for c in snapshot.campaigns() if c.id == "letter")
    assert entry.stops and not entry.documents   # the index says why, too

    snapshot = _change(live, {CASE: BASE[CASE]})
    shown = documents.get(snapshot, "letter", "emmanuel-macron", "html")
    assert b"We write about Ilgar Mammadov." in shown.data and not shown.stops
    assert not any(n.severity == "error" for n in snapshot.notices)


def test_a_broken_template_shows_its_line(make_ws):
    root = make_ws()
    live, documents = _live(root)
    snapshot = _change(live, {LETTER: BASE[LETTER].replace("{{ case.name }}.",
                                                           "{{ case.name }.")})
    shown = documents.get(snapshot, "letter", "emmanuel-macron", "html")
    assert shown.data == b""
    assert any(re.match(r"campaigns/letter\.yaml:1[0-9]: ", s) for s in shown.stops), \
        shown.stops


def test_a_broken_clarion_yaml_is_shown_and_nothing_is_made(make_ws):
    from clarion.preview import pages
    root = make_ws()
    live, documents = _live(root)
    snapshot = _change(live, {"clarion.yaml": "language: [en\n"})
    assert snapshot.loaded is None
    assert any(n.text.startswith("clarion.yaml:2: ") for n in snapshot.notices), \
        snapshot.notices
    shown = documents.get(snapshot, "letter", "emmanuel-macron", "html")
    assert shown.stops and shown.data == b""
    assert "The workspace cannot be read" in pages.index_page(snapshot, "/t", "n")


def test_validate_and_lint_problems_are_at_the_top_of_the_page(make_ws):
    """What `validate` and `lint` print, one `file:line: message` each, above the document."""
    from clarion.preview import pages
    root = make_ws({"recipients/extra.yaml": "name: Extra\nhonorific: Sir\ngrups: [x]\n"})
    live, documents = _live(root)
    notices = live.snapshot.notices
    assert [(n.severity, n.text.split(": ")[0]) for n in notices] == [
        ("error", "recipients/extra.yaml:3"), ("lint", "cases/ilgar-mammadov.yaml:15")]
    assert "did you mean `groups`?" in notices[0].text
    assert notices[1].text.startswith("cases/ilgar-mammadov.yaml:15: unsourced-event: ")
    shown = documents.get(live.snapshot, "letter", "emmanuel-macron", "html")
    assert not shown.stops   # the broken recipient is not one of this letter's
    page = pages.document_page(live.snapshot, shown, "letter", "emmanuel-macron", "/t", "n")
    assert "validate and lint: 1 error, 1 lint finding" in page
    assert page.index("recipients/extra.yaml:3: ") < page.index(
        "cases/ilgar-mammadov.yaml:15: unsourced-event") < page.index("<h1>")


def test_the_page_escapes_what_the_workspace_says(make_ws):
    """A title or name holding markup is shown as text, never run."""
    from clarion.preview import pages
    root = make_ws({LETTER: BASE[LETTER].replace(
        "title: Release Ilgar Mammadov", "title: \"<script>alert(1)</script> & <b>x</b>\"")})
    live, documents = _live(root)
    shown = documents.get(live.snapshot, "letter", "emmanuel-macron", "html")
    for page in (pages.index_page(live.snapshot, "/t", "n"),
                 pages.document_page(live.snapshot, shown, "letter", "emmanuel-macron",
                                     "/t", "n")):
        assert "<script>alert" not in page and "<b>x</b>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;" in page


@pytest.mark.slow
def test_a_pdf_over_its_layout_limit_shows_the_limit_and_the_preview_goes_on(make_ws):
    hostile = ("<html><body>{% for i in range(4000) %}<p>paragraph {{ i }} of a document "
               "that never ends, with enough words to wrap</p>{% endfor %}</body></html>")
    root = make_ws({"clarion.yaml": BASE["clarion.yaml"] + "limits: {layout_seconds: 0.5}\n",
                    "templates/open-letter.html": hostile})
    live, documents = _live(root)
    shown = documents.get(live.snapshot, "letter", "emmanuel-macron", "pdf")
    assert shown.data == b""
    assert any("the layout took longer than the limit of 0.5 s (limits.layout_seconds)" in s
               for s in shown.stops), shown.stops
    snapshot = _change(live, {"templates/open-letter.html": None,   # and a limit a loaded
                              "clarion.yaml": BASE["clarion.yaml"]})  # machine keeps
    shown = documents.get(snapshot, "letter", "emmanuel-macron", "pdf")
    assert shown.data.startswith(b"%PDF") and not shown.stops


# --- the command ---------------------------------------------------------------------------

def test_ctrl_c_stops_it_cleanly_even_while_a_pdf_is_made(make_ws):
    root = make_ws()
    with preview(root) as running:
        assert running.get("")[0] == 200
        pdf = threading.Thread(target=running.get, args=("pdf/letter/simon-coveney",))
        pdf.start()
        time.sleep(0.3)
        started = time.monotonic()
        running.process.send_signal(signal.SIGINT)
        running.process.wait(timeout=30)
        stopped = time.monotonic() - started
        pdf.join(30)
    printed = "".join(running.lines)
    assert running.process.returncode in (0, 130), printed
    assert "Traceback" not in printed and "Error" not in printed
    assert printed.rstrip().endswith("preview stopped")
    assert stopped < 15, stopped
    assert not (root / "build").exists()


def test_only_the_campaign_named_is_shown(make_ws):
    from clarion.pipeline.session import Session
    from clarion.preview.state import Live
    other = "kind: statement\ntitle: Free them all\ndate: 2018-07-19\nbody: We ask.\n"
    root = make_ws({"campaigns/other.yaml": other})
    assert [c.id for c in Live(Session(root)).snapshot.campaigns()] == ["letter", "other"]
    live = Live(Session(root), "other")
    assert [c.id for c in live.snapshot.campaigns()] == ["other"]
    assert live.snapshot.stops("letter", "emmanuel-macron")


def test_an_unknown_campaign_is_a_usage_error(make_ws, cli):
    result = cli(make_ws(), "preview", "lettre")
    assert result.exit_code == 2
    assert "unknown campaign `lettre`; did you mean `letter`?" in result.stderr


def test_a_port_in_use_is_said_plainly(make_ws, cli):
    import socket
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli(make_ws(), "preview", "--port", str(port))
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use; choose another " \
        "--port, or leave it out for a free one" in result.stderr


def test_a_missing_workspace_folder_is_said_plainly(tmp_path, cli):
    result = cli(tmp_path / "nowhere", "preview")
    assert result.exit_code == 1
    assert "nowhere: no such folder; give the workspace with -w" in result.stderr


def test_the_library_serves_until_stopped_from_another_thread(make_ws):
    """`Preview.serve()` in this (main) thread, as the command runs it; a request for a page
    has its HTML made here, and `stop()` from another thread ends it."""
    from clarion.pipeline.session import Session
    from clarion.preview.server import Preview
    root = make_ws()
    server = Preview(Session(root), port=0)
    answers: list[tuple[int, bytes]] = []

    def visit() -> None:
        try:
            for path in ("", "doc/letter/jean-asselborn", "html/letter/jean-asselborn"):
                with urllib.request.urlopen(server.url + path, timeout=60) as answer:
                    answers.append((answer.status, answer.read()))
        finally:
            server.stop()

    visitor = threading.Thread(target=visit)
    visitor.start()
    server.serve()
    visitor.join(60)
    assert [status for status, _ in answers] == [200, 200, 200]
    assert b"We write about Ilgar Mammadov." in answers[2][1]
    assert threading.main_thread().is_alive() and not visitor.is_alive()
    assert not (root / "build").exists()


def test_work_handed_to_the_main_thread_runs_there_until_it_stops():
    from clarion.preview.mainthread import MainThread, Stopped
    main = MainThread()
    assert main.call(threading.current_thread) is threading.current_thread()  # not running
    seen: list[object] = []
    rounds = iter(range(100))

    def other() -> None:
        seen.append(main.call(threading.current_thread))
        try:
            main.call(lambda: 1 / 0)
        except ZeroDivisionError as e:
            seen.append(type(e))

    helper = threading.Thread(target=other)

    def idle() -> bool:   # called by run() in this thread, once it takes the work
        if helper.ident is None:
            helper.start()
        return next(rounds) < 100 and len(seen) < 2

    main.run(idle)
    helper.join(10)
    assert seen == [threading.current_thread(), ZeroDivisionError]
    with pytest.raises(Stopped):   # stopped: no thread runs what is handed over
        main.call(lambda: 2)
