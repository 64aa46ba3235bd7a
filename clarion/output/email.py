"""E-mail drafts: one RFC 5322 message made from plain values, the letter's PDF attached."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ClarionError

if TYPE_CHECKING:  # the email package is imported where a message is made: not by `build`
    from email.headerregistry import Address

#: characters that may never appear in a header value: C0 and C1 controls (CR and LF among
#: them), DEL, and the Unicode line and paragraph separators
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]+')
#: the time of day a draft is dated at, on the campaign's date (drafts must be byte-stable)
DRAFT_TIME = dt.time(9, 0, tzinfo=dt.UTC)


class HeaderError(ClarionError):
    """A value that would end up in an e-mail header is unsafe or malformed."""


@dataclass(frozen=True)
class Draft:
    """What an e-mail draft is made of, every value already in the document's language."""

    campaign: str
    recipient: str
    name: str
    email: str
    cc: tuple[tuple[str, str], ...]     # (name, address) of copy recipients
    sender: str                         # `Name <address>` from mail.from
    reply_to: str | None
    subject: str
    date: dt.date
    inputs: str                         # the hash of what the document is made from
    markdown: str
    html: str
    pdf: bytes
    pdf_name: str
    #: (name, address) of every addressee of one letter to several together: the To header
    #: names them all (`name` and `email` are the first of them)
    to: tuple[tuple[str, str], ...] = ()


def unsafe(value: str) -> bool:
    """True when `value` holds a character that could end or fold an e-mail header."""
    return _CONTROL.search(value) is not None


def message_id(draft: Draft) -> str:
    """A Message-ID that depends only on what the message is made of."""
    digest = hashlib.sha256("\0".join(
        [draft.campaign, draft.recipient, draft.email, draft.inputs,
         hashlib.sha256(draft.pdf).hexdigest()]).encode("utf-8")).hexdigest()[:32]
    domain = parse_address(draft.sender, "mail.from").domain or "clarion.invalid"
    return f"<{digest}.{draft.campaign}@{domain}>"


def pdf_file_name(title: str, fallback: str) -> str:
    """A readable attachment name from the title: no path or control characters, not too long."""
    name = _FILE_UNSAFE.sub(" ", unicodedata.normalize("NFC", title)).strip(" .")
    name = re.sub(r"\s+", " ", name)
    if len(name) > 80:
        name = name[:80].rsplit(" ", 1)[0].rstrip(" ,;-–")
    return f"{name or fallback}.pdf"


def build_message(draft: Draft) -> bytes:
    """The draft as RFC 5322 bytes (CRLF line ends); raises HeaderError on any unsafe value."""
    for what, value in [("name", draft.name), ("email", draft.email),
                        ("title", draft.subject), ("mail.from", draft.sender),
                        ("mail.reply_to", draft.reply_to or ""),
                        *[("cc", v) for pair in draft.cc for v in pair],
                        *[("to", v) for pair in draft.to for v in pair]]:
        if unsafe(value):
            raise HeaderError(f"build/{draft.campaign}/{draft.recipient}.eml: the {what} holds "
                              "a line break or control character; refusing to write an e-mail "
                              "header with it")
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime
    msg = EmailMessage(policy=SMTP)
    msg["From"] = parse_address(draft.sender, "mail.from")
    if draft.reply_to:
        msg["Reply-To"] = parse_address(draft.reply_to, "mail.reply_to")
    msg["To"] = [_address(n, e, "an addressee") for n, e in draft.to] if draft.to else \
        _address(draft.name, draft.email, f"recipient {draft.recipient}")
    if draft.cc:
        msg["Cc"] = [_address(n, e, "a cc recipient") for n, e in draft.cc]
    msg["Subject"] = draft.subject
    msg["Date"] = format_datetime(dt.datetime.combine(draft.date, DRAFT_TIME))
    msg["Message-ID"] = message_id(draft)
    msg["X-Clarion-Campaign"] = draft.campaign
    msg["X-Clarion-Recipient"] = draft.recipient
    msg.set_content(plain_text(draft.markdown), cte="quoted-printable")
    msg.add_alternative(draft.html, subtype="html", cte="quoted-printable")
    msg.add_attachment(draft.pdf, maintype="application", subtype="pdf",
                       filename=draft.pdf_name)
    # a fixed boundary: the same draft gives the same bytes (the default one is random)
    boundary_seed = hashlib.sha256(message_id(draft).encode()).hexdigest()
    msg.set_boundary(f"=clarion-mixed-{boundary_seed[:24]}")
    for part in msg.iter_parts():
        if part.get_content_type() == "multipart/alternative":
            part.set_boundary(f"=clarion-alt-{boundary_seed[24:48]}")
    return msg.as_bytes()


def plain_text(markdown: str) -> str:
    """The pasteable Markdown without its YAML front matter, ending in one newline."""
    text = markdown.replace("\r\n", "\n")
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            text = text[end + 5:]
    return text.strip("\n") + "\n"


def _address(name: str, email: str, what: str) -> Address:
    from email.headerregistry import Address
    try:
        user, domain = split_email(email)
        return Address(display_name=name, username=user, domain=domain)
    except (ValueError, IndexError) as e:
        raise HeaderError(f"the e-mail address of {what} is not valid") from e


def split_email(email: str) -> tuple[str, str]:
    """(user, domain) of a bare address; ValueError when it is not one plain address."""
    if unsafe(email) or email.count("@") != 1 or any(c.isspace() for c in email):
        raise ValueError(email)
    user, domain = email.split("@")
    if not user or not domain or "<" in email or ">" in email or "," in email:
        raise ValueError(email)
    return user, domain


def parse_address(value: str, what: str) -> Address:
    """One `Name <address>` (or a bare address) from clarion.yaml."""
    from email.headerregistry import Address
    from email.utils import getaddresses
    pairs = getaddresses([value])
    if len(pairs) != 1 or not pairs[0][1]:
        raise HeaderError(f"clarion.yaml: {what} must be one address such as "
                          "`Group Name <info@example.org>`")
    name, addr = pairs[0]
    try:
        user, domain = split_email(addr)
    except ValueError as e:
        raise HeaderError(f"clarion.yaml: {what} is not a valid e-mail address") from e
    return Address(display_name=name, username=user, domain=domain)
