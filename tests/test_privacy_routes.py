"""Each route by which a private value could reach a reader, in a real build: the build stops
and writes nothing. SVG text (an asset or a data: URI), text that CSS hides only on screen,
alt text, labels, link targets, bookmarks, attached files and e-mail headers."""
from __future__ import annotations

import base64
import re

import pytest
from conftest import BASE

CASE = "cases/ilgar-mammadov.yaml"
REAL = "Sister Leyla Nurieva, phone +994 50 777 1234"
PRIVATE = {CASE: BASE[CASE].replace("SECRET-FAMILY-CONTACT-12345", REAL)}
MAIL = {"clarion.yaml": BASE["clarion.yaml"].replace(
    "language: en", "language: en\n        mail: {from: TRG <office@example.org>}")}
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==")


def _svg(text: str) -> str:
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20">'
            f'<text x="1" y="15" font-size="12">{text}</text></svg>')


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _template(markup: str, style: str = "") -> dict[str, str]:
    """A workspace open-letter.html of its own: `markup` in the body, `style` in the head."""
    return {"templates/open-letter.html": (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{{{{ campaign.title }}}}</title>\n<style>\n{style}\n</style>\n</head>\n"
        f'<body class="open-letter">\n<h1>Letter</h1>\n<p>Dear all,</p>\n{markup}\n'
        "<p>Yours.</p>\n</body>\n</html>\n")}


def _body(text: str) -> dict[str, str]:
    return {"campaigns/letter.yaml": BASE["campaigns/letter.yaml"].replace(
        "We write about {{ case.name }}.", f"We write about {{{{ case.name }}}}. {text}")}


SPLIT = ('<b>Ley</b><span class="h">zz</span><b>la</b> '
         '<i>Nuri</i><span class="h"><em>qq</em>x</span><i>eva</i>')

ROUTES = {
    "svg text in an asset, in the PDF": (
        {"assets/card.svg": _svg("Leyla Nurieva"), **_body("![card](assets/card.svg)")}, "pdf"),
    "svg text in an asset, in the .html": (
        {"assets/card.svg": _svg("Leyla Nurieva"), **_body("![card](assets/card.svg)")}, "html"),
    "svg text in an asset split in tspans, in the PDF": (
        {"assets/card.svg": _svg("Ley<tspan>la</tspan> <tspan>Nuri</tspan>eva"),
         **_body("![card](assets/card.svg)")}, "pdf"),
    "svg text in an asset drawn as a CSS background": (
        {"assets/card.svg": _svg("Leyla Nurieva"), **_template(
            '<div style="width: 60mm; height: 8mm; '
            'background: url(assets/card.svg) no-repeat"></div>')}, "pdf"),
    "svg text in an asset an SVG uses": (
        {"assets/inner.svg": _svg("Leyla Nurieva"),
         "assets/card.svg": '<svg xmlns="http://www.w3.org/2000/svg" '
                            'xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="20">'
                            '<image href="inner.svg" width="200" height="20"/></svg>',
         **_body("![card](assets/card.svg)")}, "pdf"),
    "svg text in a data: URI": (
        _template(f'<p><img src="{_data_uri(_svg("Ley<tspan>la</tspan> Nurieva"))}" alt=""></p>'),
        "pdf"),
    "svg text in a data: URI, in the .html": (
        _template(f'<p><img src="{_data_uri(_svg("Ley<tspan>la</tspan> Nurieva"))}" alt=""></p>'),
        "html"),
    "text split by spans hidden on screen only": (
        _template(f"<p>{SPLIT}</p>", "@media screen { .h { display: none } }"), "html"),
    "text split by spans hidden in print only": (
        _template(f"<p>{SPLIT}</p>", "@media print { .h { display: none } }"), "pdf"),
    "text split by spans made invisible": (
        _template(f"<p>{SPLIT}</p>", ".h { font-size: 0 }"), "html"),
    "text split by spans too small to see, in the PDF": (
        _template('<p><b>Ley</b><span style="font-size: 0.2px"><i>z</i>z</span><b>la</b> '
                  '<b>Nuri</b><span style="color: transparent"><i>q</i>q</span><b>eva</b></p>'),
        "pdf"),
    "text written by style sheets before and after elements": (
        _template('<p><span class="a"></span><span class="b" title="Nurieva"></span></p>',
                  '.a::before { content: "Ley" } .b::after { content: "la " attr(title) }'),
        "html"),
    "text split by Markdown emphasis": (_body("We thank Ley**la** Nuri*eva*."), "md"),
    "alt texts of two Markdown images": (
        {"assets/a.png": PNG, **_body("![Leyla](assets/a.png)![Nurieva](assets/a.png)")}, "md"),
    "alt text split over two images": (
        {"assets/a.png": PNG, **_template(
            '<p><img src="assets/a.png" alt="Leyla"><img src="assets/a.png" alt="Nurieva"></p>')},
        "html"),
    "alt text split over two images, in the PDF": (
        {"assets/a.png": PNG, **_template(
            '<p><img src="assets/a.png" alt="Leyla"><img src="assets/a.png" alt="Nurieva"></p>')},
        "pdf"),
    "labels split over two elements": (
        _template('<p><span aria-label="Leyla">L.</span> <span aria-label="Nurieva">N.</span>'
                  "</p>"), "html"),
    "a link target": (_body("[our site](https://example.org/?who=Leyla%20Nurieva)"), "pdf"),
    "a link target in the .html": (
        _body("[our site](https://example.org/?who=Leyla%20Nurieva)"), "html"),
    "a bookmark label": (_template("", 'h1 { bookmark-label: "Ley" "la Nur" "ieva" }'), "pdf"),
    "a bookmark label from an attribute": (
        _template('<h2 title="Leyla Nurieva">Notes</h2>',
                  "h2 { bookmark-level: 2; bookmark-label: attr(title) }"), "pdf"),
    "an attached file": (
        {"assets/notes.txt": "Visit Leyla Nurieva.\n",
         **_template('<p><a rel="attachment" href="assets/notes.txt">notes</a></p>')}, "pdf"),
    "the e-mail subject": (
        {"campaigns/letter.yaml": BASE["campaigns/letter.yaml"].replace(
            "title: Release Ilgar Mammadov", "title: Leyla Nurieva asks"), **MAIL}, "eml"),
    "the PDF's metadata": (
        {"campaigns/letter.yaml": BASE["campaigns/letter.yaml"].replace(
            "subject: Release of Ilgar Mammadov", "subject: Ask Leyla Nurieva")}, "pdf"),
}


@pytest.mark.parametrize(("files", "fmt"), ROUTES.values(), ids=ROUTES.keys())
def test_the_build_stops_at_every_route(make_ws, cli, files, fmt):
    ws = make_ws({**PRIVATE, **MAIL, **files})
    result = cli(ws, "build", "--format", fmt)
    assert result.exit_code != 0, f"built: {result.stderr}"
    assert re.search(r"private data of case ilgar-mammadov would appear in the output .*"
                     r"\(private\.family, cases/ilgar-mammadov\.yaml:\d+\)", result.stderr), \
        result.stderr
    for part in ("Leyla", "Nurieva", "777"):
        assert part not in result.stderr
    assert not [p for p in ws.rglob("build/**/*") if p.is_file() and p.name != "manifest.json"]


def test_the_same_routes_build_without_the_private_value(make_ws, cli):
    """The markup of these routes is not refused as such: only the private value stops it."""
    ws = make_ws({**MAIL, "assets/card.svg": _svg("Sign here"), "assets/a.png": PNG,
                  **_template('<p><img src="assets/a.png" alt="Our"><img src="assets/a.png" '
                              f'alt="logo"></p><p>{SPLIT}</p><div style="width: 60mm; '
                              'height: 8mm; background: url(assets/card.svg)"></div>',
                              "@media screen { .h { display: none } }")})
    result = cli(ws, "build", "--format", "pdf", "--format", "html")
    assert result.exit_code == 0, result.stderr
    assert (ws / "build/letter/emmanuel-macron.pdf").exists()


VIEWS = {
    "a rule for print hides nothing on screen": (
        "@media print { .h { display: none } }", '<p>A<span class="h">B</span>C</p>',
        "ABC", "ABC"),
    "a rule for screen hides on screen": (
        "@media screen and (min-width: 1px) { .h { display: none } }",
        '<p>A<span class="h"><i>B</i></span>C</p>', "AC", "AC"),
    "a rule for ::before hides no element": (
        "p::before { display: none }", "<p>ABC</p>", "ABC", "ABC"),
    "the hidden attribute": ("", "<p>A<span hidden><i>B</i></span>C</p>", "AC", "AC"),
    "aria-hidden is seen, not read aloud": (
        "", '<p>A<span aria-hidden="true">B</span>C</p>', "ABC", "AC"),
    "visibility hides from both; a tiny font from sight only": (
        ".v { visibility: hidden } .t { font-size: 0.2px }",
        '<p>A<b class="v">B</b>C<b class="t">D</b>E</p>', "ACE", "ACDE"),
    "alt text and labels are read aloud": (
        "", '<p><img alt="A"><span aria-label="B">x</span></p>', "x", " A  B "),
}


@pytest.mark.parametrize(("style", "body", "shown", "aloud"), VIEWS.values(), ids=VIEWS.keys())
def test_the_html_as_its_readers_meet_it(style, body, shown, aloud):
    from clarion.output.privacy_screen import reader_views
    html = f"<html><head><style>{style}</style></head><body>{body}</body></html>"
    views = dict(reader_views(html, "screen"))
    assert views["the text as shown (screen)"].strip() == shown
    assert views["the text as read aloud (screen)"].strip() == aloud.strip()
