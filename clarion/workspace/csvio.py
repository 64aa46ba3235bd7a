"""CSV files of recipients or signatories, turned into the same located nodes YAML gives."""
from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

import yaml

from ..errors import Location, Problem
from ..limits import MAX_CSV_COLUMNS, MAX_CSV_FIELD_CHARS
from .yamlio import MappingNode, ScalarNode, SequenceNode

#: a list cell (address, groups) holds several values separated by `|` or by line breaks
LIST_SPLIT = re.compile(r"\s*(?:\||\r?\n|\r)\s*")
#: other spellings of a field's name a spreadsheet header may use (after normalising): the
#: first of the fields named that the record has
ALIASES: dict[str, tuple[str, ...]] = {
    "e_mail": ("email",), "mail": ("email",), "email_address": ("email",),
    "e_mail_address": ("email",), "organization": ("organisation",),
    "org": ("organisation",), "organisation_name": ("organisation",),
    "organization_name": ("organisation",), "lang": ("language",),
    "preferred_language": ("language",), "groups_list": ("groups",), "group": ("groups",),
    "full_name": ("name", "person"), "name": ("person",), "your_name": ("name", "person"),
    "job_title": ("title",), "position": ("title",), "role": ("title",),
    "postal_address": ("address",), "mailing_address": ("address",),
    "address_lines": ("address",)}
#: columns that hold a part of one field, joined in order: a name from its first and last
#: names, the postal lines from street, postcode and city
PARTS: dict[str, str] = {
    "first_name": "first", "given_name": "first", "forename": "first", "first": "first",
    "last_name": "last", "surname": "last", "family_name": "last", "last": "last",
    "street": "street", "street_address": "street", "address_line_1": "street",
    "address_line_2": "street", "address_1": "street", "address_2": "street",
    "postcode": "postcode", "post_code": "postcode", "postal_code": "postcode", "zip": "postcode",
    "zip_code": "postcode", "city": "city", "town": "city"}
#: which field each part fills: the first of these the record has
PART_FIELDS: dict[str, tuple[str, ...]] = {
    "first": ("name", "person"), "last": ("name", "person"), "street": ("address",),
    "postcode": ("address",), "city": ("address",)}

Row = tuple[MappingNode | None, list[Problem]]


@dataclass(frozen=True)
class Column:
    """A header cell understood: the field it fills, for `name:ru` the language, and for
    `First name` or `City` the part of the field it holds."""

    field: str | None  # None: unknown or unnamed, its cells are left out
    language: str = ""
    part: str = ""


def normalise(header: str) -> str:
    """`E-mail ` → `e_mail`, `Status as of` → `status_as_of`: case and spacing do not count."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def field_for(key: str, fields: Collection[str]) -> tuple[str | None, str]:
    """The field a normalised header fills, and the part of it (`""`: the whole field)."""
    if key in fields:
        return key, ""
    if key in PARTS:
        part = PARTS[key]
        return next((f for f in PART_FIELDS[part] if f in fields), None), part
    return next((f for f in ALIASES.get(key, ()) if f in fields), None), ""


def _unknown(raw: str, fields: Collection[str], at: Location) -> Problem:
    """An unknown column: one warning, with a close match or how to keep it."""
    known = sorted({*fields, *(a for a in ALIASES if field_for(a, fields)[0]),
                    *(p for p in PARTS if field_for(p, fields)[0])})
    close = difflib.get_close_matches(normalise(raw), known, n=1, cutoff=0.75)
    shown = raw[:40] + ("…" if len(raw) > 40 else "")
    hint = (f"did you mean `{close[0]}`?" if close else
            f"to keep it, name it `extra:{normalise(raw)[:40]}`")
    return Problem(at, f"column `{shown}` is not a field and is ignored; {hint}",
                   severity="warning", code="unknown-column")


def read_header(header: list[str], display: str, fields: Collection[str],
                list_fields: Collection[str] = ()) -> tuple[list[Column], list[Problem]]:
    """Each header cell matched to a field; each unknown or repeated column reported once."""
    at = Location(display, 1)
    columns: list[Column] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}
    for raw in header:
        name, _, language = raw.partition(":")
        key, part = field_for(normalise(name), fields)
        language = language.strip().lower()
        if not raw.strip():
            columns.append(Column(None))
            continue
        if key is None or (part and language):
            problems.append(_unknown(raw.strip(), fields, at))
            columns.append(Column(None))
            continue
        if language and key in list_fields:
            problems.append(Problem(at, (f"column `{raw.strip()}`: {key} has no per-language "
                                         "columns; write those in a YAML file"),
                                    code="csv-language-column"))
            columns.append(Column(None))
            continue
        slot = (key, language) if not part else (f"{key}/{normalise(name)}", "")
        if slot in seen:
            first = seen[slot]
            also = f" (also as `{first}`)" if first != raw.strip() else ""
            problems.append(Problem(at, f"column `{raw.strip()}` appears twice{also}; keep one",
                                    code="csv-duplicate-column"))
            columns.append(Column(None))
            continue
        seen[slot] = raw.strip()
        columns.append(Column(key, language, part))
    return columns, problems


def rows_as_nodes(text: str, display: str, list_fields: Collection[str], max_rows: int,
                  fields: Collection[str] = ()) -> Iterator[Row]:
    """Yield (node, problems) for each data row; header problems come first as (None, …).

    `fields` are the record's field names (empty: take headers as they are).
    """
    first = text.split("\n", 1)[0]
    # spreadsheets set to French, German… locales save CSV with semicolons
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as e:
        yield None, [Problem(Location(display, 1), f"CSV error: {e}", code="csv-syntax")]
        return
    if not header:
        return
    if sum(1 for h in header if h.strip()) > MAX_CSV_COLUMNS:  # empty trailing columns are harmless
        yield None, [Problem(Location(display, 1), (
            f"more than {MAX_CSV_COLUMNS} columns; a recipient or signatory has far fewer fields"),
            code="csv-too-many-columns")]
        return
    known = fields or {normalise(h) for h in header}
    columns, problems = read_header(header, display, known, list_fields)
    if problems:
        yield None, problems
    previous = reader.line_num
    rows = 0
    while True:
        start = previous + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield None, [Problem(Location(display, start), f"CSV error: {e}; check the quotes",
                                 code="csv-syntax")]
            return
        previous = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        if rows > max_rows:
            yield None, [Problem(Location(display, start), (
                f"more than {max_rows:,} rows; split the file or raise "
                "`limits.max_csv_rows` in clarion.yaml"), code="csv-too-many-rows")]
            return
        yield _row_node(columns, row, display, start, list_fields)


def _scalar(value: str, name: str, line: int, column: int) -> ScalarNode:
    mark = yaml.Mark(name, 0, line - 1, column, None, None)  # type: ignore[arg-type]
    # An empty cell is "not given"; anything else is text exactly as typed.
    style = None if value == "" else '"'
    return ScalarNode("tag:yaml.org,2002:str", value, mark, mark, style=style)


def _row_node(columns: list[Column], row: list[str], display: str, line: int,
              list_fields: Collection[str]) -> Row:
    problems: list[Problem] = []
    if len(row) > len(columns):
        problems.append(Problem(Location(display, line), (
            f"row has {len(row)} cells but the header has {len(columns)} columns; "
            "quote cells that contain commas"), code="csv-row-cells"))
        return None, problems
    plain: dict[str, tuple[ScalarNode, yaml.Node]] = {}
    per_language: dict[str, list[tuple[ScalarNode, yaml.Node]]] = {}
    parts: dict[str, list[tuple[str, str, int]]] = {}
    for number, (column, cell) in enumerate(zip(columns, row, strict=False)):
        if column.field is None:
            continue
        if len(cell) > MAX_CSV_FIELD_CHARS:
            problems.append(Problem(Location(display, line), (
                f"{column.field}: cell longer than {MAX_CSV_FIELD_CHARS:,} characters"),
                code="csv-cell-too-long"))
            continue
        cell = cell.strip()
        if column.part:
            if cell:
                parts.setdefault(column.field, []).append((column.part, cell, number))
            continue
        key = _scalar(column.field, display, line, number)
        if column.language:
            if cell:
                per_language.setdefault(column.field, []).append(
                    (_scalar(column.language, display, line, number),
                     _scalar(cell, display, line, number)))
            continue
        value: yaml.Node
        if column.field in list_fields and cell:
            items = [_scalar(v, display, line, number) for v in LIST_SPLIT.split(cell) if v]
            value = SequenceNode("tag:yaml.org,2002:seq", items, key.start_mark, key.end_mark)
        else:
            value = _scalar(cell, display, line, number)
        plain[column.field] = (key, value)
    for name, found in parts.items():
        _join_parts(plain, name, found, display, line, list_fields)
    for name, pairs in per_language.items():
        key = _scalar(name, display, line, 0)
        given = plain.get(name)
        if given is not None and isinstance(given[1], ScalarNode) and given[1].value:
            # the plain column, keyed '' (any language), serves languages without a column
            pairs.insert(0, (_scalar("", display, line, 0), given[1]))
        plain[name] = (key, MappingNode("tag:yaml.org,2002:map", pairs, key.start_mark,
                                        key.end_mark))
    mark = yaml.Mark(display, 0, line - 1, 0, None, None)  # type: ignore[arg-type]
    return MappingNode("tag:yaml.org,2002:map", list(plain.values()), mark, mark), problems


def _join_parts(plain: dict[str, tuple[ScalarNode, yaml.Node]], name: str,
                found: list[tuple[str, str, int]], display: str, line: int,
                list_fields: Collection[str]) -> None:
    """`First name` + `Last name` → one name (unless a whole-name cell is filled); `Street`,
    `Postcode`, `City` → address lines after any `address` cell's: each street cell a line,
    then postcode and city on one."""
    column = found[0][2]
    if name not in list_fields:
        given = plain.get(name)
        if given is not None and isinstance(given[1], ScalarNode) and given[1].value:
            return
        text = " ".join(v for part in ("first", "last") for p, v, _ in found if p == part)
        plain[name] = (_scalar(name, display, line, column), _scalar(text, display, line, column))
        return
    lines = [v for p, v, _ in found if p == "street"]
    town = " ".join(v for part in ("postcode", "city") for p, v, _ in found if p == part)
    lines += [town] if town else []
    before = plain.get(name)
    items = list(before[1].value) if before is not None and isinstance(
        before[1], SequenceNode) else []
    items += [_scalar(v, display, line, column) for v in lines]
    key = _scalar(name, display, line, column)
    plain[name] = (key, SequenceNode("tag:yaml.org,2002:seq", items, key.start_mark,
                                     key.end_mark))
