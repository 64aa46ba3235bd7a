"""A copy's own words, in its reader's language: the cover note, who signs it, the page
furniture around the copied letter, and the courtesy-translation mark."""
from __future__ import annotations

from ..workspace.audience import signatories_of
from ..workspace.model import Campaign, LocalText, Recipient, Workspace
from ..workspace.postal import printed_lines
from ..workspace.translations import has_language
from . import furniture, i18n
from .addresses import address_block, address_lines
from .choice import Texts, document_language, phrase_language
from .salutations import address_forms, name_line, rule_table
from .views import Picker, View, organisation_view, recipient_view

#: a cover note names every signatory up to this many; beyond, it is signed on their behalf
COVER_SIGNERS = 4


def reader_language(ws: Workspace, campaign: Campaign, reader: Recipient) -> str:
    """The language a copy's own words are in: the reader's, where Clarion has phrases in it;
    else the campaign's phrase language."""
    wanted = reader.language or campaign.language or ws.settings.language
    return wanted if i18n.has_phrases(wanted) else phrase_language(ws, campaign, wanted)


def translated_for(ws: Workspace, campaign: Campaign, addressee: Recipient,
                   reader: Recipient) -> str | None:
    """The language a copy recipient gets the whole letter in (`copies: translated`): theirs,
    when the campaign has it and it is not the letter's own; else None (a cover note)."""
    if campaign.copies != "translated" or not reader.language or len(campaign.languages) > 1:
        return None
    language, missing = document_language(ws, campaign, reader)
    letter = document_language(ws, campaign, addressee)[0]
    if missing is not None or i18n.base(language) == i18n.base(letter):
        return None
    return language


def own_text(value: LocalText | str | None, language: str) -> str | None:
    """`value` in `language` when it has that form, or as written when it is one text; None
    when only other languages' forms exist (a title is left out rather than set in another
    language inside a sentence)."""
    if value is None or not isinstance(value, LocalText):
        return value
    text, fell_back = value.pick(language)
    return None if fell_back else text


def signers(ws: Workspace, campaign: Campaign, pick: Picker, phrases: str) -> list[str]:
    """Who signs a cover note: every signatory of the letter (organisation, else person), or
    the issuer "on behalf of the signatories" when they are many; the issuer alone when the
    letter has one signatory or none."""
    issuer = ws.signatories.get(campaign.issued_by or "")
    own = pick.text((issuer.organisation or issuer.person) if issuer
                    else ws.settings.organisation.name, "organisation") or ""
    people = signatories_of(ws, campaign)
    if len(people) <= 1:
        return [own]
    if len(people) <= COVER_SIGNERS:
        return [pick.text(s.organisation or s.person, f"signatory {s.id} organisation") or ""
                for s in people]
    return [own, furniture.phrase("on behalf", phrases)]


def courtesy_mark(letter_language: str, phrases: str, locale: str) -> str:
    """"Courtesy translation; the letter as sent is in French", in the reader's language,
    the letter's language named as the reader's language names it (from CLDR)."""
    names = i18n.babel_locale(locale).languages
    name = names.get(letter_language.replace("-", "_")) or \
        names.get(i18n.base(letter_language)) or letter_language
    return furniture.phrase("courtesy", phrases).format(language=name)


def cover_view(ws: Workspace, campaign: Campaign, addressee: Recipient, reader: Recipient,
               postal: str) -> View:
    """The cover note of a copy and the page furniture around it, wholly in the copy
    recipient's language and form of address; the letter's language only where the reader's
    has no text (their own address as written)."""
    # every word of it in one language: the reader's where Clarion can write in it
    wanted = phrases = reader_language(ws, campaign, reader)
    locale = i18n.locale_for(phrases, ws.settings.language, ws.settings.locale)
    table = rule_table(ws)
    salutation, closing = address_forms(reader, wanted if wanted in table else phrases, table)
    # what the cover note cannot say in its own language, it says as the letter does
    letter_language = document_language(ws, campaign, addressee)[0]
    cover = Picker(wanted, fallback=letter_language, locale=locale)
    lines, add_country = address_lines(reader, ws.settings.organisation, cover, postal)
    date = i18n.long_date(campaign.date, locale)
    name = own_text(addressee.name, wanted) or cover.text(addressee.name, "name")
    title = own_text(addressee.title, wanted)
    translated = translated_for(ws, campaign, addressee, reader)
    return View("copy", {
        "recipient": recipient_view(reader, phrases, cover,
                                    addressed=name_line(reader, phrases, table)),
        "address_lines": lines,
        "address_block": address_block(reader, ws.settings.organisation, cover, postal,
                                       addressed=name_line(reader, phrases, table)),
        "window_lines": printed_lines(reader, ws.settings.organisation),
        "add_country": add_country, "language": phrases, "salutation": salutation,
        "closing": closing, "date": date, "place": Texts(campaign, phrases).place,
        "text": furniture.phrase("cover", phrases).format(
            date=date, name=name, title=f", {title}" if title else ""),
        "label": furniture.phrase("copy", phrases),
        "signers": signers(ws, campaign, cover, phrases),
        "sender": "\n".join(signers(ws, campaign, cover, phrases)),
        "translated": translated is not None,
        "courtesy": courtesy_mark(letter_language, phrases, locale) if translated else "",
        "organisation": organisation_view(ws.settings.organisation, cover),
        "page": i18n.catalog(phrases).gettext("Page"),
        "recipient_label": i18n.catalog(phrases).gettext("Recipient"),
        "running_date": i18n.long_date(campaign.date, locale),
        "title": Texts(campaign, phrases).title if has_language(ws, campaign, phrases)
        else None,
        "subject": (Texts(campaign, phrases).subject or Texts(campaign, phrases).title)
        if has_language(ws, campaign, phrases) else None,
        "locale": locale})


def issuer_view(ws: Workspace, campaign: Campaign, pick: Picker) -> View:
    """The letterhead's organisation: the issuer's (`issued_by`), else the workspace's."""
    issuer = ws.signatories.get(campaign.issued_by or "")
    if issuer is None:
        return organisation_view(ws.settings.organisation, pick)
    return View("organisation", {
        "name": pick.text(issuer.organisation or issuer.person,
                          f"signatory {issuer.id} organisation"),
        "short": None, "address": [], "email": None, "logo": issuer.logo})

