"""The Aanhangsel parsers (text, markdown, officielebekendmakingen XML and HTML) on fixtures
written one per form, each with an expected-counts file beside it."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from kg.errors import SourceError
from kg.sources.identifiers import document_identifiers
from kg.sources.parsers import parse_file, parse_text

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
EXPECTED = sorted(FIXTURES.glob("*.expected.json"))
FURNITURE = re.compile(
    r"ah-tk-\d{8}-\d+|\bh tk \d{8}|Aanhangsel van de Handelingen|[Vv]ergaderjaar \d{4}|ISSN"
    r"|Gravenhage|Aanhangsel \d|-----|^---$|\[\^?\d|\[\w+ \]",
    re.MULTILINE,
)


def _load(expected_path: Path):
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    return expected, parse_file(FIXTURES / expected["source"])


def test_the_glob_found_fixtures_of_every_form() -> None:
    forms = {json.loads(p.read_text())["form"] for p in EXPECTED}
    assert forms == {
        "aanhangsel-text",
        "aanhangsel-numbered",
        "officielebekendmakingen-xml",
        "officielebekendmakingen-html",
    }
    assert len(EXPECTED) >= 4


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name)
def test_counts(expected_path: Path) -> None:
    expected, document = _load(expected_path)
    assert document.form == expected["form"]
    assert document.identifier == expected["identifier"]
    assert len(document.questions) == expected["questions"]
    assert len(document.answers) == expected["answers"]
    assert len(document.footnotes) == expected["footnotes"]
    assert [list(q.covers) for q in document.questions] == expected["question_numbers"]
    assert [list(a.covers) for a in document.answers] == expected["answer_numbers"]
    if "cross_references" in expected:
        assert [[r.source_number, r.target_number] for r in document.cross_references] == expected[
            "cross_references"
        ]
    if "notes" in expected:
        assert [[n.kind, n.line] for n in document.notes] == expected["notes"]


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name)
def test_header(expected_path: Path) -> None:
    expected, document = _load(expected_path)
    header = document.letter
    assert [list(a) for a in header.askers] == expected["askers"]
    assert header.sender_name == expected["sender_name"]
    assert header.submitted == date.fromisoformat(expected["submitted"])
    assert header.received == date.fromisoformat(expected["received"])
    assert header.subject


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name)
def test_section_texts_hold_no_furniture_and_no_footnotes(expected_path: Path) -> None:
    expected, document = _load(expected_path)
    bodies = [f.text for f in document.footnotes]
    for section in document.questions + document.answers:
        assert not FURNITURE.search(section.text), section.text
        for body in bodies:
            assert body not in section.text
        assert "**" not in section.text and "#" not in section.text
    answers = {str(a.number): a.text for a in document.answers}
    for number, needle in expected["answer_contains"].items():
        assert needle in answers[number]
    questions = {str(q.number): q.text for q in document.questions}
    for number, needle in expected.get("question_contains", {}).items():
        assert needle in questions[number]


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name)
def test_spans_point_into_the_text(expected_path: Path) -> None:
    _, document = _load(expected_path)
    text = document.text
    for section in document.questions + document.answers:
        assert text[section.span.start : section.span.end].strip()
    for footnote in document.footnotes:
        marker = text[footnote.marker.start : footnote.marker.end]
        assert re.fullmatch(
            rf"\[\^{footnote.number}\]|\[\s*{footnote.number}\s*\]|{footnote.number}", marker
        )
        assert footnote.marker.end <= footnote.span.start
        assert (
            footnote.text.split()[-1].rstrip(".") in text[footnote.span.start : footnote.span.end]
        )


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name)
def test_footnote_texts_and_identifiers(expected_path: Path) -> None:
    expected, document = _load(expected_path)
    footnotes = {str(f.number): f for f in document.footnotes}
    for number, body in expected["footnote_texts"].items():
        assert footnotes[number].text == body
    for number, keys in expected["cited"].items():
        assert [i.key for i in document_identifiers(footnotes[number].text)] == keys


def test_xml_and_html_render_to_the_same_text() -> None:
    xml = parse_file(FIXTURES / "ah-tk-20232024-877.xml")
    html = parse_file(FIXTURES / "ah-tk-20232024-877.html")
    assert xml.text == html.text


def test_pdf_page_break_inside_an_answer_is_joined() -> None:
    document = parse_file(FIXTURES / "ah-tk-20232024-412.pdf.txt")
    answer = document.answers[1]
    # The answer's span crosses the page break and its footnotes ...
    raw = document.text[answer.span.start : answer.span.end]
    assert "ah-tk-20232024-412" in raw and "3 Kamerstuk 26 643" in raw
    # ... its text does not.
    assert "zodat burgers kunnen zien" in answer.text
    assert document.letter.see_also == ("Aanhangsel Handelingen, vergaderjaar 2023–2024, nr. 301",)
    assert document.letter.on_behalf_of == "Minister van Economische Zaken en Klimaat"


# -- documents that cannot be parsed ------------------------------------------------------

HEADER = (
    "ah-tk-20232024-0999\n\nVragen van het lid Dassen (Volt) aan de Minister van Economische "
    "Zaken over AI (ingezonden 1 maart 2024).\n\n"
)


@pytest.mark.parametrize(
    ("name", "text", "detail", "line"),
    [
        (
            "no-id.txt",
            HEADER.split("\n\n", 1)[1] + "Vraag 1\nIs dat zo?\n\nAntwoord 1\nJa.\n",
            "no document identifier found; expected a running head such as "
            "'ah-tk-20232024-1234', a header block 'Vergaderjaar 2023–2024 Aanhangsel van de "
            "Handelingen' with the number on a line of its own, a document number such as "
            "'2023D39037' on a line of its own, a DC.identifier in the markup or in a "
            "metadata.xml beside the file, or a file name of that form; or give it with "
            "'kg add --id ID'",
            None,
        ),
    ],
)
def test_unparseable_text_names_file_and_expectation(
    name: str, text: str, detail: str, line: int | None
) -> None:
    with pytest.raises(SourceError) as err:
        parse_text(Path(name), text)
    assert err.value.path == Path(name)
    assert err.value.detail == detail
    assert err.value.line == line


@pytest.mark.parametrize(
    ("text", "kind", "line", "message"),
    [
        (
            HEADER + "Vraag 1\nIs dat zo?\n\nVraag 2\nEn dit?\n\nAntwoord 1\nJa.\n",
            "unanswered-question",
            8,
            "question 2 has no 'Antwoord 2'; it is kept without an answer",
        ),
        (
            HEADER + "Vraag 1\nIs dat zo?\n\nAntwoord 1\n\n",
            "empty-section",
            8,
            "answer 1 has no text after its heading; it was left out",
        ),
        (
            HEADER + "Vraag 1\nIs dat zo?\n\nAntwoord 1\nJa.\n\n[^1]: Kamerstuk 1, nr. 2\n",
            "footnote-without-marker",
            11,
            "footnote 1 has no marker in the text; it is kept, placed where its body stands",
        ),
        (
            HEADER + "Vraag 1\nIs dat zo?\n\nVraag 3\nEn dit?\n\nAntwoord 1\nJa.\n\n"
            "Antwoord 3\nNee.\n",
            "numbering-gap",
            8,
            "question numbers jump from 1 to 3; accepted as printed",
        ),
        (
            HEADER + "Vraag 1\nIs dat zo?\n\nAntwoord 1\nZie het antwoord op vraag 7.\n",
            "unresolved-cross-reference",
            9,
            "answer 1 refers to question 7, which the document does not have (or does not "
            "answer); not linked",
        ),
        (
            HEADER + "Antwoord 1\nJa.\n",
            "answer-without-question",
            5,
            "an answer stands where no question waits for one; it was left out",
        ),
        (
            # A publication error: "Vraag 1" printed twice. Numbered by position.
            HEADER + "Vraag 1\nIs dat zo?\n\nVraag 1 en 2\nEn dit?\n\nAntwoord 1\nJa.\n\n"
            "Antwoord 2 en 3\nNee.\n",
            "duplicate-number",
            8,
            "question 1 en 2 was asked before; numbered by its position as question 2 en 3",
        ),
    ],
    ids=[
        "unanswered",
        "empty-answer",
        "no-marker",
        "gap",
        "unknown-reference",
        "answer-without-question",
        "duplicate-number",
    ],
)
def test_anomalies_are_accepted_and_noted(text: str, kind: str, line: int, message: str) -> None:
    document = parse_text(Path("antwoorden.txt"), text)
    notes = [n for n in document.notes if n.kind == kind]
    assert [(n.line, n.message) for n in notes] == [(line, message)]
    for note in document.notes:
        assert 0 <= note.span.start <= note.span.end <= len(document.text)


def test_xml_without_questions() -> None:
    text = '<?xml version="1.0"?><officiele-publicatie><kamerstuk/></officiele-publicatie>'
    with pytest.raises(SourceError) as err:
        parse_text(Path("stuk.xml"), text)
    assert err.value.detail == (
        "no questions found; expected <vraag> and <antwoord> elements with <nr>, or the "
        "<kamervraagomschrijving> of questions or a notice"
    )


def test_xml_entities_are_neither_expanded_nor_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM", encoding="utf-8")
    source = (FIXTURES / "ah-tk-20242025-1650.xml").read_text(encoding="utf-8")
    hostile = source.replace(
        '<!DOCTYPE officiele-publicatie SYSTEM "https://zoek.officielebekendmakingen.nl/dtd/officiele-publicatie.dtd">',
        f'<!DOCTYPE officiele-publicatie [<!ENTITY leak SYSTEM "file://{secret}">'
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    ).replace("Startups en mkb", "&leak;&b; Startups en mkb")
    document = parse_text(Path("hostile.xml"), hostile)
    assert len(document.questions) == 4
    assert "GEHEIM" not in document.text and "aaaa" not in document.text


def test_html_without_questions() -> None:
    with pytest.raises(SourceError) as err:
        parse_text(Path("page.html"), "<!DOCTYPE html><html><body><p>Hallo</p></body></html>")
    assert err.value.detail == (
        'no questions found; expected <div class="vraag"> and <div class="antwoord">, '
        "or 'Vraag N' and 'Antwoord N' headings in the text"
    )


def test_unknown_form_lists_every_form() -> None:
    with pytest.raises(SourceError) as err:
        parse_text(Path("memo.txt"), "Een memo zonder vragen.\n")
    assert err.value.detail.startswith("unknown document form; expected one of: ")
    for form in (
        "officielebekendmakingen-xml",
        "officielebekendmakingen-html",
        "aanhangsel-text",
        "letter",
    ):
        assert form in err.value.detail
    assert err.value.detail.endswith(
        "It has no questions: no 'Vraag N' / 'Antwoord N' headings and no numbered questions"
    )


# -- the graph of an Aanhangsel document ---------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name)
def test_graph_links_combined_answers_and_cited_documents(expected_path: Path) -> None:
    from rdflib import Graph
    from rdflib.namespace import RDF

    from kg.convert.document import document_to_graph
    from kg.pipeline.inputs import load_inputs, parse_documents
    from kg.rdf.namespaces import AIP, ID
    from tests.support import PROJECT

    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    inputs = load_inputs(PROJECT.data, PROJECT.ontology)
    (document,) = parse_documents([FIXTURES / expected["source"]], inputs)
    graph = document_to_graph(document, inputs.index, inputs.reference)
    base = f"document/{document.identifier}"
    for answer in document.answers:
        node = ID[f"{base}/answer/{answer.number}"]
        asked = {str(o).rsplit("/", 1)[-1] for o in graph.objects(node, AIP.answers)}
        questions = {
            str(q.number) for q in document.questions if set(q.covers) & set(answer.covers)
        }
        assert asked == questions
    for number, keys in expected["cited"].items():
        cited = set(graph.objects(ID[f"{base}/footnote/{number}"], AIP.cites))
        assert {ID[f"document/{k}"] for k in keys} <= cited
    # Every aip: term the graph uses is defined in the ontology.
    ontology = Graph().parse(PROJECT.ontology / "aip.ttl")
    used = {t for triple in graph for t in triple if str(t).startswith(str(AIP))}
    assert {t for t in used if (t, RDF.type, None) not in ontology} == set()


def test_parse_notes_are_web_annotations_on_their_span() -> None:
    from rdflib import Literal
    from rdflib.namespace import RDF

    from kg.convert.document import document_to_graph
    from kg.pipeline.inputs import load_inputs, parse_documents
    from kg.rdf.namespaces import AIP, OA
    from tests.support import PROJECT

    inputs = load_inputs(PROJECT.data, PROJECT.ontology)
    (document,) = parse_documents([FIXTURES / "ah-tk-20242025-1230.pdf.txt"], inputs)
    graph = document_to_graph(document, inputs.index, inputs.reference)
    (note,) = graph.subjects(RDF.type, AIP.ParseNote)
    assert (None, AIP.parseNote, note) in graph
    assert graph.value(note, AIP.noteKind) == Literal("recovered-heading")
    assert graph.value(note, OA.motivatedBy) == OA.commenting
    target = graph.value(note, OA.hasTarget)
    quote = next(
        s
        for s in graph.objects(target, OA.hasSelector)
        if (s, RDF.type, OA.TextQuoteSelector) in graph
    )
    exact = str(graph.value(quote, OA.exact))
    assert exact.startswith("Welke maatregelen") and exact.endswith("vereist?")
    assert "recovered" not in exact and "question 2" in str(graph.value(note, OA.bodyValue))


def test_pdf_text_variants_marker_after_a_space_and_year_without_title() -> None:
    text = (
        "1450\nVergaderjaar 2024-2025\n"
        "Vragen van het lid Dassen (Volt) aan de Minister van Economische Zaken over AI "
        "(ingezonden 1 maart 2025).\n"
        "Vraag 1\nKent u het bericht «AI in 3 gemeenten» 1 over algoritmes?\n"
        "Antwoord 1\nJa, zie vraag 1 en het rapport van 2 maart.\n"
        "1 https://example.nl/bericht\n"
    )
    document = parse_text(Path("stuk.txt"), text)
    assert document.identifier == "ah-tk-20242025-1450"
    (footnote,) = document.footnotes
    assert text[footnote.marker.start - 3 : footnote.marker.end + 5] == "n» 1 over"
    assert document.questions[0].text == "Kent u het bericht «AI in 3 gemeenten» over algoritmes?"


HTML_WITHOUT_DIVS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta name="dcterms.identifier" content="ah-tk-20242025-1700" /></head>
<body><ul class="menu"><li>Zoeken</li></ul>
<div id="broodtekst">
<h1 class="kamervraagomschrijving_kop">Vragen van het lid Dassen (Volt) aan de Minister van
Economische Zaken over AI (ingezonden 6 januari 2025).</h1>
<p>Antwoord van Minister Beljaarts (Economische Zaken) (ontvangen 3 februari 2025).</p>
<p class="vraagnummer">Vraag 1</p><p>Kent u het bericht?<sup><a href="#n1">1</a></sup></p>
<p class="antwoordnummer">Antwoord 1</p><p>Ja.</p>
<p class="vraagnummer">Vraag 2</p><p>En verder?</p>
<p class="antwoordnummer">Antwoord 2</p><p>Zie het antwoord op vraag 1.</p>
<div class="voetnoten"><p class="voetnoot" id="n1">1 Kamerstuk 26 643, nr. 1125</p></div>
</div><p class="footer">Overheid.nl</p></body></html>
"""
XML_OLDER = """<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie><vragen>
<omschr>Vragen van het lid Dassen (Volt) aan de Minister van Economische Zaken over AI
(ingezonden 6 januari 2025).</omschr>
<vraag><al>Vraag 1</al><al>Kent u het bericht?</al></vraag>
<antwoord><al>Antwoord 1</al><al>Ja.</al></antwoord>
<vraag><al>Vraag 2</al><al>En verder?</al></vraag>
<antwoord><al>Antwoord 2</al><al>Zie de antwoorden op de vragen 1 en 2.</al></antwoord>
</vragen></officiele-publicatie>
"""


def test_markup_variants_html_without_section_divs_and_older_xml() -> None:
    html = parse_text(Path("page.html"), HTML_WITHOUT_DIVS)
    assert html.identifier == "ah-tk-20242025-1700"
    assert [(q.number, q.text) for q in html.questions] == [
        (1, "Kent u het bericht?"),
        (2, "En verder?"),
    ]
    assert [a.text for a in html.answers] == ["Ja.", "Zie het antwoord op vraag 1."]
    assert [f.text for f in html.footnotes] == ["Kamerstuk 26 643, nr. 1125"]
    assert html.letter.askers == (("Dassen", "Volt"),)
    xml = parse_text(Path("ah-tk-20242025-1701.xml"), XML_OLDER)
    assert xml.identifier == "ah-tk-20242025-1701"  # from the file name: the XML has none
    # The older XML names no signer and no received date either: noted, not refused.
    assert [(n.kind, n.message) for n in xml.notes] == [
        (
            "identifier-from-file-name",
            "the text states no identifier; 'ah-tk-20242025-1701' was taken from the file name",
        ),
        (
            "incomplete-header",
            "the header does not say who signs it (no readable 'Antwoord "
            "van' or 'Mededeling van' line)",
        ),
        ("incomplete-header", "the header does not say the date it was received"),
    ]
    assert [(q.number, q.text) for q in xml.questions] == [
        (1, "Kent u het bericht?"),
        (2, "En verder?"),
    ]
    assert [(r.source_number, r.target_number) for r in xml.cross_references] == [(2, 1)]


def test_html_sections_without_printed_headings_are_numbered_in_order() -> None:
    page = (
        '<html><head><meta name="DC.identifier" content="ah-tk-20242025-1702"></head><body>'
        "<p>Vragen van het lid Dassen (Volt) aan de Minister van Economische Zaken over AI "
        "(ingezonden 6 januari 2025).</p>"
        '<div class="vraag"><p></p><p>Kent u het bericht?</p></div>'
        '<div class="antwoord"><p>Ja.</p></div>'
        '<div class="vraag"><h3>Vraag 2</h3><p>En verder?</p></div>'
        '<div class="antwoord"><p>Nee.</p></div></body></html>'
    )
    document = parse_text(Path("page.html"), page)
    assert [(q.number, q.text) for q in document.questions] == [
        (1, "Kent u het bericht?"),
        (2, "En verder?"),
    ]
    assert [(a.number, a.text) for a in document.answers] == [(1, "Ja."), (2, "Nee.")]


def test_xhtml_entities_are_neither_expanded_nor_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("GEHEIM", encoding="utf-8")
    page = (FIXTURES / "ah-tk-20242025-1650.html").read_text(encoding="utf-8")
    hostile = page.replace(
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">',
        f'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd" [<!ENTITY leak SYSTEM "file://{secret}">'
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    ).replace("Startups en mkb", "&leak;&b; Startups&nbsp;en mkb")
    document = parse_text(Path("hostile.html"), hostile)
    assert len(document.questions) == 4 and len(document.footnotes) == 1
    assert "GEHEIM" not in document.text and "aaaa" not in document.text
    assert "Startups en mkb" in document.answers[2].text  # &nbsp; read as a space


@pytest.mark.parametrize(
    ("phrase", "numbers"),
    [
        ("Zie de antwoorden op de vragen 2 en 3.", (2, 3)),
        ("zie ook het antwoord op vraag 4", (4,)),
        ("het antwoord op de vragen 2, 3 en 5", (2, 3, 5)),
        ("zoals aangegeven in het antwoord op vraag 2", (2,)),
        ("de beantwoording van de vragen 2 tot en met 4", (2, 3, 4)),
        ("het antwoord onder vraag 6", (6,)),
        ("(zie ook antwoord 3)", (3,)),
    ],
)
def test_cross_reference_forms(phrase: str, numbers: tuple[int, ...]) -> None:
    from kg.sources.parsers.cross_references import CROSS_REFERENCE, targets

    (match,) = CROSS_REFERENCE.finditer(phrase)
    assert targets(match) == numbers
