"""Fixed words Clarion writes from code, marked so Babel extracts them into the catalogues.

Status and event-type words are looked up with a context ("status", "event") because some
are the same English word with a different translation (e.g. "travel-ban").
"""
from __future__ import annotations

from ..workspace.model import EventType, Status


def pgettext(context: str, message: str) -> str:  # extraction marker only
    return message


STATUS_WORDS = [pgettext("status", "detained"), pgettext("status", "pre-trial"),
                pgettext("status", "imprisoned"), pgettext("status", "house-arrest"),
                pgettext("status", "charged"),
                pgettext("status", "travel-ban"), pgettext("status", "released"),
                pgettext("status", "exiled"), pgettext("status", "attacked"),
                pgettext("status", "deceased"), pgettext("status", "missing")]
EVENT_WORDS = [pgettext("event", "arrest"), pgettext("event", "detention"),
               pgettext("event", "charge"), pgettext("event", "hearing"),
               pgettext("event", "sentence"), pgettext("event", "appeal"),
               pgettext("event", "transfer"), pgettext("event", "release"),
               pgettext("event", "pardon"), pgettext("event", "attack"),
               pgettext("event", "death"), pgettext("event", "judgment"),
               pgettext("event", "exile"), pgettext("event", "travel-ban"),
               pgettext("event", "statement"), pgettext("event", "other")]


def gettext(message: str) -> str:  # extraction marker only
    return message


CODE_PHRASES = [gettext("Reacting to %(what)s, %(speaker)s, %(role)s, said:"),
                gettext("Reacting to %(what)s, %(speaker)s said:"), gettext("the news"),
                gettext("Background"), gettext("not recorded"),
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

assert len(STATUS_WORDS) == len(Status) and len(EVENT_WORDS) == len(EventType)
