"""The minted graph of an incremental build: only the descriptions whose claims changed.

The minted graph is a function of the claims of all documents (``kg.convert.minted``): each
entity's description depends only on the claims about it, the reference data and whether a
source document owns it. Rebuilding it from every claim took 51% of a ``kg add`` of one small
document at 1M triples (5.0 s in all, growing with the corpus). An incremental build keeps
the reference data (a change to it is a full build), so the entities whose description can
change are the subjects of the claims of the graphs it drops and of those it writes, and the
entities under a document that appeared or disappeared. Their descriptions are removed and
made again, by the same ``minted_graph``, from all the claims about them; the rest of the graph
stays as it was: the same graph as a full build (``tests/test_incremental.py`` compares them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kg.convert.minted import SOURCE_DOCUMENTS_QUERY, Claim, minted_graph, owning_document
from kg.pipeline.convert_files import ntriples
from kg.pipeline.inputs import Inputs
from kg.rdf.namespaces import AIP, DCTERMS, MINTED_GRAPH, RDF
from kg.rdf.terms import OxToRdflib
from kg.store import EmbeddedStore, GraphStore

CHUNK = 500  # terms per VALUES block
_SUBJECTS = f"""SELECT DISTINCT ?subject WHERE {{ #VALUES
  GRAPH ?graph {{ ?claim a <{RDF.Statement}> ; <{RDF.subject}> ?subject }} }}"""
_DOCUMENTS = f"""SELECT DISTINCT ?document WHERE {{ #VALUES
  GRAPH ?graph {{ ?document a <{AIP.SourceDocument}> }} }}"""
_CLAIMS = f"""SELECT ?claim ?document ?subject ?predicate ?object WHERE {{ #VALUES
  ?claim <{RDF.subject}> ?subject ; a <{RDF.Statement}> ; <{DCTERMS.isPartOf}> ?document ;
     <{RDF.predicate}> ?predicate ; <{RDF.object}> ?object . }}"""
_MINTED_SUBJECTS = (
    f"SELECT DISTINCT ?subject WHERE {{ GRAPH <{MINTED_GRAPH}> {{ ?subject ?p ?o }} }}"
)
_CLAIM_SUBJECTS = f"SELECT DISTINCT ?subject WHERE {{ ?claim <{RDF.subject}> ?subject }}"
_STATEMENT_SUBJECTS = f"""SELECT DISTINCT ?subject WHERE {{ #VALUES
  ?claim <{RDF.subject}> ?subject ; a <{RDF.Statement}> }}"""
_MINTED_SIZE = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{MINTED_GRAPH}> {{ ?s ?p ?o }} }}"


@dataclass
class MintedUpdate:
    """What the graphs an incremental build drops said, read before it drops them."""

    subjects: set[ox.NamedNode]  # of their claims
    documents: set[str]  # the source documents they held

    @classmethod
    def before(cls, store: GraphStore, dropped: Sequence[str]) -> MintedUpdate | None:
        """None when only a full rebuild of the minted graph will do (a remote store, a claim
        about a blank node)."""
        if not isinstance(store, EmbeddedStore):
            return None
        subjects = _claim_subjects(store, dropped)
        if subjects is None:
            return None
        return cls(subjects, _documents(store, dropped))

    def apply(self, store: GraphStore, inputs: Inputs, written: Sequence[str]) -> int | None:
        """Make the descriptions again that the dropped and ``written`` graphs can change;
        the size of the minted graph, or None when it must be rebuilt whole instead."""
        if not isinstance(store, EmbeddedStore):  # as in before(): never made for another
            return None
        subjects = _claim_subjects(store, written)
        if subjects is None:
            return None
        documents = _documents(store, written)
        moved = (documents - self.documents) | (self.documents - documents)
        affected = self.subjects | subjects | _owned_by(store, moved)
        if any(not isinstance(s, ox.NamedNode) for s in affected):
            return None
        _replace_descriptions(store, inputs, affected)
        size = store.store.query(_MINTED_SIZE)
        assert isinstance(size, ox.QuerySolutions)  # a SELECT
        return int(next(iter(size))[0].value)


def _rows(store: EmbeddedStore, query: str, variable: str, terms: Iterable[ox.NamedNode]):
    """``query`` (with ``#VALUES``) for ``terms``, a VALUES block of ``CHUNK`` at a time."""
    listed = sorted(terms, key=str)
    for start in range(0, len(listed), CHUNK):
        values = " ".join(str(t) for t in listed[start : start + CHUNK])
        solutions = store.store.query(
            query.replace("#VALUES", f"VALUES ?{variable} {{ {values} }}"),
            use_default_graph_as_union=True,
        )
        assert isinstance(solutions, ox.QuerySolutions)  # every query given is a SELECT
        yield from solutions


def _claim_subjects(store: EmbeddedStore, graphs: Sequence[str]) -> set | None:
    names = [ox.NamedNode(g) for g in graphs]
    found = {row[0] for row in _rows(store, _SUBJECTS, "graph", names)}
    return found if all(isinstance(s, ox.NamedNode) for s in found) else None


def _documents(store: EmbeddedStore, graphs: Sequence[str]) -> set[str]:
    names = [ox.NamedNode(g) for g in graphs]
    return {row[0].value for row in _rows(store, _DOCUMENTS, "graph", names)}


def _owned_by(store: EmbeddedStore, documents: set[str]) -> set:
    """The entities under ``documents``: in the minted graph (a document that appeared now
    owns them) and among all claims (one that disappeared no longer does).

    The distinct subjects of the minted graph and of all claims are read (some thousands at
    1M triples, 30 ms) and their owners compared in Python; only the claim subjects under
    ``documents`` are then checked to be subjects of an ``rdf:Statement``. One query that
    compared every quad's subject in the engine took 0.4 s of a kg add at 1M, growing with
    the corpus; a loop in Python over every quad took 1.3 s."""
    if not documents:
        return set()

    def owned(query: str) -> set:
        found = store.store.query(query, use_default_graph_as_union=True)
        assert isinstance(found, ox.QuerySolutions)  # a SELECT
        return {
            row[0]
            for row in found
            if isinstance(row[0], ox.NamedNode) and owning_document(row[0].value) in documents
        }

    claimed = owned(_CLAIM_SUBJECTS)
    statements = {row[0] for row in _rows(store, _STATEMENT_SUBJECTS, "subject", claimed)}
    return owned(_MINTED_SUBJECTS) | statements


def _replace_descriptions(store: EmbeddedStore, inputs: Inputs, affected: set) -> None:
    term = OxToRdflib().term
    claims = [
        Claim(
            *(term(row[name]) for name in ("claim", "document", "subject", "predicate", "object"))
        )
        for row in _rows(store, _CLAIMS, "subject", affected)
    ]
    sources = [term(row["document"]) for row in store.query(SOURCE_DOCUMENTS_QUERY)]
    graph = minted_graph(claims, inputs.reference, sources)
    wanted = {term(s) for s in affected}
    minted = ox.NamedNode(str(MINTED_GRAPH))
    for subject in affected:
        for quad in list(store.store.quads_for_pattern(subject, None, None, minted)):
            store.store.remove(quad)
    store.add_to_graph(str(MINTED_GRAPH), ntriples(t for t in graph if t[0] in wanted))
