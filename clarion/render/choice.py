"""Which language a document is written in, and the campaign's texts in that language."""
from __future__ import annotations

from ..errors import Location, Problem
from ..workspace.model import Campaign, Recipient, Workspace
from . import i18n, languages

#: what a warning about one document is about: (campaign, recipient or None)
Subject = tuple[str, str | None]


def warning(subject: Subject, code: str, message: str) -> Problem:
    """A warning about one document of a campaign, where no single file line is to blame."""
    return Problem(Location(subject[0]), message, "warning", code=code, subject=subject)


def document_language(ws: Workspace, campaign: Campaign,
                      recipient: Recipient | None) -> tuple[str, Problem | None]:
    """The recipient's language where the campaign is written in it; else the campaign's."""
    own = campaign.language or ws.settings.language
    wanted = recipient.language if recipient and recipient.language else own
    if _written_in(campaign, own, wanted):
        return wanted, None
    who = recipient.id if recipient else "-"  # a recipient always: without, wanted == own
    return own, warning((campaign.id, recipient.id if recipient else None), "no-translation",
                        f"no {wanted} translation for recipient {who}; written in {own}")


def _written_in(campaign: Campaign, own: str, wanted: str) -> bool:
    """Whether the campaign has text for `wanted`: `fr-BE` is served by `fr-BE` or `fr`
    (a translation, or the original when the campaign is written in French)."""
    for code in (wanted, i18n.base(wanted)):
        if code in (own, i18n.base(own)) or code in campaign.translations:
            return True
    return False


def phrase_language(ws: Workspace, campaign: Campaign, language: str) -> str:
    """The language of fixed phrases: the document's if built in, else the campaign's."""
    for candidate in (language, campaign.language or ws.settings.language, languages.SOURCE):
        if i18n.has_phrases(candidate):
            return candidate
    return languages.SOURCE


class Texts:
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
