"""Adding a document never changes another document's facts.

- Isolation as a property (Hypothesis): over a pool of the seed, the fixtures of the other
  source forms, the unseen answer letters and generated documents, for every query with a
  ``document`` column the rows of document X are the same whether or not any other documents
  are loaded, and X's named graph is the same too.
- ``kg add`` of unseen answer letters (the seed's signer and instruments, new commitments and
  cross-references) changes no row of the seed and adds no duplicate row to any query; ``kg
  remove`` then gives back every query's output and the dataset exactly (the build graph,
  provenance of the build, aside).
- A document graph built by the pipeline states nothing about a subject it does not own.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg.cli import main
from kg.convert.document import DocumentGraphBuilder
from kg.pipeline.build import build
from kg.pipeline.inputs import load_inputs
from kg.query.library import NamedQuery, list_queries, run
from kg.rdf.namespaces import (
    BUILD_GRAPH,
    ID,
    MINTED_GRAPH,
    ONTOLOGY_GRAPH,
    REFERENCE_GRAPH,
    SHAPES,
    document_graph,
)
from kg.sources.parsers import parse_file
from kg.store import graph_store
from kg.synthetic.generate import generate
from kg.validate import GraphSet, load_shapes, validate_named_graphs
from kg.validate.data import graph_triples
from tests.golden import render, term_text
from tests.golden.corpus import CORPUS_FILES, FIXTURES, UNSEEN_LETTERS, corpus_project
from tests.support import PROJECT, SEED_ID, SEED_PATH

QUERIES = list_queries(PROJECT.queries)


def across_documents(query: NamedQuery) -> set[str]:
    """What of a query other documents decide by design (``#+ across-documents:``): columns
    such as a commitment's status, which a later document that fulfils it changes, or "rows"
    when they decide which rows there are (overdue commitments). The property holds for the
    rest; tests/test_commitment_status.py checks how a later document changes these."""
    return {c.strip() for c in query.header.get("across-documents", "").split(",") if c.strip()}


DOCUMENT_QUERIES = [
    q for q in QUERIES if "document" in q.columns and "rows" not in across_documents(q)
]
GENERATED = 3  # generated letters in the pool: small, and a build of the pool stays quick
POOL_SIZE = len(CORPUS_FILES) + GENERATED  # the seed is the first
# One minted person spelled two ways: "Minister de Jonge" signs the first, "De Jonge" the second.
DE_JONGE = CORPUS_FILES.index(FIXTURES / "corpus" / "ah-tk-20232024-1042.txt")
DE_JONGE_XML = CORPUS_FILES.index(FIXTURES / "sources" / "ah-tk-20232024-877.xml")


def rows_of(store: ox.Store, query: NamedQuery, document: str) -> list[tuple[str, ...]]:
    """The rows of ``query`` whose document is ``document``, rendered as in the golden files."""
    results = run(store, query, query.default_bindings())
    columns = [v.value for v in results.variables if v.value not in across_documents(query)]
    at = columns.index("document")
    mine = term_text(ox.NamedNode(str(ID[f"document/{document}"])))
    rows = [tuple(term_text(row[c]) for c in columns) for row in results]
    return sorted(row for row in rows if row[at] == mine)


class Builds:
    """Stores built from sets of source files, each set built once per test session."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.built: dict[frozenset[Path], ox.Store] = {}
        # Every corpus project holds a copy of the repository's reference data: load it once.
        self.inputs = load_inputs(PROJECT.data, PROJECT.ontology)

    def store(self, files: frozenset[Path]) -> ox.Store:
        if files not in self.built:
            folder = self.root / f"build-{len(self.built)}"
            data = corpus_project(folder / "project", tuple(sorted(files)))
            build(data, folder / "store", PROJECT.ontology, inputs=self.inputs)
            self.built[files] = ox.Store.read_only(str(folder / "store"))
        return self.built[files]


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, str]]:
    """(file, identifier) of every document the property draws from."""
    out = tmp_path_factory.mktemp("generated")
    generated = generate(out, GENERATED, seed=15, reference=PROJECT.data / "reference")
    files = (*CORPUS_FILES, *generated)
    assert len(files) == POOL_SIZE and files[0] == SEED_PATH
    return [(path, parse_file(path).identifier) for path in files]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    return Builds(tmp_path_factory.mktemp("isolation"))


def graph_of(store: ox.Store, identifier: str) -> set[ox.Triple]:
    graph = ox.NamedNode(str(document_graph(identifier)))
    return {q.triple for q in store.quads_for_pattern(None, None, None, graph)}


@pytest.mark.slow  # about ten builds of small corpora
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    target=st.integers(0, POOL_SIZE - 1),
    others=st.frozensets(st.integers(0, POOL_SIZE - 1), min_size=1, max_size=4),
)
# Always: the seed with every other document, and a generated letter with every other one.
@example(target=0, others=frozenset(range(1, POOL_SIZE)))
@example(target=POOL_SIZE - 1, others=frozenset(range(POOL_SIZE - 1)))
# A document's name for an uncurated signer is its own, whatever another document calls them.
@example(target=DE_JONGE, others=frozenset({DE_JONGE_XML}))
def test_a_documents_rows_do_not_depend_on_the_other_documents(
    target: int, others: frozenset[int], pool, builds
) -> None:
    assume(others - {target})
    path, identifier = pool[target]
    alone = builds.store(frozenset({path}))
    together = builds.store(frozenset({path, *(pool[i][0] for i in others)}))
    assert graph_of(alone, identifier) == graph_of(together, identifier)
    for query in DOCUMENT_QUERIES:
        assert rows_of(alone, query, identifier) == rows_of(together, query, identifier), query.name


@pytest.mark.slow
def test_no_query_returns_a_row_twice_on_the_whole_pool(pool, builds) -> None:
    store = builds.store(frozenset(path for path, _ in pool))
    for query in QUERIES:
        results = run(store, query, query.default_bindings())
        columns = [v.value for v in results.variables]
        counted = Counter(tuple(term_text(row[c]) for c in columns) for row in results)
        assert [row for row, times in counted.items() if times > 1] == [], query.name


@pytest.mark.slow  # builds the pool of documents (5 s)
def test_document_graphs_describe_only_their_own_resources(pool, builds) -> None:
    store = builds.store(frozenset(path for path, _ in pool))
    for _, identifier in pool:
        own = str(ID[f"document/{identifier}"])
        foreign = {
            t.subject.value
            for t in graph_of(store, identifier)
            if isinstance(t.subject, ox.NamedNode)
            and t.subject.value != own
            and not t.subject.value.startswith(own + "/")
        }
        assert foreign == set(), identifier


# -- kg add, kg remove --------------------------------------------------------------------------


def snapshot(store_path: Path) -> tuple[dict[str, str], set[ox.Quad]]:
    """Every query's rendered output and every quad outside the build graph."""
    store = ox.Store.read_only(str(store_path))
    outputs = {q.name: render(q, run(store, q, q.default_bindings())) for q in QUERIES}
    build_graph = ox.NamedNode(str(BUILD_GRAPH))
    quads = {q for q in store if q.graph_name != build_graph}
    del store
    return outputs, quads


def seed_rows(store_path: Path) -> dict[str, list[tuple[str, ...]]]:
    store = ox.Store.read_only(str(store_path))
    return {q.name: rows_of(store, q, SEED_ID) for q in DOCUMENT_QUERIES}


@pytest.mark.slow  # three builds with validation: about 15 s on a quiet machine
def test_kg_add_then_remove_restores_every_query_and_the_dataset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = corpus_project(tmp_path / "project", (SEED_PATH,))
    store = tmp_path / "project" / "store"
    paths = ["--data", str(data), "--store", str(store), "--ontology", str(PROJECT.ontology)]
    checked = [*paths, "--shapes", str(PROJECT.shapes)]
    assert main(["build", "--quiet", *checked]) == 0
    before, before_quads = snapshot(store)
    before_seed = seed_rows(store)

    assert main(["add", *[str(p) for p in UNSEEN_LETTERS], *checked]) == 0
    after_add = ox.Store.read_only(str(store))
    for query in QUERIES:
        results = run(after_add, query, query.default_bindings())
        columns = [v.value for v in results.variables]
        counted = Counter(tuple(term_text(row[c]) for c in columns) for row in results)
        assert [row for row, times in counted.items() if times > 1] == [], query.name
    del after_add
    assert seed_rows(store) == before_seed
    # The new letters add rows: commitments of the same signer, in documents of their own.
    added, added_quads = snapshot(store)
    assert added["commitments-by-whom"] != before["commitments-by-whom"]
    # The incremental build made the same minted graph (and everything else) as a full one.
    assert main(["build", "--quiet", "--full", *checked]) == 0
    assert snapshot(store) == (added, added_quads)

    capsys.readouterr()
    for removed, letter in enumerate(UNSEEN_LETTERS, start=1):
        identifier = parse_file(letter).identifier
        assert main(["remove", identifier, *checked]) == 0
        remain = 1 + len(UNSEEN_LETTERS) - removed  # the seed and the letters not yet removed
        out = capsys.readouterr().out
        assert f"Removed {identifier} " in out and f"; {remain} document(s) remain." in out
    after, after_quads = snapshot(store)
    assert after == before
    assert after_quads == before_quads


# -- the ownership shape on a real document graph ---------------------------------------------


def ownership_findings(report: dict) -> set[tuple[str, str, str]]:
    """(focus node, path, value) of every result of the ownership shape in a JSON report."""
    shape = str(SHAPES["DocumentGraphOwnership"])
    return {(r["focus"], r["path"], r["value"]) for r in report["results"] if r["shape"] == shape}


@pytest.mark.slow  # three builds of the seed and a pySHACL run: about 15 s on a quiet machine
def test_build_and_both_engines_refuse_the_old_behaviour(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Put back what a document graph did before: label its signatory, a curated person.
    kg build refuses the graph (the previous store stays current) and kg validate reports it
    with either engine."""
    data = corpus_project(tmp_path / "project", (SEED_PATH,))
    store = tmp_path / "project" / "store"
    paths = ["--data", str(data), "--store", str(store), "--ontology", str(PROJECT.ontology)]
    shapes = ["--shapes", str(PROJECT.shapes)]
    assert main(["build", "--quiet", *paths, *shapes]) == 0
    before = snapshot(store)

    people = DocumentGraphBuilder._people

    def people_labelled_by_the_document(builder: DocumentGraphBuilder) -> dict:
        found = people(builder)
        builder.g.add((found["sender"], RDFS.label, Literal("Aerdts", lang="nl")))
        return found

    monkeypatch.setattr(DocumentGraphBuilder, "_people", people_labelled_by_the_document)
    capsys.readouterr()
    assert main(["build", "--quiet", "--full", *paths, *shapes]) == 1
    refused = capsys.readouterr()
    assert "Violation: shapes:DocumentGraphOwnership" in refused.out  # as kg validate reports
    assert "the previous one stays" in refused.err
    assert snapshot(store) == before

    assert main(["build", "--quiet", "--full", "--no-validate", *paths]) == 0
    seed = str(ID[f"document/{SEED_ID}"])
    expected = {(seed, str(RDFS.label), str(ID["person/aerdts"]))}
    for engine in ("sparql", "pyshacl"):
        command = ["validate", *paths, *shapes, "--format", "json"]
        assert main([*command, "--engine", engine, "--jobs", "1"]) == 1
        report = json.loads(capsys.readouterr().out)
        assert ownership_findings(report) == expected, engine


@pytest.mark.slow
def test_the_ownership_shape_fails_a_document_graph_that_labels_a_curated_person(
    seed_store: ox.Store,
) -> None:
    """What a new answer document did before: label the curated signatory in its own graph."""
    store = graph_store(seed_store)
    context = {
        name: graph_triples(store, str(name))
        for name in (ONTOLOGY_GRAPH, REFERENCE_GRAPH, MINTED_GRAPH)
    }
    name = str(document_graph(SEED_ID))
    document = graph_triples(store, name)
    aerdts = URIRef(ID["person/aerdts"])
    shapes = load_shapes(PROJECT.shapes)

    def ownership_results(triples) -> list[tuple[str, str]]:
        graphs = GraphSet(
            context[ONTOLOGY_GRAPH],
            context[REFERENCE_GRAPH],
            [(name, triples)],
            context[MINTED_GRAPH],
        )
        results, _ = validate_named_graphs(graphs, shapes)  # the engine kg build uses
        ownership = str(SHAPES["DocumentGraphOwnership"])
        return [(str(r.value), r.message) for r in results if r.shape == ownership]

    assert ownership_results(document) == []
    [(value, message)] = ownership_results(
        [*document, (aerdts, RDFS.label, Literal("Aerdts", lang="nl"))]
    )
    assert value == str(aerdts)
    assert "rdf-schema#label" in message and "not one of its own resources" in message
