"""`--format docx`: the example workspace built as Word documents, opened with python-docx and
read against the PDFs Clarion built for the same recipients."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE_PARTS, REPO
from docx.oxml.ns import qn

from clarion.cli import main

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PAGE_LINE = re.compile(r"^\S+ \d+ / \d+$")


def build_example(root: Path) -> Path:
    """A copy of the example workspace built as PDFs and .docx files: its build folder."""
    root.mkdir(parents=True, exist_ok=True)
    for part in EXAMPLE_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, root / part)
        elif src.is_file():
            shutil.copy(src, root / part)
    result = CliRunner().invoke(main, ["--workspace", str(root), "build", "--format", "pdf",
                                       "--format", "docx", "--no-sign"])
    assert result.exit_code == 0, result.output
    return root / "build"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_example(tmp_path_factory.mktemp("docx-example"))


def body_paragraphs(document) -> list:
    """The body's paragraphs in reading order, those in table cells included."""
    out = []
    for block in document.element.body:
        if block.tag == f"{W}p":
            out.append(block)
        elif block.tag == f"{W}tbl":
            for row in block.iter(f"{W}tr"):
                for cell in row.iter(f"{W}tc"):
                    out += list(cell.iter(f"{W}p"))
    return out


def text_of(p, calls: bool = True) -> str:
    """A paragraph's text as it reads on the page: footnote calls as their numbers (when
    `calls`), a line break as a new line."""
    parts = []
    for el in p.iter():
        if el.tag == f"{W}t":
            parts.append(el.text or "")
        elif el.tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
        elif el.tag == f"{W}footnoteReference" and calls:
            parts.append(el.get(qn("w:id")))
    return "".join(parts)


def marker(document, p, counts: dict[str, int]) -> str:
    """The number ("2.") or bullet a list item shows, as the PDF writes it."""
    num = p.find(f"{W}pPr/{W}numPr/{W}numId")
    if num is None:
        return ""
    num_id = num.get(qn("w:val"))
    numbering = document.part.numbering_part.element
    abstract = numbering.num_having_numId(int(num_id)).abstractNumId.val
    fmt = numbering.find(f"{W}abstractNum[@{qn('w:abstractNumId')}='{abstract}']/{W}lvl/"
                         f"{W}numFmt").get(qn("w:val"))
    counts[num_id] = counts.get(num_id, 0) + 1
    return f"{counts[num_id]}. " if fmt == "decimal" else "• "


def style_of(p) -> str:
    ppr = p.find(f"{W}pPr")
    style = ppr.find(f"{W}pStyle") if ppr is not None else None
    return style.get(qn("w:val")) if style is not None else "Normal"


def notes_of(path: Path) -> list[str]:
    """The footnotes' texts, in the order of their ids."""
    with zipfile.ZipFile(path) as z:
        if "word/footnotes.xml" not in z.namelist():
            return []
        from lxml import etree
        root = etree.fromstring(z.read("word/footnotes.xml"))
    notes = [(int(n.get(qn("w:id"))), "".join(t.text or "" for t in n.iter(f"{W}t")).strip())
             for n in root.iter(f"{W}footnote") if n.get(qn("w:type")) is None]
    return [text for _, text in sorted(notes)]


def squash(text: str) -> str:
    """Text without white space or hyphens (a layout adds them at line ends, and poppler
    takes a real one at a line's end away), case folded (a style may show capitals)."""
    return "".join(re.sub("[-\u2010\u00ad]", "", text).split()).casefold()


def pdf_lines(pdf: Path, running_head: str) -> list[str]:
    """poppler's text of a PDF, a line each, without the page furniture (page numbers and the
    running head)."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    head = " ".join(running_head.split())
    lines = []
    for line in out.splitlines():
        flat = " ".join(line.split())
        if PAGE_LINE.match(flat) or (head and flat.startswith(head)):
            continue
        lines.append(line)
    return lines


def without_notes(stream: str, notes: list[str]) -> tuple[str, list[int]]:
    """The squashed text without each note (and the number before it), and where each was."""
    where = []
    for number, note in enumerate(notes, 1):  # its own number only: a call may stand just before
        m = re.search(rf"(?:{number}\.?)?" + re.escape(squash(note)), stream)
        assert m, f"footnote not in the PDF: {note}"
        where.append(m.start())
        stream = stream[:m.start()] + "\0" + stream[m.end():]
    return stream.replace("\0", ""), where


def running_head(document) -> str:
    return " ".join(p.text for p in document.sections[0].header.paragraphs).strip()


def test_one_docx_for_each_pdf(built):
    pdfs = sorted(p.relative_to(built).with_suffix("") for p in built.rglob("*.pdf"))
    docs = sorted(p.relative_to(built).with_suffix("") for p in built.rglob("*.docx"))
    assert docs == pdfs and len(docs) == 6
    assert (built / "paris-meeting-2018/emmanuel-macron.docx").exists()
    assert (built / "paris-meeting-2018/azerbaijan-ambassador-france.docx").exists()


def test_every_paragraph_of_the_pdf_is_in_the_docx_in_order(built):
    """Each paragraph of the .docx (footnote calls in place) is in the PDF's text, after the
    one before it; every footnote is in the PDF; and, the footnotes and page furniture left
    out, the PDF has no text the .docx does not have."""
    for path in sorted(built.rglob("*.docx")):
        document = docx.Document(str(path))
        notes = notes_of(path)
        lines = pdf_lines(path.with_suffix(".pdf"), running_head(document))
        stream, _ = without_notes(squash("\n".join(lines)), notes)
        at, counts = 0, {}
        for p in body_paragraphs(document):
            text = squash(marker(document, p, counts) + text_of(p))
            if not text:
                continue
            found = stream.find(text, at)
            assert found >= 0, f"{path.name}: not in the PDF (in this order): {text_of(p)!r}"
            assert not stream[at:found].strip(), f"{path.name}: the PDF has more before " \
                f"{text_of(p)!r}: {stream[at:found]!r}"
            at = found + len(text)
        assert not stream[at:], f"{path.name}: the PDF has more at the end: {stream[at:]!r}"


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    document = docx.Document(str(path))
    return [(style_of(p), " ".join(text_of(p, calls=False).split()))
            for p in body_paragraphs(document) if text_of(p).strip()]


def test_the_french_letter_reads_as_the_pdf(built):
    path = built / "paris-meeting-2018/emmanuel-macron.docx"
    paras = _paragraphs(path)
    styles = dict((s, t) for s, t in reversed(paras))  # the first paragraph of each style
    assert styles["Subject"] == ("Objet : Libération d’Ilgar Mammadov et des autres "
                                 "prisonniers d’opinion en Azerbaïdjan")
    assert styles["Salutation"] == "Monsieur le Président de la République,"
    assert styles["Dateline"] == "Bruxelles, Bakou, le 18 juillet 2018"
    assert styles["LetterheadName"] == "Partenariat international pour les droits humains"
    assert styles["Closing"].startswith("Nous vous prions d’agréer")
    order = [s for s, _ in paras]
    assert order.index("Dateline") < order.index("Subject") < order.index("Salutation") \
        < order.index("BodyText") < order.index("AsksIntro") < order.index("Ask") \
        < order.index("Closing") < order.index("Signatory") < order.index("CopiedTo")
    address = [t for s, t in paras if s == "Address"]
    assert address == ["Monsieur Emmanuel Macron", "Président de la République française",
                       "Palais de l’Élysée", "55 Rue du Faubourg Saint-Honoré", "75008 Paris",
                       "FRANCE"]


def test_asks_are_a_numbered_list_and_signatories_a_table(built):
    document = docx.Document(str(built / "paris-meeting-2018/emmanuel-macron.docx"))
    asks = [p for p in body_paragraphs(document) if style_of(p) == "Ask"]
    assert len(asks) == 3
    ids = {p.find(f"{W}pPr/{W}numPr/{W}numId").get(qn("w:val")) for p in asks}
    assert len(ids) == 1  # one list, numbered 1, 2, 3
    grid = document.tables[-1]
    cells = [" ".join(c.text.split()) for row in grid.rows for c in row.cells]
    assert cells == ["Rasul Jafarov, Directeur Club des droits humains (Azerbaïdjan)",
                     "Brigitte Dufour, Directrice Partenariat international pour les droits "
                     "humains (Belgique)"]
    bold = [r.text for c in grid.rows[0].cells for p in c.paragraphs for r in p.runs
            if r.bold]
    assert bold == ["Rasul Jafarov", "Brigitte Dufour"]
    assert not document.inline_shapes or all(  # the logo only: no signature image
        s.height < docx.shared.Mm(15) for s in document.inline_shapes)
    assert len(document.inline_shapes) == 1


def _langs(path: Path) -> dict[str, set[str]]:
    """Each paragraph's text → the languages its runs are in."""
    document = docx.Document(str(path))
    out: dict[str, set[str]] = {}
    for p in body_paragraphs(document):
        langs = {lang.get(qn("w:val")) for lang in p.iter(f"{W}lang")}
        if text_of(p).strip():
            out[" ".join(text_of(p).split())] = langs
    return out


def test_each_text_is_in_its_language(built):
    """Word spell-checks each run in its language: the French letter in fr-FR; the copy to the
    ambassador, its cover note and the courtesy translation it covers, in Azerbaijani
    (az-Latn-AZ)."""
    french = _langs(built / "paris-meeting-2018/emmanuel-macron.docx")
    assert french["Monsieur le Président de la République,"] == {"fr-FR"}
    assert set().union(*french.values()) == {"fr-FR"}
    path = built / "paris-meeting-2018/azerbaijan-ambassador-france.docx"
    langs = _langs(path)
    assert langs["Hörmətli cənab Səfir!"] == {"az-Latn-AZ"}
    assert langs["Hörmətli cənab Prezident!"] == {"az-Latn-AZ"}
    document = docx.Document(str(path))
    defaults = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert defaults.get(qn("w:val")) == "az-Latn-AZ"
    assert document.core_properties.language == "az-Latn-AZ"
    english = _langs(built / "azerbaijan-statement-2025/azerbaijan-statement-2025.docx")
    assert set().union(*english.values()) == {"en-GB"}
    copy = [p for p in document.paragraphs if p.style.name == "Copy Label"]
    assert copy[0].paragraph_format.page_break_before  # the copy starts on a page of its own


def test_sources_are_real_word_footnotes(built):
    path = built / "azerbaijan-statement-2025/azerbaijan-statement-2025.docx"
    notes = notes_of(path)
    assert len(notes) == 4
    assert notes[0] == ("Estimate shared with Amnesty International by Azerbaijani human "
                        "rights defenders, January 2025.")
    assert notes[3].startswith("“Azerbaijani rights defender Anar Mammadli arrested")
    document = docx.Document(str(path))
    calls = [int(r.get(qn("w:id"))) for r in document.element.body.iter(
        f"{W}footnoteReference")]
    assert calls == [1, 2, 3, 4]
    with zipfile.ZipFile(path) as z:
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
        note_rels = z.read("word/_rels/footnotes.xml.rels").decode()
    assert "/word/footnotes.xml" in types and "footnotes+xml" in types
    assert 'Target="footnotes.xml"' in rels
    # the link in a note is a real hyperlink, related from the footnotes part
    assert 'TargetMode="External"' in note_rels and "rferl.org" in note_rels
    paragraph = next(p for p in body_paragraphs(document) if "about 300." in text_of(p))
    assert "about 300.1 They include" in text_of(paragraph)
    assert [h.text for h in document.paragraphs if h.style.name == "Heading 2"][:2] == [
        "Arbitrary detention and politically motivated prosecutions",
        "A crackdown timed to COP29"]


def test_page_numbers_in_the_footer_and_the_running_head_from_page_two(built):
    document = docx.Document(str(built / "paris-meeting-2018/emmanuel-macron.docx"))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert running_head(document) == "Emmanuel Macron · 18\u00a0juillet 2018"
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    for footer in (section.footer, section.first_page_footer):
        fields = [t.text.strip() for t in footer._element.iter(f"{W}instrText")]
        assert fields == ["PAGE", "NUMPAGES"]
        assert footer.paragraphs[0].text.startswith("Page ")
    assert abs(section.page_width - docx.shared.Mm(210)) < docx.shared.Mm(0.1)
    assert abs(section.page_height - docx.shared.Mm(297)) < docx.shared.Mm(0.1)


def test_fonts_are_named_as_in_the_pdf(built):
    document = docx.Document(str(built / "paris-meeting-2018/emmanuel-macron.docx"))
    fonts = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:cs")) == "Charis SIL"
    for name in ("Subject", "Address", "Heading 2", "Signatory", "Letterhead"):
        style = document.styles[name].element.find(f"{W}rPr/{W}rFonts")
        assert style.get(qn("w:ascii")) == style.get(qn("w:hAnsi")) == "DejaVu Sans", name


def test_letter_paper_and_the_same_bytes_twice(tmp_path):
    """`build.paper: letter` gives US Letter; a rebuild writes the very same bytes."""
    first = build_example(tmp_path / "a")
    data = (first / "paris-meeting-2018/emmanuel-macron.docx").read_bytes()
    root = tmp_path / "b"
    build_example(root)
    assert (root / "build/paris-meeting-2018/emmanuel-macron.docx").read_bytes() == data
    yaml = root / "clarion.yaml"
    yaml.write_text(yaml.read_text().replace("build:\n", "build:\n  paper: letter\n"))
    result = CliRunner().invoke(main, ["--workspace", str(root), "build", "--format", "docx",
                                       "azerbaijan-statement-2025"])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(root / "build/azerbaijan-statement-2025/"
                                        "azerbaijan-statement-2025.docx"))
    assert abs(document.sections[0].page_width - docx.shared.Inches(8.5)) < docx.shared.Mm(0.1)
    assert abs(document.sections[0].page_height - docx.shared.Inches(11)) < docx.shared.Mm(0.1)
