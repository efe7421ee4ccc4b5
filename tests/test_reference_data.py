"""The curated reference data (data/reference/*.ttl): the shapes applied to it (no violations;
a broken copy fails for the right reason), how many entities and identifiers it holds, no label
naming two entities even ignoring case, and the findings of the audit in issue 17 staying fixed.

The rules every curated entity must meet (labels, source, type, level, status, identifier forms
and their agreement, links between entities) are stated once, in shapes/violations.ttl and
shapes/warnings.ttl, where their severity is decided; `kg validate --warnings` reports them with
file and line. The Python here checks what is not a rule of the data: its content, and the
linker accepting it."""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, RDF, SKOS
from rdflib.term import Node

from kg.extract.reference import (
    CASE_SENSITIVE_LABEL,
    LABEL_PROPERTIES,
    LINKABLE_CLASSES,
    LabelIndex,
    load_turtle_files,
    turtle_files,
)
from kg.rdf.namespaces import AIP
from kg.validate import ValidationReport, compact, load_shapes, validate_graph
from tests.support import PROJECT

ID = "https://w3id.org/ai-beleid/id/"
REFERENCE_DIR = PROJECT.reference
LETTER = (PROJECT.data / "sources") / "2026D32673.txt"

INSTRUMENT_CLASSES = {AIP.NationalInstrument, AIP.EUInitiative, AIP.InternationalInstrument}
ORGANISATION_CLASSES = {
    ORG.Organization,
    ORG.FormalOrganization,
    ORG.OrganizationalUnit,
    AIP.PoliticalParty,
}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_turtle_files([*turtle_files(PROJECT.ontology), *turtle_files(REFERENCE_DIR)])


REFERENCE = load_turtle_files(turtle_files(REFERENCE_DIR))  # read only: copy before changing


def _curated(classes: set[URIRef]) -> list[URIRef]:
    found = {s for c in classes for s in REFERENCE.subjects(RDF.type, c)}
    return sorted(s for s in found if isinstance(s, URIRef))


INSTRUMENTS = _curated(INSTRUMENT_CLASSES)
ORGANISATIONS = _curated(ORGANISATION_CLASSES)
CURATED = sorted(set(INSTRUMENTS) | set(ORGANISATIONS))


def short(iri: URIRef) -> str:
    return str(iri).removeprefix(ID)


# -- the landscape as a whole -----------------------------------------------------------------


def test_the_landscape_has_well_over_a_hundred_curated_entities() -> None:
    assert len(CURATED) >= 200
    assert len(INSTRUMENTS) >= 100
    assert len(ORGANISATIONS) >= 100


def test_the_eu_acts_and_ministries_have_their_identifiers(graph: Graph) -> None:
    """How many there are; their forms and agreement are shapes:Identifiers'."""
    identifiers = {
        kind: {o for o in graph.objects(None, prop) if str(o).startswith(prefix)}
        for kind, prop, prefix in (
            ("CELEX", AIP.celexNumber, ""),
            ("ELI", SKOS.exactMatch, "http://data.europa.eu/eli/"),
            ("Cellar", OWL.sameAs, "http://publications.europa.eu/resource/celex/"),
            ("TOOI", SKOS.exactMatch, "https://identifier.overheid.nl/tooi/"),
        )
    }
    assert len(identifiers["CELEX"]) >= 25
    assert len(identifiers["ELI"]) + len(identifiers["Cellar"]) >= 25
    assert len(identifiers["TOOI"]) >= 12


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


# -- the shapes, applied to the reference data ------------------------------------------------


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(PROJECT.shapes)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_turtle_files(turtle_files(PROJECT.ontology))


@pytest.fixture(scope="module")
def reference() -> Graph:
    return REFERENCE


def results(report: ValidationReport) -> set[tuple[str, str, str, str, str]]:
    """Focus node, path, shape, constraint component and severity of every result."""
    return {
        (
            r.focus.removeprefix(ID),
            compact(r.path) if r.path else "-",
            compact(r.shape),
            compact(r.component),
            r.severity,
        )
        for r in report.results
    }


@pytest.fixture(scope="module")
def reference_report(reference: Graph, shapes: Graph, ontology: Graph) -> ValidationReport:
    return validate_graph(reference, shapes, context=ontology)


def test_the_reference_data_has_no_violations(reference_report: ValidationReport) -> None:
    """What `kg build` and `kg validate` check, on the reference data alone; the warnings (an
    instrument without its responsible organisation, a person without a post) are for
    `kg validate --warnings` to list, and fail nothing."""
    assert [(r.focus, compact(r.shape), r.message) for r in reference_report.violations] == []
    assert reference_report.conforms


# name: (SPARQL UPDATE on a copy of the reference data, the results it adds)
BREAKAGES = {
    "an instrument without its English preferred label": (
        'DELETE WHERE { eu:ai-verordening skos:prefLabel "Artificial Intelligence Act"@en }',
        {("eu/ai-verordening", "skos:prefLabel", "shapes:prefLabel-en",
          "sh:QualifiedMinCountConstraintComponent", "Warning")},
    ),
    "an instrument without a source": (
        "DELETE WHERE { instrument:sapai dcterms:source ?source }",
        {("instrument/sapai", "dcterms:source", "shapes:CuratedInstrument-source",
          "sh:MinCountConstraintComponent", "Warning")},
    ),
    "an act whose ELI has no source on EUR-Lex": (
        "DELETE WHERE { eu:ai-verordening dcterms:source ?source }",
        {("eu/ai-verordening", "dcterms:source", "shapes:CuratedInstrument-source",
          "sh:MinCountConstraintComponent", "Warning"),
         ("eu/ai-verordening", "skos:exactMatch", "shapes:Identifiers",
          "sh:SPARQLConstraintComponent", "Violation")},
    ),
    "an organisation status from another scheme": (
        "DELETE { organisation:rdi aip:organisationStatus ?s }"
        " INSERT { organisation:rdi aip:organisationStatus concept:level-eu }"
        " WHERE { organisation:rdi aip:organisationStatus ?s }",
        {("organisation/rdi", "aip:organisationStatus",
          "shapes:Organisation-organisationStatus-kind", "sh:SPARQLConstraintComponent",
          "Violation")},
    ),
    "an organisational unit without its English label": (
        "DELETE { organisation:directie-coordinatie-algoritmes rdfs:label ?l }"
        " WHERE { organisation:directie-coordinatie-algoritmes rdfs:label ?l"
        ' FILTER (LANG(?l) = "en") }',
        {("organisation/directie-coordinatie-algoritmes", "rdfs:label", "shapes:label-en",
          "sh:QualifiedMinCountConstraintComponent", "Violation")},
    ),
    "identifiers without the note that says how they were checked": (
        "DELETE WHERE { eu:ai-verordening skos:editorialNote ?note }",
        {("eu/ai-verordening", p, "shapes:PolicyInstrument", "sh:SPARQLConstraintComponent",
          "Violation") for p in ("aip:celexNumber", "skos:exactMatch", "owl:sameAs")},
    ),
    "a CELEX number that names another act than its ELI and Cellar identifiers": (
        'DELETE DATA { eu:ai-verordening aip:celexNumber "32024R1689" } ;'
        ' INSERT DATA { eu:ai-verordening aip:celexNumber "32024R1698" }',
        {("eu/ai-verordening", p, "shapes:Identifiers", "sh:SPARQLConstraintComponent",
          "Violation") for p in ("skos:exactMatch", "owl:sameAs")},
    ),
    "a TOOI identifier outside the central government": (
        "DELETE WHERE { organisation:ministerie-ezk org:subOrganizationOf ?government }",
        {("organisation/ministerie-ezk", "skos:exactMatch", "shapes:Identifiers",
          "sh:SPARQLConstraintComponent", "Violation")},
    ),
    "a link to an entity nobody curated": (
        "INSERT DATA { instrument:nadi aip:implements eu:ai-verordenning }",
        {("instrument/nadi", "aip:implements", "shapes:CuratedLinks-implements-kind",
          "sh:ClassConstraintComponent", "Violation")},
    ),
}  # fmt: skip
UPDATE_PREFIXES = f"""
PREFIX aip: <{AIP}>
PREFIX concept: <{ID}concept/>
PREFIX dcterms: <{DCTERMS}>
PREFIX eu: <{ID}eu/>
PREFIX instrument: <{ID}instrument/>
PREFIX org: <{ORG}>
PREFIX organisation: <{ID}organisation/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <{SKOS}>
"""


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_a_broken_copy_of_the_reference_data_fails_for_the_right_reason(
    name: str, reference: Graph, shapes: Graph, ontology: Graph, reference_report
) -> None:
    """The shapes reach the curated entities: each breakage adds exactly its results (focus
    node, path, shape, constraint, severity), and a warning alone still conforms."""
    update, expected = BREAKAGES[name]
    broken = Graph()
    broken += reference
    broken.update(UPDATE_PREFIXES + update)
    assert set(broken) != set(reference), "the update changed nothing"
    report = validate_graph(broken, shapes, context=ontology)
    assert results(report) - results(reference_report) == expected
    assert report.conforms == all(severity == "Warning" for *_, severity in expected)


# -- labels -----------------------------------------------------------------------------------


def test_no_two_entities_share_a_label_even_ignoring_case(graph: Graph) -> None:
    """kg build refuses the same label on two entities; the linker also looks labels up
    case-folded, so two labels that differ only in case must not name two entities either."""
    classes = LINKABLE_CLASSES | INSTRUMENT_CLASSES | ORGANISATION_CLASSES
    linkable = {s for c in classes for s in graph.subjects(RDF.type, c)}
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for prop in (*LABEL_PROPERTIES, CASE_SENSITIVE_LABEL):
        for subject, label in graph.subject_objects(prop):
            if isinstance(subject, URIRef) and subject in linkable and isinstance(label, Literal):
                owners[" ".join(str(label).split()).casefold()].add(subject)
    shared = {label: sorted(map(short, who)) for label, who in owners.items() if len(who) > 1}
    assert shared == {}


def test_the_label_index_accepts_the_reference_data(graph: Graph) -> None:
    index = LabelIndex.from_graph(graph)
    assert len(index.entities) >= len(CURATED)


# -- the audit findings of issue 17 -----------------------------------------------------------


def iri(name: str) -> URIRef:
    return URIRef(ID + name)


def status_of(graph: Graph, name: str) -> Node | None:
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
