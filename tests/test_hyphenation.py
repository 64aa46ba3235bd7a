"""Hyphenation in the PDF: never inside a name, a word in capitals, a word with digits or a URL;
at most two hyphenated lines in a row; none across a page break (read back from real PDFs)."""
from __future__ import annotations

import re
import subprocess

import pytest

from clarion.render import breaks

HYPHEN = "\u2010"


@pytest.fixture(scope="module")
def built(example_outputs):
    return example_outputs


def _body_lines(pdf) -> list[list[str]]:
    """Each page's lines set in the body face (running heads, page numbers and footnotes, which
    are smaller, left out), top to bottom, read with poppler's -bbox-layout."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = []
    for page in xml.split("<page ")[1:]:
        lines = []
        for line in re.findall(r"<line [^>]*>(.*?)</line>", page, re.S):
            words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
                               line)
            heights = sorted(float(b) - float(a) for a, b, _ in words)
            if words and heights[len(heights) // 2] >= 11.5:  # 10.5 pt text; notes are 8 pt
                text = " ".join(w for _, _, w in words)
                lines.append((float(words[0][0]), __import__("html").unescape(text)))
        pages.append([text for _, text in sorted(lines)])
    return pages


def _hyphenated_words(pages):
    flat = [line for page in pages for line in page]
    for line, following in zip(flat, [*flat[1:], ""], strict=True):
        if line.rstrip().endswith(HYPHEN):
            head = line.rstrip()[:-1].split()[-1] if line.rstrip()[:-1].split() else ""
            yield head + (following.split()[0] if following.split() else "")


def test_no_name_capitals_digits_or_url_is_hyphenated(built):
    seen = 0
    for pdf in sorted(built.rglob("*.pdf")):
        for word in _hyphenated_words(_body_lines(pdf)):
            seen += 1
            core = word.strip("“”«»()[],.;:!?’'")
            assert not core[:1].isupper(), (pdf.name, word)  # a name (or a capitalised word)
            assert not any(c.isdigit() for c in core), (pdf.name, word)
            assert "/" not in core and "www" not in core and "http" not in core, (pdf.name, word)
    assert seen, "no hyphenated line at all: the test reads nothing"


def test_names_never_carry_a_hyphen_in_the_pdf_text(built):
    from conftest import pdf_reader
    names = ("Azerbaïdjan", "Aliyev", "Isgandarli", "Mammadov", "Kalesnikava", "iphronline")
    for pdf in sorted(built.rglob("*.pdf")):
        text = "".join(page.extract_text() or "" for page in pdf_reader(pdf).pages)
        for name in names:
            for cut in range(2, len(name) - 1):
                assert f"{name[:cut]}{HYPHEN}\n{name[cut:]}" not in text, (pdf.name, name)


def test_at_most_two_hyphenated_lines_in_a_row(built):
    for pdf in sorted(built.rglob("*.pdf")):
        run = 0
        for line in (line for page in _body_lines(pdf) for line in page):
            run = run + 1 if line.rstrip().endswith(HYPHEN) else 0
            assert run <= 2, (pdf.name, line)


def test_no_hyphen_across_a_page_break(built):
    """WeasyPrint has no `hyphenate-limit-last`: the PDF writer lays the document out again
    with the words it hyphenated across a page kept whole (breaks.keeping_whole)."""
    for pdf in sorted(built.rglob("*.pdf")):
        for page in _body_lines(pdf)[:-1]:
            assert not (page and page[-1].rstrip().endswith(HYPHEN)), (pdf.name, page[-1])


def test_laying_out_again_with_the_faults_kept_whole_clears_them(tmp_path):
    """The guarantee WeasyPrint lacks, as the PDF writer can give it: lay out, find the words
    hyphenated across a page or in a third line in a row, keep them whole, lay out again."""
    import weasyprint
    words = ("information engagement international considerations procedure "
             "extraordinary organisations responsibility ")
    para = (words * 3 + "end. ")
    html = ('<html lang="en"><style>@page { size: 90mm 60mm; margin: 5mm }'
            "p { hyphens: auto; font: 10.5pt/1.42 'Charis SIL'; margin: 0 } "
            '.whole { hyphens: manual }</style><body class="print">'
            + "".join(f"<p>{para}</p>" for _ in range(6)) + "</body></html>")

    def faults_of(source: str) -> set[str]:
        pdf = tmp_path / "t.pdf"
        weasyprint.HTML(string=source).write_pdf(pdf)
        return breaks.hyphen_faults(_body_lines_any(pdf))

    first = faults_of(html)
    assert first, "the sample should hyphenate across a page or in a ladder"
    kept = html
    for _ in range(4):
        found = faults_of(kept)
        if not found:
            break
        first |= found
        kept = breaks.mark(html, "en", names=first)
    assert faults_of(kept) == set()


def _body_lines_any(pdf) -> list[list[str]]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return [[" ".join(re.findall(r">([^<]*)</word>", line))
             for line in re.findall(r"<line [^>]*>(.*?)</line>", page, re.S)]
            for page in xml.split("<page ")[1:]]


def test_hyphen_faults_finds_page_ends_and_ladders():
    pages = [["a line that ends in engage" + HYPHEN],
             ["ment and", "one" + HYPHEN, "two two" + HYPHEN, "three thr" + HYPHEN, "ee", "x"]]
    assert breaks.hyphen_faults(pages) == {"engagement", "three"}
