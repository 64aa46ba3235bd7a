"""The four kinds built from the example workspace: words in Markdown, HTML and PDF."""
from __future__ import annotations

import json
import os

import pytest
from conftest import REPO, flat, pdf_reader, pdf_text

GOLDEN = REPO / "tests" / "golden"
pytestmark = pytest.mark.slow  # the module builds every example campaign as PDF, HTML and Markdown
CAMPAIGNS = ["paris-meeting-2018", "isgandarli-killing-2024", "azerbaijan-statement-2025",
             "trial-watch-2014-10-06", "joint-letter-2025"]


@pytest.fixture(scope="module")
def built(example_ws, tmp_path_factory):
    from click.testing import CliRunner

    from clarion.cli import main
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["-w", str(example_ws), "build", "--format", "pdf",
                                       "--format", "md", "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return out


def test_every_campaign_has_its_outputs_and_manifest(built):
    for campaign in CAMPAIGNS:
        manifest = json.loads((built / campaign / "manifest.json").read_text())
        assert manifest["campaign"] == campaign
        files = {o["file"] for o in manifest["outputs"]}
        for o in manifest["outputs"]:
            data = (built / campaign / o["file"]).read_bytes()
            import hashlib
            assert o["sha256"] == hashlib.sha256(data).hexdigest()
            assert o["signed"] is False and o["unsigned_sha256"] == o["sha256"]
            assert len(o["inputs"]) == 64
        assert {f.rsplit(".", 1)[1] for f in files} == {"pdf", "md", "html"}


@pytest.mark.parametrize("rel", sorted(p.relative_to(GOLDEN).as_posix()
                                       for p in GOLDEN.rglob("*.md")) if GOLDEN.is_dir() else [])
def test_golden_markdown(built, rel):
    """Markdown output is fixed; refresh on purpose with CLARION_REFRESH_GOLDEN=1."""
    produced = (built / rel).read_text("utf-8")
    golden = GOLDEN / rel
    if os.environ.get("CLARION_REFRESH_GOLDEN"):
        golden.write_text(produced, "utf-8")
    assert produced == golden.read_text("utf-8")


def test_golden_files_cover_every_campaign():
    assert GOLDEN.is_dir()
    assert {p.parent.name for p in GOLDEN.rglob("*.md")} == set(CAMPAIGNS)


def test_open_letter_to_the_french_president_in_french(built):
    pdf = built / "paris-meeting-2018" / "emmanuel-macron.pdf"
    text = flat(pdf_text(pdf))
    for expected in ["Emmanuel Macron", "Président de la République française",
                     "55 Rue du Faubourg Saint-Honoré", "75008 Paris", "FRANCE",
                     "Bruxelles, Bakou, le 18 juillet 2018", "Monsieur le Président de la République,",
                     "Nous vous prions d’agréer, Monsieur le Président de la République",
                     "Rasul Jafarov", "Directeur", "Club des droits humains (Azerbaïdjan)",
                     "Brigitte Dufour", "Directrice",
                     "Partenariat international pour les droits humains (Belgique)",
                     "Page 1 / 2"]:
        assert expected in text, expected
    assert "Dear" not in text and "Yours sincerely" not in text and "Director" not in text
    meta = pdf_reader(pdf).metadata
    assert meta["/Author"] == "Partenariat international pour les droits humains"
    assert meta["/CreationDate"].startswith("D:20180718")
    assert meta["/Title"].startswith("Lettre ouverte")
    root = pdf_reader(pdf).trailer["/Root"]
    assert root["/Lang"] == "fr" and bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root


def test_open_letter_markdown_pastes_cleanly(built):
    md = (built / "paris-meeting-2018" / "emmanuel-macron.md").read_text()
    assert not md.startswith("---") and "recipient:" not in md  # no front matter
    assert "  \n" not in md  # no trailing double spaces for line breaks
    assert md.startswith("Monsieur Emmanuel Macron\\\nPrésident de la République française\\\n")
    assert "Monsieur le Président de la République," in md
    assert "Nous vous demandons de\u00a0:\n\n1. " in md  # the asks, with their lead-in


def test_copy_keeps_the_addressees_letter_after_a_cover_note(built):
    """The ambassador gets the letter to Macron after a cover note in Azerbaijani: with
    `copies: translated`, the campaign's Azerbaijani translation of it, marked as such."""
    folder = built / "paris-meeting-2018"
    text = flat(pdf_text(folder / "azerbaijan-ambassador-france.pdf"))
    cover = text.find("Hörmətli cənab Səfir!")
    note = text.find("məlumat üçün Sizə təqdim edirik")
    mark = text.find("Qeyri-rəsmi tərcümə; göndərilmiş məktub fransız dilindədir.")
    letter = text.find("Hörmətli cənab Prezident!")
    body = text.find("Prezident İlham Əliyevlə 20 iyul")
    assert 0 <= cover < note < mark < letter < body, (cover, note, mark, letter, body)
    assert "Hörmətlə," in text and text.count("Hörmətli cənab Səfir") == 1
    assert "Monsieur le Président" not in text
    from pdfcheck import find, words
    window = find([w for w in words(folder / "azerbaijan-ambassador-france.pdf") if w.page == 1],
                  "Mustafayev")  # the copy goes to the ambassador's window
    assert window and 45 <= window[0].y0 <= 90 and window[0].x1 < 105
    md = (folder / "azerbaijan-ambassador-france.md").read_text()
    assert md.index("Hörmətli cənab Səfir!") < md.index("Hörmətli cənab Prezident!")
    # the letter to the addressee lists the copy recipient on its cc line
    macron = flat(pdf_text(folder / "emmanuel-macron.pdf"))
    assert "Copie : Rəhman Mustafayev" in macron.replace("\u00a0", " ")
    assert "Hörmətli" not in macron


def test_markdown_footnotes_follow_the_signatories_in_citation_order(built):
    md = (built / "isgandarli-killing-2024" / "isgandarli-killing-2024.md").read_text()
    assert "[^src-" not in md
    notes = md.index("\n[^1]: ")
    assert md.index("Brigitte Dufour") < md.index("\nENDS\n") < notes
    assert md.index("[^1]") < md.index("[^2]") < md.index("[^3]") < notes
    assert md.count("[^2]: ") == 1


def test_press_reaction_has_lede_quotes_pull_quote_and_background(built):
    folder = built / "isgandarli-killing-2024"
    text = flat(pdf_text(folder / "isgandarli-killing-2024.pdf"))
    assert "France/Azerbaijan:" in text
    assert "Reacting to the fatal stabbing" in text
    assert ("Brigitte Dufour, Director, International Partnership for Human Rights, said:"
            in text)
    assert "Background" in text
    assert "died of his injuries in hospital on 1 October 2024." in text
    assert "Killed on" not in text
    assert "Mulhouse" in text and "Mahammad Mirzali" in text
    assert text.count("The French authorities must investigate this killing") == 1  # pull quote, once
    for furniture in ["ENDS", "Media contact", "IPHR press office", "press@example.org",
                      "Notes to editors"]:
        assert furniture in text, furniture
    assert text.index("Background") < text.index("ENDS") < text.index("Notes to editors")
    md = (folder / "isgandarli-killing-2024.md").read_text()
    assert md.count("The French authorities must investigate this killing") == 1
    assert "\n## Background\n" in md and "\nENDS\n" in md
    from pypdf import PdfReader
    images = [img for page in PdfReader(folder / "isgandarli-killing-2024.pdf").pages
              for img in page.images]
    # the letterhead logo only: press releases carry no signature image
    assert len({img.data for img in images}) == 1


def test_statement_computes_figures_and_footnotes(built):
    folder = built / "azerbaijan-statement-2025"
    md = (folder / "azerbaijan-statement-2025.md").read_text()
    assert "\n[^4]: “Azerbaijani rights defender Anar Mammadli arrested" in md
    assert "https://www.rferl.org/a/azerbaijan-anar-mammadli" in md
    # the statement is Amnesty's: its name is the PDF's author, not the workspace's
    assert pdf_reader(folder / "azerbaijan-statement-2025.pdf").metadata["/Author"] == \
        "Amnesty International"
    text = flat(pdf_text(folder / "azerbaijan-statement-2025.pdf"))
    assert "24 January 2025" in text


def test_alert_lists_the_window_soonest_first_and_no_private_event(built):
    folder = built / "trial-watch-2014-10-06"
    text = flat(pdf_text(folder / "trial-watch-2014-10-06.pdf"))
    hasanov, ismayilova = text.find("Alayif Hasanov"), text.find("Khadija Ismayilova —")
    assert 0 < hasanov < ismayilova
    assert "8 October 2014" in text and "9 October 2014" in text
    assert "Yasamal District Court" in text
    assert "PRIVATE-MARKER" not in text


def test_no_private_data_in_any_output(built):
    for path in built.rglob("*"):
        if path.suffix in (".md", ".html"):
            assert "PRIVATE-MARKER" not in path.read_text()
        elif path.suffix == ".pdf":
            assert "PRIVATE-MARKER" not in pdf_text(path)
            assert b"PRIVATE-MARKER" not in path.read_bytes()


def test_html_output_is_standalone(built):
    import re
    for path in built.rglob("*.html"):
        html = path.read_text()
        assert html.startswith("<!DOCTYPE html>")
        for src in re.findall(r'<img [^>]*src="([^"]*)"', html):
            assert src.startswith("data:image/"), (path.name, src[:40])
        assert "../" not in html and "assets/" not in html
        assert "@media screen" in html and "max-width" in html
    html = (built / "paris-meeting-2018" / "emmanuel-macron.html").read_text()
    assert '<html lang="fr">' in html and 'src="data:image/png;base64,' in html
    statement = (built / "azerbaijan-statement-2025" / "azerbaijan-statement-2025.html").read_text()
    # footnotes at the end, after the signatories, not between body and signatures
    assert statement.index('class="signatories') < statement.index('class="endnotes"')


def test_pdf_is_pdf_ua_with_xmp_metadata(built):
    reader = pdf_reader(built / "paris-meeting-2018" / "emmanuel-macron.pdf")
    assert reader.pdf_header == "%PDF-1.7"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp
    assert "<rdf:li>Partenariat international pour les droits humains</rdf:li>" in xmp
    assert "Lettre ouverte" in xmp and "uuid" not in xmp  # no random id: same bytes each build


def test_one_pdf_footnote_per_source(built):
    text = flat(pdf_text(built / "isgandarli-killing-2024" / "isgandarli-killing-2024.pdf"))
    # the first source is cited by two events: one note, called twice
    assert text.count("Killing of President Aliyev’s critic exposes failures") == 1
    assert text.count("Exiled Azerbaijani government critic dies") == 1


def test_hyphenation_is_rare_and_never_a_ladder(built):
    import subprocess
    for pdf in built.rglob("*.pdf"):
        lines = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                               text=True, check=True).stdout.splitlines()
        broken = [line.rstrip().endswith(("\u2010", "-")) and line.rstrip()[-2:-1].isalpha()
                  for line in lines]
        run = longest = 0
        for b in broken:
            run = run + 1 if b else 0
            longest = max(longest, run)
        assert longest <= 2, pdf.name
        assert sum(broken) <= 8, (pdf.name, sum(broken))


def test_alt_text_and_definition_lists(built):
    import re
    html = (built / "paris-meeting-2018" / "emmanuel-macron.html").read_text()
    # the logo sits beside the organisation's name: decorative, empty alt
    assert re.search(r'<header class="letterhead">\s*<div><img src="data:[^"]*" alt="">', html)
    # a signature's alt text does not repeat the name printed under it
    alts = re.findall(r'<img class="signature" src="data:[^"]*" alt="([^"]*)"', html)
    assert alts == ["Signature", "Signature"]  # both signatories have a signature image
    alert = (built / "trial-watch-2014-10-06" / "trial-watch-2014-10-06.html").read_text()
    for label in ("Date", "What", "Where", "At stake", "Status"):
        assert f"<dt>{label}</dt><dd>" in alert, label
    # the example records no court address, case number or observers' contact: left out
    for label in ("Court address", "Case number", "Observers"):
        assert f"<dt>{label}</dt>" not in alert, label
    assert "8\u00a0October 2014</dd>" in __import__("html").unescape(alert)


def test_an_image_too_large_to_embed_is_left_out_with_a_note(make_ws):
    """Rendering leaves the .html's images as assets/ references; embedding them reads the
    files (output/embed.py) and leaves out an image over the size cap, with a note."""
    from clarion.limits import MAX_EMBED_BYTES
    from clarion.output.embed import embed_images
    from clarion.render.document import render_document
    from clarion.workspace.load import load_workspace
    root = make_ws({
        "assets/big.png": b"\x89PNG\r\n\x1a\n" + b"\0" * (MAX_EMBED_BYTES + 1),
        "assets/small.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 8,
        "campaigns/letter.yaml": "kind: statement\ntitle: T\ndate: 2018-07-18\n"
                                 "cases: [ilgar-mammadov]\nbody: |\n  Text.\n\n"
                                 "  ![a photo](assets/big.png) ![small](assets/small.png)\n",
    })
    ws, _ = load_workspace(root)
    doc = render_document(ws, ws.campaigns["letter"], None)
    assert 'src="assets/big.png"' in doc.html and 'src="assets/small.png"' in doc.html
    notes: list[str] = []
    html = embed_images(doc.html, root, notes)
    assert notes == ["assets/big.png: left out of the .html (larger than 512 KB)"]
    assert '<img alt="a photo">' in html and "assets/big.png" not in html
    assert 'src="data:image/png;base64,iVBORw0KGgoAAAAAAAAAAA=="' in html


# ---------------------------------------------------------------- work done once per worker

def test_what_is_kept_between_documents_depends_on_all_its_inputs():
    """A body compiled, converted or typeset for one letter is reused for the next only when
    everything the result depends on is the same: the text, the language, the footnotes."""
    from clarion.render import markup, templating, typography
    first, removed = markup.to_html('Hello "world"<script>x</script>', False, language="en")
    removed.append("changed by the caller")
    again, removed_again = markup.to_html('Hello "world"<script>x</script>', False,
                                          language="en")
    assert again == first and "changed by the caller" not in removed_again
    french, _ = markup.to_html('Hello "world"', False, language="fr")
    assert "«" in french and "«" not in first
    noted, _ = markup.to_html("A[^1].\n\n[^1]: Note.", True, language="en")
    endnoted, _ = markup.to_html("A[^1].\n\n[^1]: Note.", False, language="en")
    assert noted != endnoted
    assert typography.typeset('"Yes"', "en") == "“Yes”"
    assert typography.typeset('"Yes"', "ru") == "«Yes»"
    env = templating.make_environment(None, "en", "en", markdown=True)
    one = templating.compile_source(env, "one {{ 1 }}", "campaigns/a.yaml")
    two = templating.compile_source(env, "two {{ 2 }}", "campaigns/a.yaml")
    assert (one.render(), two.render()) == ("one 1", "two 2")
    html = templating.make_environment(None, "en", "en")  # trims the newline after a block
    block = "{% if true %}\nx{% endif %}"
    assert templating.compile_source(env, block, "campaigns/a.yaml").render() == "\nx"
    assert templating.compile_source(html, block, "campaigns/a.yaml").render() == "x"


def test_markdown_conversion_stops_at_its_limit():
    """A limit no Markdown can keep (a microsecond) is met whatever Python-Markdown's speed:
    the conversion stops there and says where and which limit."""
    from clarion.errors import TemplateError
    from clarion.render import markup
    with pytest.raises(TemplateError) as caught:
        markup.to_html("Some *text* and a [link](y) never converted before.", False,
                       seconds=1e-6, where="campaigns/letter.md:3")
    assert str(caught.value) == (
        "campaigns/letter.md:3: turning the Markdown into HTML took longer than 1e-06 s "
        "(limits.render_seconds); look for long runs of nested brackets or tags")
