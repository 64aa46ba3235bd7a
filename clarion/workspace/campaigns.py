"""The records of a campaign: the campaign itself, its quotes, translations, event reacted to,
window and media contact — each field declared once, with its doc and check. No I/O here."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import Location
from ..kinds import KINDS, Kind
from .meta import about, internal
from .vocabulary import EMPTY, LocalText

#: `template:` of a campaign: a file name stem in templates/
TEMPLATE_NAME = (re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"),
                 "a template name (letters, digits, '-', '_' and '.')")
LOC = internal("where the record starts in its file")


def _one_of(names: Iterable[str]) -> str:
    """`a`, `b` or `c`."""
    quoted = [f"`{n}`" for n in names]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]


@dataclass(frozen=True)
class Quote:
    speaker: str = field(metadata=about("who said it"))
    text: str = field(metadata=about("what they said"))
    title: str | None = field(default=None, metadata=about("the speaker's title"))
    organisation: str | None = field(default=None, metadata=about(
        "the speaker's organisation"))
    pull: bool = field(default=False, metadata=about(
        "`true` sets it as a highlighted pull quote instead of a plain one"))


@dataclass(frozen=True)
class EventRef:
    case: str = field(metadata=about("the case's id", check="id"))
    event: str = field(metadata=about("the `id` of one of its events", check="id"))


@dataclass(frozen=True)
class Window:
    start: dt.date = field(metadata=about("the first day", key="from"))
    days: int = field(default=7, metadata=about(
        "how many days, both ends included", minimum=1, maximum=3660))

    @property
    def end(self) -> dt.date:
        try:
            return self.start + dt.timedelta(days=max(self.days, 1) - 1)
        except OverflowError:
            return dt.date.max


@dataclass(frozen=True)
class Translation:
    language: str = field(metadata=internal("its key in `translations`"))
    title: str | None = field(default=None, metadata=about("the translated title"))
    subject: str | None = field(default=None, metadata=about("the translated subject"))
    place: str | None = field(default=None, metadata=about("the translated place"))
    asks: tuple[str, ...] | None = field(default=None, metadata=about(
        "the translated asks; they replace the original's list as a whole"))
    quotes: tuple[Quote, ...] | None = field(default=None, metadata=about(
        "the translated quotes; they replace the original's list as a whole"))
    body: str | None = field(default=None, metadata=about(
        "the translated body (in the campaign file: there is no `.md` file per language)"))
    source_hash: str | None = field(default=None, metadata=about(
        "the fingerprint of the original this translation was made from"))
    loc: Location | None = field(default=None, metadata=LOC)
    body_loc: Location | None = field(default=None, metadata=internal(
        "where the translated body starts"))


@dataclass(frozen=True)
class Contact:
    """A media or observers' contact: `{name, phone, email}`."""

    name: str | None = field(default=None, metadata=about("who to call"))
    phone: str | None = field(default=None, metadata=about("their telephone number"))
    email: str | None = field(default=None, metadata=about("their e-mail address"))


@dataclass(frozen=True)
class Campaign:
    id: str = field(metadata=about(
        "the file name without `.yaml`; if given, it must equal it", check="id",
        required=False))
    kind: Kind = field(metadata=about(_one_of(KINDS)))
    title: str = field(metadata=about("the headline; a letter's subject line falls back to it"))
    date: dt.date = field(metadata=about(
        "the document's date; every time-dependent fact is worked out for this day"))
    place: str | None = field(default=None, metadata=about(
        "printed before the date: \"Brussels, Baku, 18 July 2018\""))
    language: str | None = field(default=None, metadata=about(
        "the language the campaign is written in (default: the workspace `language`)",
        check="language"))
    cases: tuple[str, ...] = field(default=(), metadata=about(
        "case ids; their order is kept", check="id"))
    recipients: tuple[str, ...] = field(default=(), metadata=about(
        "open letters only: recipient ids and `group:NAME`"))
    signatories: tuple[str, ...] = field(default=(), metadata=about(
        "signatory ids and `group:NAME` (every signatory in that group, in file order), in "
        "signing order; each signs once"))
    subject: str | None = field(default=None, metadata=about(
        "letters: the bold subject line; press reactions: the \"Reacting to …\" line"))
    asks: tuple[str, ...] = field(default=(), metadata=about(
        "open letters: a numbered list of requests after the body"))
    quotes: tuple[Quote, ...] = field(default=(), metadata=about(
        "press reactions: who said what, see [Each kind](#each-kind)"))
    event: EventRef | None = field(default=None, metadata=about(
        "press reactions: the event reacted to"))
    window: Window | None = field(default=None, metadata=about(
        "alerts: the days whose events are listed (default: the campaign date and the six "
        "days after)"))
    embargo: dt.datetime | None = field(default=None, metadata=about(
        "prints \"Embargoed until 18 July 2018, 00:01 GMT+02:00\" at the top"))
    template: str | None = field(default=None, metadata=about(
        "use another template than the one named after the `kind`", pattern=TEMPLATE_NAME))
    body: str | None = field(default=None, metadata=about(
        "the text; or put it in `campaigns/<id>.md` (not both)"))
    body_loc: Location | None = field(default=None, metadata=internal(
        "where the body starts (in this file or in the `.md` file)"))
    to: tuple[str, ...] = field(default=(), metadata=about(
        "open letters: the addressee(s), ids or `group:NAME`; every other recipient gets a "
        "copy"))
    cc: tuple[str, ...] = field(default=(), metadata=about(
        "open letters: copy recipients, listed on the cc line"))
    publication: str = field(default="post", metadata=about(
        "open letters: `post` (a window address, return line and fold marks) or `web` (an "
        "open letter published online: a \"To:\" line naming the addressee instead)",
        choices=("post", "web")))
    address: str = field(default="each", metadata=about(
        "open letters: `each` (one letter per recipient) or `together` (one letter to all of "
        "them, every addressee listed, at `build/<campaign>/<campaign>.<ext>`)",
        choices=("each", "together")))
    salutation: LocalText | None = field(default=None, metadata=about(
        "open letters: the letter's salutation (text or per language); with `address: "
        "together` it defaults to the group form of each language (\"Your Excellencies,\")"))
    issued_by: str | None = field(default=None, metadata=about(
        "the signatory whose letterhead the document is on (and the PDF's Author)",
        check="id"))
    asks_intro: LocalText | None = field(default=None, metadata=about(
        "replaces the lead-in of the asks (\"We urge you to:\")"))
    sign_by_hand: bool = field(default=False, metadata=about(
        "`true` leaves room above each name to sign on paper (no signature images)"))
    contact: Contact | None = field(default=None, metadata=about(
        "press reactions: the media contact (default: `press_contact` in clarion.yaml)"))
    notes_to_editors: str | None = field(default=None, metadata=about(
        "press reactions: notes to editors (Markdown)"))
    closing: LocalText | None = field(default=None, metadata=about(
        "open letters: the closing above the signatures, replacing the one derived from the "
        "addressee (\"Yours sincerely,\"); several lines stay lines (\"Respectfully,\" and "
        "\"Concerned citizens\" under it); `none` prints no closing"))
    languages: tuple[str, ...] = field(default=(), metadata=about(
        "open letters: one document with the letter in each of these languages in turn "
        "(each with its own date line, salutation, asks and closing), one list of "
        "signatories in the first language's form; each language is the campaign's own or "
        "one of its `translations`", check="language"))
    copies: str = field(default="cover-note", metadata=about(
        "open letters with `to`: `cover-note` (a copy recipient gets a cover note in their "
        "language, then the letter as sent) or `translated` (a copy recipient whose language "
        "the campaign has a translation in gets the whole letter in it, marked as a courtesy "
        "translation)", choices=("cover-note", "translated")))
    signatories_layout: str = field(default="grid", metadata=about(
        "how the signatories are set: `grid` (side by side, two to four a row), `numbered` "
        "(a numbered list, one a line: a sign-on list) or `list` (one a line, unnumbered)",
        choices=("grid", "numbered", "list")))
    signatories_heading: LocalText | None = field(default=None, metadata=about(
        "a heading above the signatories: `true` (\"Signatories\" in the document's "
        "language), or your own text (per language if you like); `false` or absent: none",
        shown_default="`false`"))
    signatories_order: str = field(default="as-listed", metadata=about(
        "`as-listed` (the order of `signatories`, groups in file order) or "
        "`organisations-first` (organisations, then individuals, each as listed)",
        choices=("as-listed", "organisations-first")))
    show_country: bool = field(default=True, metadata=about(
        "`false` leaves out each signatory's country, printed by default in brackets after "
        "the organisation (or an individual's role)"))
    translations: Mapping[str, Translation] = field(default_factory=lambda: EMPTY,
                                                    metadata=about(
        "other languages by language code, see [Translations](#translations)",
        key_check="language"))
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY, metadata=about(
        "your own fields; open letters print `extra.cc` (text or a list) as a \"cc:\" line"))
    loc: Location | None = field(default=None, metadata=LOC)
    locs: Mapping[str, Location] = field(default_factory=lambda: EMPTY, metadata=internal(
        "where each field was written, by field name"))
