"""Every URL a document shows is a link: a /URI annotation in the PDF, an <a href> in the HTML."""
from __future__ import annotations

import re

import pytest
from conftest import pdf_reader

URL = re.compile(r"https?://[^\s<>()\"“”«»]+[^\s<>()\"“”«».,;:!?’]")


@pytest.fixture(scope="module")
def built(example_ws, tmp_path_factory):
    from click.testing import CliRunner

    from clarion.cli import main
    out = tmp_path_factory.mktemp("links")
    result = CliRunner().invoke(main, ["-w", str(example_ws), "build", "--format", "pdf",
                                       "--format", "md", "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return out


def _uris(pdf) -> set[str]:
    found = set()
    for page in pdf_reader(pdf).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if action.get("/URI"):
                found.add(str(action["/URI"]))
    return found


def test_every_url_in_every_kind_is_a_link_in_the_pdf(built):
    checked = 0
    for md in sorted(built.rglob("*.md")):
        urls = set(URL.findall(md.read_text("utf-8")))
        pdf = md.with_suffix(".pdf")
        missing = urls - _uris(pdf)
        assert not missing, (pdf.name, sorted(missing))
        checked += len(urls)
    assert checked >= 3  # the statement's, the press release's and the alert's sources


def test_the_alerts_sources_are_links(built):
    pdf = built / "trial-watch-2014-10-06" / "trial-watch-2014-10-06.pdf"
    assert "https://www.iphronline.org/azerbaijan-who-is-next-trials-this-week.html" in _uris(pdf)
    html = (pdf.with_suffix(".html")).read_text("utf-8")
    assert ('<a href="https://www.iphronline.org/azerbaijan-who-is-next-trials-this-week.html">'
            in html)


def test_a_url_breaks_only_after_a_slash_or_a_dot_and_never_gets_a_hyphen(built):
    for pdf in sorted(built.rglob("*.pdf")):
        text = "\n".join(page.extract_text() or "" for page in pdf_reader(pdf).pages)
        for line in text.splitlines():
            tail = line.rstrip().split()[-1] if line.strip() else ""
            if "://" in tail or tail.startswith("www."):
                assert not tail.endswith("\u2010"), (pdf.name, line)
                assert tail[-1] in "/.-" or URL.fullmatch(tail), (pdf.name, line)
