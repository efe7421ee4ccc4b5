"""Names of properties in the pages' two languages. The ontology names its own terms
(``rdfs:label`` in Dutch and English, asked of the store); the vocabularies it reuses are not in
the store, so the properties of theirs that the data use are named here."""

from __future__ import annotations

SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"

# IRI -> (Dutch, English)
NAMES: dict[str, tuple[str, str]] = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": ("soort", "type"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#value": ("waarde", "value"),
    SKOS + "prefLabel": ("naam", "name"),
    SKOS + "altLabel": ("andere naam", "other name"),
    SKOS + "hiddenLabel": ("vorm in documenten", "form in documents"),
    SKOS + "editorialNote": ("redactionele noot", "editorial note"),
    SKOS + "scopeNote": ("toelichting", "scope note"),
    SKOS + "definition": ("definitie", "definition"),
    SKOS + "note": ("noot", "note"),
    SKOS + "exactMatch": ("zelfde als", "exact match"),
    SKOS + "inScheme": ("in schema", "in scheme"),
    SKOS + "notation": ("notatie", "notation"),
    RDFS + "label": ("label", "label"),
    RDFS + "comment": ("beschrijving", "comment"),
    RDFS + "seeAlso": ("zie ook", "see also"),
    "http://www.w3.org/2002/07/owl#sameAs": ("hetzelfde als", "same as"),
    DCT + "source": ("bron", "source"),
    DCT + "identifier": ("nummer", "identifier"),
    DCT + "title": ("titel", "title"),
    DCT + "description": ("onderwerp", "description"),
    DCT + "isPartOf": ("onderdeel van", "part of"),
    DCT + "type": ("documentsoort", "document type"),
    DCT + "date": ("datum", "date"),
    DCT + "dateSubmitted": ("ontvangen", "received"),
    DCT + "issued": ("uitgegeven", "issued"),
    DCT + "references": ("verwijst naar", "references"),
    DCT + "replaces": ("vervangt", "replaces"),
    DCT + "creator": ("maker", "creator"),
    DCT + "language": ("taal", "language"),
    DCT + "subject": ("onderwerp", "subject"),
    DCT + "license": ("licentie", "licence"),
    DCT + "format": ("formaat", "format"),
    ORG + "holds": ("bekleedt", "holds"),
    ORG + "heldBy": ("bekleed door", "held by"),
    ORG + "memberOf": ("lid van", "member of"),
    ORG + "member": ("lid", "member"),
    ORG + "organization": ("organisatie", "organisation"),
    ORG + "role": ("rol", "role"),
    ORG + "postIn": ("functie bij", "post in"),
    ORG + "subOrganizationOf": ("onderdeel van", "part of"),
    "http://xmlns.com/foaf/0.1/familyName": ("achternaam", "family name"),
    SCHEMA + "text": ("tekst", "text"),
    SCHEMA + "url": ("webadres", "URL"),
    SCHEMA + "startDate": ("begin", "start date"),
    SCHEMA + "endDate": ("einde", "end date"),
    SCHEMA + "superEvent": ("onderdeel van", "part of"),
    SCHEMA + "creator": ("maker", "creator"),
    SCHEMA + "about": ("over", "about"),
    SCHEMA + "minValue": ("minimaal", "minimum"),
    SCHEMA + "maxValue": ("maximaal", "maximum"),
    SCHEMA + "currency": ("valuta", "currency"),
    PROV + "wasDerivedFrom": ("afgeleid van", "derived from"),
    OA + "hasBody": ("gaat over", "body"),
    OA + "hasTarget": ("doel", "target"),
    OA + "hasSelector": ("selector", "selector"),
    OA + "hasSource": ("bron", "source"),
    OA + "motivatedBy": ("motivatie", "motivated by"),
}


def known(iri: str, lang: str) -> str:
    names = NAMES.get(iri)
    if names is None:
        return ""
    return names[0] if lang == "nl" else names[1]
