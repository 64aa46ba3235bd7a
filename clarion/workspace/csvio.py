"""CSV files of recipients or signatories, turned into the same located nodes YAML gives."""
from __future__ import annotations

import csv
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
#: other spellings of a field's name a spreadsheet header may use (after normalising)
ALIASES = {"e_mail": "email", "mail": "email", "email_address": "email",
           "organization": "organisation", "org": "organisation", "lang": "language",
           "groups_list": "groups", "group": "groups"}

Row = tuple[MappingNode | None, list[Problem]]


@dataclass(frozen=True)
class Column:
    """A header cell understood: the field it fills and, for `name:ru`, the language."""

    field: str | None  # None: unknown or unnamed, its cells are left out
    language: str = ""


def normalise(header: str) -> str:
    """`E-mail ` → `e_mail`, `Status as of` → `status_as_of`: case and spacing do not count."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def read_header(header: list[str], display: str, fields: Collection[str],
                list_fields: Collection[str] = ()) -> tuple[list[Column], list[Problem]]:
    """Each header cell matched to a field; each unknown or repeated column reported once."""
    from .schema import unknown_field_message
    at = Location(display, 1)
    columns: list[Column] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}
    for raw in header:
        name, _, language = raw.partition(":")
        key = normalise(name)
        key = key if key in fields else ALIASES.get(key, key)
        language = language.strip().lower()
        if not raw.strip():
            columns.append(Column(None))
            continue
        if key not in fields:
            problems.append(Problem(at, unknown_field_message(raw.strip(), fields),
                                    code="unknown-field"))
            columns.append(Column(None))
            continue
        if language and key in list_fields:
            problems.append(Problem(at, (f"column `{raw.strip()}`: {key} has no per-language "
                                         "columns; write those in a YAML file"),
                                    code="csv-language-column"))
            columns.append(Column(None))
            continue
        if (key, language) in seen:
            first = seen[(key, language)]
            also = f" (also as `{first}`)" if first != raw.strip() else ""
            problems.append(Problem(at, f"column `{raw.strip()}` appears twice{also}; keep one",
                                    code="csv-duplicate-column"))
            columns.append(Column(None))
            continue
        seen[(key, language)] = raw.strip()
        columns.append(Column(key, language))
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
    for number, (column, cell) in enumerate(zip(columns, row, strict=False)):
        if column.field is None:
            continue
        if len(cell) > MAX_CSV_FIELD_CHARS:
            problems.append(Problem(Location(display, line), (
                f"{column.field}: cell longer than {MAX_CSV_FIELD_CHARS:,} characters"),
                code="csv-cell-too-long"))
            continue
        cell = cell.strip()
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
