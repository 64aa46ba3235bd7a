"""The contract's record shapes: which fields each record has, and how they become models."""
from __future__ import annotations

import re
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from ..errors import Location
from . import model as m
from .schema import (
    Bool,
    Context,
    Date,
    DateTime,
    Field,
    Free,
    Id,
    Lang,
    ListOf,
    MapOf,
    Number,
    OneOf,
    Record,
    Str,
    Text,
)
from .yamlio import MappingNode, Node

TEMPLATE_NAME = Str(re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"),
                    "a template name (letters, digits, '-', '_' and '.')")
FORMATS = m.FORMATS
PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1")


class Extra(Free):
    """`extra:` — free fields for templates, but a mapping of them."""

    def convert(self, node: Node, ctx: Context) -> Any:
        from .schema import Invalid
        from .yamlio import MappingNode
        if not isinstance(node, MappingNode):
            raise Invalid("must be a mapping of free fields (name: value)")
        return super().convert(node, ctx)


def _make(cls: type[Any], rename: dict[str, str] | None = None,
          keep_locs: bool = False) -> Callable[..., Any]:
    """A builder that turns converted values into `cls`, renaming contract names if needed."""
    def build(values: dict[str, Any], loc: Location, locs: dict[str, Location],
              **fixed: Any) -> Any:
        data = {(rename or {}).get(k, k): v for k, v in values.items()}
        if "loc" in cls.__dataclass_fields__:
            data["loc"] = loc
        if keep_locs:
            data["locs"] = MappingProxyType(locs)
        return cls(**data, **fixed)
    return build


def _freeze(values: dict[str, Any], name: str) -> None:
    if name in values and isinstance(values[name], dict):
        values[name] = MappingProxyType(values[name])


def _check_charge(values: dict[str, Any], node: MappingNode, ctx: Context) -> None:
    if "text" not in values and "article" not in values:
        ctx.report(node, "a charge needs `text` or `article`")


def _check_sentence(values: dict[str, Any], node: MappingNode, ctx: Context) -> None:
    if "years" not in values and not values.get("life"):
        ctx.report(node, "a sentence needs `years` or `life: true`")


SOURCE = Record({"title": Field(Str()), "publisher": Field(Str()), "date": Field(Date()),
                 "url": Field(Str())})
EVENT = Record({
    "id": Field(Id()), "date": Field(Date(), True), "type": Field(OneOf(m.EventType), True),
    "place": Field(Text()), "court": Field(Text()), "text": Field(Text()),
    "sources": Field(ListOf(Str())), "private": Field(Bool()),
    "time": Field(Str(re.compile(r"([01]?[0-9]|2[0-3])[:.h][0-5][0-9]"), "a time such as 10:00")),
    "court_address": Field(Text()), "case_number": Field(Str()), "observers": Field(Str()),
}, build=_make(m.Event))

CASE_FIELDS = {
    "id": Field(Id()), "name": Field(Text(), True), "native_name": Field(Str()),
    "gender": Field(OneOf(m.Gender)), "country": Field(Str()), "roles": Field(ListOf(Text())),
    "status": Field(OneOf(m.Status), True), "status_as_of": Field(Date()),
    "same_person_as": Field(Id()),
    "summary": Field(Text()),
    "recognitions": Field(ListOf(Record({"by": Field(Str()), "as": Field(Str())},
                                        build=_make(m.Recognition, {"as": "as_"})))),
    "charges": Field(ListOf(Record({"text": Field(Text()), "article": Field(Str()),
                                    "code": Field(Str())}, build=_make(m.Charge),
                                   check=_check_charge))),
    "sentence": Field(Record({"years": Field(Number(maximum=200)), "life": Field(Bool()),
                              "date": Field(Date()), "court": Field(Text())},
                             build=_make(m.Sentence), check=_check_sentence)),
    "judgments": Field(ListOf(Record({"court": Field(Str()), "case": Field(Str()),
                                      "date": Field(Date()), "finding": Field(Str())},
                                     build=_make(m.Judgment)))),
    "events": Field(ListOf(EVENT)),
    "sources": Field(MapOf(SOURCE)),
    "private": Field(Free()),
    "extra": Field(Extra()),
}


def _build_case(values: dict[str, Any], loc: Location, locs: dict[str, Location],
                id: str) -> m.Case:
    sources = values.pop("sources", {}) or {}
    values["sources"] = MappingProxyType({
        key: m.Source(key=key, loc=None, **src) for key, src in sources.items()})
    _freeze(values, "extra")
    case: m.Case = _make(m.Case, keep_locs=True)(values, loc, locs, id=id)
    return case


CASE = Record(CASE_FIELDS, build=_build_case)

RECIPIENT_FIELDS = {
    "id": Field(Id()), "name": Field(Text(), True), "title": Field(Text()),
    "honorific": Field(Str()), "gender": Field(OneOf(m.Gender)), "salutation": Field(Text()),
    "address": Field(ListOf(Text())), "country": Field(Str()), "language": Field(Lang()),
    "email": Field(Str()), "groups": Field(ListOf(Id())), "extra": Field(Extra()),
}
SIGNATORY_FIELDS = {
    "id": Field(Id()), "organisation": Field(Text(), True), "country": Field(Str()),
    "person": Field(Text()), "title": Field(Text()), "signature": Field(Str()),
    "logo": Field(Str()), "extra": Field(Extra()),
}


def _build_party(cls: type[Any]) -> Callable[..., Any]:
    def build(values: dict[str, Any], loc: Location, locs: dict[str, Location],
              id: str) -> Any:
        _freeze(values, "extra")
        return _make(cls, keep_locs=True)(values, loc, locs, id=id)
    return build


RECIPIENT = Record(RECIPIENT_FIELDS, build=_build_party(m.Recipient))
SIGNATORY = Record(SIGNATORY_FIELDS, build=_build_party(m.Signatory))

CONTACT = Record({"name": Field(Str()), "phone": Field(Str()), "email": Field(Str())},
                 build=_make(m.Contact))

QUOTE = Record({"speaker": Field(Str(), True), "title": Field(Str()),
                "organisation": Field(Str()), "text": Field(Str(), True),
                "pull": Field(Bool())}, build=_make(m.Quote))

TRANSLATION_FIELDS = {
    "title": Field(Str()), "subject": Field(Str()), "place": Field(Str()),
    "asks": Field(ListOf(Str())), "quotes": Field(ListOf(QUOTE)), "body": Field(Str()),
    "source_hash": Field(Str()),
}
TRANSLATION = Record(TRANSLATION_FIELDS)

CAMPAIGN = Record({
    "id": Field(Id()), "kind": Field(OneOf(m.Kind), True), "title": Field(Str(), True), "date": Field(Date(), True),
    "place": Field(Str()), "language": Field(Lang()), "cases": Field(ListOf(Id())),
    "recipients": Field(ListOf(Str())), "signatories": Field(ListOf(Id())),
    "subject": Field(Str()), "asks": Field(ListOf(Str())), "quotes": Field(ListOf(QUOTE)),
    "event": Field(Record({"case": Field(Id(), True), "event": Field(Id(), True)},
                          build=_make(m.EventRef))),
    "window": Field(Record({"from": Field(Date(), True),
                            "days": Field(Number(integer=True, minimum=1, maximum=3660))},
                           build=_make(m.Window, {"from": "start"}))),
    "embargo": Field(DateTime()), "template": Field(TEMPLATE_NAME), "body": Field(Str()),
    "translations": Field(MapOf(TRANSLATION, key=Lang())), "extra": Field(Extra()),
    "to": Field(ListOf(Str())), "cc": Field(ListOf(Str())), "issued_by": Field(Id()),
    "asks_intro": Field(Text()), "sign_by_hand": Field(Bool()), "contact": Field(CONTACT),
    "notes_to_editors": Field(Str()),
})

SETTINGS = Record({
    "organisation": Field(Record({
        "name": Field(Text(), True), "short": Field(Str()), "address": Field(ListOf(Text())),
        "email": Field(Str()), "logo": Field(Str())}, build=_make(m.Organisation))),
    "language": Field(Lang()), "locale": Field(Str()),
    "signing": Field(Record({
        "key": Field(Str(), True), "cert": Field(Str(), True), "chain": Field(ListOf(Str())),
        "reason": Field(Str()), "visible": Field(Bool()), "tsa_url": Field(Str())},
        build=_make(m.Signing, keep_locs=True))),
    "build": Field(Record({"formats": Field(ListOf(OneOf(FORMATS))),
                          "paper": Field(OneOf(("A4", "letter"))), "marks": Field(Bool()),
                          "pdf_variant": Field(OneOf(PDF_VARIANTS)),
                          "front_matter": Field(Bool()), "justify": Field(Bool())},
                         build=_make(m.BuildSettings))),
    "freshness_days": Field(Number(integer=True, minimum=1, maximum=36600)),
    "allow_remote": Field(Bool()),
    "limits": Field(Record({"max_file_bytes": Field(Number(integer=True, minimum=1)),
                           "max_csv_rows": Field(Number(integer=True, minimum=1)),
                           "render_seconds": Field(Number(minimum=0.1, maximum=3600)),
                           "layout_seconds": Field(Number(minimum=0.1, maximum=3600)),
                           "layout_memory_mb": Field(Number(integer=True, minimum=16,
                                                            maximum=65536))},
                          build=_make(m.Limits))),
    "lint": Field(Record({"disable": Field(ListOf(Str()))}, build=_make(m.LintSettings))),
    "press_contact": Field(CONTACT),
    "mail": Field(Record({
        "from": Field(Str()), "reply_to": Field(Str()), "host": Field(Str()),
        "port": Field(Number(integer=True, minimum=1, maximum=65535)),
        "security": Field(OneOf(("starttls", "tls", "none"))), "username": Field(Str()),
        "per_minute": Field(Number(integer=True, minimum=1, maximum=10_000))},
        build=_make(m.Mail, {"from": "from_"}))),
})
