"""Field specifications and the converter from YAML nodes to typed values.

Types come from the schema, never from YAML's guesses: a field that holds text takes the text
as written, so `country: NO`, `id: 0123` and `article: 1.10` keep their characters.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from ..errors import Location, Problem
from ..formats import ID_RE as FORMAT_ID_RE
from . import yamlio
from .yamlio import MappingNode, Node, ScalarNode, SequenceNode

if TYPE_CHECKING:
    from .vocabulary import LocalText

ID_RE = FORMAT_ID_RE  # declared with the formats: output files are named after ids
LANG_RE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
BOOLS = {"true": True, "false": False, "True": True, "False": False, "TRUE": True, "FALSE": False}


class Invalid(Exception):
    """One value does not fit its field."""


@dataclass
class Context:
    """Where conversion is happening, and the problems it has found."""

    display: str
    problems: list[Problem] = field(default_factory=list)

    def report(self, node: Node | Location, message: str, severity: str = "error") -> None:
        loc = node if isinstance(node, Location) else yamlio.where(node, self.display)
        self.problems.append(Problem(loc, message, severity))

    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"'{_clip(node.value)}'"


def _clip(text: str, limit: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Spec:
    """How one field's node becomes a value."""

    what = "a value"

    def convert(self, node: Node, ctx: Context) -> Any:
        raise NotImplementedError

    def scalar(self, node: Node) -> str:
        if not isinstance(node, ScalarNode):
            raise Invalid(f"must be {self.what}, not {_kind(node)}")
        value: str = node.value
        return value


class Str(Spec):
    what = "text"

    def __init__(self, pattern: re.Pattern[str] | None = None, hint: str = ""):
        self.pattern, self.hint = pattern, hint

    def convert(self, node: Node, ctx: Context) -> str:
        value = self.scalar(node)
        if self.pattern and not self.pattern.fullmatch(value):
            raise Invalid(f"'{_clip(value)}' is not {self.hint}")
        return value


class Id(Str):
    def __init__(self) -> None:
        super().__init__(ID_RE, "a valid id: lower-case letters, digits and '-', starting with a "
                         "letter or digit, at most 64 characters")


class Lang(Str):
    """A language code, BCP 47 or POSIX, any case (`fr`, `fr-BE`, `fr_be`, `FR`), normalised
    to BCP 47 (`fr-BE`) and checked against Babel's locale data."""

    def __init__(self) -> None:
        super().__init__(LANG_RE, "a language code such as en, fr, ru, az or fr-BE")

    def convert(self, node: Node, ctx: Context) -> str:
        value = self.scalar(node).strip()
        code = normalise_language(value)
        if code is None:
            raise Invalid(f"'{_clip(value)}' is not a known language code{_lang_hint(value)}")
        return code


def normalise_language(value: str) -> str | None:
    """`fr_be`, `FR-be` → `fr-BE`; an ISO 639-2 code → its two-letter form (`fre`, `fra` →
    `fr`; `ger-AT` → `de-AT`); None if Babel knows no such language or region."""
    parts = [p for p in re.split(r"[-_]", value.split(".")[0].split("@")[0]) if p]
    if not parts or not re.fullmatch(r"[A-Za-z]{2,3}", parts[0]) or len(parts) > 3 or \
            not all(re.fullmatch(r"[A-Za-z]{2,4}|\d{3}", p) for p in parts[1:]):
        return None
    out = [two_letter(parts[0].lower())]
    for part in parts[1:]:
        out.append(part.title() if len(part) == 4 else part.upper())
    from babel import Locale, UnknownLocaleError
    try:
        Locale.parse("_".join(out))
    except (UnknownLocaleError, ValueError):
        return None
    return "-".join(out)


def two_letter(language: str) -> str:
    """The ISO 639-1 code of a three-letter ISO 639-2 code, bibliographic or terminologic
    (`fre`, `fra` → `fr`; `ger`, `deu` → `de`; `aze` → `az`; `rus` → `ru`), from CLDR's
    language aliases; any other code as it is."""
    if len(language) != 3:
        return language
    from babel.core import get_global
    alias = get_global("language_aliases").get(language, "")
    return alias if re.fullmatch(r"[a-z]{2}", alias) else language


def _lang_hint(value: str) -> str:
    from babel.localedata import locale_identifiers
    known = sorted({i.split("_")[0] for i in locale_identifiers()})
    close = difflib.get_close_matches(value.lower()[:3], known, n=1, cutoff=0.6)
    example = f"did you mean `{close[0]}`? " if close else ""
    return (f"; {example}use a code such as en, fr, ru, az, or with a region fr-BE "
            "(BCP 47 or POSIX form)")


class Date(Spec):
    what = "a date (YYYY-MM-DD)"

    def convert(self, node: Node, ctx: Context) -> dt.date:
        value = self.scalar(node)
        if not DATE_RE.fullmatch(value):
            raise Invalid(f"'{_clip(value)}' is not a date; write it as YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise Invalid(f"'{value}' is not a real date; check the month and day") from None


class DateTime(Spec):
    what = "a date-time with offset (YYYY-MM-DDTHH:MM:SS+HH:MM)"

    def convert(self, node: Node, ctx: Context) -> dt.datetime:
        value = self.scalar(node)
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise Invalid(f"'{_clip(value)}' is not {self.what}") from None
        if parsed.tzinfo is None:
            raise Invalid(f"'{value}' has no UTC offset; add one, e.g. +02:00")
        return parsed


class Bool(Spec):
    what = "true or false"

    def convert(self, node: Node, ctx: Context) -> bool:
        value = self.scalar(node)
        if yamlio.is_plain(node) and value in BOOLS:
            return BOOLS[value]
        raise Invalid(f"'{_clip(value)}' is not true or false")


class Number(Spec):
    def __init__(self, integer: bool = False, minimum: float = 0, maximum: float = 1e12):
        self.integer, self.minimum, self.maximum = integer, minimum, maximum
        self.what = "a whole number" if integer else "a number"

    def convert(self, node: Node, ctx: Context) -> int | float:
        value = self.scalar(node)
        try:
            number: int | float = int(value) if self.integer or re.fullmatch(r"[-+]?\d+", value) \
                else float(value)
        except ValueError:
            raise Invalid(f"'{_clip(value)}' is not {self.what}") from None
        if number != number or not self.minimum <= number <= self.maximum:
            raise Invalid(f"'{_clip(value)}' is out of range ({self.minimum:g} to "
                          f"{self.maximum:g})")
        return number


class OneOf(Spec):
    def __init__(self, choices: type[Enum] | tuple[str, ...]):
        self.enum = choices if isinstance(choices, type) else None
        self.choices: list[str] = [c.value for c in self.enum] if self.enum else list(choices)

    def convert(self, node: Node, ctx: Context) -> Enum | str:
        value = self.scalar(node)
        if value not in self.choices:
            raise Invalid(f"'{_clip(value)}' is not one of: {', '.join(self.choices)}")
        return self.enum(value) if self.enum else value


class Text(Spec):
    """Reader-facing text: a string, or a mapping from language code to string."""

    what = "text or a mapping from language to text"

    def convert(self, node: Node, ctx: Context) -> LocalText | None:
        from .vocabulary import LocalText
        if isinstance(node, ScalarNode):
            return LocalText.plain(node.value)
        if not isinstance(node, MappingNode) or not node.value:
            raise Invalid(f"must be {self.what}, not {_kind(node)}")
        values: list[tuple[str, str]] = []
        ok = True
        for key, value in _pairs(node, ctx):
            try:
                # '' (from a spreadsheet's plain column) serves every other language
                lang = "" if isinstance(key, ScalarNode) and key.value == "" \
                    else Lang().convert(key, ctx)
                values.append((lang, Str().convert(value, ctx)))
            except Invalid as e:
                ctx.report(key, f"{key.value}: {e}")
                ok = False
        return LocalText(tuple(values)) if ok else None


class ListOf(Spec):
    def __init__(self, item: Spec, unique: bool = False):
        self.item, self.unique = item, unique
        self.what = "a list"

    def convert(self, node: Node, ctx: Context) -> tuple[Any, ...] | object:
        if not isinstance(node, SequenceNode):
            raise Invalid(f"must be a list (write [a, b] or one '- item' per line), "
                          f"not {_kind(node)}")
        out: list[Any] = []
        ok = True
        for child in node.value:
            value = convert_field(self.item, child, ctx, "item")
            ok = ok and value is not INVALID
            out.append(value)
        return tuple(out) if ok else INVALID


class MapOf(Spec):
    def __init__(self, value: Spec, key: Spec | None = None):
        self.value, self.key = value, key or Str()

    def convert(self, node: Node, ctx: Context) -> dict[str, Any] | object:
        if not isinstance(node, MappingNode):
            raise Invalid(f"must be a mapping, not {_kind(node)}")
        out: dict[str, Any] = {}
        ok = True
        for key, value in _pairs(node, ctx):
            try:
                name = self.key.convert(key, ctx)
            except Invalid as e:
                ctx.report(key, f"key {e}")
                ok = False
                continue
            converted = convert_field(self.value, value, ctx, name, key=name)
            ok = ok and converted is not INVALID
            out[name] = converted
        return out if ok else INVALID


class Free(Spec):
    """Anything (under `extra:`, or a private block): plain values, no YAML 1.1 guesses."""

    def convert(self, node: Node, ctx: Context) -> Any:
        if isinstance(node, MappingNode):
            list(_pairs(node, ctx))  # duplicate keys are still refused
        return yamlio.plain_value(node)


class Extra(Free):
    """`extra:` — free fields for templates, but a mapping of them."""

    def convert(self, node: Node, ctx: Context) -> Any:
        if not isinstance(node, MappingNode):
            raise Invalid("must be a mapping of free fields (name: value)")
        return super().convert(node, ctx)


@dataclass
class Field:
    spec: Spec
    required: bool = False


class Record(Spec):
    """A mapping with known fields; unknown fields are errors with a close-match hint."""

    what = "a mapping"

    def __init__(self, fields: dict[str, Field], build: Callable[..., Any] | None = None,
                 check: Callable[[dict[str, Any], MappingNode, Context], None] | None = None):
        self.fields, self.build, self.check = fields, build, check

    def convert(self, node: Node, ctx: Context, key: str | None = None,
                **fixed: Any) -> Any:
        if not isinstance(node, MappingNode):
            raise Invalid(f"must be a mapping of fields, not {_kind(node)}")
        before = ctx.errors()
        values: dict[str, Any] = {}
        locs: dict[str, Location] = {}
        for k, v in _pairs(node, ctx):
            name = k.value
            if name not in self.fields:
                ctx.report(k, unknown_field_message(name, self.fields))
                continue
            locs[name] = yamlio.where(k, ctx.display)
            if yamlio.is_null(v):
                continue
            values[name] = convert_field(self.fields[name].spec, v, ctx, name, key=name)
        for name, spec in self.fields.items():
            if spec.required and name not in values and name not in locs:
                ctx.report(node, f"missing required field `{name}`")
            elif spec.required and name in locs and name not in values:
                ctx.report(locs[name], f"{name}: must not be empty")
        if self.check and ctx.errors() == before:
            self.check(values, node, ctx)
        if ctx.errors() > before:
            return INVALID
        values = {k: v for k, v in values.items()}
        if self.build is None:
            return values
        return self.build(values, loc=yamlio.where(node, ctx.display), locs=locs, **fixed)


INVALID = object()


def convert_field(spec: Spec, node: Node, ctx: Context, name: str,
                  key: str | None = None) -> Any:
    try:
        return spec.convert(node, ctx)
    except Invalid as e:
        ctx.report(node, f"{name}: {e}")
        return INVALID


def unknown_field_message(name: str, fields: Collection[str]) -> str:
    close = difflib.get_close_matches(name, list(fields), n=1, cutoff=0.6)
    hint = f"did you mean `{close[0]}`?" if close else \
        "put free fields under `extra:`"
    return f"unknown field `{_clip(name)}`; {hint}"


def _pairs(node: MappingNode, ctx: Context) -> Iterator[tuple[ScalarNode, Node]]:
    """Key/value node pairs of a mapping, refusing duplicate and non-text keys."""
    seen: dict[str, int] = {}
    for key, value in node.value:
        if not isinstance(key, ScalarNode):
            ctx.report(key, "mapping keys must be plain text")
            continue
        if key.value in seen:
            ctx.report(key, f"duplicate key `{_clip(key.value)}` (first on line "
                       f"{seen[key.value]}); keep one")
            continue
        seen[key.value] = key.start_mark.line + 1
        yield key, value
