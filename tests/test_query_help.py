"""Query help without a server: readable syntax errors, missing prefixes, SELECT * order,
terms the ontology does not define, the page's language, and the official publication link."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest

from kg.pipeline.build import build
from kg.rdf.bindings import bind_values
from kg.server.i18n import _from_accept_language, texts
from kg.server.query_help import (
    close_names,
    missing_prefixes,
    readable_syntax_error,
    star_variable_order,
    undefined_terms,
)
from kg.server.rendering import render
from kg.server.research_api import LABELS, pick_label
from kg.server.resource_page import (
    DOCUMENT_PARTS,
    DOCUMENT_TEXT,
    ENTITY_PASSAGES,
    IN_CONTEXT,
    add_context,
    curie,
    document_sections,
    entity_passages,
    group_rows,
    local_href,
    official_publication,
    passage,
    spans_from,
)
from kg.server.routes.linked_data import ALL_PASSAGES
from tests.golden.corpus import corpus_project
from tests.support import PROJECT, solutions

AIP = "https://w3id.org/ai-beleid/def/aip#"


def engine_error(query: str) -> str:
    try:
        ox.Store().query(query)
    except SyntaxError as err:
        return str(err)
    raise AssertionError("the query parsed")


def test_missing_prefix_is_one_sentence_with_its_position() -> None:
    query = "SELECT ?i WHERE {\n  ?i a aip:NationalInstrument ; skos:prefLabel ?l }"
    assert missing_prefixes(query) == ["aip", "skos"]
    assert readable_syntax_error(query, engine_error(query)) == (
        f"Prefix not found: aip (line 2, column 8). Add: PREFIX aip: <{AIP}>"
    )


def test_a_grammar_dump_becomes_unexpected_text() -> None:
    query = "SELECT ?x WHERE { ?x ?y ?z } LIMIT ?x"
    message = readable_syntax_error(query, engine_error(query))
    assert message.startswith("Syntax error at line 1, column ") and len(message) < 120


def test_prefixes_in_iris_strings_and_declarations_do_not_count() -> None:
    query = 'PREFIX aip: <https://x/#> SELECT * WHERE { ?s aip:a "skos:x" ; <urn:y> ?o }'
    assert missing_prefixes(query) == []


@pytest.mark.parametrize(
    ("query", "order"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", ["s", "p", "o"]),
        ("SELECT DISTINCT * WHERE { ?z ?a ?m }", ["z", "a", "m"]),
        ("SELECT ?o ?s WHERE { ?s ?p ?o }", ["o", "p", "s"]),  # not *: the engine's order
    ],
)
def test_select_star_order(query: str, order: list[str]) -> None:
    assert star_variable_order(query, sorted(order) if "*" in query else order) == order


def test_unknown_terms_get_suggestions_of_their_kind() -> None:
    known = {AIP + n for n in ("NationalInstrument", "EUInitiative", "mentions", "Mention")}
    query = f"PREFIX aip: <{AIP}> SELECT * WHERE {{ ?i a aip:Instrument ; aip:mentoins ?x }}"
    [instrument, mentions] = undefined_terms(query, known)
    assert instrument.suggestions == ("aip:NationalInstrument",)
    assert "did you mean aip:NationalInstrument?" in instrument.message
    assert mentions.suggestions == ("aip:mentions",)
    assert undefined_terms(f"PREFIX aip: <{AIP}> ASK {{ ?i a aip:Mention }}", known) == []


def test_warnings_speak_the_page_language() -> None:
    known = {AIP + "NationalInstrument"}
    [warning] = undefined_terms(f"PREFIX aip: <{AIP}> ASK {{ ?i a aip:Instrument }}", known)
    assert warning.message_in(texts("nl")) == (
        "aip:Instrument (regel 1, kolom 62) staat niet in de ontologie; "
        "bedoelt u aip:NationalInstrument?"
    )
    assert warning.message_in(texts("en")) == warning.message


def test_close_names_prefer_names_that_contain_the_term() -> None:
    names = ["NationalInstrument", "PolicyInstrument", "instrumentType", "Answer"]
    assert close_names("Instrument", names)[:2] == ["PolicyInstrument", "NationalInstrument"]


@pytest.mark.parametrize(
    ("header", "language"),
    [("en-GB,en;q=0.9", "en"), ("de-DE, nl;q=0.5, en;q=0.4", "nl"), ("fr", None), ("", None)],
)
def test_accept_language(header: str, language: str | None) -> None:
    assert _from_accept_language(header) == language


def test_official_publication_from_the_identifier() -> None:
    assert official_publication("2026D32673") == (
        "https://www.tweedekamer.nl/kamerstukken/detail?id=2026D32673&did=2026D32673"
    )
    assert official_publication("ah-tk-20232024-877", "officielebekendmakingen-xml") == (
        "https://zoek.officielebekendmakingen.nl/ah-tk-20232024-877.html"
    )
    assert official_publication("celex-52018DC0795") == ""


def test_no_official_publication_is_invented_for_a_document_not_read_from_there() -> None:
    # An Aanhangsel-shaped text (a constructed answer document, a fixture): the identifier has
    # the form, but nothing says the publication exists.
    assert official_publication("ah-tk-20252026-2210", "aanhangsel-text") == ""
    assert official_publication("ah-tk-20252026-2210") == ""


def _mention(document: str, date: str, start: int, text: str) -> dict:
    """A row of ENTITY_PASSAGES as the SPARQL JSON results give it."""
    literal = {"type": "literal"}
    row = {
        "mention": {"type": "uri", "value": f"{document}/mention/{start}-{start + 4}"},
        "document": {"type": "uri", "value": document},
        "start": {**literal, "value": str(start)},
        "end": {**literal, "value": str(start + 4)},
        "from": {**literal, "value": "0"},
        "window": {**literal, "value": text},
    }
    if date:
        row["date"] = {**literal, "value": date}
    return row


def test_entity_passages_run_in_date_order_across_documents() -> None:
    earlier = "https://w3id.org/ai-beleid/id/document/z"  # after the later one by name
    later = "https://w3id.org/ai-beleid/id/document/a"
    text = "Het NADI is er. " * 3
    rows = [
        _mention(later, "2026-06-25", 20, text),
        _mention(earlier, "2024-01-10", 36, text),
        _mention(later, "2026-06-25", 4, text),
        _mention(earlier, "2024-01-10", 4, text),
    ]
    passages = entity_passages(rows)
    assert [(p["document"], p["start"]) for p in passages] == [
        (earlier, 4), (earlier, 36), (later, 4), (later, 20),
    ]  # fmt: skip
    assert all(p["span"] == "NADI" for p in passages)


def test_mentions_among_links_in_are_sorted_by_position_with_their_words() -> None:
    def iri(start: int) -> str:
        return f"https://w3id.org/ai-beleid/id/document/d/mention/{start}-{start + 4}"

    def link(start: int) -> dict:
        return {
            "p": {"type": "uri", "value": "https://w3id.org/ai-beleid/def/aip#inSection"},
            "s": {"type": "uri", "value": iri(start)},
        }

    def quote(start: int, exact: str) -> dict:
        literal = {"type": "literal"}
        return {
            "s": {"type": "uri", "value": iri(start)},
            "exact": {**literal, "value": exact},
            "prefix": {**literal, "value": "voor\n\nhet "},
            "suffix": {**literal, "value": " na"},
            "start": {**literal, "value": str(start)},
        }

    rows = group_rows([link(100), link(9), link(20)], "p", "s", None)  # 100 < 20 < 9 as text
    rows = add_context(rows, [quote(20, "NII"), quote(9, "NADI"), quote(100, "NII")])
    assert [r.position for r in rows] == [9, 20, 100]
    assert rows[0].in_context == {"prefix": "voor het ", "exact": "NADI", "suffix": " na"}


def test_quotes_in_context_are_asked_for_the_links_only(corpus: ox.Store) -> None:
    mention = "https://w3id.org/ai-beleid/id/document/2026D32673/mention/11269-11273"
    [row] = json_bindings(
        corpus.query(IN_CONTEXT % f"<{mention}>", use_default_graph_as_union=True)
    )
    assert row["exact"]["value"] == "NADI" and row["start"]["value"] == "11269"
    assert row["prefix"]["value"].endswith("Voor ")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    """The multi-document fixture corpus: letters dated by their debate, Aanhangsel documents
    by the day parliament received them."""
    root = tmp_path_factory.mktemp("corpus")
    build(corpus_project(root / "project"), root / "store", PROJECT.ontology)
    return ox.Store.read_only(str(root / "store"))


def select(store: ox.Store, query: str, iri: str) -> list[dict]:
    bound = bind_values(query, {ox.Variable("r"): ox.NamedNode(iri)})
    return json_bindings(store.query(bound, use_default_graph_as_union=True))


def json_bindings(results: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> list[dict]:
    """A SELECT's rows as its SPARQL JSON results have them."""
    answer = solutions(results).serialize(format=ox.QueryResultsFormat.JSON)
    assert answer is not None  # given no output, pyoxigraph returns the bytes
    return json.loads(answer)["results"]["bindings"]


def test_an_entity_page_dates_every_passage_and_runs_in_date_order(corpus: ox.Store) -> None:
    passages = entity_passages(
        select(corpus, ENTITY_PASSAGES, "https://w3id.org/ai-beleid/id/instrument/nadi")
    )
    dates = [p["date"] for p in passages]
    assert len(set(p["document"] for p in passages)) >= 3
    assert all(dates) and dates == sorted(dates) and len(set(dates)) >= 3
    assert passages[0]["document"].endswith("/ah-tk-20242025-1502")  # received 2025-04-02


@pytest.mark.parametrize(
    ("document", "received", "debate_date"),
    [("ah-tk-20242025-1502", "2025-04-02", None), ("2026D32673", None, "2026-06-25")],
)
def test_a_document_page_knows_its_dates(
    corpus: ox.Store, document: str, received: str | None, debate_date: str | None
) -> None:
    [facts] = select(corpus, DOCUMENT_TEXT, f"https://w3id.org/ai-beleid/id/document/{document}")
    assert facts.get("received", {}).get("value") == received
    assert facts.get("debateDate", {}).get("value") == debate_date


@pytest.mark.parametrize("document", ["ah-tk-20232024-877", "ah-tk-20242025-1502", "2026D32673"])
def test_a_document_reads_without_markup_or_stray_headings(corpus: ox.Store, document: str) -> None:
    iri = f"https://w3id.org/ai-beleid/id/document/{document}"
    [facts] = select(corpus, DOCUMENT_TEXT, iri)
    spans = spans_from(select(corpus, DOCUMENT_PARTS, iri))
    sections = document_sections(facts["text"]["value"], spans, {})
    plain = "".join(s.text for section in sections for s in section["segments"] if not s.href)
    assert "[^" not in plain and "[footnoteRef:" not in plain  # markers became links
    whole = "".join(s.text for section in sections for s in section["segments"])
    assert "\n\n\n" not in whole  # a footnote left out leaves no gap
    footnotes = [s for s in spans if s.kind == "Footnote"]
    assert footnotes and all(f.content[:30] not in plain for f in footnotes)  # listed below
    refs = [s for section in sections for s in section["segments"] if s.kind == "footnote-ref"]
    assert {r.text for r in refs} == {f.number for f in footnotes}
    for section in sections:
        text = "".join(s.text for s in section["segments"]).strip()
        assert not re.fullmatch(r"(?i)(vraag|antwoord)?[\s\d.en]*", text), section


def test_a_passage_quotes_without_footnote_markers() -> None:
    quoted = passage("Zie[^1] het NADI[^2] en de NII[footnoteRef:3].", 12, 16)
    assert quoted == {"before": "Zie het ", "span": "NADI", "after": " en de NII."}


@pytest.mark.parametrize(
    ("iri", "name"),
    [
        ("id:document/kst-26643-940", "Kamerstukken II 2022/23, 26 643, nr. 940"),  # no label
        ("id:document/ah-tk-20232024-877", "ah-tk-20232024-877, antwoorden op vragen van de leden"),
        ("id:instrument/nadi", "Nationaal Agentschap voor Disruptieve Innovatie"),
    ],
)
def test_a_resource_without_a_label_is_named_by_its_identifier(
    corpus: ox.Store, iri: str, name: str
) -> None:
    full = "https://w3id.org/ai-beleid/id/" + iri.removeprefix("id:")
    rows = json_bindings(corpus.query(LABELS % f"<{full}>", use_default_graph_as_union=True))
    candidates = [
        (int(b["rank"]["value"]), b["label"].get("xml:lang", ""), b["label"]["value"]) for b in rows
    ]
    assert pick_label(candidates, "nl").startswith(name)


def test_a_much_named_entity_shows_its_first_passages_and_links_to_all(corpus: ox.Store) -> None:
    nadi = "https://w3id.org/ai-beleid/id/instrument/nadi"
    every = select(corpus, ENTITY_PASSAGES, nadi)
    answer = solutions(corpus.query(ALL_PASSAGES.format(iri=nadi), use_default_graph_as_union=True))
    assert len(list(answer)) == len(every) > 10  # the link gives every mention
    first = entity_passages(every)[:1]
    for p in first:
        p.update(document_label="d", section_label="s")
    html = render(
        "resource.html", title="NADI", iri=nadi, types=[], labels=[], outgoing=[], incoming=[],
        passages=[], href=local_href, curie=curie, rdf_links=[], entity_passages=first,
        passages_total=len(every), all_passages="/?query=x", lang="en", t=texts("en"),
    )  # fmt: skip
    assert f"The first 1 of {len(every)} passages, by date." in html
    assert '<a href="/?query=x">All mentions as a table</a>' in html
