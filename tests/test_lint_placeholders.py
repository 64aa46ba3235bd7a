"""Lint rule `placeholder`: every marker a reader would see, at its line; never a link, an
e-mail address, a comment or "for example"; and `build --strict` fails on it."""
from __future__ import annotations

import textwrap

import pytest
from conftest import write_files
from test_lint import CLEAN, TODAY, line_of

from clarion.review.lint_placeholders import markers


@pytest.mark.parametrize("text, found", [
    ("TODO: where this is issued", ["TODO"]),
    ("Date TBD, place XXX.", ["TBD", "XXX"]),
    ("Lorem ipsum dolor sit amet", ["Lorem ipsum"]),
    ("lorem\nipsum", ["lorem\nipsum"]),
    ("Example Human Rights Group", ["Example"]),
    ("Signed: John Example, Director", ["Example"]),
    ("an example text to replace", []),
    ("(example)", ["example"]),
    ("FIXME", ["FIXME"]),
    ("Phone: +32 2 XXX XX XX", ["XXX"]),
])
def test_markers_found(text, found):
    assert [text[a:b] for a, b in markers(text)] == found


@pytest.mark.parametrize("text", [
    "See https://example.org/TODO for the report.",
    "Write to press@example.org or to todo@iphr.org.",
    "Visit www.example.com today.",
    "[the report](https://hrw.org/example/XXX)",
    "It is, for example, the third arrest.",
    "This is an example of reprisals.",
    "The court set an example to others.",
    "Many examples exist.",
    "TODOS LOS DERECHOS; MASTODON; TODOs; XXXI Congress; TBDs",
    "example.org and example-based and example_id",
    "{# TODO: check this date #}We write.",
    "Par exemple, le tribunal.",
    "{{ cases['example-case'].name }}",
])
def test_markers_not_found(text):
    assert markers(text) == []


@pytest.fixture
def lint_ws(tmp_path):
    def make(changes: dict | None = None):
        return write_files(tmp_path / "ws", {**CLEAN, **(changes or {})})
    return make


PLANTED = {
    "campaigns/letter.yaml": CLEAN["campaigns/letter.yaml"].replace(
        "title: Release Ilgar Mammadov\n", "title: 'TODO: the headline'\nplace: XXX\n"
        "contact: {name: Press office, email: press@example.org}\n").replace(
        "  - Welcome the pardon of Rasul Jafarov in 2016.\n",
        "  - Welcome the pardon of Rasul Jafarov in 2016.\n  - TBD\n").replace(
        "We write about {{ case.name }}, {{ case.roles|list_and }}.\n",
        "We write about {{ case.name }}, {{ case.roles|list_and }}.\n"
        "  {# TODO: never printed #}See https://example.org/TODO, for example.\n"
        "  Lorem ipsum dolor sit amet.\n").replace(
        "      - Saluer la grâce accordée à Rasul Jafarov en 2016.\n",
        "      - Saluer la grâce accordée à Rasul Jafarov en 2016.\n"
        "      - 'TODO: troisième demande'\n"),
    "recipients/emmanuel-macron.yaml": CLEAN["recipients/emmanuel-macron.yaml"] + (
        "title: Président de la République (TBC)\n"),
    "signatories/trg.yaml": "organisation: Example Human Rights Group\n",
    "cases/ilgar-mammadov.yaml": CLEAN["cases/ilgar-mammadov.yaml"].replace(
        "    text: Appeal hearing.\n", "    text: TODO what was decided\n"),
}


def test_each_marker_at_its_line(lint_ws, cli):
    root = lint_ws(PLANTED)
    result = cli(root, "lint", "--today", TODAY, "--disable", "incomplete-translation",
                 "--disable", "release-ask-released")
    lines = [line for line in result.stdout.splitlines() if ": placeholder: " in line]
    letter = "campaigns/letter.yaml"

    def at(rel: str, text: str) -> str:
        return f"{rel}:{line_of(root, rel, text)}: placeholder: "

    expected = [
        at(letter, "title: 'TODO") + "`title` still says \"TODO: the headline\"; replace the "
        "TODO with the real text before it is printed",
        at(letter, "place: XXX") + "`place` still says \"XXX\"; replace the XXX with the real "
        "text before it is printed",
        at(letter, "  - TBD") + "`asks` item 3 still says \"TBD\"; replace the TBD with the "
        "real text before it is printed",
        at(letter, "Lorem ipsum") + "the body still says \"Lorem ipsum dolor sit amet.\"; "
        "replace the Lorem ipsum with the real text before it is printed",
        at(letter, "TODO: troisième") + "the fr translation's `asks` item 3 still says "
        "\"TODO: troisième demande\"; replace the TODO with the real text before it is printed",
        at("cases/ilgar-mammadov.yaml", "text: TODO") + "case ilgar-mammadov event "
        "hearing-2018 text still says \"TODO what was decided\"; replace the TODO with the "
        "real text before it is printed",
        at("recipients/emmanuel-macron.yaml", "(TBC)") + "recipient emmanuel-macron title "
        "still says \"Président de la République (TBC)\"; replace the TBC with the real text "
        "before it is printed",
        at("signatories/trg.yaml", "Example") + "signatory trg organisation still says "
        "\"Example Human Rights Group\"; replace the Example with the real text before it is "
        "printed",
    ]
    assert sorted(lines) == sorted(expected), result.lines
    assert result.exit_code == 1


def test_a_clean_workspace_has_no_placeholder(lint_ws, cli):
    result = cli(lint_ws(), "lint", "--today", TODAY)
    assert result.exit_code == 0 and "placeholder" not in result.stdout


@pytest.fixture
def draft(make_ws, cli):
    """A workspace with a fresh `clarion new press-reaction` draft: (root, campaign id)."""
    root = make_ws()
    made = cli(root, "new", "press-reaction", "--case", "ilgar-mammadov", "--event",
               "arrest-2013", "--speaker", "trg")
    assert made.exit_code == 0, made.lines
    return root, "ilgar-mammadov-arrest-2013"


def test_every_gap_of_a_new_press_reaction_is_found(draft, cli):
    root, campaign = draft
    result = cli(root, "lint", campaign, "--today", "2018-07-20", "--disable", "stale-status",
                 "--disable", "hearing-no-outcome", "--disable", "unsourced-event")
    rel = f"campaigns/{campaign}.yaml"
    text = (root / rel).read_text("utf-8").splitlines()
    gaps = [n for n, line in enumerate(text, 1) if "TODO" in line and not line.startswith("#")]
    assert len(gaps) >= 5  # place, two quotes' texts, two lines of the body
    found = sorted(int(line.split(":")[1]) for line in result.stdout.splitlines()
                   if ": placeholder: " in line)
    assert found == gaps, result.lines
    assert result.exit_code == 1


def test_build_strict_fails_on_a_fresh_draft(draft, cli):
    root, campaign = draft
    strict = cli(root, "build", campaign, "--format", "md", "--no-sign", "--strict")
    assert strict.exit_code == 1
    assert "warning: placeholder: `place` still says \"TODO: where this is issued\"" \
        in strict.stderr
    assert "--strict makes them fail the build" in strict.stderr
    # without --strict the build goes on, and says what is left to write
    plain = cli(root, "build", campaign, "--format", "md", "--no-sign", "--force")
    assert plain.exit_code == 0
    assert "warning: placeholder: the body still says \"TODO: rewrite as the opening" \
        in plain.stderr
    md = (root / "build" / campaign / f"{campaign}.md").read_text("utf-8")
    assert "TODO: where this is issued" in md  # what the warning is about


def test_build_strict_passes_once_the_draft_is_written(draft, cli):
    root, campaign = draft
    path = root / "campaigns" / f"{campaign}.yaml"
    lines = [line for line in path.read_text("utf-8").splitlines()
             if "TODO" not in line or line.startswith("#")]
    text = "\n".join(lines).replace("place:", "place: Brussels") + "\n"
    text = text.replace("- speaker:", "- text: We condemn the arrest.\n  speaker:")
    path.write_text(text, "utf-8")
    result = cli(root, "build", campaign, "--format", "md", "--no-sign", "--strict")
    assert "placeholder" not in result.stderr, result.lines


def test_switched_off_in_the_workspace_the_build_does_not_warn(draft, cli):
    root, campaign = draft
    write_files(root, {"clarion.yaml": textwrap.dedent("""\
        organisation: {name: Test Rights Group, short: TRG}
        language: en
        lint: {disable: [placeholder]}
        """)})
    result = cli(root, "build", campaign, "--format", "md", "--no-sign")
    assert result.exit_code == 0 and "placeholder" not in result.stderr
