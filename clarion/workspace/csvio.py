"""CSV files of recipients or signatories, turned into the same located nodes YAML gives."""
from __future__ import annotations

import csv
import io

import yaml

from ..errors import Location, Problem
from .yamlio import MappingNode, ScalarNode, SequenceNode

MAX_FIELD_CHARS = 10_000
MAX_COLUMNS = 100
LIST_SEPARATOR = " | "


def _scalar(value: str, name: str, line: int, column: int) -> ScalarNode:
    mark = yaml.Mark(name, 0, line - 1, column, None, None)
    # An empty cell is "not given"; anything else is text exactly as typed.
    style = None if value == "" else '"'
    return ScalarNode("tag:yaml.org,2002:str", value, mark, mark, style=style)


def rows_as_nodes(text: str, display: str, list_fields: set[str], max_rows: int):
    """Yield (node, problems) for each data row; header problems come first as (None, …)."""
    first = text.split("\n", 1)[0]
    # spreadsheets set to French, German… locales save CSV with semicolons
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as e:
        yield None, [Problem(Location(display, 1), f"CSV error: {e}")]
        return
    if not header:
        return
    header = [h.strip() for h in header]
    if sum(1 for h in header if h) > MAX_COLUMNS:  # empty trailing columns are harmless
        yield None, [Problem(Location(display, 1), (
            f"more than {MAX_COLUMNS} columns; a recipient or signatory has far fewer fields"))]
        return
    seen: set[str] = set()
    problems = []
    for h in header:
        if h and h in seen:
            problems.append(Problem(Location(display, 1), f"column `{h}` appears twice; keep one"))
        seen.add(h)
    if problems:
        yield None, problems
        return
    previous = reader.line_num
    rows = 0
    while True:
        start = previous + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield None, [Problem(Location(display, start), f"CSV error: {e}; check the quotes")]
            return
        previous = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        rows += 1
        if rows > max_rows:
            yield None, [Problem(Location(display, start), (
                f"more than {max_rows:,} rows; split the file or raise "
                "`limits.max_csv_rows` in clarion.yaml"))]
            return
        yield _row_node(header, row, display, start, list_fields)


def _row_node(header, row, display, line, list_fields):
    problems = []
    if len(row) > len(header):
        problems.append(Problem(Location(display, line), (
            f"row has {len(row)} cells but the header has {len(header)} columns; "
            "quote cells that contain commas")))
        return None, problems
    pairs = []
    mark = yaml.Mark(display, 0, line - 1, 0, None, None)
    for column, (name, cell) in enumerate(zip(header, row, strict=False)):
        if len(cell) > MAX_FIELD_CHARS:
            problems.append(Problem(Location(display, line), (
                f"{name}: cell longer than {MAX_FIELD_CHARS:,} characters")))
            continue
        cell = cell.strip()
        if not name and not cell:
            continue  # spreadsheets often add an empty, unnamed last column
        key = _scalar(name, display, line, column)
        if name in list_fields and cell:
            items = [_scalar(v.strip(), display, line, column)
                     for v in cell.split(LIST_SEPARATOR.strip()) if v.strip()]
            value = SequenceNode("tag:yaml.org,2002:seq", items, key.start_mark, key.end_mark)
        else:
            value = _scalar(cell, display, line, column)
        pairs.append((key, value))
    node = MappingNode("tag:yaml.org,2002:map", pairs, mark, mark)
    return node, problems
