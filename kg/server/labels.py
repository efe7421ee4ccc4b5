"""Labels of the IRIs in a result and the result's cells as a person reads them: what the
research page's tables show, in the event loop's routes (``/api/labels``) and in the query
workers that render a whole results page (``kg.server.results_page``). No web framework here:
a worker imports this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from kg.rdf.namespaces import BASE
from kg.server.resource_page import curie, linkable, local_href

MAX_LABELLED = 2000  # IRIs per label request: a page shows at most a few thousand cells
UNSAFE_IRI = set(' <>"{}|^`\\')
_PREFIXES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""
LABELS = (
    _PREFIXES
    + """SELECT ?r ?label ?rank WHERE {
  VALUES ?r { %s }
  { ?r skos:prefLabel ?label BIND (0 AS ?rank) }
  UNION { ?r dcterms:title ?label BIND (1 AS ?rank) }
  UNION { ?r rdfs:label ?label BIND (2 AS ?rank) }
  UNION { ?r dcterms:identifier ?label BIND (3 AS ?rank) }
}"""
)
IDENTIFIER_RANK = 3  # a name only where nothing has a label (a cited Kamerstuk, for example)


def pick_label(candidates: list[tuple[int, str, str]], lang: str) -> str:
    """The best of (property rank, language, text): the page's language first, then untagged,
    then any; skos:prefLabel before dcterms:title before rdfs:label; dcterms:identifier only
    when there is none of these."""
    candidates = [c for c in candidates if c[0] < IDENTIFIER_RANK] or candidates

    def order(candidate: tuple[int, str, str]) -> tuple[int, int]:
        rank, tag, _ = candidate
        language_rank = 0 if tag == lang else 1 if not tag else 2 if tag in ("nl", "en") else 3
        return (language_rank, rank)

    return min(candidates, key=order)[2] if candidates else ""


def safe_iri(iri: str) -> bool:
    """An absolute IRI that can be written between < and > as it is (IRIREF of SPARQL)."""
    return ":" in iri and not UNSAFE_IRI & set(iri) and all(ord(c) > 0x20 for c in iri)


def labels_query(iris: list[str]) -> str | None:
    """The query for the labels of (at most ``MAX_LABELLED`` of) ``iris``; None if none fit."""
    wanted = [i for i in dict.fromkeys(iris) if safe_iri(i)][:MAX_LABELLED]
    return LABELS % " ".join(f"<{iri}>" for iri in wanted) if wanted else None


def labels_from(bindings: list[dict], lang: str) -> dict[str, str]:
    """IRI -> its best label, from the SPARQL JSON bindings of ``labels_query``."""
    found: dict[str, list[tuple[int, str, str]]] = {}
    for b in bindings:
        label = b["label"]
        found.setdefault(b["r"]["value"], []).append(
            (int(b["rank"]["value"]), label.get("xml:lang", ""), label["value"])
        )
    return {iri: pick_label(candidates, lang) for iri, candidates in found.items()}


@dataclass
class Cell:
    text: str
    href: str = ""
    title: str = ""
    external: str = ""
    kind: str = "literal"


def cell(binding: dict | None, label_of: dict[str, str]) -> Cell:
    """One result cell as a person reads it: a label linked to its page (the IRI on hover), or
    a literal's value (its language or datatype on hover)."""
    if binding is None:
        return Cell("")
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        external = value if not value.startswith(BASE) and linkable(value) else ""
        return Cell(label_of.get(value) or curie(value), local_href(value), value, external, "uri")
    if kind == "bnode":
        return Cell(f"_:{value}", kind="bnode")
    if kind == "triple":
        return Cell(json.dumps(value), kind="triple")
    lang, datatype = binding.get("xml:lang"), binding.get("datatype")
    title = f"@{lang}" if lang else curie(datatype) if datatype else ""
    return Cell(value, title=title)


def uris_in(result: dict) -> list[str]:
    return uris_in_rows(result.get("results", {}).get("bindings", []))


def uris_in_rows(rows: list[dict]) -> list[str]:
    return [b["value"] for row in rows for b in row.values() if b.get("type") == "uri"]
