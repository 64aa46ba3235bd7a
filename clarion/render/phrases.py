"""Fixed words Clarion writes from code: declared here, where Babel extracts them, and looked up here.

Status and event-type words are looked up with a context ("status", "event") because some
are the same English word with a different translation (e.g. "travel-ban"). Templates reach
them through `status_word()` and `event_word()`; an unknown value is written as it is.
"""
from __future__ import annotations

from ..workspace.model import EventType, Status
from . import i18n


def pgettext(context: str, message: str) -> str:  # extraction marker only
    return message


def gettext(message: str) -> str:  # extraction marker only
    return message


STATUS_WORDS: dict[str, str] = {
    Status.DETAINED: pgettext("status", "detained"),
    Status.PRE_TRIAL: pgettext("status", "pre-trial"),
    Status.IMPRISONED: pgettext("status", "imprisoned"),
    Status.HOUSE_ARREST: pgettext("status", "house-arrest"),
    Status.CHARGED: pgettext("status", "charged"),
    Status.TRAVEL_BAN: pgettext("status", "travel-ban"),
    Status.RELEASED: pgettext("status", "released"),
    Status.EXILED: pgettext("status", "exiled"),
    Status.ATTACKED: pgettext("status", "attacked"),
    Status.DECEASED: pgettext("status", "deceased"),
    Status.MISSING: pgettext("status", "missing"),
}
EVENT_WORDS: dict[str, str] = {
    EventType.ARREST: pgettext("event", "arrest"),
    EventType.DETENTION: pgettext("event", "detention"),
    EventType.CHARGE: pgettext("event", "charge"),
    EventType.HEARING: pgettext("event", "hearing"),
    EventType.SENTENCE: pgettext("event", "sentence"),
    EventType.APPEAL: pgettext("event", "appeal"),
    EventType.TRANSFER: pgettext("event", "transfer"),
    EventType.RELEASE: pgettext("event", "release"),
    EventType.PARDON: pgettext("event", "pardon"),
    EventType.ATTACK: pgettext("event", "attack"),
    EventType.DEATH: pgettext("event", "death"),
    EventType.JUDGMENT: pgettext("event", "judgment"),
    EventType.EXILE: pgettext("event", "exile"),
    EventType.TRAVEL_BAN: pgettext("event", "travel-ban"),
    EventType.STATEMENT: pgettext("event", "statement"),
    EventType.OTHER: pgettext("event", "other"),
}
NOT_RECORDED = gettext("not recorded")
#: phrases the code itself writes (document.py looks them up by these same English texts)
CODE_PHRASES = [gettext("Reacting to %(what)s, %(speaker)s, %(role)s, said:"),
                gettext("Reacting to %(what)s, %(speaker)s said:"), gettext("the news"),
                gettext("Background"), NOT_RECORDED,
                gettext("Jump back to footnote %d in the text")]

#: status sentences (clarion/render/statuses.py): plain and, where a language agrees with
#: the person's gender, female forms
STATUS_SENTENCES = [pgettext(context, message) for context in ("status-sentence",
                                                               "status-sentence-female")
                    for message in ("Detained since %(date)s", "Detained",
                                    "Held in pre-trial detention since %(date)s",
                                    "Held in pre-trial detention", "Imprisoned since %(date)s",
                                    "Imprisoned", "Under house arrest since %(date)s",
                                    "Under house arrest", "At liberty, on trial since %(date)s",
                                    "At liberty, facing charges",
                                    "Banned from leaving the country since %(date)s",
                                    "Banned from leaving the country", "Released on %(date)s",
                                    "Released", "Living in exile since %(date)s",
                                    "Living in exile", "Attacked on %(date)s", "Attacked",
                                    "Died on %(date)s", "Deceased", "Killed on %(date)s",
                                    "Missing since %(date)s", "Missing", "Status not recorded")]


def status_word(value: object, language: str) -> str:
    """A case status in `language` (`pre-trial` → `en détention provisoire`)."""
    if not value:
        return i18n.catalog(language).gettext(NOT_RECORDED)
    return i18n.word("status", STATUS_WORDS.get(str(value), str(value)), language)


def event_word(value: object, language: str) -> str:
    """An event type in `language` (`hearing` → `audience`)."""
    return i18n.word("event", EVENT_WORDS.get(str(value), str(value)), language)

