"""How a record's fields are declared once, and the schema and documentation made from them.

Each attribute of a model record is one `dataclasses.field` whose metadata (`meta.about(...)`)
says what the field means (`doc`) and anything its type does not: a narrower check (`check`:
an id, a language code; or a `pattern`), `choices`, a number's `minimum` and `maximum`, the
name the contract spells differently (`key`: `as`, `from`), or `required` when it differs from
"has no default". The check a field's value gets is made from its type:

    str → text, LocalText → text in one or several languages, bool, int/float → a (whole)
    number, date, datetime, an Enum → one of its values, tuple[X, ...] → a list of X,
    Mapping[str, Any] → free fields (`extra:`), Any → anything (`private:`),
    another record → that record's fields, Mapping[str, Record] → a mapping of them.

`meta.internal(doc)` marks an attribute the loader fills (where a record was read from), which no
file writes. Plain dicts with the same keys work too, for modules that may not import this
stage (clarion/limits.py).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from types import MappingProxyType
from typing import Any

from ..errors import Location
from .schema import (
    Bool,
    Context,
    Date,
    DateTime,
    Extra,
    Field,
    Free,
    Id,
    Lang,
    ListOf,
    MapOf,
    Number,
    OneOf,
    Record,
    Spec,
    Str,
    Text,
)
from .vocabulary import LocalText

Check = Callable[[dict[str, Any], Any, Context], None]
#: the checks `about(check=…)` names
NAMED: dict[str, Callable[[], Spec]] = {"id": Id, "language": Lang}


def is_internal(f: dataclasses.Field[Any]) -> bool:
    return bool(f.metadata.get("internal"))


def contract_name(f: dataclasses.Field[Any]) -> str:
    """The field's name in the files (`as`, `from`), else the attribute's."""
    return str(f.metadata.get("key", f.name))


def has_default(f: dataclasses.Field[Any]) -> bool:
    return f.default is not dataclasses.MISSING or \
        f.default_factory is not dataclasses.MISSING


def is_required(f: dataclasses.Field[Any]) -> bool:
    """Whether a file must give the field: as declared, else when it has no default."""
    required = f.metadata.get("required")
    return not has_default(f) if required is None else bool(required)


def make(cls: type[Any], rename: Mapping[str, str] | None = None,
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


def default_build(cls: type[Any]) -> Callable[..., Any]:
    """`cls` from its converted values: contract names renamed, field locations kept when the
    record has a `locs` attribute."""
    fields = dataclasses.fields(cls)
    rename = {contract_name(f): f.name for f in fields if contract_name(f) != f.name}
    return make(cls, rename, keep_locs=any(f.name == "locs" for f in fields))


DEFAULT: Any = object()


def record_of(cls: type[Any], build: Callable[..., Any] | None = DEFAULT,
              check: Check | None = None,
              nested: Mapping[type[Any], Record] | None = None) -> Record:
    """The schema Record of model record `cls`, made from its declaration.

    `build`: how converted values become the model (default: `default_build`; None keeps the
    dict of values, for the loader to finish). `nested`: the Records to use for records inside
    this one (others are made with their defaults)."""
    hints = typing.get_type_hints(cls)
    fields: dict[str, Field] = {}
    for f in dataclasses.fields(cls):
        if is_internal(f):
            continue
        spec = spec_of(hints[f.name], f.metadata, nested or {})
        fields[contract_name(f)] = Field(spec, is_required(f))
    return Record(fields, build=default_build(cls) if build is DEFAULT else build, check=check)


def _optional(tp: Any) -> Any:
    """`X | None` → X (and `A | B | None` → `A | B`)."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = tuple(a for a in typing.get_args(tp) if a is not type(None))
        return args[0] if len(args) == 1 else typing.Union[args]  # noqa: UP007
    return tp


def spec_of(tp: Any, meta: Mapping[str, Any], nested: Mapping[type[Any], Record]) -> Spec:
    """The check a value of type `tp` gets, narrowed by the field's metadata."""
    tp = _optional(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is tuple:
        return ListOf(spec_of(args[0], meta, nested))
    if origin is Mapping or origin is dict:
        if args[1] is Any:
            return Extra()
        key = meta.get("key_check")
        return MapOf(spec_of(args[1], {}, nested), key=NAMED[key]() if key else None)
    if "check" in meta:
        return NAMED[meta["check"]]()
    if "pattern" in meta:
        return Str(*meta["pattern"])
    if "choices" in meta:
        return OneOf(tuple(meta["choices"]))
    if origin in (typing.Union, types.UnionType):
        if set(args) <= {LocalText, str}:
            return Text()
        raise TypeError(f"no check is made from {tp}; give `check` or `pattern`")
    return _scalar(tp, meta, nested)


def _scalar(tp: Any, meta: Mapping[str, Any], nested: Mapping[type[Any], Record]) -> Spec:
    if tp is Any:
        return Free()
    if tp is LocalText:
        return Text()
    if tp is bool:
        return Bool()
    if tp in (int, float):
        return Number(integer=tp is int, minimum=meta.get("minimum", 0),
                      maximum=meta.get("maximum", 1e12))
    if tp is str:
        return Str()
    if tp is dt.datetime:
        return DateTime()
    if tp is dt.date:
        return Date()
    if isinstance(tp, type) and issubclass(tp, Enum):
        return OneOf(tp)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return nested.get(tp) or record_of(tp, nested=nested)
    raise TypeError(f"no check is made from {tp}; give `check` or `pattern`")


# ---------------------------------------------------------------- documentation

def shown_default(f: dataclasses.Field[Any]) -> str:
    """The default as documentation shows it: `` `A4` ``, `` `[pdf, md]` ``, or nothing."""
    if "shown_default" in f.metadata:
        return str(f.metadata["shown_default"])
    value = f.default
    if value is dataclasses.MISSING or value is None or value == ():
        return ""
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float) and value.is_integer():
        return f"`{int(value)}`"
    if isinstance(value, tuple):
        return f"`[{', '.join(map(str, value))}]`"
    return f"`{value}`"


def rows(cls: type[Any], tabled: Mapping[type[Any], str] | None = None,
         prefix: str = "") -> list[tuple[str, str, str, str]]:
    """(field, required, default, doc) for each field a file may write, records inside it
    expanded into `outer.inner` rows unless they have a table of their own (`tabled`)."""
    hints = typing.get_type_hints(cls)
    out: list[tuple[str, str, str, str]] = []
    for f in dataclasses.fields(cls):
        if is_internal(f):
            continue
        name = prefix + contract_name(f)
        inner = _record_type(hints[f.name])
        out.append((name, "yes" if is_required(f) else "", shown_default(f),
                    str(f.metadata.get("doc", "")) + _range(f.metadata)))
        if inner is not None and inner not in (tabled or {}):
            out += rows(inner, tabled, prefix=name + ".")
    return out


def _range(meta: Mapping[str, Any]) -> str:
    """` (1 to 65535)`, ` (at least 16)` for a number with a declared range."""
    low, high = meta.get("minimum"), meta.get("maximum")
    if low is not None and high is not None:
        return f" ({low:g} to {high:g})"
    if low is not None:
        return f" (at least {low:g})"
    return f" (at most {high:g})" if high is not None else ""


def _record_type(tp: Any) -> type[Any] | None:
    """The record a field holds (alone, in a list or as mapping values), if any."""
    tp = _optional(tp)
    args = typing.get_args(tp)
    if typing.get_origin(tp) is tuple:
        tp = args[0]
    elif typing.get_origin(tp) in (Mapping, dict):
        tp = args[1]
    if tp is LocalText or not (isinstance(tp, type) and dataclasses.is_dataclass(tp)):
        return None
    return tp


def markdown_table(cls: type[Any], tabled: Mapping[type[Any], str] | None = None) -> str:
    """The documentation's table of `cls`'s fields."""
    lines = ["| field | required | default | meaning |", "| --- | --- | --- | --- |"]
    lines += [f"| `{name}` | {required} | {default} | {doc} |"
              for name, required, default, doc in rows(cls, tabled)]
    return "\n".join(lines) + "\n"
