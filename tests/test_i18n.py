"""Letters in the recipient's language: dates, forms of address, phrases, translations."""
from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from conftest import BASE, flat, pdf_text

from clarion.render import i18n
from clarion.render.salutations import address_forms
from clarion.workspace.model import Gender, LocalText, Recipient
from clarion.workspace.salutations import read_table

JULY = dt.date(2018, 7, 18)


@pytest.mark.parametrize("locale, expected", [
    ("en_GB", "18 July 2018"), ("fr_FR", "18 juillet 2018"),
    ("ru_RU", "18 июля 2018\u202fг."), ("az_Latn_AZ", "18 iyul 2018-ci il"), ("en_US", "July 18, 2018"),
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
     "Nous vous prions d’agréer, Monsieur le Président de la République, l’assurance de notre "
     "très profond respect."),
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


def test_workspace_rules_take_three_letter_language_codes(tmp_path):
    """`fre:` in a workspace's salutations.yaml is French, as `fre` is in every record."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "salutations.yaml").write_text(
        "fre:\n  special rapporteur:\n    salutation: 'Madame la Rapporteuse spéciale,'\n")
    table, problems = read_table(tmp_path)
    assert problems == []
    rapporteur = person(name="Mary Lawlor", honorific="Special Rapporteur", gender=Gender.FEMALE)
    assert address_forms(rapporteur, "fr", table)[0] == "Madame la Rapporteuse spéciale,"


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
    assert not md.startswith("---")  # no front matter: the manifest says the language
    assert _language(folder, f"{who}.md") == (who if who != 'de' else 'en')


def _language(folder, name: str) -> str:
    import json
    manifest = json.loads((folder / "manifest.json").read_text())
    return next(o["language"] for o in manifest["outputs"] if o["file"] == name)


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
    assert "warning: letter: no ru text in case ilgar-mammadov summary for recipient ru; " \
        "used the first given" in result.stderr
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
    assert "Dear Minister Maas," in md
    assert _language(ws / "build" / "letter", "de.md") == "de"


def test_embargo_and_copy_lines_in_the_letter_language(make_ws, cli):
    text = MULTI["campaigns/letter.yaml"].rstrip(" ").replace(
        "        place: Brussels\n", "        place: Brussels\n        embargo: "
        "2018-07-18T00:01:00+02:00\n        extra: {cc: [Council of Europe]}\n")
    ws = make_ws({**MULTI, "campaigns/letter.yaml": text, "recipients/ministers.csv": None,
                  "recipients/emmanuel-macron.yaml": None})
    result = cli(ws, "build", "--format", "md", "--recipient", "fr", "--recipient", "ru")
    assert result.exit_code == 0
    fr = (ws / "build" / "letter" / "fr.md").read_text()
    assert "**Sous embargo jusqu’au 18\u00a0juillet 2018 à 0\u00a0h\u00a001 HAEC**" in fr
    assert "Copie\u00a0: Council of Europe" in fr
    ru = (ws / "build" / "letter" / "ru.md").read_text()
    assert "Копия: Council of Europe" in ru and "18\u00a0июля 2018\u202fг., 00:01 CEST" in ru


# --- Translated records, regional codes, typography and dates (issue 14) ---------------------

NATIVE = {
    "clarion.yaml": """\
        organisation:
          name: {en: Rights Watch Group, fr: Groupe de veille des droits, ru: Группа наблюдения за правами, az: Hüquq Müşahidə Qrupu}
          short: RWG
          address:
            - Rue de la Loi 1
            - {en: 1000 Brussels, fr: 1000 Bruxelles, ru: 1000 Брюссель, az: 1000 Brüssel}
            - {en: Belgium, fr: Belgique, ru: Бельгия, az: Belçika}
        language: en
        """,
    "cases/khadija.yaml": """\
        name: {en: Khadija Ismayilova, fr: Khadija Ismaïlova, ru: Хадиджа Исмаилова, az: Xədicə İsmayılova}
        gender: female
        country: AZ
        roles:
          - {en: investigative journalist, fr: journaliste d’investigation, ru: журналистка-расследовательница, az: araşdırmaçı jurnalist}
        status: detained
        summary: {en: Reporter held since December., fr: Journaliste détenue depuis décembre., ru: Журналистка под стражей с декабря., az: Dekabrdan həbsdə saxlanılan jurnalist.}
        charges:
          - {article: "125", text: {en: incitement to suicide, fr: incitation au suicide, ru: доведение до самоубийства, az: intihara təhrik}}
        events:
          - id: arrest-2014
            date: 2014-12-05
            type: arrest
            place: {en: Baku, fr: Bakou, ru: Баку, az: Bakı}
            text: {en: Arrested after a court hearing., fr: Arrêtée à l’issue d’une audience., ru: Арестована после судебного заседания., az: Məhkəmə iclasından sonra həbs edilib.}
          - id: hearing-2015
            date: 2015-01-20
            type: hearing
            place: {en: Baku, fr: Bakou, ru: Баку, az: Bakı}
            court: {en: Baku Court of Appeal, fr: Cour d’appel de Bakou, ru: Бакинский апелляционный суд, az: Bakı Apellyasiya Məhkəməsi}
            text: {en: Appeal against detention., fr: Appel contre la détention., ru: Обжалование ареста., az: Həbsə qarşı şikayət.}
        """,
    "recipients/reynders.yaml": """\
        name: Didier Reynders
        title: {en: Minister of Foreign Affairs, fr: Ministre des Affaires étrangères}
        honorific: Minister
        gender: male
        language: fr-BE
        country: BE
        address: [Rue des Petits Carmes 15, {en: 1000 Brussels, fr: 1000 Bruxelles}]
        """,
    "recipients/shved.yaml": """\
        name: {en: Mikhail Shved, ru: Михаил Швед}
        title: {en: Member of Parliament, ru: Депутат}
        gender: male
        language: ru_RU
        country: RU
        address: [{en: 1 Okhotny Ryad, ru: "Охотный ряд, 1"}, {en: Moscow, ru: Москва}]
        """,
    "recipients/petrov.yaml": """\
        name: {en: Alex Petrov, ru: Алекс Петров}
        language: RU
        country: RU
        address: [{en: Moscow, ru: Москва}]
        """,
    "recipients/mammadova.yaml": """\
        name: {en: Gulnara Mammadova, az: Gülnarə Məmmədova}
        honorific: Ombudsperson
        gender: female
        language: az
        country: AZ
        address: [{en: Baku, az: Bakı}]
        """,
    "signatories/rwg.yaml": """\
        organisation: {en: Rights Watch Group, fr: Groupe de veille des droits, ru: Группа наблюдения за правами, az: Hüquq Müşahidə Qrupu}
        person: {en: Jane Doe, fr: Jane Doe, ru: Джейн Доу, az: Ceyn Dou}
        title: {en: Director, fr: Directrice, ru: Директор, az: Direktor}
        country: BE
        """,
    "campaigns/letter.yaml": """\
        kind: open-letter
        title: Free the journalist
        date: 2018-07-18
        place: Brussels
        cases: [khadija]
        recipients: [reynders, shved, petrov, mammadova]
        signatories: [rwg]
        subject: Release of a journalist
        asks: [Call for her release.]
        embargo: 2018-07-18T00:01:00+02:00
        body: |
          We write about {{ case.name }}, {{ case.roles|list_and }}, held since {{ case.events[0].date|date }}.
        translations:
          fr:
            title: Libérez la journaliste
            subject: Libération d'une journaliste
            place: Bruxelles
            asks: [Demander sa libération.]
            body: |
              Nous vous écrivons au sujet de {{ case.name }}, {{ case.roles|list_and }}, poursuivie pour {{ case.charges[0].text }} et détenue depuis le {{ case.events[0].date|date }}. Pourquoi? Parce qu'elle a "enquêté" : 10 000 pages.
          ru:
            title: Освободите журналистку
            subject: Освобождение журналистки
            place: Брюссель
            asks: [Призвать к её освобождению.]
            body: |
              Мы пишем о {{ case.name }} ({{ case.roles|list_and }}) — её обвиняют по статье «{{ case.charges[0].text }}». Она под стражей с {{ case.events[0].date|date }}.
          az:
            title: Jurnalisti azad edin
            subject: Jurnalistin azad edilməsi
            place: Brüssel
            asks: [Onun azad edilməsinə çağırın.]
            body: |
              {{ case.name }} ({{ case.roles|list_and }}) {{ case.events[0].date|date }} tarixindən həbsdədir — {{ case.charges[0].text }}.
        """,
}

def _record_words(language: str) -> set[str]:
    """Words of the records' English texts that their `language` texts do not also use."""
    import re

    import yaml
    english: list[str] = []
    own: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            if "en" in value and isinstance(value["en"], str):
                english.append(value["en"])
                own.extend(str(v) for k, v in value.items() if k.startswith(language))
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
    for text in NATIVE.values():
        walk(yaml.safe_load(textwrap.dedent(text)))
    words = set(re.findall(r"\b[A-Za-z]{4,}\b", " ".join(english)))
    return words - set(re.findall(r"\b[A-Za-z]{4,}\b", " ".join(own))) | {
        "Russia", "Azerbaijan", "Belgium"}


def _english_fixed_words(language: str) -> set[str]:
    """Words of Clarion's fixed English phrases (catalogue, salutations, months) that the
    language's own phrases do not also use (French 'Date', 'Page')."""
    import re

    from babel.messages.pofile import read_po

    from clarion.resources import LOCALE_DIR
    with open(LOCALE_DIR / "clarion.pot", "rb") as f:
        english = " ".join(m.id if isinstance(m.id, str) else " ".join(m.id) for m in read_po(f))
    english += (" Dear Yours sincerely Excellency Sir Madam January February March April May"
                " June July August September October November December GMT Embargoed")
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "clarion.po", "rb") as f:
        own = " ".join(m.string if isinstance(m.string, str) else " ".join(m.string)
                       for m in read_po(f, locale=language))
    words = set(re.findall(r"(?<![%(])\b[A-Za-z]{3,}\b", re.sub(r"%\(\w+\)s|%d", "", english)))
    return words - set(re.findall(r"\b[A-Za-z]{3,}\b", own))


def _visible(html_text: str) -> str:
    import html
    import re
    html_text = re.sub(r"<(style|script)\b.*?</\1>", " ", html_text, flags=re.S)
    html_text = re.sub(r"<(title)\b.*?</\1>", " ", html_text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", html_text))


def _english_in(text: str, words) -> list[str]:
    import re
    return sorted(w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text))


def _kinds(language: str) -> dict[str, str]:
    """One campaign of each kind written in `language`, all text in it."""
    words = {
        "fr": ("Bruxelles", "Déclaration", "Texte de la déclaration.", "Réaction",
               "la détention de la journaliste", "Marie Dupont", "chercheuse", "Une honte.",
               "Audiences", "Texte de l’alerte."),
        "ru": ("Брюссель", "Заявление", "Текст заявления.", "Реакция", "арест журналистки",
               "Мария Иванова", "исследовательница", "Это позор.", "Заседания",
               "Текст оповещения."),
        "az": ("Brüssel", "Bəyanat", "Bəyanatın mətni.", "Reaksiya", "jurnalistin həbsi",
               "Məryəm Əliyeva", "tədqiqatçı", "Bu, biabırçılıqdır.", "Məhkəmə iclasları",
               "Xəbərdarlığın mətni."),
    }[language]
    place, s_title, s_body, r_title, subject, speaker, role, quote, a_title, a_body = words
    common = f"language: {language}\nplace: {place}\ncases: [khadija]\nsignatories: [rwg]\n"
    return {
        f"campaigns/statement-{language}.yaml":
            f"kind: statement\ntitle: {s_title}\ndate: 2015-01-21\n{common}body: {s_body}\n",
        f"campaigns/press-{language}.yaml":
            f"kind: press-reaction\ntitle: {r_title}\ndate: 2015-01-21\n{common}"
            f"subject: {subject}\nevent: {{case: khadija, event: hearing-2015}}\n"
            f"quotes:\n  - {{speaker: {speaker}, title: {role}, text: \"{quote}\"}}\n",
        f"campaigns/alert-{language}.yaml":
            f"kind: alert\ntitle: {a_title}\ndate: 2015-01-18\n{common}"
            f"window: {{from: 2015-01-18, days: 7}}\nembargo: 2015-01-18T09:00:00+04:00\n"
            f"body: {a_body}\n",
    }


@pytest.fixture(scope="module")
def native(tmp_path_factory):
    from click.testing import CliRunner
    from conftest import write_files

    from clarion.cli import main
    files = {**NATIVE, **_kinds("fr"), **_kinds("ru"), **_kinds("az")}
    root = write_files(tmp_path_factory.mktemp("native"), files)
    result = CliRunner().invoke(main, ["-w", str(root), "build", "--format", "pdf",
                                       "--format", "md", "--format", "html"])
    assert result.exit_code == 0, result.output
    validate = CliRunner().invoke(main, ["-w", str(root), "validate"])
    return root, root / "build", result.stderr, validate


@pytest.mark.slow  # the `native` fixture lays out PDFs in four languages
@pytest.mark.parametrize("who, language, present", [
    ("reynders", "fr", ["Monsieur le Ministre,", "Ministre des Affaires étrangères",
                        "Bruxelles, le 18\u00a0juillet 2018", "Khadija Ismaïlova",
                        "journaliste d’investigation", "incitation au suicide",
                        "le 5\u00a0décembre 2014", "Directrice", "Groupe de veille des droits",
                        "(Belgique)", "Sous embargo jusqu’au 18\u00a0juillet 2018 à 0\u00a0h\u00a001"]),
    ("shved", "ru", ["Уважаемый господин Швед!", "Михаил Швед", "Депутат", "Хадиджа Исмаилова",
                     "с 5\u00a0декабря 2014\u202fг.", "Директор", "(Бельгия)", "Джейн Доу"]),
    ("petrov", "ru", ["Здравствуйте, Алекс Петров!", "Алекс Петров"]),
    ("mammadova", "az", ["Hörmətli xanım Ombudsman!", "Gülnarə Məmmədova", "Xədicə İsmayılova",
                         "5\u00a0dekabr 2014-cü\u00a0il tarixindən", "Brüssel, 18\u00a0iyul 2018-ci\u00a0il",
                         "araşdırmaçı jurnalist", "(Belçika)", "Ceyn Dou"]),
])
def test_translated_letters_have_no_english(native, who, language, present):
    _, build, _, _ = native
    text = pdf_text(build / "letter" / f"{who}.pdf")
    html = _visible((build / "letter" / f"{who}.html").read_text())
    md = (build / "letter" / f"{who}.md").read_text()
    for phrase in present:
        assert phrase in md, (who, phrase)
        assert flat(phrase) in flat(text), (who, phrase)
    # the return line is the post's, in `build.postal_language` (English by default)
    postal = "RWG · Rue de la Loi 1 · 1000 Brussels · Belgium"
    assert postal in flat(text)
    text, html = flat(text).replace(postal, ""), flat(html).replace(postal, "")
    for where, content in (("pdf", text), ("html", html)):
        assert _english_in(content, _record_words(language)) == [], (who, where)
        assert _english_in(content, _english_fixed_words(language)) == [], (who, where)
    assert _language(build / "letter", f"{who}.md").split("-")[0] == language
    assert "г.." not in text and "г.\u202f." not in md


@pytest.mark.slow  # the `native` fixture lays out PDFs in four languages
def test_regional_codes_get_the_language_and_its_regional_formats(native):
    _, build, stderr, _ = native
    manifest = (build / "letter" / "manifest.json").read_text()
    assert '"language": "fr-BE"' in manifest and '"language": "ru-RU"' in manifest
    assert "no fr-BE translation" not in stderr and "no ru-RU translation" not in stderr
    html = (build / "letter" / "reynders.html").read_text()
    assert 'lang="fr-BE"' in html


@pytest.mark.slow  # the `native` fixture lays out PDFs in four languages
def test_french_typography_in_the_letter(native):
    _, build, _, _ = native
    md = (build / "letter" / "reynders.md").read_text()
    assert "Pourquoi\u202f? Parce qu’elle a «\u202fenquêté\u202f»\u00a0: 10\u202f000 pages." in md
    assert "Libération d’une journaliste" in md


@pytest.mark.slow  # the `native` fixture lays out PDFs in four languages
def test_unknown_gender_uses_the_neutral_form_and_validate_warns(native):
    _, _, _, validate = native
    assert validate.exit_code == 0, validate.output
    lines = validate.stderr.splitlines()
    assert any(line.startswith("recipients/petrov.yaml:1: warning: recipient petrov: no "
                               "`gender`") and "Здравствуйте, Алекс Петров!" in line
               for line in lines), lines
    assert not any("recipients/shved.yaml" in line for line in lines)


@pytest.mark.slow  # the `native` fixture lays out PDFs in four languages
@pytest.mark.parametrize("language", ["fr", "ru", "az"])
@pytest.mark.parametrize("kind", ["statement", "press", "alert"])
def test_every_kind_has_only_the_languages_fixed_phrases(native, kind, language):
    _, build, _, _ = native
    folder = build / f"{kind}-{language}"
    html = _visible((folder / f"{kind}-{language}.html").read_text())
    md = (folder / f"{kind}-{language}.md").read_text()
    for content in (html, md):
        assert _english_in(content, _english_fixed_words(language)) == []
        assert _english_in(content, _record_words(language)) == []


@pytest.mark.slow  # the `native` fixture lays out PDFs in four languages
def test_alert_dates_and_times_in_each_language(native):
    _, build, _, _ = native
    fr = (build / "alert-fr" / "alert-fr.md").read_text()
    ru = (build / "alert-ru" / "alert-ru.md").read_text()
    az = (build / "alert-az" / "alert-az.md").read_text()
    assert "18–24\u00a0janvier 2015" in fr and "18\u00a0janvier 2015 à 9\u00a0h\u00a000" in fr
    assert "18–24\u00a0января 2015\u202fг." in ru and "09:00 AZT" not in ru
    assert "18–24\u00a0yanvar 2015-ci\u00a0il" in az
    assert "Cour d’appel de Bakou, Bakou" in fr


@pytest.mark.parametrize("code, normal", [
    ("fr", "fr"), ("FR", "fr"), ("fr_FR", "fr-FR"), ("fr-be", "fr-BE"), ("ru-RU", "ru-RU"),
    ("az_Latn_AZ", "az-Latn-AZ"), ("en_US.UTF-8", "en-US"), ("pt-BR", "pt-BR"),
    ("xx", None), ("fr-XX", None), ("english", None), ("", None)])
def test_language_codes_are_normalised_or_refused(code, normal):
    from clarion.workspace.schema import normalise_language
    assert normalise_language(code) == normal


def test_unknown_language_codes_are_refused_with_a_hint(make_ws, cli):
    ws = make_ws({"recipients/x.yaml": "name: X\nlanguage: xx\n",
                  "cases/y.yaml": "name: {en: Y, xq: Why}\nstatus: detained\n"})
    result = cli(ws, "validate")
    output = "\n".join(result.lines)
    assert result.exit_code == 1
    assert "recipients/x.yaml:2: language: 'xx' is not a known language code; use a code " \
           "such as en, fr, ru, az, or with a region fr-BE" in output
    assert "cases/y.yaml:1: xq: 'xq' is not a known language code" in output


@pytest.mark.parametrize("value, expected", [
    (dt.date(2014, 1, 1), "2014-cü il"), (dt.date(2018, 7, 18), "2018-ci il"),
    (dt.date(2010, 1, 1), "2010-cu il"), (dt.date(2006, 1, 1), "2006-cı il"),
    (dt.date(2000, 1, 1), "2000-ci il"), (dt.date(2020, 1, 1), "2020-ci il"),
    (dt.date(2040, 1, 1), "2040-cı il"), (dt.date(2013, 1, 1), "2013-cü il")])
def test_azerbaijani_years_take_the_right_suffix(value, expected):
    assert i18n.long_date(value, "az_Latn_AZ").endswith(expected)


@pytest.mark.parametrize("locale, start, end, expected", [
    ("en_GB", dt.date(2014, 10, 6), dt.date(2014, 10, 12), "6–12 October 2014"),
    ("fr_FR", dt.date(2014, 10, 6), dt.date(2014, 10, 12), "6–12 octobre 2014"),
    ("ru_RU", dt.date(2014, 10, 6), dt.date(2014, 10, 12), "6–12 октября 2014\u202fг."),
    ("az_Latn_AZ", dt.date(2014, 10, 6), dt.date(2014, 10, 12), "6–12 oktyabr 2014-cü il"),
    ("en_GB", dt.date(2014, 9, 29), dt.date(2014, 10, 5), "29 September – 5 October 2014"),
    ("fr_FR", dt.date(2013, 12, 30), dt.date(2014, 1, 5),
     "30 décembre 2013 – 5 janvier 2014"),
    ("en_GB", dt.date(2014, 10, 6), dt.date(2014, 10, 6), "6 October 2014")])
def test_date_ranges(locale, start, end, expected):
    assert i18n.date_range(start, end, locale) == expected


@pytest.mark.parametrize("locale, expected", [
    ("en_GB", "Brussels, 18 July 2018"), ("fr_FR", "Brussels, le 18 juillet 2018"),
    ("fr_BE", "Brussels, le 18 juillet 2018"), ("az_Latn_AZ", "Brussels, 18 iyul 2018-ci il")])
def test_date_lines(locale, expected):
    assert i18n.dateline("Brussels", JULY, locale) == expected


@pytest.mark.parametrize("offset, locale, expected", [
    (2, "en_GB", "18 July 2018, 00:01 CEST"), (2, "fr_FR", "18 juillet 2018 à 0\u00a0h\u00a001 HAEC"),
    (3, "ru_RU", "18 июля 2018\u202fг., 00:01 МСК"), (1, "en_GB", "18 July 2018, 00:01 BST"),
    (4, "az_Latn_AZ", "18 iyul 2018-ci il, 00:01 Bakı vaxtı"),
    (9, "en_GB", "18 July 2018, 00:01 UTC+9")])
def test_times_name_the_zone_where_known(offset, locale, expected):
    when = dt.datetime(2018, 7, 18, 0, 1, tzinfo=dt.timezone(dt.timedelta(hours=offset)))
    assert i18n.long_datetime(when, locale) == expected


def test_countries_from_iso_codes(tmp_path):
    assert i18n.country_name("BE", "fr_FR") == "Belgique"
    assert i18n.country_name("BE", "ru_RU") == "Бельгия"
    assert i18n.country_name("be", "az_Latn_AZ") == "Belçika"
    assert i18n.country_name("Belgium", "fr_FR") == "Belgium"
    assert address_forms(person(country="FR"), "fr", read_table(None)[0])[0] == \
        "Monsieur le Président de la République,"


def test_local_text_picks_region_then_language_then_campaign_language():
    text = LocalText((("de", "Text"), ("en", "Text EN"), ("fr", "Texte"), ("fr-BE", "Texte BE")))
    assert text.pick("fr-BE") == ("Texte BE", False)
    assert text.pick("fr-CH") == ("Texte", False)
    assert text.pick("ru", "en") == ("Text EN", True)
    assert text.pick("ru") == ("Text", True)
    assert str(text) == "Text" and LocalText.plain("x") == "x"
    assert LocalText((("en", "Text"), ("fr-FR", "Texte FR"))).pick("fr-BE") == ("Texte FR", False)


@pytest.mark.parametrize("recipient, language, expected", [
    (person(name="Mikhail Shved", honorific=None, gender=None), "ru",
     "Здравствуйте, Mikhail Shved!"),
    (person(name=LocalText((("en", "Mikhail Shved"), ("ru", "Михаил Швед"))), honorific=None),
     "ru", "Уважаемый господин Швед!"),
    (person(name="Kim Drei", honorific=None, gender=None), "fr", "Madame, Monsieur,"),
    (person(name="The Minister of Justice", honorific="Minister", gender=None), "en",
     "Dear Minister,"),
    (person(name="Member0", honorific="Member of Parliament", gender=None), "en",
     "Dear Member0,"),
    (person(name="Jo Member", honorific="Member of Parliament", gender=Gender.FEMALE), "en",
     "Dear Ms Member,"),
    (person(name="Ann Judge", honorific="Director", gender=None), "fr", "Madame, Monsieur,"),
    # issue 21: a ministry is never "Dear Ministry of Justice,", even without `kind`
    (person(name="Ministry of Justice", honorific=None, gender=None), "en", "Dear Sir or Madam,"),
    (person(name="The Ministry of Justice", honorific=None, gender=None), "en",
     "Dear Sir or Madam,"),
])
def test_forms_of_address_without_gender_or_with_a_title_as_name(recipient, language, expected):
    assert address_forms(recipient, language, read_table(None)[0])[0] == expected


def test_csv_per_language_columns(make_ws):
    from clarion.workspace.load import load_workspace
    ws, _ = load_workspace(make_ws({
        "recipients/ministers.csv": "id,name,name:ru,title:fr,language\n"
                                    "a,Ivan Petrov,Иван Петров,Ministre,ru-ru\n",
        "campaigns/letter.yaml": None}))
    r = ws.recipients["a"]
    assert r.language == "ru-RU"
    assert r.name.pick("ru") == ("Иван Петров", False)
    assert r.name.pick("fr") == ("Ivan Petrov", False)
    assert r.title.pick("fr") == ("Ministre", False)


def test_a_regional_code_of_the_campaign_language_gets_its_regional_formats(make_ws, cli):
    ws = make_ws({"recipients/emmanuel-macron.yaml":
                  BASE["recipients/emmanuel-macron.yaml"].rstrip() + "\n        language: EN_us\n"})
    result = cli(ws, "build", "--format", "md", "--recipient", "emmanuel-macron")
    assert result.exit_code == 0, result.stderr
    assert "written in" not in result.stderr
    md = (ws / "build" / "letter" / "emmanuel-macron.md").read_text()
    assert "Brussels, July\u00a018, 2018" in md or "Brussels, July 18, 2018" in md
    assert _language(ws / "build" / "letter", "emmanuel-macron.md") == "en-US"


@pytest.mark.slow  # lays out the example's letters
def test_the_example_workspaces_translated_letters_have_no_english(example_ws, cli):
    import re
    result = cli(example_ws, "build", "paris-meeting-2018", "--format", "pdf", "--out",
                 str(example_ws / "build-i18n"))
    assert result.exit_code == 0, result.stderr
    assert "used the first given" not in result.stderr
    english = ["Director", "Human", "Rights", "Club", "Partnership", "International",
               "Brussels", "Belgium", "Azerbaijan", "Dear", "Yours", "Page", "July"]
    # the ambassador's copy is a cover note in Azerbaijani, then the letter to Macron (in
    # Azerbaijani: `copies: translated`)
    for who, language in (("emmanuel-macron", "fr"), ("azerbaijan-ambassador-france", "az+fr")):
        text = flat(pdf_text(example_ws / "build-i18n" / "paris-meeting-2018" / f"{who}.pdf"))
        # the return line is the post's, in `build.postal_language` (English by default)
        postal = "IPHR · Avenue des Arts 7-8 · 1210 Brussels · Belgium"
        assert postal in text
        text = text.replace(postal, "")
        # French "club" and "page"; "Amnesty International" is a name
        allowed = {"fr": {"Page", "Club", "International"}, "az+fr": {"Page", "Club",
                                                                       "International"}}[language]
        found = [w for w in english if w not in allowed and re.search(rf"\b{w}\b", text)]
        assert found == [], (who, found)


def test_malformed_salutation_rules_are_reported_by_validate(make_ws):
    from clarion.pipeline.check import check_workspace
    _, problems = check_workspace(make_ws({"templates/salutations.yaml": (
        "en:\n  president:\n    salutation: {male: 'Sir,', king: 'Sire,'}\n"
        "    closin: 'Yours,'\n  minister: Dear Minister\nEnglish: {}\n")}))
    assert [str(p) for p in problems] == [
        "templates/salutations.yaml:3: en.president.salutation: give a text, or texts by gender "
        "(male, female, other, unknown)",
        "templates/salutations.yaml:4: en.president: unknown part `closin`; use salutation, "
        "closing, nameless, name_line",
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


# --- One record per language (issue 19) ------------------------------------------------------

def test_every_language_with_phrases_has_every_field():
    """A language Clarion has fixed phrases in says everything a document needs of it."""
    from babel import Locale

    from clarion.render import languages
    from clarion.workspace.salutations import read_table
    salutations = read_table(None)[0]
    assert set(languages.built_in()) == {"en", "fr", "ru", "az"}
    for code, language in languages.LANGUAGES.items():
        assert language.code == code and languages.get(code.upper()) is language
        assert Locale.parse(language.locale).language == code
        assert all(language.quotes) and len(language.range_dashes) == 2
        assert language.clock.format(hour=9, minute=5)
        if not language.phrases:
            continue
        assert language.catalogue is None if code == languages.SOURCE else \
            language.catalogue.is_file(), code
        assert len(language.numbers) == 21 and all(language.numbers), code
        assert set(language.pronouns) == set(languages.PRONOUN_GENDERS), code
        assert all(len(forms) == 3 and all(forms) for forms in language.pronouns.values())
        assert language.release_words, code
        assert set(language.zone_names) == set(languages.ZONE_KEYS), code
        assert code in salutations, code  # the forms of address are a table of their own
    shipped = {p.name for p in i18n.LOCALE_DIR.iterdir() if p.is_dir()}
    assert shipped == {c for c in languages.built_in() if c != languages.SOURCE}


def test_no_other_table_is_keyed_by_language():
    """Code reads the record: no dict keyed by a language code outside languages.py."""
    import re

    from clarion.resources import PACKAGE_DIR
    keyed = re.compile(r"""[{,]\s*["'](?:en|fr|ru|az|de|uk)["']\s*:""")
    for path in sorted((PACKAGE_DIR / "render").glob("*.py")):
        if path.name != "languages.py":
            assert not keyed.search(path.read_text("utf-8")), path.name


def test_release_words_of_every_language():
    from clarion.render import languages
    words = languages.release_words()
    assert [bool(words.search(t)) for t in (
        "Release him", "Libérez-le", "Освободите его", "Onu azad edin", "Free him")] == [
        True, True, True, True, False]


ITALIAN_PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: it\\n"

msgctxt "status-sentence"
msgid "Imprisoned since %(date)s"
msgstr "In carcere dal %(date)s"

msgid "Trial watch"
msgstr "Osservatorio dei processi"
"""


@pytest.fixture
def italian(tmp_path, monkeypatch):
    """Italian, added as one entry in the registry (and its catalogue)."""
    from clarion.render import languages, typography
    po = tmp_path / "it.po"
    po.write_text(ITALIAN_PO, "utf-8")
    monkeypatch.setitem(languages.LANGUAGES, "it", languages.Language(
        "it", locale="it_IT", phrases=True, catalogue=po, quotes=("«", "»"),
        numbers=("zero", "uno", "due"), pronouns={"male": ("lui", "lo", "suo"),
                                                  "female": ("lei", "la", "sua"),
                                                  "other": ("loro", "li", "loro")}))
    yield
    for cache in (i18n.catalog, typography.typeset, languages._unknown):
        cache.cache_clear()


def test_a_new_language_is_one_entry(italian, make_ws):
    from clarion.render.document import render_document
    from clarion.workspace.load import load_workspace
    root = make_ws({"campaigns/watch.yaml": """\
        kind: alert
        title: Processi
        date: 2018-07-18
        language: it
        cases: [ilgar-mammadov]
        window: {from: 2018-07-16, days: 7}
        body: 'Ne resta {{ count_cases("imprisoned") }}, "libero" domani?'
        """, "campaigns/letter.yaml": None})
    ws, problems = load_workspace(root)
    assert not [p for p in problems if p.severity == "error"], problems
    doc = render_document(ws, ws.campaigns["watch"], None, forms=frozenset({"markdown"}))
    assert doc.language == "it" and doc.warnings == []
    assert "*Osservatorio dei processi · 16–22\u00a0luglio 2018*" in doc.markdown
    assert "In carcere dal 4\u00a0febbraio 2013" in doc.markdown
    assert "Ne resta uno, «libero» domani?" in doc.markdown
    assert i18n.pronoun("female", "possessive", "it-CH") == "sua"
    assert i18n.date_range(dt.date(2014, 9, 29), dt.date(2014, 10, 5), "it_IT") == \
        "29 settembre – 5 ottobre 2014"


def test_a_code_with_no_entry_writes_as_english_with_its_own_dates():
    from clarion.render import languages
    pt = languages.get("pt-BR")
    assert pt.code == "pt" and not pt.phrases and pt.quotes == ("“", "”")
    assert i18n.date_range(dt.date(2014, 10, 6), dt.date(2014, 10, 12), "pt_PT") == \
        "6–12 de outubro de 2014"
    assert i18n.pronoun("male", "subject", "pt") == "he"
