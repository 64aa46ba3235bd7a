"""Who gets a campaign's documents (recipients, addressees and copy recipients) and who signs
them, groups expanded. Questions about the workspace only: nothing here renders."""
from __future__ import annotations

from ..kinds import KINDS
from .model import GROUP_PREFIX, Campaign, Recipient, Signatory, Workspace

#: `address:` of a campaign whose recipients all receive one letter, every addressee listed
TOGETHER = "together"


def together(campaign: Campaign) -> bool:
    """Whether the campaign is one letter to all its recipients (`address: together`)."""
    return KINDS[campaign.kind].recipients and campaign.address == TOGETHER


def recipients_of(ws: Workspace, campaign: Campaign) -> list[Recipient | None]:
    """Who gets a document of a kind sent to recipients (open letters): recipients, addressees
    and copy recipients, groups expanded, in order, each once; [None] for other kinds and for
    a letter to all of them together (one document, `build/<campaign>/<campaign>.<ext>`)."""
    if not KINDS[campaign.kind].recipients or together(campaign):
        return [None]
    return list(everyone(ws, campaign)) or [None]


def everyone(ws: Workspace, campaign: Campaign) -> list[Recipient]:
    """Every recipient of an open letter (recipients, addressees, copy recipients), groups
    expanded, in order, each once, whether they get one letter each or one together."""
    if not KINDS[campaign.kind].recipients:
        return []
    return expand(ws, (*campaign.recipients, *campaign.to, *campaign.cc))


def expand(ws: Workspace, refs: tuple[str, ...]) -> list[Recipient]:
    """The recipients named by `refs` (ids and `group:` names), in order, each once."""
    out: dict[str, Recipient] = {}
    for ref in refs:
        if ref.startswith(GROUP_PREFIX):
            for r in ws.group(ref[len(GROUP_PREFIX):]):
                out.setdefault(r.id, r)
        elif ref in ws.recipients:
            out.setdefault(ref, ws.recipients[ref])
    return list(out.values())


def addressees(ws: Workspace, campaign: Campaign) -> list[Recipient]:
    """Who the letter is written to: `to:`, or (without it) every one of `recipients:`; a
    letter to them together lists them all, in this order."""
    return expand(ws, campaign.to if campaign.to else campaign.recipients)


def copy_recipients(ws: Workspace, campaign: Campaign) -> list[Recipient]:
    """Who receives the letter for information: everyone else it goes to."""
    if not KINDS[campaign.kind].recipients:
        return []
    to = {r.id for r in addressees(ws, campaign)}
    return [r for r in everyone(ws, campaign) if r.id not in to]


def copy_of(ws: Workspace, campaign: Campaign, recipient: Recipient | None) -> Recipient | None:
    """The addressee whose letter `recipient` receives a copy of, or None (their own letter)."""
    if recipient is None or not KINDS[campaign.kind].recipients or together(campaign):
        return None
    to = addressees(ws, campaign)
    if not to or any(r.id == recipient.id for r in to):
        return None
    return to[0]


def signatories_of(ws: Workspace, campaign: Campaign) -> list[Signatory]:
    """Who signs: the campaign's `signatories`, each `group:NAME` expanded to the signatories
    in that group (in the order they are written in their files), in order, each once; with
    `signatories_order: organisations-first`, organisations first, then individuals."""
    out: dict[str, Signatory] = {}
    for ref in campaign.signatories:
        if ref.startswith(GROUP_PREFIX):
            for s in signatory_group(ws, ref[len(GROUP_PREFIX):]):
                out.setdefault(s.id, s)
        elif ref in ws.signatories:
            out.setdefault(ref, ws.signatories[ref])
    signers = list(out.values())
    if campaign.signatories_order == "organisations-first":
        return [s for s in signers if not s.individual] + [s for s in signers if s.individual]
    return signers


def signatory_group(ws: Workspace, name: str) -> list[Signatory]:
    """The signatories in group `name`, in the order the loader read them."""
    return [s for s in ws.signatories.values() if name in s.groups]
