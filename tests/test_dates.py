"""The `date` filter's styles and CLDR patterns, in real builds and in `validate`."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import BASE

from clarion.render import i18n

JULY = dt.date(2017, 7, 5)

RECIPIENTS = {
    "recipients/readers.yaml": """\
        recipients:
          - {id: reader-en, name: Ann Reader, language: en}
          - {id: reader-fr, name: Anne Lecteur, language: fr}
          - {id: reader-ru, name: Anna Chitatel, language: ru}
          - {id: reader-az, name: Ana Oxucu, language: az}
        """,
}


def campaign(body: str, translated: dict[str, str] | None = None) -> str:
    """A campaign dated 2017-07-05 to the four readers, its body (and translations) given."""
    def block(text: str, indent: str) -> str:
        return "\n".join(indent + line for line in text.splitlines())

    translations = "".join(f"  {lang}:\n    body: |\n{block(text, ' ' * 6)}\n"
                           for lang, text in (translated or {}).items())
    return (
        "kind: open-letter\n"
        "title: Release the ten\n"
        "date: 2017-07-05\n"
        "cases: [ilgar-mammadov]\n"
        "recipients: [reader-en, reader-fr, reader-ru, reader-az]\n"
        "signatories: [trg]\n"
        "body: |\n" + block(body, "  ") + "\n"
        + ("translations:\n" + translations if translated else ""))


@pytest.fixture
def dated(make_ws):
    def make(body: str, translated: dict[str, str] | None = None):
        return make_ws({**RECIPIENTS, "campaigns/letter.yaml": campaign(body, translated)},
                       base={k: v for k, v in BASE.items() if k != "campaigns/letter.yaml"})
    return make


def built(cli, root, recipient: str) -> str:
    """The recipient's Markdown, its no-break spaces (typography's) read as spaces."""
    text = (root / "build" / "letter" / f"{recipient}.md").read_text("utf-8")
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("locale, style, expected", [
    ("en_GB", "d MMMM", "5 July"), ("fr_FR", "d MMMM", "5 juillet"),
    ("ru_RU", "d MMMM", "5 июля"), ("az_Latn_AZ", "d MMMM", "5 iyul"),
    ("en_GB", "long", "5 July 2017"), ("ru_RU", "long", "5 июля 2017\u202fг."),
    ("az_Latn_AZ", "long", "5 iyul 2017-ci il"), ("az_Latn_AZ", "d MMMM y", "5 iyul 2017-ci il"),
    ("en_GB", "short", "05/07/2017"), ("fr_FR", "full", "mercredi 5 juillet 2017"),
    ("en_GB", "medium", "5 Jul 2017"), ("en_GB", "iso", "2017-07-05"),
    # without a day the month stands alone: Russian "июль 2017", not the genitive "июля"
    ("ru_RU", "MMMM y", "июль 2017"), ("fr_FR", "EEEE d MMMM", "mercredi 5 juillet"),
    ("fr_FR", "d 'de' MMMM", "5 de juillet"),
])
def test_styles_and_patterns(locale, style, expected):
    assert i18n.date_style_problem(style) is None
    assert i18n.styled_date(JULY, style, locale) == expected


@pytest.mark.parametrize("style, reason", [
    ("lomg", "'l' is not a date field; did you mean 'long'?"),
    ("HH:mm", "'H' is a time of day"),
    ("d 'de MMMM", "a quote is not closed"),
    ("d MMMMMMM", "Invalid length for field: 'MMMMMMM'"),
    ("...", "the pattern writes no part of the date"),
    ("", "not a date style"),
    ("rrrr", "'r' is not a date field"),
])
def test_unknown_styles_are_refused(style, reason):
    problem = i18n.date_style_problem(style)
    assert problem is not None and reason in problem
    assert "use short, medium, long, full or iso, or a CLDR date pattern" in problem


def test_a_pattern_in_each_language_of_a_real_build(dated, cli):
    root = dated("Istanbul, {{ campaign.date|date('d MMMM') }}: we write.", {
        "fr": "Istanbul, le {{ campaign.date|date('d MMMM') }} : nous écrivons.",
        "ru": "Стамбул, {{ campaign.date|date('d MMMM') }}: мы пишем.",
        "az": "İstanbul, {{ campaign.date|date('d MMMM') }}: biz yazırıq."})
    result = cli(root, "build", "--format", "md", "--no-sign")
    assert result.exit_code == 0, result.lines
    assert "Istanbul, 5 July: we write." in built(cli, root, "reader-en")
    assert "5 July 2017:" not in built(cli, root, "reader-en")
    assert "Istanbul, le 5 juillet : nous écrivons." in built(cli, root, "reader-fr")
    assert "Стамбул, 5 июля: мы пишем." in built(cli, root, "reader-ru")
    assert "İstanbul, 5 iyul: biz yazırıq." in built(cli, root, "reader-az")


def test_the_default_style_is_the_long_date(dated, cli):
    root = dated("Written on {{ campaign.date|date }} and {{ campaign.date|date('iso') }}.",
                 {"az": "{{ campaign.date|date }} tarixində yazılıb."})
    assert cli(root, "build", "--format", "md", "--no-sign").exit_code == 0
    assert "Written on 5 July 2017 and 2017-07-05." in built(cli, root, "reader-en")
    assert "5 iyul 2017-ci il tarixində yazılıb." in built(cli, root, "reader-az")


def test_validate_names_the_line_of_an_unknown_style(dated, cli):
    root = dated("First line.\n\nOn {{ campaign.date|date('lomg') }} we wrote.\n")
    result = cli(root, "validate")
    assert result.exit_code == 1
    problems = [line for line in result.stdout.splitlines() if "date('lomg')" in line]
    # the body starts on line 8 of the campaign file; the filter is on its third line
    assert problems == [
        "campaigns/letter.yaml:10: date('lomg'): 'l' is not a date field; did you mean "
        "'long'? use short, medium, long, full or iso, or a CLDR date pattern such as "
        "'d MMMM' (words in single quotes: \"d 'de' MMMM\")"], result.lines


def test_validate_finds_a_style_on_a_branch_the_dry_render_does_not_take(dated, cli):
    root = dated("{% if false %}{{ campaign.date|date(style='HH:mm') }}{% endif %}Text.",
                 {"fr": "Texte.\n{% if false %}{{ campaign.date|date('d MMMM y H') }}"
                        "{% endif %}"})
    result = cli(root, "validate")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("campaigns/letter.yaml:8: date('HH:mm'): 'H' is a time of day")
               for line in lines), result.lines
    text = (root / "campaigns/letter.yaml").read_text("utf-8").splitlines()
    french = next(n for n, line in enumerate(text, 1) if "d MMMM y H" in line)
    assert any(line.startswith(f"campaigns/letter.yaml:{french}: date('d MMMM y H')")
               for line in lines), result.lines


def test_build_stops_on_an_unknown_style_at_its_line(dated, cli):
    root = dated("On {{ campaign.date|date('lomg') }} we wrote.")
    result = cli(root, "build", "--format", "md", "--no-sign")
    assert result.exit_code == 1
    assert "campaigns/letter.yaml:8: date('lomg'): 'l' is not a date field" \
        in result.stderr, result.lines
    assert not (root / "build" / "letter" / "reader-en.md").exists()


def test_a_style_from_a_variable_is_checked_when_rendered(dated, cli):
    root = dated("{% set style = 'lomg' %}\nOn {{ campaign.date|date(style) }} we wrote.")
    checked = cli(root, "validate")
    assert checked.exit_code == 1
    noted = [line for line in checked.stdout.splitlines() if "lomg" in line]
    assert len(noted) == 1, checked.lines
    assert noted[0].startswith("campaigns/letter.yaml:9: date('lomg'): 'l' is not a date field")
    result = cli(root, "build", "--format", "md", "--no-sign")
    assert result.exit_code == 1
    assert "campaigns/letter.yaml:9: template error: date('lomg'): 'l' is not a date field" \
        in result.stderr, result.lines
