"""The built graph: provenance of every extracted fact, checksums, named graphs, TriG dump."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest

from kg.pipeline.build import BuildResult
from kg.rdf.namespaces import (
    BUILD_GRAPH,
    ID,
    MINTED_GRAPH,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    document_graph,
)
from kg.sources.text import normalise
from tests.support import SEED_ID, SEED_PATH

PREFIXES = """
PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def select(store: ox.Store, query: str) -> list[ox.QuerySolution]:
    return list(store.query(PREFIXES + query, use_default_graph_as_union=True))


def test_named_graphs(seed_store: ox.Store) -> None:
    names = {g.value for g in seed_store.named_graphs()}
    assert names == {
        str(ONTOLOGY_GRAPH),
        str(REFERENCE_GRAPH),
        str(BUILD_GRAPH),
        str(MINTED_GRAPH),
        str(document_graph(SEED_ID)),
    }


def test_text_in_graph_is_the_normalised_source_with_its_checksum(seed_store: ox.Store) -> None:
    [row] = select(
        seed_store,
        """
        SELECT ?text ?sha WHERE { ?d aip:hasText ?t . ?t rdf:value ?text ; aip:sha256 ?sha }""",
    )
    expected = normalise(SEED_PATH.read_text(encoding="utf-8"))
    assert row["text"].value == expected
    assert row["sha"].value == hashlib.sha256(expected.encode("utf-8")).hexdigest()


def test_every_mention_quote_equals_the_text_at_its_offsets(seed_store: ox.Store) -> None:
    text = normalise(SEED_PATH.read_text(encoding="utf-8"))
    rows = select(
        seed_store,
        """
        SELECT ?exact ?start ?end WHERE {
          ?m a aip:Mention ; oa:hasTarget ?t .
          ?t oa:hasSelector ?p, ?q .
          ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact }""",
    )
    assert len(rows) > 100
    for row in rows:
        start, end = int(row["start"].value), int(row["end"].value)
        assert text[start:end] == row["exact"].value


def test_sparql_alone_can_verify_every_span(seed_store: ox.Store) -> None:
    """The check a researcher can run: no span whose quote differs from the text (SUBSTR is
    1-based, offsets 0-based)."""
    spans = select(seed_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s aip:evidence ?t }")
    assert int(spans[0]["n"].value) > 150
    wrong = select(
        seed_store,
        """
        SELECT ?node WHERE {
          ?node aip:evidence ?t . ?t oa:hasSource/rdf:value ?text ; oa:hasSelector ?p, ?q .
          ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact .
          FILTER (SUBSTR(?text, ?start + 1, ?end - ?start) != ?exact) }""",
    )
    assert wrong == []


@pytest.mark.parametrize(
    "cls", ["Question", "Answer", "Footnote", "CrossReference", "Commitment", "Mention"]
)
def test_every_extracted_node_has_evidence(seed_store: ox.Store, cls: str) -> None:
    total = select(seed_store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?x a aip:{cls} }}")
    assert int(total[0]["n"].value) > 0
    lacking = select(
        seed_store,
        f"SELECT ?x WHERE {{ ?x a aip:{cls} FILTER NOT EXISTS {{ ?x aip:evidence ?e }} }}",
    )
    assert lacking == []


def test_entities_are_linked_from_the_answers_that_name_them(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        """
        SELECT ?n WHERE { ?a a aip:Answer ; aip:number ?n ;
                              aip:mentions <https://w3id.org/ai-beleid/id/instrument/nadi> }
        ORDER BY ?n""",
    )
    assert [int(r["n"].value) for r in rows] == [1, 9]
    package = select(
        seed_store,
        """
        SELECT ?p WHERE { <https://w3id.org/ai-beleid/id/eu/cloud-ai-development-act> aip:partOf ?p }""",
    )
    assert [r["p"].value for r in package] == [str(ID["eu/tech-sovereignty-package"])]


def test_footnotes_resolve_cited_documents(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        """
        PREFIX celex: <http://publications.europa.eu/resource/celex/>
        SELECT ?n ?id WHERE { ?f a aip:Footnote ; aip:number ?n ; aip:cites ?d .
                              OPTIONAL { ?d aip:celexNumber ?celex }
                              OPTIONAL { ?d aip:dossierNumber ?dossier ; aip:documentNumber ?nr }
                              BIND (COALESCE(?celex, CONCAT(?dossier, "-", ?nr)) AS ?id) }
        ORDER BY ?n""",
    )
    assert [(int(r["n"].value), r["id"].value) for r in rows] == [
        (5, "52018DC0795"),
        (6, "22112-4395"),
    ]


def test_provenance_names_code_version_and_source(seed_store: ox.Store) -> None:
    rows = select(
        seed_store,
        f"""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?agent ?file WHERE {{ GRAPH <{BUILD_GRAPH}> {{
          <{document_graph(SEED_ID)}> prov:wasGeneratedBy ?activity ; prov:wasDerivedFrom ?src .
          ?activity prov:wasAssociatedWith ?agent . ?src aip:sourceFile ?file }} }}""",
    )
    assert len(rows) == 1
    assert rows[0]["agent"].value.startswith(str(ID["software/kg/"]))
    assert rows[0]["file"].value == "data/sources/2026D32673.txt"


@pytest.mark.slow
def test_trig_dump_holds_the_whole_dataset(seed_build: BuildResult, seed_store: ox.Store) -> None:
    assert seed_build.trig is not None
    dumped = ox.Dataset(ox.parse(path=str(seed_build.trig), format=ox.RdfFormat.TRIG))
    stored = ox.Dataset(seed_store.quads_for_pattern(None, None, None))
    assert len(dumped) == len(stored) == seed_build.triples
    dumped.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    stored.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    assert dumped == stored
