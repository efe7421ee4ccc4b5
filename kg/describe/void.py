"""A VoID description of the dataset, computed from the store.

Used by the endpoint (``/.well-known/void``) and by the export (``void.ttl``), so that both
describe the same dataset with the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, XSD

from kg.rdf.namespaces import (
    BASE,
    DATASET,
    ID,
    ONTOLOGY_IRI,
    PREFIXES,
    SD,
    VOID,
)
from kg.store import graph_store

REUSED_VOCABULARIES = (
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/oa#",
    "http://xmlns.com/foaf/0.1/",
    "https://schema.org/",
)
# The external datasets our links point into, by the IRI prefix of the link's object:
# prefix -> (local name of the linkset, target dataset IRI, title, home page).
LINK_TARGETS: dict[str, tuple[str, str, str, str]] = {
    "http://publications.europa.eu/resource/celex/": (
        "cellar",
        "http://publications.europa.eu/resource/dataset/cellar",
        "Cellar (EU Publications Office), CELEX identifiers",
        "https://op.europa.eu/",
    ),
    "http://publications.europa.eu/resource/authority/corporate-body/": (
        "eu-corporate-bodies",
        "http://publications.europa.eu/resource/authority/corporate-body",
        "EU Vocabularies, Corporate bodies (Publications Office authority table)",
        "https://op.europa.eu/en/web/eu-vocabularies",
    ),
    "http://data.europa.eu/eli/": (
        "eli", "http://data.europa.eu/eli/", "EUR-Lex, European Legislation Identifier",
        "https://eur-lex.europa.eu/",
    ),
    "https://eur-lex.europa.eu/": (
        "eur-lex", "https://eur-lex.europa.eu/", "EUR-Lex", "https://eur-lex.europa.eu/",
    ),
    "http://www.wikidata.org/entity/": (
        "wikidata", "http://www.wikidata.org/", "Wikidata", "https://www.wikidata.org/",
    ),
    "https://www.wikidata.org/wiki/": (
        "wikidata-page", "http://www.wikidata.org/", "Wikidata", "https://www.wikidata.org/",
    ),
    "https://identifier.overheid.nl/tooi/id/": (
        "tooi", "https://identifier.overheid.nl/tooi/", "TOOI (KOOP), registers of Dutch "
        "government organisations", "https://standaarden.overheid.nl/tooi",
    ),
    "https://zoek.officielebekendmakingen.nl/": (
        "officielebekendmakingen", "https://zoek.officielebekendmakingen.nl/",
        "Officiële bekendmakingen", "https://zoek.officielebekendmakingen.nl/",
    ),
    "https://open.overheid.nl/": (
        "open-overheid", "https://open.overheid.nl/", "Open overheid", "https://open.overheid.nl/",
    ),
    "https://uitspraken.rechtspraak.nl/": (
        "rechtspraak", "https://uitspraken.rechtspraak.nl/", "Rechtspraak, published judgments "
        "(ECLI)", "https://uitspraken.rechtspraak.nl/",
    ),
    "https://www.wrr.nl/": (
        "wrr", "https://www.wrr.nl/", "WRR (Scientific Council for Government Policy), "
        "publications", "https://www.wrr.nl/",
    ),
}  # fmt: skip
# Properties that link a resource of ours to the same or a related resource elsewhere.
LINK_PREDICATES = (
    "http://www.w3.org/2002/07/owl#sameAs",
    "http://www.w3.org/2004/02/skos/core#exactMatch",
    "http://www.w3.org/2004/02/skos/core#closeMatch",
    "http://www.w3.org/2004/02/skos/core#relatedMatch",
    "http://www.w3.org/2004/02/skos/core#broadMatch",
    "http://www.w3.org/2004/02/skos/core#narrowMatch",
    "http://www.w3.org/2000/01/rdf-schema#seeAlso",
    "https://schema.org/sameAs",
)


@dataclass(frozen=True)
class DatasetStatistics:
    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    classes: dict[str, int] = field(default_factory=dict)  # class IRI -> instances
    properties: dict[str, int] = field(default_factory=dict)  # property IRI -> triples
    graphs: dict[str, int] = field(default_factory=dict)  # named graph IRI -> triples
    links: dict[tuple[str, str], int] = field(default_factory=dict)  # (predicate, prefix) -> n


def _ints(store, query: str) -> dict[str, int]:
    return {row["key"].value: int(row["n"].value) for row in _select(store, query)}


def statistics(store) -> DatasetStatistics:
    [totals] = list(
        _select(
            store,
            "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?ds) (COUNT(DISTINCT ?o) AS ?do) "
            "WHERE { ?s ?p ?o }",
        )
    )
    # Entities: resources of our own URI space that have a type.
    [entities] = list(
        _select(
            store,
            f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c
                FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{ID}")) }}""",
        )
    )
    links = count_links(store)
    return DatasetStatistics(
        triples=int(totals["t"].value),
        entities=int(entities["n"].value),
        distinct_subjects=int(totals["ds"].value),
        distinct_objects=int(totals["do"].value),
        classes=_ints(
            store, "SELECT (?c AS ?key) (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
        ),
        properties=_ints(
            store, "SELECT (?p AS ?key) (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"
        ),
        graphs={
            row["key"].value: int(row["n"].value)
            for row in _select(
                store,
                "SELECT (?g AS ?key) (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            )
        },
        links=links,
    )


def _select(store, text: str):
    """A SELECT over the union of the graphs, on a kg.store.GraphStore or a bare pyoxigraph
    Store (wrapped, so both query that union the same way)."""
    return graph_store(store).query(text, None)


def count_links(store) -> dict[tuple[str, str], int]:
    """(link predicate, target prefix) -> links from a resource of ours into that dataset."""
    predicates = " ".join(f"<{p}>" for p in LINK_PREDICATES)
    prefixes = " ".join(f'"{prefix}"' for prefix in LINK_TARGETS)
    text = f"""SELECT ?p ?prefix (COUNT(*) AS ?n) WHERE {{
        VALUES ?p {{ {predicates} }}
        ?s ?p ?o
        FILTER (isIRI(?o) && isIRI(?s) && STRSTARTS(STR(?s), "{ID}"))
        VALUES ?prefix {{ {prefixes} }}
        FILTER (STRSTARTS(STR(?o), ?prefix))
    }} GROUP BY ?p ?prefix"""
    return {
        (row["p"].value, row["prefix"].value): int(row["n"].value) for row in _select(store, text)
    }


def describe(
    store,
    *,
    sparql_endpoint: str | None = None,
    data_dumps: Sequence[str] = (),
) -> Graph:
    """The VoID description: totals, class and property partitions, one subset per named graph,
    linksets to the EU and Dutch datasets our IRIs point into."""
    stats = statistics(store)
    g = Graph()
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    d = DATASET
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, DCTERMS.title, Literal("AI-beleid kennisgraaf", lang="nl")))
    g.add((d, DCTERMS.title, Literal("AI policy knowledge graph", lang="en")))
    g.add((d, VOID.uriSpace, Literal(str(ID))))
    g.add((d, VOID.triples, Literal(stats.triples)))
    g.add((d, VOID.entities, Literal(stats.entities)))
    g.add((d, VOID.distinctSubjects, Literal(stats.distinct_subjects)))
    g.add((d, VOID.distinctObjects, Literal(stats.distinct_objects)))
    g.add((d, VOID.classes, Literal(len(stats.classes))))
    g.add((d, VOID.properties, Literal(len(stats.properties))))
    g.add((d, VOID.vocabulary, URIRef(f"{ONTOLOGY_IRI}#")))
    for vocabulary in REUSED_VOCABULARIES:
        g.add((d, VOID.vocabulary, URIRef(vocabulary)))
    g.add((d, VOID.exampleResource, ID["instrument/nadi"]))
    g.add((d, VOID.rootResource, ID["document/2026D32673"]))
    if sparql_endpoint:
        g.add((d, VOID.sparqlEndpoint, URIRef(sparql_endpoint)))
    for dump in data_dumps:
        g.add((d, VOID.dataDump, URIRef(dump)))
    for cls, count in sorted(stats.classes.items()):
        part = URIRef(f"{d}#class-{_local(cls)}")
        g.add((d, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(count)))
    for prop, count in sorted(stats.properties.items()):
        part = URIRef(f"{d}#property-{_local(prop)}")
        g.add((d, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(count)))
    for graph, count in sorted(stats.graphs.items()):
        subset = URIRef(f"{d}#graph-{graph.removeprefix(BASE + 'graph/').replace('/', '-')}")
        g.add((d, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD.name, URIRef(graph)))
        g.add((subset, VOID.triples, Literal(count)))
    _linksets(g, stats.links)
    g.add((d, DCTERMS.modified, Literal(built_at(store), datatype=XSD.dateTime)))
    return g


def _linksets(g: Graph, links: dict[tuple[str, str], int]) -> None:
    """One void:Linkset per link predicate and target dataset, with its count; each target
    described as a void:Dataset with its URI space."""
    d = DATASET
    for (predicate, prefix), count in sorted(links.items()):
        name, target, title, homepage = LINK_TARGETS[prefix]
        linkset = URIRef(f"{d}#links-{name}-{_local(predicate)}")
        g.add((d, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.subjectsTarget, d))
        g.add((linkset, VOID.objectsTarget, URIRef(target)))
        g.add((linkset, VOID.linkPredicate, URIRef(predicate)))
        g.add((linkset, VOID.triples, Literal(count)))
        g.add((URIRef(target), RDF.type, VOID.Dataset))
        g.add((URIRef(target), DCTERMS.title, Literal(title)))
        g.add((URIRef(target), VOID.uriSpace, Literal(prefix)))
        g.add((URIRef(target), FOAF.homepage, URIRef(homepage)))


def built_at(store) -> str:
    """When the store's build ended, to the second (``2026-07-01T12:00:00+00:00``): what
    ``dct:modified`` says in the VoID and the catalogue. The build graph keeps the exact time;
    a harvester compares dates, and a fraction of a second only makes each one look new."""
    rows = list(
        _select(
            store,
            "PREFIX prov: <http://www.w3.org/ns/prov#> "
            "SELECT (MAX(?t) AS ?latest) WHERE { ?a prov:endedAtTime ?t }",
        )
    )
    latest = rows[0]["latest"] if rows else None
    if latest is None:
        return "1970-01-01T00:00:00+00:00"
    try:
        moment = datetime.fromisoformat(latest.value)
    except ValueError:  # not an xsd:dateTime Python reads: leave it as the store has it
        return latest.value
    return moment.replace(microsecond=0).isoformat()


def _local(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)):
            return f"{prefix}-{iri[len(str(namespace)) :]}".replace("/", "-")
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


__all__ = [
    "LINK_PREDICATES",
    "LINK_TARGETS",
    "DatasetStatistics",
    "count_links",
    "describe",
    "statistics",
]
