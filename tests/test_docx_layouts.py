"""A .docx's sign-on lists (numbered, plain), multi-line closing and a body's headings,
emphasis, links, quotes and lists, read back from real builds with python-docx."""
from __future__ import annotations

import docx
from conftest import BASE, write_files
from docx.oxml.ns import qn
from test_docx import W, body_paragraphs, style_of, text_of
from test_signatories import LISTED, NUMBERED, SIGNON, _build

BODY = """\
    body: |
      We write about {{ case.name }}. *Read* **the** [report](https://example.org/report).

      ## What we ask

      > A quote from the court.

      - one
      - two
    """


def _letter(text: str) -> str:
    return text.replace("    body: We write about {{ case.name }}.\n", BODY)


def _open(root, campaign: str):
    return docx.Document(str(root / "build" / campaign / "emmanuel-macron.docx"))


def _built(tmp_path):
    root = write_files(tmp_path, {**BASE, "signatories/signon.yaml": SIGNON,
                                  "campaigns/numbered.yaml": _letter(NUMBERED),
                                  "campaigns/listed.yaml": LISTED})
    _build(root, "docx")
    return root


def _numbered(document, p) -> str | None:
    """The list format of a paragraph's numbering ("decimal", "bullet"), or None."""
    num = p.find(f"{W}pPr/{W}numPr/{W}numId")
    if num is None:
        return None
    numbering = document.part.numbering_part.element
    abstract = numbering.num_having_numId(int(num.get(qn("w:val")))).abstractNumId.val
    return numbering.find(f"{W}abstractNum[@{qn('w:abstractNumId')}='{abstract}']/{W}lvl/"
                          f"{W}numFmt").get(qn("w:val"))


def test_a_numbered_sign_on_list_and_a_plain_one(tmp_path):
    root = _built(tmp_path)
    numbered = _open(root, "numbered")
    lines = [p for p in body_paragraphs(numbered) if style_of(p) == "SignatoryLine"]
    assert len(lines) == 5 and {_numbered(numbered, p) for p in lines} == {"decimal"}
    assert "Vera Jarach" in "".join(text_of(p) for p in lines)
    assert [text_of(p) for p in body_paragraphs(numbered) if style_of(p) == "Closing"] == [
        "Respectfully,\nConcerned citizens"]
    assert not [t for t in numbered.tables  # one a line, not a grid
                if "Vera Jarach" in "".join(c.text for row in t.rows for c in row.cells)]
    listed = _open(root, "listed")
    lines = [p for p in body_paragraphs(listed) if style_of(p) == "SignatoryLine"]
    assert len(lines) == 5 and {_numbered(listed, p) for p in lines} == {None}
    assert "Signed by" in [text_of(p) for p in body_paragraphs(listed)
                           if style_of(p) == "Heading2"]
    assert not [p for p in body_paragraphs(listed) if style_of(p) == "Closing"]


def test_a_body_keeps_its_headings_emphasis_links_quotes_and_lists(tmp_path):
    document = _open(_built(tmp_path), "numbered")
    paras = body_paragraphs(document)
    first = next(p for p in paras if "We write about" in text_of(p))
    runs = [(r.text, r.italic, r.bold) for r in document.paragraphs[
        [q._p for q in document.paragraphs].index(first)].iter_inner_content()
        if hasattr(r, "italic")]
    assert ("Read", True, None) in runs and ("the", None, True) in runs
    links = list(first.iter(f"{W}hyperlink"))
    assert len(links) == 1 and "".join(t.text for t in links[0].iter(f"{W}t")) == "report"
    rel = document.part.rels[links[0].get(qn("r:id"))]
    assert rel.is_external and rel.target_ref == "https://example.org/report"
    styles = [(style_of(p), text_of(p)) for p in paras if text_of(p).strip()]
    assert ("Heading2", "What we ask") in styles
    assert ("Quote", "A quote from the court.") in styles
    items = [p for p in paras if text_of(p) in ("one", "two")]
    assert [_numbered(document, p) for p in items] == ["bullet", "bullet"]
    order = [text for _, text in styles]
    assert order.index("What we ask") < order.index("A quote from the court.") \
        < order.index("one") < order.index("two")
