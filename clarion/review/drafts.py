"""`clarion new`: the text of starting files to edit — a press reaction, a case, an open letter.

Drafting only reads the workspace: each draft is returned with the path it is meant for, and
the command line writes it (review never writes).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import ClarionError, UsageError, did_you_mean
from ..render import i18n
from ..workspace.model import Case, Event, EventType, LocalText, Workspace, text_in
from ..workspace.schema import ID_RE

#: headline of a press reaction, by the type of the event reacted to (edit before sending)
HEADLINES: dict[EventType, str] = {
    EventType.ATTACK: "Attack on {who} must be promptly and fully investigated",
    EventType.DEATH: "Death of {who} must be promptly and fully investigated",
    EventType.ARREST: "Arrest of {who} must be reviewed without delay",
    EventType.DETENTION: "Detention of {who} must be reviewed without delay",
    EventType.CHARGE: "Charges against {who} must be reviewed",
    EventType.HEARING: "Trial of {who} must meet fair-trial standards",
    EventType.SENTENCE: "Sentence against {who} must be reviewed on appeal",
    EventType.APPEAL: "Appeal of {who} must be heard fairly",
    EventType.RELEASE: "Release of {who} is welcome but overdue",
    EventType.PARDON: "Pardon of {who} is welcome but overdue",
    EventType.TRAVEL_BAN: "Travel ban on {who} must be lifted",
}
#: how the event is named in the lede ("Reacting to the attack on …")
LEDES: dict[EventType, str] = {
    EventType.ATTACK: "the attack on", EventType.DEATH: "the death of",
    EventType.ARREST: "the arrest of", EventType.DETENTION: "the detention of",
    EventType.CHARGE: "the charges brought against", EventType.HEARING: "the trial of",
    EventType.SENTENCE: "the sentence passed on", EventType.APPEAL: "the appeal hearing of",
    EventType.RELEASE: "the release of", EventType.PARDON: "the pardon of",
    EventType.TRAVEL_BAN: "the travel ban imposed on",
}


class _Dumper(yaml.SafeDumper):
    """YAML for people to edit: multi-line text as `|` blocks."""


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _plain(value: object, language: str = "en") -> str:
    if isinstance(value, LocalText):
        return value.pick(language)[0]
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Draft:
    """A new file to write: where it goes (relative to the workspace) and what it says."""

    path: str   # `campaigns/ID.yaml`, `cases/ID.yaml`
    text: str


def _campaign_free(root: Path, campaign_id: str) -> None:
    """Refuse an id a Markdown campaign already has (`campaigns/ID.md`)."""
    if (root / "campaigns" / f"{campaign_id}.md").exists():
        raise ClarionError(f"campaigns/{campaign_id}.md: already exists; nothing was written")


def slug(name: str) -> str:
    """An id from a name: `Vidadi İsgəndərli` → `vidadi-isgandarli`."""
    text = name.replace("ə", "a").replace("Ə", "A").replace("ı", "i")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:64].strip("-")


def _place_country(event: Event, case: Case) -> str:
    """The country of the event's place ("Mulhouse, France" → France), else the case's."""
    place = _plain(event.place)
    if "," in place:
        return place.rsplit(",", 1)[1].strip()
    return _plain(case.country)


def _who(case: Case, language: str) -> str:
    role = _plain(case.roles[0], language) if case.roles else ""
    nationality = _plain(case.country)
    return " ".join(p for p in (nationality and f"{nationality}i" if nationality.endswith(
        "an") else "", role, _plain(case.name, language)) if p)


def earlier_like(ws: Workspace, case: Case, event: Event) -> list[tuple[Case, Event]]:
    """Earlier public events of other people of the same type in the same country."""
    country = _place_country(event, case)
    found = []
    for other in ws.cases.values():
        if other.id == case.id or other.id == case.same_person_as or \
                other.same_person_as == case.id:
            continue
        for e in other.public_events():
            if e.type is event.type and e.date < event.date and \
                    _place_country(e, other) == country:
                found.append((other, e))
    return sorted(found, key=lambda pair: pair[1].date)


def press_reaction(ws: Workspace, case_id: str, event_id: str, speaker: str | None,
                   today: dt.date) -> tuple[str, str]:
    """(campaign id, YAML text) of a press reaction to one case event."""
    case = ws.cases.get(case_id)
    if case is None:
        raise UsageError(f"--case: no case `{case_id}`{did_you_mean(case_id, ws.cases)}")
    ids = {e.id: e for e in case.events if e.id}
    event = ids.get(event_id)
    if event is None:
        raise UsageError(f"--event: case `{case_id}` has no event `{event_id}`"
                         f"{did_you_mean(event_id, ids)}")
    if event.private:
        raise ClarionError(f"--event: `{event_id}` is private and cannot be reacted to in "
                           "a public document")
    if speaker is not None and speaker not in ws.signatories:
        raise UsageError(f"--speaker: no signatory `{speaker}`"
                         f"{did_you_mean(speaker, ws.signatories)}")
    language = ws.settings.language
    who = _who(case, language)
    countries = dict.fromkeys(c for c in (_place_country(event, case), _plain(case.country))
                              if c)
    headline = HEADLINES.get(event.type, "{who}: reaction to the events of "
                             + event.date.isoformat()).format(who=who)
    campaign_id = f"{case.id}-{event.id}"[:64].strip("-")
    earlier = earlier_like(ws, case, event)
    cases = list(dict.fromkeys([case.id, *(o.id for o, _ in earlier)]))
    quote: dict[str, Any] = {"speaker": "TODO: who is quoted", "text":
                             "TODO: what they say about the event and what must happen next."}
    if speaker is not None:
        s = ws.signatories[speaker]
        quote = {"speaker": text_in(s.person or s.organisation, language),
                 **({"title": text_in(s.title, language)} if s.title else {}),
                 "organisation": text_in(s.organisation, language), "text": quote["text"],
                 "pull": True}
    data: dict[str, Any] = {
        "kind": "press-reaction",
        "title": f"{'/'.join(countries)}: {headline}" if countries else headline,
        "subject": f"{LEDES.get(event.type, 'the events concerning')} {who}",
        "date": today, "place": "TODO: where this is issued", "language": language,
        "cases": cases, "signatories": [speaker] if speaker else [],
        "event": {"case": case.id, "event": event.id},
        "quotes": [quote, {**quote, "text": "TODO: a second quote, or delete this one.",
                           "pull": False}],
        "body": _body(case, event, earlier, i18n.locale_for(language, language,
                                                               ws.settings.locale)),
    }
    header = (f"# Draft press reaction to {event.type} {event.id} of {case.id}, written by "
              f"`clarion new` on {today}.\n# Replace every TODO, check every fact against "
              "the sources, then: clarion lint; clarion build " + campaign_id + "\n")
    return campaign_id, header + _dump(data)


#: a `{` that would open template code (`{{`, `{%`, `{#`) in a campaign body
_OPENS_CODE = re.compile(r"\{(?=[{%#])")


def as_data(text: str) -> str:
    """`text` (from a record) written into a campaign body so that it is printed as it is,
    never run: each `{` that would open a template tag becomes `{{ '{' }}`, which prints a
    `{`. The body is a template; what the records say is data."""
    return _OPENS_CODE.sub("{{ '{' }}", text)


def _body(case: Case, event: Event, earlier: list[tuple[Case, Event]], locale: str) -> str:
    def when_where(e: Event) -> str:
        place = as_data(_plain(e.place))
        return i18n.long_date(e.date, locale) + (f", {place}" if place else "")

    text = as_data(" ".join(_plain(event.text).split())) or "TODO: what happened."
    lines = [f"TODO: rewrite as the opening paragraph. {{{{ case.name }}}}, "
             f"{when_where(event)}: {text}", ""]
    if earlier:
        country = as_data(_place_country(event, case))
        lines.append(f"{{{{ case.name }}}} is not the first to suffer this in {country}:")
        lines.append("")
        for other, e in earlier:
            what = as_data(" ".join(_plain(e.text).split())) or e.type.value
            lines.append(f"- {{{{ cases['{other.id}'].name }}}}, {when_where(e)}: {what}")
        lines.append("")
    lines.append("TODO: what the signatories call for.")
    return "\n".join(lines) + "\n"


def press_reaction_draft(ws: Workspace, case_id: str, event_id: str, speaker: str | None,
                         today: dt.date) -> Draft:
    """campaigns/<case>-<event>.yaml: a press reaction to one case event."""
    campaign_id, text = press_reaction(ws, case_id, event_id, speaker, today)
    _campaign_free(ws.root, campaign_id)
    return Draft(f"campaigns/{campaign_id}.yaml", text)


def case_draft(name: str, today: dt.date) -> Draft:
    """cases/<slug of NAME>.yaml with the required fields and the others to fill in."""
    case_id = slug(name)
    if not case_id or not ID_RE.fullmatch(case_id):
        raise UsageError(f"cannot make a case id from the name {name!r}; use letters")
    text = (f"# Case record written by `clarion new case` on {today}; see docs/format.md.\n"
            + _dump({"name": " ".join(name.split())}) +
            "# native_name: …           # as written in the person's language\n"
            "# gender: male             # male | female | other\n"
            "# country: …\n"
            "# roles: [journalist]\n"
            "status: detained           # detained | pre-trial | imprisoned | house-arrest | "
            "charged | travel-ban | released | exiled | attacked | deceased | missing\n"
            f"status_as_of: {today}    # the day the status was last confirmed\n"
            "# summary: >\n#   …\n"
            "events: []\n"
            "# events:\n#   - id: arrest-YYYY-MM-DD\n#     date: YYYY-MM-DD\n"
            "#     type: arrest\n#     place: …\n#     text: …\n#     sources: [report]\n"
            "sources: {}\n"
            "# sources:\n#   report: {title: …, publisher: …, date: YYYY-MM-DD, url: …}\n")
    return Draft(f"cases/{case_id}.yaml", text)


def open_letter_draft(root: Path, campaign_id: str, today: dt.date) -> Draft:
    """campaigns/ID.yaml: an open letter with the fields to fill in."""
    if not ID_RE.fullmatch(campaign_id):
        raise UsageError(f"'{campaign_id}' is not a valid id: lower-case letters, digits and "
                         "hyphens, starting with a letter or digit")
    _campaign_free(root, campaign_id)
    text = (f"# Open letter written by `clarion new open-letter` on {today}; see "
            "docs/format.md.\n"
            "kind: open-letter\n"
            "title: 'TODO: the headline of the letter'\n"
            f"date: {today}\n"
            "# place: Brussels\n"
            "cases: []                  # the case ids the letter is about\n"
            "recipients: []             # recipient ids or group:NAME\n"
            "signatories: []            # signatory ids (`clarion lint` reminds you)\n"
            "# subject: …\n"
            "asks: []\n"
            "# asks:\n#   - …\n"
            "body: |\n"
            "  TODO: the letter (docs/format.md lists the names a body can use).\n")
    return Draft(f"campaigns/{campaign_id}.yaml", text)
