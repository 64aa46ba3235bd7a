"""The private fields of the cases, as plain values, and tracing a leaked one back to its line."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..limits import DEFAULTS
from . import yamlio
from .model import Workspace, texts_of


@dataclass(frozen=True)
class PrivateValue:
    """One private text of a case: whose, which field (`private.family`, `events[2].text`), from
    which case file (relative to the workspace), and the text itself (never shown)."""

    case: str
    field: str
    file: str
    text: str


class PrivateValues(list[PrivateValue]):
    """The private values of a workspace, with its public text beside them (`public`): every
    reader-facing value of every record but the private ones (`public_texts`). The privacy scan
    searches the runs of a private value's words that the public text does not show."""

    public: tuple[str, ...] = ()


def private_values(ws: Workspace) -> PrivateValues:
    """Every private text of every case: its `private:` values and its private events' text,
    place and court (in each language given); `.public` is the workspace's public text."""
    found = PrivateValues()
    found.public = tuple(public_texts(ws))
    for case in ws.cases.values():
        file = case.loc.path if case.loc else f"cases/{case.id}.yaml"
        texts = _strings(case.private, "private")
        for i, event in enumerate(case.events):
            if event.private:
                name = f"events[{i}]"
                texts += [(f"{name}.text", t) for t in (event.text.all() if event.text else [])]
                texts += [(f"{name}.place", t) for t in texts_of(event.place)]
                texts += [(f"{name}.court", t) for t in texts_of(event.court)]
        found += [PrivateValue(case.id, field, file, text) for field, text in texts]
    return found


#: fields that are not reader-facing text: where a record was read from, and load options
_NOT_TEXT = frozenset({"loc", "locs", "body_loc", "seen", "options", "root"})
#: a case's `private:` block; on an event, the flag that keeps the whole event private
PRIVATE = "private"


def is_private(value: object) -> bool:
    """Whether a record is private as a whole: an event marked `private: true`."""
    return getattr(value, PRIVATE, None) is True


def without_private(record: object, skip: frozenset[str] = frozenset()
                    ) -> Iterator[tuple[str, object]]:
    """(name, value) of each field of a record that a document may be made from: not its
    `private:` block (nor an event's private flag), nor the fields named in `skip`. The
    caller leaves out private records inside the values (`is_private`)."""
    assert dataclasses.is_dataclass(record)
    for f in dataclasses.fields(record):
        if f.name != PRIVATE and f.name not in skip:
            yield f.name, getattr(record, f.name)


def public_texts(ws: Workspace) -> Iterator[str]:
    """Every public value of the workspace's records as text: each field of each case (but
    its `private:` block and private events), recipient and signatory, each campaign's date
    and the settings; dates in ISO form. Not the campaigns' text: a body is where a private
    value gets typed by mistake, and what it shows must not count as public."""
    for campaign in ws.campaigns.values():
        yield campaign.date.isoformat()
    for records in (ws.cases, ws.recipients, ws.signatories):
        for key, record in records.items():
            yield key
            yield from _public(record, 0)
    yield from _public(ws.settings, 0)


def _public(value: object, depth: int) -> Iterator[str]:
    if depth > 32:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, (dt.date, dt.datetime)):
        yield value.isoformat()
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        if is_private(value):
            return
        for _, field_value in without_private(value, _NOT_TEXT):
            yield from _public(field_value, depth + 1)
    elif isinstance(value, Mapping):
        for k, v in value.items():
            yield str(k)
            yield from _public(v, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from _public(v, depth + 1)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)
    elif value is not None and not isinstance(value, bool) and hasattr(value, "value"):
        yield str(value.value)  # an enumeration


def _strings(value: object, path: str) -> list[tuple[str, str]]:
    """(dotted field path, text) of every value under `value`."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{path}.{k}")]
    if isinstance(value, (list, tuple)):
        return [s for i, v in enumerate(value) for s in _strings(v, f"{path}[{i}]")]
    if value is None or isinstance(value, bool):
        return []
    return [(path, str(value))]


def trace_leak(root: Path, file: str, field: str, holds: Callable[[str], bool]
               ) -> tuple[str, str | None]:
    """Where a leaked private string comes from: the line of its field in the case file
    (`cases/x.yaml:12`), and the first line of a template or campaign file that writes it
    out itself (`holds(line)` says whether a line shows it), or None when it came through
    the data. Read only when a leak is reported, so a build keeps no lines of private values."""
    return _field_line(root, file, field), _written_by(root, holds)


def _field_line(root: Path, file: str, field: str) -> str:
    try:
        node = yamlio.load_node(root / file, file)
    except (yamlio.YamlProblem, OSError):
        return file
    for part in re.findall(r"[^.\[\]]+", field):
        if isinstance(node, yamlio.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
        elif isinstance(node, yamlio.SequenceNode) and part.isdigit() and \
                int(part) < len(node.value):
            node = node.value[int(part)]
        else:
            return file
        if node is None:
            return file
    return f"{file}:{node.start_mark.line + 1}" if node is not None else file


def _written_by(root: Path, holds: Callable[[str], bool]) -> str | None:
    from .load import workspace_files
    for folder in ("templates", "campaigns"):
        if (root / folder).is_symlink():
            continue
        for path in workspace_files(root / folder):
            try:
                text = yamlio.read_workspace_file(root, path.relative_to(root),
                                                  DEFAULTS.max_file_bytes)
            except OSError:
                continue
            for i, line in enumerate(text.decode("utf-8", "replace").split("\n")):
                if holds(line):
                    return f"{path.relative_to(root).as_posix()}:{i + 1}"
    return None
