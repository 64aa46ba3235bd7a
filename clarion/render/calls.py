"""Footnote calls side by side: in the order of their numbers, and separated by a comma."""
from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Callable

from markdown.treeprocessors import Treeprocessor


class SeparatedCalls(Treeprocessor):
    """Calls of endnotes (the published HTML): "injuries.¹,²" and "arrested.¹,³", never "¹²"
    or "³¹" (read as 12 and 31)."""

    def run(self, root: etree.Element) -> None:
        for parent, run in _runs(root):
            _reorder(parent, run, lambda c: int("".join(c.itertext()) or 0), commas=True)


def order_calls(root: etree.Element) -> None:
    """Calls side by side put in the order their notes will be numbered (first called, first
    numbered), before they become footnotes; the footnotes' own code separates them."""
    first: dict[str, int] = {}
    for sup in root.iter("sup"):
        if _is_call(sup):
            first.setdefault(_key(sup), len(first) + 1)
    for parent, run in _runs(root):
        _reorder(parent, run, lambda c: first[_key(c)], commas=False)


def _key(call: etree.Element) -> str:
    return call.get("id", "").split(":", 1)[-1]


def _is_call(node: etree.Element) -> bool:
    return node.tag == "sup" and node.get("id", "").startswith("fnref")


def _runs(root: etree.Element) -> list[tuple[etree.Element, list[etree.Element]]]:
    """Each run of two calls or more with no text between them, with its parent."""
    found = []
    for parent in list(root.iter()):
        run: list[etree.Element] = []
        for child in [*list(parent), None]:
            if child is not None and _is_call(child) and run and \
                    not (run[-1].tail or "").strip():
                run.append(child)
                continue
            if len(run) > 1:
                found.append((parent, run))
            run = [child] if child is not None and _is_call(child) else []
    return found


def _reorder(parent: etree.Element, run: list[etree.Element],
             number: Callable[[etree.Element], int], commas: bool) -> None:
    at = list(parent).index(run[0])
    tail = run[-1].tail
    for call in run:
        parent.remove(call)
        call.tail = None
    ordered = sorted(run, key=number)
    for i, call in enumerate(ordered):
        if i and commas:
            comma = etree.Element("sup")
            comma.text = ","
            parent.insert(at, comma)
            at += 1
        parent.insert(at, call)
        at += 1
    ordered[-1].tail = tail
