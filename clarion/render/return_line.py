"""The return line above a letter's window address: what it says, how wide it is set, and
`validate`'s warning when it does not fit its line (the PDF would cut it at the window edge)."""
from __future__ import annotations

from collections.abc import Set

from ..errors import Location, Problem
from ..kinds import KINDS
from ..workspace.model import Campaign, Workspace, text_in

#: how the return line is set (templates/style.css, `.address-field .return`): DejaVu Sans
SIZE_PT = 6.5
#: the width it has: the 85 mm window field less the 5 mm the text is set in (DIN 5008 form B)
WIDTH_MM = 80.0
#: papers whose letters print it (a US #10 window shows the letterhead's address instead)
PAPERS = frozenset({"a4"})
SEPARATOR = " · "
ELLIPSIS = "…"

#: DejaVu Sans advance widths, in 1/64 em (32 font units of 2048), one character per code
#: point from the range's first: Latin (with Extended-A/B), Cyrillic, general punctuation.
#: Made from DejaVuSans.ttf 2.37 with fontTools; a code point outside them counts as 0.64 em.
_STEPS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%&()*+-./:;<=>?@[]^_{|}~"
_RANGES: tuple[tuple[int, str], ...] = tuple((start, "".join(parts)) for start, parts in (
    (0x0020, (
        "KQTsfzoIPPWsKNKMffffffffffMMsssY%iijnebomJJgatmodoifdli$idiPMPsWWdfZfdNffIIb"
        "I#fdffQXPfcqccYfMfsfffffffffffffffffffffffffffffffffKQffffMWW%UdsN%WWsQQWffK"
        "WQUd###Yiiiiii#jeeeeJJJJomooooosollllddedddddd$ZddddIIIIdfdddddsdffffcfcidid"
        "idjZjZjZjZnfofedededededofofofofmfxiJIJIJIJIJIcaJIgbbaIaIaOaMaImfmfmfqmfodod"
        "od*&iQiQiQfXfXfXfXdPdPdPlflflflflflf$qdcdiYiYiYNflififjjZoqifdeodbNoi$NJmbIc"
        "#mfowdzngfifXeMPdPdtfnkmliYhhbYfhbXfJWTJ~_;roTyxpidJIodlflflflflfdidid#$ofof"
        "gbododhbI~_;of.imfid#$odididededJIJIododiQiQlflffXdPeXmflsjdiYidedododododdc"
        "UsVI%%ijZadXYdViliedJIofiQdc"
    )),
    (0x0400, (
        "eeodjfJJJ-)ojmdmiiidoe+fmmjmtmomdjddtioi*-ruij+iddcYidwYggdfmgdgfZbctcicxyjp"
        "cZscddeYZXIIIwwgdgcgysnhymuo;%od(rfZtuodohoh%wzn=(ysjZW00000RRnhicdfdYhceY+w"
        "fYjdjdjdtrmg&u+xuijZdbdcdcicyqicicifylylJ+wgdohmgoiicvoIidid#$edodod+wfYhbmg"
        "mgodododjZdcdcdcicdYuphcicicic%v#uhc+z.#ognkdZmf<%vt($of$qjd+w+wpiffffffffff"
    )),
    (0x2000, (
        "W%W%LGBfKD600000NNfW%%WWKKKKXXXXWWccLh%K0000000D}~FOXFOXMQQsVYWppG%WBPPxllWf"
        "WWWMpWT%pscgssKpsKKE00000fffff000000"
    )),
))
_OTHER = 1300 / 2048


def _em(char: str) -> float:
    code = ord(char)
    for start, steps in _RANGES:
        if start <= code < start + len(steps):
            return _STEPS.index(steps[code - start]) / 64
    return _OTHER


def width_mm(text: str, size_pt: float = SIZE_PT) -> float:
    """How wide `text` is set in DejaVu Sans at `size_pt` (kerning aside), in millimetres."""
    return sum(_em(c) for c in text) * size_pt * 25.4 / 72


def return_line(ws: Workspace, campaign: Campaign, language: str | None = None) -> str:
    """The line as the letter template prints it: the issuer's organisation (or name), else the
    workspace's short name (or name) and address lines — in `language`, by default the
    language of the sender's post (`build.postal_language`), whatever the letter's: the
    post reads it, not the addressee ("1210 Brussels · Belgium" on a Russian letter)."""
    language = language or ws.settings.build.postal_language
    issuer = ws.signatories.get(campaign.issued_by or "")
    fallback = campaign.language or ws.settings.language
    if issuer is not None:  # an organisation, or a person signing alone
        return text_in(issuer.organisation or issuer.person, language, fallback)
    org = ws.settings.organisation
    parts = [org.short or text_in(org.name, language, fallback),
             *(text_in(line, language, fallback) for line in org.address)]
    return SEPARATOR.join(p for p in parts if p)


def _fitting(line: str) -> str:
    """What the letter shows of a line too long for its width: the start, then `…`."""
    room = WIDTH_MM - width_mm(ELLIPSIS)
    shown = ""
    for char in line:
        if width_mm(shown + char) > room:
            break
        shown += char
    return shown.rstrip() + ELLIPSIS


def check_return_lines(ws: Workspace, broken: Set[str] = frozenset()) -> list[Problem]:
    """`validate`: a warning for each return line too wide for its line, with its width."""
    if ws.settings.build.paper.strip().lower() not in PAPERS:
        return []
    found: dict[str, tuple[float, Location, list[str]]] = {}
    for campaign in ws.campaigns.values():
        if not KINDS[campaign.kind].recipients or campaign.publication != "post" or \
                not campaign.recipients:
            continue
        line = return_line(ws, campaign)
        wide = width_mm(line)
        if wide > WIDTH_MM:
            found.setdefault(line, (wide, _where(ws, campaign), []))[2].append(campaign.id)
    return [Problem(where, (
        f"the return line above the window address is {wide:.0f} mm wide at {SIZE_PT:g} pt, "
        f"and its line {WIDTH_MM:.0f} mm: the letters of {_names(users)} would print "
        f"\"{_fitting(line)}\". Shorten `organisation.short` or the address lines, or publish "
        "the letter online (`publication: web`: no postal block)"), "warning", code="return-line")
        for line, (wide, where, users) in found.items()]


def _names(ids: list[str]) -> str:
    unique = list(dict.fromkeys(ids))
    more = f" and {len(unique) - 3} more" if len(unique) > 3 else ""
    return ", ".join(unique[:3]) + more


def _where(ws: Workspace, campaign: Campaign) -> Location:
    issuer = ws.signatories.get(campaign.issued_by or "")
    if issuer is not None:
        return issuer.locs.get("organisation") or issuer.loc or Location("signatories")
    return ws.settings.locs.get("organisation") or Location("clarion.yaml")
