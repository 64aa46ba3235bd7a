"""The example workspace's documents as a reader sees them: no placeholder, no document citing
itself, every signatory's signature image, one wording for an event."""
from __future__ import annotations

import re

import pytest
from conftest import flat, pdf_text

ALERT = """\
    kind: alert
    title: Trials to watch
    date: 2018-07-16
    place: Brussels
    window: {from: 2018-07-16, days: 7}
    cases: [ilgar-mammadov]
    signatories: [trg]
    body: One hearing this week.
    """
HEARING = """\
        events:
          - id: hearing-2018
            date: 2018-07-20
            type: hearing
            court: Shaki Court
            text: Appeal hearing.
            {more}
            sources: [own, paper]
        sources:
          own: {{title: Trials to watch, publisher: Test Rights Group, date: 2018-07-16}}
          paper: {{title: Hearing set, publisher: Daily Paper, date: 2018-07-10}}
"""


@pytest.fixture(scope="module")
def example(example_ws, tmp_path_factory):
    from click.testing import CliRunner

    from clarion.cli import main
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["-w", str(example_ws), "build", "--format", "pdf",
                                       "--format", "md", "--format", "html", "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return out


def alert_ws(make_ws, more: str = ""):
    from conftest import BASE
    case = BASE["cases/ilgar-mammadov.yaml"]
    start = case.index("        events:")
    case = case[:start] + HEARING.format(more=more) + case[case.index("        private:"):]
    return make_ws({"cases/ilgar-mammadov.yaml": case, "campaigns/letter.yaml": None,
                    "campaigns/watch.yaml": ALERT})


def test_alert_prints_no_placeholder_and_no_address_it_does_not_have(example):
    folder = example / "trial-watch-2014-10-06"
    text = flat(pdf_text(folder / "trial-watch-2014-10-06.pdf"))
    for placeholder in ("(example", "0000/2014", "Court address", "Case number", "Observers",
                        "Baku contact", "address on the letterhead"):
        assert placeholder not in text, placeholder
    # the body and each entry agree on what happens this week: hearings
    assert "due in court in Baku for hearings" in text
    assert "go on trial this week" not in text
    md = (folder / "trial-watch-2014-10-06.md").read_text()
    entries = re.findall(r"\*\*What:\*\* (\w+)\n.*?\n- \*\*At stake:\*\* (\w+)", md, re.S)
    assert entries == [("Hearing", "Hearing"), ("Hearing", "Hearing")]


def test_alert_does_not_cite_itself(example):
    """The example's only source for this week's hearings is the alert itself (IPHR,
    6 October 2014): it is left out, and with it the Sources line."""
    md = (example / "trial-watch-2014-10-06" / "trial-watch-2014-10-06.md").read_text()
    assert "Who is next? Critical trials in Azerbaijan this week" not in md
    assert "**Sources:**" not in md


def test_a_source_by_someone_else_is_kept_and_the_document_itself_left_out(make_ws, cli):
    root = alert_ws(make_ws, more="court_address: 1 Court Street, Shaki\n"
                                  "            case_number: 1(103)-12/2018")
    result = cli(root, "build", "--format", "md", "--format", "pdf")
    assert result.exit_code == 0, result.lines
    md = (root / "build" / "watch" / "watch.md").read_text()
    assert "- **Sources:** Hearing set, Daily Paper" in md
    assert "Trials to watch, Test Rights Group" not in md
    # an address and case number that are recorded are printed
    assert "- **Court address:** 1 Court Street, Shaki" in md
    assert "- **Case number:** 1(103)-12/2018" in md
    text = flat(pdf_text(root / "build" / "watch" / "watch.pdf"))
    assert "Hearing set, Daily Paper" in text and "Test Rights Group, 16" not in text


def test_every_signatory_of_the_paris_letter_has_a_signature_image(example):
    html = (example / "paris-meeting-2018" / "emmanuel-macron.html").read_text()
    slots = re.findall(r'<div class="signature-slot">(.*?)</div>', html, re.S)
    assert len(slots) == 2 and all('<img class="signature"' in s for s in slots), slots
    from pypdf import PdfReader
    reader = PdfReader(str(example / "paris-meeting-2018" / "emmanuel-macron.pdf"))
    last = reader.pages[-1]
    names = {name for name, _ in _images(last)}
    assert len(names) >= 3, names  # the logo and two signatures


def _images(page):
    resources = page["/Resources"]
    xobjects = resources.get("/XObject") or {}
    return [(name, obj) for name, obj in xobjects.items()
            if obj.get_object().get("/Subtype") == "/Image"]


def test_joint_letter_to_several_heads_of_state_for_the_web(example):
    folder = example / "joint-letter-2025"
    assert sorted(p.name for p in folder.iterdir() if p.suffix != ".json") == [
        "joint-letter-2025.html", "joint-letter-2025.md", "joint-letter-2025.pdf"]
    text = flat(pdf_text(folder / "joint-letter-2025.pdf"))
    assert ("To: Frank-Walter Steinmeier, Federal President of Germany; Alexander Van der "
            "Bellen, Federal President of Austria; Alar Karis, President of the Republic of "
            "Estonia") in text
    assert "Your Excellencies," in text and "Dear President" not in text
    assert "Spreeweg" not in text and "Hofburg" not in text  # web: no postal block
    md = (folder / "joint-letter-2025.md").read_text()
    entries = re.findall(r"^(\d+)\. (.+)$", md[md.index("## Signatories"):], re.M)
    assert [int(n) for n, _ in entries] == list(range(1, 44))  # IPHR and 42 from the group
    names = [line.split(",")[0] for _, line in entries]
    # organisations (IPHR's director signs for IPHR) first, then the individuals, although
    # the group's file has them mixed in the order they signed
    assert names[:2] == ["Brigitte Dufour", "Amberfell Circle for Prisoners’ Letters"]
    assert names[24:26] == ["Nettlewhorl Foundation for Detainees’ Families", "Ada Quillfeather"]
    assert names[-1] == "Soren Mistlethwaite"
    assert "Dario Fenwhistle, professor of international law, University of Amberfell, in a " \
           "personal capacity" in md
    for word in ("example", "TODO", "{{", "}}"):
        assert word not in md and word not in text.replace("info@example.org", ""), word


def test_joint_letter_sign_on_list_is_said_to_be_invented(example_ws):
    from conftest import REPO
    notes = (example_ws / "campaigns" / "joint-letter-2025.yaml").read_text()
    assert "THE SIGN-ON LIST IS INVENTED FOR THE EXAMPLE WORKSPACE" in notes
    listed = (example_ws / "signatories" / "joint-letter-2025.yaml").read_text()
    assert "invented for the example workspace" in listed
    assert listed.count("groups: [joint-letter-2025]") == 42
    readme = (REPO / "README.md").read_text()
    assert "**Its sign-on list is invented for the example workspace**" in readme
