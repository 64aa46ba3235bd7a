"""Headless Chromium (Debian's `chromium` and `chromium-driver`) driven through Selenium.

Tests that need a browser take the `browser` fixture (tests/conftest.py). Without Chromium
they are skipped with the reason, except under CI (`CI=true`), where a missing browser is a
failure: `scripts/setup --tests` installs it.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
DRIVER = "chromedriver"


def _find() -> tuple[str, str] | None:
    binary = next((found for name in CHROMIUM if (found := shutil.which(name))), None)
    driver = shutil.which(DRIVER)
    return (binary, driver) if binary and driver else None


def start() -> Iterator[object]:
    """A headless Chromium session 1280×1600 px, closed afterwards (or a skip)."""
    found = _find()
    if found is None:
        reason = "Chromium and chromedriver are not installed (scripts/setup --tests installs them)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = found
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,1600",
                     "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@dataclass(frozen=True)
class Box:
    """Where an element is laid out on the page, in CSS pixels."""

    selector: str
    text: str
    left: float
    top: float
    width: float
    height: float

    def overlaps(self, other: Box) -> bool:
        """Whether the two boxes share any area (touching edges do not count)."""
        return (self.left < other.left + other.width and other.left < self.left + self.width
                and self.top < other.top + other.height and other.top < self.top + self.height)


_BOXES = """
return Array.from(document.querySelectorAll(arguments[0])).map(e => {
  const r = e.getBoundingClientRect();
  return [e.innerText.slice(0, 60), r.left + window.scrollX, r.top + window.scrollY,
          r.width, r.height];
}).filter(b => b[3] > 0 && b[4] > 0);
"""


def boxes(driver: object, selector: str) -> list[Box]:
    """The laid-out boxes of every visible element matching `selector`."""
    found = driver.execute_script(_BOXES, selector)  # type: ignore[attr-defined]
    return [Box(selector, *row) for row in found]


def open_file(driver: object, path: Path) -> None:
    """Load a local file as a reader opening it would."""
    driver.get(path.resolve().as_uri())  # type: ignore[attr-defined]
