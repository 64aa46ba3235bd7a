"""A computed count in a statement reads as a person would write it: the noun in the
language's plural form, and the example's own sentence never contradicting its estimate."""
from __future__ import annotations

import re

import pytest
from conftest import flat, pdf_text

from clarion.render.statuses import Count, number_words


@pytest.fixture(scope="module")
def statement(example_ws, tmp_path_factory):
    """The example statement built as PDF and Markdown, with what the build printed."""
    from click.testing import CliRunner

    from clarion.cli import main
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["-w", str(example_ws), "build", "azerbaijan-statement-2025",
                                       "--format", "pdf", "--format", "md", "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return out / "azerbaijan-statement-2025", result.output + result.stderr


@pytest.mark.parametrize(("language", "n", "expected"), [
    ("en", 1, "one person"), ("en", 3, "three people"), ("en", 0, "zero people"),
    ("ru", 1, "один человек"), ("ru", 3, "три человека"), ("ru", 5, "пять человек"),
    ("ru", 21, "21 человек"), ("fr", 1, "un détenu"), ("fr", 2, "deux détenus"),
])
def test_count_names_what_it_counts_in_the_plural_form_of_the_language(language, n, expected):
    count = Count(n, number_words(n, language), language)
    forms = {"en": ("person", "people", None, None),
             "ru": ("человек", "человек", "человека", "человек"),
             "fr": ("détenu", "détenus", None, None)}[language]
    assert count.of(*forms) == expected
    assert count == n and count + 1 == n + 1  # still a number


def test_example_statement_phrases_its_count_beside_the_estimate(statement):
    folder, _ = statement
    text = flat(pdf_text(folder / "azerbaijan-statement-2025.pdf"))
    assert "at about 300." in text
    assert "Among them is one person whose case we follow ourselves" in text
    # the sentence the campaign used to print: a bare count read as a blunder after "about 300"
    assert not re.search(r"\bis (one|two|three)\.", text)
    md = (folder / "azerbaijan-statement-2025.md").read_text()
    assert "Among them is one person" in md


def test_example_releases_are_recorded(statement, example_ws):
    """The three people released in 2015–2018 are recorded as released, so the count leaves
    nobody out as stale."""
    _, printed = statement
    assert "left out" not in printed, printed
    for case, day in [("ilgar-mammadov", "2018-08-13"), ("intigam-aliyev", "2016-03-28"),
                      ("leyla-yunus", "2015-12-09")]:
        record = (example_ws / "cases" / f"{case}.yaml").read_text()
        assert f"status: released\nstatus_as_of: {day}" in record
        assert f"date: {day}\n    type: release" in record
