"""Details of real Aanhangsels found after the forms loaded: signers written in lower case or
by post alone, references to a question of another document, dated commitment deadlines and
the question number of metadata.xml in the graph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.sources.parsers import parse_text
from kg.sources.parsers.aanhangsel_header import parse_header

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
BZK = "Binnenlandse Zaken en Koninkrijksrelaties"


@pytest.mark.parametrize(
    ("header", "name", "post", "behalf"),
    [
        (
            "Antwoord van minister de Jonge (Volksgezondheid, Welzijn en Sport) "
            "(ontvangen 3 maart 2024).",
            "de Jonge",
            "Minister van Volksgezondheid, Welzijn en Sport",
            None,
        ),
        (
            f"Antwoord van staatssecretaris Van Huffelen ({BZK}) (ontvangen 22 december 2023)",
            "Van Huffelen",
            f"Staatssecretaris van {BZK}",
            None,
        ),
        (
            "Antwoord van minister Beljaarts (Economische Zaken) (ontvangen 2 mei 2025)",
            "Beljaarts",
            "Minister van Economische Zaken",
            None,
        ),
        (
            "Antwoord van minister Van der Wal-Zeggelink (Natuur en Stikstof) (ontvangen 2 mei "
            "2025)",
            "Van der Wal-Zeggelink",
            "Minister voor Natuur en Stikstof",  # a minister without portfolio
            None,
        ),
        (
            "Antwoord van de Minister van Economische Zaken en Klimaat (ontvangen 2 mei 2025)",
            None,
            "Minister van Economische Zaken en Klimaat",
            None,
        ),
        (
            "Antwoord van de minister voor Digitalisering, mede namens de minister van Justitie "
            "(ontvangen 2 mei 2025)",
            None,
            "Minister voor Digitalisering",
            "Minister van Justitie",
        ),
        (
            f"Antwoord van Minister De Jonge ({BZK}) (Ontvangen 22 januari 2024).",
            "De Jonge",
            f"Minister van {BZK}",
            None,
        ),
    ],
)
def test_signer_in_every_header_form(
    header: str, name: str | None, post: str, behalf: str | None
) -> None:
    letter = parse_header(header)
    assert (letter.sender_name, letter.sender_post, letter.on_behalf_of) == (name, post, behalf)
    assert letter.received is not None


def test_question_addressee_in_lower_case_is_the_curated_posts_spelling() -> None:
    letter = parse_header(
        "Vragen van het lid Dassen (Volt) aan de minister van Economische Zaken en de "
        "staatssecretaris van Financiën over AI (ingezonden 6 januari 2025)."
    )
    assert letter.question_addressees == (
        "Minister van Economische Zaken",
        "Staatssecretaris van Financiën",
    )


# Each fixture form with its signer's title in lower case and, where the fixture has one,
# its name particle too: the signer is found in every form.
LOWER_CASE_SIGNERS = [
    ("ah-tk-20232024-877.xml", "Minister De Jonge", "minister de Jonge", "de Jonge"),
    ("ah-tk-20232024-877.html", "Minister De Jonge", "minister de Jonge", "de Jonge"),
    ("ah-tk-20242025-1650.xml", "Staatssecretaris Szabó", "staatssecretaris Szabó", "Szabó"),
    ("ah-tk-20242025-1502.md", "Staatssecretaris Szabó", "staatssecretaris Szabó", "Szabó"),
    (
        "ah-tk-20232024-412.pdf.txt",
        "Staatssecretaris Van Huffelen",
        "staatssecretaris Van Huffelen",
        "Van Huffelen",
    ),
]


@pytest.mark.parametrize(("name", "printed", "lower", "signer"), LOWER_CASE_SIGNERS)
def test_lower_case_signer_is_found_in_every_form(
    name: str, printed: str, lower: str, signer: str
) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert f"Antwoord van {printed}" in text
    document = parse_text(
        Path(name), text.replace(f"Antwoord van {printed}", f"Antwoord van {lower}")
    )
    assert document.letter.sender_name == signer
    assert re.match(r"(?:Minister|Staatssecretaris) van ", document.letter.sender_post or "")


ANSWER_WITH = (
    "ah-tk-20252026-9001\nAanhangsel van de Handelingen\n\n"
    "Vragen van het lid Dassen (Volt) aan de Minister van Economische Zaken over AI "
    "(ingezonden 6 januari 2026).\n\n"
    "Antwoord van minister Beljaarts (Economische Zaken) (ontvangen 3 februari 2026).\n\n"
    "Vraag 1\nWanneer hoort de Kamer meer?\n\nAntwoord 1\n{answer}\n"
)


@pytest.mark.parametrize(
    ("sentence", "timing"),
    [
        (
            "Ik zal uw Kamer voor 1 december 2026 informeren over de planning.",
            "voor 1 december 2026",
        ),
        ("Ik zal uw Kamer vóór 1 januari informeren over de planning.", "vóór 1 januari"),
        ("Ik zal uw Kamer uiterlijk in maart 2027 informeren.", "uiterlijk in maart 2027"),
        ("Ik zal uw Kamer uiterlijk 15 maart 2027 informeren.", "uiterlijk 15 maart 2027"),
        (
            "De minister zal de Tweede Kamer in het voorjaar van 2027 een wetsvoorstel toesturen.",
            "in het voorjaar van 2027",
        ),
        ("Ik zal uw Kamer voor het zomerreces informeren.", "voor het zomerreces"),
        ("Ik zal uw Kamer dit najaar informeren over de uitkomst.", "dit najaar"),
        ("Ik zal uw Kamer in Q3 2026 informeren over de uitkomst.", "in Q3 2026"),
        ("Ik zal uw Kamer voor de zomer informeren.", "voor de zomer"),
    ],
)
def test_commitment_timing_as_written(sentence: str, timing: str) -> None:
    from kg.extract.mentions import find_commitments

    document = parse_text(Path("stuk.txt"), ANSWER_WITH.format(answer=sentence))
    (commitment,) = find_commitments(document)
    assert commitment.timing == timing
    assert commitment.timing_span is not None
    assert document.text[commitment.timing_span.start : commitment.timing_span.end] == timing


def _graph_of(path: Path):
    from kg.convert.document import document_to_graph
    from kg.pipeline.inputs import load_inputs, parse_documents
    from tests.support import PROJECT

    inputs = load_inputs(PROJECT.data, PROJECT.ontology)
    (document,) = parse_documents([path], inputs)
    return document, document_to_graph(document, inputs.index, inputs.reference)


METADATA = """<?xml version="1.0" encoding="UTF-8"?>
<metadata_gegevens>
<metadata name="DC.identifier" scheme="OVERHEIDop.ParlID" content="ah-tk-20232024-412" />
<metadata name="OVERHEIDop.vraagnummer" scheme="" content="2023Z17215" />
</metadata_gegevens>
"""


@pytest.mark.slow
def test_question_number_of_metadata_xml_is_in_the_graph(tmp_path: Path) -> None:
    from rdflib import Graph, Literal
    from rdflib.namespace import RDF, RDFS, XSD

    from kg.rdf.namespaces import AIP, ID
    from tests.support import PROJECT

    source = tmp_path / "ah-tk-20232024-412.pdf.txt"
    source.write_bytes((FIXTURES / source.name).read_bytes())
    (tmp_path / "metadata.xml").write_text(METADATA, encoding="utf-8")
    document, graph = _graph_of(source)
    assert document.letter.question_number == "2023Z17215"
    stated = list(graph.objects(ID[f"document/{document.identifier}"], AIP.questionNumber))
    assert stated == [Literal("2023Z17215")]
    assert stated[0].datatype in (None, XSD.string)
    # The vraagnummer is the case number, which the published PDF does not print.
    assert document.letter.zaak == "2023Z17215"
    assert list(graph.objects(ID[f"document/{document.identifier}"], AIP.case)) == [
        ID["zaak/2023Z17215"]
    ]
    ontology = Graph().parse(PROJECT.ontology / "aip.ttl")
    assert (AIP.questionNumber, RDF.type, None) in ontology
    labels = ontology.objects(AIP.questionNumber, RDFS.label)
    assert {getattr(label, "language", None) for label in labels} == {
        "nl",
        "en",
    }


CORPUS = Path(__file__).parent / "fixtures" / "corpus"


@pytest.mark.slow
def test_reference_to_a_question_of_another_document_links_its_answer() -> None:
    from rdflib.namespace import DCTERMS

    from kg.rdf.namespaces import AIP, ID

    document, graph = _graph_of(CORPUS / "ah-tk-20252026-2457.txt")
    assert [n for n in document.notes if n.kind == "unresolved-cross-reference"] == []
    internal = [
        (r.source_number, r.target_number) for r in document.cross_references if not r.document
    ]
    assert internal == [(2, 1), (3, 2)]
    (other,) = [r for r in document.cross_references if r.document]
    assert (other.source_number, other.target_number, other.document) == (3, 9, "2026D32673")
    answer = ID[f"document/{document.identifier}/answer/3"]
    assert list(graph.objects(answer, AIP.citesAnswer)) == [ID["document/2026D32673/answer/9"]]
    assert ID["document/2026D32673"] in set(graph.objects(answer, DCTERMS.references))
    # Not an aip:CrossReference (those are inside one document) and not aip:refersTo.
    assert ID["document/2026D32673/answer/9"] not in set(graph.objects(None, AIP.toAnswer))
    assert ID["document/2026D32673/answer/9"] not in set(graph.objects(answer, AIP.refersTo))


@pytest.mark.parametrize(
    ("sentence", "linked"),
    [
        (
            "Zie het antwoord op vraag 1 van de leden Dassen en Kathmann (ingezonden 5 maart 2025).",
            None,
        ),
        ("Zie het antwoord op vraag 3 van het lid Dassen (ingezonden 5 maart 2025).", None),
        ("Zie de antwoorden op de vragen 1 en 3 in mijn brief van 4 maart 2025.", None),
        (
            "Zie de beantwoording van vraag 4 in Aanhangsel Handelingen II 2024/25, nr. 1112.",
            "ah-tk-20242025-1112",
        ),
        ("Zie het antwoord op vraag 1 uit de schriftelijke antwoorden 2025D01234.", "2025D01234"),
    ],
)
def test_references_to_other_documents_are_not_internal(sentence: str, linked: str | None) -> None:
    text = ANSWER_WITH.format(answer="Ja.") + f"\nVraag 2\nEn verder?\n\nAntwoord 2\n{sentence}\n"
    document = parse_text(Path("stuk.txt"), text)
    assert document.notes == []
    assert [r for r in document.cross_references if r.document is None] == []
    documents = {r.document for r in document.cross_references}
    if linked is None:
        assert documents == set()
    else:
        from kg.sources.identifiers import document_identifiers

        assert None not in documents
        assert {document_identifiers(str(d))[0].key for d in documents} == {linked}


def test_reference_in_the_same_sentence_to_this_document_stays_internal() -> None:
    text = ANSWER_WITH.format(answer="Ja.") + (
        "\nVraag 2\nEn verder?\n\nAntwoord 2\nZie het antwoord op vraag 1 in ah-tk-20252026-9001.\n"
    )
    document = parse_text(Path("stuk.txt"), text)
    assert [(r.source_number, r.target_number, r.document) for r in document.cross_references] == [
        (2, 1, None)
    ]


def test_letter_refers_to_a_question_of_another_document() -> None:
    """The letter form refuses a reference to a question it lacks; one to another document's
    question is no such reference."""
    from tests.support import SEED_PATH

    seed = SEED_PATH.read_text(encoding="utf-8")
    own = "Zie de beantwoording van vraag 3."
    assert own in seed
    text = seed.replace(own, "Zie de beantwoording van vraag 13 in ah-tk-20242025-1112.")
    document = parse_text(SEED_PATH, text)
    (other,) = [r for r in document.cross_references if r.document]
    assert (other.source_number, other.target_number, other.document) == (
        11,
        13,
        "ah-tk-20242025-1112",
    )
