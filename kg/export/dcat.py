"""The DCAT-AP 3 / DCAT-AP-NL 3.0 catalogue of the dataset.

One catalogue, one dataset (the same resource as the VoID dataset, ``kg.rdf.namespaces.DATASET``),
one distribution per exported file, and the SPARQL endpoint as a ``dcat:DataService``. Every
controlled value is an EU authority IRI, typed and labelled in the catalogue itself, because
DCAT-AP's range shapes check the class of each value and the portals do not load the EU
vocabularies for us.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from kg.describe.void import built_at
from kg.export.config import (
    LICENCES,
    PUBLISHER_TYPE_NS,
    PUBLISHER_TYPES,
    Agent,
    ExportConfig,
)
from kg.export.files import FILE_KINDS, ExportedFile, FileKind, file_kind
from kg.export.themes import (
    EU_THEME_SCHEME,
    EU_THEMES,
    OWMS_THEME_SCHEME,
    OWMS_THEMES,
    eu_theme_iri,
    owms_theme_iri,
)
from kg.query.library import run
from kg.rdf.namespaces import (
    AIP,
    DATASET,
    DCATAP,
    EU_AUTHORITY,
    GSP,
    ID,
    LOCN,
    ONTOLOGY_IRI,
    SPDX,
    VCARD,
)

EU = EU_AUTHORITY
IANA = "https://www.iana.org/assignments/media-types/"

CATALOG = ID["catalog/ai-beleid"]
SPARQL_SERVICE = ID["service/sparql"]

# Netherlands (European part), WGS84: bounding box and centroid for dct:spatial.
NL_BBOX = "POLYGON((3.31 50.75, 7.23 50.75, 7.23 53.56, 3.31 53.56, 3.31 50.75))"
NL_CENTROID = "POINT(5.29 52.13)"
LANGUAGES = {"NLD": ("Nederlands", "Dutch"), "ENG": ("Engels", "English")}
LICENCE_TYPES = {
    "PublicDomain": "Public domain",
    "Attribution": "Attribution",
    "ShareAlike": "Share alike",
    "RestrictedUse": "Restricted use",
}
PUBLISHER_TYPES_SCHEME = URIRef(f"{PUBLISHER_TYPE_NS}1.0")


# The dates a source document states about itself: when the questions were submitted and the
# answers received, and the date of the debate it answers. Reference data (an EU strategy of
# 2018, an event next year) is what the documents talk about, not when they were written.
COVERAGE_QUERY = f"""PREFIX aip: <{AIP}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT (MIN(?d) AS ?first) (MAX(?d) AS ?last) WHERE {{
  ?document a aip:SourceDocument .
  {{ ?document ?p ?d }}
  UNION {{ ?part dcterms:isPartOf ?document . ?part ?p ?d }}
  UNION {{ ?document aip:respondsTo ?debate . ?debate ?p ?d }}
  VALUES ?p {{ dcterms:date dcterms:dateSubmitted dcterms:issued dcterms:created }}
  FILTER (datatype(?d) = xsd:date)
}}"""


def temporal_coverage(store) -> tuple[date, date] | None:
    """First and last date the source documents state about themselves (kg.store.GraphStore
    or a pyoxigraph Store)."""
    [row] = list(run(store, COVERAGE_QUERY))
    if row["first"] is None:
        return None
    return date.fromisoformat(row["first"].value), date.fromisoformat(row["last"].value)


class _Builder:
    def __init__(self, config: ExportConfig) -> None:
        self.config = config
        self.g = Graph()
        for prefix, ns in {
            "dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "vcard": VCARD, "spdx": SPDX,
            "dcatap": DCATAP, "skos": SKOS, "xsd": XSD, "locn": LOCN, "prov": PROV,
        }.items():  # fmt: skip
            self.g.bind(prefix, ns)

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def labels(self, s, p, nl: str, en: str) -> None:
        self.add(s, p, Literal(nl, lang="nl"))
        self.add(s, p, Literal(en, lang="en"))

    def concept(self, iri: str, scheme: str, nl: str, en: str, *classes: URIRef) -> URIRef:
        node = URIRef(iri)
        self.add(node, RDF.type, SKOS.Concept)
        for cls in classes:
            self.add(node, RDF.type, cls)
        self.labels(node, SKOS.prefLabel, nl, en)
        scheme_node = URIRef(scheme)
        self.add(node, SKOS.inScheme, scheme_node)
        return node

    def eu(self, vocabulary: str, code: str, nl: str, en: str, *classes: URIRef) -> URIRef:
        return self.concept(f"{EU}{vocabulary}/{code}", f"{EU}{vocabulary}", nl, en, *classes)

    def document(self, url: str) -> URIRef:
        node = URIRef(url)
        self.add(node, RDF.type, FOAF.Document)
        return node

    def standard(self, iri: str) -> URIRef:
        node = URIRef(iri)
        self.add(node, RDF.type, DCTERMS.Standard)
        return node

    def agent(self, agent: Agent) -> URIRef:
        node = URIRef(agent.iri)
        self.add(node, RDF.type, FOAF.Agent)
        self.add(node, RDF.type, FOAF.Organization)
        self.add(node, FOAF.name, Literal(agent.name, lang="nl"))
        if agent.type:
            kind = URIRef(agent.type)
            self.add(kind, RDF.type, SKOS.Concept)
            label = PUBLISHER_TYPES[agent.type.removeprefix(PUBLISHER_TYPE_NS)]
            self.add(kind, SKOS.prefLabel, Literal(label, lang="en"))  # ADMS has English only
            self.add(kind, SKOS.inScheme, PUBLISHER_TYPES_SCHEME)
            self.add(node, DCTERMS.type, kind)
        return node

    def contact(self) -> URIRef:
        c = self.config.contact
        node = URIRef(f"{CATALOG}#contact")
        self.add(node, RDF.type, VCARD.Kind)
        self.add(node, RDF.type, VCARD.Organization)
        self.add(node, VCARD.fn, Literal(c.name))
        if c.email:
            self.add(node, VCARD.hasEmail, URIRef(f"mailto:{c.email}"))
        if c.telephone_uri:
            self.add(node, VCARD.hasTelephone, URIRef(c.telephone_uri))
        if c.url:
            self.add(node, VCARD.hasURL, URIRef(c.url))
        return node

    def themes(self) -> list[URIRef]:
        """The configured EU data themes, then the OWMS themes (Dutch labels only: the
        TaxonomieBeleidsagenda has no English ones)."""
        chosen = self.config.themes
        nodes = [
            self.concept(str(eu_theme_iri(code)), str(EU_THEME_SCHEME), *EU_THEMES[code])
            for code in chosen.eu
        ]
        for name in chosen.owms:
            node = owms_theme_iri(name)
            self.add(node, RDF.type, SKOS.Concept)
            self.add(node, SKOS.prefLabel, Literal(OWMS_THEMES[name], lang="nl"))
            self.add(node, SKOS.inScheme, OWMS_THEME_SCHEME)
            nodes.append(node)
        return nodes

    def theme_taxonomies(self, catalogue: URIRef) -> None:
        taxonomies = [(EU_THEME_SCHEME, "Datathema's (EU)", "Data themes (EU)")]
        if self.config.themes.owms:
            taxonomies.append(
                (
                    OWMS_THEME_SCHEME,
                    "Taxonomie Beleidsagenda (OWMS)",
                    "Policy agenda taxonomy (OWMS)",
                )
            )
        for scheme, nl, en in taxonomies:
            self.add(scheme, RDF.type, SKOS.ConceptScheme)
            self.labels(scheme, DCTERMS.title, nl, en)
            self.add(catalogue, DCAT.themeTaxonomy, scheme)

    def licence(self) -> URIRef:
        node = URIRef(self.config.licence)
        name, types = LICENCES[self.config.licence]
        self.add(node, RDF.type, DCTERMS.LicenseDocument)
        self.add(node, RDFS.label, Literal(name))
        for t in types:
            iri = f"http://purl.org/adms/licencetype/{t}"
            self.concept(
                iri, "http://purl.org/adms/licencetype/1.0", LICENCE_TYPES[t], LICENCE_TYPES[t]
            )
            self.add(node, DCTERMS.type, URIRef(iri))
        return node

    def spatial(self) -> URIRef:
        node = self.eu("country", "NLD", "Nederland", "Netherlands", DCTERMS.Location)
        self.add(node, DCAT.bbox, Literal(NL_BBOX, datatype=GSP.wktLiteral))
        self.add(node, DCAT.centroid, Literal(NL_CENTROID, datatype=GSP.wktLiteral))
        return node


@dataclass(frozen=True)
class _Shared:
    """The nodes the catalogue, the dataset, the service and the distributions all point to."""

    publisher: URIRef
    creator: URIRef
    contact: URIRef
    licence: URIRef
    access: URIRef
    frequency: URIRef
    themes: list[URIRef]
    languages: list[URIRef]
    spatial: URIRef
    landing: URIRef
    availability: URIRef
    issued: Literal
    modified: Literal


def catalog_graph(store, config: ExportConfig, files: Sequence[ExportedFile] = ()) -> Graph:
    """The DCAT-AP catalogue: catalogue, dataset, endpoint, and a distribution per file.

    ``files`` are the exported files with their sizes and checksums (``kg export``); the
    endpoint may pass none, and then describes the dataset and itself without distributions.
    ``dct:issued`` is ``config.issued`` (``kg export`` fills it, when the file does not, with
    the date of the first publication from its folder: ``previous_issued``), else the build
    date.
    """
    b = _Builder(config)
    modified = Literal(built_at(store), datatype=XSD.dateTime)
    issued = Literal(config.issued or date.fromisoformat(str(modified)[:10]))
    shared = _shared_nodes(b, issued, modified)
    _catalogue(b, shared)
    _dataset(b, shared, temporal_coverage(store))
    _data_service(b, shared)
    for file in files:
        _distribution(b, file, shared.licence, shared.languages, shared.availability, modified)
    return b.g


def previous_issued(catalog: Path) -> date | None:
    """The dataset's ``dct:issued`` in an earlier export's ``catalog.ttl``, if there is one
    that can be read: the date the dataset was first published from this folder."""
    if not catalog.is_file():
        return None
    try:
        graph = Graph().parse(catalog, format="turtle")
    except Exception:  # an unreadable earlier catalogue is replaced, not trusted
        return None
    value = graph.value(DATASET, DCTERMS.issued)
    if isinstance(value, Literal) and isinstance(value.value, date):
        return value.value if not isinstance(value.value, datetime) else value.value.date()
    return None


def _shared_nodes(b: _Builder, issued: Literal, modified: Literal) -> _Shared:
    """The agents, licence and controlled values, each typed and labelled in the graph."""
    return _Shared(
        publisher=b.agent(b.config.publisher),
        creator=b.agent(b.config.creator),
        contact=b.contact(),
        licence=b.licence(),
        access=b.eu("access-right", "PUBLIC", "publiek", "public", DCTERMS.RightsStatement),
        frequency=b.eu("frequency", "IRREG", "onregelmatig", "irregular", DCTERMS.Frequency),
        themes=b.themes(),
        languages=[
            b.eu("language", code, nl, en, DCTERMS.LinguisticSystem)
            for code, (nl, en) in LANGUAGES.items()
        ],
        spatial=b.spatial(),
        landing=b.document(b.config.landing_page),
        availability=b.eu("planned-availability", "STABLE", "stabiel", "stable"),
        issued=issued,
        modified=modified,
    )


def _catalogue(b: _Builder, n: _Shared) -> None:
    c = CATALOG
    b.add(c, RDF.type, DCAT.Catalog)
    b.labels(
        c, DCTERMS.title, "Catalogus AI-beleid kennisgraaf", "AI policy knowledge graph catalogue"
    )
    b.labels(
        c,
        DCTERMS.description,
        "Catalogus van de AI-beleid kennisgraaf: de dataset, haar downloads en het SPARQL-endpoint.",
        "Catalogue of the AI policy knowledge graph: the dataset, its downloads and the SPARQL endpoint.",
    )
    for p, o in [
        (DCTERMS.publisher, n.publisher),
        (DCTERMS.creator, n.creator),
        (DCAT.contactPoint, n.contact),
        (DCTERMS.license, n.licence),
        (DCTERMS.spatial, n.spatial),
        (FOAF.homepage, n.landing),
        (DCAT.dataset, DATASET),
        (DCAT.service, SPARQL_SERVICE),
        (DCTERMS.issued, n.issued),
        (DCTERMS.modified, n.modified),
    ]:
        b.add(c, p, o)
    for language in n.languages:
        b.add(c, DCTERMS.language, language)
    b.theme_taxonomies(c)


def _dataset(b: _Builder, n: _Shared, coverage: tuple[date, date] | None) -> None:
    """The dataset: the same resource the VoID description talks about."""
    d = DATASET
    b.add(d, RDF.type, DCAT.Dataset)
    b.labels(d, DCTERMS.title, "AI-beleid kennisgraaf", "AI policy knowledge graph")
    b.labels(
        d,
        DCTERMS.description,
        "Linked data over AI-beleid uit Nederlandse parlementaire documenten: vragen en antwoorden, "
        "nationale instrumenten, EU-pakketten en -programma's, organisaties, personen, voetnoten, "
        "verwijzingen en toezeggingen, elk feit met de exacte tekstpositie waar het vandaan komt.",
        "Linked data about AI policy from Dutch parliamentary documents: questions and answers, "
        "national instruments, EU packages and programmes, organisations, people, footnotes, "
        "cross-references and commitments, each fact with the exact text span it comes from.",
    )
    b.add(d, DCTERMS.identifier, Literal(str(d)))
    for p, o in [
        (DCTERMS.publisher, n.publisher),
        (DCTERMS.creator, n.creator),
        (DCAT.contactPoint, n.contact),
        (DCTERMS.accessRights, n.access),
        (DCTERMS.accrualPeriodicity, n.frequency),
        (DCTERMS.spatial, n.spatial),
        (DCAT.landingPage, n.landing),
        (FOAF.page, b.document(b.config.download_url("ontology.html"))),
        (DCTERMS.conformsTo, b.standard(str(ONTOLOGY_IRI))),
        (DCTERMS.issued, n.issued),
        (DCTERMS.modified, n.modified),
    ]:
        b.add(d, p, o)
    _themes_languages_keywords(b, d, n)
    if coverage:
        _temporal(b, d, coverage)
    _provenance(b, d)


def _themes_languages_keywords(b: _Builder, subject: URIRef, n: _Shared) -> None:
    for node in n.themes:
        b.add(subject, DCAT.theme, node)
    for node in n.languages:
        b.add(subject, DCTERMS.language, node)
    for keyword in b.config.keywords:
        b.add(subject, DCAT.keyword, Literal(keyword, lang="nl"))


def _temporal(b: _Builder, d: URIRef, coverage: tuple[date, date]) -> None:
    period = URIRef(f"{d}#temporal")
    b.add(period, RDF.type, DCTERMS.PeriodOfTime)
    b.add(period, DCAT.startDate, Literal(coverage[0]))
    b.add(period, DCAT.endDate, Literal(coverage[1]))
    b.add(d, DCTERMS.temporal, period)


def _provenance(b: _Builder, d: URIRef) -> None:
    provenance = URIRef(f"{d}#provenance")
    b.add(provenance, RDF.type, DCTERMS.ProvenanceStatement)
    b.labels(
        provenance,
        RDFS.label,
        "Automatisch geëxtraheerd uit de brontekst; elk feit verwijst naar zijn tekstpositie "
        "(Web Annotation) en de graaf 'build' beschrijft met PROV-O hoe en wanneer.",
        "Extracted automatically from the source text; every fact points to its text span "
        "(Web Annotation) and the 'build' graph records with PROV-O how and when.",
    )
    b.add(d, DCTERMS.provenance, provenance)


def _data_service(b: _Builder, n: _Shared) -> None:
    """The SPARQL endpoint."""
    s = SPARQL_SERVICE
    b.add(s, RDF.type, DCAT.DataService)
    b.labels(
        s,
        DCTERMS.title,
        "SPARQL-endpoint AI-beleid kennisgraaf",
        "AI policy knowledge graph SPARQL endpoint",
    )
    b.labels(
        s,
        DCTERMS.description,
        "SPARQL 1.1-endpoint over de hele dataset (standaardgraaf = vereniging van alle graphs).",
        "SPARQL 1.1 endpoint over the whole dataset (default graph = union of all graphs).",
    )
    b.add(s, DCTERMS.identifier, Literal(str(s)))
    endpoint = URIRef(b.config.sparql_endpoint)
    for p, o in [
        (DCAT.endpointURL, endpoint),
        # A SPARQL endpoint answers a GET without a query with its service description.
        (DCAT.endpointDescription, endpoint),
        (DCAT.servesDataset, DATASET),
        (DCTERMS.conformsTo, b.standard("https://www.w3.org/TR/sparql11-protocol/")),
        (DCTERMS.publisher, n.publisher),
        (DCTERMS.creator, n.creator),
        (DCAT.contactPoint, n.contact),
        (DCTERMS.accessRights, n.access),
        (DCTERMS.license, n.licence),
        (DCAT.landingPage, n.landing),
    ]:
        b.add(s, p, o)
    _themes_languages_keywords(b, s, n)


def distribution_iri(filename: str) -> URIRef:
    return URIRef(f"{DATASET}/distribution/{filename}")


def _distribution(
    b: _Builder, file: ExportedFile, licence, languages, availability, modified
) -> None:
    add, kind = b.add, file.kind
    node = distribution_iri(file.filename)
    add(DATASET, DCAT.distribution, node)
    add(node, RDF.type, DCAT.Distribution)
    b.labels(node, DCTERMS.title, kind.title_nl, kind.title_en)
    b.labels(node, DCTERMS.description, kind.description_nl, kind.description_en)
    url = URIRef(b.config.download_url(file.filename))
    add(node, DCAT.accessURL, url)
    add(node, DCAT.downloadURL, url)
    media_type = URIRef(IANA + kind.media_type)
    add(media_type, RDF.type, DCTERMS.MediaType)
    add(node, DCAT.mediaType, media_type)
    file_type = kind.file_type
    b.eu("file-type", file_type, file_type, file_type, DCTERMS.MediaTypeOrExtent)
    add(node, DCTERMS.format, URIRef(f"{EU}file-type/{file_type}"))
    if kind.compress_format:
        compress = URIRef(IANA + kind.compress_format)
        add(compress, RDF.type, DCTERMS.MediaType)
        add(node, DCAT.compressFormat, compress)
    add(node, DCAT.byteSize, Literal(file.byte_size, datatype=XSD.nonNegativeInteger))
    checksum = BNode(f"checksum-{file.filename.replace('.', '-')}")
    add(checksum, RDF.type, SPDX.Checksum)
    add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
    add(checksum, SPDX.checksumValue, Literal(file.sha256, datatype=XSD.hexBinary))
    add(node, SPDX.checksum, checksum)
    add(node, DCTERMS.license, licence)
    add(node, DCATAP.availability, availability)
    add(node, DCTERMS.modified, modified)
    if kind.conforms_to:
        add(node, DCTERMS.conformsTo, b.standard(kind.conforms_to))
    for language in languages:
        add(node, DCTERMS.language, language)


__all__ = [
    "CATALOG",
    "FILE_KINDS",
    "SPARQL_SERVICE",
    "ExportedFile",
    "FileKind",
    "catalog_graph",
    "distribution_iri",
    "file_kind",
    "previous_issued",
    "temporal_coverage",
]
