"""What a document's templates see: the views, the letter's furniture, the template functions."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from ..errors import Problem
from ..kinds import KINDS
from ..workspace import model
from ..workspace.audience import addressees, copy_recipients, expand, signatories_of, together
from ..workspace.model import Campaign, Recipient, Workspace
from ..workspace.postal import printed_lines
from . import furniture, i18n, markup, templating
from .addresses import address_block, address_lines, postal_language
from .choice import Subject, Texts, warning
from .copies import cover_view, issuer_view
from .footnotes import make_cite
from .phrases import event_word, status_word
from .return_line import return_line
from .salutations import address_forms, group_forms, name_line, rule_table
from .statuses import Count, number_words
from .views import (
    Picker,
    View,
    case_view,
    counted_statuses,
    organisation_view,
    recipient_view,
    signatory_view,
    sources_elsewhere,
)


@dataclass(frozen=True)
class Setting:
    """One document's languages: of its text, of its fixed phrases, and its Babel locale."""

    language: str
    phrases: str
    locale: str
    subject: Subject


def context(ws: Workspace, campaign: Campaign, recipient: Recipient | None, texts: Texts,
            pick: Picker, setting: Setting) -> dict[str, Any]:
    """The common context of every kind of document."""
    language, phrases, locale = setting.language, setting.phrases, setting.locale
    day = campaign.date
    cases = {cid: case_view(ws.cases[cid], pick, day, locale, phrases) for cid in campaign.cases
             if cid in ws.cases}
    table = rule_table(ws)
    # a workspace may give forms of address for a language Clarion has no phrases in
    forms_language = language if i18n.base(language) in table else phrases
    many = together(campaign)
    if many:
        salutation, closing = group_forms(campaign.salutation, forms_language, table)
    else:
        # the campaign's own salutation, if any, for every letter
        salutation, closing = address_forms(recipient, forms_language, table,
                                            campaign.salutation)
    if campaign.salutation is not None:
        # the campaign's own words, in the document's language even where Clarion has no
        # forms of address in it (a Turkish part of a letter in several languages)
        salutation = campaign.salutation.pick(language, campaign.language)[0]
    quotes = [View("quote", {"speaker": q.speaker, "title": q.title,
                             "organisation": q.organisation, "text": " ".join(q.text.split()),
                             "pull": q.pull})
              for q in texts.quotes]
    window = campaign.window
    start = window.start if window else campaign.date
    end = window.end if window else model.Window(campaign.date, 7).end
    reacted = None
    if campaign.event and campaign.event.case in ws.cases:
        reacted_case = case_view(ws.cases[campaign.event.case], pick, day, locale, phrases)
        reacted = next((e for e in reacted_case.events if e.id == campaign.event.event), None)
    campaign_view = View("campaign", {
        "id": campaign.id, "kind": campaign.kind.value, "title": texts.title,
        "subject": texts.subject, "place": texts.place, "date": campaign.date,
        "language": language, "asks": texts.asks, "quotes": quotes,
        "embargo": campaign.embargo, "extra": dict(campaign.extra),
        "publication": campaign.publication, "address": campaign.address,
        "cases": list(campaign.cases), "recipients": list(campaign.recipients),
        "signatories": list(campaign.signatories), "template": campaign.template or
        KINDS[campaign.kind].template, "translations": sorted(campaign.translations),
        "window": View("window", {"from": start, "days": (end - start).days + 1, "end": end}),
        "event": View("event_ref", {"case": campaign.event.case, "event": campaign.event.event,
                                    "details": reacted}) if campaign.event else None,
    })
    recipient_lines, add_country = address_lines(recipient, ws.settings.organisation, pick,
                                                 postal_language(ws))
    watch_cases = list(cases.values()) or [case_view(c, pick, day, locale, phrases)
                                           for c in ws.cases.values()]
    window_events = sorted(
        ((e, c) for c in watch_cases for e in c.events if start <= e.date <= end),
        key=lambda pair: (pair[0].date, pair[1].name))
    return {
        "campaign": campaign_view, "cases": cases,
        "case": next(iter(cases.values()), None),
        "recipient": recipient_view(recipient, language, pick,
                                    addressed=name_line(recipient, language, rule_table(ws))),
        "signatories": [signatory_view(s, pick, campaign.show_country, phrases)
                        for s in signatories_of(ws, campaign)],
        "organisation": organisation_view(ws.settings.organisation, pick),
        "extra": dict(campaign.extra), "language": language,
        "hyphenate": i18n.hyphenation_language(language), "paper": ws.settings.build.paper,
        "salutation": salutation, "closing": closing,
        **signing(campaign, language, phrases, closing),
        "address_lines": recipient_lines, "add_country": add_country,
        # a letter to several addressees together: each one, as the address block lists them
        "addressees": addressee_views(ws, campaign, language, pick) if many else [],
        "lede": _lede(texts, quotes, phrases),
        "status_word": lambda v: status_word(v, phrases),
        "event_word": lambda v: event_word(v, phrases),
        "source_line": lambda s: _source_line(s, locale),
        "window_events": [View("watch", {"event": e, "case": c}) for e, c in window_events],
        "reacted": View("reacted", {"event": reacted,
                                    "case": cases.get(campaign.event.case)})
        if campaign.event and reacted else None,
    }


def signing(campaign: Campaign, language: str, phrases: str, closing: str
            ) -> dict[str, Any]:
    """How the signatures are set: the closing's lines (the campaign's own, or none), the
    signatories' layout and heading."""
    if campaign.closing is not None:
        own = campaign.closing.pick(language, campaign.language)[0].strip()
        closing = "" if own.lower() == "none" else own
    heading = campaign.signatories_heading.pick(language, campaign.language)[0].strip() \
        if campaign.signatories_heading is not None else ""
    if heading.lower() in ("true", "yes"):
        heading = i18n.catalog(phrases).gettext("Signatories")
    elif heading.lower() in ("false", "no", "none"):
        heading = ""
    lines = [line.strip() for line in closing.splitlines() if line.strip()]
    return {"closing": "\n".join(lines), "closing_lines": lines,
            "signatories_layout": campaign.signatories_layout,
            "signatories_heading": heading}


def addressee_views(ws: Workspace, campaign: Campaign, language: str, pick: Picker
                    ) -> list[View]:
    """Every addressee of a letter to them together, in order, with `block`: the lines
    printed for them (name, title, postal lines)."""
    org, table = ws.settings.organisation, rule_table(ws)
    views = []
    for r in addressees(ws, campaign):
        line = name_line(r, language, table)
        block = address_block(r, org, pick, postal_language(ws), addressed=line)
        view = recipient_view(r, language, pick, block=block, addressed=line)
        if view is not None:
            views.append(view)
    return views


def _lede(texts: Texts, quotes: Sequence[View], language: str) -> str:
    if not quotes:
        return ""
    q = quotes[0]
    role = ", ".join(p for p in (q.title, q.organisation) if p)
    gettext = i18n.catalog(language).gettext
    what = texts.subject or gettext("the news")
    if role:
        return gettext("Reacting to %(what)s, %(speaker)s, %(role)s, said:") % {
            "what": what, "speaker": q.speaker, "role": role}
    return gettext("Reacting to %(what)s, %(speaker)s said:") % {
        "what": what, "speaker": q.speaker}


def _source_line(s: View, locale: str) -> str:
    parts = [s.title, s.publisher, s.date and i18n.long_date(s.date, locale), s.url]
    return ", ".join(str(p) for p in parts if p)


def add_functions(env: jinja2.Environment, ws: Workspace, campaign: Campaign,
                  ctx: dict[str, Any], cited: dict[str, View], subject: Subject,
                  warnings: list[Problem] | None = None) -> None:
    """cite(), count_cases() and background() for campaign bodies and templates."""
    cite = make_cite(ctx["cases"], cited)

    def count_cases(*statuses: str) -> Count:
        found = counted_statuses(ws, campaign.date, statuses)
        left_out = [*found.stale, *found.undated]
        if left_out and warnings is not None:
            message = warning(subject, "stale-count", (
                f"count_cases({', '.join(statuses)}) left out "
                f"{len(left_out)} record(s) whose status was not confirmed in the "
                f"{ws.settings.freshness_days} days before {campaign.date}: "
                f"{', '.join(left_out)}; update their status and status_as_of"))
            if message not in warnings:
                warnings.append(message)
        return Count(found.count, number_words(found.count, ctx["language"]), ctx["language"])

    used = [False]

    def background() -> Markup:
        used[0] = True
        template = templating.load(env, "background.md", ws.root)
        return Markup(templating.render(template, ctx, ws.settings.limits.render_seconds,
                                        ws.root))

    env.globals.update(cite=cite, count_cases=count_cases, background=background,
                       elsewhere=sources_elsewhere(ws, campaign))
    ctx["elsewhere"] = env.globals["elsewhere"]
    ctx.update(cite=cite, count_cases=count_cases, background=background,
               _background_used=used)


def letter_furniture(ws: Workspace, campaign: Campaign, recipient: Recipient | None,
                     copy_for: Recipient | None, texts: Texts, phrases: str, pick: Picker
                     ) -> dict[str, object]:
    """What sits around the body: voice (issuer), cover note of a copy, cc line, asks lead-in,
    running head, press-release furniture."""
    issuer = ws.signatories.get(campaign.issued_by or "")
    org = ws.settings.organisation
    cover = cover_view(ws, campaign, recipient, copy_for, postal_language(ws)) \
        if copy_for and recipient else None
    # a copy's page furniture (letterhead, running head) is in its reader's language
    organisation = issuer_view(ws, campaign, Picker(
        cover.language, fallback=pick.language, locale=cover.locale) if cover else pick)
    copies = copy_recipients(ws, campaign)
    cc_people = copies if campaign.to else expand(ws, campaign.cc)
    cc_line = [", ".join(p for p in (pick.text(r.name, f"recipient {r.id} name"),
                                     pick.text(r.title, f"recipient {r.id} title")) if p)
               for r in cc_people]
    intro = campaign.asks_intro.pick(texts.language)[0] if campaign.asks_intro else \
        furniture.asks_intro(campaign.kind.value, phrases)
    contact = campaign.contact or ws.settings.press_contact
    images = KINDS[campaign.kind].signature_images
    reader = copy_for or recipient
    head = (cover.recipient.name if cover else
            pick.text(reader.name, f"recipient {reader.id} name") if reader is not None else
            pick.text(issuer.organisation or issuer.person,
                      f"signatory {issuer.id} organisation") if issuer
            else org.short or pick.text(org.name, "organisation name"))
    return {
        "organisation": organisation,
        "copy": cover,
        "cc_line": cc_line, "asks_intro": intro, "endnotes": Markup(""),
        "running_head": head,
        "phrase": lambda key: furniture.phrase(key, phrases),
        "media_contact": View("contact", {"name": contact.name, "phone": contact.phone,
                                          "email": contact.email}) if contact else None,
        "notes_to_editors": Markup(markup.to_html(
            campaign.notes_to_editors, inline_footnotes=False,
            seconds=ws.settings.limits.render_seconds, where="notes_to_editors")[0])
        if campaign.notes_to_editors else None,
        "notes_to_editors_md": campaign.notes_to_editors or "",
        "sign_by_hand": campaign.sign_by_hand, "justify": ws.settings.build.justify,
        "signature_images": images,
        "signature_slots": images and any(s.signature for s in signatories_of(ws, campaign)),
        "address_block": address_block(
            recipient, ws.settings.organisation, pick, postal_language(ws),
            addressed=name_line(recipient, pick.language, rule_table(ws))),
        "return_line": return_line(ws, campaign),
        "window_lines": printed_lines(recipient, org) if recipient else 0,
        # a letter published on the web is never folded into an envelope
        "marks": ws.settings.build.marks and KINDS[campaign.kind].marks
        and campaign.publication != "web",
    }
