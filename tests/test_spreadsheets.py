"""Spreadsheets as people keep them: no id column, their own column names, extra columns."""
from __future__ import annotations

from conftest import BASE

from clarion.workspace.derived import slug, unique
from clarion.workspace.load import read_workspace

RECIPIENTS = "recipients/ministers.csv"
SIGNERS = "signatories/signers.csv"


def _no_ministers(files: dict[str, str]) -> dict[str, str | None]:
    """The base workspace with its own ministers.csv replaced (the letter still reaches the
    group `ministers`)."""
    return {RECIPIENTS: None, **files}


def test_a_notes_column_is_one_warning_and_the_build_works(make_ws, cli):
    ws_path = make_ws({RECIPIENTS: BASE[RECIPIENTS].replace("groups\n", "groups,Notes\n", 1)
                       .replace("ministers | eu\n", "ministers | eu,called on 3 May\n")})
    ws, problems = read_workspace(ws_path)
    assert [str(p) for p in problems] == [
        f"{RECIPIENTS}:1: warning: column `Notes` is not a field and is ignored; to keep it, "
        "name it `extra:notes`"]
    assert ws is not None and ws.recipients["jean-asselborn"].extra == {}
    result = cli(ws_path, "build", "letter", "--format", "md", "--no-sign")
    assert result.exit_code == 0, result.stderr
    assert "Jean Asselborn" in (ws_path / "build/letter/jean-asselborn.md").read_text("utf-8")


def test_an_extra_column_keeps_its_value(make_ws):
    ws, problems = read_workspace(make_ws({
        RECIPIENTS: BASE[RECIPIENTS].replace("groups\n", "groups,extra:Notes\n", 1)
        .replace("ministers | eu\n", "ministers | eu,called on 3 May\n")}))
    assert problems == [] and ws is not None
    assert ws.recipients["jean-asselborn"].extra == {"notes": "called on 3 May"}


def test_rows_without_ids_get_them_from_their_names(make_ws):
    ws, problems = read_workspace(make_ws(_no_ministers({RECIPIENTS: """\
        Name,Title,Groups
        Stefan Löfven,Prime Minister of Sweden,ministers
        Jean-Luc Mélenchon,Deputy,ministers
        Ricardo Égüez,Minister,ministers
        Ильгар Мамедов,Journalist,ministers
        """})))
    assert problems == [], [str(p) for p in problems]
    assert ws is not None
    assert sorted(ws.recipients) == ["emmanuel-macron", "ilgar-mamedov", "jean-luc-melenchon",
                                     "ricardo-eguez", "stefan-lofven"]
    assert ws.recipients["stefan-lofven"].name == "Stefan Löfven"


def test_the_examples_of_the_issue_transliterate():
    assert [slug(n) for n in ("Löfven", "Mélenchon", "Égüez", "O'Brien & Co.")] == [
        "lofven", "melenchon", "eguez", "obrien-co"]
    assert slug("x" * 70 + " tail") == "x" * 64
    assert unique("lofven", {"lofven", "lofven-2"}) == "lofven-3"


def test_clashing_made_ids_are_numbered_in_order_and_noted_once(make_ws):
    ws, problems = read_workspace(make_ws(_no_ministers({RECIPIENTS: """\
        name,title,groups
        Stefan Lofven,Prime Minister,ministers
        Stefan Löfven,Former Prime Minister,ministers
        STEFAN LÖFVEN,Deputy,ministers
        """})))
    assert ws is not None
    assert [(r.id, r.title) for r in ws.recipients.values() if r.id != "emmanuel-macron"] == [
        ("stefan-lofven", "Prime Minister"), ("stefan-lofven-2", "Former Prime Minister"),
        ("stefan-lofven-3", "Deputy")]
    assert [(str(p.location), p.severity, p.code) for p in problems] == [
        (f"{RECIPIENTS}:3", "note", "derived-id-clash")]
    assert "line 3: `stefan-lofven-2`, line 4: `stefan-lofven-3`" in problems[0].message


def test_a_made_id_does_not_take_one_already_defined(make_ws):
    ws, _ = read_workspace(make_ws({"signatories/a.yaml": "organisation: A\n",
                                    SIGNERS: "organisation\nA\n"}))
    assert ws is not None and {"a", "a-2"} <= set(ws.signatories)


def test_common_spreadsheet_column_names(make_ws):
    ws, problems = read_workspace(make_ws(_no_ministers({RECIPIENTS: """\
        First name,Last name,Job title,Street,Postcode,City,Country,Preferred language,E-mail address,Group
        Jean,Asselborn,Minister of Foreign Affairs,4 rue du Palais,1911,Luxembourg,Luxembourg,fr,ja@example.org,ministers
        Simon,Coveney,Minister,Iveagh House,,Dublin 2,Ireland,en,,ministers
        """})))
    assert problems == [], [str(p) for p in problems]
    assert ws is not None
    jean = ws.recipients["jean-asselborn"]
    assert (jean.name, jean.title, jean.language, jean.email) == (
        "Jean Asselborn", "Minister of Foreign Affairs", "fr", "ja@example.org")
    assert jean.address == ("4 rue du Palais", "1911 Luxembourg")
    assert ws.recipients["simon-coveney"].address == ("Iveagh House", "Dublin 2")


def test_full_name_and_postal_address(make_ws):
    ws, problems = read_workspace(make_ws(_no_ministers({RECIPIENTS: """\
        Full name,Postal address,Street,City,groups
        Marie Dupont,Ministère | Bureau 4,1 rue X,Paris,ministers
        """})))
    assert problems == [] and ws is not None
    assert ws.recipients["marie-dupont"].address == ("Ministère", "Bureau 4", "1 rue X", "Paris")


def test_signatory_spreadsheet_with_notes_and_no_ids(make_ws):
    ws, problems = read_workspace(make_ws({SIGNERS: """\
        Organisation name,Full name,Position,Country,Notes
        Amnesty International,,,GB,confirmed by phone
        ,Vera Jarach,mother of a disappeared person,AR,
        Human Rights Club,Rasul Jafarov,Chair,AZ,
        """}))
    assert [p.code for p in problems] == ["unknown-column"], [str(p) for p in problems]
    assert ws is not None
    assert ws.signatories["amnesty-international"].person is None
    vera = ws.signatories["vera-jarach"]
    assert (vera.organisation, vera.person, vera.title) == (
        None, "Vera Jarach", "mother of a disappeared person")
    assert ws.signatories["human-rights-club"].person == "Rasul Jafarov"


def test_signatory_groups_column(make_ws):
    ws, problems = read_workspace(make_ws({SIGNERS: """\
        id,organisation,groups
        a,A,signon-2017 | partners
        """}))
    assert problems == [] and ws is not None
    assert ws.signatories["a"].groups == ("signon-2017", "partners")


def test_a_signatory_needs_an_organisation_or_a_person(make_ws):
    ws, problems = read_workspace(make_ws({"signatories/nobody.yaml": "country: BE\n",
                                           SIGNERS: "id,title\nx,Director\n"}))
    assert sorted(str(p) for p in problems) == [
        "signatories/nobody.yaml:1: a signatory needs `organisation` or `person` (or both): "
        "an organisation signs alone, an individual with `person` (and `title` as their role)",
        f"{SIGNERS}:2: a signatory needs `organisation` or `person` (or both): an organisation "
        "signs alone, an individual with `person` (and `title` as their role)"]
    assert ws is not None and "nobody" not in ws.signatories and "x" not in ws.signatories


def test_list_shows_an_individual_signatory_by_name_and_role(make_ws, cli):
    root = make_ws({"signatories/people.csv": "id,person,title,country\n"
                                              "vera,Vera Jarach,mother of a disappeared person,AR\n"})
    result = cli(root, "list", "signatories")
    assert "vera\tVera Jarach\tmother of a disappeared person" in result.stdout.splitlines()
    assert "None" not in result.stdout
