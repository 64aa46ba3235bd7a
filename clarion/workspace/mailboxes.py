"""Which e-mail addresses Clarion sends to and from: ASCII ones. An address in another script
is refused at `validate`, at its file and line, with the ASCII form of its domain when it has
one (`info@xn--e1afmkfd.xn--p1ai` for `info@пример.рф`).

Why not SMTPUTF8: a local part outside ASCII (`ильхам@…`) needs a server that offers it *and*
every server on the way, and e-mail drafts with raw UTF-8 headers that many mail programs
still mangle; the letter would be lost silently somewhere on the way. A domain outside ASCII
has an exact ASCII form (IDNA), which the user writes instead, and sees in the message.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..errors import Location, Problem
from .model import Workspace


def ascii_form(address: str) -> str | None:
    """`user@xn--…`: the address with its domain in IDNA form, when only the domain is outside
    ASCII and it has one; None otherwise."""
    user, _, domain = address.rpartition("@")
    if not user or not user.isascii() or not domain:
        return None
    try:
        return f"{user}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return None


def address_problem(what: str, address: str) -> str | None:
    """Why `address` (written as the field `what`) cannot be sent to or from, or None."""
    if address.isascii():
        return None
    user = address.rpartition("@")[0]
    if user and not user.isascii():
        return (f"{what}: '{address}' has characters outside ASCII before the @; Clarion "
                "sends only to ASCII addresses, which every mail server accepts: ask for an "
                "ASCII address, or leave `email` out so that the letter goes by post")
    ascii_address = ascii_form(address)
    instead = f"write it as {ascii_address} (the same address in ASCII)" if ascii_address \
        else "write its domain in its ASCII (xn--…) form"
    return (f"{what}: '{address}' has a domain outside ASCII; {instead}")


def check_mailboxes(ws: Workspace) -> list[Problem]:
    """`validate`: every address a message is sent to or from is ASCII."""
    return list(_problems(ws))


def _problems(ws: Workspace) -> Iterator[Problem]:
    for r in ws.recipients.values():
        why = address_problem("email", r.email) if r.email else None
        if why:
            yield Problem(r.locs.get("email") or r.loc or Location("recipients"), why,
                          code="email-address")
    org = ws.settings.organisation
    org_where = ws.settings.locs.get("organisation") or Location("clarion.yaml")
    why = address_problem("organisation.email", org.email) if org.email else None
    if why:
        yield Problem(org_where, why, code="email-address")
    mail = ws.settings.mail
    if mail is None:
        return
    from email.utils import getaddresses
    where = ws.settings.locs.get("mail") or Location("clarion.yaml")
    for what, value in (("mail.from", mail.from_), ("mail.reply_to", mail.reply_to)):
        for _, address in getaddresses([value]) if value else ():
            why = address_problem(what, address)
            if why:
                yield Problem(where, why, code="email-address")
