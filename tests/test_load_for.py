"""Loading for some campaigns: a broken file blocks only the campaigns that use it."""
from __future__ import annotations

import pytest
from conftest import BASE

from clarion.errors import ProblemsError
from clarion.pipeline.check import check_workspace, load_for

CASE = "cases/ilgar-mammadov.yaml"
CSV = "recipients/ministers.csv"
OTHER = "cases/emin-huseynov.yaml"
#: a colleague's half-written campaign: its date is not a date yet
DRAFT = {"campaigns/draft.yaml": """\
    kind: statement
    title: Half-written
    date: 2024-13-45
    cases: [ilgar-mammadov]
    """}
#: an unrelated case file with a mistake in it
BROKEN_CASE = {OTHER: """\
    name: Emin Huseynov
    status: jailed
    """}
URGENT = {"campaigns/urgent.yaml": """\
    kind: statement
    title: Ilgar Mammadov must be freed
    date: 2018-07-20
    cases: [ilgar-mammadov]
    body: |
      We call for his release.
    """}
STATUS = ("status: 'jailed' is not one of: detained, pre-trial, imprisoned, house-arrest, "
          "charged, travel-ban, released, exiled, attacked, deceased, missing")


def test_an_urgent_campaign_is_built_despite_broken_files_it_does_not_use(make_ws):
    root = make_ws({**DRAFT, **BROKEN_CASE, **URGENT})
    ws, warnings, blocked, ignored = load_for(root, ["urgent"])
    assert "urgent" in ws.campaigns and "draft" not in ws.campaigns
    assert "emin-huseynov" not in ws.cases and "ilgar-mammadov" in ws.cases
    assert blocked == {}
    shown = [str(p) for p in warnings]
    assert "campaigns/draft.yaml:3: warning: date: '2024-13-45' is not a real date; check the " \
           "month and day (not used by urgent; ignored)" in shown
    assert f"{OTHER}:2: warning: {STATUS} (not used by urgent; ignored)" in shown
    assert sorted(str(p.location) for p in ignored) == ["campaigns/draft.yaml:3", f"{OTHER}:2"]


def test_the_broken_case_blocks_the_campaign_that_names_it(make_ws):
    urgent = URGENT["campaigns/urgent.yaml"].replace("[ilgar-mammadov]", "[emin-huseynov]")
    root = make_ws({**DRAFT, **BROKEN_CASE, "campaigns/urgent.yaml": urgent})
    with pytest.raises(ProblemsError) as e:
        load_for(root, ["urgent"])
    assert [str(p) for p in e.value.problems()] == [f"{OTHER}:2: {STATUS}"]


def test_validate_still_reports_every_error(make_ws):
    ws, problems = check_workspace(make_ws({**DRAFT, **BROKEN_CASE, **URGENT}))
    errors = [str(p) for p in problems if p.severity == "error"]
    assert errors == ["campaigns/draft.yaml:3: date: '2024-13-45' is not a real date; check the "
                      "month and day", f"{OTHER}:2: {STATUS}"]
    assert ws is not None and "urgent" in ws.campaigns


def test_a_campaign_with_errors_of_its_own_is_blocked(make_ws):
    with pytest.raises(ProblemsError) as e:
        load_for(make_ws({**DRAFT, **BROKEN_CASE}), ["draft"])
    assert [str(p) for p in e.value.problems()] == [
        "campaigns/draft.yaml:3: date: '2024-13-45' is not a real date; check the month and day"]


def test_every_campaign_builds_what_is_not_blocked_and_names_the_rest(make_ws):
    reacting = URGENT["campaigns/urgent.yaml"].replace("[ilgar-mammadov]", "[emin-huseynov]")
    root = make_ws({**DRAFT, **BROKEN_CASE, **URGENT, "campaigns/reacting.yaml": reacting})
    ws, warnings, blocked, ignored = load_for(root, None)
    assert {c: [str(p) for p in found] for c, found in blocked.items()} == {
        "draft": ["campaigns/draft.yaml:3: date: '2024-13-45' is not a real date; check the "
                  "month and day"],
        "reacting": [f"{OTHER}:2: {STATUS}"]}
    assert ignored == [] and not [p for p in warnings if "ignored" in p.message]
    assert {"letter", "urgent"} <= set(ws.campaigns)


def test_a_count_of_cases_reads_every_case(make_ws):
    """count_cases() counts every case: a broken one would make the count wrong."""
    counting = URGENT["campaigns/urgent.yaml"].replace(
        "We call for his release.", "{{ count_cases('imprisoned') }} people are in prison.")
    with pytest.raises(ProblemsError) as e:
        load_for(make_ws({**BROKEN_CASE, "campaigns/urgent.yaml": counting}), ["urgent"])
    assert [str(p) for p in e.value.problems()] == [f"{OTHER}:2: {STATUS}"]


def test_a_broken_csv_row_blocks_only_letters_that_go_to_it(make_ws):
    """simon-coveney's row is broken: the letter to the `ministers` group waits (he is in
    it), a letter to the president alone goes ahead, and so does the group letter's
    neighbour in the file, jean-asselborn, when named on his own."""
    row = BASE[CSV].replace("Minister,male,Iveagh", "Minister,mal,Iveagh")
    alone = BASE["campaigns/letter.yaml"].replace(
        "[emmanuel-macron, group:ministers]", "[emmanuel-macron, jean-asselborn]")
    root = make_ws({CSV: row, "campaigns/alone.yaml": alone})
    ws, warnings, _, _ = load_for(root, ["alone"])
    assert "simon-coveney" not in ws.recipients and "jean-asselborn" in ws.recipients
    assert [str(p.location) for p in warnings if "ignored" in p.message] == [f"{CSV}:3"]
    with pytest.raises(ProblemsError) as e:
        load_for(root, ["letter"])
    assert [str(p.location) for p in e.value.problems()] == [f"{CSV}:3"]


def test_a_broken_settings_file_blocks_everything(make_ws):
    root = make_ws({**URGENT, "clarion.yaml": "language: [en\n"})
    for campaigns in (["urgent"], None):
        with pytest.raises(ProblemsError) as e:
            load_for(root, campaigns)
        assert [p.location.path for p in e.value.problems()] == ["clarion.yaml"]
        assert e.value.problems()[0].code == "yaml-syntax"


def test_a_refused_template_blocks_only_the_campaigns_of_its_kind(make_ws, tmp_path):
    (tmp_path / "elsewhere.html").write_text("x")
    root = make_ws(URGENT)
    (root / "templates").mkdir()
    (root / "templates/press-reaction.html").symlink_to(tmp_path / "elsewhere.html")
    loaded = load_for(root, ["urgent", "letter"])
    assert "urgent" in loaded.ws.campaigns and "letter" in loaded.ws.campaigns
    warnings = loaded.warnings
    assert [str(p) for p in warnings if p.code == "link-outside"] == [
        "templates/press-reaction.html: warning: is a link to a file outside the workspace; "
        "copy the file in instead (not used by urgent, letter; ignored)"]
    (root / "templates/press-reaction.html").unlink()
    (root / "templates/statement.html").symlink_to(tmp_path / "elsewhere.html")
    with pytest.raises(ProblemsError) as e:
        load_for(root, ["urgent", "letter"])
    assert [str(p) for p in e.value.problems()] == [
        "templates/statement.html: is a link to a file outside the workspace; copy the file in "
        "instead"]


def test_a_broken_item_of_a_list_file_blocks_only_campaigns_it_signs(make_ws):
    signatories = "signatories/groups.yaml"
    typo = BASE[signatories].replace("country: Azerbaijan", "countyr: Azerbaijan")
    by_trg = BASE["campaigns/letter.yaml"].replace("[trg, hrc]", "[trg]")
    root = make_ws({signatories: typo, "campaigns/by-trg.yaml": by_trg})
    ws, warnings, _, _ = load_for(root, ["by-trg"])
    assert set(ws.signatories) == {"trg"}
    assert [str(p.location) for p in warnings if "ignored" in p.message] == [f"{signatories}:9"]
    with pytest.raises(ProblemsError) as e:
        load_for(root, ["letter"])
    assert [str(p) for p in e.value.problems()] == [
        f"{signatories}:9: unknown field `countyr`; did you mean `country`?"]
