"""`clarion signon import`: a form's export, as downloaded, into signatories and a report."""
from __future__ import annotations

import csv
import io

import pytest

from clarion.review.signon_columns import read_columns, role_of
from clarion.review.signon_names import country_code, match_key, spam_signs
from clarion.workspace.load import read_workspace

OUT = "signatories/signon-2017.csv"

EXPORT = """\
Timestamp,Organisation name,Your name,Your position,Country,Email address,I agree to my name being published
2017/07/10 10:31:02 AM GMT+1,Amnesty International,Jane Doe,Director,United Kingdom,jane@ai.example,Yes
2017/07/10 11:02:45 AM GMT+1,amnesty international (UK),John Roe,Campaigner,UK,john@ai.example,Yes
2017/07/10 11:15:00 AM GMT+1,The Human Rights House Foundation,Maria Dahle,Director,Norway,md@hrhf.example,Yes
2017/07/10 12:00:00 PM GMT+1,Human Rights House Foundation,,,,,"Yes, I agree"
2017/07/10 12:10:00 PM GMT+1,Médecins Sans Frontières,Pierre Martin,,France,pm@msf.example,Yes
2017/07/10 12:11:00 PM GMT+1,Medecins sans Frontieres,,,Frankreich,,Yes
2017/07/10 12:20:00 PM GMT+1,Front Line Defenders,,,Ireland,,Yes
2017/07/10 12:21:00 PM GMT+1,Front Line Defendres,,,Ireland,,Yes
2017/07/10 13:00:00 PM GMT+1,,Vera Jarach,Mother of a disappeared person,Argentina,,Yes
2017/07/10 13:05:00 PM GMT+1,N/A,Stefan Löfven,Citizen,Sverige,,Yes
2017/07/10 13:10:00 PM GMT+1,Cheap pills http://pills.example,Buy Now,,,spam@example.com,Yes
2017/07/10 13:20:00 PM GMT+1,Аmnesty International,Ivan,,Russia,,Yes
2017/07/10 13:30:00 PM GMT+1,,JOHN SMITH,,Narnia,,Yes
2017/07/10 13:40:00 PM GMT+1,Secret Org,Someone,,France,,No
2017/07/10 13:45:00 PM GMT+1,,Jоhn Dое,,France,,Yes
2017/07/10 13:50:00 PM GMT+1,,,,,,Yes
"""
#: the same form a day later: two new responses at the end
LATER = EXPORT + """\
2017/07/11 09:00:00 AM GMT+1,Human Rights Watch,Kenneth R,Director,USA,kr@hrw.example,Yes
2017/07/11 09:05:00 AM GMT+1,"Front Line Defenders, Ireland",Andrew,,Ireland,,Yes
2017/07/11 09:10:00 AM GMT+1,,Égüez Ricardo,Professor,Ecuador,,Yes
"""


def _rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8"))))


@pytest.fixture
def imported(make_ws, cli, tmp_path):
    ws = make_ws()
    export = tmp_path / "responses.csv"
    export.write_text(EXPORT, "utf-8")
    result = cli(ws, "signon", "import", str(export), "--group", "signon-2017")
    assert result.exit_code == 0, result.stderr
    return ws, export, result


def test_the_signatories_file_written(imported):
    ws, _, _ = imported
    rows = {r["id"]: r for r in _rows(ws / OUT)}
    assert list(rows) == [
        "amnesty-international", "the-human-rights-house-foundation",
        "medecins-sans-frontieres", "front-line-defenders", "front-line-defendres",
        "vera-jarach", "stefan-lofven", "cheap-pills-http-pills-example", "john-smith",
        "john-doe"]
    ai = rows["amnesty-international"]
    assert (ai["organisation"], ai["person"], ai["country"], ai["groups"]) == (
        "Amnesty International", "", "GB", "signon-2017")
    assert ai["extra:contact"] == "Jane Doe, Director" and ai["extra:email"] == "jane@ai.example"
    assert ai["extra:signed"] == "2017/07/10 10:31:02 AM GMT+1"
    assert len(ai["extra:response"].split(" | ")) == 3  # three responses merged into one row
    vera = rows["vera-jarach"]
    assert (vera["organisation"], vera["person"], vera["title"], vera["country"]) == (
        "", "Vera Jarach", "Mother of a disappeared person", "AR")
    assert rows["stefan-lofven"]["person"] == "Stefan Löfven"  # "N/A" is no organisation
    assert rows["medecins-sans-frontieres"]["country"] == "FR"
    held = {i: r["extra:review"] for i, r in rows.items() if not r["groups"]}
    assert held == {
        "front-line-defendres": "looks like line 8 “Front Line Defenders”",
        "cheap-pills-http-pills-example": "a web address in the name",
        "john-smith": "all in capitals",
        "john-doe": "letters of two alphabets mixed in one word (lookalike letters)"}
    assert "Secret Org" not in (ws / OUT).read_text("utf-8")


def test_the_written_file_is_a_valid_signatories_file(imported):
    ws, _, _ = imported
    loaded, problems = read_workspace(ws)
    assert problems == [], [str(p) for p in problems]
    assert loaded is not None
    vera = loaded.signatories["vera-jarach"]
    assert (vera.organisation, vera.person, vera.groups) == (None, "Vera Jarach",
                                                               ("signon-2017",))
    assert loaded.signatories["amnesty-international"].extra["contact"] == "Jane Doe, Director"


def test_the_report_reads_for_the_campaigner(imported):
    _, export, result = imported
    lines = result.stdout.splitlines()
    assert lines[0] == f"Read 16 response(s) from {export}."
    assert lines[1].startswith("Columns: Timestamp → when they signed · Organisation name → "
                               "organisation · Your name → name · ")
    assert ("Added 10 signatories to signatories/signon-2017.csv: 6 organisation(s), "
            "4 individual(s); 6 in the group signon-2017, 4 held back to check (below).") in lines
    assert ("  line 2 “Amnesty International” (amnesty-international) ← line 3 “amnesty "
            "international (UK)”, line 13 “Аmnesty International” (letters of two alphabets "
            "mixed in one word (lookalike letters))") in lines
    assert ("  line 4 “The Human Rights House Foundation” (the-human-rights-house-foundation) "
            "← line 5 “Human Rights House Foundation”") in lines
    assert "  line 12 “Cheap pills http://pills.example” (cheap-pills-http-pills-example): a " \
        "web address in the name" in lines
    assert "  line 14 “JOHN SMITH” (john-smith): all in capitals" in lines
    assert "  line 15 “Secret Org”: did not agree to be listed (answered “No”)" in lines
    assert "  line 17 (no name): no name" in lines
    assert "  line 14 “JOHN SMITH”: “Narnia”" in lines  # a country kept as typed


def test_a_rerun_adds_only_new_rows_and_keeps_hand_edits(imported, cli):
    ws, export, _ = imported
    text = (ws / OUT).read_text("utf-8")
    # the campaigner accepts John Smith, correcting the capitals, and renames an organisation
    edited = text.replace("john-smith,,JOHN SMITH,,Narnia,,", "john-smith,,John Smith,,GB,"
                          "signon-2017,").replace(
        "the-human-rights-house-foundation,The Human Rights House Foundation,",
        "hrhf,Human Rights House Foundation (HRHF),")
    assert edited != text
    (ws / OUT).write_text(edited, "utf-8")
    export.write_text(LATER, "utf-8")
    result = cli(ws, "signon", "import", str(export), "--group", "signon-2017")
    assert result.exit_code == 0, result.stderr
    after = (ws / OUT).read_text("utf-8")
    assert after.startswith(edited)  # every byte the campaigner wrote is kept
    new = list(csv.DictReader(io.StringIO(edited.splitlines()[0] + "\n" + after[len(edited):])))
    assert [(r["id"], r["organisation"] or r["person"], r["country"], r["groups"])
            for r in new] == [("human-rights-watch", "Human Rights Watch", "US", "signon-2017"),
                              ("eguez-ricardo", "Égüez Ricardo", "EC", "signon-2017")]
    lines = result.stdout.splitlines()
    assert "Added 2 signatories to signatories/signon-2017.csv: 1 organisation(s), " \
        "1 individual(s); 2 in the group signon-2017." in lines
    # the responses already imported (merged ones too), not those left out
    assert "Already imported earlier: 14 response(s), left as they are in the file (with " \
        "your edits)." in lines
    assert "  line 19 “Front Line Defenders, Ireland” = front-line-defenders “Front Line " \
        "Defenders”" in lines
    again = cli(ws, "signon", "import", str(export), "--group", "signon-2017")
    assert (ws / OUT).read_text("utf-8") == after  # a third run adds nothing
    assert "Nothing new to add to signatories/signon-2017.csv." in again.stdout.splitlines()


def test_french_and_russian_forms(make_ws, cli, tmp_path):
    ws = make_ws()
    export = tmp_path / "réponses.csv"
    export.write_text(
        "Horodateur;Nom de l'organisation;Prénom;Nom;Fonction;Pays;Adresse e-mail\n"
        "10/07/2017 10:31:02;;Jean;Dupont;Avocat;Belgique;jd@example.org\n"
        "10/07/2017 10:32:02;Ligue des droits humains;Marie;Martin;Présidente;Belgique;\n",
        "utf-8-sig")
    result = cli(ws, "signon", "import", str(export), "--group", "appel")
    assert result.exit_code == 0, result.stderr
    rows = _rows(ws / "signatories/appel.csv")
    assert [(r["id"], r["person"], r["title"], r["organisation"], r["country"]) for r in rows] \
        == [("jean-dupont", "Jean Dupont", "Avocat", "", "BE"),
            ("ligue-des-droits-humains", "", "", "Ligue des droits humains", "BE")]
    export.write_text("Отметка времени,Организация,Имя,Фамилия,Страна\n"
                      "10.07.2017 10:31:02,Мемориал,Олег,Орлов,Россия\n", "utf-8")
    result = cli(ws, "signon", "import", str(export), "--group", "obrashchenie")
    rows = _rows(ws / "signatories/obrashchenie.csv")
    assert [(r["id"], r["organisation"], r["extra:contact"], r["country"]) for r in rows] == [
        ("memorial", "Мемориал", "Олег Орлов", "RU")]


def test_columns_are_told_by_their_questions():
    assert [role_of(h) for h in (
        "Timestamp", "Horodateur", "Отметка времени", "Organisation name", "Your name",
        "Name of your organisation (if any)", "Email of your organisation", "Country",
        "Are you signing as an individual or on behalf of an organisation?",
        "I consent to my name being published", "Votre nom", "ФИО", "IP address")] == [
        "timestamp", "timestamp", "timestamp", "organisation", "person", "organisation",
        "email", "country", "capacity", "consent", "person", "person", None]
    assert read_columns(["Имя", "Фамилия"]).roles == ("first", "last")
    assert read_columns(["Prénom", "Nom"]).roles == ("first", "last")


def test_an_individual_who_names_an_organisation():
    """Signing as an individual: the organisation is their affiliation, printed as their
    title."""
    from clarion.review.signon import understand
    columns = read_columns(["Your name", "Organisation", "Signing as"])
    got = understand(columns, 2, ["Ana Lima", "University of Lisbon", "Individual"])
    assert not isinstance(got, tuple)
    assert got.individual and got.values["person"] == "Ana Lima"
    assert got.values["title"] == "University of Lisbon" and got.values["organisation"] == ""


def test_names_that_are_one():
    assert len({match_key(n) for n in (
        "Amnesty International", "amnesty international", "The Amnesty International",
        "Amnesty International (UK)", "Amnesty International, United Kingdom",
        "Amnesty International.", "Аmnesty International", "AMNESTY INTERNATIONAL")}) == 1
    assert match_key("Médecins Sans Frontières") == match_key("Medecins sans frontieres")
    assert match_key("Artists (Paris)") != match_key("Artists")  # Paris is not a country


def test_countries_by_name_in_several_languages():
    assert [country_code(n) for n in ("United Kingdom", "UK", "Royaume-Uni", "Великобритания",
                                      "gb", "Türkiye", "Azərbaycan", "the Netherlands",
                                      "Narnia")] == ["GB"] * 5 + ["TR", "AZ", "NL", None]


def test_spam_signs():
    assert spam_signs("Cheap pills www.pills.example") == ["a web address in the name"]
    assert spam_signs("JOHN SMITH") == ["all in capitals"]
    assert spam_signs("FIDH") == [] and spam_signs("Jean DUPONT") == []
    assert spam_signs("Jоhn Smith") == [  # a Cyrillic о
        "letters of two alphabets mixed in one word (lookalike letters)"]
    assert spam_signs("Ильгар Мамедов") == []


def test_an_unreadable_export_is_exit_1(make_ws, cli, tmp_path):
    result = cli(make_ws(), "signon", "import", str(tmp_path / "missing.csv"),
                 "--group", "g")
    assert result.exit_code == 1
    assert "missing.csv" in result.stderr
    noname = tmp_path / "x.csv"
    noname.write_text("Timestamp,Colour\n2017-01-01,red\n", "utf-8")
    result = cli(make_ws(), "signon", "import", str(noname), "--group", "g")
    assert result.exit_code == 1
    assert "x.csv:1: no column holds names" in result.stderr


def test_a_bad_group_or_out_is_a_usage_error(make_ws, cli, tmp_path):
    export = tmp_path / "e.csv"
    export.write_text("Your name\nA B\n", "utf-8")
    assert cli(make_ws(), "signon", "import", str(export), "--group", "Sign On").exit_code == 2
    result = cli(make_ws(), "signon", "import", str(export), "--group", "g", "--out",
                 "../outside.csv")
    assert result.exit_code == 2 and not (tmp_path / "outside.csv").exists()
    result = cli(make_ws(), "signon", "import", str(export), "--group", "g", "--out",
                 "recipients/g.csv")
    assert result.exit_code == 2
    assert "must be a .csv file in the workspace's signatories/ folder" in result.stderr


def test_formulas_are_held_back_or_defused(make_ws, cli, tmp_path):
    """A form answer that a spreadsheet would run as a formula: a printed cell is held back for
    review, a kept one (never printed) gets the apostrophe spreadsheets read as text."""
    ws = make_ws()
    export = tmp_path / "e.csv"
    export.write_text('Your name,Comment,Position\n'
                      '"=HYPERLINK(""http://x.example"",""click"")",,\n'
                      'Ana Lima,"=1+1",-\n', "utf-8")
    result = cli(ws, "signon", "import", str(export), "--group", "g")
    assert result.exit_code == 0, result.stderr
    rows = _rows(ws / "signatories/g.csv")
    assert rows[0]["groups"] == "" and "spreadsheet formula" in rows[0]["extra:review"]
    assert (rows[1]["person"], rows[1]["title"], rows[1]["extra:comment"], rows[1]["groups"]) \
        == ("Ana Lima", "", "'=1+1", "g")  # "-" as a position is no position


def test_the_same_words_in_another_order_are_held_back(make_ws, cli, tmp_path):
    ws = make_ws()
    export = tmp_path / "e.csv"
    export.write_text("Your name\nJean Dupont\nDUPONT Jean\n", "utf-8")
    assert cli(ws, "signon", "import", str(export), "--group", "g").exit_code == 0
    rows = _rows(ws / "signatories/g.csv")
    assert [(r["id"], r["groups"], r["extra:review"]) for r in rows] == [
        ("jean-dupont", "g", ""),
        ("dupont-jean", "", "looks like line 2 “Jean Dupont”")]


def test_a_file_kept_with_windows_line_ends_and_semicolons(make_ws, cli, tmp_path):
    ws = make_ws()
    (ws / "signatories/g.csv").write_bytes(
        b"\xef\xbb\xbfid;organisation;groups\r\nhrc-baku;Human Rights Club;g\r\n")
    export = tmp_path / "e.csv"
    export.write_text("Organisation name\nHuman rights club\nIPHR\n", "utf-16")
    result = cli(ws, "signon", "import", str(export), "--group", "g")
    assert result.exit_code == 0, result.stderr
    assert (ws / "signatories/g.csv").read_bytes() == (
        b"\xef\xbb\xbfid;organisation;groups\r\nhrc-baku;Human Rights Club;g\r\niphr;IPHR;g\r\n")
    assert "(as UTF-16)" in result.stdout.splitlines()[0]
    assert "  line 2 “Human rights club” = hrc-baku “Human Rights Club”" in \
        result.stdout.splitlines()


def test_three_thousand_responses_stay_quick():
    """Close names are looked for among names sharing a word or an end, not every pair."""
    import random
    import string
    import time

    from clarion.review.signon import import_signon
    rng = random.Random(1)
    lines = ["Organisation name,Your name,Country"]
    for i in range(3000):
        name = " ".join("".join(rng.choice(string.ascii_lowercase)
                                for _ in range(rng.randint(4, 9))) for _ in range(3)).title()
        lines.append(f"{name if i % 2 else ''},{name},France")
    started = time.perf_counter()
    result = import_signon(("\n".join(lines) + "\n").encode(), "x.csv", None, "s.csv", "g")
    assert len(result.entries) == 3000
    assert time.perf_counter() - started < 30
