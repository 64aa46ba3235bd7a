"""The published HTML as a reader's browser lays it out (headless Chromium): nothing on top
of anything else."""
from __future__ import annotations

from itertools import combinations

import pytest
from browser import Box, boxes, open_file
from click.testing import CliRunner

from clarion.cli import main

pytestmark = pytest.mark.browser

#: the blocks a letter's first screen is made of, each of which must stand clear of the others
BLOCKS = ("header.letterhead, .letterhead", ".address-field .recipient", ".address-field .return",
          ".cover", ".copy-label", ".dateline", ".subject", ".salutation")


@pytest.fixture(scope="module")
def built(example_ws):
    result = CliRunner().invoke(main, ["--workspace", str(example_ws), "build", "--format",
                                       "html", "paris-meeting-2018"])
    assert result.exit_code == 0, result.output
    return example_ws / "build" / "paris-meeting-2018"


@pytest.mark.parametrize("recipient", ["emmanuel-macron", "azerbaijan-ambassador-france"])
def test_the_address_block_stands_clear_of_the_letter(browser, built, recipient):
    open_file(browser, built / f"{recipient}.html")
    laid_out = [box for selector in BLOCKS for box in boxes(browser, selector)]
    names = {box.selector for box in laid_out}
    assert {".address-field .recipient", ".subject", ".dateline"} <= names, names
    clashes = [(a.selector, b.selector) for a, b in combinations(laid_out, 2)
               if a.selector != b.selector and a.overlaps(b)
               and not (a.text in b.text or b.text in a.text)]   # one inside the other
    assert clashes == []


_LAID_OUT = """
const out = [];
function walk(element, path, depth) {
  Array.from(element.children).forEach((child, i) => {
    const here = path.concat([i]);
    const r = child.getBoundingClientRect();
    const style = getComputedStyle(child);
    if (r.width > 0 && r.height > 0 && style.visibility !== 'hidden'
        && !style.display.startsWith('inline')) {
      out.push([here.join('.'), child.tagName + '.' + child.className,
                r.left + scrollX, r.top + scrollY, r.width, r.height]);
    }
    if (depth < 3) walk(child, here, depth + 1);
  });
}
walk(document.body, [], 1);
return out;
"""


def test_no_block_of_any_example_document_lies_on_another(browser, example_outputs):
    """Every published page of the example (each kind, each recipient), as Chromium lays it
    out: no block or the blocks inside it lie on another one, except the one it sits in."""
    pages = sorted(example_outputs.rglob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        open_file(browser, page)
        found = browser.execute_script(_LAID_OUT)
        clashes = []
        for (path_a, what_a, *box_a), (path_b, what_b, *box_b) in combinations(found, 2):
            if path_b.startswith(path_a + ".") or path_a.startswith(path_b + "."):
                continue   # one inside the other
            a, b = Box(what_a, "", *box_a), Box(what_b, "", *box_b)
            if a.overlaps(b):
                clashes.append((what_a, what_b))
        assert clashes == [], page.name
