"""Layouts seen in real published answers that the fixtures do not show: a PDF typeset as
officielebekendmakingen does (bold headings, raised footnote markers, furniture at the foot
and head of each page), heading and cross-reference variants, and the site's HTML where an
answer's element is headed with the question it answers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

from kg.cli import main
from kg.sources.parsers import parse_file, parse_text
from kg.sources.parsers.cross_references import CROSS_REFERENCE, targets
from kg.sources.pdf import headings_on_own_lines
from tests.support.pdf import Line, flow, line, pdf_document

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
FURNITURE = ("ah-tk-", "ISSN", "Gravenhage", "vergaderjaar", "Aanhangsel", "Tweede Kamer")
HEADER = (
    "Vragen van het lid Dassen (Volt) aan de Minister van Economische Zaken over AI "
    "(ingezonden 6 januari 2025).\n\n"
    "Antwoord van Minister Beljaarts (Economische Zaken) (ontvangen 3 februari 2025).\n\n"
)


def _bold(text: str) -> tuple[str, str]:
    return ("bold", text)


def _small(text: str) -> tuple[str, str]:
    return ("small", text)


def _sup(text: str) -> tuple[str, str]:
    return ("sup", text)


def _foot(page: int) -> list[Line]:
    return [
        line(40, _small("ah-tk-20242025-1112")),
        line(30, _small("ISSN 0921 - 7398")),
        line(20, _small("’s-Gravenhage 2025")),
        line(40, _small("Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel"), x=330),
        line(40, _bold(str(page)), x=540),
    ]


def typeset_answers(foot_first: bool = False) -> bytes:
    """Two pages: question 2 runs on over the page break; on page 2 the running head and its
    bold page number share a baseline with the heading 'Antwoord 2', and 'Vraag 3' is run in
    with its question."""
    first = flow(
        800,
        [
            [_small("Tweede Kamer der Staten-Generaal")],
            [_bold("Vergaderjaar 2024–2025")],
            [_bold("Aanhangsel van de Handelingen")],
            [_small("Vragen gesteld door de leden der Kamer, met de daarop door de regering")],
            [_small("gegeven antwoorden")],
            [("number", "1112")],
            None,
            ["Vragen van de leden Kathmann (GroenLinks-PvdA) en Six Dijkstra (NSC) aan de"],
            ["Staatssecretaris van Economische Zaken over toezicht op algoritmes bij gemeenten"],
            ["(ingezonden 14 november 2024)."],
            None,
            ["Antwoord van Staatssecretaris Szabó (Economische Zaken) (ontvangen 9 december"],
            ["2024)."],
            None,
            [_bold("Vraag 1")],
            [
                "Bent u bekend met het bericht «Gemeenten gebruiken algoritmes zonder toezicht»?",
                _sup("1"),
            ],
            None,
            [_bold("Antwoord 1")],
            ["Ja."],
            None,
            [_bold("Vraag 2")],
            ["Hoeveel gemeenten hebben hun algoritmes in het Algoritmeregister opgenomen, en"],
        ],
    )
    first += [line(90, _sup("1"), _small(" https://example.nl/nieuws/algoritmes-zonder-toezicht"))]
    head = line(810, _small("Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel "), _bold("2"))
    second = flow(
        796,
        [
            ["hoeveel daarvan hebben ook hun hoog-risico-algoritmes gepubliceerd?"],
            [_bold("Antwoord 2")],
            ["Op 1 december 2024 hadden 112 gemeenten ten minste één algoritme gepubliceerd in"],
            ["het Algoritmeregister.", _sup("2"), " Dat is ongeveer de helft van alle gemeenten."],
            None,
            [_bold("Vraag 3 "), "Gaat u gemeenten aanspreken die niet publiceren?"],
            None,
            [_bold("Antwoord 3")],
            ["Zie de antwoorden op de vragen 1 en 2. Ik zal uw Kamer voor de zomer van 2025"],
            ["informeren over de voortgang."],
        ],
    )
    second += [line(90, _sup("2"), _small(" https://algoritmes.overheid.nl"))]
    return pdf_document([first + _foot(1), [head, *second, *_foot(2)]], foot_first)


METADATA = """<?xml version="1.0" encoding="UTF-8"?>
<metadata_gegevens>
<metadata name="DC.identifier" scheme="OVERHEIDop.ParlID" content="ah-tk-20242025-1112"/>
<metadata name="DC.title" scheme="" content="Antwoord op vragen over toezicht op algoritmes"/>
<metadata name="OVERHEIDop.indiener" scheme="" content="B.C. Kathmann"/>
<metadata name="OVERHEIDop.indiener" scheme="" content="V.P.G. Six Dijkstra"/>
<metadata name="OVERHEIDop.ontvanger" scheme="" content="Staatssecretaris van Economische Zaken"/>
<metadata name="OVERHEIDop.vraagnummer" scheme="" content="2024Z18000"/>
<metadata name="DCTERMS.issued" scheme="OVERHEID.XSD-date" content="2024-12-10"/>
<metadata name="OVERHEIDop.vergaderjaar" scheme="" content="2024-2025"/>
</metadata_gegevens>
"""


@pytest.mark.parametrize("foot_first", [False, True], ids=["drawn-top-down", "foot-drawn-first"])
def test_a_typeset_pdf_loads_with_its_structure(foot_first: bool, tmp_path: Path) -> None:
    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(typeset_answers(foot_first))
    (tmp_path / "metadata.xml").write_text(METADATA, encoding="utf-8")
    document = parse_file(pdf)
    assert document.identifier == "ah-tk-20242025-1112"
    assert [q.covers for q in document.questions] == [(1,), (2,), (3,)]
    assert [a.covers for a in document.answers] == [(1,), (2,), (3,)]
    assert [(f.number, f.text) for f in document.footnotes] == [
        (1, "https://example.nl/nieuws/algoritmes-zonder-toezicht"),
        (2, "https://algoritmes.overheid.nl"),
    ]
    assert [(r.source_number, r.target_number) for r in document.cross_references] == [
        (3, 1),
        (3, 2),
    ]
    assert document.questions[1].text == (
        "Hoeveel gemeenten hebben hun algoritmes in het Algoritmeregister opgenomen, en "
        "hoeveel daarvan hebben ook hun hoog-risico-algoritmes gepubliceerd?"
    )
    assert document.answers[1].text.endswith(
        "Algoritmeregister. Dat is ongeveer de helft van alle gemeenten."
    )
    for section in document.questions + document.answers:
        assert not any(word in section.text for word in FURNITURE), section.text
    # The bold headings are on lines of their own in the stored text.
    assert "\nAntwoord 2\n" in document.text and "\nVraag 3 \nGaat u" in document.text
    assert document.letter.question_number == "2024Z18000"
    assert document.letter.sender_name == "Szabó"


@pytest.mark.slow
def test_kg_add_takes_the_typeset_pdf_with_its_metadata(built, tmp_path: Path, capsys) -> None:
    data_dir, store = built
    folder = tmp_path / "download"
    folder.mkdir()
    (folder / "document.pdf").write_bytes(typeset_answers())
    (folder / "metadata.xml").write_text(METADATA, encoding="utf-8")
    args = ["--data", str(data_dir), "--store", str(store)]
    assert main(["add", str(folder / "document.pdf"), *args]) == 0
    out = capsys.readouterr().out
    assert "Added ah-tk-20242025-1112 (aanhangsel-text)" in out and "[loaded]" in out
    assert "3 questions, 3 answers, 2 footnotes, 2 cross-references" in out
    stored = data_dir / "sources" / "ah-tk-20242025-1112.pdf"
    issued = parse_file(stored).letter.issued
    assert issued is not None and issued.isoformat() == "2024-12-10"


@pytest.mark.parametrize(
    ("runs", "text"),
    [
        (
            [("Aanhangsel ", False), ("2", True), ("Antwoord 2\n", True)],
            "Aanhangsel 2\nAntwoord 2\n",
        ),
        ([("Vraag 3 ", True), ("Gaat u?\n", False)], "Vraag 3 \nGaat u?\n"),
        ([("tekst.\n", False), ("Vraag 1\n", True)], "tekst.\nVraag 1\n"),
        ([("Let op: ", True), ("dit is vet.\n", False)], "Let op: dit is vet.\n"),
        (
            [("in ", False), ("Vraag 1", True), (" van het lid\n", False)],
            "in Vraag 1 van het lid\n",
        ),
    ],
    ids=["after-furniture", "run-in", "own-line", "bold-text", "mid-line"],
)
def test_bold_headings_are_put_on_lines_of_their_own(runs, text: str) -> None:
    assert headings_on_own_lines(runs) == text


@pytest.mark.parametrize(
    ("phrase", "numbers"),
    [
        ("zie het antwoord op vraag 2 en vraag 3", (2, 3)),
        ("Zie het antwoord op uw vraag 4.", (4,)),
        ("zoals in het antwoord op vraag 12, 2023 al aangegeven", (12,)),
        ("Ik verwijs u naar de antwoorden op vraag 2 en 3.", (2, 3)),
        ("zie de antwoorden bij de vragen 2 t/m 4", (2, 3, 4)),
    ],
)
def test_more_cross_reference_forms(phrase: str, numbers: tuple[int, ...]) -> None:
    (match,) = CROSS_REFERENCE.finditer(phrase)
    assert targets(match) == numbers


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Vraag\u00a01", "Antwoord\u00a01"),
        ("**Vraag 1** Is dat zo?", "**Antwoord 1** Ja."),
        ("### **Vraag 1:**", "### **Antwoord 1:**"),
    ],
    ids=["no-break-space", "bold-run-in", "heading-bold-colon"],
)
def test_heading_variants(question: str, answer: str) -> None:
    body_q = "" if "?" in question else "\nIs dat zo?"
    body_a = "" if "Ja." in answer else "\nJa."
    text = f"ah-tk-20242025-1300\n{HEADER}{question}{body_q}\n\n{answer}{body_a}\n"
    document = parse_text(Path("antwoorden.md"), text)
    assert [(q.number, q.text) for q in document.questions] == [(1, "Is dat zo?")]
    assert [(a.number, a.text) for a in document.answers] == [(1, "Ja.")]


@pytest.mark.parametrize(
    "heading",
    ['<h2 class="stuktitel">Vraag 1</h2>', "<h2>Vraag 1.</h2>", '<p class="nummer">1</p>'],
    ids=["vraag", "vraag-dot", "number-only"],
)
def test_an_answer_element_is_an_answer_whatever_its_heading_says(heading: str) -> None:
    page = (FIXTURES / "ah-tk-20242025-1650.html").read_text(encoding="utf-8")
    page = page.replace('<h2 class="stuktitel">Antwoord 1</h2>', heading, 1)
    document = parse_text(Path("page.html"), page)
    assert [a.covers for a in document.answers] == [(1,), (2,), (3,), (4,)]
    assert document.answers[0].text == "De AI-fabriek in Groningen opent naar verwachting in 2026."


def test_a_combined_answer_element_headed_with_its_questions() -> None:
    xml = (FIXTURES / "ah-tk-20242025-1650.xml").read_text(encoding="utf-8")
    xml = xml.replace("<nr>Antwoord 1</nr>", "<nr>Vraag 1</nr>", 1)
    document = parse_text(Path("stuk.xml"), xml)
    assert [a.covers for a in document.answers] == [(1,), (2,), (3,), (4,)]


def test_xml_sections_without_a_number_are_numbered_in_order() -> None:
    xml = (FIXTURES / "ah-tk-20242025-1650.xml").read_text(encoding="utf-8")
    xml = re.sub(r"<nr>[^<]*</nr>", "", xml)
    document = parse_text(Path("stuk.xml"), xml)
    assert [q.covers for q in document.questions] == [(1,), (2,), (3,), (4,)]
    assert [a.covers for a in document.answers] == [(1,), (2,), (3,), (4,)]
    assert document.questions[0].text == "Wanneer opent de AI-fabriek in Groningen?"


def test_older_answers_with_each_number_on_a_line_of_its_own() -> None:
    ocr = (FIXTURES / "ah-tk-19921993-523.ocr.txt").read_text(encoding="utf-8")
    document = parse_text(Path("scan.txt"), re.sub(r"^(\d)\. ", "\\1\n", ocr, flags=re.M))
    expected = parse_file(FIXTURES / "ah-tk-19921993-523.ocr.txt")
    assert document.form == "aanhangsel-numbered"
    assert [(q.number, q.text) for q in document.questions] == [
        (q.number, q.text) for q in expected.questions
    ]
    assert [(a.number, a.text) for a in document.answers] == [
        (a.number, a.text) for a in expected.answers
    ]


SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
MARKER = re.compile(r"\[(\d) ?\]")  # the shared real document writes markers "[1 ]" and "[8]"
BODY = re.compile(r"^(\d) ", re.MULTILINE)  # and bodies "1 Nederlands Dagblad, ..."


@pytest.mark.parametrize(
    ("marker", "body"),
    [
        ("[\\1 ]", "[\\1 ] "),
        (lambda m: m.group(1).translate(SUPERSCRIPT), lambda m: m.group(1).translate(SUPERSCRIPT)),
        ("<sup>\\1</sup>", "\\1 "),
        ("^\\1^", "\\1 "),
        ("[^\\1]", "[^\\1]: "),
    ],
    ids=["bracketed-bodies", "superscript-digits", "html-sup", "pandoc", "markdown-at-page-ends"],
)
def test_footnote_numbers_as_each_converter_writes_them(marker, body) -> None:
    """The shared real document with its markers and footnote bodies written the way other
    PDF-to-text converters write a superscript: the same questions, answers and footnotes."""
    real = FIXTURES / "ah-tk-20232024-387.txt"
    expected = parse_file(real)
    text = BODY.sub(body, MARKER.sub(marker, real.read_text(encoding="utf-8")))
    document = parse_text(Path("ah-tk-20232024-387.md"), text)
    assert [(s.covers, s.text) for s in document.questions] == [
        (s.covers, s.text) for s in expected.questions
    ]
    assert [(s.covers, s.text) for s in document.answers] == [
        (s.covers, s.text) for s in expected.answers
    ]
    assert [(f.number, f.text) for f in document.footnotes] == [
        (f.number, f.text) for f in expected.footnotes
    ]
    assert len(document.footnotes) == 9


@pytest.mark.parametrize(
    ("user_password", "needle"),
    [("", None), ("geheim", "the PDF needs a password to be read")],
    ids=["restrictions-only", "password"],
)
def test_an_encrypted_pdf_opens_when_it_needs_no_password(
    user_password: str, needle: str | None, tmp_path: Path
) -> None:
    import io

    from pypdf import PdfReader, PdfWriter

    from kg.errors import SourceError

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(typeset_answers())))
    writer.encrypt(user_password=user_password, owner_password="eigenaar", algorithm="RC4-128")
    pdf = tmp_path / "beveiligd.pdf"
    with pdf.open("wb") as out:
        writer.write(out)
    if needle is None:
        assert [q.number for q in parse_file(pdf).questions] == [1, 2, 3]
    else:
        with pytest.raises(SourceError) as err:
            parse_file(pdf)
        assert err.value.detail.startswith(needle)


@pytest.mark.slow
def test_a_download_folder_of_one_publication_in_two_forms(built, tmp_path: Path, capsys) -> None:
    """As officielebekendmakingen gives a publication: its PDF, its XML and metadata.xml in one
    folder. The metadata belongs to both; the second form is refused as the same document."""
    data_dir, store = built
    folder = tmp_path / "ah-tk-20242025-1112"
    folder.mkdir()
    (folder / "ah-tk-20242025-1112.pdf").write_bytes(typeset_answers())
    xml = (FIXTURES / "ah-tk-20242025-1650.xml").read_text(encoding="utf-8")
    xml = xml.replace("ah-tk-20242025-1650", "ah-tk-20242025-1112")
    (folder / "ah-tk-20242025-1112.xml").write_text(xml, encoding="utf-8")
    (folder / "metadata.xml").write_text(METADATA, encoding="utf-8")
    assert parse_file(folder / "ah-tk-20242025-1112.xml").letter.question_number == "2024Z18000"
    args = ["--data", str(data_dir), "--store", str(store)]
    assert main(["add", str(folder), *args]) == 2
    captured = capsys.readouterr()
    assert captured.out.count("Added ah-tk-20242025-1112 (aanhangsel-text)") == 1
    assert (
        f"refused {folder / 'ah-tk-20242025-1112.xml'}: document ah-tk-20242025-1112 is also "
        "ah-tk-20242025-1112.pdf, given before it" in captured.err
    )


def test_the_identifier_from_a_second_download_s_file_name() -> None:
    text = f"{HEADER}Vraag 1\nIs dat zo?\n\nAntwoord 1\nJa.\n"
    document = parse_text(Path("ah-tk-20242025-1300 (1).txt"), text)
    assert document.identifier == "ah-tk-20242025-1300"
    assert [n.kind for n in document.notes] == ["identifier-from-file-name"]


@pytest.mark.parametrize(
    ("printed", "extracted"),
    [
        ("’s-Gravenhage", "s-Gravenhage"),
        ("0921 - 7398", "0921 – 7398"),
        ("h tk 20242025 1112", "htk202420251112"),
    ],
    ids=["apostrophe-lost", "issn-en-dash", "running-head-without-separators"],
)
def test_furniture_as_the_text_layer_mangles_it(printed: str, extracted: str) -> None:
    source = FIXTURES / "ah-tk-20242025-1112.pdf.txt"
    expected = parse_file(source)
    text = source.read_text(encoding="utf-8").replace(printed, extracted)
    document = parse_text(Path("stuk.txt"), text)
    assert document.identifier == "ah-tk-20242025-1112"
    assert [(s.covers, s.text) for s in document.questions + document.answers] == [
        (s.covers, s.text) for s in expected.questions + expected.answers
    ]
    assert [f.text for f in document.footnotes] == [f.text for f in expected.footnotes]


FOOTNOTES_1650 = """<div class="voetnoten">
    <div class="voetnoot" id="ID-1650-1"><p><span class="nootnum">1</span> Kamerstuk 36 410 XIII, nr. 12</p></div>
  </div>"""


@pytest.mark.parametrize(
    "notes",
    [
        '<ol class="noten"><li id="ID-1650-1">Kamerstuk 36 410 XIII, nr. 12</li></ol>',
        '<div class="footnotes"><p><a id="ID-1650-1"></a>1 Kamerstuk 36 410 XIII, nr. 12</p></div>',
        '<dl><dt id="ID-1650-1">1</dt><dd>Kamerstuk 36 410 XIII, nr. 12</dd></dl>',
        '<div class="voet noot snp-mouseoffset" id="ID-1650-1"><p><a class="nootnum" '
        'href="#ID-1650-1-ref">1</a> Kamerstuk 36 410 XIII, nr. 12</p></div>',
    ],
    ids=["ordered-list", "anchor-in-paragraph", "definition-list", "voet-noot"],
)
@pytest.mark.parametrize("divs", [True, False], ids=["sections", "paragraphs"])
def test_html_footnotes_wherever_their_links_point(notes: str, divs: bool) -> None:
    page = (FIXTURES / "ah-tk-20242025-1650.html").read_text(encoding="utf-8")
    assert FOOTNOTES_1650 in page
    page = page.replace(FOOTNOTES_1650, notes)
    if not divs:  # the page as paragraphs, its headings in the text
        page = re.sub(
            r'<div class="(?:vraag|antwoord)">|</div>\n  (?=<div class="(?:vraag|antwoord)|<ol|<dl)',
            "",
            page,
        )
    assert divs or 'class="antwoord"' not in page
    document = parse_text(Path("page.html"), page)
    assert [a.covers for a in document.answers] == [(1,), (2,), (3,), (4,)]
    assert document.answers[0].text == "De AI-fabriek in Groningen opent naar verwachting in 2026."
    assert [f.text for f in document.footnotes] == ["Kamerstuk 36 410 XIII, nr. 12"]
    assert all("Kamerstuk 36 410" not in a.text for a in document.answers)


@pytest.mark.parametrize(
    ("name", "declaration"),
    [
        ("stuk.xml", b'<?xml version="1.0" encoding="ISO-8859-1"?>\n'),
        ("page.html", b'<!DOCTYPE html>\n<html><head><meta charset="windows-1252"></head>\n'),
    ],
    ids=["xml-prolog", "html-meta"],
)
def test_markup_in_the_encoding_it_declares(name: str, declaration: bytes, tmp_path: Path) -> None:
    source = FIXTURES / ("ah-tk-20242025-1650" + Path(name).suffix)
    text = source.read_text(encoding="utf-8").replace("2026.", "2026, coördinatie volgt.")
    text = re.sub(r"^<\?xml[^>]*\?>\n", "", text) if name.endswith(".xml") else text
    body = text if name.endswith(".xml") else text.split("<body>", 1)[1]
    path = tmp_path / source.name  # the identifier from the file name where the head is cut
    path.write_bytes(declaration + body.encode("cp1252"))
    document = parse_file(path)
    assert "coördinatie volgt" in document.answers[0].text
    assert [q.number for q in document.questions] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("runs", "text"),
    [
        (
            [
                ("1 https://example.nl\n", False, 90.0),
                ("Vraag 1\n", True, 800.0),
                ("Kent u het bericht?", False, 788.0),
                ("1", False, 788.0),
            ],
            "Vraag 1\nKent u het bericht?1\n1 https://example.nl\n",
        ),
        (  # a marker raised on a line of its own stays after its line
            [
                ("Kent u het bericht?\n", False, 620.0),
                ("1\n", False, 624.0),
                ("Antwoord 1\n", True, 596.0),
            ],
            "Kent u het bericht?\n1\nAntwoord 1\n",
        ),
    ],
    ids=["foot-drawn-first", "raised-marker"],
)
def test_lines_in_reading_order(runs, text: str) -> None:
    from kg.sources.pdf import in_reading_order

    assert "".join(t for t, _, _ in in_reading_order(runs)) == text


def test_the_questions_alone_get_no_recovered_answers() -> None:
    """Written questions as submitted (no answers yet): the explanation after a question is
    not taken for an answer whose heading was lost, and a question without an answer is what
    such a document is, not an anomaly."""
    asked = HEADER.split("Antwoord van")[0]  # no answer yet: no "Antwoord van" line
    text = (
        "kv-tk-2025Z00123\n" + asked + "Vraag 1\nKent u het bericht?\n\n"
        "Toelichting: het bericht verscheen gisteren.\n\nVraag 2\nWat gaat u doen?\n\n"
        "Deze vragen zijn een vervolg op eerdere vragen.\n"
    )
    document = parse_text(Path("vragen.txt"), text)
    assert (document.kind, document.identifier) == ("questions", "kv-tk-2025Z00123")
    assert document.answers == []
    assert [q.text for q in document.questions] == [
        "Kent u het bericht?",
        "Wat gaat u doen?\n\nDeze vragen zijn een vervolg op eerdere vragen.",
    ]
    assert document.explanation is not None
    assert document.explanation.text == "het bericht verscheen gisteren."
    assert document.notes == []


def test_the_metadata_title_and_date_of_issue_are_in_the_graph(tmp_path: Path) -> None:
    from rdflib import Literal
    from rdflib.namespace import DCTERMS, XSD

    from kg.convert.document import document_to_graph
    from kg.extract.reference import LabelIndex
    from kg.rdf.namespaces import ID

    pdf = tmp_path / "document.pdf"
    pdf.write_bytes(typeset_answers())
    (tmp_path / "metadata.xml").write_text(METADATA, encoding="utf-8")
    graph = document_to_graph(parse_file(pdf), LabelIndex({}, {}), Graph())
    node = ID["document/ah-tk-20242025-1112"]
    title = "Antwoord op vragen over toezicht op algoritmes"
    assert graph.value(node, DCTERMS.title) == Literal(title, lang="nl")
    assert graph.value(node, DCTERMS.issued) == Literal("2024-12-10", datatype=XSD.date)


@pytest.mark.parametrize(
    ("name", "commitment"),
    [
        (
            "ah-tk-20242025-1230.pdf.txt",
            "Ik zal uw Kamer na de zomer informeren over de voortgang.",
        ),
        (
            "ah-tk-20242025-1112.pdf.txt",
            "Ik zal uw Kamer voor de zomer van 2025 informeren over de voortgang.",
        ),
        (
            "ah-tk-20232024-412.pdf.txt",
            "Ik zal uw Kamer voor de zomer informeren over de voortgang van het Algoritmeregister.",
        ),
    ],
)
def test_a_commitment_wrapped_over_lines_of_pdf_text_is_found(name: str, commitment: str) -> None:
    from kg.extract.mentions import find_commitments

    document = parse_file(FIXTURES / name)
    (found,) = find_commitments(document)
    assert found.text == commitment
    assert " ".join(document.text[found.span.start : found.span.end].split()) == commitment


def test_a_sentence_ends_before_the_footnote_marker_after_it() -> None:
    from kg.extract.mentions import sentences

    text = "Ik zal uw Kamer\ninformeren.[5 ] Daarna volgt\nmeer.³ Klaar.4\nEn de wet.4 van 2024."
    found = [text[s.start : s.end] for s in sentences(text, 0, len(text))]
    assert found == [
        "Ik zal uw Kamer\ninformeren.",
        "Daarna volgt\nmeer.",
        "Klaar.",
        "En de wet.",
        "van 2024.",
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "ah-tk-20242025-1112.pdf.txt",
        "ah-tk-20242025-1230.pdf.txt",
        "ah-tk-20232024-412.pdf.txt",
        "ah-tk-20232024-387.txt",
    ],
)
def test_names_in_furniture_and_footnotes_are_no_mentions_of_a_section(name: str) -> None:
    """The running head 'Tweede Kamer, vergaderjaar ...' names no organisation in answer 2, and
    a footnote's body at a page's foot is not the text of the answer around it."""
    from kg.extract.mentions import link_mentions
    from kg.pipeline.inputs import load_inputs
    from tests.support import PROJECT

    index = load_inputs(PROJECT.data, PROJECT.ontology).index
    document = parse_file(FIXTURES / name)
    mentions = link_mentions(document, index)
    sections = {("question", s.number): s for s in document.questions}
    sections |= {("answer", s.number): s for s in document.answers}
    placed = [m for m in mentions if m.section_kind != "document"]
    assert placed
    for mention in placed:
        surface = " ".join(document.text[mention.span.start : mention.span.end].split())
        assert surface in sections[mention.section_kind, mention.section_number].text
    for footnote in document.footnotes:
        inside = [m for m in mentions if footnote.span.contains(m.span)]
        assert all(m.section_kind == "document" for m in inside)


def test_a_commitment_cut_by_a_page_break_reads_without_the_furniture() -> None:
    from kg.extract.mentions import find_commitments

    text = (
        "ah-tk-20242025-1300\n" + HEADER + "Vraag 1\nIs dat zo?\n\nAntwoord 1\n"
        "Ja. Ik zal uw Kamer[1 ] voor de zomer\n1 Kamerstuk 36 410, nr. 3.\n"
        "ah-tk-20242025-1300\nTweede Kamer, vergaderjaar 2024–2025, Aanhangsel 1\n-----\n"
        "informeren over de voortgang.[2 ] Dat is alles. Het kabinet zal\n"
        "ah-tk-20242025-1300\nTweede Kamer, vergaderjaar 2024–2025, Aanhangsel 2\n-----\n"
        "het rapport sturen.\n2 Kamerstuk 36 410, nr. 4\n"
    )
    document = parse_text(Path("stuk.txt"), text)
    (commitment,) = find_commitments(document)  # the running head's "Tweede Kamer" is none
    assert commitment.text == "Ik zal uw Kamer voor de zomer informeren over de voortgang."
    assert commitment.timing == "voor de zomer"


def test_an_identifier_the_metadata_contradicts_is_noted(tmp_path: Path) -> None:
    source = tmp_path / "stuk.txt"
    source.write_bytes((FIXTURES / "ah-tk-20242025-1112.pdf.txt").read_bytes())
    (tmp_path / "metadata.xml").write_text(
        METADATA.replace("ah-tk-20242025-1112", "ah-tk-20242025-1113"), encoding="utf-8"
    )
    document = parse_file(source)
    assert document.identifier == "ah-tk-20242025-1112"
    (note,) = [n for n in document.notes if n.kind == "identifier-mismatch"]
    assert "'ah-tk-20242025-1113'" in note.message


def test_a_heading_whose_space_the_text_layer_lost_and_a_soft_hyphen() -> None:
    text = (
        "ah-tk-20242025-1300\n" + HEADER + "Vraag1\nKent u het Algoritme\u00ad\nregister?\n\n"
        "Antwoord1\nJa, het informa-\ntieregister ook.\n"
    )
    document = parse_text(Path("stuk.txt"), text)
    assert [(q.number, q.text) for q in document.questions] == [
        (1, "Kent u het Algoritmeregister?")
    ]
    assert [(a.number, a.text) for a in document.answers] == [
        (1, "Ja, het informa-tieregister ook.")
    ]
