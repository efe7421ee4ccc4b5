"""The research page in headless Chromium (Debian's package, driven by Playwright), at a phone's
width (390 px) and a desktop's (1400 px): run examples in YASGUI, read labels, get help with
prefixes, follow links to resource pages. Screenshots go to the test's temporary folder.
tests/test_finding_browser.py shows the issue-29 walk-throughs on the multi-document corpus."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from tests.support import PROJECT, loopback
from tests.support.browser import (
    CHROMIUM_ARGS,
    ROWS,
    TABLE,
    WIDTHS,
    assert_no_sideways_scroll,
    chromium_path,
    editor_text,
    result_count,
    run,
    run_query,
    set_query,
    show_rows_with,
    wait_until,
)
from tests.support.live_server import running_server


@pytest.fixture(scope="module")
def server(seed_build):
    with running_server(seed_build.store) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# One page per width for the module (a browser context costs a renderer process); each test
# starts with page.goto, so what one test leaves behind is replaced.
@pytest.fixture(scope="module", params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def page(browser, request):
    context = browser.new_context(viewport={"width": request.param, "height": 900}, locale="nl-NL")
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def desktop(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
    yield context.new_page()
    context.close()


def test_instruments_show_labels_and_fit_the_window(server: str, page, tmp_path: Path) -> None:
    blocked: list[str] = []

    def only_ours(route) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_ours)
    page.goto(server + "/")
    assert page.title().startswith("AI-beleid kennisgraaf")
    page.select_option("#example", "instruments")
    run(page)
    page.wait_for_selector(ROWS)
    assert result_count(page) >= 80
    cells = page.locator(f"{TABLE} tbody").inner_text()
    assert "id:concept/" not in cells and "id:organisation/" not in cells
    assert "@nl" not in cells and "xsd:" not in cells
    assert page.locator(f"{TABLE} tbody span.literal[title='@en']").count() >= 40
    show_rows_with(page, "Disruptieve")
    nadi = page.locator(f"{TABLE} tbody a[href='/doc/instrument/nadi']").first
    assert nadi.inner_text() == "Nationaal Agentschap voor Disruptieve Innovatie"  # nl-NL browser
    assert nadi.get_attribute("title") == "https://w3id.org/ai-beleid/id/instrument/nadi"
    type_link = page.locator(f"{TABLE} tbody a[title*='/id/concept/']").first
    assert type_link.get_attribute("title").startswith("https://w3id.org/ai-beleid/id/concept/")
    assert not type_link.inner_text().startswith("id:")
    assert_no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / "instruments.png"))
    assert not blocked, f"the page asked for outside resources: {blocked}"


def test_downloads_keep_the_iris_beside_their_labels(server: str, desktop) -> None:
    desktop.goto(server + "/")
    desktop.select_option("#example", "instruments")
    with desktop.expect_download() as download:
        desktop.click("#download-csv")
    assert download.value.suggested_filename.startswith("instruments-")
    rows = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("instrument,instrumentLabel,labelNl,labelEn,type,typeLabel")
    nadi = (
        "https://w3id.org/ai-beleid/id/instrument/nadi,National Agency for Disruptive Innovation,"
    )
    assert any(r.startswith(nadi) for r in rows)  # an en-GB browser: labels in English
    assert "https://w3id.org/ai-beleid/id/concept/" in "\n".join(rows)


def test_examples_leave_engine_notes_out(server: str, desktop) -> None:
    desktop.goto(server + "/")
    desktop.select_option("#example", "mentions")
    text = editor_text(desktop)
    assert text.startswith("#+ summary:") and "SELECT ?document" in text
    assert "Oxigraph" not in text and "#+ note" not in text
    examples = desktop.evaluate("JSON.parse(document.getElementById('examples').textContent)")
    noted = [p.stem for p in PROJECT.queries.glob("*.rq") if "#+ note:" in p.read_text("utf-8")]
    assert noted and len(examples) == len(list(PROJECT.queries.glob("*.rq")))
    for example in examples:
        assert "#+ note" not in example["query"] and "planner" not in example["query"], example


def test_document_cells_show_the_title(server: str, desktop) -> None:
    desktop.goto(server + "/")
    desktop.select_option("#example", "questions")
    run(desktop)
    desktop.wait_for_selector(ROWS)
    assert result_count(desktop) == 12
    link = desktop.locator(f"{TABLE} tbody a[href='/doc/document/2026D32673']").first
    assert "Dassen" in link.inner_text()
    # A long label is cut ("Ellipse"): YASR's first click on it shows it whole, the next one
    # follows the link. Its box spans the row, so it is clicked as a script would.
    link.evaluate("a => a.click()")
    link.evaluate("a => a.click()")
    desktop.wait_for_selector("article.resource h1")
    assert "/doc/document/2026D32673" in desktop.url


def test_literals_keep_type_and_language_for_hover(server: str, desktop) -> None:
    run_query(
        desktop,
        server,
        'SELECT ?n ?l WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } } BIND ("AI"@nl AS ?l) }',
    )
    count = desktop.locator(f"{TABLE} tbody span.literal[title='xsd:integer']")
    assert count.inner_text().isdigit()
    assert desktop.locator(f"{TABLE} tbody span.literal[title='@nl']").inner_text() == "AI"


def test_missing_prefix_is_named_and_can_be_added(server: str, page) -> None:
    run_query(
        page, server, "SELECT ?i WHERE { ?i a aip:NationalInstrument }", "#error:not([hidden])"
    )
    message = page.text_content("#error")  # nl-NL
    assert message == "Prefix aip: is niet gedeclareerd (regel 1, kolom 24). Voeg PREFIX aip: toe"
    page.click("#error button")
    assert editor_text(page).startswith("PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>")
    run(page)
    page.wait_for_selector(ROWS)
    assert_no_sideways_scroll(page)


def test_missing_prefixes_in_english_each_with_a_button(server: str, desktop) -> None:
    run_query(
        desktop,
        server,
        "SELECT ?i WHERE {\n  ?i a aip:NationalInstrument ; skos:prefLabel ?l }",
        "#error:not([hidden])",
    )
    assert desktop.text_content("#error span") == "Prefix not found: aip (line 2, column 8)."
    buttons = desktop.locator("#error button").all_inner_texts()
    assert buttons == ["Add PREFIX aip:", "Add PREFIX skos:"]


def test_undefined_class_gets_a_suggestion(server: str, desktop) -> None:
    run_query(
        desktop,
        server,
        "PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>\nSELECT ?i WHERE { ?i a aip:Instrument }",
        "#warnings:not([hidden])",
    )
    assert "did you mean" in desktop.text_content("#warnings")
    assert "aip:NationalInstrument" in desktop.text_content("#warnings")


def test_warnings_follow_the_page_language(server: str, page) -> None:
    # page: a browser asking for nl-NL
    run_query(
        page,
        server,
        "PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>\nSELECT ?i WHERE { ?i a aip:Instrument }",
        "#warnings:not([hidden])",
    )
    warning = page.text_content("#warnings")
    assert "staat niet in de ontologie; bedoelt u aip:PolicyInstrument of" in warning
    assert_no_sideways_scroll(page)


def test_syntax_errors_are_one_sentence_with_a_mark(server: str, desktop, page) -> None:
    run_query(desktop, server, "SELECT * WHERE { ?s ?p }", "#error:not([hidden])")
    assert desktop.text_content("#error") == (
        "The query is wrong at line 1, column 25: LATERAL or SERVICE is expected here."
    )
    assert desktop.locator(".CodeMirror .kg-error-mark").count() == 1
    run_query(page, server, "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER ?o }", "#error:not([hidden])")
    assert page.text_content("#error").startswith("De query klopt niet op regel 3, kolom ")
    assert "expected" not in page.text_content("#error")
    assert page.locator(".CodeMirror .kg-error-line").count() == 1


def count_of(server: str, local_name: str) -> int:
    """How many instances of the class the store holds, asked the endpoint itself."""
    query = f"SELECT (COUNT(?x) AS ?n) WHERE {{ ?x a <https://w3id.org/ai-beleid/def/aip#{local_name}> }}"
    answer = loopback.get(f"{server}/sparql", params={"query": query, "format": "json"})
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_schema_panel_inserts_a_pattern(server: str, desktop) -> None:
    desktop.goto(server + "/")
    set_query(desktop, "SELECT * WHERE {\n}")
    desktop.click("#schema summary")
    button = desktop.locator("#schema-classes button.term", has_text="aip:NationalInstrument")
    button.first.click()
    wait_until(desktop, "window.kgEditor.getValue().startsWith('PREFIX aip:')")
    assert "?x a aip:NationalInstrument ." in editor_text(desktop)
    counts = desktop.evaluate(
        "Object.fromEntries([...document.querySelectorAll('#schema-classes > li')]"
        ".map((li) => [li.querySelector('button').textContent, li.childNodes[1].textContent]))"
    )
    assert counts["aip:NationalInstrument"].split()[0] == str(
        count_of(server, "NationalInstrument")
    )
    national = desktop.locator(
        "#schema-classes > li:has(> button[title='https://w3id.org/ai-beleid/def/aip#NationalInstrument'])"
    )
    national.locator("details summary").click()
    assert "properties" in national.locator("details summary").inner_text()
    national.locator("ul.properties button.term", has_text="aip:responsibleOrganisation").click()
    wait_until(desktop, "window.kgEditor.getValue().includes('?value')")
    assert "?x aip:responsibleOrganisation ?value ." in editor_text(desktop)


def test_noscript_note(server: str, browser) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(server + "/")
    assert "JavaScript" in page.locator("noscript .notice").inner_text()
    context.close()


def test_browser_opening_a_query_link_gets_a_table(server: str, page) -> None:
    query = (
        "PREFIX aip: <https://w3id.org/ai-beleid/def/aip#> "
        "SELECT ?i ?t WHERE { ?i a aip:NationalInstrument ; aip:instrumentType ?t }"
    )
    response = page.goto(f"{server}/sparql?query={quote(query)}")
    assert response.headers["content-type"].startswith("text/html")
    assert page.locator("table.results tbody tr").count() > 10
    assert "id:concept/" not in page.locator("table.results tbody").inner_text()
    assert_no_sideways_scroll(page)


def test_endpoint_link_leads_to_a_service_description(server: str, desktop) -> None:
    desktop.goto(server + "/")
    desktop.click("header nav a[href='/sparql']")
    desktop.wait_for_selector("article.service")
    assert server + "/sparql" in desktop.text_content("article.service")


def test_void_link_shows_a_page_not_a_download(server: str, desktop) -> None:
    desktop.goto(server + "/")
    desktop.click("header nav a[href='/.well-known/void']")
    desktop.wait_for_selector("article.void pre.rdf")
    assert "void:Dataset" in desktop.text_content("article.void pre.rdf")
    assert f"{server}/.well-known/void" in desktop.text_content("article.void")
    turtle = desktop.request.get(server + "/.well-known/void", headers={"Accept": "*/*"})
    assert turtle.headers["content-type"].startswith("text/turtle")


def test_language_follows_the_browser_and_the_switch(server: str, desktop) -> None:
    desktop.goto(server + "/")
    assert desktop.get_attribute("html", "lang") == "en"
    assert desktop.text_content("#run").startswith("Run")
    desktop.select_option("#example", "instruments")
    run(desktop)
    desktop.wait_for_selector(ROWS)
    show_rows_with(desktop, "Disruptive")
    nadi = desktop.locator(f"{TABLE} tbody a[href='/doc/instrument/nadi']").first
    assert nadi.inner_text() == "National Agency for Disruptive Innovation"  # en-GB browser
    desktop.click("header a.switch")
    assert desktop.get_attribute("html", "lang") == "nl"
    desktop.goto(server + "/")  # the choice is remembered
    assert desktop.get_attribute("html", "lang") == "nl"
    desktop.click("header a.switch")
    assert desktop.get_attribute("html", "lang") == "en"


def test_network_picture_and_explain_path(server: str, desktop, tmp_path: Path) -> None:
    desktop.goto(server + "/")
    # The picture loads lazily, when a reader scrolls near it (it sits ~2600 px down the page).
    desktop.locator("#network").scroll_into_view_if_needed()
    wait_until(
        desktop,
        "document.getElementById('network').complete && "
        "document.getElementById('network').naturalWidth > 0",
        seconds=90,
    )
    desktop.click("figure.picture figcaption a")
    assert desktop.url == server + "/analysis/network.svg"
    with desktop.context.expect_page() as opened:  # a node's name, opened in a new tab
        desktop.locator("svg a text:text-is('NADI')").click()
    opened.value.wait_for_load_state()
    assert opened.value.url == server + "/doc/instrument/nadi"
    opened.value.close()
    desktop.goto(server + "/")
    desktop.fill("#path-from", "NFIA")
    desktop.fill("#path-to", "NADI")
    desktop.click("#path-form button[type=submit]")
    desktop.wait_for_selector("#path-steps li .passage", timeout=60_000)
    steps = desktop.locator("#path-steps > li")
    assert steps.count() >= 2
    assert "Netherlands Foreign Investment Agency" in steps.first.text_content()
    assert "answer 8" in desktop.text_content("#path-steps")
    desktop.click("#path-steps > li >> nth=0 >> a >> nth=0")
    desktop.wait_for_load_state()
    assert "/doc/organisation/nfia" in desktop.url


def test_fact_page_highlights_the_span(server: str, desktop) -> None:
    desktop.goto(server + "/doc/document/2026D32673/mention/11710-11714")
    assert desktop.text_content(".passage mark") == "NADI"
    assert desktop.text_content("article.resource h1") == "“NADI”"


def test_document_page_reads_as_text(server: str, page, tmp_path: Path) -> None:
    page.goto(server + "/doc/document/2026D32673")
    assert page.locator(".doc-text section.question").count() == 12
    assert page.locator(".doc-text section.answer").count() == 12
    nadi = page.locator("#answer-9 mark a[href='/doc/instrument/nadi']").first
    assert nadi.inner_text() == "NADI"
    official = page.locator("dl.facts a[rel=noopener]").get_attribute("href")
    assert official == "https://www.tweedekamer.nl/kamerstukken/detail?id=2026D32673&did=2026D32673"
    assert page.locator("ol.footnotes li").count() == 7
    assert page.locator("ol.commitments li").count() == 4
    facts = page.locator("dl.facts").inner_text()
    assert "2026D32673" in facts and "Commissiedebat Innovatie, 2026-06-25" in facts
    assert_no_sideways_scroll(page)
    page.screenshot(path=str(tmp_path / "document.png"))


def test_entity_page_lists_passages_in_order(server: str, page) -> None:
    page.goto(server + "/doc/instrument/nadi")
    passages = page.locator(".mentions li")
    assert passages.count() == 8
    assert all(m in ("NADI", "Nationaal Agentschap voor Disruptieve Innovatie")
               for m in page.locator(".mentions mark").all_inner_texts())  # fmt: skip
    offsets = [
        int(t.split()[-1]) for t in page.locator(".mentions .when a:last-child").all_inner_texts()
    ]
    assert offsets == sorted(offsets)
    assert_no_sideways_scroll(page)


def test_mention_lists_show_passages_in_text_order(server: str, page) -> None:
    page.goto(server + "/doc/document/2026D32673/answer/9")
    mentions = page.locator("table.props a.in-context")
    assert mentions.count() == 13
    assert "mention/" not in page.locator("article.resource").inner_text()
    assert "Voor NADI geldt" in mentions.nth(4).inner_text()
    assert mentions.nth(4).locator("mark").inner_text() == "NADI"
    starts = [int(h.split("/")[-1].split("-")[0]) for h in
              mentions.evaluate_all("links => links.map(a => a.getAttribute('href'))")]  # fmt: skip
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert_no_sideways_scroll(page)


def test_resource_page_curl_hint_names_this_server(server: str, desktop) -> None:
    desktop.goto(server + "/doc/instrument/nadi")
    assert desktop.text_content("article.resource pre") == (
        f"curl -H 'Accept: text/turtle' {server}/doc/instrument/nadi"
    )


def test_ontology_page_has_the_site_navigation(server: str, desktop) -> None:
    desktop.goto(server + "/def/aip")
    assert desktop.locator("header.site nav a").count() >= 5
    desktop.click("text=aip.ttl")
    assert desktop.url == server + "/def/aip.ttl"


def test_network_svg_has_text_and_links(server: str, desktop) -> None:
    response = desktop.request.get(server + "/analysis/network.svg")
    svg = response.text()
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert ">NADI</text>" in svg and 'xlink:href="/doc/instrument/nadi"' in svg
    for name in ("answer-instrument", "instrument-comention"):
        svg = desktop.request.get(f"{server}/analysis/{name}.svg").text()
        assert "</text>" in svg and 'xlink:href="/doc/instrument/' in svg


def test_network_can_be_filtered_by_kind(server: str, desktop) -> None:
    svg = desktop.request.get(server + "/analysis/network.svg?kind=organisation&top=10").text()
    assert 'xlink:href="/doc/organisation/' in svg
    assert 'xlink:href="/doc/instrument/' not in svg
    assert desktop.request.get(server + "/analysis/network.svg?kind=bogus").status == 400


@pytest.mark.parametrize(
    "path",
    [
        "/def/aip",
        "/sparql",
        "/doc/organisation/nfia",
        "/doc/document/2026D32673/answer/9",
        "/.well-known/void",
    ],
)
def test_pages_fit_the_window(server: str, page, path: str) -> None:
    response = page.goto(server + path)
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    assert page.locator("header.site nav a[href='/sparql']").count() == 1
    assert_no_sideways_scroll(page, path)


def test_no_script_link_from_data_and_no_policy_violation(server: str, page) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    query = (
        "SELECT ?x WHERE { VALUES ?x { <javascript:alert(1)> <data:text/html,x> "
        "<https://example.org/ok> } }"
    )
    run_query(page, server, query)
    hrefs = page.eval_on_selector_all(f"{TABLE} a", "links => links.map(a => a.href)")
    assert any(h == "https://example.org/ok" for h in hrefs), hrefs
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))], hrefs
    for path in ("/def/aip", "/doc/instrument/nadi", "/doc/document/2026D32673", "/documents",
                 "/search?q=NADI", "/index/people"):  # fmt: skip
        page.goto(server + path)
    assert not violations, violations
