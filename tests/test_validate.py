"""`clarion validate`: every rule reports the exact file and line, then exits 1."""
from __future__ import annotations

import pytest
from conftest import BASE

from clarion.workspace.load import load_workspace, read_workspace

CASE = "cases/ilgar-mammadov.yaml"
LETTER = "campaigns/letter.yaml"
CSV = "recipients/ministers.csv"


def plant(path: str, old: str, new: str) -> dict:
    text = BASE[path]
    assert old in text, f"{old!r} not in {path}"
    return {path: text.replace(old, new, 1)}


DEFECTS = {
    "wrong enum": (plant(CASE, "status: imprisoned", "status: jailed"),
                   f"{CASE}:6: status: 'jailed' is not one of: detained, pre-trial, imprisoned, "
                   "house-arrest, charged, travel-ban, released, exiled, attacked, deceased, missing"),
    "misspelled field": (plant(CASE, "status_as_of:", "status_asof:"),
                         f"{CASE}:7: unknown field `status_asof`; did you mean `status_as_of`?"),
    "unknown field, no close match": (plant(CASE, "country:", "xyzzy: red\n        country:"),
                                      f"{CASE}:4: unknown field `xyzzy`; put free fields under "
                                      "`extra:`"),
    "unknown case": (plant(LETTER, "cases: [ilgar-mammadov]", "cases: [ilgar-mamadov]"),
                     f"{LETTER}:5: cases: unknown case `ilgar-mamadov`; did you mean "
                     "`ilgar-mammadov`?"),
    "bad date": (plant(CASE, "date: 2013-02-04", "date: 2013-02-30"),
                 f"{CASE}:11: date: '2013-02-30' is not a real date; check the month and day"),
    "date in the wrong form": (plant(LETTER, "date: 2018-07-18", "date: 18/07/2018"),
                               f"{LETTER}:3: date: '18/07/2018' is not a date; write it as "
                               "YYYY-MM-DD"),
    "yaml syntax": (plant(CASE, "  - id: hearing-2018", " - id: hearing-2018"),
                    f"{CASE}:15: YAML syntax error"),
    "duplicate key": (plant(CASE, "gender: male", "gender: male\n        gender: female"),
                      f"{CASE}:4: duplicate key `gender` (first on line 3); keep one"),
    "duplicate csv id": (plant(CSV, "simon-coveney,Simon", "jean-asselborn,Simon"),
                         f"{CSV}:3: duplicate recipient id `jean-asselborn`, already defined at "
                         f"{CSV}:2; ids must be unique"),
    "unknown group": (plant(LETTER, "group:ministers", "group:minsters"),
                      f"{LETTER}:6: recipients: no recipient is in group `minsters`; did you "
                      "mean `ministers`?"),
    "unknown recipient": (plant(LETTER, "[emmanuel-macron,", "[emmanuel-macronn,"),
                          f"{LETTER}:6: recipients: unknown recipient `emmanuel-macronn`; did "
                          "you mean `emmanuel-macron`?"),
    "unknown signatory": (plant(LETTER, "[trg, hrc]", "[trg, hcr]"),
                          f"{LETTER}:7: signatories: unknown signatory `hcr`; did you mean "
                          "`hrc`?"),
    "unknown template": (plant(LETTER, "kind: open-letter", "kind: open-letter\n        "
                               "template: fancy-letter"),
                         f"{LETTER}:2: template `fancy-letter` not found in templates/ or the "
                         "built-in templates"),
    "unknown source key": (plant(CASE, "sources: [echr]", "sources: [echo]"),
                           f"{CASE}:10: sources: `echo` is not a key of this case's `sources`; "
                           "did you mean `echr`?"),
    "missing required field": (plant(CASE, "        status: imprisoned\n", ""),
                               f"{CASE}:1: missing required field `status`"),
    "missing event type": (plant(CASE, "            type: arrest\n", ""),
                           f"{CASE}:10: missing required field `type`"),
    "bad id in a file name": ({"cases/Ilgar_M.yaml": "name: X\nstatus: detained\n"},
                              "cases/Ilgar_M.yaml:1: file name 'Ilgar_M' is not a valid id"),
    "explicit id differs from stem": (plant(CASE, "name: Ilgar", "id: ilgar\n        name: Ilgar"),
                                      f"{CASE}:1: id 'ilgar' must equal the file name "
                                      "'ilgar-mammadov'; change one"),
    "bad id in a list": (plant("signatories/groups.yaml", "id: hrc", "id: HRC"),
                         "signatories/groups.yaml:7: id: 'HRC' is not a valid id"),
    "list item without id": (plant("signatories/groups.yaml", "- id: hrc\n            organisation",
                                   "- organisation"),
                             "signatories/groups.yaml:7: missing required field `id`"),
    "duplicate id across files": ({"recipients/more.yaml": "recipients:\n  - id: emmanuel-macron\n"
                                   "    name: E. Macron\n"},
                                  "recipients/more.yaml:2: duplicate recipient id "
                                  "`emmanuel-macron`, already defined at "
                                  "recipients/emmanuel-macron.yaml:1"),
    "wrong type": (plant(CASE, "roles: [opposition politician]", "roles: opposition politician"),
                   f"{CASE}:5: roles: must be a list"),
    "not a boolean": (plant(CASE, "            type: arrest\n",
                                        "            type: arrest\n            private: yes\n"),
                      f"{CASE}:13: private: 'yes' is not true or false"),
    "bad csv enum": (plant(CSV, "Minister,male,Iveagh", "Minister,man,Iveagh"),
                     f"{CSV}:3: gender: 'man' is not one of: male, female, other"),
    "press reaction event": ({"campaigns/reaction.yaml": "kind: press-reaction\ntitle: T\n"
                              "date: 2018-07-21\ncases: [ilgar-mammadov]\n"
                              "event: {case: ilgar-mammadov, event: hearing-2019}\n"},
                             "campaigns/reaction.yaml:5: event: case `ilgar-mammadov` has no event "
                             "`hearing-2019`; did you mean `hearing-2018`?"),
    "aliases refused": (plant(CASE, "country: Azerbaijan", "country: &c Azerbaijan\n"
                              "        extra: {home: *c}"),
                        f"{CASE}:5: YAML aliases (*c) are not allowed; write the value out"),
    "body syntax error": (plant(LETTER, "{{ case.name }}", "{{ case.name }"),
                          f"{LETTER}:12: template syntax error"),
}


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_each_defect_is_reported_at_its_line(make_ws, cli, name):
    changes, expected = DEFECTS[name]
    result = cli(make_ws(changes), "validate")
    assert result.exit_code == 1
    assert any(line.startswith(expected) for line in result.lines), result.lines


def test_the_base_workspace_is_clean(make_ws, cli):
    result = cli(make_ws(), "validate")
    assert result.exit_code == 0, result.lines
    assert result.stderr.startswith("ok: 1 cases, 3 recipients, 2 signatories, 1 campaigns")


def test_all_problems_are_reported_sorted_in_one_run(make_ws, cli):
    changes = {**plant(CASE, "status: imprisoned", "status: jailed"),
               **plant(LETTER, "[trg, hrc]", "[trg, nobody]")}
    changes[CASE] = changes[CASE].replace("gender: male", "gender: mail")
    result = cli(make_ws(changes), "validate")
    assert result.exit_code == 1
    located = [line for line in result.stdout.splitlines() if ": " in line]
    assert [line.split(": ")[0] for line in located] == [f"{LETTER}:7", f"{CASE}:3",
                                                         f"{CASE}:6"]
    assert "3 problem(s) found" in result.stderr


def test_thirty_bad_csv_rows_give_thirty_located_lines(make_ws, cli):
    rows = "".join(f"bad-{i},Name {i},,,robot,,,,,\n" for i in range(30))
    changes = {CSV: "id,name,title,honorific,gender,address,country,language,email,groups\n"
               + rows}
    result = cli(make_ws(changes), "validate")
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith(CSV)]
    assert len(lines) == 30
    assert lines[0] == f"{CSV}:2: gender: 'robot' is not one of: male, female, other"
    assert lines[-1].startswith(f"{CSV}:31: ")


def test_yaml_1_1_surprises_keep_the_text(make_ws):
    ws, _problems = load_workspace(make_ws({
        "recipients/norway.yaml": "name: Anniken Huitfeldt\ncountry: NO\naddress: [0032 Oslo]\n",
        "recipients/list.yaml": "recipients:\n  - id: '0123'\n    name: Zero\n"
                                "  - id: 0124\n    name: Plain zero\n    country: yes\n",
        "cases/x.yaml": "name: X\nstatus: detained\ncharges:\n  - {article: 1.10}\n",
    }))
    assert ws.recipients["norway"].country == "NO"
    assert ws.recipients["norway"].address == ("0032 Oslo",)
    assert ws.recipients["0124"].name == "Plain zero"
    assert ws.recipients["0124"].country == "yes"
    assert ws.cases["x"].charges[0].article == "1.10"


def test_values_keep_their_location(make_ws):
    ws, _ = load_workspace(make_ws())
    case = ws.cases["ilgar-mammadov"]
    assert str(case.events[1].loc) == f"{CASE}:15"
    assert str(case.locs["status"]) == f"{CASE}:6"
    assert str(ws.recipients["simon-coveney"].loc) == f"{CSV}:3"


def test_csv_multi_values_and_bom_and_crlf(make_ws):
    text = "\ufeff" + BASE[CSV].replace("        ", "").replace("\n", "\r\n")
    ws, _ = load_workspace(make_ws({CSV: text.encode("utf-8")}))
    r = ws.recipients["jean-asselborn"]
    assert r.address == ("4 rue du Palais", "1911 Luxembourg")
    assert r.groups == ("ministers", "eu")
    assert ws.recipients["simon-coveney"].email is None


def test_warnings_do_not_fail_validation(make_ws, cli):
    result = cli(make_ws({"campaigns/statement.yaml": "kind: statement\ntitle: T\n"
                          "date: 2018-07-18\nrecipients: [emmanuel-macron]\n"}), "validate")
    assert result.exit_code == 0
    assert "campaigns/statement.yaml:4: warning: recipients: only open letters go to " \
           "recipients" in result.stderr


def test_unreadable_workspace_folder(tmp_path, cli):
    result = cli(tmp_path / "missing", "validate")
    assert result.exit_code == 1
    assert f"{tmp_path / 'missing'}: workspace folder not found" in result.lines


def test_read_workspace_returns_problems_without_raising(make_ws):
    """The workspace comes back with the broken record left out, and its one problem."""
    ws, problems = read_workspace(make_ws(plant(CASE, "status: imprisoned", "status: jailed")))
    assert ws is not None and len(problems) == 1
    assert "ilgar-mammadov" not in ws.cases and "letter" in ws.campaigns
    assert str(problems[0]).startswith(f"{CASE}:6: status: 'jailed' is not one of")


def test_an_unknown_csv_column_is_one_warning_and_ignored(make_ws, cli):
    """A spreadsheet's extra column does not stop the workspace: one warning at line 1, with a
    close match, and the column is left out."""
    result = cli(make_ws(plant(CSV, "email,groups", "emial,groups")), "validate")
    assert result.exit_code == 0, result.output
    assert [line for line in (result.stdout + result.stderr).splitlines() if "emial" in line] == [
        f"{CSV}:1: warning: column `emial` is not a field and is ignored; did you mean "
        "`email`?"]


def test_campaign_may_repeat_its_own_id(make_ws, cli):
    assert cli(make_ws(plant(LETTER, "kind:", "id: letter\n        kind:")), "validate") \
        .exit_code == 0
    result = cli(make_ws(plant(LETTER, "kind:", "id: other\n        kind:")), "validate")
    assert f"{LETTER}:1: id 'other' must equal the file name 'letter'; change one" in result.lines


def test_extra_must_be_a_mapping(make_ws, cli):
    result = cli(make_ws(plant(CASE, "country:", "extra: loose text\n        country:")),
                 "validate")
    assert f"{CASE}:4: extra: must be a mapping of free fields (name: value)" in result.lines


def test_cite_keys_are_checked(make_ws, cli):
    result = cli(make_ws(plant(LETTER, "cite('echr')", "cite('echrr')")), "validate")
    assert f"{LETTER}:12: cite: no source `echrr` in the cases of this campaign; did you mean " \
           "`echr`?" in result.lines


def test_a_template_needs_both_files(make_ws, cli):
    ws = make_ws({**plant(LETTER, "kind: open-letter", "kind: open-letter\n        template: mine"),
                  "templates/mine.html": "<p>{{ body }}</p>"})
    assert f"{LETTER}:2: template `mine.md` not found in templates/ or the built-in templates; " \
           "a template needs both its .html and its .md file" in cli(ws, "validate").lines


def test_spreadsheet_csv_with_an_empty_last_column(make_ws):
    csv = BASE[CSV].replace("email,groups\n", "email,groups,\n").replace(
        "ministers | eu\n", "ministers | eu,\n").replace(",,ministers\n", ",,ministers,\n")
    ws, _ = load_workspace(make_ws({CSV: csv}))
    assert ws.recipients["simon-coveney"].groups == ("ministers",)


def test_semicolon_separated_csv(make_ws):
    csv = "id;name;address;groups\nm1;Marie Dupont, née Martin;1 rue X | 75001 Paris;ministers\n"
    ws, _ = load_workspace(make_ws({CSV: csv}))
    assert ws.recipients["m1"].name == "Marie Dupont, née Martin"
    assert ws.recipients["m1"].address == ("1 rue X", "75001 Paris")


MANY_MISTAKES = {
    **plant(CASE, "status: imprisoned", "status: jailed"),
    **plant("recipients/emmanuel-macron.yaml", "gender: male", "gender: mal"),
    **plant(LETTER, "cases: [ilgar-mammadov]", "cases: [ilgar-mamadov]"),
    **{LETTER: plant(LETTER, "cases: [ilgar-mammadov]", "cases: [ilgar-mamadov]")[LETTER]
       .replace("signatories: [trg, hrc]", "signatories: [trg, hrx]")},
    CSV: BASE[CSV].replace("groups\n", "groups,Fax\n", 1),
    "cases/leyla-yunus.yaml": """\
        name: Leyla Yunus
        status: released
        sources:
          hrw: {title: Leyla Yunus freed, publisher: HRW}
        """,
    "campaigns/statement.yaml": """\
        kind: statement
        title: Leyla Yunus
        date: 2016-04-10
        cases: [leyla-yunus]
        signatories: [trg]
        template: custom
        body: |
          {{ case.name }} has been held since {{ case.held_sinse }}.
          We repeat: {{ case.nmae }}.{{ cite('hrww') }}
          {{ campaign.titel }}
        """,
    "templates/custom.md": "{{ body }}\n\n{{ campaign.subjet }}\n",
    "templates/custom.html": "<html><body>{{ body }}</body></html>\n",
    "campaigns/alert.yaml": """\
        kind: alert
        title: Watch
        date: 2016-04-10
        body: |
          Fine line.
          {% if %}broken{% endif %}
        """,
    "campaigns/odd.yaml": "kind: letter\ntitle: Odd\ndate: 2016-04-10\n",
}


def test_many_mistakes_are_all_reported_in_one_run(make_ws):
    from clarion.pipeline.check import check_workspace
    ws, problems = check_workspace(make_ws(MANY_MISTAKES))
    assert ws is not None and "ilgar-mammadov" not in ws.cases  # the broken records left out
    errors = sorted(str(p) for p in problems if p.severity == "error")
    expected = [
        "campaigns/alert.yaml:6: template syntax error",
        f"{LETTER}:5: cases: unknown case `ilgar-mamadov`; did you mean `ilgar-mammadov` "
        "(its file has errors of its own)",
        f"{LETTER}:7: signatories: unknown signatory `hrx`; did you mean `hrc`?",
        "campaigns/odd.yaml:1: kind: 'letter' is not one of",
        "campaigns/statement.yaml:8: case has no field 'held_sinse'; did you mean `held_since`?",
        "campaigns/statement.yaml:9: case has no field 'nmae'; did you mean `name`?",
        "campaigns/statement.yaml:9: cite: no source `hrww` in the cases of this campaign; "
        "did you mean `hrw`?",
        "campaigns/statement.yaml:10: campaign has no field 'titel'; did you mean `title`?",
        f"{CASE}:6: status: 'jailed' is not one of",
        "recipients/emmanuel-macron.yaml:4: gender: 'mal' is not one of",
        "templates/custom.md:3: campaign has no field 'subjet'; did you mean `subject`?",
    ]
    for want in expected:
        assert sum(e.startswith(want) for e in errors) == 1, (want, errors)
    assert len(errors) == len(expected), errors  # nothing else: no knock-on errors


def test_spreadsheet_headers_match_fields_loosely(make_ws):
    """`ID`, `Name `, `E-mail`: matched to id, name, email; a newline in an address cell and
    `|` both end an address line; `salutation:fr` is the French form beside the plain one."""
    ws, problems = read_workspace(make_ws({CSV: (
        'ID,Name ,E-mail,Address,Country,salutation,Salutation:FR, Groups\n'
        'jean-asselborn,Jean Asselborn,ja@example.org,"4 rue du Palais\n1911 Luxembourg",'
        'Luxembourg,"Dear Minister,","Monsieur le Ministre,",ministers\n'
        'simon-coveney,Simon Coveney,,"Iveagh House | 80 St Stephen\'s Green\nDublin 2",Ireland,'
        ',,ministers\n')}))
    assert ws is not None, problems
    jean, simon = ws.recipients["jean-asselborn"], ws.recipients["simon-coveney"]
    assert (jean.name, jean.email) == ("Jean Asselborn", "ja@example.org")
    assert jean.address == ("4 rue du Palais", "1911 Luxembourg")
    assert simon.address == ("Iveagh House", "80 St Stephen's Green", "Dublin 2")
    assert jean.salutation.pick("fr") == ("Monsieur le Ministre,", False)
    assert jean.salutation.pick("en") == ("Dear Minister,", False)
    assert jean.salutation.pick("ru") == ("Dear Minister,", False)  # the plain column: any
    assert simon.salutation is None and simon.email is None


def test_unknown_column_reported_once_even_when_rows_leave_it_empty(make_ws):
    _, problems = read_workspace(make_ws({CSV: BASE[CSV].replace("groups\n", "groups,Fax\n", 1)}))
    assert [str(p) for p in problems] == [
        f"{CSV}:1: warning: column `Fax` is not a field and is ignored; to keep it, name it "
        "`extra:fax`"]


def test_the_original_is_rendered_even_when_every_recipient_reads_a_translation(make_ws):
    from clarion.pipeline.check import check_workspace
    letter = BASE[LETTER].replace("recipients: [emmanuel-macron, group:ministers]",
                                  "recipients: [emmanuel-macron]").replace(
        "We write about {{ case.name }}.", "Dear {{ recipient.name }}, {{ case.name }}.").rstrip(" ") + \
        "        translations:\n          fr:\n            body: Bonjour {{ recipient.name }}.\n"
    macron = BASE["recipients/emmanuel-macron.yaml"].rstrip(" ") + "        language: fr\n"
    files = {LETTER: letter, "recipients/emmanuel-macron.yaml": macron}
    ws, problems = check_workspace(make_ws(files))
    assert ws is not None, [str(p) for p in problems]
    files[LETTER] = letter.replace("Dear {{ recipient.name }}", "Dear {{ recipient.nmae }}")
    ws, problems = check_workspace(make_ws(files))
    assert [str(p) for p in problems if p.severity == "error"] == [
        f"{LETTER}:12: recipient has no field 'nmae'; did you mean `name`?"]


def test_an_edited_workspace_template_is_compiled_afresh(make_ws):
    """Compiled templates are shared between documents, never across an edit of the file."""
    from clarion.pipeline.check import check_workspace
    files = {"templates/statement.md": "{{ body }}\n", "templates/statement.html": "{{ body }}\n",
             "campaigns/st.yaml": "kind: statement\ntitle: T\ndate: 2016-04-10\n"}
    root = make_ws(files)
    assert check_workspace(root)[0] is not None
    (root / "templates" / "statement.md").write_text("{{ body }}\n{{ campaign.titel }}\n")
    _, problems = check_workspace(root)
    assert [str(p) for p in problems] == [
        "templates/statement.md:2: campaign has no field 'titel'; did you mean `title`?"]
