"""The published HTML as a reader's browser lays it out (headless Chromium): nothing on top
of anything else."""
from __future__ import annotations

from itertools import combinations

import pytest
from browser import boxes, open_file
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
