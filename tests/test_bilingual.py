"""`languages: [en, tr]`: one document with the letter in each language in turn — each with its
own date line, subject, salutation, asks and closing, each section with its `lang` — and one
list of signatories, in every format; read back as a reader would."""
from __future__ import annotations

import email
import re
from email.policy import default as default_policy
from html import unescape

import pytest
from conftest import flat, pdf_reader, pdf_text

ISTANBUL = {
    "clarion.yaml": """\
        organisation:
          name: Test Rights Group
          short: TRG
          address: [Rue de la Loi 1, 1000 Brussels, Belgium]
          email: info@example.org
        language: en
        """,
    "cases/idil-eser.yaml": """\
        name: İdil Eser
        gender: female
        country: TR
        status: detained
        status_as_of: 2017-07-18
        """,
    "recipients/coe.yaml": """\
        name: Thorbjørn Jagland
        title: {en: Secretary General of the Council of Europe, tr: Avrupa Konseyi Genel Sekreteri}
        honorific: Secretary General
        gender: male
        address: [Council of Europe, Avenue de l'Europe, 67075 Strasbourg Cedex]
        country: FR
        language: en
        email: sg@example.org
        """,
    "signatories/orgs.yaml": """\
        signatories:
          - id: trg
            organisation: {en: Test Rights Group, tr: Test Haklar Grubu}
            country: BE
            person: Jane Doe
            title: {en: Director, tr: Direktör}
          - id: hrc
            organisation: {en: Human Rights Club, tr: İnsan Hakları Kulübü}
            country: AZ
        """,
    "campaigns/istanbul.yaml": """\
        kind: open-letter
        title: Release the Istanbul defenders
        date: 2017-07-20
        place: London
        language: en
        languages: [en, tr]
        cases: [idil-eser]
        recipients: [coe]
        signatories: [trg, hrc]
        subject: Release of the defenders detained in Istanbul
        salutation: {en: "Dear Secretary General,", tr: "Sayın Genel Sekreter,"}
        closing: {en: "Yours sincerely,", tr: "Saygılarımızla,"}
        asks_intro: {en: "We urge you to:", tr: "Sizden şunları talep ediyoruz:"}
        asks:
          - Call for the immediate release of İdil Eser.
        body: |
          We are writing about the defenders detained on Büyükada, among them {{ case.name }}.
        translations:
          tr:
            title: İstanbul'daki savunucuları serbest bırakın
            subject: İstanbul'da gözaltına alınan savunucuların serbest bırakılması
            place: Londra
            asks:
              - Derhal serbest bırakılmaları çağrısında bulunun.
            body: |
              Büyükada'da gözaltına alınan savunucular hakkında yazıyoruz.
        """,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from click.testing import CliRunner
    from conftest import write_files

    from clarion.cli import main
    root = write_files(tmp_path_factory.mktemp("bilingual"), ISTANBUL)
    result = CliRunner().invoke(main, ["-w", str(root), "build", "--no-sign", "--format", "pdf",
                                       "--format", "md", "--format", "html", "--format", "eml"])
    assert result.exit_code == 0, result.output
    return root / "build" / "istanbul"


ENGLISH = ["London, 20 July 2017", "Release of the defenders detained in Istanbul",
           "Dear Secretary General,", "We are writing about the defenders",
           "We urge you to:", "Call for the immediate release of İdil Eser.", "Yours sincerely,"]
TURKISH = ["Londra, 20 Temmuz 2017", "İstanbul’da gözaltına alınan savunucuların serbest",
           "Sayın Genel Sekreter,", "Büyükada’da gözaltına alınan savunucular",
           "Sizden şunları talep ediyoruz:", "Derhal serbest bırakılmaları", "Saygılarımızla,"]
SIGNERS = "Jane Doe, Director"


def _in_order(text: str, phrases: list[str]) -> list[int]:
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    found = [text.find(p) for p in phrases]
    assert -1 not in found, list(zip(phrases, found, strict=True))
    assert found == sorted(found), list(zip(phrases, found, strict=True))
    return found


@pytest.mark.slow  # lays out a PDF
def test_the_pdf_has_each_language_in_turn_then_one_list_of_signatories(built):
    text = flat(pdf_text(built / "coe.pdf"))
    english = _in_order(text, ENGLISH)
    turkish = _in_order(text, TURKISH)
    assert english[-1] < turkish[0]
    assert text.count(SIGNERS) == 1 and text.index(SIGNERS) > turkish[-1]
    assert "Human Rights Club (Azerbaijan)" in text  # in the first language's form
    # the Turkish part has no English sentence, the English part no Turkish one
    turkish_part = text[turkish[0]:text.index(SIGNERS)]
    assert not re.search(r"\b(Dear|We|Yours|July)\b", turkish_part)
    assert not re.search(r"\b(Sayın|Temmuz|Saygılarımızla)\b", text[:turkish[0]])
    reader = pdf_reader(built / "coe.pdf")
    assert str(reader.trailer["/Root"]["/Lang"]) == "en"


def test_the_html_has_a_section_per_language_with_its_lang(built):
    html = (built / "coe.html").read_text("utf-8")
    assert html.startswith("<!DOCTYPE html><html lang=\"en\"") or '<html lang="en"' in html
    sections = re.findall(r'<section class="language-part" lang="([a-z]+)">(.*?)</section>',
                          html, re.S)
    assert [lang for lang, _ in sections] == ["en", "tr"]
    en, tr = (flat(unescape(re.sub(r"<[^>]+>", " ", body))).replace("\u00a0", " ")
              for _, body in sections)
    for phrase in ENGLISH:
        assert phrase in en and phrase not in tr
    for phrase in TURKISH:
        assert phrase in tr
    assert "Dear" not in tr and SIGNERS not in en + tr
    assert html.index("Jane Doe") > html.index("Saygılarımızla,")


def test_the_markdown_and_e_mail_have_each_language_in_turn(built):
    md = (built / "coe.md").read_text("utf-8")
    english, turkish = _in_order(md, ENGLISH), _in_order(md, TURKISH)
    assert english[-1] < turkish[0] and md.count(SIGNERS) == 1 and md.index(SIGNERS) > turkish[-1]
    assert "**Release of the defenders detained in Istanbul**" in md
    message = email.message_from_bytes((built / "coe.eml").read_bytes(), policy=default_policy)
    plain = flat(message.get_body(("plain",)).get_content())
    _in_order(plain, [*ENGLISH, *TURKISH])
    html = message.get_body(("html",)).get_content()
    assert re.findall(r'<section class="language-part" lang="([a-z]+)"', html) == ["en", "tr"]


def test_a_listed_language_without_its_translation_is_an_error(make_ws, cli):
    text = ISTANBUL["campaigns/istanbul.yaml"].replace("languages: [en, tr]",
                                                        "languages: [en, tr, de]")
    root = make_ws({"campaigns/istanbul.yaml": text}, base=ISTANBUL)
    result = cli(root, "validate")
    assert result.exit_code == 1
    assert "campaigns/istanbul.yaml:6: languages: `de` has no translation; add " \
           "`translations: {de: …}` or leave it out of `languages`" in result.lines
    built = cli(root, "build", "--format", "md")
    assert built.exit_code == 1
    assert any("languages: `de` has no translation" in line for line in built.lines)


def test_a_copy_of_a_letter_in_two_languages_has_its_cover_note_then_both(make_ws, cli):
    root = make_ws({"recipients/minister.yaml": """\
        name: Ahmet Yılmaz
        honorific: Minister
        gender: male
        address: [Ankara]
        country: TR
        language: tr
        """, "campaigns/istanbul.yaml": ISTANBUL["campaigns/istanbul.yaml"].replace(
        "recipients: [coe]", "recipients: [coe]\n        cc: [minister]\n"
        "        copies: translated")},
        base=ISTANBUL)
    result = cli(root, "build", "--format", "md", "--format", "html", "--no-sign")
    assert result.exit_code == 0, result.stderr
    md = (root / "build" / "istanbul" / "minister.md").read_text("utf-8")
    cover, letter = md.split("*Copy*")
    # no phrases in Turkish: the cover note is in the campaign's language, every word of it
    assert "Thorbjørn Jagland, Secretary General of the Council of Europe." in cover
    assert "Haklar" not in cover and "Konseyi" not in cover
    _in_order(letter, [*ENGLISH, *TURKISH])
    html = (root / "build" / "istanbul" / "minister.html").read_text("utf-8")
    assert re.findall(r'<section class="language-part" lang="([a-z]+)"', html) == ["en", "tr"]


def test_each_part_labels_its_subject_as_its_language_does(example_ws, tmp_path, cli):
    """The French part writes « Objet : » before its subject, as a French letter does; the
    Azerbaijani part, like an English letter, no label."""
    import shutil

    from clarion.render.bilingual import subject_label
    assert subject_label("fr") == "Objet\u00a0:" and subject_label("az") == ""
    ws = tmp_path / "ws"
    shutil.copytree(example_ws, ws, ignore=shutil.ignore_patterns("build"))
    campaign = ws / "campaigns" / "paris-meeting-2018.yaml"
    campaign.write_text(campaign.read_text("utf-8").replace(
        "\ncopies: translated", "\ncopies: translated\nlanguages: [fr, az]", 1), "utf-8")
    result = cli(ws, "build", "paris-meeting-2018", "--recipient", "emmanuel-macron",
                 "--format", "md", "--format", "html")
    assert result.exit_code == 0, result.lines
    md = (ws / "build" / "paris-meeting-2018" / "emmanuel-macron.md").read_text("utf-8")
    assert "**Objet\u00a0: Libération d’Ilgar Mammadov" in md
    assert "**İlqar Məmmədovun və Azərbaycandakı" in md
    html = (ws / "build" / "paris-meeting-2018" / "emmanuel-macron.html").read_text("utf-8")
    assert html.count('class="subject-label"') == 1
