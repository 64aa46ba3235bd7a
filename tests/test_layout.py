"""The printed page, measured: window-envelope address, letterhead, columns, footnotes."""
from __future__ import annotations

import struct
import zlib

import pytest
from conftest import flat, pdf_reader, pdf_text, write_files
from pdfcheck import find, words

pytestmark = pytest.mark.slow  # the module's workspace lays out sixty letters (~30 s)

HARD_NAMES = ["Ľubomír Zaoralek", "Jonas Gahr Støre", "Məhəmməd Əliyev", "Νίκος Κοτζιάς",
              "Seán Ó Fearghaíl", "Dara O'Brien", "Åsa Ødegård", "Łukasz Żółć",
              "Хадиджа Исмаилова", "Gülnarə İsmayılova"]


def tiny_png() -> bytes:
    """A 40×12 black-on-white PNG, written by hand (no imaging library needed)."""
    width, height = 40, 12
    rows = b"".join(b"\x00" + bytes(0 if 3 < x < 36 and y in (5, 6) else 255
                                    for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def signon(tmp_path_factory):
    """A held-out-like workspace: 60 CSV recipients, 13 signatories, 50-signatory letter."""
    root = tmp_path_factory.mktemp("signon")
    rows = ["id,name,title,honorific,gender,address,country,language,groups"]
    for i in range(60):
        name = HARD_NAMES[i % len(HARD_NAMES)]
        rows.append(f'r{i:02d},"{name}",Minister of Foreign Affairs,Minister,'
                    f'{"female" if i % 2 else "male"},Street {i} | 100{i} Capital,Country {i},'
                    f'en,ministers')
    sigs = "\n".join(f"  - {{id: org-{i:02d}, organisation: Organisation Number {i:02d} for "
                     f"Rights, country: Country {i}}}" for i in range(50))
    write_files(root, {
        "clarion.yaml": "organisation: {name: Sign-on Coalition, short: SOC, address: "
                        "[Rue 1, 1000 Brussels, Belgium]}\n",
        "cases/ilgar-mammadov.yaml": "name: Ilgar Mammadov\nstatus: imprisoned\n"
                                     "sources: {echr: {title: Judgment, publisher: ECtHR, "
                                     "date: 2014-05-22, url: 'https://example.org/j'}}\n",
        "recipients/ministers.csv": "\n".join(rows) + "\n",
        "signatories/coalition.yaml": "signatories:\n  - {id: lead, organisation: Lead "
                                      "Organisation, person: Brigitte Dufour, title: Director, "
                                      "signature: assets/sig.png, country: Belgium}\n" + sigs,
        "assets/sig.png": tiny_png(),
        "campaigns/thirteen.yaml": "kind: open-letter\ntitle: Free Ilgar Mammadov\n"
            "date: 2018-07-18\nplace: Brussels\ncases: [ilgar-mammadov]\n"
            "recipients: [group:ministers]\nsignatories: [lead, "
            + ", ".join(f"org-{i:02d}" for i in range(12)) + "]\n"
            "body: |\n  We write about {{ case.name }}.{{ cite('echr') }}\n",
        "campaigns/fifty.yaml": "kind: open-letter\ntitle: Fifty sign\ndate: 2018-07-18\n"
            "cases: [ilgar-mammadov]\nrecipients: [r00]\nsignatories: ["
            + ", ".join(f"org-{i:02d}" for i in range(50)) + "]\nbody: Short letter.\n",
    })
    from click.testing import CliRunner

    from clarion.cli import main
    out = root / "build"
    result = CliRunner().invoke(main, ["-w", str(root), "build", "--format", "pdf",
                                       "--format", "md"])
    assert result.exit_code == 0, result.output
    return out


def test_sixty_letters_each_with_its_own_name(signon):
    pdfs = sorted((signon / "thirteen").glob("*.pdf"))
    assert len(pdfs) == 60
    for i in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 59):
        text = flat(pdf_text(signon / "thirteen" / f"r{i:02d}.pdf"))
        name = HARD_NAMES[i % len(HARD_NAMES)]
        assert name.replace("'", "’") in text, (i, name)  # typographic apostrophe: O’Brien
        assert f"Street {i}" in text
        md = (signon / "thirteen" / f"r{i:02d}.md").read_text()
        assert f"recipient: {name}" in md or f"recipient: '{name}'" in md or \
            f'recipient: "{name}"' in md


def test_address_sits_in_the_window_with_the_letterhead_above(signon):
    ws = words(signon / "thirteen" / "r00.pdf")
    first = [w for w in ws if w.page == 1]
    name = find(first, "Ľubomír")[0]
    assert 24 <= name.x0 <= 26 and 45 <= name.y0 <= 90, name
    for text in ("Street", "Capital", "COUNTRY"):
        w = find(first, text)[0]
        assert 20 <= w.x0 and w.x1 <= 105 and 45 <= w.y0 and w.y1 <= 90, w
    letterhead = find(first, "Sign-on")[0]
    assert letterhead.y1 < 45


def test_signatories_in_columns_with_signature_image(signon):
    pdf = signon / "thirteen" / "r00.pdf"
    ws = words(pdf)
    orgs = [w for w in ws if w.text == "Organisation"]
    assert len(orgs) == 13 - 1 + 0 or len(orgs) >= 12
    columns = {round(w.x0 / 10) for w in orgs}
    assert len(columns) >= 2, columns
    text = flat(pdf_text(pdf))
    assert "Brigitte Dufour, Director" in text
    images = [x for page in pdf_reader(pdf).pages for x in page.images]
    assert images, "the signature image is embedded"
    html = (signon / "thirteen" / "r00.md").read_text()
    assert "Brigitte Dufour" in html


def test_fifty_signatories_stay_tidy(signon):
    pdf = signon / "fifty" / "r00.pdf"
    reader = pdf_reader(pdf)
    assert len(reader.pages) <= 3
    text = flat(pdf_text(pdf))
    for i in range(50):
        assert f"Organisation Number {i:02d} for Rights" in text
    orgs = [w for w in words(pdf) if w.text == "Organisation"]
    assert len({round(w.x0 / 10) for w in orgs}) >= 3


def test_page_numbers_and_running_title(signon):
    pdf = signon / "fifty" / "r00.pdf"
    ws = words(pdf)
    pages = len(pdf_reader(pdf).pages)
    if pages > 1:
        heads = [w for w in ws if w.page == 2 and w.y0 < 20]
        assert any(w.text == "Fifty" for w in heads)
    marks = [w for w in ws if w.text == f"{pages}" and w.y0 > 270]
    assert len(marks) >= 1


def test_footnote_at_the_foot_of_its_page(signon):
    pdf = signon / "thirteen" / "r00.pdf"
    ws = words(pdf)
    note = find(ws, "https://example.org/j")
    assert note, [w.text for w in ws if "example" in w.text]
    body = find(ws, "about")[0]
    assert note[0].page == body.page and note[0].y0 > body.y0 + 20
    assert note[0].y0 > 230


def test_fonts_are_embedded_and_names_are_intact(signon):
    reader = pdf_reader(signon / "thirteen" / "r02.pdf")
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            desc = font.get("/FontDescriptor") or \
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts.append(desc.get_object())
    assert fonts and all("/FontFile2" in f or "/FontFile3" in f or "/FontFile" in f
                         for f in fonts)
    assert "Məhəmməd Əliyev" in flat(pdf_text(signon / "thirteen" / "r02.pdf"))
    assert "Νίκος Κοτζιάς" in flat(pdf_text(signon / "thirteen" / "r03.pdf"))
    assert "Хадиджа Исмаилова" in flat(pdf_text(signon / "thirteen" / "r08.pdf"))
