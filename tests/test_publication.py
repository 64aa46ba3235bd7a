"""`publication: web` (no postal block, a "To:" line) and the return line of posted letters
(a `validate` warning with its width when it does not fit), read back from real builds."""
from __future__ import annotations

import html as markup
import re
import subprocess

import pytest
from conftest import flat, pdf_text
from pdfcheck import find, words

from clarion.render.return_line import WIDTH_MM, width_mm

WEB = """\
    kind: open-letter
    title: Release Ilgar Mammadov
    date: 2018-07-18
    place: Brussels
    publication: web
    cases: [ilgar-mammadov]
    recipients: [emmanuel-macron, jean-asselborn]
    to: [emmanuel-macron]
    signatories: [trg, hrc]
    subject: Release of Ilgar Mammadov
    body: We write about {{ case.name }}.
    """
#: a London organisation whose return line is too long for the window's line
LONG = """\
    organisation:
      name: Human Rights Watch
      short: Human Rights Watch UK
      address: [65 Leonard Street, Third Floor, London EC1R 3CX, United Kingdom]
    language: en
    """
POSTAL = ("Palais de l'Élysée", "75008 Paris", "FRANCE")  # the letterhead keeps the sender's


def _dark_rows(pdf, page: int, x_mm: tuple[float, float]) -> list[float]:
    """Millimetres from the top where page `page` has dark pixels between x_mm[0] and x_mm[1]
    (the fold and punch marks sit in the left margin, 2 to 12 mm from the edge)."""
    dpi = 150
    out = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page),
                          str(pdf)], capture_output=True, check=True).stdout
    _, dims, _, pixels = out.split(b"\n", 3)
    width, height = map(int, dims.split())
    px = dpi / 25.4
    return [round(y / px, 1) for y in range(height)
            if any(v < 160 for v in pixels[y * width:(y + 1) * width][
                int(x_mm[0] * px):int(x_mm[1] * px)])]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The base workspace with the letter posted and the same letter published on the web."""
    from click.testing import CliRunner
    from conftest import BASE, write_files

    from clarion.cli import main
    root = write_files(tmp_path_factory.mktemp("publication"), {**BASE,
                                                                "campaigns/web.yaml": WEB})
    result = CliRunner().invoke(main, ["-w", str(root), "build", "--no-sign", "--format", "pdf",
                                       "--format", "md", "--format", "html"])
    assert result.exit_code == 0, result.output
    return root / "build"


@pytest.mark.slow  # lays out two campaigns' letters
def test_a_web_letter_has_a_to_line_and_no_postal_block(built):
    folder = built / "web"
    text = flat(pdf_text(folder / "emmanuel-macron.pdf"))
    md = (folder / "emmanuel-macron.md").read_text("utf-8")
    html = (folder / "emmanuel-macron.html").read_text("utf-8")
    visible = markup.unescape(re.sub(r"<[^>]+>", "", html.split("</head>")[1]))
    for content in (text, md, visible):
        assert "To: Emmanuel Macron, President of the French Republic" in flat(content), content
        assert "Dear President Macron," in content
        assert not [line for line in POSTAL if line in content], content
        assert "TRG ·" not in content  # the return line
    assert 'class="address-field"' not in html and 'class="marks"' not in html
    # the posted letter, built from the same workspace, has them all
    posted = flat(pdf_text(built / "letter" / "emmanuel-macron.pdf"))
    assert "TRG · Rue de la Loi 1" in posted and "75008 Paris" in posted
    assert "To:" not in posted


@pytest.mark.slow  # lays out two campaigns' letters
def test_a_web_letter_has_no_fold_marks(built):
    marks = _dark_rows(built / "letter" / "emmanuel-macron.pdf", 1, (2, 12))
    assert any(abs(r - 105) <= 1 for r in marks), marks  # the posted letter's, as a check
    assert _dark_rows(built / "web" / "emmanuel-macron.pdf", 1, (2, 12)) == []


@pytest.mark.slow  # lays out two campaigns' letters
def test_a_copy_of_a_web_letter_names_the_addressee_without_addresses(built):
    folder = built / "web"
    md = (folder / "jean-asselborn.md").read_text("utf-8")
    text = flat(pdf_text(folder / "jean-asselborn.pdf"))
    for content in (md, text):
        assert "4 rue du Palais" not in content and "1911 Luxembourg" not in content
        assert "To: Emmanuel Macron, President of the French Republic" in flat(content)
        assert not [line for line in POSTAL if line in content]
    assert "Monsieur le Ministre," in md  # the cover note, in his language


def test_validate_warns_about_a_return_line_too_long_with_its_width(make_ws, cli):
    root = make_ws({"clarion.yaml": LONG})
    result = cli(root, "validate")
    assert result.exit_code == 0, result.output
    found = [line for line in (result.stdout + result.stderr).splitlines()
             if "return line" in line]
    assert len(found) == 1, found
    wide = width_mm("Human Rights Watch UK · 65 Leonard Street · Third Floor · "
                    "London EC1R 3CX · United Kingdom")
    assert found[0].startswith("clarion.yaml:1: warning: the return line above the window "
                               f"address is {wide:.0f} mm wide at 6.5 pt, and its line 80 mm")
    assert "the letters of letter would print \"Human Rights Watch UK · 65 Leonard Street · " \
           "Third Floor · London…\"" in found[0]
    strict = cli(root, "build", "--no-sign", "--format", "md", "--strict")
    assert strict.exit_code == 1


@pytest.mark.slow  # lays out a letter
def test_a_letter_with_a_long_return_line_still_builds_and_shows_the_cut(make_ws, cli):
    root = make_ws({"clarion.yaml": LONG, "recipients/ministers.csv": None,
                    "campaigns/letter.yaml": WEB.replace("publication: web", "publication: post")
                    .replace(", jean-asselborn]", "]")})
    result = cli(root, "build", "--no-sign", "--format", "pdf")
    assert result.exit_code == 0, result.output
    assert "return line above the window address" in result.stderr
    pdf = root / "build" / "letter" / "emmanuel-macron.pdf"
    on_page = [w for w in words(pdf) if w.page == 1 and 45 <= w.y0 <= 51]
    assert find(on_page, "Human") and max(w.x1 for w in on_page) <= 20 + 85 + 0.5, on_page


@pytest.mark.parametrize("changes", [
    {},                                                     # TRG's line fits
    {"campaigns/letter.yaml": WEB},                         # published on the web: no line
])
def test_no_warning_when_the_line_fits_or_is_not_printed(make_ws, cli, changes):
    if "campaigns/letter.yaml" in changes:
        changes = {**changes, "clarion.yaml": LONG}
    result = cli(make_ws(changes), "validate")
    assert result.exit_code == 0, result.output
    assert "return line" not in result.stdout + result.stderr


def test_no_warning_on_us_letter_paper_whose_window_hides_the_line(make_ws, cli):
    result = cli(make_ws({"clarion.yaml": LONG + "build: {paper: letter}\n"}), "validate")
    assert result.exit_code == 0, result.output
    assert "return line" not in result.stdout + result.stderr


@pytest.mark.slow  # lays out a letter
def test_the_width_estimate_matches_the_laid_out_line(built):
    """The table of glyph widths against WeasyPrint: TRG's return line as printed."""
    line = [w for w in words(built / "letter" / "emmanuel-macron.pdf")
            if w.page == 1 and 45 <= w.y0 <= 51]
    printed = max(w.x1 for w in line) - min(w.x0 for w in line)
    estimate = width_mm("TRG · Rue de la Loi 1 · 1000 Brussels · Belgium")
    assert abs(printed - estimate) <= 0.03 * estimate, (printed, estimate)
    assert estimate < WIDTH_MM


@pytest.mark.slow  # lays out a letter
def test_a_french_web_letter_says_to_in_french(make_ws, cli):
    french = WEB.replace("subject: Release of Ilgar Mammadov\n",
                         "subject: Release of Ilgar Mammadov\n    language: fr\n") \
        .replace("body: We write about", "body: Nous vous écrivons au sujet de") \
        .replace("recipients: [emmanuel-macron, jean-asselborn]", "recipients: [emmanuel-macron]")
    root = make_ws({"campaigns/web.yaml": french})
    result = cli(root, "build", "web", "--no-sign", "--format", "md", "--format", "pdf")
    assert result.exit_code == 0, result.stderr
    md = (root / "build/web/emmanuel-macron.md").read_text("utf-8")
    text = flat(pdf_text(root / "build/web/emmanuel-macron.pdf"))
    for content in (md, text):
        assert "À\u202f: Emmanuel Macron" in content or "À : Emmanuel Macron" in flat(content), \
            content
        assert "To:" not in content
