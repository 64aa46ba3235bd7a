"""`address: together`: one letter to every recipient of a campaign, every addressee listed, the
group salutation of its language, one e-mail to all of them — read back from real builds."""
from __future__ import annotations

import email
import html as markup
import json
import re
from email.policy import default as default_policy
from pathlib import Path

import pytest
from conftest import BASE, flat, pdf_text

pytest.importorskip("aiosmtpd")
from test_send_addresses import _settings, server  # noqa: F401  (a fixture)

HEADS = {
    "recipients/heads.yaml": """\
        recipients:
          - id: ilham-aliyev
            name: Ilham Aliyev
            title: President of the Republic of Azerbaijan
            honorific: President
            gender: male
            address: [19 Istiqlaliyyat Street, Baku AZ1066]
            country: Azerbaijan
            email: office@president.example.az
            groups: [heads]
          - id: alexander-van-der-bellen
            name: Alexander Van der Bellen
            title: Federal President of Austria
            honorific: President
            gender: male
            address: [Hofburg, 1010 Vienna]
            country: Austria
            email: office@hofburg.example.at
            groups: [heads]
          - id: alar-karis
            name: Alar Karis
            title: President of the Republic of Estonia
            honorific: President
            gender: male
            address: [A. Weizenbergi 39, 15050 Tallinn]
            country: Estonia
            groups: [heads]
          - id: copy-one
            name: Copy One
            title: Rapporteur
            email: one@copies.example.org
          - id: copy-two
            name: Copy Two
            title: Observer
            email: OFFICE@hofburg.example.at
        """,
}
HEADS_NAMES = [("Ilham Aliyev", "President of the Republic of Azerbaijan"),
               ("Alexander Van der Bellen", "Federal President of Austria"),
               ("Alar Karis", "President of the Republic of Estonia")]

TOGETHER = """\
    kind: open-letter
    title: Release Ilgar Mammadov
    date: 2018-07-18
    place: Brussels
    address: together
    cases: [ilgar-mammadov]
    recipients: [group:heads]
    signatories: [trg, hrc]
    subject: Release of Ilgar Mammadov
    asks:
      - Call for the release of Ilgar Mammadov.
    body: We write about {{ case.name }}.
    """
FRENCH = TOGETHER.replace("    place: Brussels\n", "    place: Bruxelles\n    language: fr\n") \
    .replace("We write about", "Nous vous écrivons au sujet de") \
    .replace("Call for the release", "Demander la libération")
MINISTERS = "\n".join(
    ["id,name,title,address,country,groups"] +
    [f"minister-{i:02},Minister Number{i:02},Minister of Foreign Affairs {i:02},"
     f"Street {i} | 10{i:02} Capital,Belgium,eu-ministers" for i in range(1, 28)]) + "\n"




def _build(cli, root: Path, *args: str):
    result = cli(root, "build", "--no-sign", *args)
    assert result.exit_code == 0, result.stderr
    return result


def _md(path: Path) -> str:
    """A Markdown output's text on one line, its hard line breaks (`\\`) as spaces."""
    return flat(path.read_text("utf-8").replace("\\\n", "\n"))


def _visible(html: str) -> str:
    body = re.sub(r"</p>|<br\s*/?>", " ", html.split("</head>")[1])
    return flat(markup.unescape(re.sub(r"<[^>]+>", "", body)))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Three heads of state together (in English, in French, on the web), 27 ministers."""
    from click.testing import CliRunner
    from conftest import write_files

    from clarion.cli import main
    root = write_files(tmp_path_factory.mktemp("together"), {
        **BASE, **HEADS, "campaigns/heads.yaml": TOGETHER, "campaigns/heads-fr.yaml": FRENCH,
        "campaigns/heads-web.yaml": TOGETHER.replace("address: together",
                                                     "address: together\n    publication: web"),
        "recipients/eu-ministers.csv": MINISTERS,
        "campaigns/ministers.yaml": TOGETHER.replace("group:heads", "group:eu-ministers")})
    result = CliRunner().invoke(main, ["-w", str(root), "build", "--no-sign", "--format", "pdf",
                                       "--format", "md", "--format", "html"])
    assert result.exit_code == 0, result.output
    return root / "build"


@pytest.mark.slow  # lays out four letters
def test_three_heads_of_state_get_one_letter_listing_them_all(built):
    folder = built / "heads"
    assert sorted(p.name for p in folder.glob("*.*") if p.name != "manifest.json") == \
        ["heads.html", "heads.md", "heads.pdf"]
    text = flat(pdf_text(folder / "heads.pdf"))
    md = _md(folder / "heads.md")
    for content in (text, md, _visible((folder / "heads.html").read_text("utf-8"))):
        for name, title in HEADS_NAMES:
            assert name in content and title in content, content
        assert "Your Excellencies," in content
        assert "Dear President" not in content
        # their postal lines, each under its addressee, the country added across a border
        assert "Hofburg 1010 Vienna AUSTRIA" in content
        assert "A. Weizenbergi 39 15050 Tallinn ESTONIA" in content
    # in the order of the campaign's recipients
    assert text.index("Ilham Aliyev") < text.index("Alexander Van der Bellen") \
        < text.index("Alar Karis") < text.index("Your Excellencies,")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert [o["recipient"] for o in manifest["outputs"]] == [None, None, None]


@pytest.mark.slow
def test_the_french_letter_says_excellences(built):
    text = flat(pdf_text(built / "heads-fr" / "heads-fr.pdf"))
    md = (built / "heads-fr" / "heads-fr.md").read_text("utf-8")
    for content in (text, md):
        assert "Excellences," in content
        assert "Nous vous prions d’agréer, Excellences, l’expression de notre très haute " \
               "considération." in flat(content)
        assert "Ilham Aliyev" in content and "Alar Karis" in content


@pytest.mark.slow
def test_twenty_seven_ministers_of_a_group_in_one_letter(built):
    folder = built / "ministers"
    assert not list(folder.glob("minister-*"))
    text = flat(pdf_text(folder / "ministers.pdf"))
    md = _md(folder / "ministers.md")
    for content in (text, md):
        for i in range(1, 28):
            assert f"Minister Number{i:02} Minister of Foreign Affairs {i:02}" in content
        assert content.count("Your Excellencies,") == 1


@pytest.mark.slow
def test_a_web_letter_names_every_addressee_on_its_to_line(built):
    folder = built / "heads-web"
    line = "To: " + "; ".join(f"{n}, {t}" for n, t in HEADS_NAMES)
    html = (folder / "heads-web.html").read_text("utf-8")
    for content in (flat(pdf_text(folder / "heads-web.pdf")),
                    _md(folder / "heads-web.md"), _visible(html)):
        assert line in content, content
        assert "Hofburg" not in content  # no postal lines on the web
        assert "Your Excellencies," in content
    assert 'class="address-field"' not in html


def test_a_campaign_salutation_and_a_warning_for_other_languages(make_ws, cli):
    root = make_ws({**HEADS, "campaigns/letter.yaml": TOGETHER.replace(
        "address: together", "address: together\n    salutation: {en: 'Dear Presidents,'}")
        .replace("group:heads", "emmanuel-macron, jean-asselborn")})
    result = _build(cli, root, "--format", "md")
    md = (root / "build/letter/letter.md").read_text("utf-8")
    assert "Dear Presidents," in md and "Your Excellencies," not in md
    assert "Emmanuel Macron" in md and "Jean Asselborn" in md
    # Jean Asselborn reads French; the campaign has no French text: said, by name
    assert "jean-asselborn" in result.stderr and "mixed-languages" not in result.stdout
    assert "another" in result.stderr


def test_addressees_who_share_a_language_get_the_letter_in_it(make_ws, cli):
    campaign = TOGETHER.replace("group:heads", "jean-asselborn") + \
        "translations:\n      fr: {title: Libérez Ilgar Mammadov, body: Nous écrivons.}\n"
    root = make_ws({**HEADS, "campaigns/letter.yaml": campaign})
    _build(cli, root, "--format", "md")
    md = (root / "build/letter/letter.md").read_text("utf-8")
    assert "Excellences," in md and "Nous écrivons." in md


def test_a_change_to_any_addressee_rebuilds_the_one_letter(make_ws, cli):
    root = make_ws({**HEADS, "campaigns/letter.yaml": TOGETHER})
    _build(cli, root, "--format", "md")
    md = root / "build/letter/letter.md"
    before = md.read_bytes()
    again = _build(cli, root, "--format", "md")
    assert md.read_bytes() == before and "1 unchanged" in again.stderr, again.stderr
    heads = root / "recipients/heads.yaml"
    heads.write_text(heads.read_text("utf-8").replace(
        "President of the Republic of Estonia", "President of Estonia"), "utf-8")
    _build(cli, root, "--format", "md")
    assert "President of Estonia" in md.read_text("utf-8")
    # a new member of the group joins the letter
    with heads.open("a", encoding="utf-8") as f:
        f.write("  - {id: new-head, name: Karin Keller, title: President, groups: [heads]}\n")
    _build(cli, root, "--format", "md")
    assert "Karin Keller" in md.read_text("utf-8")


def test_send_delivers_one_message_to_every_addressee_with_the_cc_list(make_ws, cli,
                                                                      server):  # noqa: F811
    handler, port = server
    root = make_ws({"clarion.yaml": _settings(port), **HEADS, "campaigns/letter.yaml":
                    TOGETHER.replace("group:heads", "group:heads]\n    cc: [copy-one, copy-two")})
    dry = cli(root, "send", "letter")
    assert dry.exit_code == 0, dry.stderr
    assert "alar-karis" in dry.stdout  # no e-mail: by post
    result = cli(root, "send", "letter", "--send", "--mail-host", "127.0.0.1")
    assert result.exit_code == 0, result.stderr
    assert len(handler.messages) == 1
    # each address once: copy-two's address is an addressee's too (in another case)
    assert dict(handler.rcpts) == {"office@president.example.az": 1,
                                   "office@hofburg.example.at": 1,
                                   "one@copies.example.org": 1}
    msg = email.message_from_bytes(handler.messages[0][2], policy=default_policy)
    assert [a.addr_spec for a in msg["To"].addresses] == ["office@president.example.az",
                                                          "office@hofburg.example.at"]
    assert [a.display_name for a in msg["To"].addresses] == ["Ilham Aliyev",
                                                             "Alexander Van der Bellen"]
    assert [a.addr_spec for a in msg["Cc"].addresses] == ["one@copies.example.org"]
    again = cli(root, "send", "letter", "--send", "--mail-host", "127.0.0.1")
    assert again.exit_code == 0 and "nothing to send" in again.stderr
    assert len(handler.messages) == 1
    rows = json.loads(cli(root, "status", "letter", "--format", "json").stdout)["letters"]
    assert len(rows) == 1
    assert rows[0]["recipient"] is None and rows[0]["sent"]
    assert rows[0]["email"] == "office@president.example.az, office@hofburg.example.at"


def test_print_bundles_the_one_letter(make_ws, cli):
    root = make_ws({**HEADS, "campaigns/letter.yaml": TOGETHER})
    r = cli(root, "print", "letter")
    assert r.exit_code == 0, r.stderr
    record = json.loads((root / "build/letter/print/letter.json").read_text())
    assert [(x["recipient"], x["file"]) for x in record["letters"]] == [(None, "letter.pdf")]
    rows = json.loads(cli(root, "status", "letter", "--format", "json").stdout)["letters"]
    assert [(x["recipient"], x["printed"]) for x in rows] == [(None, True)]


@pytest.mark.parametrize("language, salutation, closing", [
    ("en", "Your Excellencies,", "Yours sincerely,"),
    ("fr", "Excellences,", "Nous vous prions d’agréer, Excellences,"),
    ("ru", "Ваши Превосходительства!", "С уважением,"),
    ("az", "Zati-aliləri!", "Hörmətlə,"),
])
def test_the_group_form_of_each_language(make_ws, cli, language, salutation, closing):
    campaign = TOGETHER.replace("    place: Brussels\n", f"    language: {language}\n")
    root = make_ws({**HEADS, "campaigns/letter.yaml": campaign})
    _build(cli, root, "--format", "md")
    md = (root / "build/letter/letter.md").read_text("utf-8")
    assert f"\n{salutation}\n" in md and closing in md
    assert "Alar Karis" in md


def test_recipient_cannot_pick_one_addressee_of_the_one_letter(make_ws, cli):
    root = make_ws({**HEADS, "campaigns/letter.yaml": TOGETHER})
    for args in (("build", "--no-sign", "--recipient", "alar-karis"),
                 ("send", "letter", "--recipient", "alar-karis")):
        result = cli(root, *args)
        assert result.exit_code == 2
        assert "alar-karis is on the one letter of letter" in result.stderr, result.stderr


def test_a_campaign_salutation_replaces_each_letters_own(make_ws, cli):
    campaign = BASE["campaigns/letter.yaml"].replace(
        "place: Brussels\n", "place: Brussels\n        salutation: {en: 'Dear friends,', "
        "fr: 'Mesdames, Messieurs,'}\n        translations:\n          fr: {body: Nous "
        "écrivons.}\n")
    root = make_ws({"campaigns/letter.yaml": campaign})
    _build(cli, root, "--format", "md")
    en = (root / "build/letter/emmanuel-macron.md").read_text("utf-8")
    fr = (root / "build/letter/jean-asselborn.md").read_text("utf-8")
    assert "\nDear friends,\n" in en and "Dear President Macron" not in en
    assert "\nMesdames, Messieurs,\n" in fr and "Monsieur le Ministre" not in fr
    # the French closing quotes the salutation used
    assert "Nous vous prions d’agréer, Mesdames, Messieurs, l’expression" in fr


def test_with_to_the_other_recipients_are_on_the_cc_line(make_ws, cli):
    campaign = TOGETHER.replace("recipients: [group:heads]",
                                "recipients: [group:heads, copy-one]\n    to: [group:heads]\n"
                                "    cc: [copy-two]")
    root = make_ws({**HEADS, "campaigns/letter.yaml": campaign})
    _build(cli, root, "--format", "md")
    assert sorted(p.name for p in (root / "build/letter").glob("*.md")) == ["letter.md"]
    md = (root / "build/letter/letter.md").read_text("utf-8")
    head, cc = md.split("Your Excellencies,")
    assert "Alar Karis" in head and "Copy One" not in head and "Copy Two" not in head
    assert "cc: Copy One, Rapporteur; Copy Two, Observer" in flat(cc)
