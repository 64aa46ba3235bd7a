"""Language codes as people write them: ISO 639-2 (`fre`, `ger`, `aze`, `rus`) read as the
two-letter codes Clarion matches on."""
from __future__ import annotations

import pytest

from clarion.workspace.schema import normalise_language, two_letter


@pytest.mark.parametrize("written, read", [
    ("fre", "fr"), ("fra", "fr"), ("ger", "de"), ("deu", "de"), ("aze", "az"), ("rus", "ru"),
    ("eng", "en"), ("tur", "tr"), ("ukr", "uk"), ("arm", "hy"), ("hye", "hy"), ("geo", "ka"),
    ("kat", "ka"), ("per", "fa"), ("dut", "nl"), ("FRE", "fr"), ("fre_BE", "fr-BE"),
    ("ger-at", "de-AT"), ("aze-Latn-AZ", "az-Latn-AZ"), ("fr", "fr"), ("fr-BE", "fr-BE"),
    # three-letter codes with no two-letter form stay as they are
    ("fil", "fil"), ("yue", "yue"), ("ast", "ast"),
])
def test_three_letter_codes_become_two_letter(written, read):
    assert normalise_language(written) == read


def test_an_unknown_code_is_still_refused():
    assert normalise_language("xyz") is None
    assert two_letter("xyz") == "xyz"


def letter(recipients: str) -> dict[str, str]:
    return {
        "recipients/emmanuel-macron.yaml": None,
        "recipients/ministers.csv": None,
        "recipients/readers.yaml": recipients,
        "campaigns/letter.yaml": """\
            kind: open-letter
            title: Release Ilgar Mammadov
            date: 2018-07-18
            cases: [ilgar-mammadov]
            recipients: [reader-fre, reader-ger]
            signatories: [trg]
            body: |
              We write about {{ case.name }}.
            translations:
              fra:
                title: Libérez Ilgar Mammadov
                body: |
                  Nous vous écrivons au sujet de {{ case.name }}, {{ case.roles|list_and }}.
              deu:
                title: Freiheit für Ilgar Mammadov
                body: |
                  Wir schreiben Ihnen über {{ case.name }}.
            """,
    }


def test_a_recipient_written_fre_gets_the_french_translation(make_ws, cli):
    root = make_ws(letter("""\
        recipients:
          - {id: reader-fre, name: Anne Lecteur, language: fre}
          - {id: reader-ger, name: Anna Leser, language: GER}
        """))
    assert cli(root, "validate").exit_code == 0
    result = cli(root, "build", "--format", "md", "--no-sign")
    assert result.exit_code == 0, result.lines
    french = (root / "build/letter/reader-fre.md").read_text("utf-8")
    german = (root / "build/letter/reader-ger.md").read_text("utf-8")
    assert "Nous vous écrivons au sujet de Ilgar Mammadov," in french
    assert "We write about" not in french
    assert "Wir schreiben Ihnen über Ilgar Mammadov." in german
    assert "is not available in" not in result.stderr  # no fall-back warning


def test_three_letter_codes_in_a_spreadsheet_and_in_translated_text(make_ws, cli):
    root = make_ws({**letter(""), "recipients/readers.yaml": None,
                    "recipients/readers.csv": """\
                        id,name,language
                        reader-fre,Anne Lecteur,fre
                        reader-ger,Anna Leser,deu
                        """,
                    "cases/ilgar-mammadov.yaml": """\
                        name: {eng: Ilgar Mammadov, rus: Ильгар Мамедов, fre: Ilgar Mammadov}
                        gender: male
                        roles: [{eng: opposition politician, fre: homme politique d'opposition}]
                        status: imprisoned
                        status_as_of: 2018-07-18
                        """})
    result = cli(root, "build", "--format", "md", "--no-sign")
    assert result.exit_code == 0, result.lines
    french = (root / "build/letter/reader-fre.md").read_text("utf-8")
    assert "Nous vous écrivons au sujet de Ilgar Mammadov, homme politique d’opposition." \
        in french
    listing = cli(root, "list", "recipients")
    assert listing.stdout.splitlines() == ["reader-fre\tAnne Lecteur\tfr\t",
                                           "reader-ger\tAnna Leser\tde\t"]
