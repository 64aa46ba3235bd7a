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
        assert md.startswith(f"{name.replace(chr(39), '’')}\\\nMinister of Foreign Affairs\\\n")


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
        assert any(w.text == "Zaoralek" for w in heads)  # the addressee, not the title
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


LONG_BODY = "\n\n".join(["  We write about the case of Ilgar Mammadov and the judgments of the "
                          "European Court of Human Rights, which have not been carried out. "
                          * 3] * 9)


@pytest.fixture(scope="module")
def letters(tmp_path_factory):
    """Letters measured for DIN 5008: two signatories, a copy, a nine-line address, marks."""
    root = tmp_path_factory.mktemp("din")
    write_files(root, {
        "clarion.yaml": "organisation: {name: Test Rights Group, short: TRG, address: "
                        "[Rue 1, 1000 Brussels, Belgium]}\nlanguage: en\n",
        "cases/ilgar-mammadov.yaml": "name: Ilgar Mammadov\nstatus: imprisoned\n",
        "recipients/minister.yaml": "name: Anna Lindqvist\ntitle: Minister\nhonorific: "
                                    "Minister\ngender: female\naddress: [Street 1, 100 City]\n"
                                    "country: Sweden\nlanguage: en\n",
        "recipients/nine.yaml": "name: Nine Lines\ngender: male\naddress: [L2, L3, L4, L5, "
                                "L6, L7, L8]\ncountry: Norway\nlanguage: en\n",
        "recipients/ambassador.yaml": "name: Jean Dupont\nhonorific: Ambassador\ngender: male"
                                      "\naddress: [Ambassade, 1 rue X, 75001 Paris]\n"
                                      "country: France\nlanguage: fr\ngroups: [embassies]\n",
        "signatories/all.yaml": "signatories:\n  - {id: lead, organisation: Lead Organisation, "
                                "person: Brigitte Dufour, title: Director, signature: "
                                "assets/sig.png}\n  - {id: club, organisation: Club, person: "
                                "Rasul Jafarov, title: Chair}\n",
        "assets/sig.png": tiny_png(),
        "campaigns/letter.yaml": "kind: open-letter\ntitle: Free him\ndate: 2018-07-18\n"
            "cases: [ilgar-mammadov]\nrecipients: [minister, nine]\nto: [minister]\n"
            "cc: [group:embassies]\nsignatories: [lead, club]\nasks: [Release him.]\n"
            "body: |\n" + LONG_BODY + "\n",
        "campaigns/by-hand.yaml": "kind: open-letter\ntitle: Sign here\ndate: 2018-07-18\n"
            "recipients: [minister]\nsignatories: [lead, club]\nsign_by_hand: true\n"
            "body: Short.\n",
    })
    from click.testing import CliRunner

    from clarion.cli import main
    result = CliRunner().invoke(main, ["-w", str(root), "build", "--format", "pdf",
                                       "--format", "md", "--format", "html"])
    assert result.exit_code == 0, result.output
    return root


def _dark_rows(pdf, page: int, x_mm: tuple[float, float]) -> list[float]:
    """Millimetres from the top where page `page` has dark pixels between x_mm[0] and x_mm[1]."""
    import subprocess
    dpi = 150
    out = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page),
                          str(pdf)], capture_output=True, check=True).stdout
    header, rest = out.split(b"\n", 1)[0], out.split(b"\n", 1)[1]
    assert header == b"P5"
    dims, rest = rest.split(b"\n", 1)
    width, height = map(int, dims.split())
    pixels = rest.split(b"\n", 1)[1]
    px = dpi / 25.4
    rows = []
    for y in range(height):
        line = pixels[y * width:(y + 1) * width]
        if any(v < 160 for v in line[int(x_mm[0] * px):int(x_mm[1] * px)]):
            rows.append(round(y / px, 1))
    return rows


def test_fold_and_punch_marks_at_their_places(letters):
    rows = _dark_rows(letters / "build" / "letter" / "minister.pdf", 1, (2, 12))
    for mark in (105, 148.5, 210):
        assert any(abs(r - mark) <= 0.6 for r in rows), (mark, rows)
    assert all(any(abs(r - m) <= 1 for m in (105, 148.5, 210)) for r in rows), rows
    assert _dark_rows(letters / "build" / "letter" / "minister.pdf", 2, (2, 12)) == []


def test_marks_can_be_turned_off(letters, tmp_path):
    import shutil

    from click.testing import CliRunner

    from clarion.cli import main
    root = tmp_path / "ws"
    shutil.copytree(letters, root, ignore=shutil.ignore_patterns("build"))
    text = (root / "clarion.yaml").read_text() + "build: {marks: false}\n"
    (root / "clarion.yaml").write_text(text)
    result = CliRunner().invoke(main, ["-w", str(root), "build", "by-hand", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert _dark_rows(root / "build" / "by-hand" / "minister.pdf", 1, (2, 12)) == []


def test_address_in_the_din_zones(letters):
    ws = words(letters / "build" / "letter" / "minister.pdf")
    ret = find([w for w in ws if w.page == 1], "TRG")[0]
    assert 45 <= ret.y0 and ret.y1 <= 51, ret  # return line at the top of the window
    name = find([w for w in ws if w.page == 1], "Anna")[0]
    assert abs(name.y0 - 62.7) <= 1.5, name  # a short address starts the address zone
    assert 24 <= name.x0 <= 26
    copy = [w for w in words(letters / "build" / "letter" / "ambassador.pdf") if w.page == 1]
    top, bottom = find(copy, "Jean")[0], find(copy, "FRANCE")[0]  # a copy: its own window
    assert abs(top.y0 - 62.7) <= 1.5 and bottom.y1 <= 90


def test_nine_line_address_uses_the_note_zone(tmp_path):
    from click.testing import CliRunner

    from clarion.cli import main
    write_files(tmp_path, {
        "clarion.yaml": "organisation: {name: T, address: [Rue 1, 1000 Brussels, Belgium]}\n",
        "recipients/nine.yaml": "name: Nine Lines\naddress: [L2, L3, L4, L5, L6, L7, L8]\n"
                                "country: Norway\n",
        "campaigns/c.yaml": "kind: open-letter\ntitle: T\ndate: 2018-07-18\n"
                            "recipients: [nine]\nbody: Short.\n",
    })
    result = CliRunner().invoke(main, ["-w", str(tmp_path), "build", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    first = [w for w in words(tmp_path / "build" / "c" / "nine.pdf") if w.page == 1]
    top, bottom = find(first, "Nine")[0], find(first, "NORWAY")[0]
    assert 50 <= top.y0 < 62.7 and 80 <= bottom.y1 <= 90, (top, bottom)


def test_over_long_address_is_refused_at_validate(tmp_path):
    from click.testing import CliRunner

    from clarion.cli import main
    write_files(tmp_path, {
        "clarion.yaml": "organisation: {name: T, address: [Rue 1, 1000 Brussels, Belgium]}\n",
        "recipients/long.yaml": "name: Too Long\ntitle: Minister\naddress: [L1, L2, L3, L4, "
                                "L5, L6, L7, L8, L9, L10]\ncountry: Norway\n",
    })
    result = CliRunner().invoke(main, ["-w", str(tmp_path), "validate"])
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "address:" in line]
    assert lines and lines[0].startswith("recipients/long.yaml:3: address: "), result.stdout
    assert "13 lines" in lines[0] and "window shows 9" in lines[0]


def test_copy_recipient_gets_a_cover_note_and_the_cc_line(letters):
    folder = letters / "build" / "letter"
    text = flat(pdf_text(folder / "ambassador.pdf"))
    cover, letter = text.find("Monsieur l’Ambassadeur,"), text.find("Dear Minister Lindqvist,")
    assert 0 <= cover < text.find("pour information") < letter, (cover, letter)
    assert "COPIE" in text and "cc: Nine Lines; Jean Dupont" in text
    md = (folder / "minister.md").read_text()
    assert "cc: Nine Lines; Jean Dupont" in md and "Monsieur" not in md


def test_two_signatories_side_by_side_at_the_same_height(letters):
    ws = words(letters / "build" / "letter" / "minister.pdf")
    dufour, jafarov = find(ws, "Dufour,")[0], find(ws, "Jafarov,")[0]
    assert dufour.page == jafarov.page
    assert abs(dufour.y0 - jafarov.y0) < 0.5 and jafarov.x0 - dufour.x0 > 50
    # the closing and the signatures are not alone on their page: body text is there too
    body = [w for w in ws if w.page == dufour.page and w.text == "Rights," and w.y0 < dufour.y0]
    assert body, "at least some lines of the body before the signatures"


def test_room_to_sign_by_hand(letters):
    ws = words(letters / "build" / "by-hand" / "minister.pdf")
    closing, name = find(ws, "sincerely,")[0], find(ws, "Dufour,")[0]
    assert name.y0 - closing.y1 >= 20  # 16 mm to sign, and the spacing around it
    assert not list(pdf_reader(letters / "build" / "by-hand" / "minister.pdf").pages[0].images)


def test_running_head_on_page_two_is_small_and_away_from_the_edge(letters):
    ws = words(letters / "build" / "letter" / "minister.pdf")
    head = [w for w in ws if w.page == 2 and w.y1 < 19]  # above the page area (20 mm)
    assert [w.text for w in head][:2] == ["Anna", "Lindqvist"], head
    assert all(w.y0 >= 9 and w.y1 - w.y0 < 3.6 for w in head), head  # body text: 4.3 mm
    assert "Page" in [w.text for w in head]


def test_us_letter_address_in_the_number_10_window(tmp_path):
    from click.testing import CliRunner

    from clarion.cli import main
    write_files(tmp_path, {
        "clarion.yaml": "organisation: {name: T, address: [1 Main St, Boston MA, USA]}\n"
                        "build: {paper: letter}\n",
        "recipients/six.yaml": "name: Six Lines\naddress: [L2, L3, L4, L5]\ncountry: Canada\n",
        "campaigns/c.yaml": "kind: open-letter\ntitle: T\ndate: 2018-07-18\n"
                            "recipients: [six]\nbody: Short.\n",
    })
    result = CliRunner().invoke(main, ["-w", str(tmp_path), "build", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    first = [w for w in words(tmp_path / "build" / "c" / "six.pdf") if w.page == 1]
    top, bottom = find(first, "Six")[0], find(first, "CANADA")[0]
    # the #10 window: 7/8 in (22.2 mm) from the left, 2 in to 3 1/8 in (50.8–79.4 mm) down
    assert 50.5 <= top.y0 and bottom.y1 <= 79.4 and top.x0 >= 22.2, (top, bottom)
    # fold marks at the thirds of 11 in
    rows = _dark_rows(tmp_path / "build" / "c" / "six.pdf", 1, (2, 12))
    for mark in (93.13, 139.7, 186.27):
        assert any(abs(r - mark) <= 0.6 for r in rows), (mark, rows)


@pytest.fixture(scope="module")
def example_pdfs(example_outputs):
    return example_outputs


def _page_texts(pdf):
    return [flat(page.extract_text() or "") for page in pdf_reader(pdf).pages]


def test_the_copy_line_never_stands_alone_on_a_page(example_pdfs):
    # the French letter's "Copie :", and "Surəti:" in the courtesy translation the ambassador gets
    for pdf, label, closing, signer in (
            ("emmanuel-macron", "Copie", "Nous vous prions", "Brigitte Dufour"),
            ("azerbaijan-ambassador-france", "Surəti", "Hörmətlə", "Cəfərov")):
        pages = _page_texts(example_pdfs / "paris-meeting-2018" / f"{pdf}.pdf")
        page = next(i for i, text in enumerate(pages) if label in text)
        # the closing and the signatories are on the copy line's page
        assert signer in pages[page] and closing in pages[page], pdf


def test_a_case_block_of_the_alert_breaks_rather_than_leave_the_page_empty(example_pdfs):
    pdf = example_pdfs / "trial-watch-2014-10-06" / "trial-watch-2014-10-06.pdf"
    found = words(pdf)
    body = [w for w in found if w.page == 1 and w.y1 < 270]  # above the page number
    # page 1 is filled to its foot: the text runs below 240 mm of the 297
    assert max(w.y1 for w in body) > 240, max(w.y1 for w in body)
    # and the second case's heading starts on page 1 with at least two of its rows
    heading = [w for w in find(found, "programme") if w.page == 1]  # only in its heading
    assert heading, "the second case block moved whole to page 2"


def test_a_press_release_is_signed_by_no_one(example_pdfs):
    text = " ".join(_page_texts(example_pdfs / "isgandarli-killing-2024" /
                                "isgandarli-killing-2024.pdf"))
    before_ends = text.split("ENDS")[0] if "ENDS" in text else text.split("E NDS")[0]
    # the quotes name her ("Brigitte Dufour, Director, International Partnership for Human
    # Rights, said:"); a signature block would print her organisation with its country
    assert "Brigitte Dufour" in before_ends
    assert "Human Rights (Belgium)" not in before_ends


def test_a_bare_letterhead_is_a_wordmark_above_a_rule(example_pdfs):
    pdf = example_pdfs / "azerbaijan-statement-2025" / "azerbaijan-statement-2025.pdf"
    name = [w for w in find(words(pdf), "Amnesty") if w.page == 1]
    assert name and name[0].x0 < 40  # at the left margin (25 mm), not pushed to the right
