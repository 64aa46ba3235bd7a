"""The document kinds, one entry each: what a campaign of that kind is and how it is built.

Adding a kind is one member of `Kind` and its entry in `KINDS` (a test keeps the two
matching), plus its templates; every stage asks the entry (`KINDS[campaign.kind].recipients`)
rather than branching on the kind. Nothing here imports a stage.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType


class Kind(StrEnum):
    """A campaign's `kind:`; what it means is its entry in `KINDS`."""

    OPEN_LETTER = "open-letter"
    PRESS_REACTION = "press-reaction"
    STATEMENT = "statement"
    ALERT = "alert"


@dataclass(frozen=True)
class KindInfo:
    """What one kind of document is: its templates, who gets it and what it prints."""

    kind: Kind
    #: one line for documentation and listings
    doc: str
    #: one document per recipient (addressees and copies); every other kind is built once and
    #: a campaign's `recipients:` are ignored, with a warning
    recipients: bool = False
    #: fold and punch marks on page 1 (when `build.marks` is on)
    marks: bool = False
    #: signatories sign with their signature images (others only list them)
    signature_images: bool = False
    #: a document nobody signs is a lint finding (`no-signatory`)
    needs_signatories: bool = False
    #: reacts to an `event:` of a case, quoting people (validate warns without either)
    reacts_to_event: bool = False
    #: a Background section written from the case records follows the body
    background: bool = False
    #: lists the events inside the campaign's `window:`; without `cases:`, of every case
    window: bool = False

    @property
    def template(self) -> str:
        """The templates' name: `<template>.html` and `<template>.md`."""
        return self.kind.value


_ALL = (
    KindInfo(Kind.OPEN_LETTER, "a letter to each recipient, with copies and a cc line",
             recipients=True, marks=True, signature_images=True, needs_signatories=True),
    KindInfo(Kind.PRESS_REACTION, "a press release reacting to an event, with quotes and a "
             "background section", reacts_to_event=True, background=True),
    KindInfo(Kind.STATEMENT, "a signed statement, built once", signature_images=True,
             needs_signatories=True),
    KindInfo(Kind.ALERT, "a trial-watch alert: the events inside a date window", window=True),
)

#: every kind, in the order documentation and messages list them
KINDS: Mapping[Kind, KindInfo] = MappingProxyType({k.kind: k for k in _ALL})
