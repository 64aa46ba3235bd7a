"""clarion alerts: events in the window around --today, soonest first, in text and JSON."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import REPO, flat, pdf_text, write_files

FILES = {name: textwrap.dedent(text) for name, text in {
    "clarion.yaml": """\
        organisation: {name: Test Rights Group}
        """,
    "signatories/trg.yaml": "organisation: Test Rights Group\n",
    "cases/alayif-hasanov.yaml": """\
        name: Alayif Hasanov
        status: charged
        status_as_of: 2014-10-06
        events:
          - id: trial-2014-10-08
            date: 2014-10-08
            time: "10:00"
            type: hearing
            place: Baku
            court: Yasamal District Court
            text: Trial on a criminal libel complaint.
            sources: [iphr]
          - id: hearing-2014-09-29
            date: 2014-09-29
            type: hearing
            place: Baku
            text: First hearing.
            sources: [iphr]
        sources:
          iphr: {title: Who is next?, publisher: IPHR, date: 2014-10-06}
        """,
    "cases/khadija-ismayilova.yaml": """\
        name: Khadija Ismayilova
        status: charged
        status_as_of: 2014-10-06
        events:
          - id: trial-2014-10-09
            date: 2014-10-09
            type: hearing
            place: Baku
            text: Trial in the criminal libel case.
            sources: [iphr]
          - id: detention-2014-10-03
            date: 2014-10-03
            type: detention
            place: Baku airport
            text: Held for a short time on her return.
            sources: [iphr]
          - id: visit-2014-10-07
            date: 2014-10-07
            type: other
            text: PRIVATE-MARKER planned visit route (fictional)
            private: true
          - id: appeal-2014-10-21
            date: 2014-10-21
            type: appeal
            place: Baku
            text: Appeal, outside a 14-day window.
            sources: [iphr]
        sources:
          iphr: {title: Who is next?, publisher: IPHR, date: 2014-10-06}
        """,
}.items()}


@pytest.fixture
def ws(tmp_path):
    return write_files(tmp_path / "ws", FILES)


def test_text_lists_the_next_days_soonest_first(ws, cli):
    result = cli(ws, "alerts", "--today", "2014-10-06")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "2014-10-08 10:00  Alayif Hasanov  hearing  Yasamal District Court, Baku — Trial on a "
        "criminal libel complaint.",
        "2014-10-09  Khadija Ismayilova  hearing  Baku — Trial in the criminal libel case.",
    ]
    assert "PRIVATE-MARKER" not in result.stdout + result.stderr


def test_window_ends_are_included(ws, cli):
    lines = cli(ws, "alerts", "--today", "2014-10-07", "--within", "14").stdout.splitlines()
    assert [x[:10] for x in lines] == ["2014-10-08", "2014-10-09", "2014-10-21"]
    lines = cli(ws, "alerts", "--today", "2014-10-08", "--within", "0").stdout.splitlines()
    assert [x[:10] for x in lines] == ["2014-10-08"]


def test_since_adds_the_days_before_today(ws, cli):
    lines = cli(ws, "alerts", "--today", "2014-10-06", "--since", "7",
                "--within", "3").stdout.splitlines()
    assert [x.split("  ")[0][:10] for x in lines] == ["2014-09-29", "2014-10-03", "2014-10-08",
                                                      "2014-10-09"]
    lines = cli(ws, "alerts", "--today", "2014-10-06", "--since", "6",
                "--within", "3").stdout.splitlines()
    assert [x[:10] for x in lines] == ["2014-10-03", "2014-10-08", "2014-10-09"]


def test_json(ws, cli):
    result = cli(ws, "alerts", "--today", "2014-10-06", "--since", "3", "--format", "json")
    events = json.loads(result.stdout)["events"]
    assert [(e["date"], e["case"], e["type"]) for e in events] == [
        ("2014-10-03", "khadija-ismayilova", "detention"),
        ("2014-10-08", "alayif-hasanov", "hearing"),
        ("2014-10-09", "khadija-ismayilova", "hearing")]
    first = events[1]
    assert {k: first[k] for k in ("name", "event", "place", "court", "text")} == {
        "name": "Alayif Hasanov", "event": "trial-2014-10-08", "place": "Baku",
        "court": "Yasamal District Court", "text": "Trial on a criminal libel complaint."}
    assert events[0]["court"] is None
    assert "PRIVATE-MARKER" not in result.stdout


def test_build_writes_markdown_and_pdf(ws, cli):
    result = cli(ws, "alerts", "--today", "2014-10-06", "--build")
    assert result.exit_code == 0, result.lines
    folder = ws / "build" / "alerts" / "2014-10-06"
    assert sorted(p.name for p in folder.iterdir()) == [
        "alerts-2014-10-06.md", "alerts-2014-10-06.pdf", "manifest.json"]
    # made like every document: listed in a sealed manifest with what it read
    entries = {e["file"]: e for e in json.loads((folder / "manifest.json").read_text())["outputs"]}
    assert set(entries) == {"alerts-2014-10-06.md", "alerts-2014-10-06.pdf"}
    assert "case:*" in entries["alerts-2014-10-06.pdf"]["reads"]
    again = cli(ws, "alerts", "--today", "2014-10-06", "--build")
    assert again.exit_code == 0 and "wrote" not in again.stderr  # current: nothing rewritten
    md = (folder / "alerts-2014-10-06.md").read_text("utf-8")
    assert md.index("Alayif Hasanov") < md.index("Khadija Ismayilova")
    assert "At liberty, facing charges" in md or "At liberty, on trial since" in md
    assert "appeal" not in md.lower()
    text = flat(pdf_text(folder / "alerts-2014-10-06.pdf"))
    assert "Yasamal District Court" in text and "9 October 2014" in text
    assert "PRIVATE-MARKER" not in md + text


def test_bad_date_is_a_usage_error(ws, cli):
    result = cli(ws, "alerts", "--today", "6 October")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


# --- the real 2014 list of 98 prisoners -------------------------------------------------

def _real_data() -> Path | None:
    candidates = [os.environ.get("CLARION_REAL_DATA", ""),
                  REPO.parent / "shared" / "data" / "az-list-2014",
                  REPO.parent.parent / "shared" / "data" / "az-list-2014"]
    return next((Path(c) for c in candidates if c and (Path(c) / "cases").is_dir()), None)


REAL = _real_data()


@pytest.mark.skipif(REAL is None, reason="shared/data/az-list-2014 not found")
def test_real_list_arrests_in_the_week_before_5_august_2014(tmp_path, cli):
    root = tmp_path / "azlist"
    shutil.copytree(REAL / "cases", root / "cases")
    write_files(root, {"clarion.yaml": "organisation: {name: Test Group}\n"})
    # the expected set, read straight from the YAML
    start, end = dt.date(2014, 7, 29), dt.date(2014, 8, 5)
    expected = set()
    for path in sorted((root / "cases").glob("*.yaml")):
        record = yaml.safe_load(path.read_text("utf-8"))
        for event in record.get("events") or []:
            if event["type"] == "arrest" and start <= event["date"] <= end \
                    and not event.get("private"):
                expected.add((event["date"].isoformat(), path.stem))
    assert expected  # Leyla Yunus and Arif Yunus were arrested on 30 July 2014
    result = cli(root, "alerts", "--today", "2014-08-05", "--since", "7", "--within", "0",
                 "--format", "json")
    assert result.exit_code == 0, result.lines[:5]
    events = json.loads(result.stdout)["events"]
    arrests = {(e["date"], e["case"]) for e in events if e["type"] == "arrest"}
    assert arrests == expected
    assert [e["date"] for e in events] == sorted(e["date"] for e in events)


def test_stale_status_of_a_listed_case_is_a_warning(ws, cli):
    result = cli(ws, "alerts", "--today", "2015-01-20", "--since", "100", "--within", "0")
    assert result.exit_code == 0
    assert [x[:10] for x in result.stdout.splitlines()] == ["2014-10-21"]
    assert ("cases/khadija-ismayilova.yaml:3: status `charged` of khadija-ismayilova was last "
            "confirmed on 2014-10-06, more than 90 days before 2015-01-20; confirm it before "
            "the alert goes out") in result.stderr
    fresh = cli(ws, "alerts", "--today", "2014-10-20", "--within", "1")
    assert "last confirmed" not in fresh.stderr
