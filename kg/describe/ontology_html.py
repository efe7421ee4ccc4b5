"""HTML documentation of the ontology, generated from its Turtle.

One self-contained page (no external assets): the ontology's metadata, then every class,
property and concept scheme with its Dutch and English label and definition. Each term has an
anchor equal to its local name, so ``{ontology IRI}#Question`` lands on the class Question.
"""

from __future__ import annotations

from html import escape

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.rdf.namespaces import AIP, ONTOLOGY_IRI, PREFIXES, SCHEMA

SECTIONS = (
    ("classes", "Klassen / Classes", (OWL.Class,)),
    ("object-properties", "Objecteigenschappen / Object properties", (OWL.ObjectProperty,)),
    (
        "datatype-properties",
        "Datatype-eigenschappen / Datatype properties",
        (OWL.DatatypeProperty,),
    ),
)
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.45; color: #1b1b1b; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
section.term { border-left: 3px solid #154273; padding: .3rem 1rem; margin: 1.2rem 0; }
section.term:target { background: #fff8d6; }
code { background: #f3f3f3; padding: 0 .2rem; } dt { font-weight: 600; } dd { margin: 0 0 .4rem 1rem; }
.lang { color: #666; font-size: .8em; margin-right: .3rem; } nav a { margin-right: .8rem; }
"""


def _texts(graph: Graph, subject: URIRef, prop: URIRef) -> list[tuple[str, str]]:
    values = [
        (v.language or "", str(v)) for v in graph.objects(subject, prop) if isinstance(v, Literal)
    ]
    return sorted(values, key=lambda v: ({"nl": 0, "en": 1}.get(v[0], 2), v[1]))


def _curie(iri: URIRef) -> str:
    text = str(iri)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)) :]}"
    return text


def _link(iri: URIRef) -> str:
    if str(iri).startswith(str(AIP)):
        local = str(iri)[len(str(AIP)) :]
        return f'<a href="#{escape(local)}"><code>aip:{escape(local)}</code></a>'
    return f'<a href="{escape(str(iri))}"><code>{escape(_curie(iri))}</code></a>'


def _multilingual(graph: Graph, subject: URIRef, prop: URIRef) -> str:
    return "".join(
        f'<p><span class="lang">{escape(lang)}</span>{escape(text)}</p>'
        for lang, text in _texts(graph, subject, prop)
    )


def _relations(graph: Graph, term: URIRef) -> str:
    rows = []
    for label, prop in (
        ("subClassOf", RDFS.subClassOf),
        ("subPropertyOf", RDFS.subPropertyOf),
        ("domain", RDFS.domain),
        ("range", RDFS.range),
        ("range includes", SCHEMA.rangeIncludes),
        ("inScheme", SKOS.inScheme),
    ):
        values = sorted(v for v in graph.objects(term, prop) if isinstance(v, URIRef))
        if values:
            rows.append(f"<dt>{label}</dt><dd>{', '.join(_link(v) for v in values)}</dd>")
    comments = _multilingual(graph, term, RDFS.comment)
    if comments:
        rows.append(f"<dt>note</dt><dd>{comments}</dd>")
    return f"<dl>{''.join(rows)}</dl>" if rows else ""


def _term(graph: Graph, term: URIRef) -> str:
    anchor = str(term)[len(str(AIP)) :] if str(term).startswith(str(AIP)) else _curie(term)
    labels = " / ".join(escape(text) for _, text in _texts(graph, term, RDFS.label))
    return (
        f'<section class="term" id="{escape(anchor)}"><h3>{labels}</h3>'
        f"<p><code>{escape(str(term))}</code></p>"
        f"{_multilingual(graph, term, SKOS.definition)}{_relations(graph, term)}</section>"
    )


def _schemes(graph: Graph) -> str:
    parts = []
    for scheme in sorted(
        s for s in graph.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)
    ):
        concepts = sorted(c for c in graph.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef))
        parts.append(_term(graph, scheme) + "".join(_term(graph, c) for c in concepts))
    return "".join(parts)


def render_ontology_html(graph: Graph) -> str:
    """The ontology (and its concept schemes, if in ``graph``) as one HTML page."""
    title = (
        " / ".join(escape(t) for _, t in _texts(graph, ONTOLOGY_IRI, DCTERMS.title)) or "Ontology"
    )
    version = next(graph.objects(ONTOLOGY_IRI, OWL.versionIRI), None)
    body = [
        f"<h1>{title}</h1>",
        f"<p>IRI: <code>{escape(str(ONTOLOGY_IRI))}</code>"
        + (f"<br>Version: <code>{escape(str(version))}</code>" if version else "")
        + f'<br>Turtle: <a href="{escape(str(ONTOLOGY_IRI))}.ttl">aip.ttl</a></p>',
        _multilingual(graph, ONTOLOGY_IRI, DCTERMS.description),
        "<nav>"
        + "".join(f'<a href="#{sid}">{escape(name)}</a>' for sid, name, _ in SECTIONS)
        + '<a href="#schemes">Begrippenkaders / Concept schemes</a></nav>',
    ]
    for section_id, name, types in SECTIONS:
        terms = sorted(
            {
                t
                for kind in types
                for t in graph.subjects(RDF.type, kind)
                if isinstance(t, URIRef) and str(t).startswith(str(AIP))
            }
        )
        body.append(f'<h2 id="{section_id}">{escape(name)} ({len(terms)})</h2>')
        body.extend(_term(graph, t) for t in terms)
    body.append('<h2 id="schemes">Begrippenkaders / Concept schemes</h2>')
    body.append(_schemes(graph))
    return (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
        f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>"
    )
