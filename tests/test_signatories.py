"""Signatories as they sign: individuals without an organisation, signatory groups, the
sign-on list's layout, heading, order and countries, and the closing — read back from real
builds (PDF page by page, Markdown, HTML)."""
from __future__ import annotations

import html as markup
import re

import pytest
from conftest import BASE, flat, pdf_reader, write_files

SIGNON = """\
    signatories:
      - id: vera-jarach
        person: Vera Jarach
        title: mother of a disappeared person
        country: AR
        groups: [signon-2019]
      - id: amnesty
        organisation: Amnesty International
        country: GB
        groups: [signon-2019]
      - id: ana-lopez
        person: Ana López
        title: Journalist
        capacity: personal
        country: CZ
        groups: [signon-2019]
      - id: ccla
        organisation: Canadian Civil Liberties Association (CCLA)
        country: CA
        groups: [signon-2019]
      - id: outsider
        organisation: Not In The Group
    """
#: the same letter in two forms: a numbered sign-on list and an unnumbered one
NUMBERED = """\
    kind: open-letter
    title: Release Ilgar Mammadov
    date: 2019-03-01
    publication: web
    cases: [ilgar-mammadov]
    recipients: [emmanuel-macron]
    signatories: [trg, group:signon-2019]
    signatories_layout: numbered
    signatories_heading: true
    signatories_order: organisations-first
    show_country: false
    closing: "Respectfully,\\nConcerned citizens"
    body: We write about {{ case.name }}.
    """
LISTED = """\
    kind: open-letter
    title: Release Ilgar Mammadov
    date: 2019-03-01
    publication: web
    cases: [ilgar-mammadov]
    recipients: [emmanuel-macron]
    signatories: [group:signon-2019, trg]
    signatories_layout: list
    signatories_heading: {en: Signed by}
    closing: none
    body: We write about {{ case.name }}.
    """


def _build(root, *formats: str) -> None:
    from click.testing import CliRunner

    from clarion.cli import main
    args = ["-w", str(root), "build", "--no-sign"]
    for f in formats:
        args += ["--format", f]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output


def _visible(html: str) -> str:
    body = html.split("</head>", 1)[1]
    return markup.unescape(re.sub(r"<[^>]+>", "", body))


def _pages(pdf) -> list[str]:
    return [flat(page.extract_text() or "") for page in pdf_reader(pdf).pages]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = write_files(tmp_path_factory.mktemp("signers"), {
        **BASE, "signatories/signon.yaml": SIGNON, "campaigns/numbered.yaml": NUMBERED,
        "campaigns/listed.yaml": LISTED})
    _build(root, "pdf", "md", "html")
    return root / "build"


def _forms(built, campaign: str) -> dict[str, str]:
    folder = built / campaign
    return {"md": (folder / "emmanuel-macron.md").read_text("utf-8"),
            "html": _visible((folder / "emmanuel-macron.html").read_text("utf-8")),
            "pdf": "\n".join(_pages(folder / "emmanuel-macron.pdf"))}


@pytest.mark.slow  # lays out two letters
def test_numbered_list_organisations_first_with_heading_and_no_country(built):
    for form, text in _forms(built, "numbered").items():
        flat_text = flat(text)
        assert "Signatories" in flat_text, form
        # organisations (Jane Doe signs for hers) as listed, then individuals as listed
        order = ["Jane Doe, Director, Test Rights Group", "Amnesty International",
                 "Canadian Civil Liberties Association (CCLA)",
                 "Vera Jarach, mother of a disappeared person",
                 "Ana López, Journalist, in a personal capacity"]
        where = [flat_text.find(name) for name in order]
        assert -1 not in where and where == sorted(where), (form, where)
        for country in ("Argentina", "United Kingdom", "Canada", "Czechia", "Belgium"):
            assert f"({country})" not in flat_text, (form, country)
        assert "Not In The Group" not in flat_text
    md = (built / "numbered" / "emmanuel-macron.md").read_text("utf-8")
    assert "## Signatories\n\n1. Jane Doe, Director, Test Rights Group\n2. Amnesty " in md
    assert "\n5. Ana López, Journalist, in a personal capacity\n" in md
    html = (built / "numbered" / "emmanuel-macron.html").read_text("utf-8")
    assert '<ol class="signatories signon numbered"' in html
    # an individual's name is set as a name (bold), never as an organisation
    assert '<span class="person">Vera Jarach</span>, mother of a disappeared person</li>' in html


@pytest.mark.slow
def test_list_layout_in_group_order_with_countries(built):
    for form, text in _forms(built, "listed").items():
        flat_text = flat(text)
        assert "Signed by" in flat_text and "Signatories" not in flat_text, form
        order = ["Vera Jarach, mother of a disappeared person (Argentina)",
                 "Amnesty International (United Kingdom)",
                 "Ana López, Journalist (Czechia), in a personal capacity",
                 "Canadian Civil Liberties Association (CCLA) (Canada)",
                 "Jane Doe, Director, Test Rights Group (Belgium)"]
        where = [flat_text.find(name) for name in order]
        assert -1 not in where and where == sorted(where), (form, where)
    md = (built / "listed" / "emmanuel-macron.md").read_text("utf-8")
    assert ("Vera Jarach, mother of a disappeared person (Argentina)\\\n"
            "Amnesty International (United Kingdom)\\\n") in md
    assert "1. " not in md.split("## Signed by")[1]


@pytest.mark.slow
def test_closing_none_and_two_line_closing_in_every_format(built):
    for form, text in _forms(built, "listed").items():
        assert "Yours sincerely" not in text and "Respectfully" not in text, form
    md = (built / "numbered" / "emmanuel-macron.md").read_text("utf-8")
    assert "We write about Ilgar Mammadov.\n\nRespectfully,\\\nConcerned citizens\n" in md
    assert "Yours sincerely" not in md
    html = (built / "numbered" / "emmanuel-macron.html").read_text("utf-8")
    assert '<p class="closing">Respectfully,<br>Concerned citizens</p>' in html
    # in the PDF each line of the closing is a line of its own
    lines = [line.strip() for line in
             (pdf_reader(built / "numbered" / "emmanuel-macron.pdf").pages[0].extract_text()
              or "").splitlines()]
    at = lines.index("Respectfully,")
    assert lines[at + 1] == "Concerned citizens", lines


def test_a_signatory_needs_an_organisation_or_a_person(make_ws, cli):
    root = make_ws({"signatories/nobody.yaml": "title: Journalist\ncountry: CZ\n",
                    "campaigns/letter.yaml": None})
    result = cli(root, "validate")
    assert result.exit_code == 1
    assert "signatories/nobody.yaml:1: a signatory needs `organisation` or `person`" in \
        result.stdout


def test_an_individual_signs_without_an_organisation(make_ws, cli):
    root = make_ws({"signatories/vera.yaml": "person: Vera Jarach\n"
                                             "title: mother of a disappeared person\n"})
    result = cli(root, "validate")
    assert result.exit_code == 0, result.stdout


def test_an_unknown_signatory_group_is_reported_with_a_close_match(make_ws, cli):
    from conftest import BASE as base
    campaign = base["campaigns/letter.yaml"].replace(
        "signatories: [trg, hrc]", "signatories: [trg, group:signon-2091]")
    root = make_ws({"signatories/signon.yaml": SIGNON, "campaigns/letter.yaml": campaign})
    result = cli(root, "validate")
    assert result.exit_code == 1
    assert "signatories: no signatory is in group `signon-2091`; did you mean " \
           "`signon-2019`?" in result.stdout


def test_groups_in_a_signatories_spreadsheet(make_ws):
    from clarion.workspace.audience import signatories_of
    from clarion.workspace.load import load_workspace
    root = make_ws({"signatories/signon.csv": (
        "id,person,title,organisation,groups\n"
        "zoe,Zoë Ndiaye,Lawyer,,signon | lawyers\n"
        "ngo,,,Some NGO,signon\n"),
        "campaigns/letter.yaml": BASE["campaigns/letter.yaml"].replace(
            "signatories: [trg, hrc]", "signatories: [hrc, group:lawyers, group:signon]")})
    ws, _ = load_workspace(root)
    assert [s.id for s in signatories_of(ws, ws.campaigns["letter"])] == ["hrc", "zoe", "ngo"]
    assert ws.signatories["zoe"].groups == ("signon", "lawyers")
    assert ws.signatories["zoe"].organisation is None


ROLES = ("Journalist", "Professor of International Law, University of Somewhere",
         "mother of a disappeared person", "former judge of the Constitutional Court and "
         "member of the board of several human rights organisations in the region")


def _signon(count: int) -> str:
    """`count` mixed signatories: organisations (some with long names), people signing for
    them, and individuals; each printed entry starts with `SigNNN` and ends with `FinNNN`."""
    lines = ["signatories:"]
    for i in range(count):
        lines += [f"  - id: s{i:03d}", "    groups: [signon]"]
        kind = i % 5
        if kind == 0:
            lines.append(f"    organisation: Sig{i:03d} Association Fin{i:03d}")
        elif kind == 1:
            lines.append(f"    organisation: Sig{i:03d} Committee for the Protection of "
                         f"Journalists and Human Rights Defenders in Central Asia Fin{i:03d}")
        elif kind == 2:
            lines += [f"    person: Sig{i:03d} Ana María López", "    title: Director",
                      f"    organisation: Foundation Fin{i:03d}"]
        else:
            lines += [f"    person: Sig{i:03d} Vera Jarach",
                      f"    title: {ROLES[i % len(ROLES)]} Fin{i:03d}"]
        lines.append("    country: AR")
    return "\n".join(lines) + "\n"


def _statement(layout: str) -> str:
    return f"""\
        kind: statement
        title: Free them all
        date: 2019-03-01
        cases: [ilgar-mammadov]
        signatories: [group:signon]
        signatories_layout: {layout}
        signatories_heading: true
        show_country: false
        body: |
          {{{{ case.name }}}} must be released.

          We, the undersigned, call on the authorities to release him.
        """


@pytest.mark.slow  # lays out 300 names twice
def test_a_sign_on_list_of_300_names_keeps_each_name_whole_and_none_alone(tmp_path):
    root = write_files(tmp_path, {**BASE, "signatories/signon.yaml": _signon(300),
                                  "campaigns/numbered.yaml": _statement("numbered"),
                                  "campaigns/grid.yaml": _statement("grid")})
    _build(root, "pdf")
    for campaign in ("numbered", "grid"):
        pages = _pages(root / "build" / campaign / f"{campaign}.pdf")
        assert len(pages) > 3, campaign
        seen: dict[str, int] = {}
        for number, text in enumerate(pages, 1):
            starts = re.findall(r"Sig(\d{3})", text)
            ends = re.findall(r"Fin(\d{3})", text)
            assert sorted(starts) == sorted(ends), (campaign, number, set(starts) ^ set(ends))
            assert len(starts) != 1, (campaign, number, "a single name on the page")
            for n in starts:
                assert n not in seen, (campaign, n)
                seen[n] = number
        assert sorted(seen) == [f"{i:03d}" for i in range(300)], campaign
        assert "Signatories" in pages[seen["000"] - 1]


def test_a_broken_signatory_of_a_group_blocks_the_campaign_signed_by_the_group(make_ws, cli):
    signon = SIGNON.replace("        country: CZ\n", "        country: CZ\n        colour: red\n")
    campaign = BASE["campaigns/letter.yaml"].replace(
        "signatories: [trg, hrc]", "signatories: [trg, group:signon-2019]")
    root = make_ws({"signatories/signon.yaml": signon, "campaigns/letter.yaml": campaign,
                    "campaigns/other.yaml": BASE["campaigns/letter.yaml"]})
    result = cli(root, "build", "letter", "--no-sign", "--format", "md")
    assert result.exit_code == 1
    assert "colour" in result.stdout + result.stderr
    assert not (root / "build" / "letter").exists()
    # a campaign that does not use the group is not held up by it
    result = cli(root, "build", "other", "--no-sign", "--format", "md")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_heading_and_closing_follow_the_document_language():
    import datetime as dt

    from clarion.render.context import signing
    from clarion.workspace.model import Campaign, Kind, LocalText
    campaign = Campaign(id="x", kind=Kind("open-letter"), title="T", date=dt.date(2019, 3, 1),
                        signatories_heading=LocalText.plain("true"),
                        closing=LocalText((("en", "Respectfully,\nConcerned citizens"),
                                           ("fr", "none"))))
    french = signing(campaign, "fr", "fr", "Veuillez agréer…")
    assert french["signatories_heading"] == "Signataires"
    assert french["closing"] == "" and french["closing_lines"] == []
    english = signing(campaign, "en", "en", "Yours sincerely,")
    assert english["signatories_heading"] == "Signatories"
    assert english["closing_lines"] == ["Respectfully,", "Concerned citizens"]
    plain = signing(Campaign(id="x", kind=Kind("open-letter"), title="T",
                             date=dt.date(2019, 3, 1)), "en", "en", "Yours sincerely,")
    assert plain["closing"] == "Yours sincerely," and plain["signatories_heading"] == ""


@pytest.mark.parametrize("language, text", [("en", "in a personal capacity"),
                                            ("fr", "à titre personnel"),
                                            ("ru", "в личном качестве")])
def test_a_personal_capacity_is_said_in_the_document_language(language, text):
    from clarion.render.views import signatory_view
    from clarion.workspace.model import Signatory
    ana = Signatory(id="ana", person="Ana López", title="Journalist", capacity="personal")
    assert signatory_view(ana, None, phrases=language)["capacity_text"] == text


def test_validate_renders_a_campaign_signed_by_a_group(make_ws, cli):
    """The dry render of `validate` (which finds what a template only meets when run) covers
    a campaign whose signatories are a group."""
    broken = NUMBERED.replace("body: We write about {{ case.name }}.",
                              "body: We write about {{ case.nickname }}.")
    root = make_ws({"signatories/signon.yaml": SIGNON, "campaigns/numbered.yaml": broken})
    result = cli(root, "validate")
    assert result.exit_code == 1
    assert any("campaigns/numbered.yaml" in line and "nickname" in line
               for line in result.lines), result.lines
