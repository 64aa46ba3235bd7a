"""One document in memory: (workspace, campaign, recipient) → Markdown and HTML. No I/O."""
from __future__ import annotations

import base64
import html as html_lib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from ..errors import ClarionError, Location, Problem, did_you_mean
from ..workspace import model
from ..workspace.audience import copy_of, copy_recipients, expand
from ..workspace.model import Campaign, Kind, Recipient, Workspace
from ..workspace.postal import printed_lines
from . import furniture, i18n, markup, templating, typography
from .phrases import event_word, status_word
from .salutations import address_forms, rule_table
from .statuses import Count, number_words
from .views import (
    Picker,
    View,
    case_view,
    counted_statuses,
    organisation_view,
    recipient_view,
    signatory_view,
)


@dataclass
class Document:
    """A rendered document, before it becomes files."""

    campaign: str
    recipient: str | None
    language: str
    title: str
    markdown: str
    html: str           # for the .html output: endnotes, relative asset links
    print_html: str     # for WeasyPrint: footnotes at the foot of the page
    metadata: dict[str, Any]
    warnings: list[Problem] = field(default_factory=list)
    #: where the document printed text with no version in its language ("case x summary")
    fallbacks: list[str] = field(default_factory=list)


def document_language(ws: Workspace, campaign: Campaign,
                      recipient: Recipient | None) -> tuple[str, Problem | None]:
    """The recipient's language where the campaign is written in it; else the campaign's."""
    own = campaign.language or ws.settings.language
    wanted = recipient.language if recipient and recipient.language else own
    if _written_in(campaign, own, wanted):
        return wanted, None
    who = recipient.id if recipient else "-"  # a recipient always: without, wanted == own
    return own, _warning(campaign, f"no {wanted} translation for recipient {who}; "
                                   f"written in {own}")


def _written_in(campaign: Campaign, own: str, wanted: str) -> bool:
    """Whether the campaign has text for `wanted`: `fr-BE` is served by `fr-BE` or `fr`
    (a translation, or the original when the campaign is written in French)."""
    for code in (wanted, i18n.base(wanted)):
        if code in (own, i18n.base(own)) or code in campaign.translations:
            return True
    return False


class _Texts:
    """The campaign's fields in one language: the translation laid over the original."""

    def __init__(self, campaign: Campaign, language: str):
        t = campaign.translations.get(language) or campaign.translations.get(i18n.base(language))
        own = campaign.language
        use = t if t is not None and language != own else None
        self.language = language
        self.title = (use and use.title) or campaign.title
        self.subject = (use and use.subject) or campaign.subject
        self.place = (use and use.place) or campaign.place
        self.asks = list(use.asks) if use and use.asks is not None else list(campaign.asks)
        self.quotes = list(use.quotes) if use and use.quotes is not None else \
            list(campaign.quotes)
        self.body = (use and use.body) or campaign.body or ""
        self.body_loc = (use.body_loc if use and use.body else None) or campaign.body_loc \
            or campaign.loc


#: the forms of a document render_document can make: the Markdown, the published HTML,
#: and the HTML WeasyPrint lays out
FORMS = frozenset({"markdown", "html", "print"})


def forms_for(formats: Iterable[str]) -> frozenset[str]:
    """The forms a build needs for these output formats (an e-mail draft needs all three:
    its text, its HTML part and the PDF it attaches)."""
    wanted = set(formats)
    if "eml" in wanted:
        return FORMS
    return frozenset({form for form, fmt in (("markdown", "md"), ("html", "html"),
                                             ("print", "pdf")) if fmt in wanted})


def render_document(ws: Workspace, campaign: Campaign, recipient: Recipient | None,
                    signature_box: dict[str, Any] | None = None,
                    forms: frozenset[str] = FORMS) -> Document:
    """The document `recipient` receives: their own letter, or a copy of the addressee's.

    `forms`: which of FORMS to make (a build of PDFs only needs no Markdown or published
    HTML); a form not made is an empty string in the Document.
    """
    addressee = copy_of(ws, campaign, recipient)
    if addressee is not None and recipient is not None:
        return _render(ws, campaign, addressee, copy_for=recipient,
                       signature_box=signature_box, forms=forms)
    return _render(ws, campaign, recipient, signature_box=signature_box, forms=forms)


def _render(ws: Workspace, campaign: Campaign, recipient: Recipient | None,
            copy_for: Recipient | None = None,
            signature_box: dict[str, Any] | None = None,
            forms: frozenset[str] = FORMS) -> Document:
    language, warning = document_language(ws, campaign, recipient)
    warnings = [warning] if warning else []
    if recipient and recipient.salutation and recipient.salutation.pick(language)[1]:
        warnings.append(_warning(campaign, f"the salutation of {recipient.id} has no "
                                           f"{language} form; used the first given"))
    phrases = phrase_language(ws, campaign, language)
    if phrases != language:
        warnings.append(_warning(campaign, f"no built-in phrases in '{language}'; salutation, "
                                           f"closing and other fixed phrases are in '{phrases}'"))
    locale = i18n.locale_for(language, ws.settings.language, ws.settings.locale)
    texts = _Texts(campaign, language)
    pick = Picker(language, fallback=campaign.language or ws.settings.language, locale=locale)
    ctx = _context(ws, campaign, recipient, texts, pick, language, phrases, locale, warnings)
    ctx.update(_letter_furniture(ws, campaign, recipient, copy_for, texts, phrases, pick))
    md_env = templating.make_environment(ws.root, phrases, locale, markdown=True)
    html_env = templating.make_environment(ws.root, phrases, locale)
    seconds = ws.settings.limits.render_seconds

    cited: dict[str, View] = {}
    _add_functions(md_env, ws, campaign, ctx, cited, warnings)
    body_md = _render_body(md_env, texts, ctx, ws.root, seconds, campaign)
    if campaign.kind is Kind.PRESS_REACTION and ctx["cases"] and \
            not ctx["_background_used"][0] and not _has_heading(body_md, phrases):
        body_md = body_md.rstrip() + "\n\n" + str(ctx["background"]())
    if len(body_md) > MAX_BODY_CHARS:
        raise ClarionError(f"the body of {campaign.id} is {len(body_md):,} characters once "
                           f"rendered, over the limit of {MAX_BODY_CHARS:,}; shorten it",
                           texts.body_loc)
    notes = _source_notes(cited, md_env)
    body_md, removed = markup.clean_markdown(str(body_md))
    body_print, also = markup.to_html(body_md + notes, inline_footnotes=True, language=phrases)
    removed += [what for what in also if what not in removed]
    for what in removed:
        warnings.append(Problem(texts.body_loc or Location(campaign.id),
                                f"removed {what} from the body of {campaign.id}", "warning"))
    if pick.fallbacks:
        for_whom = f" for recipient {recipient.id}" if recipient else ""
        warnings.append(_warning(campaign, f"no {language} text in " +
                                 ", ".join(sorted(set(pick.fallbacks))) + for_whom +
                                 "; used the first given"))

    name = campaign.template or campaign.kind.value
    front = yaml.safe_dump({"title": texts.title, "date": campaign.date.isoformat(),
                            "recipient": pick.text(recipient.name, f"recipient {recipient.id} name") if recipient else None,
                            "language": language, "campaign": campaign.id},
                           allow_unicode=True, sort_keys=False)
    md_out = screen_html = print_html = ""
    if "markdown" in forms:
        md_ctx = {**ctx, "body": Markup(body_md),
                  "front_matter": Markup(front) if ws.settings.build.front_matter else ""}
        md_text = templating.render(templating.load(md_env, f"{name}.md", ws.root), md_ctx,
                                    seconds, ws.root)
        md_out = _tidy_markdown(footnotes_last(markup.clean_markdown(md_text)[0] + notes))
    if "print" in forms:
        print_html = templating.render(templating.load(html_env, f"{name}.html", ws.root),
                                       {**ctx, "asset_base": "", "body": body_print,
                                        "for_print": True, "signature_box": signature_box},
                                       seconds, ws.root)
    if "html" in forms:
        body_screen, _ = markup.to_html(body_md + notes, inline_footnotes=False,
                                        language=phrases)
        body_screen, endnotes = _split_endnotes(str(body_screen))
        # the .html is one file that still shows its images when mailed: no relative paths
        screen_html = templating.render(templating.load(html_env, f"{name}.html", ws.root),
                                        {**ctx, "asset_base": "", "body": body_screen,
                                         "endnotes": endnotes, "for_print": False},
                                        seconds, ws.root)
        image_notes: list[str] = []  # embed_images says what it left out as plain text
        screen_html = embed_images(screen_html, ws.root, image_notes)
        warnings += [_warning(campaign, note) for note in image_notes]
    metadata = {"title": texts.title, "author": str(ctx["organisation"].name),
                "subject": texts.subject or texts.title, "language": language,
                "created": campaign.date, "pdf_variant": ws.settings.build.pdf_variant}
    stem = copy_for or recipient
    md_out, screen_html, print_html = _typeset(language, md_out, screen_html, print_html,
                                               ctx.get("copy"))
    if screen_html:
        # a workspace template may write anything: the published file keeps the allowed parts
        screen_html = Markup(markup.sanitise_document(str(screen_html)))
    return Document(campaign.id, stem.id if stem else None, language, texts.title,
                    md_out, screen_html, print_html, metadata, warnings,
                    sorted(set(pick.fallbacks)))


def _typeset(language: str, md: str, screen: str, print_: str,
             copy: View | None = None) -> tuple[str, Markup, Markup]:
    """The language's typography, applied once to every rendered text (never in templates).
    A copy's cover note, in the copy recipient's language, is typeset in that language: in
    HTML it is a `<section lang>`; in Markdown it runs up to the copy label's line."""
    head, rest = "", md
    if copy is not None:
        label = f"\n*{copy['label']}*\n"
        if label in md:
            cut = md.index(label)
            head, rest = typography.apply_markdown(md[:cut], copy["language"]), md[cut:]
    return (head + typography.apply_markdown(rest, language),
            Markup(typography.apply_html(str(screen), language)),
            Markup(typography.apply_html(str(print_), language)))


#: a rendered body longer than this is refused (Markdown parsing can be slow on hostile text)
MAX_BODY_CHARS = 200_000


def _warning(campaign: Campaign, message: str) -> Problem:
    """A warning about one document of a campaign, where no single file line is to blame."""
    return Problem(Location(campaign.id), message, "warning")


def phrase_language(ws: Workspace, campaign: Campaign, language: str) -> str:
    """The language of fixed phrases: the document's if built in, else the campaign's."""
    for candidate in (language, campaign.language or ws.settings.language, "en"):
        if i18n.has_phrases(candidate):
            return candidate
    return "en"


def _context(ws: Workspace, campaign: Campaign, recipient: Recipient | None, texts: _Texts,
             pick: Picker, language: str, phrases: str, locale: str,
             warnings_out: list[Problem]) -> dict[str, Any]:
    day = campaign.date
    cases = {cid: case_view(ws.cases[cid], pick, day, locale, phrases) for cid in campaign.cases
             if cid in ws.cases}
    table = rule_table(ws)
    # a workspace may give forms of address for a language Clarion has no phrases in
    lang = i18n.base(language)
    salutation, closing = address_forms(recipient, language if lang in table else phrases,
                                        table)
    quotes = [View("quote", {"speaker": q.speaker, "title": q.title,
                             "organisation": q.organisation, "text": " ".join(q.text.split()),
                             "pull": q.pull})
              for q in texts.quotes]
    window = campaign.window
    start = window.start if window else campaign.date
    end = window.end if window else model.Window(campaign.date, 7).end
    reacted = None
    if campaign.event and campaign.event.case in ws.cases:
        reacted_case = case_view(ws.cases[campaign.event.case], pick, day, locale,
                                  phrases)
        reacted = next((e for e in reacted_case.events if e.id == campaign.event.event), None)
    campaign_view = View("campaign", {
        "id": campaign.id, "kind": campaign.kind.value, "title": texts.title,
        "subject": texts.subject, "place": texts.place, "date": campaign.date,
        "language": language, "asks": texts.asks, "quotes": quotes,
        "embargo": campaign.embargo, "extra": dict(campaign.extra),
        "cases": list(campaign.cases), "recipients": list(campaign.recipients),
        "signatories": list(campaign.signatories), "template": campaign.template or
        campaign.kind.value, "translations": sorted(campaign.translations),
        "window": View("window", {"from": start, "days": (end - start).days + 1, "end": end}),
        "event": View("event_ref", {"case": campaign.event.case, "event": campaign.event.event,
                                    "details": reacted}) if campaign.event else None,
    })
    recipient_lines, add_country = _address_lines(recipient, ws.settings.organisation, pick)
    watch_cases = list(cases.values()) or [case_view(c, pick, day, locale, phrases)
                                           for c in ws.cases.values()]
    window_events = sorted(
        ((e, c) for c in watch_cases for e in c.events if start <= e.date <= end),
        key=lambda pair: (pair[0].date, pair[1].name))
    return {
        "campaign": campaign_view, "cases": cases,
        "case": next(iter(cases.values()), None),
        "recipient": recipient_view(recipient, language, pick),
        "signatories": [signatory_view(ws.signatories[s], pick) for s in campaign.signatories
                        if s in ws.signatories],
        "organisation": organisation_view(ws.settings.organisation, pick),
        "extra": dict(campaign.extra), "language": language,
        "hyphenate": i18n.hyphenation_language(language), "paper": ws.settings.build.paper,
        "salutation": salutation, "closing": closing,
        "address_lines": recipient_lines, "add_country": add_country,
        "lede": _lede(texts, quotes, phrases),
        "status_word": lambda v: status_word(v, phrases),
        "event_word": lambda v: event_word(v, phrases),
        "source_line": lambda s: _source_line(s, locale),
        "window_events": [View("watch", {"event": e, "case": c}) for e, c in window_events],
        "reacted": View("reacted", {"event": reacted,
                                    "case": cases.get(campaign.event.case)})
        if campaign.event and reacted else None,
    }


def _address_lines(recipient: Recipient | None, org: model.Organisation, pick: Picker) -> tuple[list[str], bool]:
    """Postal lines; the country is added (in capitals) when the letter crosses a border."""
    if recipient is None:
        return [], False
    lines = [pick.text(line, f"recipient {recipient.id} address") or "" for line in
             recipient.address]
    code = (recipient.country or "").strip()
    country = pick.country(code) or ""
    # the sender's country: the last part of its last address line ("…, Belgium" or "Belgium")
    home = (str(org.address[-1]).split(",")[-1] if org.address else "").strip().lower()
    names = {code.lower(), country.lower(), *i18n.country_keys(code)}
    if country and lines and lines[-1].strip().lower() not in names and home not in names:
        return [*lines, country], True
    return lines, False


def _lede(texts: _Texts, quotes: Sequence[View], language: str) -> str:
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


def _add_functions(env: jinja2.Environment, ws: Workspace, campaign: Campaign,
                   ctx: dict[str, Any], cited: dict[str, View],
                   warnings: list[Problem] | None = None) -> None:
    """cite(), count_cases() and background() for campaign bodies and templates."""

    def cite(key: str, case: str | None = None) -> Markup:
        pool = [ctx["cases"][case]] if case in ctx["cases"] else list(ctx["cases"].values())
        for c in pool:
            if key in c.sources:
                # the same key in two cases may name two different sources
                label = _label(c.sources[key], cited)
                cited.setdefault(label, c.sources[key])
                return Markup(f"[^{label}]")
        known = {k for c in pool for k in c.sources}
        message = f"cite: no source `{key}` in the cases of this campaign{did_you_mean(key, known)}"
        if templating.soft_fail(message):  # validate's dry run: note it and go on
            return Markup("")
        raise ValueError(message)

    def count_cases(*statuses: str) -> Count:
        found = counted_statuses(ws, campaign.date, statuses)
        left_out = [*found.stale, *found.undated]
        if left_out and warnings is not None:
            message = _warning(campaign, (
                f"count_cases({', '.join(statuses)}) left out "
                f"{len(left_out)} record(s) whose status was not confirmed in the "
                f"{ws.settings.freshness_days} days before {campaign.date}: "
                f"{', '.join(left_out)}; update their status and status_as_of"))
            if message not in warnings:
                warnings.append(message)
        return Count(found.count, number_words(found.count, ctx["language"]))

    used = [False]

    def background() -> Markup:
        used[0] = True
        template = templating.load(env, "background.md", ws.root)
        return Markup(templating.render(template, ctx, ws.settings.limits.render_seconds, ws.root))

    env.globals.update(cite=cite, count_cases=count_cases, background=background)
    ctx.update(cite=cite, count_cases=count_cases, background=background,
               _background_used=used)


def _label(source: View, cited: dict[str, View]) -> str:
    """A footnote label for a source: readable, and never shared by two different sources."""
    base = "src-" + re.sub(r"[^A-Za-z0-9_-]", "-", source.key)
    fields = ("key", "title", "publisher", "date", "url")
    for label, other in cited.items():
        if all(getattr(other, f) == getattr(source, f) for f in fields):
            return label
    label, n = base, 1
    while label in cited:
        n += 1
        label = f"{base}-{n}"
    return label


def _render_body(env: jinja2.Environment, texts: _Texts, ctx: dict[str, Any], root: Path,
                 seconds: float, campaign: Campaign) -> str:
    if not texts.body.strip():
        return ""
    loc = texts.body_loc or Location("campaigns/" + campaign.id + ".yaml")
    template = templating.compile_source(env, texts.body, loc.path, max(loc.line - 1, 0))
    return templating.render(template, ctx, seconds, root, max(loc.line - 1, 0))


def _has_heading(body: str, language: str) -> bool:
    word = i18n.catalog(language).gettext("Background")
    return re.search(rf"^#+\s*{re.escape(word)}\s*$", body, re.M | re.I) is not None


def _source_notes(cited: dict[str, View], env: jinja2.Environment) -> str:
    """Markdown footnote definitions for the cited sources (put after everything else)."""
    if not cited:
        return ""
    date = env.filters["date"]
    lines = []
    for label, s in cited.items():
        url = s.url if s.url and markup.safe_link(s.url) and \
            markup.SCHEME_RE.match(s.url) else None  # an address to visit: http(s) only
        parts = [p for p in (s.title and f"“{s.title}”", s.publisher,
                             s.date and date(s.date), url and f"<{url}>") if p]
        text = " ".join(", ".join(parts).split()) or label
        lines.append(f"[^{label}]: {_md_escape(text)}")
    return "\n\n" + "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    """Source text from data: no raw HTML, but keep <https://…> autolinks."""
    out = re.sub(r"<(?!https?://[^\s<>]+>)", "&lt;", text)
    return out


#: an image larger than this is left out of the .html (a mailed file must stay small)
MAX_EMBED_BYTES = 512 * 1024
IMG_SRC_RE = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")')
EMBED_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml"}


def embed_images(html: str, root: Path, warnings: list[str]) -> str:
    """Images from assets/ become data: URIs (size-capped); other relative paths are dropped."""
    assets = (root / "assets").resolve()

    def embed(m: re.Match[str]) -> str:
        src = html_lib.unescape(m.group(2))
        if re.match(r"^(https?:|data:)", src, re.I):
            return m.group(0)
        path = (root / src).resolve()
        kind = EMBED_TYPES.get(path.suffix.lower())
        why = None
        if not path.is_relative_to(assets) or kind is None or not path.is_file():
            why = "not an image file under assets/"
        elif path.stat().st_size > MAX_EMBED_BYTES:
            why = f"larger than {MAX_EMBED_BYTES // 1024} KB"
        if why:
            warnings.append(f"{src}: left out of the .html ({why})")
            return m.group(1) + m.group(3)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"{m.group(1)}data:{kind};base64,{data}{m.group(3)}"

    return Markup(IMG_SRC_RE.sub(embed, str(html)))


def _split_endnotes(html: str) -> tuple[Markup, Markup]:
    """The body without its footnotes, and the footnotes (printed at the document's end)."""
    m = re.search(r'<div class="footnote">.*</div>\s*$', html, re.S)
    if not m:
        return Markup(html), Markup("")
    return Markup(html[:m.start()]), Markup(m.group(0))


FOOTNOTE_DEF_RE = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]?(.*(?:\n(?:[ \t]{2,}|\t).*)*)\n?", re.M)


def footnotes_last(text: str) -> str:
    """Markdown with every footnote numbered in the order it is first called, and all the
    notes at the very end (after the signatories)."""
    defs: dict[str, str] = {}
    for m in FOOTNOTE_DEF_RE.finditer(text):
        defs.setdefault(m.group(1), m.group(2).rstrip())
    if not defs:
        return text
    text = FOOTNOTE_DEF_RE.sub("", text)
    order: dict[str, int] = {}

    def call(m: re.Match[str]) -> str:
        label = m.group(1)
        if label not in defs:
            return m.group(0)
        number = order.setdefault(label, len(order) + 1)
        return f"[^{number}]"

    text = re.sub(r"\[\^([^\]\s]+)\]", call, text)
    notes = [f"[^{n}]: {defs[label]}" for label, n in order.items()]
    return text.rstrip() + "\n\n" + "\n".join(notes) + "\n"


def _tidy_markdown(text: str) -> str:
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


def _letter_furniture(ws: Workspace, campaign: Campaign, recipient: Recipient | None,
                      copy_for: Recipient | None, texts: _Texts, phrases: str, pick: Picker
                      ) -> dict[str, object]:
    """What sits around the body: voice (issuer), cover note of a copy, cc line, asks lead-in,
    running head, press-release furniture."""
    issuer = ws.signatories.get(campaign.issued_by or "")
    org = ws.settings.organisation
    if issuer is not None:
        organisation = View("organisation", {
            "name": pick.text(issuer.organisation, f"signatory {issuer.id} organisation"),
            "short": None, "address": [], "email": None,
            "logo": issuer.logo})
    else:
        organisation = organisation_view(org, pick)
    copies = copy_recipients(ws, campaign)
    cc_people = copies if campaign.to else expand(ws, campaign.cc)
    cc_line = [", ".join(p for p in (pick.text(r.name, f"recipient {r.id} name"),
                                     pick.text(r.title, f"recipient {r.id} title")) if p)
               for r in cc_people]
    intro = campaign.asks_intro.pick(texts.language)[0] if campaign.asks_intro else \
        furniture.asks_intro(campaign.kind.value, phrases)
    contact = campaign.contact or ws.settings.press_contact
    images = campaign.kind in (Kind.OPEN_LETTER, Kind.STATEMENT)
    reader = copy_for or recipient
    head = (pick.text(reader.name, f"recipient {reader.id} name") if reader is not None else
            pick.text(issuer.organisation, f"signatory {issuer.id} organisation") if issuer
            else org.short or pick.text(org.name, "organisation name"))
    return {
        "organisation": organisation,
        "copy": _cover(ws, campaign, recipient, copy_for) if copy_for and recipient else None,
        "cc_line": cc_line, "asks_intro": intro, "endnotes": Markup(""),
        "running_head": head,
        "phrase": lambda key: furniture.phrase(key, phrases),
        "media_contact": View("contact", {"name": contact.name, "phone": contact.phone,
                                          "email": contact.email}) if contact else None,
        "notes_to_editors": Markup(markup.to_html(campaign.notes_to_editors, inline_footnotes=False)[0])
        if campaign.notes_to_editors else None,
        "notes_to_editors_md": campaign.notes_to_editors or "",
        "sign_by_hand": campaign.sign_by_hand, "justify": ws.settings.build.justify,
        "signature_images": images,
        "signature_slots": images and any(ws.signatories[s].signature for s in
                                          campaign.signatories if s in ws.signatories),
        "address_block": _address_block(recipient, ws.settings.organisation, pick),
        "window_lines": printed_lines(recipient, org) if recipient else 0,
        "marks": ws.settings.build.marks and campaign.kind is Kind.OPEN_LETTER,
    }


def _cover(ws: Workspace, campaign: Campaign, addressee: Recipient, reader: Recipient) -> View:
    """The cover note of a copy: in the copy recipient's language and form of address."""
    wanted = reader.language or campaign.language or ws.settings.language
    phrases = wanted if i18n.has_phrases(wanted) else phrase_language(ws, campaign, wanted)
    locale = i18n.locale_for(phrases, ws.settings.language, ws.settings.locale)
    table = rule_table(ws)
    salutation, closing = address_forms(reader, wanted if wanted in table else phrases, table)
    # what the cover note cannot say in its own language, it says as the letter does
    letter_language = document_language(ws, campaign, addressee)[0]
    cover = Picker(wanted, fallback=letter_language, locale=locale)
    issuer = ws.signatories.get(campaign.issued_by or "")
    sender = cover.text(issuer.organisation if issuer else ws.settings.organisation.name,
                        "organisation")
    lines, add_country = _address_lines(reader, ws.settings.organisation, cover)
    date = i18n.long_date(campaign.date, locale)
    title = cover.text(addressee.title, f"recipient {addressee.id} title")
    title = f", {title}" if title else ""
    place = _Texts(campaign, phrases).place
    return View("copy", {
        "recipient": recipient_view(reader, phrases, cover), "address_lines": lines,
        "address_block": _address_block(reader, ws.settings.organisation, cover),
        "window_lines": printed_lines(reader, ws.settings.organisation),
        "add_country": add_country, "language": phrases, "salutation": salutation,
        "closing": closing, "date": date, "place": place,
        "text": furniture.phrase("cover", phrases).format(date=date, name=cover.text(
                                                               addressee.name, "name"),
                                                           title=title),
        "label": furniture.phrase("copy", phrases), "sender": sender})


def _address_block(recipient: Recipient | None, org: model.Organisation,
                   pick: Picker) -> list[str]:
    """Name, title and postal lines as printed, the added country in capitals."""
    if recipient is None:
        return []
    lines, add_country = _address_lines(recipient, org, pick)
    if add_country:
        lines = [*lines[:-1], lines[-1].upper()]
    name = pick.text(recipient.name, f"recipient {recipient.id} name")
    title = pick.text(recipient.title, f"recipient {recipient.id} title")
    return [str(p) for p in (name, title, *lines) if p]
