"""E-mail drafts: one RFC 5322 message made from plain values, the letter's PDF attached."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ClarionError
from .email_html import email_html
from .email_names import pdf_file_name as pdf_file_name  # the name envelope.py gives
from .email_text import plain_text as plain_text

if TYPE_CHECKING:  # the email package is imported where a message is made: not by `build`
    from email.headerregistry import Address
    from email.message import EmailMessage

#: characters that may never appear in a header value: C0 and C1 controls (CR and LF among
#: them), DEL, and the Unicode line and paragraph separators
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
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
    _add_parts(msg, draft)
    return msg.as_bytes()


def _add_parts(msg: EmailMessage, draft: Draft) -> None:
    """The body: plain text and HTML alternatives (the HTML's pictures as related parts it
    refers to by `cid:`), then the PDF; every boundary fixed, so the same draft gives the
    same bytes (the default boundaries are random)."""
    msg.set_content(plain_text(draft.markdown), cte="quoted-printable")
    page = email_html(draft.html, parse_address(draft.sender, "mail.from").domain
                      or "clarion.invalid")
    msg.add_alternative(page.html, subtype="html", cte="quoted-printable")
    html_part = next(p for p in msg.iter_parts() if p.get_content_type() == "text/html")
    for image in page.images:
        maintype, subtype = image.media_type.split("/", 1)
        html_part.add_related(image.data, maintype=maintype, subtype=subtype,
                              cid=f"<{image.cid}>", disposition="inline",
                              filename=image.file_name)
    msg.add_attachment(draft.pdf, maintype="application", subtype="pdf",
                       filename=draft.pdf_name)
    seed = hashlib.sha256(message_id(draft).encode()).hexdigest()
    for n, part in enumerate(p for p in msg.walk() if p.is_multipart()):
        part.set_boundary(f"=clarion-{part.get_content_subtype()}-{seed[n * 8:n * 8 + 24]}")


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
