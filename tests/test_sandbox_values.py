"""No memory address or object description reaches a document: `{{ }}` prints values with a
text of their own, and refuses a function, a method, a list or an object as Python writes it,
at the template's line."""
from __future__ import annotations

import re

import pytest
from conftest import BASE

ADDRESS = re.compile(r"0x[0-9a-f]{6,}|built-in method|<function|<class ")


def _letter(body: str) -> dict[str, str]:
    return {"campaigns/letter.yaml": BASE["campaigns/letter.yaml"].replace(
        "We write about {{ case.name }}.{{ cite('echr') }}", body)}


@pytest.mark.parametrize("body, message", [
    ("Dated {{ campaign.date.fromisoformat }}.",
     "`fromisoformat` is a function or method, not a value to print"),
    ("{{ status_word }}", "this is a function or method, not a value to print"),
    ("{{ cite }}", "`cite` is a function or method"),
    ("{{ campaign.date.fromisoformat|string }}", "the text holds Python's internal form"),
    ("{{ [campaign.date.replace]|join(', ') }}", "the text holds Python's internal form"),
    ("{{ campaign.date.fromisoformat ~ '' }}", "the text holds Python's internal form"),
    ("{{ campaign.cases }}", "a list cannot be printed as it is"),
    ("{{ campaign.extra }}", "a dict cannot be printed as it is"),
    ("{{ range(3) }}", "a range cannot be printed as it is"),
])
def test_an_object_is_refused_at_its_line(make_ws, cli, body, message):
    root = make_ws(_letter(body))
    result = cli(root, "build", "letter", "--format", "md", "--format", "html")
    assert result.exit_code == 1
    assert f"campaigns/letter.yaml:12: template error: {message}" in result.stderr
    assert not ADDRESS.search(result.stdout + result.stderr)
    built = root / "build" / "letter"
    for path in built.glob("*") if built.is_dir() else ():
        if path.suffix in (".md", ".html"):
            assert not ADDRESS.search(path.read_text("utf-8")), path.name


def test_values_with_a_text_of_their_own_print_as_before(make_ws, cli):
    body = ("On {{ campaign.date }} ({{ campaign.date.year }}, {{ campaign.date.isoformat() }},"
            " {{ 1.5 }}, {{ campaign.cases|join('/') }}, {{ case }}, {{ count_cases() }}) "
            "{{ case.name }}.")
    root = make_ws(_letter(body))
    result = cli(root, "build", "letter", "--format", "md")
    assert result.exit_code == 0, result.stderr
    md = (root / "build" / "letter" / "emmanuel-macron.md").read_text("utf-8")
    assert "On 2018-07-18 (2018, 2018-07-18, 1.5, ilgar-mammadov, Ilgar Mammadov, zero) " \
           "Ilgar Mammadov." in md
