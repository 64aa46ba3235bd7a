"""Every URL a document shows is a link: a /URI annotation in the PDF, an <a href> in the HTML."""
from __future__ import annotations

import re

import pytest
from conftest import pdf_reader

URL = re.compile(r"https?://[^\s<>()\"“”«»]+[^\s<>()\"“”«».,;:!?’]")


@pytest.fixture(scope="module")
def built(example_outputs):
    return example_outputs


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
    assert checked >= 3  # the statement's and the press release's sources


def test_the_alerts_urls_are_links(example_ws, tmp_path):
    """A URL written in an alert's text (the example's alert has none left since it stopped
    citing itself) is a link in its PDF and its HTML."""
    import shutil

    from click.testing import CliRunner

    from clarion.cli import main
    ws = tmp_path / "ws"
    shutil.copytree(example_ws, ws)
    alert = ws / "campaigns" / "trial-watch-2014-10-06.yaml"
    url = "https://www.example.org/trials/2014/court-schedule-week-41.html"
    alert.write_text(alert.read_text("utf-8").replace(
        "we will update this alert as they happen.",
        f"we will update this alert as they happen. The court's schedule: {url}."), "utf-8")
    result = CliRunner().invoke(main, ["-w", str(ws), "build", "trial-watch-2014-10-06",
                                       "--format", "pdf", "--format", "html", "--no-sign"])
    assert result.exit_code == 0, result.output + result.stderr
    pdf = ws / "build" / "trial-watch-2014-10-06" / "trial-watch-2014-10-06.pdf"
    assert url in _uris(pdf)
    html = (pdf.with_suffix(".html")).read_text("utf-8")
    assert f'<a href="{url}">' in html
