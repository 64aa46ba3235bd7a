"""The privacy scan finds a distinctive part of a private value, in disguise, in every place
text reaches a reader; what public text shows is not flagged; the scan is bounded."""
from __future__ import annotations

import base64
import time
from dataclasses import dataclass

import pytest

from clarion.errors import PrivacyError
from clarion.output import privacy

FAMILY = ("Sister Leyla Nurieva, phone +994 50 777 1234, PIN 4821, "
          "mail leyla.n@mail.az, passport AZE84436994")
PUBLIC = ["Leyla Yunus was arrested on 2014-07-30 in Baku and held at Kurdakhani.",
          "Sister organisations met in 2014. Article 234.4.3 of the Criminal Code.",
          "2018-07-18", "Release Leyla Yunus"]


@dataclass(frozen=True)
class Value:
    case: str
    field: str
    file: str
    text: str


@pytest.fixture(scope="module")
def secrets() -> privacy.Secrets:
    return privacy.secret_forms([Value("case-1", "private.family", "cases/l.yaml", FAMILY)],
                                PUBLIC)


def _svg(text: str) -> str:
    svg = f"<svg xmlns='http://www.w3.org/2000/svg'><text x='1' y='9'>{text}</text></svg>"
    return f'<img alt="logo" src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">'


FOUND = {
    "the phone number alone, national form": "Call 050 777-12-34 today.",
    "the phone number, other spacing": "Phone: +994-50-7771234",
    "the phone number percent-encoded in a link": '<a href="tel:%2B994%2050%20777%201234">us</a>',
    "the PIN alone": "Use code 4821 at the desk.",
    "the PIN spaced out": "Use code 4 8 2 1 at the desk.",
    "the PIN in Arabic-Indic digits": "Code ٤٨٢١.",
    "the PIN in fullwidth digits": "Code ４８２１.",
    "two words of the name": "We thank Leyla Nurieva.",
    "the name as entities": "We thank Leyla N&#117;ri&#x65;va.",
    "the name with combining marks": "We thank Le\u0301yla Nu\u0308rie\u0300va.",
    "the name in small capitals": "We thank ʟᴇʏʟᴀ ɴᴜʀɪᴇᴠᴀ.",
    "the name in Cyrillic lookalikes": "We thank Lеylа Nuriеvа.",
    "the name with zero-width joiners": "We thank Ley\u200dla Nur\u200bieva.",
    "the name spelled letter by letter": "We thank L e y l a N u r i e v a.",
    "the name split by a hidden span": '<p>Sister Ley<span class="x">zz</span>la</p>',
    "the name in alt text": '<img src="a.png" alt="Leyla Nurieva">',
    "the name in a link target": '<a href="https://x.example/?q=Leyla%20Nurieva">x</a>',
    "the name in an SVG's text": _svg("Leyla Nurieva"),
    "the name in a percent-encoded SVG": "<img src=\"data:image/svg+xml,%3Csvg%3E%3Ctext%3E"
                                         "Leyla%20Nurieva%3C/text%3E%3C/svg%3E\">",
    "the e-mail address": "Write to LEYLA.N@MAIL.AZ.",
    "the e-mail address, entity-encoded": "Write to leyla.n&#64;mail.az.",
    "the passport number": "Passport aze84436994 seen.",
    "the passport number's digits": "Number 8443 6994.",
}
NOT_FOUND = {
    "words the public text shows": "Leyla Yunus was arrested in Baku; sister organisations.",
    "dates and years": "On 2014-07-30, 30.07.2014 and 18 July 2018; in 2014 and 1821.",
    "a price or a decimal with the PIN's digits": "It cost 48.21 euros; 48,21 %; 48-21.",
    "a time": "At 48:21.",
    "a longer number holding the PIN": "Ref 148213 and 48210.",
    "one word of the name": "Leyla met Nurieva-Smith.",
    "the article": "Article 234.4.3.",
}


@pytest.mark.parametrize("text", FOUND.values(), ids=FOUND.keys())
def test_a_part_of_a_private_value_is_found(secrets, text):
    found = privacy.found_in([text], secrets)
    assert [(s.case, s.field) for s in found] == [("case-1", "private.family")], text


@pytest.mark.parametrize("text", NOT_FOUND.values(), ids=NOT_FOUND.keys())
def test_what_public_text_shows_is_not_flagged(secrets, text):
    assert privacy.found_in([text], secrets) == [], text


def test_without_public_text_only_whole_values_numbers_and_addresses_are_searched():
    """Runs of words need the public text (common words would otherwise fire everywhere)."""
    plain = privacy.secret_forms([Value("case-1", "private.family", "c", FAMILY)])
    assert plain.runs == {} and plain.numbers
    assert privacy.found_in(["call 050 777 12 34"], plain)
    assert not privacy.found_in(["We thank Leyla Nurieva."], plain)


def test_the_leak_names_the_field_and_line_never_the_text(secrets):
    """The stop says which field and which output line, not which characters matched."""
    leak = privacy.scan_outputs(secrets, "build/x/y",
                                markdown="# Letter\n\nDear all,\n\ncall 050 777 12 34\n")
    assert leak is not None
    message = str(leak)
    assert "private.family" in message and "build/x/y.md, line 5" in message
    for part in ("777", "1234", "Leyla", "Nurieva", "4821", "mail.az"):
        assert part.lower() not in message.lower(), part


def test_an_email_draft_is_read_as_sent(secrets):
    """Headers are decoded (RFC 2047) and parts decoded (quoted-printable, base64)."""
    from email.message import EmailMessage
    msg = EmailMessage()
    msg["Subject"] = "Lеylа Nuriеvа"  # Cyrillic lookalikes: an encoded word
    msg["To"] = "a@example.org"
    msg.set_content("Nothing here.\n")
    clean = msg.as_bytes()
    assert b"Nuri" not in clean.split(b"Subject:")[1].split(b"\n")[0]
    assert privacy.scan_outputs(secrets, "build/x/y", eml=clean) is not None
    msg.replace_header("Subject", "Hello")
    assert privacy.scan_outputs(secrets, "build/x/y", eml=msg.as_bytes()) is None
    msg.add_alternative("<p>PIN&nbsp;4821 é</p>", subtype="html", cte="base64")
    leak = privacy.scan_outputs(secrets, "build/x/y", eml=msg.as_bytes())
    assert leak is not None and "build/x/y.eml, the e-mail part" in str(leak)


def test_the_pdf_outline_and_link_targets_are_read(secrets, tmp_path):
    """A bookmark label set by CSS and a link's target are in the PDF, not on its pages."""
    from clarion.output.pdf import write_pdf
    html = ("<style>h1 { bookmark-label: 'Leyla Nurieva' }</style><h1>Letter</h1>"
            "<p><a href='https://example.org/call/994507771234'>site</a></p>")
    pdf, _ = write_pdf(html, tmp_path, {}, "id")
    parts = dict(privacy.pdf_parts(pdf))
    assert "Leyla Nurieva" in parts["the PDF's outline (bookmarks)"]
    assert "994507771234" in parts["the PDF's link targets"]
    leak = privacy.scan_outputs(secrets, "build/x/y", pdf=pdf)
    assert leak is not None and "outline" in leak.at


def _notes(n: int) -> list[Value]:
    return [Value("c", f"private.notes[{i}]", "cases/c.yaml", f"note {i:06d} x{i}")
            for i in range(n)]


BODY = ("The hearing was adjourned; observers were present. " * 3200)[:160_000]


def test_the_scan_is_linear_in_the_output():
    """15,000 short private lines and a 160 KB body: seconds, not minutes."""
    started = time.monotonic()
    many = privacy.secret_forms(_notes(15_000), PUBLIC)
    assert privacy.scan_outputs(many, "build/x/y", markdown=BODY, html_text=BODY) is None
    assert time.monotonic() - started < 60
    leak = privacy.scan_outputs(many, "build/x/y", markdown=BODY + "\nnote 014999 x14999")
    assert leak is not None and "private.notes[14999]" in str(leak)


def test_too_many_private_lines_fail_the_document_at_once():
    """100,000 short private lines: more patterns than the cap; every document fails in one
    line, soon (the patterns are not all made)."""
    started = time.monotonic()
    many = privacy.secret_forms(_notes(100_000), PUBLIC)
    with pytest.raises(PrivacyError, match=r"^build/x/y: the cases' private fields give more "
                                           r"than 250000 search patterns; nothing was written"):
        privacy.scan_outputs(many, "build/x/y", markdown=BODY)
    assert time.monotonic() - started < 60


def test_past_its_time_the_document_fails(secrets, monkeypatch):
    monkeypatch.setattr(privacy, "SCAN_SECONDS", -1.0)
    with pytest.raises(PrivacyError, match=r"^build/x/y: the privacy scan did not finish "
                                           r"within -1 s; nothing was written"):
        privacy.scan_outputs(secrets, "build/x/y", markdown="Nothing private here.")


def test_past_its_pattern_cap_the_document_fails(monkeypatch):
    monkeypatch.setattr(privacy, "MAX_PATTERNS", 3)
    many = privacy.secret_forms([Value("case-1", "private.family", "c", FAMILY)], PUBLIC)
    with pytest.raises(PrivacyError, match="more than 3 search patterns; nothing was written"):
        privacy.scan_outputs(many, "build/x/y", markdown="Nothing private here.")
