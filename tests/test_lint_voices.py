"""Lint rules `quote-voice` (a quote from outside the issuer and signatories) and
`no-language` (a recipient who would miss the translation in their country's language)."""
from __future__ import annotations

import pytest
from conftest import write_files
from test_lint import CLEAN, TODAY, line_of

from clarion.review.lint_voices import country_languages


@pytest.fixture
def lint_ws(tmp_path):
    def make(changes: dict | None = None):
        return write_files(tmp_path / "ws", {**CLEAN, **(changes or {})})
    return make


def rule(cli, root, name: str) -> list[str]:
    result = cli(root, "lint", "--today", TODAY)
    return [line for line in result.stdout.splitlines() if f": {name}: " in line]


def reaction(quotes: str, more: str = "") -> dict[str, str]:
    return {
        "signatories/partners.yaml": """\
            signatories:
              - {id: amnesty, organisation: Amnesty International, country: GB}
            """,
        "campaigns/reaction.yaml": (
            "kind: press-reaction\n"
            "title: Release Ilgar Mammadov\n"
            "date: 2018-07-18\n"
            "cases: [ilgar-mammadov]\n"
            "signatories: [trg]\n" + more +
            "quotes:\n" + quotes +
            "body: |\n"
            "  We react to the news about {{ case.name }}.\n"),
    }


AMNESTY = ("  - speaker: Natalia Nozadze\n"
           "    organisation: Amnesty International\n"
           "    text: Investigators must act.\n")


def test_a_quote_from_an_organisation_that_does_not_sign(lint_ws, cli):
    root = lint_ws(reaction("  - {speaker: Jane Doe, organisation: Test Rights Group, "
                            "text: We condemn it.}\n" + AMNESTY))
    line = line_of(root, "campaigns/reaction.yaml", "speaker: Natalia Nozadze")
    assert rule(cli, root, "quote-voice") == [
        f"campaigns/reaction.yaml:{line}: quote-voice: the quote of Natalia Nozadze speaks for "
        "Amnesty International, which neither issues reaction (Test Rights Group) nor signs "
        "it; add Amnesty International to `signatories`, or quote someone who speaks for the "
        "issuer or a signatory"]


def test_a_quote_from_a_member_of_a_signing_group_is_in_voice(lint_ws, cli):
    files = reaction(AMNESTY)
    files["signatories/partners.yaml"] = files["signatories/partners.yaml"].replace(
        "country: GB}", "country: GB, groups: [partners]}")
    files["campaigns/reaction.yaml"] = files["campaigns/reaction.yaml"].replace(
        "signatories: [trg]", "signatories: [trg, group:partners]")
    assert rule(cli, lint_ws(files), "quote-voice") == []


def test_each_quote_at_its_own_line(lint_ws, cli):
    root = lint_ws(reaction(AMNESTY + AMNESTY))
    lines = [int(found.split(":")[1]) for found in rule(cli, root, "quote-voice")]
    text = (root / "campaigns/reaction.yaml").read_text("utf-8").splitlines()
    assert lines == [n for n, t in enumerate(text, 1) if "speaker: Natalia Nozadze" in t]
    assert len(lines) == 2


@pytest.mark.parametrize("quotes, more", [
    (AMNESTY, "signatories: [trg, amnesty]\n"),  # Amnesty signs
    ("  - {speaker: Jane Doe, organisation: the test rights group, text: We condemn it.}\n",
     ""),  # the issuer, written loosely
    ("  - {speaker: Jane Doe, organisation: Test Rights Group International, text: Yes.}\n",
     ""),  # a name within the other, word for word
    ("  - {speaker: Jane Doe, title: Director, text: We condemn it.}\n", ""),  # no organisation
    (AMNESTY, "issued_by: amnesty\n"),  # issued on Amnesty's letterhead
])
def test_the_issuer_and_signatories_may_speak(lint_ws, cli, quotes, more):
    changes = reaction(quotes, more)
    if "signatories: [trg, amnesty]" in more:
        changes["campaigns/reaction.yaml"] = changes["campaigns/reaction.yaml"].replace(
            "signatories: [trg]\nsignatories: [trg, amnesty]\n", "signatories: [trg, amnesty]\n")
    root = lint_ws(changes)
    assert cli(root, "validate").exit_code == 0
    assert rule(cli, root, "quote-voice") == []


def test_the_workspace_organisation_is_not_the_issuer_of_a_partner_s_release(lint_ws, cli):
    changes = reaction("  - {speaker: Jane Doe, organisation: Test Rights Group, text: Yes.}\n",
                       "issued_by: amnesty\n")
    changes["campaigns/reaction.yaml"] = changes["campaigns/reaction.yaml"].replace(
        "signatories: [trg]\n", "signatories: [amnesty]\n")
    found = rule(cli, lint_ws(changes), "quote-voice")
    assert len(found) == 1 and "neither issues reaction (Amnesty International)" in found[0]


def test_a_translated_quote_is_checked_too(lint_ws, cli):
    changes = reaction("  - {speaker: Jane Doe, organisation: Test Rights Group, text: Yes.}\n")
    changes["campaigns/reaction.yaml"] += (
        "translations:\n"
        "  fr:\n"
        "    quotes:\n"
        "      - {speaker: Jane Doe, organisation: Amnistie internationale, text: Oui.}\n"
        "    body: |\n"
        "      Nous réagissons.\n")
    found = rule(cli, lint_ws(changes), "quote-voice")
    assert len(found) == 1 and "the quote (fr) of Jane Doe speaks for Amnistie " \
        "internationale" in found[0]


@pytest.mark.parametrize("country, languages", [
    ("FR", ["fr"]), ("France", ["fr"]), ("BE", ["nl", "fr", "de"]), ("az", ["az"]),
    ("Utopia", []), (None, [])])
def test_country_languages(country, languages):
    assert country_languages(country) == languages


MACRON = """\
name: Emmanuel Macron
honorific: President
gender: male
country: {country}
"""


@pytest.mark.parametrize("country", ["FR", "France"])
def test_a_recipient_without_language_misses_the_french_translation(lint_ws, cli, country):
    root = lint_ws({"recipients/emmanuel-macron.yaml": MACRON.format(country=country)})
    line = line_of(root, "recipients/emmanuel-macron.yaml", "country:")
    assert rule(cli, root, "no-language") == [
        f"recipients/emmanuel-macron.yaml:{line}: no-language: recipient emmanuel-macron has "
        f"no `language`: they get the en document of letter, which has fr, a language of "
        f"{country}; add `language: fr` (or `language: en` to keep it)"]


def test_a_belgian_recipient_is_offered_the_french(lint_ws, cli):
    root = lint_ws({"recipients/emmanuel-macron.yaml": MACRON.format(country="BE")})
    found = rule(cli, root, "no-language")
    assert len(found) == 1 and "which has fr, a language of BE; add `language: fr`" in found[0]


@pytest.mark.parametrize("changes", [
    {"recipients/emmanuel-macron.yaml": MACRON.format(country="FR") + "language: en\n"},
    {"recipients/emmanuel-macron.yaml": MACRON.format(country="GB")},
    {"recipients/emmanuel-macron.yaml": MACRON.format(country="Utopia")},
    {"recipients/emmanuel-macron.yaml": MACRON.replace("country: {country}\n", "")},
    {"recipients/emmanuel-macron.yaml": MACRON.format(country="FR"),
     "campaigns/letter.yaml": CLEAN["campaigns/letter.yaml"].split("translations:")[0]},
    {"recipients/emmanuel-macron.yaml": MACRON.format(country="FR") + "language: fre\n"},
])
def test_no_finding_when_the_language_is_chosen_or_not_there(lint_ws, cli, changes):
    root = lint_ws(changes)
    assert cli(root, "validate").exit_code == 0
    assert rule(cli, root, "no-language") == []
