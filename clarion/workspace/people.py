"""The records of people: a case (with its events, charges, sentence and sources), a
recipient and a signatory — each field declared once, with its doc and check. No I/O here."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import Location
from .meta import about, internal
from .vocabulary import EMPTY, EventType, Gender, LocalText, Status

#: `time:` of an event: `10:00`, `9.30`, `14h00`
TIME = (re.compile(r"([01]?[0-9]|2[0-3])[:.h][0-5][0-9]"), "a time such as 10:00")
ID = about("the file name without `.yaml`; if given, it must equal it", check="id",
           required=False)
LOC = internal("where the record starts in its file")
LOCS = internal("where each field was written, by field name")
EXTRA = about("your own fields, for templates")


@dataclass(frozen=True)
class Source:
    key: str = field(metadata=internal("its key in the case's `sources`"))
    title: str | None = field(default=None, metadata=about("the title, as published"))
    publisher: str | None = field(default=None, metadata=about("who published it"))
    date: dt.date | None = field(default=None, metadata=about("when it was published"))
    url: str | None = field(default=None, metadata=about("where to read it"))
    loc: Location | None = field(default=None, metadata=LOC)


@dataclass(frozen=True)
class Event:
    date: dt.date = field(metadata=about("the day it happened (or will happen)"))
    type: EventType = field(metadata=about("one of the event types below"))
    id: str | None = field(default=None, metadata=about(
        "unique within the case; needed to react to the event or refer to it", check="id"))
    place: LocalText | None = field(default=None, metadata=about("the town or city"))
    court: LocalText | None = field(default=None, metadata=about("the court, for hearings"))
    text: LocalText | None = field(default=None, metadata=about(
        "what happens or is at stake, in a sentence or two (Markdown)"))
    sources: tuple[str, ...] = field(default=(), metadata=about(
        "keys of this case's `sources`"))
    private: bool = field(default=False, metadata=about(
        "`true` keeps the event out of every document"))
    time: str | None = field(default=None, metadata=about(
        "local time of a hearing, `\"10:00\"`", pattern=TIME))
    court_address: LocalText | None = field(default=None, metadata=about(
        "the court's address, for observers"))
    case_number: str | None = field(default=None, metadata=about("the court's case number"))
    observers: str | None = field(default=None, metadata=about(
        "how observers can attend (a contact)"))
    loc: Location | None = field(default=None, metadata=LOC)


@dataclass(frozen=True)
class Charge:
    text: LocalText | None = field(default=None, metadata=about("the charge in words"))
    article: str | None = field(default=None, metadata=about(
        "the article (quote numbers like `\"233\"`); `text` or `article` is required"))
    code: str | None = field(default=None, metadata=about("the code the article is in"))


@dataclass(frozen=True)
class Sentence:
    years: float | None = field(default=None, metadata=about(
        "years (may be `4.5`); `years` or `life: true` is required", maximum=200))
    life: bool = field(default=False, metadata=about("`true` for a life sentence"))
    date: dt.date | None = field(default=None, metadata=about("when it was passed"))
    court: LocalText | None = field(default=None, metadata=about("the court that passed it"))


@dataclass(frozen=True)
class Judgment:
    court: str | None = field(default=None, metadata=about("the court or treaty body"))
    case: str | None = field(default=None, metadata=about("the case's name"))
    date: dt.date | None = field(default=None, metadata=about("the judgment's date"))
    finding: str | None = field(default=None, metadata=about("what it found"))


@dataclass(frozen=True)
class Recognition:
    by: str | None = field(default=None, metadata=about("who recognises the person"))
    as_: str | None = field(default=None, metadata=about(
        "as what (\"prisoner of conscience\")", key="as"))


@dataclass(frozen=True)
class Case:
    id: str = field(metadata=ID)
    name: LocalText | str = field(metadata=about("the name as your readers know it"))
    status: Status = field(metadata=about("one of the statuses below"))
    native_name: str | None = field(default=None, metadata=about(
        "the name in the person's own language and script"))
    gender: Gender | None = field(default=None, metadata=about(
        "`male`, `female` or `other`; chooses pronouns (\"he\", \"elle\") and word endings"))
    country: str | None = field(default=None, metadata=about(
        "best an ISO 3166 code (`AZ`): each document names it in its own language"))
    roles: tuple[LocalText, ...] = field(default=(), metadata=about(
        "a list of short descriptions (\"human rights lawyer\")"))
    status_as_of: dt.date | None = field(default=None, metadata=about(
        "the date on which `status` was last confirmed"))
    same_person_as: str | None = field(default=None, metadata=about(
        "the id of another record of the same person (e.g. an older spelling); the two "
        "count once", check="id"))
    birth_date: dt.date | None = field(default=None, metadata=about(
        "the date of birth; with `aliases`, what tells two records of one person apart"))
    aliases: tuple[str, ...] = field(default=(), metadata=about(
        "other spellings of the name (\"Ilgar Mamedov\")"))
    summary: LocalText | None = field(default=None, metadata=about(
        "a paragraph (Markdown allowed)"))
    recognitions: tuple[Recognition, ...] = field(default=(), metadata=about(
        "a list of `{by: …, as: …}`"))
    charges: tuple[Charge, ...] = field(default=(), metadata=about(
        "a list of the charges brought"))
    sentence: Sentence | None = field(default=None, metadata=about("the sentence passed"))
    judgments: tuple[Judgment, ...] = field(default=(), metadata=about(
        "a list of judgments of courts and treaty bodies, all fields optional"))
    events: tuple[Event, ...] = field(default=(), metadata=about(
        "the timeline, see [Events](#events-the-timeline)"))
    sources: Mapping[str, Source] = field(default_factory=lambda: EMPTY, metadata=about(
        "citable material by key, see [Sources](#sources)"))
    private: Any = field(default=None, metadata=about(
        "anything; never shown, see [Private data](#private-data)"))
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY, metadata=EXTRA)
    loc: Location | None = field(default=None, metadata=LOC)
    locs: Mapping[str, Location] = field(default_factory=lambda: EMPTY, metadata=LOCS)

    def public_events(self) -> list[Event]:
        return [e for e in self.events if not e.private]


@dataclass(frozen=True)
class Recipient:
    id: str = field(metadata=about(
        "the file name without `.yaml`, or the `id` of an item of a list or a CSV row",
        check="id", required=False))
    name: LocalText | str = field(metadata=about("the name, as printed"))
    title: LocalText | str | None = field(default=None, metadata=about(
        "printed under the name in the address"))
    honorific: str | None = field(default=None, metadata=about(
        "in English (\"President\", \"Minister\"): chooses the form of address"))
    gender: Gender | None = field(default=None, metadata=about(
        "`male`, `female` or `other`: gendered salutations"))
    kind: str = field(default="person", metadata=about(
        "`person` or `institution` (a ministry, an office, a court): an institution has no "
        "gender and gets its language's institutional salutation (\"Dear Sir or Madam,\")",
        choices=("person", "institution")))
    salutation: LocalText | None = field(default=None, metadata=about(
        "overrides the derived salutation; printed exactly as written"))
    address: tuple[LocalText | str, ...] = field(default=(), metadata=about(
        "the postal lines, without the country"))
    country: str | None = field(default=None, metadata=about(
        "added in capitals to the address when the letter crosses a border"))
    language: str | None = field(default=None, metadata=about(
        "the language to write to them in", check="language"))
    email: str | None = field(default=None, metadata=about(
        "their e-mail address: e-mail drafts (`eml`) are made only for recipients with one"))
    groups: tuple[str, ...] = field(default=(), metadata=about(
        "group ids; a campaign sending to `group:eu` reaches every recipient in `eu`",
        check="id"))
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY, metadata=EXTRA)
    loc: Location | None = field(default=None, metadata=LOC)
    locs: Mapping[str, Location] = field(default_factory=lambda: EMPTY, metadata=LOCS)


@dataclass(frozen=True)
class Signatory:
    id: str = field(metadata=about(
        "the file name without `.yaml`, or the `id` of an item of a list or a CSV row",
        check="id", required=False))
    organisation: LocalText | str | None = field(default=None, metadata=about(
        "the organisation, as printed; `organisation` or `person` (or both) is required"))
    country: str | None = field(default=None, metadata=about(
        "best an ISO 3166 code (`BE`): \"Belgique\" in French; printed where the campaign's "
        "`show_country` says so"))
    person: LocalText | str | None = field(default=None, metadata=about(
        "who signs: for the organisation, or alone as an individual (without `organisation`)"))
    title: LocalText | str | None = field(default=None, metadata=about(
        "the person's title or role; for an individual, their role or affiliation as printed "
        "(\"Journalist\", \"mother of a disappeared person\")"))
    capacity: str | None = field(default=None, metadata=about(
        "`personal`: an individual signing in a personal capacity (\"in a personal "
        "capacity\" is printed after them, in the document's language)",
        choices=("personal",)))
    groups: tuple[str, ...] = field(default=(), metadata=about(
        "group ids; a campaign listing `group:signon-2017` in `signatories` is signed by every "
        "signatory in `signon-2017`", check="id"))
    signature: str | None = field(default=None, metadata=about(
        "a handwritten-signature image under `assets/`"))
    logo: str | None = field(default=None, metadata=about("a logo image under `assets/`"))
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY, metadata=EXTRA)
    loc: Location | None = field(default=None, metadata=LOC)
    locs: Mapping[str, Location] = field(default_factory=lambda: EMPTY, metadata=LOCS)

    @property
    def individual(self) -> bool:
        """Whether they sign as an individual: no organisation, or in a personal capacity."""
        return self.organisation is None or self.capacity == "personal"
