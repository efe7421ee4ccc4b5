"""Issue 29 as a researcher walks it, in headless Chromium at 390 and 1400 px, on the
multi-document fixture corpus: find the Algoritmeregister by typing part of its name, the
AI-verordening by 'AI Act', a document two clicks from the home page, an example run with a
name typed in its field, a shared link that reopens the same query and result, tabs kept across
a reload, a labelled download that a spreadsheet reads. Every page is loaded with outside hosts
unresolvable (no network) and every request outside the server refused and recorded; none may
be made.

Screenshots go to the test's temporary folder, or to KG_SCREENSHOTS when set (the ones in
docs/screenshots/ were made with KG_SCREENSHOTS=docs/screenshots).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from kg.pipeline.build import build
from tests.golden.corpus import corpus_project
from tests.support import PROJECT
from tests.support.browser import (
    CHROMIUM_ARGS,
    FINISHED,
    ROWS,
    TABLE,
    WIDTHS,
    assert_no_sideways_scroll,
    chromium_path,
    editor_text,
    run,
)
from tests.support.live_server import running_server

COUNTS = """PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
SELECT ?type (COUNT(?i) AS ?instruments) WHERE {
  ?i a aip:NationalInstrument ; aip:instrumentType ?type
} GROUP BY ?type ORDER BY DESC(?instruments)"""
# No network: every host but the loopback address fails to resolve.
OFFLINE = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("finding-browser")
    build(corpus_project(root / "project"), root / "store", PROJECT.ontology)
    with running_server(root / "store") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=[*CHROMIUM_ARGS, *OFFLINE]
        )
        yield browser
        browser.close()


class Outside:
    """The requests a page tried to send anywhere but the server (each refused)."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.urls: list[str] = []

    def route(self, route) -> None:
        url = route.request.url
        if url.startswith((self.server, "blob:", "data:")):
            route.continue_()
        else:
            self.urls.append(url)
            route.abort()


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def visit(browser, server: str, request):
    """A fresh browser context (its own storage) at one width, in Dutch; yields the page, and
    checks afterwards that it asked nothing outside the server."""
    width = request.param
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="nl-NL", accept_downloads=True
    )
    outside = Outside(server)
    context.route("**/*", outside.route)
    page = context.new_page()
    page.width = width
    yield page
    context.close()
    assert not outside.urls, f"the page asked for outside resources: {outside.urls}"


def shot(page, name: str, tmp_path: Path, show: str | None = None) -> None:
    """A screenshot of the window (scrolled to ``show`` if given); in KG_SCREENSHOTS as a
    small PNG (64 colours) for the documentation, else in the test's folder."""
    if show:
        page.locator(show).first.scroll_into_view_if_needed()
    folder = Path(os.environ["KG_SCREENSHOTS"]) if os.environ.get("KG_SCREENSHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{page.width}.png"
    page.screenshot(path=str(path))
    if os.environ.get("KG_SCREENSHOTS"):
        from PIL import Image  # matplotlib's dependency; only for the documentation's copies

        with Image.open(path) as image:
            image.convert("RGB").quantize(colors=64).save(path, optimize=True)


def test_typing_algoritmereg_finds_the_algoritmeregister(visit, server: str, tmp_path) -> None:
    page = visit
    page.goto(server + "/")
    box = page.locator("header form.site-search input[name=q]")
    box.press_sequentially("algoritmereg")
    options = page.locator("#site-search-suggestions option")
    options.first.wait_for(state="attached")
    assert options.first.get_attribute("value") == "Algoritmeregister van de Nederlandse overheid"
    shot(page, "suggest-algoritmereg", tmp_path)
    box.press("Enter")  # the search page: the register first
    page.wait_for_selector("ol.search-results li")
    first = page.locator("ol.search-results li").first
    assert first.locator("a.label").get_attribute("href") == "/doc/instrument/algoritmeregister"
    assert "ook: Algoritmeregister" in first.inner_text()
    assert_no_sideways_scroll(page)
    shot(page, "search-algoritmereg", tmp_path)
    first.locator("a.label").click()
    page.wait_for_selector("article.resource h1")
    assert (
        page.text_content("article.resource h1") == "Algoritmeregister van de Nederlandse overheid"
    )


def test_ai_act_finds_the_ai_verordening(visit, server: str, tmp_path) -> None:
    page = visit
    page.goto(server + "/")
    page.fill("header form.site-search input[name=q]", "AI Act")
    page.click("header form.site-search button")
    page.wait_for_selector("ol.search-results li")
    first = page.locator("ol.search-results li").first
    assert first.locator("a.label").inner_text() == "AI-verordening"
    assert first.locator(".kind").inner_text() == "EU-initiatief"
    assert_no_sideways_scroll(page)
    shot(page, "search-ai-act", tmp_path)


def test_a_document_is_two_clicks_from_the_home_page(visit, server: str, tmp_path) -> None:
    page = visit
    page.goto(server + "/")
    page.click("header nav a[href='/documents']")  # one
    page.wait_for_selector("table.index-table tbody tr")
    assert page.locator("table.index-table tbody tr").count() == 15  # tests/golden/corpus.py
    assert_no_sideways_scroll(page)
    shot(page, "documents", tmp_path)
    newest = page.locator("table.index-table tbody tr").first.locator("td a").first
    assert newest.get_attribute("href") == "/doc/document/ah-tk-20262027-312"
    newest.click()  # two
    page.wait_for_selector(".doc-text section.question")
    assert page.url == server + "/doc/document/ah-tk-20262027-312"
    assert_no_sideways_scroll(page)


def test_an_example_runs_with_a_name_typed_in_its_field(visit, server: str, tmp_path) -> None:
    page = visit
    page.goto(server + "/")
    page.select_option("#example", "entity-passages")
    field = page.locator("#param-entity")
    assert field.input_value() == "Nationaal Agentschap voor Disruptieve Innovatie"
    field.fill("")
    field.press_sequentially("algoritmeregister")
    page.evaluate("delete document.body.dataset.queryState")
    page.click("#run-with")
    page.wait_for_selector(FINISHED)
    page.wait_for_selector(ROWS)
    query = editor_text(page)
    assert (
        "VALUES (?entity) { (<https://w3id.org/ai-beleid/id/instrument/algoritmeregister>) }"
        in query
    )
    cells = page.locator(f"{TABLE} tbody").inner_text()
    assert "Algoritmeregister" in cells and "Nationaal Agentschap" not in cells
    assert_no_sideways_scroll(page)
    shot(page, "example-with-a-name", tmp_path, show=".tabPanel.active .yasr_header")


def test_a_shared_link_reopens_the_query_and_result(visit, browser, server: str, tmp_path) -> None:
    page = visit
    page.goto(server + "/")
    page.select_option("#example", "commitments")
    run(page)
    page.wait_for_selector(ROWS)
    rows = page.locator(ROWS).count()
    query = editor_text(page)
    page.click(".tabPanel.active .yasqe_share")
    shared = page.locator(".tabPanel.active .yasqe_sharePopup input").first.input_value()
    assert shared.startswith(server + "/")
    other = browser.new_context(viewport={"width": page.width, "height": 900}, locale="nl-NL")
    opened = other.new_page()  # another browser: nothing kept from the first
    opened.goto(shared)
    opened.wait_for_selector(ROWS)
    assert opened.evaluate("window.kgEditor.getValue()") == query
    assert opened.locator(ROWS).count() == rows
    opened.width = page.width
    shot(opened, "shared-link", tmp_path, show=".tabPanel.active .yasr_header")
    other.close()


def test_a_reload_keeps_the_tabs(visit, server: str, tmp_path) -> None:
    page = visit
    page.goto(server + "/")
    page.select_option("#example", "instruments")
    page.select_option("#example", "stances")
    tabs = page.locator(".yasgui .tabsList .tab").all_inner_texts()
    assert any("Beleidsinstrumenten" in t for t in tabs) and any("Standpunten" in t for t in tabs)
    page.reload()
    page.wait_for_selector(".yasgui .tabsList .tab")
    assert page.locator(".yasgui .tabsList .tab").all_inner_texts() == tabs
    shot(page, "tabs-after-reload", tmp_path)
    assert "stances" in editor_text(page) or "aip:Stance" in editor_text(page)


def test_a_download_opens_in_a_spreadsheet_with_labels(visit, server: str) -> None:
    page = visit
    page.goto(server + "/")
    page.select_option("#example", "commitments-by-whom")
    with page.expect_download() as download:
        page.click("#download-csv")
    assert download.value.suggested_filename.startswith("commitments-by-whom-")
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # UTF-8 with BOM, CRLF rows
    text = raw.decode("utf-8-sig")
    assert csv.Sniffer().sniff(text[:2000]).delimiter == ","
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    labelled = [c for c in rows[0] if c.endswith("Label")]
    assert labelled, list(rows[0])
    for column in labelled:
        iris = [r[column[:-5]] for r in rows if r[column[:-5]].startswith("https://")]
        named = [r[column] for r in rows if r[column[:-5]].startswith("https://") and r[column]]
        assert len(named) == len(iris), column  # every IRI has its label beside it
    assert any("W.J.M. Aerdts" in r.values() for r in rows)


def test_the_page_works_with_no_network(visit, server: str, tmp_path) -> None:
    # The context refuses every outside request (checked after the test) and the browser cannot
    # resolve any host but the loopback address.
    page = visit
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(server + "/")
    page.wait_for_selector(".yasgui .CodeMirror")
    page.evaluate("text => void window.kgEditor.setValue(text)", COUNTS)
    run(page)
    page.wait_for_selector(ROWS)
    page.click(".tabPanel.active .yasr .select_chart")  # YASR with this project's chart
    bars = page.locator(".tabPanel.active .kg-chart-svg rect.kg-chart-bar")
    assert bars.count() >= 5
    assert (
        page.locator(".tabPanel.active .kg-chart-svg a")
        .first.get_attribute("href")
        .startswith("/doc/concept/instrument-type-")
    )
    assert_no_sideways_scroll(page)
    shot(page, "chart", tmp_path)
    for path in ("/search?q=NADI", "/documents", "/index/people", "/doc/person/aerdts"):
        page.goto(server + path)
    shot(page, "person-page", tmp_path)
    assert not violations, violations


def test_a_page_too_wide_is_named_with_what_sticks_out(browser) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.set_content('<body><p>fits</p><div id="wide" style="width: 900px">wide</div></body>')
    with pytest.raises(AssertionError, match=r"scrolls sideways at 390 px: \['div#wide right \d+"):
        assert_no_sideways_scroll(page)
    page.close()
