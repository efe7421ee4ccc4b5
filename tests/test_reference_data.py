"""The curated reference data (data/reference/*.ttl): every instrument and organisation has both
labels, a type, a source and a status; identifiers have their documented forms and agree with
each other; no label names two entities; and the findings of the audit in issue 17 stay fixed."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, RDF, RDFS, SKOS, XSD

from kg.extract.reference import (
    CASE_SENSITIVE_LABEL,
    LABEL_PROPERTIES,
    LINKABLE_CLASSES,
    LabelIndex,
    load_turtle_files,
    turtle_files,
)
from kg.rdf.namespaces import AIP
from tests.support import PROJECT

ID = "https://w3id.org/ai-beleid/id/"
CONCEPT = ID + "concept/"
STATUS_SCHEME = URIRef(ID + "scheme/status")
REFERENCE_DIR = PROJECT.reference
LETTER = (PROJECT.data / "sources") / "2026D32673.txt"

INSTRUMENT_CLASSES = {AIP.NationalInstrument, AIP.EUInitiative, AIP.InternationalInstrument}
ORGANISATION_CLASSES = {
    ORG.Organization,
    ORG.FormalOrganization,
    ORG.OrganizationalUnit,
    AIP.PoliticalParty,
}
LEVEL_BY_CLASS = {
    AIP.NationalInstrument: URIRef(CONCEPT + "level-national"),
    AIP.EUInitiative: URIRef(CONCEPT + "level-eu"),
    AIP.InternationalInstrument: URIRef(CONCEPT + "level-international"),
}

# The documented identifier forms (docs/reference-data.md), one pattern each.
IDENTIFIER_PATTERNS = {
    "TOOI": re.compile(r"^https://identifier\.overheid\.nl/tooi/id/[a-z_]+/[a-z]+\d+$"),
    "ELI": re.compile(
        r"^http://data\.europa\.eu/eli/(reg|dir|dec|reg_impl|reg_del|dir_impl)/\d{4}/\d+/oj$"
    ),
    "Cellar CELEX": re.compile(
        r"^http://publications\.europa\.eu/resource/celex/[0-9CE]\d{4}[A-Z]{1,2}\d{4}$"
    ),
    "Publications Office corporate body": re.compile(
        r"^http://publications\.europa\.eu/resource/authority/corporate-body/[A-Z][A-Z0-9_]*$"
    ),
    "Wikidata": re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9]\d*$"),
}
CELEX = re.compile(r"^(?P<sector>[0-9CE])(?P<year>\d{4})(?P<type>[A-Z]{1,2})(?P<number>\d{4})$")
ELI_TYPE_BY_CELEX_TYPE = {"R": "reg", "L": "dir", "D": "dec"}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_turtle_files([*turtle_files(PROJECT.ontology), *turtle_files(REFERENCE_DIR)])


def _reference_graph() -> Graph:
    return load_turtle_files(turtle_files(REFERENCE_DIR))


def _curated(classes: set[URIRef]) -> list[URIRef]:
    data = _reference_graph()
    return sorted({s for c in classes for s in data.subjects(RDF.type, c) if isinstance(s, URIRef)})


INSTRUMENTS = _curated(INSTRUMENT_CLASSES)
ORGANISATIONS = _curated(ORGANISATION_CLASSES)
CURATED = sorted(set(INSTRUMENTS) | set(ORGANISATIONS))


def short(iri: URIRef) -> str:
    return str(iri).removeprefix(ID)


def identifier_kind(iri: str) -> str | None:
    return next((kind for kind, p in IDENTIFIER_PATTERNS.items() if p.match(iri)), None)


def _literals(graph: Graph, subject: URIRef, prop: URIRef, language: str) -> list[Literal]:
    return [
        o for o in graph.objects(subject, prop) if isinstance(o, Literal) and o.language == language
    ]


# -- the landscape as a whole -----------------------------------------------------------------


def test_the_landscape_has_well_over_a_hundred_curated_entities() -> None:
    assert len(CURATED) >= 200
    assert len(INSTRUMENTS) >= 100
    assert len(ORGANISATIONS) >= 100


@pytest.mark.parametrize(
    "name",
    [
        "instrument/sapai",
        "instrument/werkagenda-waardengedreven-digitaliseren",
        "instrument/nds",
        "instrument/ngf",
        "instrument/ained",
        "instrument/algoritmeregister",
        "instrument/algoritmetoezicht-ap",
        "organisation/autoriteit-persoonsgegevens",
        "organisation/directie-coordinatie-algoritmes",
        "organisation/rdi",
        "organisation/wrr",
        "organisation/rathenau-instituut",
        "organisation/aiv",
        "organisation/tno",
        "organisation/nwo",
        "organisation/ministerie-bzk",
        "organisation/ministerie-jenv",
        "organisation/ministerie-ocw",
        "organisation/ai-office",
        "organisation/europese-ai-board",
        "organisation/eurohpc-ju",
        "eu/ai-verordening",
        "eu/digital-europe",
        "eu/horizon-europe",
        "eu/eurohpc-ai-factories",
        "eu/chipverordening",
        "eu/dataverordening",
        "eu/datagovernanceverordening",
        "eu/dsa",
        "eu/dma",
        "eu/avg",
        "eu/gecoordineerd-plan-ai-2018",
        "eu/gecoordineerd-plan-ai-2021",
        "eu/ai-continent-action-plan",
        "eu/apply-ai-strategie",
        "eu/investai",
        "eu/genai4eu",
        "eu/edih",
        "eu/investeu",
        "eu/eic",
        "eu/ai-pact",
        "instrument/snellius",
        "instrument/wbso",
        "instrument/woo",
        "instrument/i-strategie-rijk",
        "organisation/sdt",
        "organisation/cio-rijk",
        "organisation/adviescollege-ict-toetsing",
        "organisation/eib",
        "organisation/chips-ju",
        "organisation/navo",
        "organisation/verenigde-naties",
        "organisation/nederlandse-arbeidsinspectie",
        "organisation/auditdienst-rijk",
        "organisation/cen-cenelec-jtc-21",
        "organisation/topsector-ict",
        "organisation/kvk",
        "organisation/rechtspraak",
        "organisation/ai-safety-institutes-network",
        "instrument/archiefwet",
        "instrument/bio",
        "eu/markttoezichtverordening",
        "eu/eu-databank-hoog-risico-ai",
        "eu/fp10",
        "eu/mfk-2028-2034",
        "eu/europees-concurrentievermogensfonds",
        "eu/ai-in-science-strategie",
    ],
)
def test_the_instruments_and_bodies_a_researcher_expects_are_there(name: str) -> None:
    assert URIRef(ID + name) in CURATED


# -- every curated entity ---------------------------------------------------------------------


@pytest.mark.parametrize("entity", CURATED, ids=short)
def test_both_labels(graph: Graph, entity: URIRef) -> None:
    for prop in (SKOS.prefLabel, RDFS.label):
        for language in ("nl", "en"):
            assert len(_literals(graph, entity, prop, language)) == 1, (prop, language)


@pytest.mark.parametrize("entity", CURATED, ids=short)
def test_a_source_that_is_an_iri(graph: Graph, entity: URIRef) -> None:
    sources = list(graph.objects(entity, DCTERMS.source))
    assert sources
    for source in sources:
        assert isinstance(source, URIRef), source
        assert str(source).startswith(("https://", "http://")), source


@pytest.mark.parametrize("entity", INSTRUMENTS, ids=short)
def test_an_instrument_has_type_level_and_status(graph: Graph, entity: URIRef) -> None:
    types = list(graph.objects(entity, AIP.instrumentType))
    assert types and all((t, RDF.type, SKOS.Concept) in graph for t in types)
    classes = set(graph.objects(entity, RDF.type)) & INSTRUMENT_CLASSES
    assert len(classes) == 1
    assert list(graph.objects(entity, AIP.governanceLevel)) == [LEVEL_BY_CLASS[classes.pop()]]
    assert _one_status(graph, entity, AIP.status)


@pytest.mark.parametrize("entity", ORGANISATIONS, ids=short)
def test_an_organisation_has_a_status(graph: Graph, entity: URIRef) -> None:
    assert _one_status(graph, entity, AIP.organisationStatus)


def _one_status(graph: Graph, entity: URIRef, prop: URIRef) -> bool:
    statuses = list(graph.objects(entity, prop))
    dates = list(graph.objects(entity, AIP.statusDate))
    assert len(statuses) == 1, statuses
    assert (statuses[0], SKOS.inScheme, STATUS_SCHEME) in graph, statuses[0]
    assert len(dates) <= 1 and all(d.datatype == XSD.date for d in dates), dates
    return True


@pytest.mark.parametrize("entity", CURATED, ids=short)
def test_judgements_are_explained_where_an_identifier_is_given(
    graph: Graph, entity: URIRef
) -> None:
    """Every identifier says in an editorial note how it was checked."""
    has_identifier = any(
        True
        for p in (SKOS.exactMatch, OWL.sameAs, AIP.celexNumber)
        for _ in graph.objects(entity, p)
    )
    if has_identifier:
        assert list(graph.objects(entity, SKOS.editorialNote))


# -- identifiers ------------------------------------------------------------------------------


def test_every_identifier_has_a_documented_form(graph: Graph) -> None:
    wrong = [
        (short(s), str(o))
        for p in (SKOS.exactMatch, OWL.sameAs)
        for s, o in graph.subject_objects(p)
        if str(s).startswith(ID) and identifier_kind(str(o)) is None
    ]
    assert wrong == []
    celex = [str(o) for o in graph.objects(None, AIP.celexNumber)]
    assert len(celex) >= 25
    assert [c for c in celex if not CELEX.match(c)] == []


@pytest.mark.parametrize(
    ("iri", "kind"),
    [
        ("https://identifier.overheid.nl/tooi/id/ministerie/mnre1045", "TOOI"),
        ("http://data.europa.eu/eli/reg/2024/1689/oj", "ELI"),
        ("http://publications.europa.eu/resource/celex/52018DC0795", "Cellar CELEX"),
        (
            "http://publications.europa.eu/resource/authority/corporate-body/COM",
            "Publications Office corporate body",
        ),
        ("http://www.wikidata.org/entity/Q42", "Wikidata"),
        ("https://identifier.overheid.nl/tooi/id/ministerie/1045", None),
        ("http://data.europa.eu/eli/reg/2024/1689", None),
        ("https://eur-lex.europa.eu/eli/reg/2024/1689/oj", None),
        ("http://www.wikidata.org/wiki/Q42", None),
        ("http://www.wikidata.org/entity/Q0", None),
    ],
)
def test_identifier_patterns_tell_forms_apart(iri: str, kind: str | None) -> None:
    assert identifier_kind(iri) == kind


def celex_parts(entity: URIRef, graph: Graph) -> re.Match[str] | None:
    value = graph.value(entity, AIP.celexNumber)
    return CELEX.match(str(value)) if value is not None else None


def test_celex_numbers_agree_with_eli_and_cellar(graph: Graph) -> None:
    checked = 0
    for entity in graph.subjects(AIP.celexNumber, None):
        parts = celex_parts(entity, graph)
        assert parts is not None, entity
        for other in (*graph.objects(entity, SKOS.exactMatch), *graph.objects(entity, OWL.sameAs)):
            kind = identifier_kind(str(other))
            if kind == "Cellar CELEX":
                assert str(other).endswith("/" + parts.group(0)), (entity, other)
                checked += 1
            elif kind == "ELI":
                _, kind_part, year, number, _ = str(other).rsplit("/", 4)
                assert parts.group("sector") == "3", entity
                assert ELI_TYPE_BY_CELEX_TYPE[parts.group("type")] == kind_part, entity
                assert (year, int(number)) == (parts.group("year"), int(parts.group("number")))
                checked += 1
    assert checked >= 25


def test_an_eli_source_names_the_same_act_as_the_identifier(graph: Graph) -> None:
    for entity, eli in graph.subject_objects(SKOS.exactMatch):
        if identifier_kind(str(eli)) != "ELI":
            continue
        path = str(eli).removeprefix("http://data.europa.eu/")
        sources = [str(s) for s in graph.objects(entity, DCTERMS.source)]
        assert f"https://eur-lex.europa.eu/{path}" in sources, entity


def test_tooi_identifiers_are_on_dutch_government_organisations(graph: Graph) -> None:
    tooi = [
        (s, o)
        for s, o in graph.subject_objects(SKOS.exactMatch)
        if identifier_kind(str(o)) == "TOOI"
    ]
    assert len(tooi) >= 12
    assert len({o for _, o in tooi}) == len(tooi), "one TOOI identifier names one entity"
    for entity, _ in tooi:
        assert (entity, ORG.subOrganizationOf, URIRef(ID + "organisation/rijksoverheid")) in graph


# -- labels -----------------------------------------------------------------------------------


def test_no_two_entities_share_a_label_even_ignoring_case(graph: Graph) -> None:
    """kg build refuses the same label on two entities; the linker also looks labels up
    case-folded, so two labels that differ only in case must not name two entities either."""
    classes = LINKABLE_CLASSES | INSTRUMENT_CLASSES | ORGANISATION_CLASSES
    linkable = {s for c in classes for s in graph.subjects(RDF.type, c)}
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for prop in (*LABEL_PROPERTIES, CASE_SENSITIVE_LABEL):
        for subject, label in graph.subject_objects(prop):
            if subject in linkable and isinstance(label, Literal):
                owners[" ".join(str(label).split()).casefold()].add(subject)
    shared = {label: sorted(map(short, who)) for label, who in owners.items() if len(who) > 1}
    assert shared == {}


def test_the_label_index_accepts_the_reference_data(graph: Graph) -> None:
    index = LabelIndex.from_graph(graph)
    assert len(index.entities) >= len(CURATED)


# -- the audit findings of issue 17 -----------------------------------------------------------


def iri(name: str) -> URIRef:
    return URIRef(ID + name)


def status_of(graph: Graph, name: str) -> URIRef | None:
    return graph.value(iri(name), AIP.status)


def test_national_growth_fund_ended_in_2024(graph: Graph) -> None:
    assert status_of(graph, "instrument/ngf") == iri("concept/status-ended")
    assert str(graph.value(iri("instrument/ngf"), AIP.statusDate)).startswith("2024-")
    assert (iri("instrument/ained"), AIP.fundedBy, iri("instrument/ngf")) in graph


def test_preference_principle_is_proposed_in_the_act_not_part_of_it(graph: Graph) -> None:
    principle, act = iri("eu/europees-voorkeursprincipe"), iri("eu/cloud-ai-development-act")
    assert (principle, AIP.partOf, act) not in graph
    assert (principle, AIP.proposedIn, act) in graph
    assert status_of(graph, "eu/europees-voorkeursprincipe") == iri(
        "concept/status-under-consideration"
    )


def test_a_ministry_is_not_part_of_the_cabinet(graph: Graph) -> None:
    for ministry in graph.subjects(SKOS.exactMatch, None):
        assert (ministry, ORG.subOrganizationOf, iri("organisation/kabinet")) not in graph
    assert graph.value(iri("organisation/ministerie-ezk"), ORG.subOrganizationOf) == iri(
        "organisation/rijksoverheid"
    )


@pytest.mark.parametrize(
    "name", ["organisation/five-eyes", "organisation/digital-9-plus", "organisation/g7"]
)
def test_informal_groups_are_not_formal_organisations(graph: Graph, name: str) -> None:
    types = set(graph.objects(iri(name), RDF.type))
    assert ORG.Organization in types and ORG.FormalOrganization not in types


def test_the_ai_factory_in_groningen_is_linked_to_the_eurohpc_ai_factories(graph: Graph) -> None:
    factory = iri("instrument/ai-fabriek-groningen")
    assert (factory, AIP.fundedBy, iri("eu/eurohpc-ai-factories")) in graph
    assert (factory, AIP.fundedBy, iri("organisation/eurohpc-ju")) in graph


def test_the_nii_status_does_not_rest_on_the_misread_sentence(graph: Graph) -> None:
    """'het nog op te richten NADI en de NII' says only that the NADI is yet to be set up;
    the NII's status needs a source besides the letter."""
    nii = iri("instrument/nii")
    assert status_of(graph, "instrument/nadi") == iri("concept/status-to-be-established")
    other_sources = set(graph.objects(nii, DCTERMS.source)) - {iri("document/2026D32673")}
    assert other_sources
    note = " ".join(map(str, graph.objects(nii, SKOS.editorialNote)))
    assert "het nog op te richten" in note and "does not hold" in note


def test_the_non_existent_eu_talent_strategy_is_recorded_as_such(graph: Graph) -> None:
    assert status_of(graph, "eu/ai-talentstrategie-eu") == iri("concept/status-nonexistent")


@pytest.mark.parametrize(
    ("quote", "name"),
    [
        ("US government", "organisation/amerikaanse-overheid"),
        ("MR", "organisation/ministerraad"),
        ("Voorzitter", "post/voorzitter-tweede-kamer"),
        ("AI-Talentenstrategie van de Europese Unie", "eu/ai-talentstrategie-eu"),
        ("AI-Talentstrategie", "eu/ai-talentstrategie-eu"),
        ("Talentstrategie", "instrument/talentstrategie"),
    ],
)
def test_names_in_the_letter_that_had_no_label_are_now_linked(
    graph: Graph, quote: str, name: str
) -> None:
    text = LETTER.read_text(encoding="utf-8")
    found = {(text[m.start : m.end], m.entity) for m in LabelIndex.from_graph(graph).find(text)}
    assert (quote, iri(name)) in found


@pytest.mark.parametrize(
    "name",
    [
        "instrument/ngf",
        "eu/europees-voorkeursprincipe",
        "organisation/ministerie-ezk",
        "organisation/five-eyes",
        "organisation/digital-9-plus",
        "instrument/ai-fabriek-groningen",
        "instrument/nii",
        "organisation/amerikaanse-overheid",
        "organisation/ministerraad",
        "post/voorzitter-tweede-kamer",
        "eu/ai-talentstrategie-eu",
    ],
)
def test_every_audit_fix_gives_its_reason(graph: Graph, name: str) -> None:
    notes = " ".join(map(str, graph.objects(iri(name), SKOS.editorialNote)))
    assert "issue 17" in notes


# -- linking in real parliamentary prose ------------------------------------------------------

# Phrases as they stand in published documents about AI policy that are not sources of the graph
# (Kamerstukken 26 643, nrs. 640, 709, 1125; 22 112, nr. 3128; 36 410 L, nr. 7; Aanhangsel
# 2022-2023, nr. 3133; the AP's page on the DCA; press reports on GPT-NL and the AI factory).
# Each names one well-known Dutch or EU instrument or body, which must be linked to it.
REAL_PHRASES = [
    (
        "de overheidsbrede visie op generatieve artificiële intelligentie (AI)",
        "instrument/overheidsbrede-visie-generatieve-ai",
    ),
    (
        "de ambities van de Werkagenda Waardengedreven Digitaliseren",
        "instrument/werkagenda-waardengedreven-digitaliseren",
    ),
    (
        "in nauwe relatie tot de Strategie Digitale Economie",
        "instrument/strategie-digitale-economie",
    ),
    ("de voortgang van het Strategisch Actieplan AI (SAPAI)", "instrument/sapai"),
    ("het nationale Algoritmeregister", "instrument/algoritmeregister"),
    ("maar ook de Europese AI-verordening", "eu/ai-verordening"),
    ("en Algemene verordening gegevensbescherming", "eu/avg"),
    (
        "een herziening van het Gecoördineerd plan inzake kunstmatige intelligentie uit 2018",
        "eu/gecoordineerd-plan-ai-2018",
    ),
    (
        "Fiche: Mededeling Bevorderen Europese aanpak inzake Kunstmatige Intelligentie",
        "eu/ai-pakket-2021",
    ),
    ("Behandelingstraject Raad: Telecomraad", "organisation/telecomraad"),
    ("Ministerie van Justitie en Veiligheid", "organisation/ministerie-jenv"),
    ("Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "organisation/ministerie-bzk"),
    (
        "het rapport van de tussentijdse evaluatie van het Nationaal Groeifonds (NGF)",
        "instrument/ngf",
    ),
    (
        "De Autoriteit Persoonsgegevens (AP) is in 2023 van start gegaan",
        "organisation/autoriteit-persoonsgegevens",
    ),
    ("de directie Coördinatie Algoritmes (DCA)", "organisation/directie-coordinatie-algoritmes"),
    (
        "Zo is begin dit jaar de algoritmetoezichthouder gestart.",
        "organisation/directie-coordinatie-algoritmes",
    ),
    (
        "een eerste versie van het implementatiekader verantwoorde inzet van algoritmen",
        "instrument/algoritmekader",
    ),
    ("binnen de Raad van Europa aan het AI-verdrag", "organisation/raad-van-europa"),
    ("het onderzoeksrapport van het Rathenau Instituut", "organisation/rathenau-instituut"),
    ("deelsessies over de AI Verordening", "eu/ai-verordening"),
    (
        "SURF, het Nederlands Forensisch Instituut (NFI) en TNO hebben GPT-NL ontwikkeld",
        "organisation/nfi",
    ),
    (
        "SURF, het Nederlands Forensisch Instituut (NFI) en TNO hebben GPT-NL ontwikkeld",
        "organisation/tno",
    ),
    (
        "SURF, het Nederlands Forensisch Instituut (NFI) en TNO hebben GPT-NL ontwikkeld",
        "instrument/gpt-nl",
    ),
    ("EuroHPC JU has awarded the European contribution", "organisation/eurohpc-ju"),
    ("the Dutch AI Coalition (AIC4NL)", "organisation/nl-aic"),
    ("Beleidsprogramma 2030: Weg naar een Digitaal Decennium", "eu/digitaal-decennium"),
    ("het AI Continent Action Plan", "eu/ai-continent-action-plan"),
    ("via bestaande EU-programma's, zoals Digital Europe en ESF+", "eu/digital-europe"),
    # The AP's news item and press reports on the advice on supervising the AI Act (2024).
    (
        "De Autoriteit Persoonsgegevens (AP) en de Rijksinspectie Digitale Infrastructuur (RDI)",
        "organisation/rdi",
    ),
    (
        "Zo blijft de Nederlandse Voedsel- en Warenautoriteit (NVWA) bijvoorbeeld speelgoed keuren",
        "organisation/nvwa",
    ),
    ("En de Inspectie Gezondheidszorg en Jeugd (IGJ) gaat ook toezichthouden", "organisation/igj"),
    (
        "zullen de Autoriteit Financiële Markten (AFM) en De Nederlandsche Bank (DNB)",
        "organisation/dnb",
    ),
    (
        "zullen de Autoriteit Financiële Markten (AFM) en De Nederlandsche Bank (DNB)",
        "organisation/afm",
    ),
    (
        "die rol voor het College voor de Rechten van de Mens (CRM) en de AP",
        "organisation/college-rechten-van-de-mens",
    ),
]


@pytest.mark.parametrize(("text", "name"), REAL_PHRASES, ids=[n for _, n in REAL_PHRASES])
def test_well_known_names_in_real_parliamentary_prose_are_linked(
    graph: Graph, text: str, name: str
) -> None:
    entities = {m.entity for m in LabelIndex.from_graph(graph).find(text)}
    assert iri(name) in entities


def test_a_short_label_does_not_link_inside_a_word_or_in_lower_case(graph: Graph) -> None:
    index = LabelIndex.from_graph(graph)
    found = {m.entity for m in index.find("De rapporten en de map van de ap-afdeling, zonder mr.")}
    assert iri("organisation/autoriteit-persoonsgegevens") not in found
    assert iri("organisation/ministerraad") not in found


LINKS = (
    AIP.partOf,
    AIP.implements,
    AIP.fundedBy,
    AIP.proposedIn,
    AIP.supervises,
    AIP.responsibleOrganisation,
    AIP.developedWithin,
    DCTERMS.replaces,
    ORG.subOrganizationOf,
)


@pytest.mark.parametrize("link", LINKS, ids=lambda p: str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1])
def test_links_between_curated_entities_point_at_curated_entities(
    graph: Graph, link: URIRef
) -> None:
    dangling = sorted(
        (short(s), short(o))
        for s, o in graph.subject_objects(link)
        if str(s).startswith(ID) and o not in set(CURATED)
    )
    assert dangling == []
