"""Protocol: each language's closing and subject line, read from the example's real PDFs."""
from __future__ import annotations

import pytest
from conftest import flat, pdf_text


@pytest.fixture(scope="module")
def built(example_ws, tmp_path_factory):
    from click.testing import CliRunner

    from clarion.cli import main
    out = tmp_path_factory.mktemp("protocol")
    result = CliRunner().invoke(main, ["-w", str(example_ws), "build", "paris-meeting-2018",
                                       "--format", "pdf", "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return out / "paris-meeting-2018"


def test_the_president_of_the_republic_is_assured_of_respect(built):
    text = flat(pdf_text(built / "emmanuel-macron.pdf"))
    assert ("Nous vous prions d’agréer, Monsieur le Président de la République, l’assurance de "
            "notre très profond respect.") in text
    assert "très haute considération" not in text  # owed between office-holders, not to the head of state


def test_a_french_letter_names_its_subject_after_objet(built):
    text = flat(pdf_text(built / "emmanuel-macron.pdf"))
    assert "Objet\u00a0: Libération d’Ilgar Mammadov" in text or \
        "Objet : Libération d’Ilgar Mammadov" in text


def test_an_english_letter_has_no_subject_label(make_ws, cli):
    ws = make_ws()
    assert cli(ws, "build", "--format", "pdf", "--no-sign").exit_code == 0
    for pdf in (ws / "build").rglob("*.pdf"):
        text = pdf_text(pdf)
        assert "Subject:" not in text and "Objet" not in text and "none:" not in text, pdf.name
