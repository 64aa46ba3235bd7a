"""One document in memory: (workspace, campaign, recipient) → Markdown and HTML. No I/O.

The published HTML keeps its images as `assets/…` references; the caller embeds them
(`clarion.output.embed.embed_images`), since reading files is not rendering.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from ..errors import ClarionError, Location, Problem
from ..kinds import KINDS
from ..limits import MAX_BODY_CHARS
from ..workspace.audience import addressees, copy_of, together
from ..workspace.model import Campaign, Recipient, Workspace
from . import i18n, markup, templating, typography
from .bilingual import languages_of, make_parts, protect
from .choice import Texts, document_language, phrase_language, warning
from .context import Setting, add_functions, context, letter_furniture
from .copies import translated_for
from .footnotes import footnotes_last, source_notes, split_endnotes
from .views import Picker, View


@dataclass
class Document:
    """A rendered document, before it becomes files."""

    campaign: str
    recipient: str | None
    language: str
    title: str
    markdown: str
    #: for the .html output: endnotes, images as `assets/…` references (embedded by the caller)
    html: str
    print_html: str     # for WeasyPrint: footnotes at the foot of the page
    metadata: dict[str, Any]
    warnings: list[Problem] = field(default_factory=list)
    #: where the document printed text with no version in its language ("case x summary")
    fallbacks: list[str] = field(default_factory=list)
    #: the language of its reader's furniture: a copy's cover note, title and e-mail subject
    #: are in the copy recipient's language, whatever the letter's
    reader_language: str = ""


#: the forms of a document render_document can make: the Markdown, the published HTML,
#: and the HTML WeasyPrint lays out
FORMS = frozenset({"markdown", "html", "print"})


def render_document(ws: Workspace, campaign: Campaign, recipient: Recipient | None,
                    signature_box: dict[str, Any] | None = None,
                    forms: frozenset[str] = FORMS) -> Document:
    """The document `recipient` receives: their own letter, or a copy of the addressee's.

    `forms`: which of FORMS to make (a build of PDFs only needs no Markdown or published
    HTML); a form not made is an empty string in the Document.
    """
    addressee = copy_of(ws, campaign, recipient)
    if addressee is not None and recipient is not None:
        # `copies: translated`: the whole letter in the copy recipient's language
        language = translated_for(ws, campaign, addressee, recipient)
        return _render(ws, campaign, addressee, copy_for=recipient,
                       signature_box=signature_box, forms=forms, language=language)
    return _render(ws, campaign, recipient, signature_box=signature_box, forms=forms)


def _setting(ws: Workspace, campaign: Campaign, recipient: Recipient | None,
             reader: Recipient | None, warnings: list[Problem],
             language: str | None = None) -> Setting:
    """The document's languages (`language` when given), with a warning for each it could
    not have."""
    subject = (campaign.id, reader.id if reader else None)
    missing: Problem | None = None
    if language is not None:
        pass
    elif together(campaign):
        language, missing = together_language(ws, campaign)
    else:
        language, missing = document_language(ws, campaign, recipient)
    if missing:
        warnings.append(replace(missing, subject=subject))
    if recipient and recipient.salutation and recipient.salutation.pick(language)[1]:
        warnings.append(warning(subject, "no-salutation-form",
                                f"the salutation of {recipient.id} has no {language} form; "
                                "used the first given"))
    phrases = phrase_language(ws, campaign, language)
    if phrases != language:
        warnings.append(warning(subject, "no-phrases",
                                f"no built-in phrases in '{language}'; salutation, closing "
                                f"and other fixed phrases are in '{phrases}'"))
    locale = i18n.locale_for(language, ws.settings.language, ws.settings.locale)
    return Setting(language, phrases, locale, subject)


def together_language(ws: Workspace, campaign: Campaign) -> tuple[str, Problem | None]:
    """The language of one letter to several addressees: theirs when they all share one the
    campaign is written in; else the campaign's, with a warning naming those whose language
    differs from it."""
    own = campaign.language or ws.settings.language
    people = addressees(ws, campaign)
    wanted = {r.language or own for r in people}
    if len(wanted) == 1:
        language, missing = document_language(ws, campaign, people[0])
        if missing is None:
            return language, None
    others = [r.id for r in people if i18n.base(r.language or own) != i18n.base(own)]
    if not others:
        return own, None
    return own, warning((campaign.id, None), "mixed-languages", (
        f"one letter to {len(people)} addressees together is written in {own}, the "
        f"campaign's language; {len(others)} of them read another: {', '.join(others)}. "
        "Give the campaign a translation for a language they all read, or send them "
        "letters of their own (`address: each`)"))


def _render(ws: Workspace, campaign: Campaign, recipient: Recipient | None,
            copy_for: Recipient | None = None,
            signature_box: dict[str, Any] | None = None,
            forms: frozenset[str] = FORMS, language: str | None = None) -> Document:
    warnings: list[Problem] = []
    several = languages_of(ws, campaign)
    cited: dict[str, View] = {}
    setting, texts, pick, ctx, md_env = _prepare(ws, campaign, recipient, copy_for, cited,
                                                 warnings, several[0] if several else language)
    if several:
        def part(lang: str) -> tuple[dict[str, Any], tuple[str, str, Markup]]:
            s, t, _, c, env = (setting, texts, pick, ctx, md_env) if lang == setting.language \
                else _prepare(ws, campaign, recipient, None, cited, warnings, lang)
            c.update(_phrases=s.phrases, _locale=s.locale)
            return c, _body(env, ws, campaign, t, c, cited, s, warnings)
        ctx["parts"] = make_parts(several, part, forms, ws.settings.limits.render_seconds)
        body = ("", source_notes(cited, md_env), Markup(""))
    else:
        body = _body(md_env, ws, campaign, texts, ctx, cited, setting, warnings)
    if pick.fallbacks:
        for_whom = f" for recipient {recipient.id}" if recipient else ""
        warnings.append(warning(setting.subject, "untranslated",
                                f"no {setting.language} text in " +
                                ", ".join(sorted(set(pick.fallbacks))) + for_whom +
                                "; used the first given"))
    md_out, screen_html, print_html = _forms(ws, campaign, recipient, texts, ctx, setting, pick,
                                             md_env, body, signature_box, forms)
    cover = ctx.get("copy")
    title = (cover.title if cover is not None else None) or texts.title
    reader = cover.language if cover is not None else setting.language
    metadata = {"title": title, "author": str(ctx["organisation"].name),
                "subject": (cover.subject if cover is not None else None)
                or texts.subject or texts.title, "language": reader,
                "created": campaign.date, "pdf_variant": ws.settings.build.pdf_variant}
    stem = copy_for or recipient
    md_out, screen_html, print_html = _typeset(setting.language, md_out, screen_html,
                                               print_html, ctx.get("copy"), ctx["parts"])
    if screen_html:
        # a workspace template may write anything: the published file keeps the allowed parts
        screen_html = Markup(markup.sanitise_document(str(screen_html)))
    return Document(campaign.id, stem.id if stem else None, setting.language, title,
                    md_out, screen_html, print_html, metadata, warnings,
                    sorted(set(pick.fallbacks)), reader)


def _prepare(ws: Workspace, campaign: Campaign, recipient: Recipient | None,
             copy_for: Recipient | None, cited: dict[str, View], warnings: list[Problem],
             language: str | None) -> tuple[Setting, Texts, Picker, dict[str, Any],
                                            jinja2.Environment]:
    """A document's setting, texts, picker, context and Markdown environment in one
    language (`language`, else the recipient's, else the campaign's)."""
    setting = _setting(ws, campaign, recipient, copy_for or recipient, warnings, language)
    texts = Texts(campaign, setting.language)
    pick = Picker(setting.language, fallback=campaign.language or ws.settings.language,
                  locale=setting.locale)
    ctx = context(ws, campaign, recipient, texts, pick, setting)
    ctx.update(letter_furniture(ws, campaign, recipient, copy_for, texts, setting.phrases, pick))
    ctx["parts"] = []
    md_env = templating.make_environment(ws.root, setting.phrases, setting.locale,
                                         markdown=True, links=ws.options.allow_links)
    add_functions(md_env, ws, campaign, ctx, cited, setting.subject, warnings)
    return setting, texts, pick, ctx, md_env


def _body(env: jinja2.Environment, ws: Workspace, campaign: Campaign, texts: Texts,
          ctx: dict[str, Any], cited: dict[str, View], setting: Setting,
          warnings: list[Problem]) -> tuple[str, str, Markup]:
    """The campaign's body as clean Markdown, the footnotes of what it cited, and the body
    as HTML for print (made in any case: what it removes is warned about)."""
    body_md = _render_body(env, texts, ctx, ws, campaign)
    if KINDS[campaign.kind].background and ctx["cases"] and \
            not ctx["_background_used"][0] and not _has_heading(body_md, setting.phrases):
        body_md = body_md.rstrip() + "\n\n" + str(ctx["background"]())
    if len(body_md) > MAX_BODY_CHARS:
        raise ClarionError(f"the body of {campaign.id} is {len(body_md):,} characters once "
                           f"rendered, over the limit of {MAX_BODY_CHARS:,}; shorten it",
                           texts.body_loc)
    notes = source_notes(cited, env)
    body_md, removed = markup.clean_markdown(str(body_md))
    body_print, also = markup.to_html(body_md + notes, inline_footnotes=True,
                                      seconds=ws.settings.limits.render_seconds,
                                      where=str(texts.body_loc or f"the body of {campaign.id}"),
                                      language=setting.phrases)
    removed += [what for what in also if what not in removed]
    for what in removed:
        warnings.append(Problem(texts.body_loc or Location(campaign.id),
                                f"removed {what} from the body of {campaign.id}", "warning",
                                code="removed-markup", subject=setting.subject))
    return body_md, notes, body_print


def _forms(ws: Workspace, campaign: Campaign, recipient: Recipient | None, texts: Texts,
           ctx: dict[str, Any], setting: Setting, pick: Picker, md_env: jinja2.Environment,
           body: tuple[str, str, Markup], signature_box: dict[str, Any] | None,
           forms: frozenset[str]) -> tuple[str, str, str]:
    """The Markdown, published HTML and print HTML asked for (each "" when not)."""
    body_md, notes, body_print = body
    name = campaign.template or KINDS[campaign.kind].template
    seconds = ws.settings.limits.render_seconds
    front = yaml.safe_dump({"title": texts.title, "date": campaign.date.isoformat(),
                            "recipient": pick.text(recipient.name,
                                                   f"recipient {recipient.id} name")
                            if recipient else None,
                            "language": setting.language, "campaign": campaign.id},
                           allow_unicode=True, sort_keys=False)
    md_out = screen_html = print_html = ""
    if "markdown" in forms:
        md_ctx = {**ctx, "body": Markup(body_md),
                  "front_matter": Markup(front) if ws.settings.build.front_matter else ""}
        md_text = templating.render(templating.load(md_env, f"{name}.md", ws.root), md_ctx,
                                    seconds, ws.root)
        md_out = _tidy_markdown(footnotes_last(markup.clean_markdown(md_text)[0] + notes))
    html_env = templating.make_environment(ws.root, setting.phrases, setting.locale,
                                           links=ws.options.allow_links)
    if "print" in forms:
        print_html = templating.render(templating.load(html_env, f"{name}.html", ws.root),
                                       {**ctx, "asset_base": "", "body": body_print,
                                        "for_print": True, "signature_box": signature_box},
                                       seconds, ws.root)
    if "html" in forms:
        body_screen, _ = markup.to_html(body_md + notes, inline_footnotes=False,
                                        seconds=seconds, language=setting.phrases)
        body_screen, endnotes = split_endnotes(str(body_screen))
        if ctx["parts"]:  # a letter in several languages: the first one's notes
            endnotes = Markup(ctx["parts"][0].endnotes)
        # images stay `assets/…` references: the caller embeds them (output/embed.py)
        screen_html = templating.render(templating.load(html_env, f"{name}.html", ws.root),
                                        {**ctx, "asset_base": "", "body": body_screen,
                                         "endnotes": endnotes, "for_print": False},
                                        seconds, ws.root)
    return md_out, screen_html, print_html


def _typeset(language: str, md: str, screen: str, print_: str,
             copy: View | None = None, parts: list[View] | None = None
             ) -> tuple[str, Markup, Markup]:
    """The language's typography, applied once to every rendered text (never in templates).
    A copy's cover note, in the copy recipient's language, is typeset in that language: in
    HTML it is a `<section lang>`; in Markdown it runs up to the copy label's line."""
    head, rest = "", md
    md, restore = protect(md, parts or [])
    rest = md
    if copy is not None:
        label = f"\n*{copy['label']}*\n"
        if label in md:
            cut = md.index(label)
            head, rest = typography.apply_markdown(md[:cut], copy["language"]), md[cut:]
    return (restore(head + typography.apply_markdown(rest, language)),
            Markup(typography.apply_html(str(screen), language)),
            Markup(typography.apply_html(str(print_), language)))


def _render_body(env: jinja2.Environment, texts: Texts, ctx: dict[str, Any], ws: Workspace,
                 campaign: Campaign) -> str:
    if not texts.body.strip():
        return ""
    loc = texts.body_loc or Location("campaigns/" + campaign.id + ".yaml")
    template = templating.compile_source(env, texts.body, loc.path, max(loc.line - 1, 0))
    return templating.render(template, ctx, ws.settings.limits.render_seconds, ws.root,
                             max(loc.line - 1, 0))


def _has_heading(body: str, language: str) -> bool:
    word = i18n.catalog(language).gettext("Background")
    return re.search(rf"^#+\s*{re.escape(word)}\s*$", body, re.M | re.I) is not None


def _tidy_markdown(text: str) -> str:
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"
