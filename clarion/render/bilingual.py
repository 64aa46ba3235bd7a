"""A letter in several languages in turn (`languages: [en, tr]`): each language's part — date
line, subject, salutation, body, asks and closing — in that language, for every format."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from ..errors import ClarionError, Location
from ..kinds import KINDS
from ..workspace.model import Campaign, Workspace
from ..workspace.translations import has_language
from . import i18n, languages, markup, typography
from .footnotes import split_endnotes
from .views import View

#: (language) → the part's context and its body as (Markdown, notes, print HTML)
RenderPart = Callable[[str], tuple[dict[str, Any], tuple[str, str, Markup]]]


def languages_of(ws: Workspace, campaign: Campaign) -> tuple[str, ...]:
    """The languages of a letter written in several in turn; () for a letter in one.
    Raises ClarionError (at `languages:`) for one the campaign has no text in."""
    if len(campaign.languages) < 2 or not KINDS[campaign.kind].recipients:
        return ()
    for language in campaign.languages:
        if not has_language(ws, campaign, language):
            where = campaign.locs.get("languages") or campaign.loc or \
                Location(f"campaigns/{campaign.id}.yaml")
            raise ClarionError(f"languages: `{language}` has no translation; add "
                               f"`translations: {{{language}: …}}` or leave it out of "
                               "`languages`", where)
    return tuple(dict.fromkeys(campaign.languages))


def make_parts(languages: tuple[str, ...], render: RenderPart, forms: frozenset[str],
               seconds: float) -> list[View]:
    """Each language's part of the letter, in order: its text set in its own typography."""
    parts = []
    for language in languages:
        ctx, (body_md, notes, body_print) = render(language)
        campaign, phrases = ctx["campaign"], ctx["_phrases"]
        dateline = i18n.dateline(campaign.place, campaign.date, ctx["_locale"])
        subject = campaign.subject or campaign.title
        label = subject_label(phrases)
        screen, endnotes = Markup(""), Markup("")
        if "html" in forms:
            html, _ = markup.to_html(body_md + notes, inline_footnotes=False, seconds=seconds,
                                     language=phrases)
            body_screen, found = split_endnotes(str(html))
            screen, endnotes = Markup(body_screen), Markup(found)
        parts.append(View("part", {
            "language": language, "dateline": dateline, "subject": subject,
            "subject_label": label,
            "salutation": ctx["salutation"], "asks": list(campaign.asks),
            "asks_intro": ctx["asks_intro"], "closing_lines": ctx["closing_lines"],
            "body": body_print, "screen_body": screen, "endnotes": endnotes,
            "markdown": typography.apply_markdown(_markdown(
                dateline, f"{label} {subject}" if label else subject, ctx, body_md),
                language)}))
    return parts


def subject_label(phrases: str) -> str:
    """The label before a letter's subject in `phrases` ("Objet :" in French; "" where the
    language writes none), as open-letter.html sets it."""
    label = i18n.catalog(phrases).pgettext("subject-label", "none")
    if label == "none":
        return ""
    return languages.label(label, phrases)


def _markdown(dateline: str, subject: str, ctx: dict[str, Any], body: str) -> str:
    """One language's part as Markdown, as open-letter.md sets a letter's text."""
    campaign = ctx["campaign"]
    out = [dateline, f"**{subject}**"]
    if ctx["salutation"]:
        out.append(str(ctx["salutation"]))
    if body.strip():
        out.append(body.strip())
    if campaign.asks:
        out.append(str(ctx["asks_intro"]))
        out.append("\n\n".join(f"{i}. {ask}" for i, ask in enumerate(campaign.asks, 1)))
    if ctx["closing_lines"]:
        out.append("\\\n".join(ctx["closing_lines"]))
    return "\n\n".join(out)


def protect(md: str, parts: list[View]) -> tuple[str, Callable[[str], str]]:
    """The Markdown with each part (typeset already, in its own language) replaced by a mark
    the document's typography leaves alone, and the function that puts them back."""
    marks = {}
    for i, part in enumerate(parts):
        mark = f"\x00part{i}\x00"
        if part.markdown in md:
            md = md.replace(part.markdown, mark)
            marks[mark] = part.markdown

    def restore(text: str) -> str:
        for mark, value in marks.items():
            text = text.replace(mark, value)
        return text
    return md, restore
