"""Recipients that are institutions (`kind: institution`): no gender, the institutional
salutation of each language, real letters read back (issue 21)."""
from __future__ import annotations

import pytest
from conftest import flat, pdf_text

from clarion.render.salutations import address_forms, is_institution
from clarion.workspace.model import Gender, LocalText, Recipient
from clarion.workspace.salutations import read_table

#: (language, salutation, closing) of an institution, as salutations.yaml cites them
FORMS = [
    ("en", "Dear Sir or Madam,", "Yours faithfully,"),
    ("fr", "Madame, Monsieur,",
     "Nous vous prions d’agréer, Madame, Monsieur, l’expression de notre haute considération."),
    ("ru", "Уважаемые господа!", "С уважением,"),
    ("az", "Hörmətli xanımlar və cənablar!", "Hörmətlə,"),
]

MINISTRY = """\
    kind: institution
    name: {en: Ministry of Interior, fr: Ministère de l’Intérieur, ru: Министерство внутренних дел, az: Daxili İşlər Nazirliyi}
    address: [Bakanlıklar, 06100 Ankara]
    country: TR
    """


def _letter(language: str, recipients: str = "[ministry]") -> str:
    return f"""\
        kind: open-letter
        title: Release the ten
        date: 2017-07-05
        language: {language}
        cases: [ilgar-mammadov]
        recipients: {recipients}
        signatories: [trg]
        body: BODY-{language}.
        """


@pytest.mark.parametrize("language, salutation, closing", FORMS)
def test_an_institution_has_its_languages_form(language, salutation, closing):
    ministry = Recipient(id="m", name="Ministry of Interior", kind="institution")
    assert address_forms(ministry, language, read_table(None)[0]) == (salutation, closing)


def test_an_institution_ignores_gender_and_honorific_but_keeps_its_own_salutation():
    table = read_table(None)[0]
    odd = Recipient(id="m", name="Ministry of Justice", kind="institution", gender=Gender.MALE,
                    honorific="Minister")
    assert address_forms(odd, "fr", table)[0] == "Madame, Monsieur,"
    own = Recipient(id="m", name="Ministry of Justice", kind="institution",
                    salutation=LocalText((("en", "Dear Colleagues,"),)))
    assert address_forms(own, "en", table) == ("Dear Colleagues,", "Yours faithfully,")


@pytest.mark.parametrize("name, institution", [
    ("Ministry of Interior", True), ("Ministère de la Justice", True),
    ("Министерство юстиции", True), ("Ədliyyə Nazirliyi", True), ("Embassy of Turkey", True),
    ("Margaret Court", False), ("Alex Ministry-Smith", False), ("Kim Doe", False)])
def test_a_name_that_reads_as_an_institution(name, institution):
    assert is_institution(Recipient(id="x", name=name)) is institution
    # a record that says it is a person, or gives a gender, is one
    assert not is_institution(Recipient(id="x", name=name, gender=Gender.FEMALE))


@pytest.mark.slow  # four letters laid out
def test_institution_letters_in_four_languages(make_ws, cli):
    root = make_ws({"recipients/ministry.yaml": MINISTRY, "campaigns/letter.yaml": None,
                    **{f"campaigns/letter-{lang}.yaml": _letter(lang) for lang, _, _ in FORMS}})
    validate = cli(root, "validate")
    assert validate.exit_code == 0, validate.output
    said = validate.stdout + validate.stderr
    assert "ministry" not in said and "gender" not in said, said
    result = cli(root, "build", "--no-sign", "--format", "pdf", "--format", "md")
    assert result.exit_code == 0, result.output
    for language, salutation, closing in FORMS:
        folder = root / "build" / f"letter-{language}"
        text = flat(pdf_text(folder / "ministry.pdf"))
        md = (folder / "ministry.md").read_text("utf-8")
        for content in (text, flat(md)):
            assert salutation in content and closing in content, (language, content)
            assert f"BODY-{language}." in content
            assert "Dear Ministry" not in content
            if language != "en":
                assert "Dear" not in content and "Yours" not in content, (language, content)


def test_validate_asks_for_kind_not_gender(make_ws, cli):
    root = make_ws({
        "recipients/ministry.yaml": "name: Ministry of Justice of Turkey\naddress: [Ankara]\n",
        "recipients/odd.yaml": MINISTRY + "gender: female\n",
        "campaigns/letter.yaml": _letter("en", "[ministry, odd]")})
    result = cli(root, "validate")
    assert result.exit_code == 0, result.output
    lines = (result.stdout + result.stderr).splitlines()
    guessed = [line for line in lines if line.startswith("recipients/ministry.yaml:1: warning")]
    assert len(guessed) == 1 and "add `kind: institution`" in guessed[0], lines
    assert "(Dear Sir or Madam,)" in guessed[0]
    odd = [line for line in lines if line.startswith("recipients/odd.yaml")]
    assert len(odd) == 1 and "`kind: institution` has no gender" in odd[0], lines
    assert not any("the en form of address depends on it" in line for line in lines), lines


def test_a_workspace_adds_an_institutional_form_for_its_language(make_ws):
    root = make_ws({"templates/salutations.yaml": (
        "de:\n  institution: {salutation: 'Sehr geehrte Damen und Herren,', "
        "closing: 'Mit freundlichen Grüßen'}\n")})
    table, problems = read_table(root)
    assert problems == []
    ministry = Recipient(id="m", name="Auswärtiges Amt", kind="institution")
    assert address_forms(ministry, "de", table) == ("Sehr geehrte Damen und Herren,",
                                                    "Mit freundlichen Grüßen")


def test_templates_see_whether_a_recipient_is_an_institution(make_ws, cli):
    root = make_ws({"recipients/ministry.yaml": "name: Ministry of Justice\nkind: institution\n",
                    "campaigns/letter.yaml": "kind: open-letter\ntitle: T\ndate: 2024-01-01\n"
                    "cases: [ilgar-mammadov]\nrecipients: [ministry]\nsignatories: [trg]\n"
                    "body: '{{ recipient.kind }} {{ recipient.name }}'\n"})
    result = cli(root, "build", "letter", "--no-sign", "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert "institution Ministry of Justice" in (root / "build/letter/ministry.md").read_text()
