"""The research page in headless Chromium: how the browser tests start it, and how they drive
the page's editor (YASGUI, through the page's ``window.kgEditor``) and read its result table."""

from __future__ import annotations

import shutil
import time

from tests.support import markers

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = (390, 1400)
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# The elements whose right edge lies past the window, widest first: what a failure names.
TOO_WIDE = """() => [...document.body.querySelectorAll('*')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
  .slice(0, 5)
  .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}` +
    `${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''}` +
    ` right ${Math.round(e.getBoundingClientRect().right)} px`)"""


def assert_no_sideways_scroll(page, what: str = "the page") -> None:
    """The page, once loaded, fits the window's width; a failure names what sticks out."""
    page.wait_for_load_state("load")
    if not page.evaluate(NO_SIDEWAYS_SCROLL):
        width = page.evaluate("window.innerWidth")
        raise AssertionError(f"{what} scrolls sideways at {width} px: {page.evaluate(TOO_WIDE)}")


def wait_until(page, expression: str, seconds: float = 30) -> None:
    """Poll ``expression`` from the test side: Playwright's wait_for_function evaluates a
    string inside the page, which the pages' Content-Security-Policy (no eval) forbids."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {seconds:g} s: {expression}")
        time.sleep(0.1)


# The result table YASGUI draws (YASR's table plugin, with this project's labelled cells).
ROWS = ".tabPanel.active .yasr table.dataTable tbody tr"
TABLE = ".tabPanel.active .yasr table.dataTable"
FINISHED = "body[data-query-state=done], body[data-query-state=failed]"


def set_query(page, text: str) -> None:
    page.evaluate("text => void window.kgEditor.setValue(text)", text)


def editor_text(page) -> str:
    return page.evaluate("window.kgEditor.getValue()")


def run(page) -> None:
    """Run the editor's query and wait until its result (or its error) is shown."""
    page.evaluate("delete document.body.dataset.queryState")
    page.click("#run")
    page.wait_for_selector(FINISHED)


def run_query(page, server: str, query: str, wait_for: str = ROWS) -> None:
    """Open the research page, write ``query``, run it and wait for ``wait_for``."""
    page.goto(server + "/")
    set_query(page, query)
    run(page)
    page.wait_for_selector(wait_for)


def result_count(page) -> int:
    """Rows of the result (the table shows them in pages)."""
    return page.evaluate("window.kgEditor.yasgui.getTab().getYasr().results.getBindings().length")


def show_rows_with(page, words: str) -> None:
    """Filter the result table to the rows with ``words`` (YASR's filter field)."""
    field = page.locator(".tabPanel.active .yasr .tableFilter")
    field.fill("")
    field.press_sequentially(words)
    page.wait_for_timeout(300)


def chromium_path() -> str:
    markers.require("browser", "Chromium")
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "chromium is missing: tasks.py installs the Debian package 'chromium'"
    return path
