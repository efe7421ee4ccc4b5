"""The pages' two languages: Dutch and English. The language comes from ``?lang=`` (which the
switch in the header sets, and a cookie remembers), else from ``Accept-Language``, else Dutch.
Labels in the data are chosen in the same language where they exist."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request, Response

from kg.server.finding_texts import TEXTS as FINDING_TEXTS

LANGUAGES = ("nl", "en")
DEFAULT = "nl"
COOKIE = "lang"

TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "brand": "AI-beleid kennisgraaf",
        "nav_query": "Bevragen",
        "nav_ontology": "Ontologie",
        "nav_commitments": "Toezeggingen",
        "nav_cases": "Zaken",
        "nav_endpoint": "Endpoint",
        "switch": "English",
        "noscript": "Deze pagina heeft JavaScript nodig om queries uit te voeren. Zonder "
        "JavaScript werkt het endpoint gewoon: open /sparql?query=… in de browser voor een "
        "tabel, of gebruik curl, pandas of SPARQLWrapper.",
        "query_title": "Bevraag de kennisgraaf",
        "example": "Voorbeeld",
        "choose_example": "— kies een onderzoeksvraag —",
        "run": "Uitvoeren",
        "add_prefixes": "Prefixen toevoegen",
        "running": "bezig…",
        "rows": "rijen",
        "row": "rij",
        "schema": "Schema: klassen en eigenschappen",
        "schema_hint": "Klik op een klasse of eigenschap om een patroon in de query te zetten.",
        "instances": "exemplaren",
        "add_prefix": "Voeg PREFIX {prefix}: toe",
        "missing_prefix": "Prefix {prefix}: is niet gedeclareerd (regel {line}, kolom {column}).",
        "warning": "Let op",
        "network": "Netwerkanalyse",
        "network_intro": "Instrumenten, EU-initiatieven en organisaties: verbonden als ze samen "
        "in een alinea van een antwoord worden genoemd, of in de referentiegegevens aan elkaar "
        "gerelateerd zijn.",
        "network_open": "Open de tekening: elke knoop linkt naar zijn pagina, de namen zijn te "
        "zoeken en te kopiëren.",
        "how_connected": "Hoe hangen samen",
        "and": "en",
        "explain": "Verklaar",
        "projections": "Andere projecties",
        "top_nodes": "Teken de best verbonden knopen:",
        "all_kinds": "alle soorten",
        "instruments_only": "alleen instrumenten en EU-initiatieven",
        "organisations_only": "alleen organisaties",
        "answer": "antwoord",
        "line": "regel",
        "reference_data": "referentiegegevens",
        "properties": "Eigenschappen",
        "links_in": "Verwijzingen hierheen",
        "none": "Geen.",
        "property": "eigenschap",
        "value": "waarde",
        "graph": "graaf",
        "from": "van",
        "source_passage": "Bronpassage",
        "characters": "tekens",
        "of": "van",
        "also_rdf": "Ook als RDF",
        "passages": "Passages die dit noemen",
        "passages_first": "De eerste {shown} van {total} passages, naar datum.",
        "passages_all": "Alle vermeldingen als tabel",
        "mentions": "Vermeldingen",
        "official": "Officiële publicatie",
        "question": "Vraag",
        "footnotes": "Voetnoten",
        "commitments": "Toezeggingen",
        "received": "Ontvangen door de Kamer",
        "debate": "Debat",
        "not_found": "Niet gevonden",
        "not_found_text": "Over dit IRI staat niets in de kennisgraaf.",
        "to_query_page": "Naar de querypagina",
        "service_title": "SPARQL-endpoint",
        "service_description": "Servicebeschrijving",
        "undefined_term": "{term} (regel {line}, kolom {column}) staat niet in de ontologie",
        "did_you_mean": "bedoelt u {names}?",
        "or": "of",
        "void_intro": "De beschrijving van de dataset in VoID: aantallen triples, entiteiten, "
        "klassen en eigenschappen, de benoemde grafen en de links naar andere datasets.",
        "results": "Resultaat",
        "open_in_editor": "Openen in de editor",
        "downloads": "Downloaden",
        "left_out": "weggelaten",
        "page_cut": "deze pagina toont de eerste {rows}; de downloads hebben ze alle",
        "in_document": "in",
        **FINDING_TEXTS["nl"],  # the search, the indexes, the query help
    },
    "en": {
        "brand": "AI policy knowledge graph",
        "nav_query": "Query",
        "nav_ontology": "Ontology",
        "nav_commitments": "Commitments",
        "nav_cases": "Cases",
        "nav_endpoint": "Endpoint",
        "switch": "Nederlands",
        "noscript": "This page needs JavaScript to run queries. Without JavaScript the endpoint "
        "still works: open /sparql?query=… in the browser for a table, or use curl, pandas or "
        "SPARQLWrapper.",
        "query_title": "Query the knowledge graph",
        "example": "Example",
        "choose_example": "— choose a research question —",
        "run": "Run",
        "add_prefixes": "Add prefixes",
        "running": "running…",
        "rows": "rows",
        "row": "row",
        "schema": "Schema: classes and properties",
        "schema_hint": "Click a class or property to put a pattern into the query.",
        "instances": "instances",
        "add_prefix": "Add PREFIX {prefix}:",
        "missing_prefix": "Prefix not found: {prefix} (line {line}, column {column}).",
        "warning": "Note",
        "network": "Network analysis",
        "network_intro": "Instruments, EU initiatives and organisations: linked when named "
        "together in a paragraph of an answer, or related in the reference data.",
        "network_open": "Open the picture: every node links to its page, the names can be "
        "searched and copied.",
        "how_connected": "How are",
        "and": "and",
        "explain": "Explain",
        "projections": "Other projections",
        "top_nodes": "Draw the best-connected nodes:",
        "all_kinds": "all kinds",
        "instruments_only": "instruments and EU initiatives only",
        "organisations_only": "organisations only",
        "answer": "answer",
        "line": "line",
        "reference_data": "reference data",
        "properties": "Properties",
        "links_in": "Links in",
        "none": "None.",
        "property": "property",
        "value": "value",
        "graph": "graph",
        "from": "from",
        "source_passage": "Source passage",
        "characters": "characters",
        "of": "of",
        "also_rdf": "Also as RDF",
        "passages": "Passages that name it",
        "passages_first": "The first {shown} of {total} passages, by date.",
        "passages_all": "All mentions as a table",
        "mentions": "Mentions",
        "official": "Official publication",
        "question": "Question",
        "footnotes": "Footnotes",
        "commitments": "Commitments",
        "received": "Received by parliament",
        "debate": "Debate",
        "not_found": "Not found",
        "not_found_text": "Nothing is known about this IRI.",
        "to_query_page": "To the query page",
        "service_title": "SPARQL endpoint",
        "service_description": "Service description",
        "undefined_term": "{term} (line {line}, column {column}) is not in the ontology",
        "did_you_mean": "did you mean {names}?",
        "or": "or",
        "void_intro": "The dataset described in VoID: counts of triples, entities, classes and "
        "properties, the named graphs and the links to other datasets.",
        "results": "Results",
        "open_in_editor": "Open in the editor",
        "downloads": "Download",
        "left_out": "left out",
        "page_cut": "this page shows the first {rows}; the downloads have them all",
        "in_document": "in",
        **FINDING_TEXTS["en"],
    },
}


def _from_accept_language(header: str) -> str | None:
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


def supported(value: object) -> str | None:
    """``value`` (from a client's JSON or form) when it names a language of the pages."""
    return value if isinstance(value, str) and value in LANGUAGES else None


def language(request: Request) -> str:
    chosen = request.query_params.get("lang", "")
    if chosen in LANGUAGES:
        return chosen
    remembered = request.cookies.get(COOKIE, "")
    if remembered in LANGUAGES:
        return remembered
    return _from_accept_language(request.headers.get("accept-language", "")) or DEFAULT


def remember(request: Request, response: Response) -> Response:
    """Keep a language chosen with ``?lang=`` for the next pages; answers vary by language."""
    chosen = request.query_params.get("lang", "")
    if chosen in LANGUAGES:
        response.set_cookie(COOKIE, chosen, max_age=365 * 86400, samesite="lax")
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    response.headers["Content-Language"] = language(request)
    return response


def texts(lang: str) -> dict[str, str]:
    return TEXTS.get(lang, TEXTS[DEFAULT])


def page_context(request: Request) -> dict:
    """What every page template needs for its language: the code, the texts, the switch."""
    lang = language(request)
    other = "en" if lang == "nl" else "nl"
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    query = urlencode([*params, ("lang", other)])
    return {"lang": lang, "t": texts(lang), "switch_href": f"{request.url.path}?{query}"}
