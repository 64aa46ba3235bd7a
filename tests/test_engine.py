"""The build engine: incrementality, outdated outputs, limits, interruptions, any --jobs."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BASE, pdf_text

from clarion.errors import Location, Problem
from clarion.pipeline.build import BuildOptions, build, summarise

LETTER = "campaigns/letter.yaml"


def many_recipients(n: int, language: str = "en") -> dict[str, str]:
    """BASE with `n` ministers from a spreadsheet (the letter goes to group:ministers)."""
    rows = ["id,name,title,honorific,gender,address,country,language,groups"]
    rows += [f"minister-{i:02d},Minister Number {i},Minister of Foreign Affairs,Minister,"
             f"male,Street {i} | 1000 Capital,Country {i},{language},ministers"
             for i in range(n)]
    return {"recipients/ministers.csv": "\n".join(rows) + "\n"}


def manifest(ws: Path, campaign: str = "letter") -> dict[str, dict]:
    data = json.loads((ws / "build" / campaign / "manifest.json").read_text())
    return {o["file"]: o for o in data["outputs"]}


def files(ws: Path, campaign: str = "letter") -> list[str]:
    return sorted(p.name for p in (ws / "build" / campaign).iterdir())


# ---------------------------------------------------------------- incrementality

def test_changing_one_recipient_rebuilds_that_recipient_only(make_ws, cli):
    ws = make_ws(many_recipients(5))
    assert "built 6 file(s), 0 unchanged" in cli(ws, "build", "--format", "md").stderr
    before = {p.name: p.stat().st_mtime_ns for p in (ws / "build" / "letter").iterdir()}
    csv = ws / "recipients" / "ministers.csv"
    csv.write_text(csv.read_text().replace("Minister Number 3,", "Minister Number Three,"))
    result = cli(ws, "build", "--format", "md")
    assert "built 1 file(s), 5 unchanged" in result.stderr
    after = {p.name: p.stat().st_mtime_ns for p in (ws / "build" / "letter").iterdir()}
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {"minister-03.md", "manifest.json"}
    assert "Minister Number Three" in (ws / "build" / "letter" / "minister-03.md").read_text()


def test_a_template_change_rebuilds_every_document(make_ws, cli):
    ws = make_ws(many_recipients(2))
    cli(ws, "build", "--format", "md")
    (ws / "templates").mkdir()
    (ws / "templates" / "open-letter.md").write_text("# {{ campaign.title }}\n\n{{ body }}\n")
    assert "built 3 file(s), 0 unchanged" in cli(ws, "build", "--format", "md").stderr


# ---------------------------------------------------------------- outdated outputs, clean

def test_a_removed_recipient_loses_its_outputs_and_nothing_else(make_ws, cli):
    ws = make_ws(many_recipients(3))
    cli(ws, "build", "--format", "md", "--format", "html")
    folder = ws / "build" / "letter"
    (folder / "notes.txt").write_text("mine")          # not Clarion's
    (folder / "stranger.md").write_text("mine too")    # output-shaped, not in the manifest
    letter = ws / LETTER
    letter.write_text(letter.read_text().replace("recipients: [emmanuel-macron, group:ministers]",
                                                 "recipients: [group:ministers]"))
    csv = ws / "recipients" / "ministers.csv"
    csv.write_text("\n".join(csv.read_text().splitlines()[:3]) + "\n")  # minister-02 gone
    result = cli(ws, "build", "--format", "md", "--format", "html")
    assert result.exit_code == 0, result.stderr
    # a build with --format does not drop other formats; recipients are dropped
    assert "removed 4 outdated file(s)" in result.stderr
    assert files(ws) == ["manifest.json", "minister-00.html", "minister-00.md",
                         "minister-01.html", "minister-01.md", "notes.txt", "stranger.md"]
    assert sorted(manifest(ws)) == ["minister-00.html", "minister-00.md", "minister-01.html",
                                    "minister-01.md"]


def test_a_format_built_earlier_stays_until_cleaned(make_ws, cli):
    """A build makes the formats it is asked for and removes only the files of recipients
    and campaigns that are gone: the HTML a colleague built yesterday is not its to delete."""
    ws = make_ws({"clarion.yaml": BASE["clarion.yaml"] + "build: {formats: [md, html]}\n"})
    cli(ws, "build")
    assert len(manifest(ws)) == 6
    (ws / "clarion.yaml").write_text(BASE["clarion.yaml"] + "build: {formats: [md]}\n")
    result = cli(ws, "build")
    assert result.exit_code == 0 and "removed" not in result.stderr
    assert len(manifest(ws)) == 6 and len(list((ws / "build" / "letter").glob("*.html"))) == 3
    assert "removed 7 file(s)" in cli(ws, "clean", "letter").stderr


def test_clean_removes_only_what_builds_wrote(make_ws, cli):
    ws = make_ws()
    cli(ws, "build", "--format", "md")
    (ws / "build" / "letter" / "notes.txt").write_text("mine")
    result = cli(ws, "clean", "letter")
    assert result.exit_code == 0 and "removed 4 file(s)" in result.stderr
    assert files(ws) == ["notes.txt"]
    assert cli(ws, "clean", "leter").exit_code == 2
    assert "did you mean `letter`?" in cli(ws, "clean", "leter").stderr


# ---------------------------------------------------------------- warnings

def test_the_same_warning_for_many_recipients_is_one_line(make_ws, cli):
    ws = make_ws(many_recipients(6, language="de"))
    result = cli(ws, "build", "--format", "md")
    assert result.exit_code == 0
    lines = [line for line in result.stderr.splitlines() if "translation" in line]
    assert lines == ["warning: letter: no de translation for 6 recipients (minister-00, "
                     "minister-01, minister-02, …); written in en"]
    verbose = cli(ws, "build", "--format", "md", "--force", "--verbose").stderr
    assert sum("no de translation for recipient minister-" in line
               for line in verbose.splitlines()) == 6
    strict = cli(ws, "build", "--format", "md", "--strict", "--force")
    assert strict.exit_code == 1 and "--strict makes them fail the build" in strict.stderr


def test_verbose_ends_with_what_the_documents_took(make_ws, cli):
    """--verbose: documents made, processes, and CPU per document (not start-up), which
    says where a slow build's time goes; a build with nothing to make says nothing of it."""
    import re
    ws = make_ws(many_recipients(3))
    result = cli(ws, "build", "--format", "md", "--jobs", "1", "--verbose")
    assert result.exit_code == 0, result.stderr
    last = result.stderr.splitlines()[-1]
    found = re.fullmatch(r"made 4 document\(s\) in (\d+\.\d) s with 1 process\(es\); "
                         r"(\d+) ms of CPU per document", last)
    assert found, last
    assert int(found.group(2)) > 0  # rendering a letter takes milliseconds, never nothing
    again = cli(ws, "build", "--format", "md", "--verbose").stderr
    assert "made " not in again and "built 0 file(s), 4 unchanged" in again


def test_summarise_keeps_different_warnings_apart():
    """Warnings are the same when their place, code and message are, but for the recipient
    each is about (its subject): grouped by those fields, never by guessing ids in text."""
    where = Location("letter")

    def about(message: str, recipient: str | None, code: str = "") -> Problem:
        return Problem(where, message, "warning", code=code,
                       subject=("letter", recipient) if recipient else None)

    problems = [about("no de text in name for a-1; used the first given", "a-1", "untranslated"),
                about("no de text in name for a-2; used the first given", "a-2", "untranslated"),
                about("the address of a-1 takes about 12 lines", "a-1", "address-lines"),
                about("no de translation for recipient a-1", "a-1", "no-translation"),
                about("no de translation for recipient a-2", "a-2", "no-translation"),
                about("no de translation for recipient a-3", "a-3", "other-code"),
                Problem(Location("x.yaml", 3), "other", "warning"),
                Problem(Location("x.yaml", 3), "other", "warning")]
    assert [p.message for p in summarise(problems)] == [
        "no de text in name for 2 recipients (a-1, a-2); used the first given",
        "the address of a-1 takes about 12 lines",
        "no de translation for 2 recipients (a-1, a-2)",
        "no de translation for recipient a-3", "other"]


# ---------------------------------------------------------------- worker processes

def test_workers_are_replaced_and_every_document_is_made(make_ws, tmp_path,
                                                                  monkeypatch):
    """A worker process is replaced after DOCUMENTS_PER_WORKER documents (WeasyPrint's caches
    only grow): many replacements, every document made, and the build ends."""
    import threading

    from clarion.pipeline import engine
    monkeypatch.setattr(engine, "DOCUMENTS_PER_WORKER", 2)
    ws = make_ws(many_recipients(24))
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(
        build(ws, BuildOptions(formats=("md",), out=tmp_path / "out", jobs=2))), daemon=True)
    thread.start()
    thread.join(180)
    assert not thread.is_alive(), "the build did not end"
    assert len(sorted((tmp_path / "out" / "letter").glob("*.md"))) == 25  # and Macron


# ---------------------------------------------------------------- PDFs and limits

@pytest.mark.slow
def test_pdfs_are_byte_identical_whatever_jobs_and_each_stands_alone(make_ws, cli, tmp_path):
    ws = make_ws(many_recipients(4))
    one = cli(ws, "build", "--format", "pdf", "--jobs", "1", "--out", str(tmp_path / "one"))
    two = cli(ws, "build", "--format", "pdf", "--jobs", "2", "--out", str(tmp_path / "two"))
    assert one.exit_code == two.exit_code == 0, one.stderr + two.stderr
    pdfs = sorted((tmp_path / "one" / "letter").glob("*.pdf"))
    assert len(pdfs) == 5
    for pdf in pdfs:
        assert (tmp_path / "two" / "letter" / pdf.name).read_bytes() == pdf.read_bytes()
    entries = json.loads((tmp_path / "two" / "letter" / "manifest.json").read_text())
    assert all(e["unsigned_sha256"] == e["sha256"] and not e["signed"]
               for e in entries["outputs"])
    for i in range(4):
        text = " ".join(pdf_text(tmp_path / "two" / "letter" / f"minister-{i:02d}.pdf").split())
        assert f"Minister Number {i} " in text and f"Street {i} " in text
        others = [j for j in range(4) if j != i]
        assert not any(f"Minister Number {j} " in text for j in others)
        assert "Page 1 /" in text and "Page 0" not in text


@pytest.mark.slow
def test_a_pdf_is_the_same_whether_or_not_the_text_formats_are_built_with_it(make_ws, cli,
                                                                              tmp_path):
    """A build of PDFs only renders no Markdown or published HTML (work a PDF never uses),
    and the PDFs are byte for byte those of a build of every format."""
    from clarion.formats import forms_for
    from clarion.render.document import FORMS, render_document
    from clarion.workspace.load import read_workspace
    ws = make_ws(many_recipients(2))
    alone = cli(ws, "build", "--format", "pdf", "--out", str(tmp_path / "alone"))
    every = cli(ws, "build", "--format", "pdf", "--format", "md", "--format", "html",
                "--out", str(tmp_path / "every"))
    assert alone.exit_code == every.exit_code == 0, alone.stderr + every.stderr
    pdfs = sorted((tmp_path / "alone" / "letter").glob("*.pdf"))
    assert len(pdfs) == 3 and not list((tmp_path / "alone" / "letter").glob("*.md"))
    for pdf in pdfs:
        assert (tmp_path / "every" / "letter" / pdf.name).read_bytes() == pdf.read_bytes()
    loaded, _ = read_workspace(ws, ())
    assert loaded is not None
    letter, minister = loaded.campaigns["letter"], loaded.recipients["minister-00"]
    doc = render_document(loaded, letter, minister, forms=forms_for(["pdf"]))
    assert doc.markdown == doc.html == "" and "Minister Number 0" in doc.print_html
    full = render_document(loaded, letter, minister)
    assert full.print_html == doc.print_html and full.markdown and full.html
    assert forms_for(["eml"]) == FORMS and forms_for(["md"]) == {"markdown"}


HOSTILE = ("<html><body>{% for i in range(4000) %}<p>paragraph {{ i }} of a document that "
           "never ends, with enough words to wrap</p>{% endfor %}</body></html>")


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_layout_over_its_time_limit_fails_cleanly(make_ws, cli, jobs):
    ws = make_ws({"clarion.yaml": BASE["clarion.yaml"] + "limits: {layout_seconds: 0.5}\n",
                  "templates/open-letter.html": HOSTILE})
    started = time.monotonic()
    result = cli(ws, "build", "--format", "pdf", "--jobs", jobs)
    assert time.monotonic() - started < 60
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("letter/") and ".pdf: the layout took longer than the limit " \
        "of 0.5 s (limits.layout_seconds)" in lines[0]
    built = ws / "build" / "letter"
    assert not built.exists() or not list(built.glob("*.pdf")) + list(built.glob(".*"))


@pytest.mark.slow
def test_a_layout_over_its_memory_limit_fails_cleanly(make_ws):
    # A command of its own, as a user runs it: the limit is on the growth of the process's
    # resident memory, and in this long-lived test process memory freed by earlier layouts is
    # reused without growing it, so in process the outcome would depend on the tests before.
    ws = make_ws({"clarion.yaml": BASE["clarion.yaml"] + "limits: {layout_memory_mb: 16}\n",
                  "templates/open-letter.html": HOSTILE})
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    result = subprocess.run([sys.executable, "-m", "clarion", "-w", str(ws), "build",
                             "--format", "pdf", "--jobs", "1", "--recipient", "simon-coveney"],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ("letter/simon-coveney.pdf: the layout needed more memory than "
                             "the limit of 16 MB (limits.layout_memory_mb)\n")
    assert not (ws / "build" / "letter" / "simon-coveney.pdf").exists()


# ---------------------------------------------------------------- interruptions

def _start_build(ws: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    return subprocess.Popen([sys.executable, "-m", "clarion", "-w", str(ws), "build",
                             "--format", "pdf", "--format", "md", "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)


def _wait_for_pdf(ws: Path, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while not list((ws / "build" / "letter").glob("*.pdf")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)


def _all_whole(ws: Path) -> None:
    from pypdf import PdfReader
    for path in (ws / "build" / "letter").iterdir():
        if path.suffix == ".pdf":
            assert path.read_bytes().rstrip().endswith(b"%%EOF")
            assert len(PdfReader(str(path)).pages) >= 1
        elif path.suffix == ".md":
            assert path.read_text().endswith("\n")


@pytest.mark.slow
def test_a_killed_build_leaves_whole_files_and_the_next_build_repairs(make_ws, cli):
    ws = make_ws(many_recipients(12))
    process = _start_build(ws)
    _wait_for_pdf(ws, process)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    _all_whole(ws)
    result = cli(ws, "build", "--format", "pdf", "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert sorted(manifest(ws)) == sorted(f"{s}.{f}" for s in
                                          ["emmanuel-macron", *[f"minister-{i:02d}"
                                                                for i in range(12)]]
                                          for f in ("pdf", "md"))
    assert not [p for p in (ws / "build" / "letter").iterdir() if p.name.startswith(".")]
    assert "built 0 file(s), 26 unchanged" in cli(ws, "build", "--format", "pdf",
                                                  "--format", "md").stderr


@pytest.mark.slow
def test_ctrl_c_stops_the_build_and_keeps_finished_files(make_ws, cli):
    ws = make_ws(many_recipients(12))
    process = _start_build(ws)
    _wait_for_pdf(ws, process)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.decode().strip().endswith("interrupted; nothing half-written was left behind")
    _all_whole(ws)
    listed = manifest(ws)
    on_disk = {p.name for p in (ws / "build" / "letter").iterdir() if p.name != "manifest.json"}
    assert set(listed) == on_disk and listed
    result = cli(ws, "build", "--format", "pdf", "--format", "md")
    assert f"{26 - len(listed)} file(s), {len(listed)} unchanged" in result.stderr


# ---------------------------------------------------------------- the PDF finisher hook

class _Stamp:
    identity = "stamp-1"
    signature_box = None

    def __call__(self, pdf: bytes, job: object) -> bytes:
        return pdf + b"%stamped\n"


def stamp(ws: object, setup: object) -> _Stamp:
    return _Stamp()


@pytest.mark.slow
def test_a_finisher_changes_the_pdf_and_the_manifest_keeps_the_unsigned_hash(make_ws, tmp_path):
    import hashlib
    ws = make_ws()
    only = {"recipients": ("simon-coveney",), "formats": ("pdf",), "jobs": 1}
    build(ws, BuildOptions(out=tmp_path / "a", **only))
    build(ws, BuildOptions(out=tmp_path / "b", **only), finisher=stamp)
    plain = (tmp_path / "a" / "letter" / "simon-coveney.pdf").read_bytes()
    stamped = (tmp_path / "b" / "letter" / "simon-coveney.pdf").read_bytes()
    assert stamped == plain + b"%stamped\n"
    a = json.loads((tmp_path / "a" / "letter" / "manifest.json").read_text())["outputs"][0]
    b = json.loads((tmp_path / "b" / "letter" / "manifest.json").read_text())["outputs"][0]
    assert b["signed"] is True and a["signed"] is False
    assert b["unsigned_sha256"] == a["sha256"] == hashlib.sha256(plain).hexdigest()
    assert b["sha256"] == hashlib.sha256(stamped).hexdigest()
    assert a["inputs"] != b["inputs"]  # the finisher's identity is an input
