"""What a resource page shows: the queries that read a resource, and their SPARQL JSON results
turned into rows of terms for the templates (labels, links, the highlighted source passage).

Every IRI under https://w3id.org/ai-beleid/ is linked to this server, so the pages can be
browsed locally.
"""

import json
from dataclasses import dataclass, field
from urllib.parse import quote

from kg.rdf.namespaces import AIP, BASE, ONTOLOGY_GRAPH, ONTOLOGY_IRI, PREFIXES
from kg.rdf.terms import prefixed_name
from kg.server import formats

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
)
PAGE_OFFERS = {
    "text/html": ("html", "text/html; charset=utf-8"),
    **{k: v for k, v in formats.OFFERS[formats.GRAPH].items() if k != "text/plain"},
}
_PROLOGUE = """PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
OUTGOING = (
    _PROLOGUE
    + """SELECT ?r ?p ?o ?g ?label WHERE {
  GRAPH ?g { ?r ?p ?o }
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?label }
}"""
)
INCOMING = (
    _PROLOGUE
    + """SELECT ?r ?s ?p ?label WHERE {
  ?s ?p ?r
  OPTIONAL { ?s skos:prefLabel|rdfs:label ?label }
}"""
)
EVIDENCE = (
    _PROLOGUE
    + """SELECT DISTINCT ?r ?text ?start ?end ?source WHERE {
  { ?r aip:evidence|oa:hasTarget ?t } UNION { ?r oa:hasSelector ?any . BIND (?r AS ?t) }
  ?t oa:hasSource ?source ; oa:hasSelector ?selector .
  ?selector oa:start ?start ; oa:end ?end .
  ?source rdf:value ?text .
} LIMIT 5"""
)
DESCRIPTION = """CONSTRUCT { ?r ?p ?o . ?x ?xp ?xo . ?y ?yp ?yo } WHERE {
  { ?r ?p ?o }
  UNION { ?r ?p1 ?x . ?x ?xp ?xo FILTER (isIRI(?x) && STRSTARTS(STR(?x), CONCAT(STR(?r), "#"))) }
  UNION { ?r ?p1 ?x . ?x ?p2 ?y . ?y ?yp ?yo
          FILTER (isIRI(?x) && isIRI(?y) && STRSTARTS(STR(?x), CONCAT(STR(?r), "#"))
                  && STRSTARTS(STR(?y), CONCAT(STR(?r), "#"))) }
}"""
ONTOLOGY = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
PASSAGE_CONTEXT = 600  # characters shown around a highlighted span


def local_href(iri: str) -> str:
    """Where this server shows an IRI: IRIs of our own URI space map to local paths."""
    if iri.startswith(BASE + "id/") and "#" not in iri:
        return "/doc/" + quote(iri[len(BASE) + 3 :], safe="/:@-._~!$&'()*+,;=")
    if iri == str(ONTOLOGY_IRI) or iri.startswith(str(AIP)):
        return "/def/aip" + iri[len(str(ONTOLOGY_IRI)) :]
    return "/page?iri=" + quote(iri, safe="")


LINK_SCHEMES = ("http:", "https:", "mailto:")


def linkable(iri: str) -> bool:
    """Whether an IRI from the data may be a link target (case-insensitive scheme)."""
    return iri.lower().startswith(LINK_SCHEMES)


CURIE_PREFIXES = {**PREFIXES, "graph": BASE + "graph/"}


def curie(iri: str) -> str:
    return prefixed_name(iri, CURIE_PREFIXES) or iri


@dataclass
class Term:
    """One RDF term from a SPARQL JSON result, ready for a template."""

    kind: str  # uri, bnode, literal
    value: str
    lang: str = ""
    datatype: str = ""
    label: str = ""

    @property
    def href(self) -> str:
        return local_href(self.value) if self.kind == "uri" else ""

    @property
    def external(self) -> str:
        """The IRI as an outside link, only for the schemes a browser cannot run (no
        ``javascript:``, ``data:``...); other IRIs are shown through ``/page`` only."""
        if self.kind != "uri" or self.value.startswith(BASE):
            return ""
        return self.value if linkable(self.value) else ""

    @property
    def text(self) -> str:
        if self.kind == "uri":
            return self.label or curie(self.value)
        if self.kind == "bnode":
            return f"_:{self.value}"
        return self.value

    @property
    def datatype_curie(self) -> str:
        return curie(self.datatype) if self.datatype else ""


def _term(binding: dict | None) -> Term | None:
    if binding is None:
        return None
    kind = binding["type"]
    return Term(
        "literal" if kind in ("literal", "typed-literal") else kind,
        binding["value"] if kind != "triple" else json.dumps(binding["value"]),
        binding.get("xml:lang", ""),
        binding.get("datatype", ""),
    )


def best_label(labels: list[Term]) -> str:
    for lang in ("nl", "en", ""):
        for label in labels:
            if label.lang == lang:
                return label.value
    return labels[0].value if labels else ""


@dataclass
class Row:
    predicate: Term
    value: Term
    graphs: set[str] = field(default_factory=set)
    labels: list[Term] = field(default_factory=list)


def group_rows(bindings: list[dict], pred: str, value: str, graph: str | None) -> list[Row]:
    rows: dict[tuple, Row] = {}
    for b in bindings:
        key = (b[pred]["value"], json.dumps(b[value], sort_keys=True))
        row = rows.get(key)
        if row is None:
            row = rows[key] = Row(_term(b[pred]), _term(b[value]))
        if graph and graph in b:
            row.graphs.add(b[graph]["value"])
        if "label" in b:
            label = _term(b["label"])
            if label not in row.labels:
                row.labels.append(label)
    for row in rows.values():
        row.value.label = best_label(row.labels) if row.value.kind == "uri" else ""
        row.predicate.label = ""
    order = {RDF_TYPE: 0, **{p: 1 for p in LABEL_PROPERTIES}}
    return sorted(
        rows.values(),
        key=lambda r: (order.get(r.predicate.value, 2), curie(r.predicate.value), r.value.text),
    )


def passage(text: str, start: int, end: int) -> dict[str, str]:
    """The paragraph(s) around [start, end), cut to PASSAGE_CONTEXT characters each side."""
    lo = text.rfind("\n\n", 0, start)
    lo = max(lo + 2 if lo >= 0 else 0, start - PASSAGE_CONTEXT)
    hi = text.find("\n\n", end)
    hi = min(hi if hi >= 0 else len(text), end + PASSAGE_CONTEXT)
    return {
        "before": ("…" if lo > 0 else "") + text[lo:start],
        "span": text[start:end],
        "after": text[end:hi] + ("…" if hi < len(text) else ""),
    }
