"""Fixed words of a document's furniture (cover notes, asks lead-ins, ENDS…).

Each is an English message whose translations live in the catalogues
(`clarion/locale/<lang>/LC_MESSAGES/clarion.po`, context "furniture"), like every other
fixed phrase; `pgettext` below only marks them for `pybabel extract`.
"""
from __future__ import annotations

from . import i18n


def pgettext(context: str, message: str) -> str:
    """Marks a message for extraction; the translation is looked up in `phrase`."""
    return message


#: key → English message. Placeholders: {date}, {name}, {title} (cover notes), {language}.
PHRASES: dict[str, str] = {
    "cover": pgettext("furniture", "Please find below, for your information, the open letter "
                                   "we sent on {date} to {name}{title}."),
    "copy": pgettext("furniture", "Copy"),
    # a copy recipient's translation of the letter (`copies: translated`); {language} is the
    # letter's language as CLDR names it in the reader's language ("French", "fransız")
    "courtesy": pgettext("furniture", "Courtesy translation; the letter as sent is in "
                                      "{language}."),
    # under the issuer's name, signing a cover note for the many who signed the letter
    "on behalf": pgettext("furniture", "On behalf of the signatories"),
    "asks:open-letter": pgettext("furniture", "We urge you to:"),
    "asks": pgettext("furniture", "We call on the authorities to:"),
    "ends": pgettext("furniture", "ENDS"),
    "media contact": pgettext("furniture", "Media contact"),
    "notes to editors": pgettext("furniture", "Notes to editors"),
    "contact": pgettext("furniture", "Contact"),
    "time": pgettext("furniture", "Time"),
    "court address": pgettext("furniture", "Court address"),
    "case number": pgettext("furniture", "Case number"),
    "observers": pgettext("furniture", "Observers"),
    "signature": pgettext("furniture", "Signature"),
    "phone": pgettext("furniture", "Phone"),
}


def phrase(key: str, language: str) -> str:
    """The phrase `key` in `language` (from the catalogues), else in English."""
    return i18n.catalog(language).pgettext("furniture", PHRASES[key])


def asks_intro(kind: str, language: str) -> str:
    """The default lead-in of a campaign's asks for its kind."""
    key = f"asks:{kind}"
    return phrase(key if key in PHRASES else "asks", language)
