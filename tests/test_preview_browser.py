"""`clarion preview` in a real browser (headless Chromium): open the index, open a letter, edit
the case file and see the letter change by itself; plant a broken YAML and a broken template,
see each one's file and line, fix it and see it go; a private leak shows the privacy stop."""
from __future__ import annotations

import time

import pytest
from conftest import BASE, write_files
from test_preview import CASE, LETTER, PRIVATE, REAL, preview

pytestmark = pytest.mark.browser

#: how long a saved change may take to show (1–2 s on an idle machine; shared ones are slower)
UPDATE_SECONDS = 10


def _main_text(driver) -> str:
    driver.switch_to.default_content()
    return driver.find_element("id", "main").text


def _frame_text(driver, frame: str = "html") -> str:
    """The text of the page's document frame ('' while there is none)."""
    from selenium.common.exceptions import NoSuchElementException, WebDriverException
    driver.switch_to.default_content()
    try:
        driver.switch_to.frame(driver.find_element("id", frame))
        return driver.find_element("tag name", "body").text
    except (NoSuchElementException, WebDriverException):
        return ""
    finally:
        driver.switch_to.default_content()


def _until(driver, condition, what: str) -> float:
    """Wait for `condition(driver)`; the seconds it took."""
    from selenium.webdriver.support.ui import WebDriverWait
    started = time.monotonic()
    WebDriverWait(driver, UPDATE_SECONDS, poll_frequency=0.1).until(condition, what)
    return time.monotonic() - started


def test_edit_update_error_fix_in_the_browser(browser, make_ws):
    root = make_ws({CASE: BASE[CASE].replace(PRIVATE, REAL)})
    with preview(root) as running:
        browser.get(running.url)
        _until(browser, lambda d: "Release Ilgar Mammadov" in _main_text(d), "the index")
        links = {a.text: a for a in browser.find_elements("css selector", "a.document")}
        assert set(links) == {"Emmanuel Macron (emmanuel-macron)",
                              "Jean Asselborn (jean-asselborn)", "Simon Coveney (simon-coveney)"}
        links["Emmanuel Macron (emmanuel-macron)"].click()
        _until(browser, lambda d: "We write about Ilgar Mammadov." in _frame_text(d),
               "the letter")
        pdf = browser.find_element("id", "pdf").get_attribute("src")
        assert pdf.split("?")[0].endswith("/pdf/letter/emmanuel-macron")
        assert "cases/ilgar-mammadov.yaml:15: unsourced-event" in _main_text(browser)

        # an edit of the case's text: the letter changes by itself
        write_files(root, {CASE: BASE[CASE].replace(PRIVATE, REAL).replace(
            "name: Ilgar Mammadov", "name: Ilgar Mammadli")})
        took = _until(browser, lambda d: "We write about Ilgar Mammadli." in _frame_text(d),
                      "the edited letter")
        assert took < UPDATE_SECONDS
        assert browser.find_element("id", "pdf").get_attribute("src") != pdf  # loaded again

        # a broken YAML: its file and line, in place of the letter
        write_files(root, {CASE: BASE[CASE].replace(PRIVATE, REAL).replace("status: imprisoned",
                                                                      "status: [imprisoned")})
        _until(browser, lambda d: "cases/ilgar-mammadov.yaml:7: YAML syntax error"
               in _main_text(d), "the YAML error")
        assert "Not shown: a build of this document would stop here" in _main_text(browser)
        assert not browser.find_elements("id", "html")

        # fixed: the error goes, the letter is back
        write_files(root, {CASE: BASE[CASE].replace(PRIVATE, REAL)})
        _until(browser, lambda d: "We write about Ilgar Mammadov." in _frame_text(d)
               and "YAML syntax error" not in _main_text(d), "the fixed letter")

        # a broken template in the campaign's body: its line
        broken = BASE[LETTER].replace("{{ case.name }}.", "{{ case.name }.")
        write_files(root, {LETTER: broken})
        _until(browser, lambda d: "campaigns/letter.yaml:1" in _main_text(d)
               and not d.find_elements("id", "html"), "the template error")
        write_files(root, {LETTER: BASE[LETTER]})
        _until(browser, lambda d: "We write about Ilgar Mammadov." in _frame_text(d)
               and "campaigns/letter.yaml:1" not in _main_text(d), "the fixed template")

        # a private leak: the privacy stop, never the text
        write_files(root, {LETTER: BASE[LETTER].replace(
            "We write about {{ case.name }}.", "We write about {{ case.name }}. We thank "
            "Leyla Nurieva.")})
        _until(browser, lambda d: "private data of case ilgar-mammadov would appear"
               in _main_text(d), "the privacy stop")
        assert "Nurieva" not in browser.page_source and "Leyla" not in browser.page_source
        assert not browser.find_elements("id", "html")
        assert "live: updates as you save" in browser.find_element("id", "live").text
    assert running.process.returncode == 0, running.lines
    assert not (root / "build").exists()
