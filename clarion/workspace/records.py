"""The contract's record shapes, made from the models' declarations: which fields each record
has, how each is checked, and how the checked values become models. Rules between fields of
one record live here too (a charge needs `text` or `article`)."""
from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from ..errors import Location
from . import model as m
from .declare import make, record_of
from .schema import Context, Extra
from .settings import PDF_VARIANTS
from .yamlio import MappingNode

__all__ = ["CAMPAIGN", "CASE", "CASE_FIELDS", "CONTACT", "EVENT", "FORMATS", "PDF_VARIANTS",
           "QUOTE", "RECIPIENT", "RECIPIENT_FIELDS", "SETTINGS", "SIGNATORY",
           "SIGNATORY_FIELDS", "SOURCE", "TEMPLATE_NAME", "TRANSLATION", "TRANSLATION_FIELDS",
           "Extra"]

FORMATS = m.FORMATS


def _freeze(values: dict[str, Any], name: str) -> None:
    if name in values and isinstance(values[name], dict):
        values[name] = MappingProxyType(values[name])


def _check_charge(values: dict[str, Any], node: MappingNode, ctx: Context) -> None:
    if "text" not in values and "article" not in values:
        ctx.report(node, "a charge needs `text` or `article`")


def _check_sentence(values: dict[str, Any], node: MappingNode, ctx: Context) -> None:
    if "years" not in values and not values.get("life"):
        ctx.report(node, "a sentence needs `years` or `life: true`")


#: a case's sources: values only (the case makes each Source with its key)
SOURCE = record_of(m.Source, build=None)
EVENT = record_of(m.Event)


def _build_case(values: dict[str, Any], loc: Location, locs: dict[str, Location],
                id: str) -> m.Case:
    sources = values.pop("sources", {}) or {}
    values["sources"] = MappingProxyType({
        key: m.Source(key=key, loc=None, **src) for key, src in sources.items()})
    _freeze(values, "extra")
    case: m.Case = make(m.Case, keep_locs=True)(values, loc, locs, id=id)
    return case


CASE = record_of(m.Case, build=_build_case, nested={
    m.Source: SOURCE, m.Event: EVENT,
    m.Charge: record_of(m.Charge, check=_check_charge),
    m.Sentence: record_of(m.Sentence, check=_check_sentence)})
CASE_FIELDS = CASE.fields


def _build_party(cls: type[Any]) -> Callable[..., Any]:
    def build(values: dict[str, Any], loc: Location, locs: dict[str, Location],
              id: str) -> Any:
        _freeze(values, "extra")
        return make(cls, keep_locs=True)(values, loc, locs, id=id)
    return build


RECIPIENT = record_of(m.Recipient, build=_build_party(m.Recipient))
RECIPIENT_FIELDS = RECIPIENT.fields
SIGNATORY = record_of(m.Signatory, build=_build_party(m.Signatory))
SIGNATORY_FIELDS = SIGNATORY.fields

CONTACT = record_of(m.Contact)
QUOTE = record_of(m.Quote)
#: a campaign's translations: values only (the loader makes each Translation with its place)
TRANSLATION = record_of(m.Translation, build=None, nested={m.Quote: QUOTE})
TRANSLATION_FIELDS = TRANSLATION.fields

#: values only: the loader adds the body file, the translations and where each field is
CAMPAIGN = record_of(m.Campaign, build=None, nested={
    m.Quote: QUOTE, m.Translation: TRANSLATION, m.Contact: CONTACT})

#: `template:` of a campaign: a file name stem in templates/
TEMPLATE_NAME = CAMPAIGN.fields["template"].spec

#: values only: the loader caps the limits and keeps where each section is
SETTINGS = record_of(m.Settings, build=None, nested={m.Contact: CONTACT})
