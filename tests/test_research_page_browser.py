"""The research page in headless Chromium (Debian's package, driven by Playwright): load it, run
an example query, see rows, follow a link to a resource page. A screenshot of each step is
written next to the test's temporary folder for a person to look at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.live_server import running_server

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "chromium is missing: tasks.py installs the Debian package 'chromium'"
    return path


@pytest.fixture(scope="module")
def server(seed_build):
    with running_server(seed_build.store) as base:
        yield base


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context.new_page()
        browser.close()


def test_run_an_example_and_follow_a_link(server: str, page, tmp_path: Path) -> None:
    blocked: list[str] = []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(server)
            else (blocked.append(route.request.url), route.abort())
        ),
    )
    page.goto(server + "/")
    assert page.title().startswith("AI-beleid kennisgraaf")
    page.select_option("#example", "questions")
    assert "Every question" in page.text_content("#example-summary")
    page.click("#run")
    page.wait_for_selector("table.results tbody tr")
    rows = page.locator("table.results tbody tr")
    assert rows.count() == 12
    assert "12 rijen / rows" in page.text_content("table.results caption")
    page.screenshot(path=str(tmp_path / "results.png"), full_page=False)

    link = page.locator("table.results tbody tr").first.locator("a").first
    assert link.get_attribute("href").startswith("/doc/document/2026D32673")
    link.click()
    page.wait_for_selector("article.resource h1")
    assert "/doc/document/2026D32673" in page.url
    page.screenshot(path=str(tmp_path / "resource.png"), full_page=False)
    assert not blocked, f"the page asked for outside resources: {blocked}"


def test_errors_are_shown(server: str, page) -> None:
    page.goto(server + "/")
    page.fill("#query", "SELECT * WHERE { ?s ?p }")
    page.click("#run")
    page.wait_for_selector("#error:not([hidden])")
    assert "400" in page.text_content("#error")
    assert "error at 1:" in page.text_content("#error")


def test_fact_page_highlights_the_span(server: str, page) -> None:
    page.goto(server + "/doc/document/2026D32673/mention/11710-11714")
    assert page.text_content(".passage mark") == "NADI"


def test_network_picture_and_explain_path(server: str, page, tmp_path: Path) -> None:
    page.goto(server + "/")
    page.wait_for_function(
        "document.getElementById('network').complete && "
        "document.getElementById('network').naturalWidth > 0",
        timeout=90_000,
    )
    page.fill("#path-from", "NFIA")
    page.fill("#path-to", "NADI")
    page.click("#path-form button[type=submit]")
    page.wait_for_selector("#path-steps li .passage", timeout=60_000)
    steps = page.locator("#path-steps > li")
    assert steps.count() >= 2
    assert "Netherlands Foreign Investment Agency" in steps.first.text_content()
    assert "antwoord 8" in page.text_content("#path-steps")
    page.locator("#analysis").screenshot(path=str(tmp_path / "analysis.png"))
    page.click("#path-steps > li >> nth=0 >> a >> nth=0")
    page.wait_for_load_state()
    assert "/doc/organisation/nfia" in page.url


def test_no_script_link_from_data_and_no_policy_violation(server: str, page) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(server + "/")
    query = (
        "SELECT ?x WHERE { VALUES ?x { <javascript:alert(1)> <data:text/html,x> "
        "<https://example.org/ok> } }"
    )
    page.fill("#query", query)
    page.click("#run")
    page.wait_for_selector("table.results tbody tr")
    hrefs = page.eval_on_selector_all("table.results a", "links => links.map(a => a.href)")
    assert any(h == "https://example.org/ok" for h in hrefs), hrefs
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))], hrefs
    page.goto(server + "/def/aip")  # the ontology page's inline style is allowed by its hash
    page.goto(server + "/doc/instrument/nadi")
    assert not violations, violations
