"""Protocol: each language's closing and subject line, read from the example's real PDFs."""
from __future__ import annotations

import pytest
from conftest import flat, pdf_text


@pytest.fixture(scope="module")
def built(example_outputs):
    return example_outputs / "paris-meeting-2018"


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


def test_a_french_address_block_puts_the_civility_before_the_name(built):
    """« Monsieur Emmanuel Macron » above his office, in the window of the PDF and in the
    Markdown; the Azerbaijani cover page of the copy does not borrow the French civility."""
    lines = pdf_text(built / "emmanuel-macron.pdf").splitlines()
    first = next(i for i, line in enumerate(lines) if "Emmanuel Macron" in line)
    assert lines[first].strip() == "Monsieur Emmanuel Macron"
    assert "Président de la République française" in lines[first + 1]
    copy = pdf_text(built / "azerbaijan-ambassador-france.pdf")
    assert "Monsieur" not in copy.split("Qeyri-rəsmi")[0]   # the cover note is Azerbaijani


@pytest.mark.parametrize("gender, expected", [
    ("male", "Monsieur Jean Asselborn"), ("female", "Madame Jean Asselborn"),
    (None, "Jean Asselborn"),          # no civility is guessed
])
def test_the_name_line_follows_the_gender_the_record_gives(gender, expected):
    from clarion.render.salutations import name_line
    from clarion.workspace.model import Gender, Recipient
    from clarion.workspace.salutations import read_table
    table, _ = read_table(None)
    r = Recipient(id="x", name="Jean Asselborn", honorific="Minister",
                  gender=Gender(gender) if gender else None, country="LU")
    assert (name_line(r, "fr", table) or "Jean Asselborn") == expected
    assert name_line(r, "en", table) is None        # English writes the name alone
    institution = Recipient(id="y", name="Ministère de l’Intérieur", kind="institution")
    assert name_line(institution, "fr", table) is None
