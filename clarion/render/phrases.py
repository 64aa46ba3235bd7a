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
#: status sentences (statuses.py writes them), with a date and without. A language whose
#: sentence agrees with the person's gender translates them again in the contexts
#: "status-sentence-female" and "status-sentence-other" (tried first; not extracted).
STATUS_SENTENCES: dict[Status, tuple[str, str]] = {
    Status.DETAINED: (pgettext("status-sentence", "Detained since %(date)s"),
                      pgettext("status-sentence", "Detained")),
    Status.PRE_TRIAL: (pgettext("status-sentence", "Held in pre-trial detention since %(date)s"),
                       pgettext("status-sentence", "Held in pre-trial detention")),
    Status.IMPRISONED: (pgettext("status-sentence", "Imprisoned since %(date)s"),
                        pgettext("status-sentence", "Imprisoned")),
    Status.HOUSE_ARREST: (pgettext("status-sentence", "Under house arrest since %(date)s"),
                          pgettext("status-sentence", "Under house arrest")),
    Status.CHARGED: (pgettext("status-sentence", "At liberty, on trial since %(date)s"),
                     pgettext("status-sentence", "At liberty, facing charges")),
    Status.TRAVEL_BAN: (pgettext("status-sentence",
                                 "Banned from leaving the country since %(date)s"),
                        pgettext("status-sentence", "Banned from leaving the country")),
    Status.RELEASED: (pgettext("status-sentence", "Released on %(date)s"),
                      pgettext("status-sentence", "Released")),
    Status.EXILED: (pgettext("status-sentence", "Living in exile since %(date)s"),
                    pgettext("status-sentence", "Living in exile")),
    Status.ATTACKED: (pgettext("status-sentence", "Attacked on %(date)s"),
                      pgettext("status-sentence", "Attacked")),
    Status.DECEASED: (pgettext("status-sentence", "Died on %(date)s"),
                      pgettext("status-sentence", "Deceased")),
    Status.MISSING: (pgettext("status-sentence", "Missing since %(date)s"),
                     pgettext("status-sentence", "Missing")),
}
#: a case with no status: the word (`status_word`), and the sentence (`status_sentence`)
NOT_RECORDED = (gettext("not recorded"), pgettext("status-sentence", "Status not recorded"))
#: every form of the words for years and months after a number, separated by spaces:
#: a sentence's length up to ten is then written in words ("sept ans", "семь лет", typography)
DURATION_WORDS = pgettext("duration-words", "year years month months")
#: phrases the code itself writes (the context module looks them up by these same texts)
CODE_PHRASES = [gettext("Reacting to %(what)s, %(speaker)s, %(role)s, said:"),
                gettext("Reacting to %(what)s, %(speaker)s said:"), gettext("the news"),
                gettext("Background"), gettext("Jump back to footnote %d in the text")]


def status_word(value: object, language: str) -> str:
    """A case status in `language` (`pre-trial` → `en détention provisoire`)."""
    if not value:
        return i18n.catalog(language).gettext(NOT_RECORDED[0])
    return i18n.word("status", STATUS_WORDS.get(str(value), str(value)), language)


def event_word(value: object, language: str) -> str:
    """An event type in `language` (`hearing` → `audience`)."""
    return i18n.word("event", EVENT_WORDS.get(str(value), str(value)), language)

