"""Copies read as their reader would: the cover page wholly in the copy recipient's language,
`copies: translated` (the whole letter in it, marked as a courtesy translation), the copy line
in the letter's language, a joint letter's cover note signed by its signatories, and the
envelope's country line and return line in the language of the sender's post."""
from __future__ import annotations

import email
import re
from email.header import decode_header, make_header
from email.policy import default as default_policy
from pathlib import Path

import pytest
from conftest import copy_example, flat, pdf_reader, pdf_text

AMBASSADOR = "azerbaijan-ambassador-france"
#: French words of the letter to Macron and of its furniture, which an Azerbaijani page must not show
FRENCH = ["Président", "Copie", "Page", "juillet", "Partenariat", "Monsieur", "Bruxelles",
          "Belgique", "Directrice", "droits", "Nous", "Libération"]


def _example(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    root.mkdir()
    return copy_example(root)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _build(cli, root: Path, *formats: str) -> Path:
    args = [a for f in formats for a in ("--format", f)]
    result = cli(root, "build", "paris-meeting-2018", *args, "--no-sign")
    assert result.exit_code == 0, result.stderr
    return root / "build" / "paris-meeting-2018"


def _visible(html_text: str) -> str:
    import html
    html_text = re.sub(r"<(style|script)\b.*?</\1>", " ", html_text, flags=re.S)
    return flat(html.unescape(re.sub(r"<[^>]+>", " ", html_text)))


def _words_in(text: str, words: list[str]) -> list[str]:
    return [w for w in words if re.search(rf"\b{re.escape(w)}\b", text)]


@pytest.fixture(scope="module")
def translated(tmp_path_factory):
    """The example's letter to Macron, with the ambassador's copy (`copies: translated`)."""
    from click.testing import CliRunner

    from clarion.cli import main
    root = _example(tmp_path_factory.mktemp("copies"))
    result = CliRunner().invoke(main, ["-w", str(root), "build", "paris-meeting-2018",
                                       "--no-sign", "--format", "pdf", "--format", "md",
                                       "--format", "html", "--format", "eml"])
    assert result.exit_code == 0, result.output
    return root / "build" / "paris-meeting-2018"


@pytest.mark.slow  # lays out two letters
def test_the_translated_copy_is_wholly_in_azerbaijani(translated):
    text = flat(pdf_text(translated / f"{AMBASSADOR}.pdf"))
    # the return line and the envelope's country line are the Belgian post's (English)
    postal = "IPHR · Avenue des Arts 7-8 · 1210 Brussels · Belgium"
    assert postal in text and "75116 Paris FRANCE" in text
    reader = text.replace(postal, "")
    assert _words_in(reader, FRENCH) == []
    assert "Beynəlxalq İnsan Hüquqları Tərəfdaşlığı Avenue des Arts 7-8 1210 Brüssel Belçika" \
        in reader  # the letterhead
    order = [reader.find(s) for s in (
        "Hörmətli cənab Səfir!",                          # the cover note
        "(ünvançı: Emmanuel Makron, Fransa Respublikasının Prezidenti)",
        "Səhifə 1 / 3",                                   # the cover page's footer
        "Qeyri-rəsmi tərcümə; göndərilmiş məktub fransız dilindədir.",
        "Hörmətli cənab Prezident!",                      # the letter to Macron, translated
        "Prezident İlham Əliyevlə 20 iyul 2018-ci il",
        "Sizi aşağıdakılara çağırırıq:",
        "Rəsul Cəfərov, Direktor",
        "Surəti: Rəhman Mustafayev, Azərbaycan Respublikasının")]
    assert -1 not in order and order == sorted(order), order
    assert "Rəhman Mustafayev · 18 iyul 2018-ci il · Səhifə 2 / 3" in text
    info = pdf_reader(translated / f"{AMBASSADOR}.pdf")
    assert info.metadata.title.startswith("Açıq məktub: Prezident Makron")
    assert info.metadata.author == "Beynəlxalq İnsan Hüquqları Tərəfdaşlığı"
    assert str(info.trailer["/Root"]["/Lang"]) == "az"


@pytest.mark.slow
def test_the_translated_copy_in_html_markdown_and_e_mail(translated):
    html = (translated / f"{AMBASSADOR}.html").read_text("utf-8")
    assert re.search(r'<html lang="az"', html)
    assert set(re.findall(r'aria-label="([^"]*)"', html)) <= {"Alıcı", "İmzalayanlar"}
    assert '<div class="copied-letter" lang="az">' in html
    assert re.search(r'<section class="cover" lang="az">', html)
    seen = _visible(html).replace("IPHR · Avenue des Arts 7-8 · 1210 Brussels · Belgium", "")
    assert _words_in(seen, FRENCH) == []
    md = (translated / f"{AMBASSADOR}.md").read_text("utf-8")
    assert md.index("Hörmətli cənab Səfir!") < md.index("*Qeyri-rəsmi tərcümə;") \
        < md.index("Hörmətli cənab Prezident!")
    assert "İnsan Hüquqları Klubu\\\nBeynəlxalq İnsan Hüquqları Tərəfdaşlığı" in md
    assert _words_in(md, FRENCH) == []
    message = email.message_from_bytes((translated / f"{AMBASSADOR}.eml").read_bytes(),
                                       policy=default_policy)
    raw = email.message_from_bytes((translated / f"{AMBASSADOR}.eml").read_bytes())
    sender = str(make_header(decode_header(raw["From"])))
    assert sender.startswith("Beynəlxalq İnsan Hüquqları") and "info@example.org" in sender
    assert message["Subject"] == ("İlqar Məmmədovun və Azərbaycandakı digər vicdan "
                                  "məhbuslarının azad edilməsi")   # the subject, in az
    plain = message.get_body(("plain",)).get_content()
    assert "Qeyri-rəsmi tərcümə" in plain and "Monsieur" not in plain


@pytest.mark.slow
def test_the_addressees_letter_is_unchanged_and_names_the_copy_in_its_language(translated):
    text = flat(pdf_text(translated / "emmanuel-macron.pdf")).replace("\u00a0", " ")
    assert "Monsieur le Président de la République," in text
    assert "Copie : Rəhman Mustafayev, Ambassadeur extraordinaire et plénipotentiaire de la " \
           "République d’Azerbaïdjan en France" in text
    assert "Qeyri-rəsmi" not in text and "Hörmətli" not in text and "Səfiri" not in text
    assert "75008 Paris FRANCE" in text  # the Belgian post's country line


def test_without_a_translation_the_copy_has_a_cover_note_and_validate_says_so(tmp_path, cli):
    root = _example(tmp_path)
    campaign = root / "campaigns" / "paris-meeting-2018.yaml"
    text = campaign.read_text("utf-8")
    campaign.write_text(text[:text.index("  az:\n")], "utf-8")  # drop the az translation
    found = "\n".join(cli(root, "validate").lines)
    line = next(i for i, s in enumerate(campaign.read_text().splitlines(), 1)
                if s.startswith("copies:"))
    assert f"campaigns/paris-meeting-2018.yaml:{line}: warning: copies: translated, but there " \
           f"is no translation in the language of {AMBASSADOR}" in found
    folder = _build(cli, root, "md", "html")
    md = (folder / f"{AMBASSADOR}.md").read_text("utf-8")
    cover, letter = md.split("*Surət*")
    assert "Qeyri-rəsmi" not in md
    assert _words_in(cover, FRENCH) == []
    assert "(ünvançı: Emmanuel Makron, Fransa Respublikasının Prezidenti)" in cover
    assert "Monsieur le Président de la République," in letter
    html = (folder / f"{AMBASSADOR}.html").read_text("utf-8")
    assert '<html lang="az"' in html and '<div class="copied-letter" lang="fr">' in html
    # without `translated`, no warning
    _edit(campaign, "copies: translated", "copies: cover-note")
    assert "copies:" not in "\n".join(cli(root, "validate").lines)


def test_a_title_without_the_readers_language_is_left_out_of_the_cover_note(tmp_path, cli):
    root = _example(tmp_path)
    _edit(root / "recipients" / "emmanuel-macron.yaml",
          ", az: Fransa Respublikasının Prezidenti}", "}")
    _edit(root / "campaigns" / "paris-meeting-2018.yaml", "copies: translated",
          "copies: cover-note")
    md = (_build(cli, root, "md") / f"{AMBASSADOR}.md").read_text("utf-8")
    cover = md.split("*Surət*")[0]
    assert "(ünvançı: Emmanuel Makron)" in cover and "Président" not in cover


def test_a_joint_letters_cover_note_is_signed_by_its_signatories(tmp_path, cli):
    root = _example(tmp_path)
    md = (_build(cli, root, "md") / f"{AMBASSADOR}.md").read_text("utf-8")
    cover = md.split("*Surət*")[0]
    assert cover.rstrip().rstrip("-").rstrip().endswith(
        "İnsan Hüquqları Klubu\\\nBeynəlxalq İnsan Hüquqları Tərəfdaşlığı")
    # many signatories: the issuer signs on their behalf
    many = "".join(f"  - {{id: org-{i}, organisation: Organisation {i}, groups: [many]}}\n"
                   for i in range(6))
    (root / "signatories" / "many.yaml").write_text("signatories:\n" + many, "utf-8")
    _edit(root / "campaigns" / "paris-meeting-2018.yaml",
          "signatories: [human-rights-club, iphr]",
          "signatories: [human-rights-club, iphr, group:many]")
    md = (_build(cli, root, "md") / f"{AMBASSADOR}.md").read_text("utf-8")
    cover = md.split("*Surət*")[0]
    assert "Beynəlxalq İnsan Hüquqları Tərəfdaşlığı\\\nMəktubu imzalayanlar adından" in cover
    assert "Organisation 3" not in cover


def test_the_country_line_and_return_line_follow_the_postal_language(tmp_path, cli):
    root = _example(tmp_path)
    _edit(root / "recipients" / "emmanuel-macron.yaml", "country: FR", "country: DE")
    _edit(root / "recipients" / "emmanuel-macron.yaml", "language: fr", "language: ru")
    _edit(root / "campaigns" / "paris-meeting-2018.yaml", "copies: translated",
          "copies: cover-note")
    ru = (_build(cli, root, "md", "html") / "emmanuel-macron.html").read_text("utf-8")
    assert '<div class="return">IPHR · Avenue des Arts 7-8 · 1210 Brussels · Belgium</div>' in ru
    assert "<p>GERMANY</p>" in ru and "ГЕРМАНИЯ" not in ru
    _edit(root / "clarion.yaml", "  formats: [pdf, md]", "  formats: [pdf, md]\n"
          "  postal_language: fr")
    folder = _build(cli, root, "md", "html")
    ru = (folder / "emmanuel-macron.html").read_text("utf-8")
    assert '<div class="return">IPHR · Avenue des Arts 7-8 · 1210 Bruxelles · Belgique</div>' \
        in ru
    assert "<p>ALLEMAGNE</p>" in ru
    assert "ALLEMAGNE" in (folder / "emmanuel-macron.md").read_text("utf-8")
    assert "FRANCE" in (folder / f"{AMBASSADOR}.md").read_text("utf-8")
