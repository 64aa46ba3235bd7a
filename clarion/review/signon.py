"""`clarion signon import`: a sign-on form's export turned into rows of a signatories CSV —
each response understood, duplicates merged, suspicious ones held back — and what to report.

Nothing is written here: `import_signon` returns the file's new bytes (the old file's bytes
unchanged, new rows after them) and the report; the command line writes the file.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import io
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from ..errors import ClarionError
from ..workspace.csvio import field_for, normalise
from ..workspace.derived import slug, unique
from ..workspace.records import SIGNATORY_FIELDS
from .signon_columns import INDIVIDUAL, NO, NO_ANSWER, NO_ORGANISATION, Columns, read_columns
from .signon_names import CloseNames, country_code, match_key, spam_signs

#: the columns of a new signatories file; a file that exists keeps its own
OUT_COLUMNS = ("id", "organisation", "person", "title", "country", "groups", "extra:contact",
               "extra:email", "extra:signed", "extra:website", "extra:comment", "extra:review",
               "extra:response")
#: how alike two names must be (difflib's ratio) to be shown as possibly one signatory
CLOSE = 0.88
#: what a spreadsheet program would run as a formula when the file is opened in it
FORMULA = ("=", "+", "-", "@", "\t", "\r")
#: the cells printed in a letter (a formula there is held back; elsewhere it is defused)
PRINTED = ("organisation", "person", "title", "country")


@dataclass(frozen=True)
class Response:
    """One row of the export, understood."""

    line: int
    fingerprint: str          # what a later import recognises it by
    name: str                 # as it will be printed: the organisation, or the person
    individual: bool
    values: dict[str, str]    # column → value, as OUT_COLUMNS names them
    email: str = ""
    signs: tuple[str, ...] = ()
    unknown_country: str = ""

    @functools.cached_property
    def key(self) -> tuple[bool, str]:
        return self.individual, match_key(self.name)


@dataclass(frozen=True)
class Listed:
    """A signatory already in the file: its line, id, name and match key."""

    line: int
    id: str
    name: str
    key: tuple[bool, str]


@dataclass
class Entry:
    """A new signatory: the response kept and those merged into it."""

    response: Response
    id: str = ""
    merged: list[Response] = field(default_factory=list)
    review: list[str] = field(default_factory=list)


@dataclass
class Imported:
    """What an import found: the file's new bytes (None: nothing to add) and the report."""

    data: bytes | None
    entries: list[Entry] = field(default_factory=list)
    columns: Columns | None = None
    responses: int = 0
    unchanged: int = 0
    already: list[tuple[Response, Listed]] = field(default_factory=list)
    left_out: list[tuple[int, str, str]] = field(default_factory=list)  # line, name, why
    encoding: str = "UTF-8"


def decode(data: bytes) -> tuple[str, str]:
    """The export's text and what it was read as: UTF-8 (with or without the mark spreadsheets
    add), UTF-16 (Excel's "Unicode text"), else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def _rows(text: str, shown: str) -> tuple[str, list[tuple[int, list[str]]]]:
    """The delimiter (`,`, `;` or tab, from the header) and each row with its first line."""
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for row in reader:
            rows.append((previous + 1, row))
            previous = reader.line_num
    except csv.Error as e:
        raise ClarionError(f"{shown}:{previous + 1}: not a CSV file this can read ({e}); "
                           "download the responses again as CSV") from None
    return delimiter, rows


def _cell(columns: Columns, row: list[str], role: str) -> str:
    """The first non-empty answer of a role's columns; `-`, `n/a`, `none` are no answer."""
    for i in columns.index(role):
        if i < len(row) and row[i].strip():
            text = " ".join(row[i].split())
            return "" if role != "consent" and NO_ANSWER.match(text) else text
    return ""


def understand(columns: Columns, line: int, row: list[str]) -> Response | tuple[str, str]:
    """A response as a signatory, or (its name, why it is left out)."""
    def cell(role: str) -> str:
        return _cell(columns, row, role)
    person = cell("person") or " ".join(p for p in (cell("first"), cell("last")) if p)
    organisation = cell("organisation")
    if NO_ORGANISATION.match(organisation):
        organisation = ""
    capacity = cell("capacity")
    individual = not organisation or bool(capacity and INDIVIDUAL.search(capacity))
    name = person if individual else organisation
    if columns.index("consent") and (not cell("consent") or NO.match(cell("consent"))):
        return name, "did not agree to be listed" + (
            f" (answered “{cell('consent')}”)" if cell("consent") else " (no answer)")
    if not name:
        return "", "no name"
    country_text = cell("country")
    code = country_code(country_text) if country_text else None
    role = ", ".join(p for p in (cell("title"), cell("affiliation"),
                                 organisation if individual else "") if p)
    values = {"organisation": "" if individual else organisation,
              "person": person if individual else "", "title": role if individual else "",
              "country": code or country_text,
              "extra:contact": "" if individual else ", ".join(p for p in (person, role) if p),
              "extra:email": cell("email"), "extra:signed": cell("timestamp"),
              "extra:website": cell("website"), "extra:comment": cell("comment")}
    cells = "\x1f".join(" ".join(c.split()) for c in row).encode("utf-8")
    signs = [s for text in {name, person} if text for s in spam_signs(text)]
    if any(values[k].startswith(("=", "+", "@")) for k in PRINTED):
        signs.append("starts like a spreadsheet formula (=, +, @)")
    return Response(line, hashlib.sha256(cells).hexdigest()[:12], name, individual, values,
                    cell("email").casefold(), tuple(dict.fromkeys(signs)),
                    country_text if country_text and not code else "")


@dataclass
class Existing:
    """The signatories file as it is: its bytes, header, ids, names and the responses it
    already holds (`extra:response`)."""

    data: bytes = b""
    header: list[str] = field(default_factory=list)
    delimiter: str = ","
    listed: list[Listed] = field(default_factory=list)
    fingerprints: set[str] = field(default_factory=set)


def _header_field(cell: str) -> str | None:
    name, _, sub = cell.partition(":")
    key, part = field_for(normalise(name), SIGNATORY_FIELDS)
    if key == "extra" and sub.strip():
        return f"extra:{normalise(sub)}"
    return key if key and not part and not sub.strip() else None


def read_existing(data: bytes | None, shown: str) -> Existing:
    if not data:
        return Existing()
    text, _ = decode(data)
    delimiter, rows = _rows(text, shown)
    if not rows:
        return Existing(data)
    header = rows[0][1]
    fields = [_header_field(h) for h in header]
    found = Existing(data, header, delimiter)
    for line, row in rows[1:]:
        got = {f: v.strip() for f, v in zip(fields, row, strict=False) if f}
        found.fingerprints.update(p.strip() for p in got.get("extra:response", "").split("|")
                                  if p.strip())
        organisation, person = got.get("organisation", ""), got.get("person", "")
        name = organisation or person
        if name:
            found.listed.append(Listed(line, got.get("id", ""), name,
                                       (not organisation, match_key(name))))
    return found


def import_signon(export: bytes, shown: str, existing: bytes | None, out_shown: str,
                  group: str, taken: Collection[str] = ()) -> Imported:
    """The new rows of `out_shown` for the responses of the export `export` that it does not
    hold yet (the ids in `taken`, used elsewhere in the workspace, are not given again)."""
    text, encoding = decode(export)
    _, rows = _rows(text, shown)
    rows = [(line, row) for line, row in rows if any(c.strip() for c in row)]
    if not rows:
        raise ClarionError(f"{shown}: the file is empty; download the responses again as CSV")
    columns = read_columns(rows[0][1])
    if not {"organisation", "person", "first", "last"} & set(filter(None, columns.roles)):
        raise ClarionError(f"{shown}:1: no column holds names (looked for `Organisation name`, "
                           "`Your name`, `Name`, `Nom`, `Имя`…); rename the column of names")
    old = read_existing(existing, out_shown)
    result = Imported(None, columns=columns, responses=len(rows) - 1, encoding=encoding)
    by_key = {listed.key: listed for listed in old.listed}
    new: dict[tuple[bool, str], Entry] = {}
    for line, row in rows[1:]:
        got = understand(columns, line, row)
        if isinstance(got, tuple):
            result.left_out.append((line, *got))
        elif got.fingerprint in old.fingerprints:
            result.unchanged += 1
        elif got.key in by_key:
            result.already.append((got, by_key[got.key]))
        elif got.key in new:
            _merge(new[got.key], got)
        else:
            new[got.key] = Entry(got)
    result.entries = list(new.values())
    _review(result.entries, old.listed)
    ids = {*taken, *(listed.id for listed in old.listed)}
    for entry in result.entries:
        entry.id = unique(slug(entry.response.name) or "signatory", ids)
        ids.add(entry.id)
    if result.entries:
        result.data = _written(old, result.entries, group)
    return result


def _merge(entry: Entry, other: Response) -> None:
    """`other` says again what `entry` says: the cleaner spelling is kept (one without spam
    signs, else the first), its empty cells filled from the other; both responses recorded."""
    first = entry.response
    keep, drop = (other, first) if first.signs and not other.signs else (first, other)
    values = {k: v or drop.values.get(k, "") for k, v in keep.values.items()}
    entry.merged.append(drop)
    entry.response = replace(keep, values=values)


def _review(entries: list[Entry], listed: list[Listed]) -> None:
    """What to check by hand: spam signs, names close to another's (a typo, or two
    signatories), and an e-mail address used twice."""
    seen = {True: CloseNames(CLOSE), False: CloseNames(CLOSE)}
    for li in listed:
        seen[li.key[0]].add(li.key[1], f"line {li.line} of the list “{li.name}” ({li.id})")
    emails: dict[str, Entry] = {}
    for entry in entries:
        r = entry.response
        entry.review.extend(r.signs)
        said = seen[r.individual].find(r.key[1])
        if said:
            entry.review.append(f"looks like {said}")
        if r.email and r.email in emails:
            first = emails[r.email].response
            entry.review.append(f"same e-mail as line {first.line} “{first.name}”")
        if r.email:
            emails.setdefault(r.email, entry)
        seen[r.individual].add(r.key[1], f"line {r.line} “{r.name}”")


def _written(old: Existing, entries: list[Entry], group: str) -> bytes:
    """The old file's bytes, then a row for each new signatory in its columns."""
    header = old.header or list(OUT_COLUMNS)
    fields = [_header_field(h) for h in header] if old.header else list(OUT_COLUMNS)
    out = io.StringIO()
    ending = "\r\n" if b"\r\n" in old.data else "\n"
    writer = csv.writer(out, delimiter=old.delimiter, lineterminator=ending)
    if not old.header:
        writer.writerow(header)
    for entry in entries:
        r = entry.response
        values = {**r.values, "id": entry.id, "groups": "" if entry.review else group,
                  "extra:review": "; ".join(entry.review),
                  "extra:response": " | ".join(
                      [r.fingerprint, *(m.fingerprint for m in entry.merged)])}
        writer.writerow([_defused(f, values.get(f, "")) if f else "" for f in fields])
    data = old.data
    if data and not data.endswith((b"\n", b"\r")):
        data += ending.encode("ascii")
    return data + out.getvalue().encode("utf-8")


def _defused(column: str, value: str) -> str:
    """A cell never printed (`extra:…`) that a spreadsheet would run as a formula, behind the
    apostrophe spreadsheets read as "text"; printed cells are held back for review instead."""
    if column.startswith("extra:") and value.startswith(FORMULA):
        return "'" + value
    return value
