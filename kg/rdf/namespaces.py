"""Every IRI namespace the project uses, in one place.

Resource IRIs follow the Dutch URI strategy (NL-GOV): ``{base}/id/{type}/{ref}`` for things,
``{base}/doc/...`` for their descriptions, ``{base}/def/...`` for the ontology.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    VOID,
    XSD,
    DefinedNamespace,
)

BASE = "https://w3id.org/ai-beleid/"

ONTOLOGY_IRI = URIRef(BASE + "def/aip")
ONTOLOGY_VERSION = "0.1.0"
ONTOLOGY_VERSION_IRI = URIRef(f"{BASE}def/aip/{ONTOLOGY_VERSION}")

AIP = Namespace(BASE + "def/aip#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
SHAPES = Namespace(BASE + "def/shapes#")

OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
CELEX = Namespace("http://publications.europa.eu/resource/celex/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
LOCN = Namespace("http://www.w3.org/ns/locn#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
CONCEPT = Namespace(BASE + "id/concept/")

ONTOLOGY_GRAPH = GRAPH["ontology"]
REFERENCE_GRAPH = GRAPH["reference"]
BUILD_GRAPH = GRAPH["build"]
# Entities the documents name but the reference data does not describe, described once.
MINTED_GRAPH = GRAPH["minted"]

# The dataset as a whole (VoID, DCAT).
DATASET = ID["dataset/ai-beleid"]

# Curated entities the code itself refers to (defined in data/reference/).
TWEEDE_KAMER = ID["organisation/tweede-kamer"]
KABINET = ID["organisation/kabinet"]
SPEAKER_POST = ID["post/voorzitter-tweede-kamer"]

# rdflib's own vocabularies (DCTERMS, RDF, ...) are DefinedNamespace classes, not instances;
# str() of either is the namespace IRI.
PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "aip": AIP,
    "id": ID,
    "oa": OA,
    "schema": SCHEMA,
    "eli": ELI,
    "celex": CELEX,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "foaf": FOAF,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "void": VOID,
    "xsd": XSD,
    "sh": SH,
    "sd": SD,
    "vcard": VCARD,
    "spdx": SPDX,
    "dcatap": DCATAP,
    "locn": LOCN,
    "geo": GSP,
    "concept": CONCEPT,
}


def document_graph(document_id: str) -> URIRef:
    """The named graph that holds everything extracted from one source document."""
    return GRAPH[f"document/{document_id}"]


def sparql_prefixes() -> str:
    """PREFIX declarations for every namespace, for queries built in code."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


__all__ = [
    "AIP",
    "BASE",
    "BUILD_GRAPH",
    "CELEX",
    "CONCEPT",
    "DATASET",
    "DCAT",
    "DCATAP",
    "DCTERMS",
    "ELI",
    "EU_AUTHORITY",
    "FOAF",
    "GRAPH",
    "GSP",
    "ID",
    "KABINET",
    "LOCN",
    "MINTED_GRAPH",
    "OA",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_IRI",
    "ONTOLOGY_VERSION",
    "ONTOLOGY_VERSION_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "REFERENCE_GRAPH",
    "SCHEMA",
    "SD",
    "SH",
    "SHAPES",
    "SKOS",
    "SPDX",
    "SPEAKER_POST",
    "TWEEDE_KAMER",
    "VCARD",
    "VOID",
    "XSD",
    "document_graph",
    "sparql_prefixes",
]
