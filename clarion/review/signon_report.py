"""The report of `clarion signon import`, in words for the campaigner who decides who signs."""
from __future__ import annotations

from ..errors import printable
from .signon import Entry, Imported
from .signon_columns import ROLE_WORDS

#: the most items shown under one heading (the rest are counted)
SHOWN = 50


def _quoted(name: str) -> str:
    return f"“{printable(name)}”" if name else "(no name)"


def _items(lines: list[str]) -> list[str]:
    shown = [f"  {line}" for line in lines[:SHOWN]]
    if len(lines) > SHOWN:
        shown.append(f"  … and {len(lines) - SHOWN} more")
    return shown


def report_lines(result: Imported, shown: str, out_shown: str, group: str) -> list[str]:
    """The report, line by line: what was read and added, then what to decide."""
    lines = [f"Read {result.responses} response(s) from {printable(shown)}"
             + ("" if result.encoding == "UTF-8" else f" (as {result.encoding})") + "."]
    if result.columns is not None:
        used = [f"{printable(h.strip())} → {ROLE_WORDS[r]}"
                for h, r in zip(result.columns.headers, result.columns.roles, strict=True) if r]
        unused = [printable(h.strip()) for h, r in zip(result.columns.headers,
                                                        result.columns.roles, strict=True)
                  if not r and h.strip()]
        lines.append("Columns: " + " · ".join(used)
                     + (f"; not used: {', '.join(unused)}" if unused else ""))
    entries = result.entries
    held = [e for e in entries if e.review]
    people = sum(e.response.individual for e in entries)
    if entries:
        lines.append(
            f"Added {len(entries)} signator{'y' if len(entries) == 1 else 'ies'} to "
            f"{printable(out_shown)}: {len(entries) - people} organisation(s), {people} "
            f"individual(s); {len(entries) - len(held)} in the group {group}"
            + (f", {len(held)} held back to check (below)." if held else "."))
    else:
        lines.append(f"Nothing new to add to {printable(out_shown)}.")
    if result.unchanged:
        lines.append(f"Already imported earlier: {result.unchanged} response(s), left as they "
                     "are in the file (with your edits).")
    lines += _merged(entries)
    if result.already:
        lines += ["", f"Already in the list, not added again ({len(result.already)}):"]
        lines += _items([f"line {r.line} {_quoted(r.name)} = {listed.id or 'line ' + str(listed.line)}"
                         f" {_quoted(listed.name)}" for r, listed in result.already])
    if held:
        lines += ["", f"To check before the letter goes out ({len(held)}): written without "
                  f"the group; to keep one, put `{group}` in its groups cell (and correct the "
                  "name if needed); to refuse it, leave the cell empty — deleting the row "
                  "means the next import offers it again:"]
        lines += _items([f"line {e.response.line} {_quoted(e.response.name)} ({e.id}): "
                         + "; ".join(e.review) for e in held])
    if result.left_out:
        lines += ["", f"Left out ({len(result.left_out)}):"]
        lines += _items([f"line {line} {_quoted(name)}: {why}"
                         for line, name, why in result.left_out])
    unknown = [e.response for e in entries if e.response.unknown_country]
    if unknown:
        lines += ["", "Countries not recognised, kept as typed (write an ISO code such as "
                  "`GB` to have them translated):"]
        lines += _items([f"line {r.line} {_quoted(r.name)}: {_quoted(r.unknown_country)}"
                         for r in unknown])
    return lines


def _merged(entries: list[Entry]) -> list[str]:
    merged = [e for e in entries if e.merged]
    if not merged:
        return []
    count = sum(len(e.merged) for e in merged)
    lines = ["", f"Merged {count} duplicate(s) (same name but for case, accents, lookalike "
             "letters, punctuation, “The” or a country at the end; one row each):"]
    return lines + _items([
        f"line {e.response.line} {_quoted(e.response.name)} ({e.id}) ← "
        + ", ".join(f"line {m.line} {_quoted(m.name)}" + (f" ({'; '.join(m.signs)})"
                                                          if m.signs else "")
                    for m in e.merged) for e in merged])
