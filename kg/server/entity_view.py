"""What makes the page of a person, a post, a debate or a cited document read as one: the posts
held, the documents signed or asked in, the documents that answer or cite it,
each with its date and linked; and the property table as a person reads it, each property by its
name in the page's language, a literal's languages on one row each.

One query (``RELATIONS``) asks all relations at once for the IRI of the page; a relation with
no rows is left out of the page, so any resource (curated or minted) gets the sections that
apply to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.server.resource_page import RDF_TYPE, Row, Term, local_href

_DATED = """OPTIONAL { ?document dcterms:dateSubmitted ?received }
    OPTIONAL { ?document aip:respondsTo/dcterms:date ?debateDate }
    BIND (COALESCE(?received, ?debateDate) AS ?date)"""
# A relation to a document dates it (inside its own branch: an OPTIONAL after the UNION would
# join an unbound ?document with every document).
RELATIONS = f"""PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
SELECT DISTINCT ?relation ?item ?document ?date ?text WHERE {{
  {{
    {{ ?r org:holds ?item }} UNION {{ ?item org:heldBy ?r }}
    BIND ("holds" AS ?relation)
  }} UNION {{
    {{ ?item org:holds ?r }} UNION {{ ?r org:heldBy ?item }}
    BIND ("held_by" AS ?relation)
  }} UNION {{
    ?r org:memberOf ?item BIND ("member" AS ?relation)
  }} UNION {{
    {{ ?item aip:sender ?r }} UNION {{ ?item aip:senderPost ?r }}
    BIND ("signed" AS ?relation) BIND (?item AS ?document) {_DATED}
  }} UNION {{
    ?item aip:onBehalfOf ?r BIND ("on_behalf" AS ?relation) BIND (?item AS ?document) {_DATED}
  }} UNION {{
    ?question aip:askedBy ?r ; dcterms:isPartOf ?item
    BIND ("asked" AS ?relation) BIND (?item AS ?document) {_DATED}
  }} UNION {{
    ?item aip:respondsTo ?r BIND ("responds" AS ?relation) BIND (?item AS ?document) {_DATED}
  }} UNION {{
    ?item aip:askedIn ?r ; dcterms:isPartOf ?document
    OPTIONAL {{ ?item schema:text ?text }}
    BIND ("asked_in" AS ?relation) {_DATED}
  }} UNION {{
    ?item dcterms:references ?r BIND ("cites" AS ?relation)
    OPTIONAL {{ ?item dcterms:isPartOf ?part }}
    BIND (COALESCE(?part, ?item) AS ?document) {_DATED}
  }}
}}"""
# A person's commitments are the commitments table of the page (status, deadlines), not here.
ORDER = ("holds", "held_by", "member", "signed", "on_behalf", "asked", "responds", "asked_in",
         "cites")  # fmt: skip
MAX_TEXT = 300


def relations_from(bindings: list[dict]) -> dict[str, list[dict]]:
    """The RELATIONS rows as relation -> items (each once, newest first, then by label later)."""
    found: dict[str, dict[str, dict]] = {}
    for b in bindings:
        relation = b["relation"]["value"]
        iri = b["item"]["value"]
        item = found.setdefault(relation, {}).setdefault(iri, {
            "iri": iri, "href": local_href(iri),
            "document": b.get("document", {}).get("value", ""),
            "date": b.get("date", {}).get("value", ""),
            "text": " ".join(b.get("text", {}).get("value", "").split())[:MAX_TEXT],
        })  # fmt: skip
        item["date"] = item["date"] or b.get("date", {}).get("value", "")
    return {
        relation: sorted(
            found[relation].values(), key=lambda i: (i["date"], i["iri"]), reverse=True
        )
        for relation in ORDER
        if relation in found
    }


def iris_to_name(relations: dict[str, list[dict]]) -> list[str]:
    return [iri for items in relations.values() for i in items
            for iri in (i["iri"], i["document"]) if iri]  # fmt: skip


def name_relations(relations: dict[str, list[dict]], names: dict[str, str]) -> None:
    for items in relations.values():
        for item in items:
            item["label"] = names.get(item["iri"], "") or item["iri"].rsplit("/", 2)[-2:][-1]
            item["document_label"] = names.get(item["document"], "") if item["document"] else ""
            item["document_href"] = local_href(item["document"]) if item["document"] else ""


@dataclass
class PropertyRow:
    """One property of the page's resource: its name, the values that are no text in a
    language (each a Row, with its graphs), and per language its texts."""

    predicate: Term
    values: list[Row] = field(default_factory=list)
    languages: list[tuple[str, list[str], set[str]]] = field(default_factory=list)


def by_property(rows: list[Row], lang: str, names: dict[str, str]) -> list[PropertyRow]:
    """``rows`` (sorted as the page lists them) grouped by property, named in ``lang``; texts
    with a language on one line per language, the page's language first."""
    grouped: dict[str, PropertyRow] = {}
    texts: dict[str, dict[str, tuple[list[str], set[str]]]] = {}
    for row in rows:
        if row.predicate.value == RDF_TYPE:
            continue
        iri = row.predicate.value
        if iri not in grouped:
            row.predicate.label = names.get(iri, "")
            grouped[iri] = PropertyRow(row.predicate)
        if row.value.kind == "literal" and row.value.lang:
            values, graphs = texts.setdefault(iri, {}).setdefault(row.value.lang, ([], set()))
            values.append(row.value.value)
            graphs.update(row.graphs)
        else:
            grouped[iri].values.append(row)
    for iri, by_language in texts.items():
        order = sorted(by_language, key=lambda tag: (tag != lang, tag))
        grouped[iri].languages = [(tag, *by_language[tag]) for tag in order]
    return list(grouped.values())
