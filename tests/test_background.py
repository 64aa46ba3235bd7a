"""The Background of a press reaction: short connected prose, each fact told once, as the
reader of a press release expects (not a summary, a list and a status line saying the same)."""
from __future__ import annotations

import re

import pytest
from conftest import flat, pdf_text

KILLED = """\
    name: Vidadi Isgandarli
    gender: male
    roles: [human rights defender]
    status: deceased
    status_as_of: 2024-10-01
    {summary}
    events:
      - {{id: attack, date: 2024-09-29, type: attack, text: Stabbed in his flat., sources: [a]}}
      - {{id: death, date: 2024-10-01, type: death, text: Died in hospital., sources: [b]}}
    sources:
      a: {{title: Attack report, publisher: Paper A, date: 2024-09-30}}
      b: {{title: Death report, publisher: Paper B, date: 2024-10-01}}
    """
SUMMARY = ("summary: Vidadi Isgandarli, a human rights defender, was stabbed in his flat on "
           "29 September 2024 and died of his injuries on 1 October 2024.")
REACTION = """\
    kind: press-reaction
    title: Killing of a defender
    date: {date}
    place: Brussels
    cases: [isgandarli]
    signatories: [trg]
    event: {{case: isgandarli, event: attack}}
    quotes:
      - {{speaker: Jane Doe, title: Director, organisation: Test Rights Group, text: Investigate.}}
    body: |
      {{{{ case.name }}}} was killed.
    """


def background(make_ws, cli, summary: str, date: str = "2024-10-02") -> str:
    root = make_ws({"cases/isgandarli.yaml": KILLED.format(summary=summary),
                    "campaigns/letter.yaml": None,
                    "campaigns/reaction.yaml": REACTION.format(date=date)})
    result = cli(root, "build", "--format", "md", "--format", "pdf")
    assert result.exit_code == 0, result.lines
    md = (root / "build" / "reaction" / "reaction.md").read_text().replace("\xa0", " ")
    pdf = flat(pdf_text(root / "build" / "reaction" / "reaction.pdf"))
    start = md.index("## Background")
    # the section runs to ENDS, else to the notes (a press release is signed by no one)
    ends = [i for i in (md.find("\nENDS", start), md.find("\n[^1]:", start)) if i >= 0]
    return md[start:min(ends, default=len(md))], pdf


def test_a_summary_is_the_paragraph_told_once_with_its_sources(make_ws, cli):
    md, pdf = background(make_ws, cli, SUMMARY)
    paragraph = md.split("\n\n")[1].strip()
    assert paragraph.startswith("Vidadi Isgandarli, a human rights defender, was stabbed")
    assert paragraph.endswith("1 October 2024.[^1][^2]")  # both events' sources, once each
    # no list of the same events, no status line repeating the last one
    assert "Stabbed in his flat" not in md and "Died in hospital" not in md
    assert "- " not in md and "Killed on" not in md and "Attacked on" not in md
    assert "Background Vidadi Isgandarli, a human rights defender, was stabbed" in pdf


def test_without_a_summary_the_events_in_order_and_no_status_line(make_ws, cli):
    md, pdf = background(make_ws, cli, "")
    assert md.index("Stabbed in his flat.") < md.index("Died in hospital.")
    assert "29 September 2024: Stabbed" in md and "1 October 2024: Died" in md
    # the status would repeat the last event ("…; died on 1 October 2024")
    assert "died on" not in md and "Killed on" not in md
    assert "Killed on" not in pdf


def test_a_summary_written_after_the_document_is_not_printed(make_ws, cli):
    """A reaction dated before the record's status was confirmed gets the events up to its
    date, never a summary that may tell what had not yet happened."""
    md, _ = background(make_ws, cli, SUMMARY, date="2024-09-30")
    assert "died of his injuries" not in md
    assert "Stabbed in his flat." in md and "Died in hospital." not in md


@pytest.mark.slow
def test_example_background_reads_like_the_seed(example_ws, cli, tmp_path):
    result = cli(example_ws, "build", "isgandarli-killing-2024", "--format", "md",
                 "--format", "pdf", "--out", str(tmp_path))
    assert result.exit_code == 0, result.lines
    folder = tmp_path / "isgandarli-killing-2024"
    md = (folder / "isgandarli-killing-2024.md").read_text()
    section = md[md.index("## Background"):md.index("\nENDS\n")]
    paragraphs = [p for p in section.split("\n\n")[1:] if p and "Brigitte Dufour" not in p]
    # each paragraph is prose whose first sentence has the person as its subject
    assert [p.split(",")[0] for p in paragraphs] == ["Vidadi Isgandarli", "Mahammad Mirzali"]
    assert not any(p.startswith(("-", "**", "Human rights", "Azerbaijani")) for p in paragraphs)
    # the attack is told once in the Background (and once in the body, as the seed does)
    assert len(re.findall(r"stabbed more than twenty times", section)) == 1
    assert "Killed on" not in md and "Died in hospital" not in section
    text = flat(pdf_text(folder / "isgandarli-killing-2024.pdf"))
    assert "he died of his injuries in hospital on 1 October 2024." in text
    assert "Killed on 29 September 2024" not in text


def test_a_summary_that_does_not_name_the_person_gets_the_name_in_front(make_ws, cli):
    """A summary kept as a profile ("Human rights defender; …") never stands alone without
    saying whom it is about."""
    md, pdf = background(make_ws, cli, "summary: Human rights defender stabbed in France.")
    paragraph = md.split("\n\n")[1].strip()
    assert paragraph.startswith("**Vidadi Isgandarli** — Human rights defender stabbed")
    assert "Vidadi Isgandarli — Human rights defender stabbed in France." in pdf
