"""The dataset's DCAT record, from the catalogue ``kg export`` wrote and validated: as RDF/XML
(``catalog_rdfxml``) and as an HTML page with the dataset's titles, description, themes, period
and downloads (``record_page``), each made once per version of the catalogue. Served on
``/catalog`` and on the dataset IRI's page by ``kg.server.routes.catalog``.
"""

from __future__ import annotations

import html
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDFS, SKOS
from rdflib.term import Identifier

from kg.rdf.namespaces import DATASET, VCARD
from kg.server.cache import CachedAnswer
from kg.server.context import ServerContext


def catalog_rdfxml(context: ServerContext, folder: Path) -> bytes:
    """The exported catalogue as RDF/XML, made from catalog.ttl once per version of it (the
    export writes Turtle and JSON-LD; harvesters of the EU data portal family also read XML)."""
    catalog = folder / "catalog.ttl"
    stat = catalog.stat()
    key = ("catalog-rdfxml", str(catalog), stat.st_mtime_ns, stat.st_size)
    build = context.settings.build()
    cached = context.pages.get(build, key)
    if cached is None:
        graph = Graph().parse(catalog, format="turtle")
        body = graph.serialize(format="xml", encoding="utf-8")
        cached = CachedAnswer(body, "application/rdf+xml")
        context.pages.put(build, key, cached)
    return cached.body


def record_page(context: ServerContext, catalog: Path) -> bytes:
    """The record's HTML page, made once per version of the catalogue: parsing it takes the
    event loop about 25 ms, too long to spend on every request."""
    stat = catalog.stat()
    key = ("record", str(catalog), stat.st_mtime_ns, stat.st_size)
    build = context.settings.build()
    cached = context.pages.get(build, key)
    if cached is None:
        cached = CachedAnswer(
            record_html(catalog.read_text(encoding="utf-8")).encode(), "text/html"
        )
        context.pages.put(build, key, cached)
    return cached.body


def record_html(catalog_turtle: str) -> str:
    """The dataset's DCAT record as a small HTML page (Dutch first, English beside it)."""
    g = Graph().parse(data=catalog_turtle, format="turtle")

    def text(node, prop, lang="nl") -> str:
        values = [v for v in g.objects(node, prop) if getattr(v, "language", None) == lang]
        return html.escape(str(values[0])) if values else ""

    period = g.value(DATASET, DCTERMS.temporal)
    themes = sorted(text(t, SKOS.prefLabel) or text(t, SKOS.prefLabel, "en")
                    for t in g.objects(DATASET, DCAT.theme))  # fmt: skip
    rows = []
    # Every term parsed from Turtle is an Identifier, which orders (rdflib's Node does not).
    distributions = (d for d in g.objects(DATASET, DCAT.distribution) if isinstance(d, Identifier))
    for dist in sorted(distributions):
        url = str(g.value(dist, DCAT.downloadURL) or "")
        name = html.escape(url.rsplit("/", 1)[-1])
        rows.append(
            f'<tr><td><a href="/download/{name}">{name}</a></td>'
            f"<td>{text(dist, DCTERMS.title)}<br><small>{text(dist, DCTERMS.title, 'en')}"
            f"</small></td><td>{text(dist, DCTERMS.description)}</td>"
            f"<td>{g.value(dist, DCAT.byteSize) or ''}</td></tr>"
        )
    publisher = g.value(DATASET, DCTERMS.publisher)
    contact = g.value(DATASET, DCAT.contactPoint)
    # DCAT-AP puts the licence on the catalogue and the distributions, not on the dataset.
    catalogue = g.value(predicate=DCAT.dataset, object=DATASET)
    licence = g.value(catalogue, DCTERMS.license) if catalogue is not None else None
    return f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>{text(DATASET, DCTERMS.title)}</title>
<link rel="alternate" type="text/turtle" href="/catalog">
<link rel="stylesheet" href="/static/style.css"></head>
<body><main>
<h1>{text(DATASET, DCTERMS.title)} <small lang="en">{text(DATASET, DCTERMS.title, "en")}</small></h1>
<p><code>{html.escape(str(DATASET))}</code> &middot; DCAT-AP: <a href="/catalog">Turtle</a></p>
<p>{text(DATASET, DCTERMS.description)}</p>
<p lang="en">{text(DATASET, DCTERMS.description, "en")}</p>
<dl>
<dt>Uitgever / Publisher</dt><dd>{_link(publisher, text(publisher, FOAF.name))}</dd>
<dt>Contact</dt><dd>{_contact(g, contact)}</dd>
<dt>Licentie / Licence</dt><dd>{_link(licence, html.escape(str(g.value(licence, RDFS.label) or "")))}</dd>
<dt>Thema's / Themes</dt><dd>{", ".join(themes)}</dd>
<dt>Periode / Period</dt><dd>{g.value(period, DCAT.startDate) or ""} &ndash;
{g.value(period, DCAT.endDate) or ""}</dd>
</dl>
<table><thead><tr><th>Bestand / File</th><th>Titel / Title</th><th>Beschrijving</th>
<th>Bytes</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table>
</main></body></html>
"""


def _link(iri, label: str) -> str:
    if iri is None:
        return ""
    href = html.escape(str(iri))
    return f'<a href="{href}">{label or href}</a>'


def _contact(g: Graph, contact) -> str:
    """Name, e-mail, telephone and web page of the contact point, as links."""
    if contact is None:
        return ""
    parts = [html.escape(str(g.value(contact, VCARD.fn) or ""))]
    for prop in (VCARD.hasEmail, VCARD.hasTelephone, VCARD.hasURL):
        value = g.value(contact, prop)
        if value is not None:
            shown = str(value).removeprefix("mailto:").removeprefix("tel:")
            parts.append(_link(value, html.escape(shown)))
    return " &middot; ".join(p for p in parts if p)


__all__ = ["catalog_rdfxml", "record_html", "record_page"]
