"""E-mail drafts read as a mail program reads them: the plain-text part is plain text, the HTML
part shows its pictures from cid: parts with a mail-safe style, the attachment has a whole name."""
from __future__ import annotations

import base64
import datetime as dt
import email
import re
from email.policy import default as default_policy

import pytest

from clarion.output.email import Draft, build_message, pdf_file_name
from clarion.output.email_text import plain_text

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
LOGO = f"data:image/png;base64,{base64.b64encode(PNG).decode()}"

MARKDOWN = """\
---
title: A letter
---
Emmanuel Macron\\
President of the French Republic\\
55 Rue du Faubourg Saint-Honoré

**Release of Ilgar Mammadov**

Dear President,

He was *arrested* in 2013.[^echr] Read the [judgment](https://hudoc.echr.coe.int/x) and
<https://example.org/report>; stars \\*stay\\*.

> **“Free him now.”**

We ask you to:

1. Call for his release.
2. Press for the others.

- one point
- another point[^rferl][^echr]

[^echr]: Ilgar Mammadov v. Azerbaijan, ECtHR, 22 May 2014, <https://hudoc.echr.coe.int/x>
[^rferl]: “Azerbaijani opposition leader sentenced”, RFE/RL, 17 March 2014
"""

PAGE = f"""<!DOCTYPE html><html lang="fr">
<head>
<meta charset="utf-8">
<title>Lettre ouverte : le président</title>
<style>
@page {{ margin: 20mm 20mm 25mm 25mm; }}
.marks .fold-1 {{ top: 85mm; }}
.address-field .zone {{ position: absolute; top: 5mm; }}
</style>
</head>
<body class="open-letter paper-a4">
<p class="running-title" aria-hidden="true">Emmanuel Macron · 18&nbsp;juillet 2018</p>
<header class="letterhead"><div><img src="{LOGO}" alt="IPHR"></div></header>
<section class="address-field"><div class="return">IPHR · Avenue des Arts 7-8</div>
<div class="zone"><div class="recipient"><p class="name">Emmanuel Macron</p></div></div>
</section>
<p>Monsieur le Président &amp; cher ami,</p>
<div class="signature-slot"><img class="signature" src="{LOGO}" alt="Signature"></div>
</body></html>
"""


def _draft(**changes: object) -> Draft:
    values: dict[str, object] = dict(
        campaign="letter", recipient="emmanuel-macron", name="Emmanuel Macron",
        email="em@example.org", cc=(), sender="IPHR <info@example.org>", reply_to=None,
        subject="Libération d’Ilgar Mammadov", date=dt.date(2018, 7, 18), inputs="inputs",
        markdown=MARKDOWN, html=PAGE, pdf=b"%PDF-1.7 letter",
        pdf_name="Lettre ouverte - le président.pdf")
    values.update(changes)
    return Draft(**values)  # type: ignore[arg-type]


def _message(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=default_policy)  # type: ignore[return-value]


def test_the_plain_text_part_is_plain_text():
    msg = _message(build_message(_draft()))
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "**" not in text and "[^" not in text and "title: A letter" not in text
    assert not any(line.endswith("\\") for line in text.splitlines())
    # the address block keeps its lines, without the Markdown line-break marks
    assert "Emmanuel Macron\nPresident of the French Republic\n55 Rue" in text
    assert "\nRelease of Ilgar Mammadov\n" in text
    assert "He was arrested in 2013.[1] Read the judgment (https://hudoc.echr.coe.int/x)" in text
    assert "https://example.org/report; stars *stay*." in text
    assert "    “Free him now.”" in text
    assert "1. Call for his release.\n2. Press for the others." in text
    # notes renumbered in the order they are first called, listed once at the end
    assert "- another point[2][1]" in text
    notes = text.rsplit("\n\n", 1)[1].splitlines()
    assert notes[1:] == [
        "[1] Ilgar Mammadov v. Azerbaijan, ECtHR, 22 May 2014, https://hudoc.echr.coe.int/x",
        "[2] “Azerbaijani opposition leader sentenced”, RFE/RL, 17 March 2014"]


def test_plain_text_of_a_heading_and_a_rule():
    text = plain_text("# Who is next?\n\nCover note\n\n---\n\n*Copy*\n\n## Alayif Hasanov\n")
    assert text == ("Who is next?\n============\n\nCover note\n\n" + "-" * 30 +
                    "\n\nCopy\n\nAlayif Hasanov\n--------------\n")


def test_the_html_part_shows_its_pictures_from_related_parts():
    msg = _message(build_message(_draft()))
    [related] = [p for p in msg.walk() if p.get_content_type() == "multipart/related"]
    html_part, *images = list(related.iter_parts())
    assert html_part.get_content_type() == "text/html"
    html = html_part.get_content()
    assert "data:" not in html
    cids = re.findall(r'src="cid:([^"]+)"', html)
    assert len(cids) == 2 and len(set(cids)) == 1   # the same picture is sent once
    [image] = images
    assert image.get_content_type() == "image/png"
    assert image["Content-ID"] == f"<{cids[0]}>"
    assert image.get_content_disposition() == "inline"
    assert image.get_content() == PNG
    # the alternative holds the text and the related HTML; the PDF is attached after it
    kinds = [p.get_content_type() for p in msg.iter_parts()]
    assert kinds == ["multipart/alternative", "application/pdf"]


def test_the_html_part_has_a_mail_safe_style():
    html = _message(build_message(_draft())).get_body(("html",)).get_content()
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    assert style is not None and len(style.group(1)) < 2000
    for print_only in ("@page", "mm", "position", "fold", ".zone"):
        assert print_only not in style.group(1)
    assert html.count("<style>") == 1
    # the page's print furniture is not in the mail; what a reader needs is
    assert "running-title" not in html and "Avenue des Arts" not in html
    assert "Emmanuel Macron" in html and "Monsieur le Président &amp; cher ami," in html
    assert '<html lang="fr">' in html
    assert '<p class="name" style="margin:0">Emmanuel Macron</p>' in html  # address lines
    assert re.search(r'<img src="cid:[^"]+" alt="IPHR" style="max-height:56px', html)


def test_a_draft_is_byte_stable_with_its_pictures():
    assert build_message(_draft()) == build_message(_draft())


@pytest.mark.parametrize(("title", "name"), [
    ("Open letter: President Macron should press for the release of prisoners of conscience "
     "when he meets President Aliyev on 20 July",
     "Open letter - President Macron should press for the release of prisoners of conscience "
     "when he meets President Aliyev on 20 July.pdf"),
    ("Lettre ouverte : le président Macron doit demander la libération",
     "Lettre ouverte - le président Macron doit demander la libération.pdf"),
    ("France/Azerbaijan: Fatal stabbing", "France-Azerbaijan - Fatal stabbing.pdf"),
    ("Who is next? Trials to watch", "Who is next - Trials to watch.pdf"),
    ('A "quoted" <b>/..\\name', "A 'quoted' b -.. name.pdf"),
    ("", "fallback.pdf"),
])
def test_attachment_names_are_clean(title, name):
    assert pdf_file_name(title, "fallback") == name


def test_a_long_title_is_cut_after_a_whole_word_not_on_a_short_one():
    title = ("Lettre ouverte : le président Macron doit demander la libération d’Ilgar Mammadov, "
             "de tous les autres prisonniers d’opinion et des défenseurs des droits humains "
             "emprisonnés en Azerbaïdjan lors de sa rencontre avec le président Aliev")
    name = pdf_file_name(title, "x")
    stem = name.removesuffix(".pdf")
    assert len(stem) <= 150 and title.replace(" :", " -").startswith(stem)
    assert stem.endswith("d’Ilgar Mammadov")   # cut at the comma: a whole clause
    words = "судьба узников в тюрьмах и в лагерях " * 10     # Cyrillic: two bytes a letter
    cut = pdf_file_name(words, "x").removesuffix(".pdf")
    assert len(f"{cut}.pdf".encode()) <= 200 and words.startswith(cut + " ")
    assert cut.rsplit(" ", 1)[1] not in ("в", "и")


def test_a_name_outside_ascii_is_encoded_as_rfc_2231():
    raw = build_message(_draft(pdf_name="Libération d’Ilgar Mammadov.pdf"))
    assert b"filename*" in raw and b"utf-8''Lib%C3%A9ration" in raw
    [pdf] = [p for p in _message(raw).iter_attachments()
             if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == "Libération d’Ilgar Mammadov.pdf"


@pytest.mark.slow
def test_the_example_letters_drafts(example_ws, tmp_path, cli):
    out = tmp_path / "out"
    r = cli(example_ws, "build", "paris-meeting-2018", "--format", "pdf", "--format", "eml",
            "--no-sign", "--out", str(out))
    assert r.exit_code == 0, r.stderr
    msg = _message((out / "paris-meeting-2018" / "emmanuel-macron.eml").read_bytes())
    text = msg.get_body(("plain",)).get_content()
    assert "**" not in text and "\\\r\n" not in text
    assert "Libération d’Ilgar Mammadov et des autres prisonniers d’opinion" in text
    html = msg.get_body(("html",)).get_content()
    assert "data:" not in html and "@page" not in html and "cid:" in html
    [pdf] = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == (
        "Lettre ouverte - le président Macron doit demander la libération des prisonniers "
        "d’opinion lors de sa rencontre avec le président Aliev le 20 juillet.pdf")


@pytest.mark.slow
def test_the_subject_is_the_letters_subject(example_ws, tmp_path, cli):
    out = tmp_path / "out"
    r = cli(example_ws, "build", "paris-meeting-2018", "--recipient", "emmanuel-macron",
            "--format", "pdf", "--format", "eml", "--no-sign", "--out", str(out))
    assert r.exit_code == 0, r.stderr
    msg = _message((out / "paris-meeting-2018" / "emmanuel-macron.eml").read_bytes())
    assert msg["Subject"] == ("Libération d’Ilgar Mammadov et des autres prisonniers d’opinion "
                              "en Azerbaïdjan")
