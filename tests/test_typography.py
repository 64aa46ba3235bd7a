"""Each language's typography, applied once to rendered Markdown and HTML text."""
from __future__ import annotations

import pytest
from conftest import BASE

from clarion.render.typography import apply_html, apply_markdown, typeset

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize("language, text, expected", [
    ("en", "Le 25 October", f"Le 25{NBSP}October"),
    ("fr", "Le 25 octobre 2017", f"Le 25{NBSP}octobre 2017"),
    ("ru", "22 мая 2014 г.", f"22{NBSP}мая 2014{NNBSP}г."),
    ("az", "18 iyul 2018-ci il", f"18{NBSP}iyul 2018-ci{NBSP}il"),
    ("en", "3 cases in 2014 and 12 000 people", f"3 cases in 2014 and 12{NBSP}000 people"),
    ("fr", "10 000 euros", f"10{NNBSP}000 euros"),
])
def test_no_break_spaces_in_dates_and_numbers(language, text, expected):
    assert typeset(text, language) == expected


@pytest.mark.parametrize("text, expected", [
    ("Pourquoi ? Parce que !", f"Pourquoi{NNBSP}? Parce que{NNBSP}!"),
    # a full no-break space before the colon, the narrow one before ; ! ?
    ("précédent : il a engagé; puis", f"précédent{NBSP}: il a engagé{NNBSP}; puis"),
    ("Vraiment?!", f"Vraiment{NNBSP}?!"),
    ("à 10:00 heures", "à 10:00 heures"),
    ("« cité »", f"«{NNBSP}cité{NNBSP}»"),
    ("«cité»", f"«{NNBSP}cité{NNBSP}»"),
    ('il dit "non"', f"il dit «{NNBSP}non{NNBSP}»"),
    ("d'opinion", "d’opinion"),
])
def test_french_punctuation(text, expected):
    assert typeset(text, "fr") == expected


@pytest.mark.parametrize("language, text, expected", [
    ("en", "RFE/RL's report said \"free\"", "RFE/RL’s report said “free”"),
    ("en", "the 'quoted' word", "the ‘quoted’ word"),
    ("ru", 'он сказал "нет"', "он сказал «нет»"),
    ("az", 'o dedi "yox"', "o dedi “yox”"),
])
def test_quotes_and_apostrophes(language, text, expected):
    assert typeset(text, language) == expected


@pytest.mark.parametrize("language, text, expected", [
    ("ru", "Он сказал – и ушёл", f"Он сказал{NBSP}– и ушёл"),
    ("az", "ən tanınmışı — İlqar", f"ən tanınmışı{NBSP}— İlqar"),
    # no English line starts with a dash either
    ("en", "he said — and left", f"he said{NBSP}— and left"),
    ("en", "Isgandarli (Vidadi) — human rights defender",
     f"Isgandarli (Vidadi){NBSP}— human rights defender"),
    # a range's dash stays closed and unspaced
    ("en", "6–12 October", f"6–12{NBSP}October"),
])
def test_no_line_starts_with_a_dash(language, text, expected):
    assert typeset(text, language) == expected


@pytest.mark.parametrize("text, expected", [
    ("des personnes — sympathisants, journalistes — y sont",
     f"des personnes —{NBSP}sympathisants, journalistes{NBSP}— y sont"),
    # a dash the sentence closes is an opening one
    ("une décision — sans précédent.", f"une décision —{NBSP}sans précédent."),
    ("a — b — c. d — e.", f"a —{NBSP}b{NBSP}— c. d —{NBSP}e."),
])
def test_french_incise_dashes_hold_their_words(text, expected):
    assert typeset(text, "fr") == expected


@pytest.mark.parametrize("text, expected", [
    ("он сказал - и ушёл", f"он сказал{NBSP}— и ушёл"),
    ("в 1990 - 1995 годах", "в 1990 - 1995 годах"),  # numbers: left to the writer
    ("Санкт-Петербург", "Санкт-Петербург"),
])
def test_russian_spaced_hyphen_is_a_dash(text, expected):
    assert typeset(text, "ru") == expected


def test_an_english_title_in_a_french_text_keeps_english_punctuation():
    out = typeset("Source : “Azerbaijan: Abzas Media journalists jailed”, Amnesty", "fr")
    assert out == f"Source{NBSP}: “Azerbaijan: Abzas Media journalists jailed”, Amnesty"


@pytest.mark.parametrize("language, text, expected", [
    ("ru", "с 14 марта 2025 г..", f"с 14{NBSP}марта 2025{NNBSP}г."),
    ("ru", f"с 14 марта 2025{NNBSP}г..", f"с 14{NBSP}марта 2025{NNBSP}г."),
    ("en", "books, papers etc..", "books, papers etc."),
    ("en", "and so on...", "and so on..."),
    ("en", "the cases..", "the cases.."),
])
def test_no_doubled_full_stop_after_an_abbreviation(language, text, expected):
    assert typeset(text, language) == expected


def test_markdown_syntax_links_and_front_matter_are_left_alone():
    md = ("---\ntitle: \"Lettre: x\"\ndate: '2018-07-18'\n---\n\n"
          "Voir [le lien](https://example.org/a?b=1) et <https://example.org/c?d> : "
          "`code: x` et info@example.org !\n\n"
          "Texte.[^src-a]\n\n[^src-a]: “Titre”, 18 juillet 2018\n")
    out = apply_markdown(md, "fr")
    assert out.startswith("---\ntitle: \"Lettre: x\"\ndate: '2018-07-18'\n---\n")
    assert "(https://example.org/a?b=1)" in out and "<https://example.org/c?d>" in out
    assert "`code: x`" in out and f"info@example.org{NNBSP}!" in out
    assert f"<https://example.org/c?d>{NBSP}:" in out
    assert "\n[^src-a]: “Titre”" in out and f"18{NBSP}juillet" in out


def test_html_text_nodes_only():
    html = ('<p class="a: b" title="x ; y">Il dit : "oui" &amp; non ! '
            '<a href="https://a.example/b?c">https://a.example/b?c</a></p>'
            '<style>@page { content: "Page : " }</style><code>a ; b</code>')
    out = apply_html(html, "fr")
    assert '<p class="a: b" title="x ; y">' in out
    assert f"Il dit{NBSP}: «{NNBSP}oui{NNBSP}» &amp; non{NNBSP}!" in out
    assert '<a href="https://a.example/b?c">https://a.example/b?c</a>' in out
    assert '<style>@page { content: "Page : " }</style><code>a ; b</code>' in out


def test_html_escapes_survive():
    out = apply_html("<p>a &lt;b&gt; 5 &lt; 6 — it's</p>", "en")
    assert out == "<p>a &lt;b&gt; 5 &lt; 6\u00a0— it’s</p>"


def test_a_tag_ends_at_its_own_bracket_not_one_inside_a_quoted_attribute():
    html = ("<p><img src=\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'>"
            "<image href='x'/></svg>\"> it's</p>")
    out = apply_html(html, "en")
    assert out == html.replace("it's", "it’s")


def test_a_quote_attribution_dash_keeps_its_markdown():
    assert apply_markdown("> — Мария Иванова", "ru") == "> — Мария Иванова"


def test_typography_does_not_hide_private_text_from_the_leak_check(make_ws, cli):
    ws = make_ws({"campaigns/letter.yaml": None, "campaigns/st.yaml": """\
        kind: statement
        title: Statement
        date: 2018-07-18
        cases: [ilgar-mammadov]
        signatories: [trg]
        body: |
          His sister's "safe house" is at 12 000 Rue Secrète.
        """, "cases/ilgar-mammadov.yaml": BASE["cases/ilgar-mammadov.yaml"].replace(
        "family: SECRET-FAMILY-CONTACT-12345", "family: \"sister's \\\"safe house\\\" is at 12 000\"")})
    result = cli(ws, "build", "--format", "md")
    assert result.exit_code == 1
    assert "private data of case ilgar-mammadov would appear in the output" in result.stderr


def test_no_doubled_full_stop_across_an_inline_tag():
    assert apply_html("<p>с <strong>14 марта 2025 г.</strong>.</p>", "ru") == \
        f"<p>с <strong>14{NBSP}марта 2025{NNBSP}г.</strong></p>"
    assert apply_markdown("с **14 марта 2025 г.**.", "ru") == f"с **14{NBSP}марта 2025{NNBSP}г.**"


@pytest.mark.parametrize("language, text, expected", [
    ("fr", "l’a condamné à 7 ans d’emprisonnement", "l’a condamné à sept ans d’emprisonnement"),
    ("fr", f"1{NBSP}an et 12 ans", f"un{NBSP}an et 12 ans"),
    ("en", "sent him to prison for 7 years", "sent him to prison for seven years"),
    ("en", "for 10 years, not 11 years", "for ten years, not 11 years"),
    ("ru", "к 5 годам: 7 лет и 2 года", "к 5 годам: семь лет и два года"),
    ("az", "onu 7 il müddətinə", "onu yeddi il müddətinə"),
    ("en", "in 2014 years 3.5 years", "in 2014 years 3.5 years"),
])
def test_a_sentence_length_up_to_ten_is_written_in_words(language, text, expected):
    assert typeset(text, language) == expected
