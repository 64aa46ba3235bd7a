"""The typed, frozen records a workspace is made of. No I/O here."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..errors import Location
from .options import LoadOptions

EMPTY: Mapping[str, Any] = MappingProxyType({})
#: how a campaign names a group of recipients: `group:eu-foreign-ministers`
GROUP_PREFIX = "group:"


class Status(StrEnum):
    DETAINED = "detained"
    PRE_TRIAL = "pre-trial"
    IMPRISONED = "imprisoned"
    HOUSE_ARREST = "house-arrest"
    CHARGED = "charged"  # prosecuted or on trial, at liberty
    TRAVEL_BAN = "travel-ban"
    RELEASED = "released"
    EXILED = "exiled"
    ATTACKED = "attacked"
    DECEASED = "deceased"
    MISSING = "missing"



class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"



class EventType(StrEnum):
    ARREST = "arrest"
    DETENTION = "detention"
    CHARGE = "charge"
    HEARING = "hearing"
    SENTENCE = "sentence"
    APPEAL = "appeal"
    TRANSFER = "transfer"
    RELEASE = "release"
    PARDON = "pardon"
    ATTACK = "attack"
    DEATH = "death"
    JUDGMENT = "judgment"
    EXILE = "exile"
    TRAVEL_BAN = "travel-ban"
    STATEMENT = "statement"
    OTHER = "other"



class Kind(StrEnum):
    OPEN_LETTER = "open-letter"
    PRESS_REACTION = "press-reaction"
    STATEMENT = "statement"
    ALERT = "alert"


#: the output formats, declared once: the schema, the command line and the writer use this
FORMATS = ("pdf", "md", "html", "eml")

#: statuses in which a person is deprived of liberty
HELD = frozenset({Status.DETAINED, Status.PRE_TRIAL, Status.IMPRISONED, Status.HOUSE_ARREST})


@dataclass(frozen=True)
class LocalText:
    """Reader-facing text: one string, or one per language code (first given first)."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def plain(cls, text: str) -> LocalText:
        return cls((("", text),))

    def pick(self, language: str, fallback: str | None = None) -> tuple[str, bool]:
        """The text in `language` (`fr-BE`, then `fr`, then another `fr-…`); else in
        `fallback` (the campaign language), else the first given — with True to say it fell
        back."""
        base = language.lower().replace("_", "-").split("-")[0]
        keys = [lang.lower() for lang, _ in self.values]
        for lang in (language.lower(), base):
            if lang in keys:
                return self.values[keys.index(lang)][1], False
        for i, key in enumerate(keys):
            if key.split("-")[0] == base and key:
                return self.values[i][1], False
        if "" in keys:
            return self.values[keys.index("")][1], False
        if fallback and fallback.lower() in keys:
            return self.values[keys.index(fallback.lower())][1], True
        return self.values[0][1], True

    def all(self) -> list[str]:
        return [text for _, text in self.values]

    def languages(self) -> list[str]:
        return [lang for lang, _ in self.values if lang]

    def __str__(self) -> str:
        """The first text given (for listings and messages that have no language)."""
        return self.values[0][1]

    def __eq__(self, other: object) -> bool:
        """Equal to the same texts; a plain string is also equal to that string."""
        if isinstance(other, str):
            return self.values == (("", other),)
        return isinstance(other, LocalText) and self.values == other.values

    def __hash__(self) -> int:
        return hash(self.values[0][1]) if self.values[0][0] == "" else hash(self.values)


def text_in(value: str | LocalText | None, language: str, fallback: str | None = None) -> str:
    """Plain text of a translatable field in `language` ('' when not given)."""
    if value is None:
        return ""
    if isinstance(value, LocalText):
        return value.pick(language, fallback)[0]
    return str(value)


def texts_of(value: str | LocalText | None) -> list[str]:
    """Every language's text of a translatable field (for the private-data check)."""
    if value is None:
        return []
    return value.all() if isinstance(value, LocalText) else [str(value)]


@dataclass(frozen=True)
class Source:
    key: str
    title: str | None = None
    publisher: str | None = None
    date: dt.date | None = None
    url: str | None = None
    loc: Location | None = None


@dataclass(frozen=True)
class Event:
    date: dt.date
    type: EventType
    id: str | None = None
    place: LocalText | None = None
    court: LocalText | None = None
    text: LocalText | None = None
    sources: tuple[str, ...] = ()
    private: bool = False
    time: str | None = None             # local time of a hearing, "10:00"
    court_address: LocalText | None = None
    case_number: str | None = None
    observers: str | None = None        # how observers can attend (a contact)
    loc: Location | None = None


@dataclass(frozen=True)
class Charge:
    text: LocalText | None = None
    article: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class Sentence:
    years: float | None = None
    life: bool = False
    date: dt.date | None = None
    court: LocalText | None = None


@dataclass(frozen=True)
class Judgment:
    court: str | None = None
    case: str | None = None
    date: dt.date | None = None
    finding: str | None = None


@dataclass(frozen=True)
class Recognition:
    by: str | None = None
    as_: str | None = None


@dataclass(frozen=True)
class Case:
    id: str
    name: LocalText | str
    status: Status
    native_name: str | None = None
    gender: Gender | None = None
    country: str | None = None
    roles: tuple[LocalText, ...] = ()
    status_as_of: dt.date | None = None
    same_person_as: str | None = None   # another record of the same person: counted once
    summary: LocalText | None = None
    recognitions: tuple[Recognition, ...] = ()
    charges: tuple[Charge, ...] = ()
    sentence: Sentence | None = None
    judgments: tuple[Judgment, ...] = ()
    events: tuple[Event, ...] = ()
    sources: Mapping[str, Source] = field(default_factory=lambda: EMPTY)
    private: Any = None
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    loc: Location | None = None
    locs: Mapping[str, Location] = field(default_factory=lambda: EMPTY)

    def public_events(self) -> list[Event]:
        return [e for e in self.events if not e.private]


@dataclass(frozen=True)
class Recipient:
    id: str
    name: LocalText | str
    title: LocalText | str | None = None
    honorific: str | None = None
    gender: Gender | None = None
    salutation: LocalText | None = None
    address: tuple[LocalText | str, ...] = ()
    country: str | None = None
    language: str | None = None
    email: str | None = None
    groups: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    loc: Location | None = None
    locs: Mapping[str, Location] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True)
class Signatory:
    id: str
    organisation: LocalText | str
    country: str | None = None
    person: LocalText | str | None = None
    title: LocalText | str | None = None
    signature: str | None = None
    logo: str | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    loc: Location | None = None
    locs: Mapping[str, Location] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True)
class Quote:
    speaker: str
    text: str
    title: str | None = None
    organisation: str | None = None
    pull: bool = False


@dataclass(frozen=True)
class EventRef:
    case: str
    event: str


@dataclass(frozen=True)
class Window:
    start: dt.date
    days: int = 7

    @property
    def end(self) -> dt.date:
        try:
            return self.start + dt.timedelta(days=max(self.days, 1) - 1)
        except OverflowError:
            return dt.date.max


@dataclass(frozen=True)
class Translation:
    language: str
    title: str | None = None
    subject: str | None = None
    place: str | None = None
    asks: tuple[str, ...] | None = None
    quotes: tuple[Quote, ...] | None = None
    body: str | None = None
    source_hash: str | None = None
    loc: Location | None = None
    body_loc: Location | None = None


@dataclass(frozen=True)
class Contact:
    """A media or observers' contact: `{name, phone, email}`."""

    name: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Campaign:
    id: str
    kind: Kind
    title: str
    date: dt.date
    place: str | None = None
    language: str | None = None
    cases: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    signatories: tuple[str, ...] = ()
    subject: str | None = None
    asks: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    event: EventRef | None = None
    window: Window | None = None
    embargo: dt.datetime | None = None
    template: str | None = None
    body: str | None = None
    body_loc: Location | None = None
    to: tuple[str, ...] = ()            # the addressee(s); other recipients get a copy
    cc: tuple[str, ...] = ()            # copy recipients, listed on the cc line
    issued_by: str | None = None        # signatory whose letterhead, contact, PDF Author
    asks_intro: LocalText | None = None
    sign_by_hand: bool = False
    contact: Contact | None = None      # press reactions: media contact
    notes_to_editors: str | None = None
    translations: Mapping[str, Translation] = field(default_factory=lambda: EMPTY)
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    loc: Location | None = None
    locs: Mapping[str, Location] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True)
class Organisation:
    name: LocalText | str = "Clarion"
    short: str | None = None
    address: tuple[LocalText | str, ...] = ()
    email: str | None = None
    logo: str | None = None


@dataclass(frozen=True)
class Signing:
    key: str
    cert: str
    chain: tuple[str, ...] = ()
    reason: str | None = None
    visible: bool = False
    tsa_url: str | None = None      # RFC 3161 timestamp server: PAdES B-T instead of B-B
    locs: Mapping[str, Location] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True)
class BuildSettings:
    """`build:` in clarion.yaml."""

    formats: tuple[str, ...] = ("pdf", "md")
    paper: str = "A4"
    marks: bool = True                  # fold and punch marks on letters
    pdf_variant: str | None = None      # e.g. "pdf/ua-1"
    front_matter: bool = False          # Markdown opens with YAML front matter
    justify: bool = False               # justified text (default: ragged right)


@dataclass(frozen=True)
class Limits:
    """`limits:` in clarion.yaml: caps on what one workspace may cost to build."""

    max_file_bytes: int = 5 * 1024 * 1024
    max_csv_rows: int = 10_000
    render_seconds: float = 10.0
    layout_seconds: float = 60.0
    layout_memory_mb: int = 1024


@dataclass(frozen=True)
class LintSettings:
    """`lint:` in clarion.yaml."""

    disable: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mail:
    """`mail:` in clarion.yaml: e-mail drafts and `clarion send` (never a password)."""

    from_: str | None = None
    reply_to: str | None = None
    host: str | None = None
    port: int = 587
    security: str = "starttls"          # starttls | tls | none
    username: str | None = None
    per_minute: int = 20


@dataclass(frozen=True)
class Settings:
    """clarion.yaml, in its own shape: one section, one record."""

    organisation: Organisation = field(default_factory=Organisation)
    language: str = "en"
    locale: str | None = None
    signing: Signing | None = None
    build: BuildSettings = field(default_factory=BuildSettings)
    freshness_days: int = 90
    limits: Limits = field(default_factory=Limits)
    lint: LintSettings = field(default_factory=LintSettings)
    press_contact: Contact | None = None
    mail: Mail | None = None
    allow_remote: bool = False
    locs: Mapping[str, Location] = field(default_factory=lambda: EMPTY)


@dataclass(frozen=True)
class Workspace:
    root: Path
    settings: Settings
    cases: Mapping[str, Case]
    recipients: Mapping[str, Recipient]
    signatories: Mapping[str, Signatory]
    campaigns: Mapping[str, Campaign]
    #: forms of address: language → honorific rule → salutation/closing (workspace/salutations)
    salutations: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    #: how it was loaded (links allowed, limits raised): what every later stage reads
    options: LoadOptions = field(default_factory=LoadOptions)

    def group(self, name: str) -> list[Recipient]:
        return [r for r in self.recipients.values() if name in r.groups]
