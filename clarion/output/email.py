"""E-mail drafts: one RFC 5322 message per recipient, the letter's PDF attached; header checks."""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ClarionError, Location, Problem
from ..workspace.model import GROUP_PREFIX, Campaign, Recipient, Workspace

if TYPE_CHECKING:  # the email package is imported where a message is made: not by `build`
    from email.headerregistry import Address

    from ..render.document import Document

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


def make_draft(ws: Workspace, doc: Document, campaign: Campaign, recipient: object,
               inputs: str, pdf: bytes) -> bytes | None:
    """The e-mail draft of a rendered document with its final PDF attached (the signed one when
    signing is on); None when the document has no recipient with an e-mail address."""
    if not isinstance(recipient, Recipient) or not recipient.email:
        return None
    sender = sender_of(ws, doc.language)
    if sender is None:
        raise HeaderError("e-mail drafts need a sender; set `mail: {from: Name <address>}` "
                          "(or `organisation: {email: …}`)",
                          ws.settings.locs.get("mail") or ws.settings.locs.get("organisation")
                          or Location("clarion.yaml"))
    mail = ws.settings.mail
    return build_message(Draft(
        doc.campaign, recipient.id, text_of(recipient.name, doc.language), recipient.email,
        cc_of(ws, campaign, doc.language, skip=recipient.id), sender,
        mail.reply_to if mail else None, doc.title, campaign.date, inputs, doc.markdown,
        doc.html, pdf, pdf_file_name(doc.title, f"{doc.campaign}-{recipient.id}")))


def text_of(value: object, language: str) -> str:
    """A reader-facing value (plain text or per-language text) in `language`."""
    pick = getattr(value, "pick", None)
    if callable(pick):
        text, _ = pick(language)
        return str(text)
    return "" if value is None else str(value)


def all_texts(value: object) -> list[str]:
    """Every form of a reader-facing value (each language's)."""
    every = getattr(value, "all", None)
    if callable(every):
        return [str(t) for t in every()]
    return [] if value is None else [str(value)]


def unsafe(value: str) -> bool:
    """True when `value` holds a character that could end or fold an e-mail header."""
    return _CONTROL.search(value) is not None


def sender_of(ws: Workspace, language: str | None = None) -> str | None:
    """`mail.from`, else the organisation's name and e-mail; None when neither is set."""
    mail = ws.settings.mail
    if mail and mail.from_:
        return mail.from_
    org = ws.settings.organisation
    if org.email:
        from email.headerregistry import Address
        name = text_of(org.name, language or ws.settings.language)
        return str(Address(display_name=name, addr_spec=org.email))
    return None


def cc_of(ws: Workspace, campaign: Campaign, language: str,
          skip: str | None = None) -> tuple[tuple[str, str], ...]:
    """The campaign's copy recipients that have an e-mail, groups expanded, each once."""
    found: dict[str, Recipient] = {}
    for ref in campaign.cc:
        if ref.startswith(GROUP_PREFIX):
            for r in ws.group(ref[len(GROUP_PREFIX):]):
                found.setdefault(r.id, r)
        elif ref in ws.recipients:
            found.setdefault(ref, ws.recipients[ref])
    return tuple((text_of(r.name, language), r.email) for r in found.values()
                 if r.email and r.id != skip)


def message_id(draft: Draft) -> str:
    """A Message-ID that depends only on what the message is made of."""
    digest = hashlib.sha256("\0".join(
        [draft.campaign, draft.recipient, draft.email, draft.inputs,
         hashlib.sha256(draft.pdf).hexdigest()]).encode("utf-8")).hexdigest()[:32]
    domain = _parse_one(draft.sender, "mail.from").domain or "clarion.invalid"
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
                        *[("cc", v) for pair in draft.cc for v in pair]]:
        if unsafe(value):
            raise HeaderError(f"build/{draft.campaign}/{draft.recipient}.eml: the {what} holds "
                              "a line break or control character; refusing to write an e-mail "
                              "header with it")
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime
    msg = EmailMessage(policy=SMTP)
    msg["From"] = _parse_one(draft.sender, "mail.from")
    if draft.reply_to:
        msg["Reply-To"] = _parse_one(draft.reply_to, "mail.reply_to")
    msg["To"] = _address(draft.name, draft.email, f"recipient {draft.recipient}")
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
        user, domain = _split_email(email)
        return Address(display_name=name, username=user, domain=domain)
    except (ValueError, IndexError) as e:
        raise HeaderError(f"the e-mail address of {what} is not valid") from e


def _split_email(email: str) -> tuple[str, str]:
    if unsafe(email) or email.count("@") != 1 or any(c.isspace() for c in email):
        raise ValueError(email)
    user, domain = email.split("@")
    if not user or not domain or "<" in email or ">" in email or "," in email:
        raise ValueError(email)
    return user, domain


def _parse_one(value: str, what: str) -> Address:
    """One `Name <address>` (or a bare address) from clarion.yaml."""
    from email.headerregistry import Address
    from email.utils import getaddresses
    pairs = getaddresses([value])
    if len(pairs) != 1 or not pairs[0][1]:
        raise HeaderError(f"clarion.yaml: {what} must be one address such as "
                          "`Group Name <info@example.org>`")
    name, addr = pairs[0]
    try:
        user, domain = _split_email(addr)
    except ValueError as e:
        raise HeaderError(f"clarion.yaml: {what} is not a valid e-mail address") from e
    return Address(display_name=name, username=user, domain=domain)


def check_mail_headers(ws: Workspace, broken: Iterable[str] = ()) -> list[Problem]:
    """`validate`: every value that may become an e-mail header is one safe line."""
    problems = list(_check_settings(ws))
    for r in ws.recipients.values():
        for field, values in (("name", all_texts(r.name)), ("email", all_texts(r.email))):
            if any(unsafe(v) for v in values):
                problems.append(Problem(r.locs.get(field) or r.loc or Location("recipients"),
                                        f"{field}: holds a line break or control character; "
                                        "it would break the e-mail header. Write it on one line"))
        if r.email and not unsafe(r.email):
            try:
                _split_email(r.email)
            except ValueError:
                problems.append(Problem(r.locs.get("email") or r.loc or Location("recipients"),
                                        "email: is not an e-mail address such as "
                                        "name@example.org"))
    for c in ws.campaigns.values():
        titles = [c.title, *[t.title for t in c.translations.values() if t.title]]
        if any(unsafe(str(t)) for t in titles):
            problems.append(Problem(c.locs.get("title") or c.loc or Location("campaigns"),
                                    "title: holds a line break or control character; it is the "
                                    "e-mail subject. Write it on one line"))
    return problems


def _check_settings(ws: Workspace) -> Iterator[Problem]:
    where = ws.settings.locs.get("mail") or Location("clarion.yaml")
    org_where = ws.settings.locs.get("organisation") or Location("clarion.yaml")
    org = ws.settings.organisation
    if any(unsafe(n) for n in all_texts(org.name)) or (org.email and unsafe(org.email)):
        yield Problem(org_where, "organisation: its name or email holds a line break or control "
                                 "character; it would break the e-mail header")
    mail = ws.settings.mail
    if mail is None:
        return
    for what, value in (("from", mail.from_), ("reply_to", mail.reply_to),
                        ("host", mail.host), ("username", mail.username)):
        if value is None:
            continue
        if unsafe(value):
            yield Problem(where, f"mail.{what}: holds a line break or control character; "
                                 "write it on one line")
        elif what in ("from", "reply_to"):
            try:
                _parse_one(value, f"mail.{what}")
            except HeaderError:
                yield Problem(where, f"mail.{what}: must be one address such as "
                                     "`Group Name <info@example.org>`")
