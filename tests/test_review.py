"""Facts that hold on the day: status sentences, counts as of the date, drafts of new files."""
from __future__ import annotations

import datetime as dt
import textwrap

import pytest
from conftest import write_files

from clarion.render.statuses import number_words, status_sentence
from clarion.render.views import held_since, status_on
from clarion.workspace.model import Case, Event, EventType, Gender, Status


def _case(status: Status, gender: Gender, *events: tuple[str, str]) -> Case:
    return Case(id="x", name="X", status=status, gender=gender,
                status_as_of=dt.date(2025, 1, 1),
                events=tuple(Event(date=dt.date.fromisoformat(d), type=EventType(t))
                             for d, t in events))


def _sentence(case: Case, language: str, day: dt.date = dt.date(2025, 1, 2)) -> str:
    locale = {"en": "en_GB", "fr": "fr_FR", "ru": "ru_RU", "az": "az_Latn_AZ"}[language]
    return status_sentence(case, status_on(case, day), day, held_since(case, day), language,
                           locale)


PRE_TRIAL = (Status.PRE_TRIAL, ("2014-06-12", "arrest"))


@pytest.mark.parametrize(("language", "gender", "expected"), [
    ("en", Gender.MALE, "Held in pre-trial detention since 12 June 2014"),
    ("fr", Gender.FEMALE, "En détention provisoire depuis le 12 juin 2014"),
    ("ru", Gender.MALE, "Находится в предварительном заключении с 12 июня 2014\u202fг."),
    ("az", Gender.MALE, "12 iyun 2014-cü il tarixindən istintaq təcridxanasında saxlanılır"),
])
def test_pre_trial_sentence_in_four_languages(language, gender, expected):
    case = _case(Status.PRE_TRIAL, gender, ("2014-06-12", "arrest"))
    assert _sentence(case, language) == expected


@pytest.mark.parametrize(("language", "gender", "expected"), [
    ("en", Gender.MALE, "Released on 17 March 2016"),
    ("fr", Gender.MALE, "Libéré le 17 mars 2016"),
    ("fr", Gender.FEMALE, "Libérée le 17 mars 2016"),
    ("ru", Gender.MALE, "Освобождён 17 марта 2016\u202fг."),
    ("ru", Gender.FEMALE, "Освобождена 17 марта 2016\u202fг."),
    ("az", Gender.FEMALE, "17 mart 2016-cı il tarixində azad edilib"),
])
def test_released_sentence_agrees_with_gender(language, gender, expected):
    case = _case(Status.RELEASED, gender, ("2014-06-12", "arrest"), ("2016-03-17", "pardon"))
    assert _sentence(case, language) == expected


def test_killed_is_dated_by_the_attack():
    case = _case(Status.DECEASED, Gender.MALE, ("2024-09-29", "attack"), ("2024-10-01", "death"))
    # what happened on each day: never "Killed on" the day of the attack beside the death
    assert _sentence(case, "en") == "Attacked on 29 September 2024; died on 1 October 2024"
    assert _sentence(case, "ru") == ("Подвергся нападению 29 сентября 2024\u202fг.; "
                                     "скончался 1 октября 2024\u202fг.")
    same_day = _case(Status.DECEASED, Gender.MALE, ("2024-09-29", "attack"),
                     ("2024-09-29", "death"))
    assert _sentence(same_day, "en") == "Attacked on 29 September 2024; died on 29 September 2024"
    later = _case(Status.DECEASED, Gender.MALE, ("2024-01-02", "attack"), ("2024-10-01", "death"))
    assert _sentence(later, "en") == "Died on 1 October 2024"
    died = _case(Status.DECEASED, Gender.FEMALE, ("2024-10-01", "death"))
    assert _sentence(died, "fr") == "Décédée le 1 octobre 2024"


def test_charged_is_at_liberty_never_detention():
    case = _case(Status.CHARGED, Gender.MALE, ("2014-09-29", "hearing"))
    assert _sentence(case, "en") == "At liberty, on trial since 29 September 2014"
    assert _sentence(case, "ru") == "На свободе, под судом с 29 сентября 2014\u202fг."
    assert "заключени" not in _sentence(case, "ru")
    assert _sentence(_case(Status.CHARGED, Gender.FEMALE), "fr") == \
        "En liberté, poursuivie en justice"


def test_number_words():
    assert [number_words(n, "en") for n in (0, 1, 6, 20, 21)] == [
        "zero", "one", "six", "twenty", "21"]
    assert number_words(1, "fr") == "un" and number_words(1, "fr", "female") == "une"
    assert number_words(6, "ru") == "шесть" and number_words(2, "ru", "female") == "две"
    assert number_words(6, "az") == "altı" and number_words(6, "de") == "6"


# --- counts as of the document's date -------------------------------------------------

COUNT_WS = {name: textwrap.dedent(text) for name, text in {
    "clarion.yaml": "organisation: {name: T}\n",
    "signatories/t.yaml": "organisation: T\n",
    "cases/fresh.yaml": "name: Fresh\nstatus: pre-trial\nstatus_as_of: 2025-01-10\n",
    "cases/fresh-2.yaml": "name: Fresh Two\nstatus: imprisoned\nstatus_as_of: 2024-11-01\n",
    "cases/stale.yaml": "name: Stale\nstatus: imprisoned\nstatus_as_of: 2018-07-18\n",
    "cases/undated.yaml": "name: Undated\nstatus: detained\n",
    "cases/old-record.yaml": """\
        name: Old Spelling
        status: detained
        status_as_of: 2025-01-01
        """,
    "cases/new-record.yaml": """\
        name: New Spelling
        status: imprisoned
        status_as_of: 2025-01-20
        same_person_as: old-record
        """,
    "cases/released.yaml": "name: Freed\nstatus: released\nstatus_as_of: 2025-01-05\n",
    "cases/killed.yaml": "name: Killed\nstatus: deceased\nstatus_as_of: 2020-01-05\n",
    "campaigns/count.yaml": """\
        kind: statement
        title: Count
        date: 2025-01-24
        signatories: [t]
        body: |
          HELD={{ count_cases('detained', 'pre-trial', 'imprisoned') }}
          N={{ count_cases('pre-trial') + 0 }}
          DEAD={{ count_cases('deceased') }}
        """,
}.items()}


def test_count_leaves_out_stale_and_counts_linked_records_once(tmp_path, cli):
    root = write_files(tmp_path / "ws", COUNT_WS)
    result = cli(root, "build", "count", "--format", "md")
    assert result.exit_code == 0, result.lines
    md = (root / "build" / "count" / "count.md").read_text("utf-8")
    # fresh, fresh-2 and one person for old-record/new-record; not stale, undated, released
    assert "HELD=three" in md and "N=1" in md
    assert "DEAD=one" in md  # a death does not go stale
    assert ("count_cases(detained, pre-trial, imprisoned) left out 2 record(s) whose status "
            "was not confirmed in the 90 days before 2025-01-24: stale, undated") in result.stderr


def test_count_follows_freshness_days_and_language(tmp_path, cli):
    root = write_files(tmp_path / "ws", {
        **COUNT_WS, "clarion.yaml": "organisation: {name: T}\nfreshness_days: 10000\n",
        "campaigns/count.yaml": COUNT_WS["campaigns/count.yaml"] + "language: fr\n"})
    assert cli(root, "build", "count", "--format", "md").exit_code == 0
    md = (root / "build" / "count" / "count.md").read_text("utf-8")
    assert "HELD=quatre" in md


def test_unknown_same_person_as_is_a_validation_error(tmp_path, cli):
    root = write_files(tmp_path / "ws", {
        **COUNT_WS, "cases/new-record.yaml": COUNT_WS["cases/new-record.yaml"].replace(
            "same_person_as: old-record", "same_person_as: old-recrod")})
    result = cli(root, "validate")
    assert result.exit_code == 1
    assert ("cases/new-record.yaml:4: same_person_as: unknown case `old-recrod`; did you mean "
            "`old-record`?") in result.lines


# --- clarion new --------------------------------------------------------------------------

def test_new_press_reaction_drafts_from_the_records(example_ws, tmp_path, cli):
    import shutil
    root = tmp_path / "ex"
    shutil.copytree(example_ws, root)
    result = cli(root, "new", "press-reaction", "--case", "vidadi-isgandarli",
                 "--event", "attack-2024-09-29", "--speaker", "iphr")
    assert result.exit_code == 0, result.lines
    path = root / "campaigns" / "vidadi-isgandarli-attack-2024-09-29.yaml"
    text = path.read_text("utf-8")
    assert "title: 'France/Azerbaijan: Attack on" in text
    assert "mahammad-mirzali" in text  # an earlier attack in France, for the background
    assert cli(root, "validate").exit_code == 0
    built = cli(root, "build", path.stem, "--format", "md")
    assert built.exit_code == 0, built.lines
    md = (root / "build" / path.stem / f"{path.stem}.md").read_text("utf-8")
    assert "Reacting to the attack on Azerbaijani human rights defender Vidadi Isgandarli, " \
           "Brigitte Dufour" in md
    assert "## Background" in md and "Mahammad Mirzali" in md
    again = cli(root, "new", "press-reaction", "--case", "vidadi-isgandarli",
                "--event", "attack-2024-09-29")
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert path.read_text("utf-8") == text
    wrong = cli(root, "new", "press-reaction", "--case", "vidadi-isgandarli", "--event", "attack-2024-09-28")
    assert wrong.exit_code == 2 and "did you mean" in wrong.stderr


def test_new_case_and_open_letter_validate_and_never_overwrite(make_ws, cli):
    root = make_ws()
    assert cli(root, "new", "case", "Tofiq Yaqublu").exit_code == 0
    assert cli(root, "new", "open-letter", "tofiq-letter").exit_code == 0
    assert (root / "cases" / "tofiq-yaqublu.yaml").is_file()
    assert cli(root, "validate").exit_code == 0
    assert cli(root, "build", "tofiq-letter", "--format", "md").exit_code == 0
    before = (root / "cases" / "tofiq-yaqublu.yaml").read_bytes()
    result = cli(root, "new", "case", "Tofiq  Yaqublu")
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert (root / "cases" / "tofiq-yaqublu.yaml").read_bytes() == before
    assert cli(root, "new", "open-letter", "Bad Id").exit_code == 2


def test_new_never_writes_over_a_link_or_through_one(make_ws, cli, tmp_path):
    """`clarion new` creates its file exclusively: a link in the file's place or in place of
    its folder is refused, and nothing is written where it points."""
    root = make_ws()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.yaml").write_text("keep me\n", "utf-8")
    (root / "cases" / "tofiq-yaqublu.yaml").symlink_to(outside / "victim.yaml")
    result = cli(root, "new", "case", "Tofiq Yaqublu")
    assert result.exit_code == 1
    assert "cases/tofiq-yaqublu.yaml: already exists" in result.stderr
    assert (outside / "victim.yaml").read_text("utf-8") == "keep me\n"

    (root / "campaigns").rename(root / "campaigns-old")
    (root / "campaigns").symlink_to(outside, target_is_directory=True)
    result = cli(root, "new", "open-letter", "a-letter")
    assert result.exit_code == 1
    assert "refusing to write through campaigns/" in result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["victim.yaml"]


def test_new_makes_a_missing_folder(make_ws, cli):
    root = make_ws()
    import shutil
    shutil.rmtree(root / "campaigns")
    result = cli(root, "new", "open-letter", "a-letter")
    assert result.exit_code == 0, result.lines
    text = (root / "campaigns" / "a-letter.yaml").read_text("utf-8")
    assert text.startswith("# Open letter written by `clarion new open-letter`")
    assert "kind: open-letter\n" in text
