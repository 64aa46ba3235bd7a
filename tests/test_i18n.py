"""Letters in the recipient's language: dates, forms of address, phrases, translations."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import BASE, flat, pdf_text

from clarion.render import i18n
from clarion.render.salutations import address_forms
from clarion.workspace.model import Gender, LocalText, Recipient
from clarion.workspace.salutations import read_table

JULY = dt.date(2018, 7, 18)


@pytest.mark.parametrize("locale, expected", [
    ("en_GB", "18 July 2018"), ("fr_FR", "18 juillet 2018"),
    ("ru_RU", "18 июля 2018\u202fг."), ("az_Latn_AZ", "18 iyul 2018"), ("en_US", "July 18, 2018"),
])
def test_long_dates_use_the_inflected_month(locale, expected):
    assert i18n.long_date(JULY, locale) == expected


def test_english_defaults_to_british_and_the_workspace_locale_wins():
    assert i18n.locale_for("en", "en", None) == "en_GB"
    assert i18n.locale_for("en", "en", "en_US") == "en_US"
    assert i18n.locale_for("fr", "en", "en_US") == "fr_FR"


@pytest.mark.parametrize("locale, expected", [
    ("en_GB", "A, B and C"), ("fr_FR", "A, B et C"), ("ru_RU", "A, B и C"),
    ("az_Latn_AZ", "A, B və C")])
def test_list_and(locale, expected):
    assert i18n.list_and(["A", "B", "C"], locale) == expected


def person(name="Emmanuel Macron", honorific="President", gender=Gender.MALE, country="France",
           salutation=None):
    return Recipient(id="x", name=name, honorific=honorific, gender=gender, country=country,
                     salutation=salutation)


@pytest.mark.parametrize("language, recipient, salutation, closing", [
    ("en", person(), "Dear President Macron,", "Yours sincerely,"),
    ("fr", person(), "Monsieur le Président de la République,",
     "Nous vous prions d’agréer, Monsieur le Président de la République, l’expression de notre "
     "très haute considération."),
    ("fr", person(country="Senegal"), "Monsieur le Président,", None),
    ("fr", person(name="Ursula von der Leyen", gender=Gender.FEMALE, country="EU"),
     "Madame la Présidente,", None),
    ("ru", person(), "Уважаемый господин Президент!", "С уважением,"),
    ("az", person(), "Hörmətli cənab Prezident!", "Hörmətlə,"),
    ("az", person(name="Leyla Yunus", honorific=None, gender=Gender.FEMALE),
     "Hörmətli xanım Yunus!", None),
    ("fr", person(name="Thorbjørn Jagland", honorific="Secretary General"),
     "Monsieur le Secrétaire général,", None),
    ("en", person(name="Jean Asselborn", honorific="Minister"), "Dear Minister Asselborn,", None),
    ("en", person(name="Alex Doe", honorific=None, gender=None), "Dear Alex Doe,", None),
])
def test_forms_of_address(language, recipient, salutation, closing):
    got_salutation, got_closing = address_forms(recipient, language, read_table(None)[0])
    assert got_salutation == salutation
    if closing:
        assert got_closing == closing


def test_recipient_salutation_overrides_in_its_language():
    own = person(salutation=LocalText((("en", "Dear Emmanuel,"), ("fr", "Cher Emmanuel,"))))
    assert address_forms(own, "fr", read_table(None)[0])[0] == "Cher Emmanuel,"
    literal = person(salutation=LocalText.plain("To {name.__class__}"))
    assert address_forms(literal, "en", read_table(None)[0])[0] == "To {name.__class__}"


def test_workspace_rules_extend_the_table(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "salutations.yaml").write_text(
        "en:\n  president:\n    salutation: 'Your Excellency,'\n    closing: 'Respectfully,'\n")
    table, problems = read_table(tmp_path)
    assert problems == []
    assert address_forms(person(), "en", table) == ("Your Excellency,", "Respectfully,")
    assert address_forms(person(), "fr", table)[0] == "Monsieur le Président de la République,"


@pytest.mark.parametrize("language, gender, forms", [
    ("en", "female", ("she", "her", "her")), ("fr", "male", ("il", "lui", "son")),
    ("ru", "female", ("она", "её", "её")), ("az", "male", ("o", "onu", "onun"))])
def test_pronouns(language, gender, forms):
    assert tuple(i18n.pronoun(gender, f, language) for f in i18n.PRONOUN_FORMS) == forms


def test_catalogues_translate_every_phrase():
    from babel.messages.pofile import read_po
    with open(i18n.LOCALE_DIR / "clarion.pot", "rb") as f:
        wanted = {(m.context, m.id) for m in read_po(f) if m.id}
    for language in ("fr", "ru", "az"):
        path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / "clarion.po"
        with open(path, "rb") as f:
            catalog = read_po(f)
        done = {(m.context, m.id) for m in catalog if m.id and m.string and not m.fuzzy}
        assert wanted <= done, (language, wanted - done)


def test_status_and_event_words_are_translated():
    assert i18n.word("status", "pre-trial", "en") == "pre-trial"
    for language in ("fr", "ru", "az"):
        assert i18n.word("status", "imprisoned", language) != "imprisoned"
        assert i18n.word("event", "hearing", language) != "hearing"


# A campaign in four languages, with one recipient whose language it lacks.
MULTI = {
    "recipients/fr.yaml": "name: Emmanuel Macron\nhonorific: President\ngender: male\n"
                          "country: France\nlanguage: fr\naddress: [Palais de l’Élysée]\n",
    "recipients/ru.yaml": "name: Хадиджа Исмаилова\nhonorific: Minister\ngender: female\n"
                          "language: ru\naddress: [ул. Тверская 1, Москва]\ncountry: Russia\n",
    "recipients/az.yaml": "name: Gülnarə Məmmədova\nhonorific: Ombudsperson\ngender: female\n"
                          "language: az\naddress: [Bakı]\ncountry: Azerbaijan\n",
    "recipients/de.yaml": "name: Heiko Maas\nhonorific: Minister\ngender: male\nlanguage: de\n"
                          "address: [Werderscher Markt 1, 10117 Berlin]\ncountry: Germany\n",
    "cases/ilgar-mammadov.yaml": BASE["cases/ilgar-mammadov.yaml"].replace(
        "summary: Opposition politician jailed since 2013.",
        "summary: {en: EN-SUMMARY jailed since 2013., fr: FR-RÉSUMÉ emprisonné depuis 2013.}"),
    "campaigns/letter.yaml": """\
        kind: open-letter
        title: Release İlqar Məmmədov
        date: 2018-07-18
        place: Brussels
        cases: [ilgar-mammadov]
        recipients: [fr, ru, az, de]
        signatories: [trg]
        asks: [Release him.]
        body: |
          ENGLISH-BODY about {{ case.name }} since {{ case.events[0].date|date }}. {{ case.summary }}
        translations:
          fr:
            title: Libérez İlqar Məmmədov
            asks: [Libérez-le.]
            body: |
              CORPS-FRANÇAIS sur {{ case.name }} depuis le {{ case.events[0].date|date }}. {{ case.summary }}
          ru:
            title: Освободите Ильгара Мамедова
            asks: [Освободите его.]
            body: |
              РУССКИЙ-ТЕКСТ о {{ case.name }} с {{ case.events[0].date|date }}.
          az:
            title: İlqar Məmmədovu azad edin
            asks: [Onu azad edin.]
            body: |
              AZƏRBAYCAN-MƏTNİ {{ case.name }} haqqında, {{ case.events[0].date|date }} tarixindən. Gülnarə İsmayılova və Şəmsiyyə Əliyeva ilə birgə uzunmüddətli həbsxanaçıxarılmasıməsələsinə dair müraciətimizi təkrarlayırıq.
        """,
}


@pytest.fixture(scope="module")
def multi(tmp_path_factory):
    from click.testing import CliRunner
    from conftest import write_files

    from clarion.cli import main
    root = write_files(tmp_path_factory.mktemp("multi"), {**BASE, **MULTI})
    (root / "recipients" / "ministers.csv").unlink()
    (root / "recipients" / "emmanuel-macron.yaml").unlink()
    result = CliRunner().invoke(main, ["-w", str(root), "build", "--format", "pdf",
                                       "--format", "md"])
    assert result.exit_code == 0, result.output
    return root / "build" / "letter", result.stderr


@pytest.mark.slow  # the `multi` fixture lays out PDFs
@pytest.mark.parametrize("who, present, absent", [
    ("fr", ["CORPS-FRANÇAIS", "le 4 février 2013", "18 juillet 2018",
            "Monsieur le Président de la République,", "FR-RÉSUMÉ", "Libérez-le.",
            "Nous vous prions d’agréer"],
     ["ENGLISH-BODY", "Dear", "Yours sincerely", "EN-SUMMARY", "July"]),
    ("ru", ["РУССКИЙ-ТЕКСТ", "4 февраля 2013", "18 июля 2018", "Уважаемая госпожа Министр!",
            "С уважением,", "Хадиджа Исмаилова", "Стр. 1 / 1"],
     ["ENGLISH-BODY", "Dear", "Yours sincerely", "Page"]),
    ("az", ["AZƏRBAYCAN-MƏTNİ", "4 fevral 2013", "18 iyul 2018", "Hörmətli xanım Ombudsman!",
            "Hörmətlə,", "Gülnarə Məmmədova", "İlqar Məmmədovu azad edin",
            "Gülnarə İsmayılova", "Şəmsiyyə Əliyeva", "Səhifə 1 / 1"],
     ["ENGLISH-BODY", "Dear", "Yours sincerely", "Page"]),
    ("de", ["ENGLISH-BODY", "Dear Minister Maas,", "18 July 2018"], ["CORPS-FRANÇAIS"]),
])
def test_each_letter_in_its_language(multi, who, present, absent):
    folder, _ = multi
    text = flat(pdf_text(folder / f"{who}.pdf"))
    md = (folder / f"{who}.md").read_text()
    for phrase in present:
        assert phrase in text, (who, phrase)
    for phrase in absent:
        assert phrase not in text, (who, phrase)
    assert f"language: {who if who != 'de' else 'en'}" in md


@pytest.mark.slow  # the `multi` fixture lays out PDFs
def test_fallback_warns_naming_the_recipient(multi):
    _, stderr = multi
    assert "letter: no de translation for recipient de; written in en" in stderr
    assert "letter: no az text in case ilgar-mammadov summary" not in stderr  # az body omits it
    assert "letter: no ru text in case ilgar-mammadov events" not in stderr


@pytest.mark.slow  # the `multi` fixture lays out PDFs
def test_azerbaijani_is_not_hyphenated_with_a_wrong_dictionary(multi):
    folder, _ = multi
    assert "\u2010" not in pdf_text(folder / "az.pdf").replace("\u2010\n", "\u2010")
    assert i18n.hyphenation_language("az") is None
    assert i18n.hyphenation_language("fr") == "fr"


def test_case_text_falls_back_with_a_warning(make_ws, cli):
    ws = make_ws({**MULTI, "recipients/ministers.csv": None,
                  "recipients/emmanuel-macron.yaml": None})
    text = (ws / "campaigns" / "letter.yaml").read_text().replace(
        "РУССКИЙ-ТЕКСТ о {{ case.name }}", "РУССКИЙ-ТЕКСТ {{ case.summary }}")
    (ws / "campaigns" / "letter.yaml").write_text(text)
    result = cli(ws, "build", "--format", "md", "--recipient", "ru")
    assert result.exit_code == 0
    assert "letter/ru: no ru text in case ilgar-mammadov summary; used the first given" \
        in result.stderr
    assert "EN-SUMMARY" in (ws / "build" / "letter" / "ru.md").read_text()


def test_validate_warns_about_incomplete_and_stale_translations(make_ws, cli):
    from clarion.workspace.load import load_workspace
    from clarion.workspace.translations import source_hash
    ws = make_ws(MULTI)
    campaign = load_workspace(ws)[0].campaigns["letter"]
    text = (ws / "campaigns" / "letter.yaml").read_text()
    text = text.replace("  fr:\n", f"  fr:\n    source_hash: {source_hash(campaign)}\n")
    text = text.replace("  ru:\n", "  ru:\n    source_hash: 000000000000\n")
    (ws / "campaigns" / "letter.yaml").write_text(text)
    result = cli(ws, "validate")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert not any("translations.fr:" in line and "source_hash" in line for line in lines)
    assert any("warning: translations.ru: the original has changed since this translation "
               "was made" in line for line in lines)
    assert any("warning: translations.az: no `source_hash`" in line for line in lines)
    assert any("warning: translations.fr: lacks place that the original has" in line
               for line in lines)


def test_a_language_without_phrases_takes_them_from_the_campaign(make_ws, cli):
    text = MULTI["campaigns/letter.yaml"].rstrip(" ") + (
        "          de:\n            title: Freiheit\n            body: DEUTSCHER-TEXT seit "
        "{{ case.events[0].date|date }}.\n")
    ws = make_ws({**MULTI, "campaigns/letter.yaml": text, "recipients/ministers.csv": None,
                  "recipients/emmanuel-macron.yaml": None})
    result = cli(ws, "build", "--format", "md", "--recipient", "de")
    assert result.exit_code == 0
    assert "letter: no built-in phrases in 'de'; salutation, closing and other fixed phrases " \
           "are in 'en'" in result.stderr
    md = (ws / "build" / "letter" / "de.md").read_text()
    assert "DEUTSCHER-TEXT seit 4. Februar 2013." in md
    assert "Dear Minister Maas," in md and "language: de" in md


def test_embargo_and_copy_lines_in_the_letter_language(make_ws, cli):
    text = MULTI["campaigns/letter.yaml"].rstrip(" ").replace(
        "        place: Brussels\n", "        place: Brussels\n        embargo: "
        "2018-07-18T00:01:00+02:00\n        extra: {cc: [Council of Europe]}\n")
    ws = make_ws({**MULTI, "campaigns/letter.yaml": text, "recipients/ministers.csv": None,
                  "recipients/emmanuel-macron.yaml": None})
    result = cli(ws, "build", "--format", "md", "--recipient", "fr", "--recipient", "ru")
    assert result.exit_code == 0
    fr = (ws / "build" / "letter" / "fr.md").read_text()
    assert "**Sous embargo jusqu’au 18 juillet 2018, 00:01 UTC+02:00**" in fr
    assert "Copie\u202f: Council of Europe" in fr
    ru = (ws / "build" / "letter" / "ru.md").read_text()
    assert "Копия: Council of Europe" in ru and "18 июля 2018, 00:01" in ru


def test_malformed_salutation_rules_are_reported_by_validate(make_ws):
    from clarion.check import check_workspace
    _, problems = check_workspace(make_ws({"templates/salutations.yaml": (
        "en:\n  president:\n    salutation: {male: 'Sir,', king: 'Sire,'}\n"
        "    closin: 'Yours,'\n  minister: Dear Minister\nEnglish: {}\n")}))
    assert [str(p) for p in problems] == [
        "templates/salutations.yaml:3: en.president.salutation: give a text, or texts by gender "
        "(male, female, other)",
        "templates/salutations.yaml:4: en.president: unknown part `closin`; use salutation or "
        "closing",
        "templates/salutations.yaml:5: en.minister: must be a mapping with `salutation` and/or "
        "`closing`",
        "templates/salutations.yaml:6: `English` is not a language code such as en, fr, ru, az"]


def test_every_status_and_event_type_has_a_word():
    """phrases.py declares the words (Babel extracts them there); a new value needs one too."""
    from clarion.render import phrases
    from clarion.workspace.model import EventType, Status
    assert set(phrases.STATUS_WORDS) == set(Status)
    assert set(phrases.EVENT_WORDS) == set(EventType)
    assert phrases.status_word("pre-trial", "fr") != "pre-trial"
    assert phrases.event_word("hearing", "fr") == i18n.word("event", "hearing", "fr")
