"""A .docx under the checks every output has: the privacy scan reads it back (body, footnotes,
headers, footers, properties) and `clarion verify` holds it to the sealed manifest."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import pytest
from docx.oxml.ns import qn
from test_docx import W
from test_privacy_build import PRIVATE, REAL, _body, _with_private

from clarion.output import privacy
from clarion.output.docx_build import write_docx
from clarion.output.docx_text import docx_parts

LANGS = {"en": "en-GB", "fr": "fr-FR"}
SECRET = "Sister Leyla Nurieva, phone +994 50 777 1234"


@dataclass(frozen=True)
class Private:
    case: str
    field: str
    file: str
    text: str


def _html(body: str = "<p>We write about Ilgar Mammadov.</p>", head: str = "TRG") -> str:
    return ("<!DOCTYPE html><html lang='en'><head><style>@page :first { @bottom-center { "
            "content: \"Page \" counter(page) } }</style></head><body class='open-letter "
            f"paper-a4'><p class='running-title'>{head}</p>{body}</body></html>")


def _scan(data: bytes):
    secrets = privacy.secret_forms([Private("ilgar-mammadov", "private.family",
                                            "cases/ilgar-mammadov.yaml", SECRET)])
    return privacy.scan_outputs(secrets, "build/letter/emmanuel-macron", docx=data)


META = {"title": "Letter", "author": "TRG", "subject": "Letter", "language": "en"}


def test_a_clean_docx_passes_the_scan():
    assert _scan(write_docx(_html(), languages=LANGS, metadata=META)) is None


@pytest.mark.parametrize(("html", "meta", "where"), [
    (_html("<p>Call 050 777 1234.</p>"), META, "the body"),
    (_html("<p>A fact.<span class='footnote'>Told by phone +994 50 777 1234.</span></p>"), META,
     "the footnotes"),
    (_html(head="+994 50 777 1234 · 18 July 2018"), META, "the page header"),
    (_html(), {**META, "title": "Call 050 777 1234"}, "the file's properties"),
    (_html("<p><a href='https://example.org/leyla-nurieva-777-1234'>a page</a></p>"), META,
     "the link targets"),
])
def test_a_private_value_anywhere_in_the_docx_is_found(html, meta, where):
    data = write_docx(html, languages=LANGS, metadata=meta)
    leak = _scan(data)
    assert leak is not None, where
    assert "emmanuel-macron.docx" in str(leak) and where in str(leak), str(leak)
    assert "Nurieva" not in str(leak) and "777" not in str(leak)


def test_the_scan_reads_every_part_of_the_file():
    data = write_docx(_html("<p>Body.<span class='footnote'>Note.</span></p>", head="Head"),
                      languages=LANGS, metadata=META)
    parts = dict(docx_parts(data))
    assert "Body." in parts["the body"] and parts["the footnotes"] == "Note."
    assert any(k.startswith("the page header") and v == "Head" for k, v in parts.items())
    assert any(k.startswith("the page footer") and "PAGE" in v for k, v in parts.items())
    assert "Letter" in parts["the file's properties"]


@pytest.mark.parametrize(("code", "tag"), [("ru", "ru-RU"), ("az", "az-Latn-AZ"),
                                           ("fr", "fr-FR"), ("en", "en-GB"), ("fr-BE", "fr-BE")])
def test_each_language_is_tagged_for_spell_checking(code, tag):
    """Russian, Azerbaijani (Latin script), French, British English; a regional code as it is."""
    from docx import Document

    from clarion.pipeline.make import word_languages
    html = _html("<p>Текст. <span lang='az'>Mətn.</span></p>").replace("lang='en'",
                                                                        f"lang='{code}'")
    data = write_docx(html, languages=word_languages(), metadata=META)
    document = Document(io.BytesIO(data))
    langs = [el.get(qn("w:val")) for el in document.element.body.iter(qn("w:lang"))]
    assert langs == [tag, "az-Latn-AZ"]
    defaults = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert defaults.get(qn("w:val")) == tag and document.core_properties.language == tag


def test_an_unreadable_docx_is_a_leak_not_a_pass():
    leak = _scan(b"PK\x03\x04 not a zip")
    assert leak is not None and "cannot be read back" in str(leak)


def test_a_private_value_in_the_letter_stops_the_docx(make_ws, cli):
    ws = make_ws({**_with_private(REAL), **_body("We thank Leyla Nurieva.")})
    result = cli(ws, "build", "--format", "docx")
    assert result.exit_code != 0
    assert "private data of case ilgar-mammadov would appear" in result.stderr
    assert "Nurieva" not in result.stderr
    assert not list((ws / "build").rglob("*.docx"))
    assert PRIVATE  # the base workspace's private value is what was replaced


def test_verify_checks_a_docx_against_the_sealed_manifest(make_ws, confirmed_cli):
    ws = make_ws()
    assert confirmed_cli(ws, "build", "--format", "docx").exit_code == 0
    built = sorted((ws / "build/letter").glob("*.docx"))
    assert built
    result = confirmed_cli(ws, "verify", str(ws / "build/letter"))
    assert result.exit_code == 0, result.stdout + result.stderr
    path = built[0]
    with zipfile.ZipFile(path) as z:  # a partner's edit: one word changed, file re-zipped
        entries = {i.filename: z.read(i.filename) for i in z.infolist()}
    entries["word/document.xml"] = entries["word/document.xml"].replace(b"We write",
                                                                          b"We wrote")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    path.write_bytes(out.getvalue())
    result = confirmed_cli(ws, "verify", str(path))
    assert result.exit_code == 1
    assert f"{path.name}" in result.stdout and "does not match its manifest.json entry" in \
        result.stdout, result.stdout
