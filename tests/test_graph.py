"""The built graph: its named graphs, the text as read, links the answers make, provenance, the
TriG dump. Rules every node must meet (a span for every extracted node, each quote the text at
its offsets, the checksum that of the text) are the shapes' (shapes/violations.ttl:
shapes:one-span, shapes:Evidence, shapes:DocumentText), applied to the seed by
tests/test_validate.py."""

from __future__ import annotations

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
from tests.support import SEED_ID, SEED_PATH, solutions

PREFIXES = """
PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def select(store: ox.Store, query: str) -> list[ox.QuerySolution]:
    return list(solutions(store.query(PREFIXES + query, use_default_graph_as_union=True)))


def test_named_graphs(seed_store: ox.Store) -> None:
    names = {g.value for g in seed_store.named_graphs()}
    assert names == {
        str(ONTOLOGY_GRAPH),
        str(REFERENCE_GRAPH),
        str(BUILD_GRAPH),
        str(MINTED_GRAPH),
        str(document_graph(SEED_ID)),
    }


def test_text_in_graph_is_the_normalised_source(seed_store: ox.Store) -> None:
    [row] = select(seed_store, "SELECT ?text WHERE { ?d aip:hasText ?t . ?t rdf:value ?text }")
    assert row["text"].value == normalise(SEED_PATH.read_text(encoding="utf-8"))


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
