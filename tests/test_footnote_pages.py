"""Footnotes: a call and its note on the same page of the PDF; calls side by side in order and
separated, in the PDF and in the published HTML."""
from __future__ import annotations

import re

import pytest

from clarion.render.markup import to_html

CAMPAIGNS = ("isgandarli-killing-2024", "azerbaijan-statement-2025")


@pytest.fixture(scope="module")
def built(example_outputs):
    return example_outputs


def _pages(pdf):
    from pypdf import PdfReader
    return [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]


# a call: digits (and commas) right after a word or its punctuation, at a word's end
CALL = re.compile(r"(?<=[a-z.;:,)’”])(\d{1,2}(?:,\d{1,2})*)(?=\s|$)")
NOTE = re.compile(r"(?m)^(\d{1,2})\. \S")


@pytest.mark.parametrize("campaign", CAMPAIGNS)
def test_a_call_and_its_note_share_a_page(built, campaign):
    pages = _pages(built / campaign / f"{campaign}.pdf")
    noted = {int(n): i for i, text in enumerate(pages) for n in NOTE.findall(text)}
    called: dict[int, int] = {}
    for i, text in enumerate(pages):
        for group in CALL.findall(text):
            for n in group.split(","):
                called.setdefault(int(n), i)
    assert noted, "no footnote found"
    for n, page in called.items():
        if n in noted:
            assert noted[n] == page, f"note {n}: called on page {page + 1}, printed on {noted[n] + 1}"


def test_calls_side_by_side_are_in_order_in_the_pdf(built):
    text = "\n".join(_pages(built / "isgandarli-killing-2024" / "isgandarli-killing-2024.pdf"))
    assert "October 2024.1,2" in text and "since then.1,3" in text
    assert "since then.3,1" not in text


def test_calls_side_by_side_are_separated_and_in_order_in_the_html(built):
    html = (built / "isgandarli-killing-2024" / "isgandarli-killing-2024.html").read_text()
    numbers = [re.findall(r'class="footnote-ref"[^>]*>(\d+)</a></sup>(<sup>,</sup>)?', m)
               for m in re.findall(r"(?:<sup id=\"fnref[^>]*>.*?</sup>(?:<sup>,</sup>)?)+", html)]
    runs = [[int(n) for n, _ in run] for run in numbers if len(run) > 1]
    assert [1, 2] in runs and [1, 3] in runs
    assert all(run == sorted(run) for run in runs)
    assert all(all(comma for _, comma in run[:-1]) for run in numbers if len(run) > 1)


def test_endnotes_have_one_rule(built):
    html = (built / "isgandarli-killing-2024" / "isgandarli-killing-2024.html").read_text()
    assert ".endnotes hr { display: none; }" in html


@pytest.mark.parametrize("inline", [True, False])
def test_consecutive_calls_are_reordered(inline):
    md = "A.[^b]\n\nB.[^a][^b]\n\n[^a]: Note a.\n[^b]: Note b.\n"
    html, _ = to_html(md, inline_footnotes=inline)
    if inline:
        # b is numbered 1 (called first), a is 2: "B.¹,²" with the old call first
        assert re.search(r"B\.<sup>1</sup><sup>,</sup><span class=\"footnote\">Note a\.", html)
    else:
        assert re.search(r'B\.<sup id="fnref:a">.*?>1</a></sup><sup>,</sup><sup id="fnref2:b">'
                         r'.*?>2</a></sup>', html) or \
            re.search(r">1</a></sup><sup>,</sup><sup[^>]*>.*?>2</a></sup>", html), html
