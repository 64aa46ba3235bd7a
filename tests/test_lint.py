"""clarion lint: each rule found at its file:line, and silent on clean data."""
from __future__ import annotations

import io
import textwrap

import pytest
from conftest import BASE, write_files

TODAY = "2018-07-20"

#: a workspace that lints clean as of TODAY; each test plants one problem
CLEAN = {name: textwrap.dedent(text) for name, text in {
    "clarion.yaml": """\
        organisation: {name: Test Rights Group}
        language: en
        """,
    "cases/ilgar-mammadov.yaml": """\
        name: Ilgar Mammadov
        gender: male
        roles:
          - {en: opposition politician, fr: homme politique d'opposition}
        status: imprisoned
        status_as_of: 2018-07-10
        events:
          - id: arrest-2013
            date: 2013-02-04
            type: arrest
            text: Arrested in Baku.
            sources: [echr]
          - id: hearing-2018
            date: 2018-06-01
            type: hearing
            text: Appeal hearing.
            sources: [echr]
          - id: ruling-2018
            date: 2018-06-05
            type: judgment
            text: Appeal turned down.
            sources: [echr]
        sources:
          echr: {title: Ilgar Mammadov v. Azerbaijan, publisher: ECtHR, date: 2014-05-22}
        private:
          family: SECRET-FAMILY-CONTACT-12345
        """,
    "cases/rasul-jafarov.yaml": """\
        name: Rasul Jafarov
        gender: male
        status: released
        status_as_of: 2018-07-01
        events:
          - id: pardon-2016
            date: 2016-03-17
            type: pardon
            text: Pardoned and released.
            sources: [rferl]
        sources:
          rferl: {title: Pardons, publisher: RFE/RL, date: 2016-03-17}
        """,
    "recipients/emmanuel-macron.yaml": """\
        name: Emmanuel Macron
        honorific: President
        gender: male
        language: fr
        """,
    "signatories/trg.yaml": """\
        organisation: Test Rights Group
        """,
    "campaigns/letter.yaml": """\
        kind: open-letter
        title: Release Ilgar Mammadov
        date: 2018-07-18
        cases: [ilgar-mammadov, rasul-jafarov]
        recipients: [emmanuel-macron]
        signatories: [trg]
        asks:
          - Call for the release of Ilgar Mammadov.
          - Welcome the pardon of Rasul Jafarov in 2016.
        body: |
          We write about {{ case.name }}, {{ case.roles|list_and }}.
        translations:
          fr:
            title: Libérez Ilgar Mammadov
            asks:
              - Appeler à la libération d'Ilgar Mammadov.
              - Saluer la grâce accordée à Rasul Jafarov en 2016.
            body: |
              Nous vous écrivons au sujet de {{ case.name }}, {{ case.roles|list_and }}.
        """,
}.items()}


def line_of(root, rel: str, text: str) -> int:
    for number, line in enumerate((root / rel).read_text("utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {rel}")


@pytest.fixture
def lint_ws(tmp_path):
    def make(changes: dict | None = None):
        root = tmp_path / "ws"
        write_files(root, {**CLEAN, **(changes or {})})
        return root
    return make


def findings(cli, root, *args):
    result = cli(root, "lint", "--today", TODAY, *args)
    return result, [line for line in result.stdout.splitlines() if line]


def test_clean_workspace_lints_clean(lint_ws, cli):
    result, lines = findings(cli, lint_ws())
    assert lines == [] and result.exit_code == 0, result.lines
    assert "clean" in result.stderr


def test_stale_status_points_at_status_as_of(lint_ws, cli):
    root = lint_ws({"cases/ilgar-mammadov.yaml": CLEAN["cases/ilgar-mammadov.yaml"].replace(
        "status_as_of: 2018-07-10", "status_as_of: 2017-01-10")})
    result, lines = findings(cli, root)
    line = line_of(root, "cases/ilgar-mammadov.yaml", "status_as_of:")
    assert result.exit_code == 1
    assert [x for x in lines if "stale-status" in x] == [
        f"cases/ilgar-mammadov.yaml:{line}: stale-status: status `imprisoned` of ilgar-mammadov "
        "was last confirmed on 2017-01-10, more than 90 days before the campaign letter "
        "(2018-07-18); confirm it and update status_as_of"]


def test_stale_status_follows_freshness_days(lint_ws, cli):
    root = lint_ws({"clarion.yaml": CLEAN["clarion.yaml"] + "freshness_days: 5\n"})
    _result, lines = findings(cli, root)
    assert [x.split(": ")[1] for x in lines] == ["stale-status", "stale-status"]


def test_release_ask_for_a_released_person(lint_ws, cli):
    root = lint_ws({"campaigns/letter.yaml": CLEAN["campaigns/letter.yaml"].replace(
        "Welcome the pardon of Rasul Jafarov in 2016.", "Urge the release of Rasul Jafarov.")})
    result, lines = findings(cli, root)
    line = line_of(root, "campaigns/letter.yaml", "Urge the release of Rasul Jafarov")
    assert result.exit_code == 1
    assert lines == [f"campaigns/letter.yaml:{line}: release-ask-released: this ask calls for "
                     "a release, but rasul-jafarov is recorded as released on 2018-07-18; "
                     "reword it"]


def test_release_call_in_the_body(lint_ws, cli):
    root = lint_ws({"campaigns/letter.yaml": CLEAN["campaigns/letter.yaml"].replace(
        "  We write about {{ case.name }}, {{ case.roles|list_and }}.\n",
        "  We write about {{ case.name }}, {{ case.roles|list_and }}.\n\n"
        "  Free {{ cases['rasul-jafarov'].name }} and release him now.\n")})
    _, lines = findings(cli, root)
    line = line_of(root, "campaigns/letter.yaml", "Free {{ cases")
    assert [x.split(": ")[0] for x in lines] == [f"campaigns/letter.yaml:{line}"]
    assert "release-ask-released" in lines[0]


def test_unsourced_event_points_at_the_event(lint_ws, cli):
    root = lint_ws({"cases/rasul-jafarov.yaml": CLEAN["cases/rasul-jafarov.yaml"].replace(
        "    sources: [rferl]\n", "")})
    _result, lines = findings(cli, root)
    line = line_of(root, "cases/rasul-jafarov.yaml", "- id: pardon-2016")
    assert lines == [f"cases/rasul-jafarov.yaml:{line}: unsourced-event: the pardon of "
                     "2016-03-17 in rasul-jafarov has no `sources`; add the report it comes "
                     "from"]


def test_hearing_without_outcome(lint_ws, cli):
    text = CLEAN["cases/ilgar-mammadov.yaml"].replace("date: 2018-06-05", "date: 2018-07-19")
    root = lint_ws({"cases/ilgar-mammadov.yaml": text})
    _, lines = findings(cli, root)
    line = line_of(root, "cases/ilgar-mammadov.yaml", "- id: hearing-2018")
    assert lines == [f"cases/ilgar-mammadov.yaml:{line}: hearing-no-outcome: the hearing of "
                     "2018-06-01 in ilgar-mammadov has no later event by the campaign letter "
                     "(2018-07-18); record what the court decided"]


def test_a_hearing_a_week_ago_is_not_yet_late(lint_ws, cli):
    text = CLEAN["cases/ilgar-mammadov.yaml"].replace("date: 2018-06-01", "date: 2018-07-11")
    text = text.replace("date: 2018-06-05", "date: 2018-07-19")
    _, lines = findings(cli, lint_ws({"cases/ilgar-mammadov.yaml": text}))
    assert lines == []


def test_past_embargo(lint_ws, cli):
    root = lint_ws({"campaigns/reaction.yaml": """\
        kind: press-reaction
        title: Reaction
        date: 2018-07-18
        cases: [ilgar-mammadov]
        signatories: [trg]
        quotes: [{speaker: Jane Doe, text: Free him.}]
        embargo: 2018-07-18T00:01:00+02:00
        """})
    _, lines = findings(cli, root)
    assert lines == ["campaigns/reaction.yaml:7: past-embargo: the embargo of reaction "
                     "(2018-07-18T00:01:00+02:00) has passed; remove `embargo` so the "
                     "documents are no longer marked embargoed"]
    result = cli(root, "lint", "--today", "2018-07-17")
    assert result.exit_code == 0, result.lines


def test_untranslated_case_text_in_a_french_letter(lint_ws, cli):
    root = lint_ws({"cases/ilgar-mammadov.yaml": CLEAN["cases/ilgar-mammadov.yaml"].replace(
        "{en: opposition politician, fr: homme politique d'opposition}",
        "{en: opposition politician}")})
    _, lines = findings(cli, root)
    line = line_of(root, "cases/ilgar-mammadov.yaml", "roles:")
    assert lines == [f"cases/ilgar-mammadov.yaml:{line}: untranslated: case ilgar-mammadov "
                     "roles has no fr version, and the fr document of letter prints it; add "
                     "`fr: …`"]


def test_incomplete_translation(lint_ws, cli):
    text = CLEAN["campaigns/letter.yaml"].replace(
        "      - Saluer la grâce accordée à Rasul Jafarov en 2016.\n", "")
    root = lint_ws({"campaigns/letter.yaml": text})
    _, lines = findings(cli, root)
    line = line_of(root, "campaigns/letter.yaml", "title: Libérez")
    assert lines == [f"campaigns/letter.yaml:{line}: incomplete-translation: the fr "
                     "translation of letter has 1 ask(s), the campaign 2; translate every ask"]


def test_translation_without_body(lint_ws, cli):
    text = CLEAN["campaigns/letter.yaml"].split("    body: |\n      Nous")[0]
    _, lines = findings(cli, lint_ws({"campaigns/letter.yaml": text}))
    assert len(lines) == 1 and "incomplete-translation" in lines[0] and "no body" in lines[0]


def test_no_signatory(lint_ws, cli):
    root = lint_ws({"campaigns/statement.yaml": """\
        kind: statement
        title: A statement
        date: 2018-07-18
        body: Nobody signs this.
        """})
    _, lines = findings(cli, root)
    assert lines == ["campaigns/statement.yaml:1: no-signatory: the statement statement has "
                     "no signatories; add `signatories: [...]`"]


def test_same_person_unlinked_and_linked(lint_ws, cli):
    record = """\
        name: Ilqar Məmmədov
        native_name: Ilgar Mammadov
        status: imprisoned
        status_as_of: 2018-07-10
        """
    root = lint_ws({"cases/ilqar-mammadov.yaml": record})
    _, lines = findings(cli, root)
    assert lines == ["cases/ilqar-mammadov.yaml:1: same-person: ilqar-mammadov and "
                     "ilgar-mammadov look like the same person (same name); if they are, add "
                     "`same_person_as: ilgar-mammadov` so they count once"]
    root = lint_ws({"cases/ilqar-mammadov.yaml": record + "same_person_as: ilgar-mammadov\n"})
    assert findings(cli, root)[1] == []


def test_same_person_told_apart_by_birth_date_and_found_by_alias(lint_ws, cli):
    """The declared `birth_date` tells namesakes apart; a declared alias finds a record
    written under another name."""
    main = "cases/ilgar-mammadov.yaml"
    born = BASE[main].replace("name: Ilgar Mammadov\n", "name: Ilgar Mammadov\n"
                              "        birth_date: 1970-07-14\n", 1)
    namesake = "name: Ilgar Mammadov\nbirth_date: 1991-01-02\nstatus: free\n" \
               "status_as_of: 2018-07-10\n"
    root = lint_ws({main: born, "cases/namesake.yaml": namesake})
    assert not [x for x in findings(cli, root)[1] if "same-person" in x]
    alias = "name: I. Mammadli\naliases: [Ilgar Mammadov]\nstatus: imprisoned\n" \
            "status_as_of: 2018-07-10\n"
    root = lint_ws({"cases/alias.yaml": alias})
    assert [x for x in findings(cli, root)[1] if "same-person" in x] == [
        "cases/ilgar-mammadov.yaml:1: same-person: ilgar-mammadov and alias look like the "
        "same person (same alias); if they are, add `same_person_as: alias` so they count once"]


def test_private_in_output(lint_ws, cli):
    root = lint_ws({"build/letter/emmanuel-macron.md": "# Letter\n\nCall SECRET-FAMILY-CONTACT-"
                                                       "12345 today.\n"})
    _, lines = findings(cli, root)
    assert lines == ["build/letter/emmanuel-macron.md:3: private-in-output: private data of "
                     "ilgar-mammadov (private.family, cases/ilgar-mammadov.yaml) is in this "
                     "output; delete it, fix the template or body, and rebuild"]


def test_private_in_output_reads_html_as_a_reader_sees_it(lint_ws, cli):
    """A private number that a style sheet writes (`::before`, `::after`) is in no line of
    the markup, but whoever opens the page reads it."""
    root = lint_ws({"build/letter/emmanuel-macron.html":
                    '<html><head><style>.n::before { content: "123" } .m::after { content: "45" }'
                    "</style></head><body><p>Call <span class=n></span><span class=m></span> "
                    "today.</p></body></html>\n"})
    _, lines = findings(cli, root)
    assert lines == ["build/letter/emmanuel-macron.html:1: private-in-output: private data of "
                     "ilgar-mammadov (private.family, cases/ilgar-mammadov.yaml) is in this "
                     "output; delete it, fix the template or body, and rebuild"]


def test_private_in_output_reads_a_docx(lint_ws, cli):
    """A .docx in build/ (a partner's edited copy put back, say) is read part by part: here
    the value sits in a footer, which no body text shows."""
    import docx
    document = docx.Document()
    document.add_paragraph("A letter.")
    document.sections[0].footer.paragraphs[0].text = "SECRET-FAMILY-CONTACT-12345"
    buffer = io.BytesIO()
    document.save(buffer)
    root = lint_ws({"build/letter/emmanuel-macron.docx": buffer.getvalue()})
    _, lines = findings(cli, root)
    assert lines == ["build/letter/emmanuel-macron.docx:1: private-in-output: private data of "
                     "ilgar-mammadov (private.family, cases/ilgar-mammadov.yaml) is in this "
                     "output; delete it, fix the template or body, and rebuild"]


def test_built_outputs_are_clean(lint_ws, cli):
    root = lint_ws()
    assert cli(root, "build", "--format", "md", "--format", "pdf").exit_code == 0
    result, lines = findings(cli, root)
    assert lines == [] and result.exit_code == 0


def test_disable_on_the_command_line_and_in_settings(lint_ws, cli):
    root = lint_ws({"cases/rasul-jafarov.yaml": CLEAN["cases/rasul-jafarov.yaml"].replace(
        "    sources: [rferl]\n", "")})
    assert findings(cli, root, "--disable", "unsourced-event")[1] == []
    root = lint_ws({"clarion.yaml": CLEAN["clarion.yaml"] + "lint: {disable: [unsourced-event]}\n",
                    "cases/rasul-jafarov.yaml": CLEAN["cases/rasul-jafarov.yaml"].replace(
                        "    sources: [rferl]\n", "")})
    assert findings(cli, root)[1] == []
    result = cli(root, "lint", "--disable", "unsourced-events")
    assert result.exit_code == 2 and "did you mean `unsourced-event`" in result.stderr


def test_only_the_named_campaign(lint_ws, cli):
    root = lint_ws({"campaigns/statement.yaml": """\
        kind: statement
        title: A statement
        date: 2018-07-18
        body: Nobody signs this.
        """})
    assert findings(cli, root, "letter")[1] == []
    assert cli(root, "lint", "lettre").exit_code == 2


def test_example_workspace_lints_clean(example_ws, cli):
    # the example press reaction quotes the director of the organisation that issues it, so
    # `quote-voice` (planted in tests/test_lint_voices.py) finds nothing here
    result = cli(example_ws, "lint", "--today", "2026-01-01")
    assert result.exit_code == 0, result.lines
    assert not [line for line in result.lines if ": quote-voice:" in line]


UNUSED = """\
name: Emin Huseynov
status: charged
status_as_of: 2018-01-05
events:
  - id: hearing-2018-01-10
    date: 2018-01-10
    type: hearing
    text: First hearing.
    sources: [r]
  - id: hearing-2018-07-25
    date: 2018-07-25
    type: hearing
    text: Next hearing.
    sources: [r]
sources:
  r: {title: Report, publisher: IPHR, date: 2018-01-05}
"""


def test_cases_in_no_campaign_are_judged_on_today(lint_ws, cli):
    root = lint_ws({"cases/emin-huseynov.yaml": UNUSED})
    _, lines = findings(cli, root)
    as_of = line_of(root, "cases/emin-huseynov.yaml", "status_as_of:")
    hearing = line_of(root, "cases/emin-huseynov.yaml", "- id: hearing-2018-01-10")
    assert lines == [
        f"cases/emin-huseynov.yaml:{as_of}: stale-status: status `charged` of emin-huseynov was "
        "last confirmed on 2018-01-05, more than 90 days before today's alerts (2018-07-20); "
        "confirm it and update status_as_of",
        f"cases/emin-huseynov.yaml:{hearing}: hearing-no-outcome: the hearing of 2018-01-10 in "
        "emin-huseynov has no later event by today (2018-07-20); record what the court "
        "decided"]
    # named campaigns only: the case is not looked at
    assert findings(cli, root, "letter")[1] == []
