"""Workspace → e-mail draft (sender, copies, subject in the recipient's language); header checks."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..errors import Location, Problem
from ..output.email import (
    Draft,
    HeaderError,
    build_message,
    parse_address,
    pdf_file_name,
    split_email,
    unsafe,
)
from ..workspace.audience import addressees, together
from ..workspace.model import GROUP_PREFIX, Campaign, Recipient, Workspace

if TYPE_CHECKING:
    from ..render.document import Document


def make_draft(ws: Workspace, doc: Document, campaign: Campaign, recipient: object,
               inputs: str, pdf: bytes) -> bytes | None:
    """The e-mail draft of a rendered document with its final PDF attached (the signed one when
    signing is on); None when the document has no recipient with an e-mail address."""
    if recipient is None and together(campaign):
        return _together_draft(ws, doc, campaign, inputs, pdf)
    if not isinstance(recipient, Recipient) or not recipient.email:
        return None
    # a copy's sender and subject are in its reader's language, as its cover note is
    language = doc.reader_language or doc.language
    sender = _sender(ws, language)
    mail = ws.settings.mail
    return build_message(Draft(
        doc.campaign, recipient.id, text_of(recipient.name, language), recipient.email,
        cc_of(ws, campaign, language, skip=recipient.id), sender,
        mail.reply_to if mail else None, _subject(doc), campaign.date, inputs, doc.markdown,
        doc.html, pdf, pdf_file_name(doc.title, f"{doc.campaign}-{recipient.id}")))


def _together_draft(ws: Workspace, doc: Document, campaign: Campaign, inputs: str,
                    pdf: bytes) -> bytes | None:
    """The one draft of a letter to several addressees together: To names every addressee
    with an e-mail, Cc the copy recipients (none of them twice); None when no addressee has
    an e-mail."""
    to = [(text_of(r.name, doc.language), r.email) for r in addressees(ws, campaign)
          if r.email]
    if not to:
        return None
    sender = _sender(ws, doc.language)
    mail = ws.settings.mail
    seen = {email.lower() for _, email in to}
    cc = []
    for name, email in cc_of(ws, campaign, doc.language):
        if email.lower() not in seen:
            seen.add(email.lower())
            cc.append((name, email))
    return build_message(Draft(
        doc.campaign, campaign.id, to[0][0], to[0][1], tuple(cc), sender,
        mail.reply_to if mail else None, _subject(doc), campaign.date, inputs, doc.markdown,
        doc.html, pdf, pdf_file_name(doc.title, campaign.id), to=tuple(to)))


def _subject(doc: Document) -> str:
    """The message's subject: the letter's subject line (in a copy's, its reader's
    language), else its title; a press headline about the addressee is not a subject."""
    return str(doc.metadata.get("subject") or doc.title)


def _sender(ws: Workspace, language: str) -> str:
    """`mail.from` (or the organisation's address); an error when neither is set."""
    sender = sender_of(ws, language)
    if sender is None:
        raise HeaderError("e-mail drafts need a sender; set `mail: {from: Name <address>}` "
                          "(or `organisation: {email: …}`)",
                          ws.settings.locs.get("mail") or ws.settings.locs.get("organisation")
                          or Location("clarion.yaml"))
    return sender


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
                split_email(r.email)
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
                parse_address(value, f"mail.{what}")
            except HeaderError:
                yield Problem(where, f"mail.{what}: must be one address such as "
                                     "`Group Name <info@example.org>`")
