"""The four kinds built from the example workspace: words in Markdown, HTML and PDF."""
from __future__ import annotations

import json
import os

import pytest
from conftest import REPO, flat, pdf_reader, pdf_text

GOLDEN = REPO / "tests" / "golden"
pytestmark = pytest.mark.slow  # the module builds every example campaign as PDF, HTML and Markdown
CAMPAIGNS = ["paris-meeting-2018", "isgandarli-killing-2024", "azerbaijan-statement-2025",
             "trial-watch-2014-10-06"]


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


def test_open_letter_markdown_has_front_matter_and_the_same_words(built):
    md = (built / "paris-meeting-2018" / "emmanuel-macron.md").read_text()
    assert md.startswith("---\ntitle: ")
    assert "\nrecipient: Emmanuel Macron\nlanguage: fr\n" in md
    assert "Monsieur le Président de la République," in md
    assert "1. " in md  # the asks, as a numbered list


def test_press_reaction_has_lede_quotes_pull_quote_and_background(built):
    folder = built / "isgandarli-killing-2024"
    text = flat(pdf_text(folder / "isgandarli-killing-2024.pdf"))
    assert "France/Azerbaijan:" in text
    assert "Reacting to the fatal stabbing" in text
    assert "Natalia Nozadze, Researcher for South Caucasus, Amnesty International, said:" in text
    assert "Background" in text
    assert "Killed on 29 September 2024." in text
    assert "Mulhouse" in text and "Mahammad Mirzali" in text
    md = (folder / "isgandarli-killing-2024.md").read_text()
    assert md.count("French investigators must act quickly") == 2  # quote and pull quote
    assert "— Natalia Nozadze" in md
    assert "\n## Background\n" in md


def test_statement_computes_figures_and_footnotes(built):
    folder = built / "azerbaijan-statement-2025"
    md = (folder / "azerbaijan-statement-2025.md").read_text()
    assert "[^src-" in md and "\n[^src-" in md
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


def test_html_output_is_self_contained_and_links_assets(built):
    html = (built / "paris-meeting-2018" / "emmanuel-macron.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and '<html lang="fr">' in html
    assert 'src="' in html and "assets/sig/dufour.png" in html
