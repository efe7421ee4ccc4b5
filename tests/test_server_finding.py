"""Finding things on a real server over the multi-document fixture corpus: /search (HTML and
JSON), /documents and the indexes per type, the navigation that links them, the research page's
APIs (parameters by name, labelled downloads, this endpoint's prefixes), the pages of people
and minted entities, property names in the page's language, the not-found page's search."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
from pathlib import Path

import pytest

from kg.pipeline.build import build
from kg.pipeline.search_index import SEARCH_INDEX
from kg.server.finder import Finder, NoIndex
from kg.server.settings import Settings
from tests.golden.corpus import corpus_project
from tests.support import PROJECT, loopback
from tests.support.live_server import running_server

ID = "https://w3id.org/ai-beleid/id/"
NL = {"Accept-Language": "nl-NL"}
EN = {"Accept-Language": "en-GB"}


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("finding")
    build(corpus_project(root / "project"), root / "store", PROJECT.ontology)
    return root / "store"


@pytest.fixture(scope="module")
def server(corpus_store: Path):
    with running_server(corpus_store) as base:
        yield base


def get(server: str, path: str, **options):
    return loopback.get(server + path, timeout=60, **options)


def search(server: str, q: str, **params) -> list[dict]:
    answer = get(server, "/search", params={"q": q, "format": "json", **params})
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]


# -- /search ------------------------------------------------------------------------------------


def test_search_finds_by_prefix_and_other_names(server: str) -> None:
    found = search(server, "algoritmereg")
    assert found[0]["iri"] == ID + "instrument/algoritmeregister"
    assert found[0]["href"] == "/doc/instrument/algoritmeregister"
    assert (
        found[0]["kindLabel"] == "Nationaal instrument"
        and found[0]["matched"] == "Algoritmeregister"
    )
    act = search(server, "AI Act", lang="en")[0]
    assert act["iri"] == ID + "eu/ai-verordening" and act["label"] == "Artificial Intelligence Act"


def test_search_finds_words_of_answers_with_a_snippet(server: str) -> None:
    found = search(server, "revolverendheidsdoelstelling", kind="answer")
    assert [r["iri"] for r in found] == [ID + "document/2026D32673/answer/9"]
    assert found[0]["snippet"]["match"] == "revolverendheidsdoelstelling"
    assert found[0]["document"]["href"] == "/doc/document/2026D32673"


def test_search_as_json_by_accept(server: str) -> None:
    answer = get(server, "/search", params={"q": "NADI"}, headers={"Accept": "application/json"})
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json()["results"][0]["iri"] == ID + "instrument/nadi"


def test_search_page_lists_results_with_kind_and_snippet(server: str) -> None:
    page = get(server, "/search", params={"q": "AI Act"}, headers=NL).text
    assert '<a class="label" href="/doc/eu/ai-verordening"' in page
    assert "EU-initiatief" in page and "ook: <mark>AI Act</mark>" in page
    nothing = get(server, "/search", params={"q": "zzxxqq"}, headers=EN).text
    assert "Nothing found for “zzxxqq”." in nothing


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 201}, "the search text is longer than 200 characters"),
        (
            {"q": "NADI", "kind": "instruments"},
            "unknown kind 'instruments'; known kinds: instrument, eu,",
        ),
        ({"q": "NADI", "limit": "0"}, "limit must be between 1 and 100"),
        ({"q": "NADI", "limit": "many"}, "limit must be a whole number between 1 and 100"),
        ({"q": "NADI", "format": "xml"}, "unknown format 'xml'; give format=json or format=html"),
    ],
)
def test_bad_searches_get_a_clear_error(server: str, params: dict, message: str) -> None:
    answer = get(server, "/search", params=params)
    assert answer.status_code == 400
    assert answer.text.startswith(message)


@pytest.mark.slow  # the module's corpus build (4 s) for this test alone
def test_a_build_without_an_index_is_named(tmp_path: Path, corpus_store: Path) -> None:
    version = Path(os.path.realpath(corpus_store))
    copy = tmp_path / "version"
    copy.mkdir()
    for item in version.iterdir():
        if item.name != SEARCH_INDEX:
            os.link(item, copy / item.name)
    (tmp_path / "store").symlink_to(copy)
    finder = Finder(Settings(store_path=tmp_path / "store"))
    with pytest.raises(NoIndex, match="this build has no search index; run 'kg build'"):
        asyncio.run(finder.index())


# -- the navigation and the indexes --------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/documents", "/doc/instrument/nadi", "/def/aip", "/search"])
def test_every_page_has_the_search_box_and_the_indexes(server: str, path: str) -> None:
    page = get(server, path, headers={**NL, "Accept": "text/html"}).text
    assert '<form class="site-search" action="/search"' in page
    for link in (
        "/documents",
        "/index/instruments",
        "/index/eu",
        "/index/organisations",
        "/index/people",
    ):
        assert f'<a href="{link}">' in page, link
    assert 'href="/doc/document/2026D32673">Document' not in page  # no longer the seed


def rows_of(page: str) -> list[str]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return [row.split('href="', 1)[1].split('"', 1)[0] for row in body.split("<tr>")[1:]]


def test_documents_lists_every_document_newest_first(server: str) -> None:
    page = get(server, "/documents", headers=NL).text
    listed = rows_of(page.replace('<td class="date">', ""))
    # The fixture corpus: nine documents, the letter that fulfils a commitment (2026-11-20) and
    # five real ones of the feed of November 2024 (tests/golden/corpus.py).
    assert len(listed) == 15 and "15 documenten" in page
    assert listed[0] == "/doc/document/ah-tk-20262027-312"  # received 2026-11-20
    assert listed[-1] == "/doc/document/ah-tk-20232024-412"  # received 2023-11-14
    by_signer = rows_of(get(server, "/documents", params={"sort": "signer"}).text)
    # Bruins, De Jonge, Klever, ..., Szabo, van Huffelen, W.J.M. Aerdts: by name, accents and case
    # ignored
    assert by_signer[0] == "/doc/document/ah-tk-20242025-560"  # Bruins
    assert set(by_signer[1:3]) == {
        "/doc/document/ah-tk-20232024-1042",
        "/doc/document/ah-tk-20232024-877",
    }


def test_documents_count_and_filter_by_signer_and_kind(server: str) -> None:
    page = get(server, "/documents", headers=NL).text
    assert "Aantallen per ondertekend door" in page
    aerdts = get(server, "/documents", params={"signer": ID + "person/aerdts"}).text
    assert len(rows_of(aerdts)) == 6
    letters = ID + "concept/document-type-written-answers-committee-debate"
    assert len(rows_of(get(server, "/documents", params={"kind": letters}).text)) == 3
    assert len(rows_of(get(server, "/documents", params={"q": "chatbots"}).text)) == 1


def test_documents_refuse_an_unknown_sort(server: str) -> None:
    answer = get(server, "/documents", params={"sort": "colour"})
    assert answer.status_code == 400
    assert answer.text.startswith("cannot sort by 'colour'; give sort= one of: date, kind, signer")


def test_the_people_index_counts_documents_signed(server: str) -> None:
    page = get(server, "/index/people", params={"sort": "signed", "order": "desc"}, headers=NL).text
    assert rows_of(page)[0] == "/doc/person/aerdts"
    assert get(server, "/index/people", params={"q": "dassen"}).text.count("<tr>") == 2  # head, row


def test_the_instrument_index_filters_by_type(server: str) -> None:
    registers = ID + "concept/instrument-type-register"
    listed = rows_of(get(server, "/index/instruments", params={"type": registers}).text)
    assert "/doc/instrument/algoritmeregister" in listed
    assert "/doc/instrument/nadi" not in listed


def test_an_unknown_index_is_404(server: str) -> None:
    answer = get(server, "/index/colours")
    assert answer.status_code == 404
    assert answer.text.startswith("no index 'colours'; known: instruments, eu, international")


# -- the research page's APIs -------------------------------------------------------------------


def test_an_example_takes_a_name(server: str) -> None:
    answer = get(server, "/api/example/entity-passages", params={"entity": "algoritmeregister"})
    assert answer.status_code == 200, answer.text
    bound = answer.json()
    assert f"VALUES (?entity) {{ (<{ID}instrument/algoritmeregister>) }}" in bound["query"]
    assert bound["bindings"]["entity"]["label"] == "Algoritmeregister van de Nederlandse overheid"
    by_curie = get(server, "/api/example/entity-passages", params={"entity": "id:instrument/nii"})
    assert f"<{ID}instrument/nii>" in by_curie.json()["query"]


def test_an_unknown_name_is_said_with_suggestions(server: str) -> None:
    answer = get(server, "/api/example/entity-passages",
                 params={"entity": "Algoritmeregistr x"}, headers=NL)  # fmt: skip
    assert answer.status_code == 400
    assert answer.text.startswith("Niets in de kennisgraaf heet “Algoritmeregistr x” (?entity).")
    wrong = get(server, "/api/example/entity-passages", params={"entty": "NADI"})
    assert wrong.status_code == 400
    assert "has no parameter 'entty'; it has: entity" in wrong.text
    assert get(server, "/api/example/colours").status_code == 404


INSTRUMENTS = """PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
SELECT ?instrument ?type WHERE { ?instrument a aip:NationalInstrument ; aip:instrumentType ?type }
ORDER BY ?instrument"""


def test_a_csv_download_has_labels_and_says_what_it_holds(server: str) -> None:
    answer = loopback.post(server + "/api/download",
                           data={"query": INSTRUMENTS, "format": "csv", "lang": "nl",
                                 "name": "instruments"}, timeout=60)  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert answer.content.startswith(b"\xef\xbb\xbf")  # a spreadsheet reads it as UTF-8
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="instruments-') and disposition.endswith(
        '.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert list(rows[0]) == ["instrument", "instrumentLabel", "type", "typeLabel"]
    nadi = next(r for r in rows if r["instrument"] == ID + "instrument/nadi")
    assert nadi["instrumentLabel"] == "Nationaal Agentschap voor Disruptieve Innovatie"
    assert nadi["typeLabel"] and not nadi["typeLabel"].startswith("http")


def test_a_json_download_is_sparql_json_with_label_columns(server: str) -> None:
    answer = loopback.post(server + "/api/download",
                           data={"query": INSTRUMENTS, "format": "json", "lang": "en"}, timeout=60)  # fmt: skip
    body = json.loads(answer.content)
    assert body["head"]["vars"] == ["instrument", "instrumentLabel", "type", "typeLabel"]
    first = body["results"]["bindings"][0]
    assert (
        first["instrumentLabel"]["xml:lang"] == "en"
        and first["instrumentLabel"]["type"] == "literal"
    )
    assert answer.headers["content-disposition"].startswith('attachment; filename="query-')


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"format": "csv"}, 400, "give the query to download as the form field 'query'"),
        ({"query": INSTRUMENTS, "format": "xlsx"}, 400, "format must be csv or json, not 'xlsx'"),
        ({"query": "ASK { ?s ?p ?o }"}, 400, "only a SELECT query's result can be downloaded"),
        ({"query": "SELECT * WHERE { ?s ?p }"}, 400, "Syntax error at line 1, column 25"),
    ],
)
def test_bad_downloads_get_a_clear_error(
    server: str, data: dict, status: int, message: str
) -> None:
    answer = loopback.post(server + "/api/download", data=data, timeout=60)
    assert answer.status_code == status
    assert answer.text.startswith(message), answer.text


def test_the_editor_completes_this_endpoints_prefixes(server: str) -> None:
    prefixes = get(server, "/api/prefixes").json()
    assert prefixes["aip"] == "https://w3id.org/ai-beleid/def/aip#"
    assert prefixes["graph"] == "https://w3id.org/ai-beleid/graph/"


def test_examples_are_named_in_the_page_language(server: str) -> None:
    def examples(headers: dict) -> dict:
        page = get(server, "/", headers=headers).text
        block = page.split('<script type="application/json" id="examples">', 1)[1].split(
            "</script>", 1
        )[0]
        return {e["name"]: e for e in json.loads(block)}

    dutch, english = examples(NL), examples(EN)
    assert dutch["instruments"]["title"] == "Beleidsinstrumenten"
    assert dutch["instruments"]["summary"].startswith("Elk beleidsinstrument (nationaal en EU)")
    assert english["instruments"]["title"] == "Policy instruments"
    [param] = dutch["entity-passages"]["params"]
    assert param["defaultLabel"] == "Nationaal Agentschap voor Disruptieve Innovatie"
    assert param["description"].startswith("de gecureerde entiteit")
    assert "question" in dutch["fact-source"]["params"][0]["kinds"]


# -- resource pages ------------------------------------------------------------------------------


def section(page: str, heading: str) -> str:
    return page.split(f"<h2>{heading}", 1)[1].split("</ul>", 1)[0]


def test_a_persons_page_lists_posts_documents_and_commitments(server: str) -> None:
    page = get(server, "/doc/person/aerdts", headers=NL).text
    assert "Staatssecretaris van Economische Zaken en Klimaat" in section(page, "Functies")
    signed = section(page, "Ondertekende documenten")
    assert signed.count("<li>") == 6 and "2026-11-20" in signed
    commitments = page.split('<table class="commitments-table"', 1)[1].split("</table>", 1)[0]
    assert commitments.count("<tr") - 1 == 12  # the head row, then one row per commitment


def test_a_minted_persons_page_lists_the_questions_asked(server: str) -> None:
    page = get(server, "/doc/person/kathmann", headers=EN).text
    asked = section(page, "Questions asked in")
    assert '/doc/document/2026D41207"' in asked and '/doc/document/ah-tk-20242025-1502"' in asked


def test_properties_are_named_in_the_page_language_one_row_per_language(server: str) -> None:
    dutch = get(server, "/doc/instrument/nadi", headers=NL).text
    assert 'title="http://www.w3.org/2004/02/skos/core#prefLabel">naam</a>' in dutch
    assert 'title="https://w3id.org/ai-beleid/def/aip#instrumentType">' in dutch
    english = get(server, "/doc/instrument/nadi", headers=EN).text
    assert 'title="http://www.w3.org/2004/02/skos/core#prefLabel">name</a>' in english
    labels = english.split('prefLabel">name</a>', 1)[1].split("</tbody>", 1)[0]
    rows = labels.split("<tr>")
    assert '<span class="lang" title="@en">en</span>' in rows[0]  # the page's language first
    assert '<span class="lang" title="@nl">nl</span>' in rows[1]


def test_no_publication_link_is_invented(server: str) -> None:
    constructed = get(server, "/doc/document/ah-tk-20252026-2210", headers=NL).text
    assert "officielebekendmakingen.nl" not in constructed
    published = get(server, "/doc/document/ah-tk-20232024-877", headers=NL).text
    assert "https://zoek.officielebekendmakingen.nl/ah-tk-20232024-877.html" in published


def test_the_not_found_page_offers_a_search(server: str) -> None:
    answer = get(server, "/doc/instrument/algoritme-register", headers=NL)
    assert answer.status_code == 404
    assert 'name="q" value="algoritme register"' in answer.text
    assert "Naar de querypagina" in answer.text


def test_the_cases_page_shows_time_to_answer_cases_and_open_questions(server: str) -> None:
    """The real documents of the corpus: case 2024Z18792 asked on 19 and answered on 20
    November 2024; a notice of delay for 2024Z17538; the nine questions of 2024Z18892 open."""
    page = get(server, "/cases", headers=NL).text
    assert "<h1>Zaken en termijnen</h1>" in page
    cases = page.split('class="index-table cases-table"', 1)[1].split("</table>", 1)[0]
    row = cases.split('href="/doc/zaak/2024Z18792"', 1)[1].split("</tr>", 1)[0]
    assert "2024-11-19" in row and "2024-11-20" in row and '<td class="num">1</td>' in row
    assert "<td>nee</td>" in row
    notice = cases.split('href="/doc/zaak/2024Z17538"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="date">2024-11-20</td>' in notice
    opened = page.split('class="index-table open-questions"', 1)[1].split("</table>", 1)[0]
    assert 'href="/doc/document/kv-tk-2024Z18892"' in opened and '<td class="num">9</td>' in opened
    latency = page.split('class="index-table latency"', 1)[1].split("</table>", 1)[0]
    assert "Minister voor Buitenlandse Handel en Ontwikkelingshulp" in latency
    english = get(server, "/cases", headers=EN).text
    assert "<h1>Cases and terms</h1>" in english and "Time to answer per post" in english
