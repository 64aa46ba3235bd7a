"""The .docx files opened by a word processor: LibreOffice turns each into a PDF, and its text
is the text of the PDF Clarion built for the same recipient, in the same order — nothing lost,
nothing moved, every footnote a footnote.

Without LibreOffice (`soffice`, Debian's libreoffice-writer-nogui) these tests are skipped
with the reason, except under CI (`CI=true`), where that is a failure: `scripts/setup
--tests` installs it."""
from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from test_docx import build_example, notes_of, pdf_lines, running_head, squash, without_notes

pytestmark = pytest.mark.slow

#: a superscript LibreOffice lays out on a line of its own: a footnote call or a `<sup>`
SUPERSCRIPT_LINE = re.compile(r"^[\d,\s]+$")
SECONDS = 120
BULLET = "•"


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        reason = "LibreOffice (soffice) is not installed (scripts/setup --tests installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> tuple[Path, Path]:
    """The example built as PDFs and .docx files, and every .docx converted to PDF by
    LibreOffice at once (one run, a profile of its own): (build folder, converted folder)."""
    soffice = _soffice()
    tmp = tmp_path_factory.mktemp("docx-libreoffice")
    built = build_example(tmp / "ws")
    out, profile = tmp / "converted", tmp / "profile"
    files = sorted(str(p) for p in built.rglob("*.docx"))
    run = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                          "--convert-to", "pdf", "--outdir", str(out), *files],
                         capture_output=True, text=True, timeout=SECONDS)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Error" not in run.stdout + run.stderr, run.stdout + run.stderr
    return built, out


def _streams(path: Path, converted: Path) -> tuple[str, str, list[int], list[int]]:
    """Clarion's PDF and LibreOffice's, as squashed text without page furniture and
    footnotes; and where each footnote was in each."""
    document = docx.Document(str(path))
    notes = notes_of(path)
    head = running_head(document)
    ours = squash("\n".join(pdf_lines(path.with_suffix(".pdf"), head)))
    theirs = squash("\n".join(line for line in pdf_lines(converted / f"{path.stem}.pdf", head)
                              if not SUPERSCRIPT_LINE.match(line)))
    ours, ours_at = without_notes(ours, notes)
    theirs, theirs_at = without_notes(theirs, notes)
    # poppler may read a column of bullets apart from the items (tests/test_docx.py checks
    # that each item has its bullet)
    return ours.replace(BULLET, ""), theirs.replace(BULLET, ""), ours_at, theirs_at


def test_every_docx_converts(converted):
    built, out = converted
    stems = sorted(p.stem for p in built.rglob("*.docx"))
    assert sorted(p.stem for p in out.glob("*.pdf")) == stems and len(stems) == 6


def test_libreoffice_reads_the_text_of_the_pdf_in_order(converted):
    """Word for word, in order, LibreOffice's PDF has the text of Clarion's: the only
    differences allowed are superscript numbers (footnote calls), which LibreOffice sets on a
    line of their own."""
    built, out = converted
    for path in sorted(built.rglob("*.docx")):
        ours, theirs, ours_at, theirs_at = _streams(path, out)
        assert ours_at == sorted(ours_at) and theirs_at == sorted(theirs_at), path.name
        matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            changed = ours[i1:i2] + theirs[j1:j2]
            assert re.fullmatch(r"[\d,]+", changed), (
                f"{path.name}: Clarion's PDF has {ours[i1:i2]!r}, LibreOffice's "
                f"{theirs[j1:j2]!r}, after …{ours[max(0, i1 - 60):i1]!r}")
        assert len(ours) > 500


def test_footnotes_stay_footnotes(converted):
    """Each source is a footnote at the foot of a page in LibreOffice too: after the text it
    is called from, before the page's number."""
    built, out = converted
    path = built / "azerbaijan-statement-2025/azerbaijan-statement-2025.docx"
    text = subprocess.run(["pdftotext", str(out / f"{path.stem}.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    # the page's lines, without the lines LibreOffice gives a superscript call of its own
    first_page = " ".join(" ".join(line.split()) for line in text.split("\f")[0].splitlines()
                          if line.strip() and not line.strip().isdigit())
    note = "Estimate shared with Amnesty International by Azerbaijani human rights defenders"
    assert note in first_page
    assert first_page.index("at about 300.") < first_page.index("Estimate shared") \
        < first_page.index("Page 1 / ")
