"""The workspace as the preview last loaded it: its `validate` and `lint` problems, and what
the index lists (campaigns, their documents and languages), made anew on each change."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from ..errors import ClarionError, Problem, printable
from ..pipeline.check import check_workspace
from ..pipeline.session import Session

if TYPE_CHECKING:
    from ..pipeline.check import LoadedFor
    from ..pipeline.reads import Digests
    from ..workspace.model import Campaign, Workspace


@dataclass(frozen=True)
class Notice:
    """One line at the top of a page: `file:line: message`, and how grave it is."""

    severity: str   # error, warning, lint
    text: str


@dataclass(frozen=True)
class Entry:
    """One document of a campaign, as the index lists it."""

    recipient: str | None   # None: the campaign's one document
    name: str
    language: str


@dataclass(frozen=True)
class CampaignEntry:
    """One campaign in the index: its documents, or the errors that stop them all."""

    id: str
    title: str
    kind: str
    date: str
    documents: tuple[Entry, ...]
    stops: tuple[str, ...]


@dataclass(frozen=True)
class Snapshot:
    """The workspace at one moment (`number` grows with each reload; a document made for
    one number is current for every snapshot of that number)."""

    number: int
    session: Session
    loaded: LoadedFor | None            # None: clarion.yaml (or the folder) is broken
    notices: tuple[Notice, ...]
    chosen: str | None = None           # `clarion preview CAMPAIGN`: only that one

    def digests(self) -> Digests:
        """Digests of this moment's workspace: what a document read is compared with."""
        return self.session.digests("")

    def campaigns(self) -> tuple[CampaignEntry, ...]:
        """Every campaign shown (only the chosen one, if any), loaded or stopped by errors."""
        return self._campaigns

    @cached_property
    def _campaigns(self) -> tuple[CampaignEntry, ...]:
        if self.loaded is None:
            return ()
        ws, blocked = self.loaded.ws, self.loaded.blocked
        names = sorted({*ws.campaigns, *blocked})
        if self.chosen is not None:
            names = [n for n in names if n == self.chosen]
        out = []
        for name in names:
            stops = tuple(str(p) for p in blocked.get(name, ()))
            campaign = ws.campaigns.get(name)
            if campaign is None:
                out.append(CampaignEntry(name, "", "", "", (), stops))
                continue
            out.append(CampaignEntry(name, printable(campaign.title), campaign.kind,
                                     str(campaign.date),
                                     () if stops else documents(ws, campaign), stops))
        return tuple(out)

    def stops(self, campaign: str, recipient: str | None) -> tuple[str, ...]:
        """Why this document cannot be made now (empty when it can)."""
        if self.loaded is None:
            return tuple(n.text for n in self.notices if n.severity == "error") or \
                ("the workspace cannot be read",)
        found = next((c for c in self.campaigns() if c.id == campaign), None)
        if found is None:
            return (f"there is no campaign `{campaign}` in the workspace now",)
        if found.stops:
            return found.stops
        if recipient not in {d.recipient for d in found.documents}:
            if recipient is None:
                return (f"{campaign} has a document for each recipient: choose one in the "
                        "index",)
            return (f"`{recipient}` is not a recipient of {campaign} now",)
        return ()


def documents(ws: Workspace, campaign: Campaign) -> tuple[Entry, ...]:
    """The campaign's documents: one per recipient, or its one document; with languages."""
    from ..render.choice import document_language
    from ..render.document import together_language
    from ..workspace.audience import recipients_of, together
    from ..workspace.vocabulary import text_in
    out = []
    for recipient in recipients_of(ws, campaign):
        if recipient is None:
            language = together_language(ws, campaign)[0] if together(campaign) else \
                document_language(ws, campaign, None)[0]
            out.append(Entry(None, printable(campaign.title), language))
        else:
            language = document_language(ws, campaign, recipient)[0]
            out.append(Entry(recipient.id, printable(text_in(recipient.name, language)),
                             language))
    return tuple(out)


def load(base: Session, number: int, chosen: str | None,
         notices: tuple[Notice, ...] = ()) -> Snapshot:
    """The workspace as it is now, loaded as a build loads it: what is blocked by which
    errors. `notices` are shown until `checked` has run `validate` and `lint`."""
    session = Session(base.root, base.options, base.out, base.user)
    try:
        loaded = session.loaded(None)
    except ClarionError as e:  # clarion.yaml broken: nothing can be made
        return Snapshot(number, session, None, tuple(_notice(p) for p in e.problems()), chosen)
    return Snapshot(number, session, loaded, notices, chosen)


def checked(snapshot: Snapshot, today: dt.date | None = None) -> Snapshot:
    """The same moment with what `validate` and `lint` print (lint only for the chosen
    campaign, if one is): the workspace's problems, at `file:line`."""
    if snapshot.loaded is None:
        return snapshot
    session = snapshot.session
    try:
        _, problems = check_workspace(session.root, options=session.options)
    except ClarionError as e:
        problems = e.problems()
    notices = [_notice(p) for p in problems]
    notices += _lint(snapshot.loaded.ws, snapshot.chosen, today or dt.date.today())
    return replace(snapshot, notices=tuple(dict.fromkeys(notices)))


def _notice(problem: Problem) -> Notice:
    return Notice(problem.severity, problem.line())


def _lint(ws: Workspace, chosen: str | None, today: dt.date) -> list[Notice]:
    from ..review.lint import lint_workspace
    if chosen is not None and chosen not in ws.campaigns:
        return []  # stopped by errors, which say why
    names = (chosen,) if chosen is not None else ()
    try:
        return [Notice("lint", printable(f)) for f in lint_workspace(ws, names, today)]
    except ClarionError as e:
        return [_notice(p) for p in e.problems()]


class Live:
    """The latest snapshot, replaced whole on each change: a request takes it once and sees
    one moment of the workspace throughout."""

    def __init__(self, base: Session, chosen: str | None = None):
        self.base, self.chosen = base, chosen
        self.snapshot = checked(load(base, 1, chosen))

    def reload(self) -> Snapshot:
        """Load the workspace again, as a build loads it: its documents can be made at once.
        Its problems are the previous moment's until `check`."""
        self.snapshot = load(self.base, self.snapshot.number + 1, self.chosen,
                             self.snapshot.notices)
        return self.snapshot

    def check(self) -> Snapshot:
        """Run `validate` (a dry render of every document) and `lint` on the loaded moment."""
        self.snapshot = checked(self.snapshot)
        return self.snapshot
