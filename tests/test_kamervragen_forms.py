"""The forms of the real Kamervragen feed beyond the published Aanhangsel: the ministry's .docx
answer (as text and as a .docx file), questions not yet answered, notices of delay, the header
as people type it, and the case (zaak) that joins them."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import SourceError
from kg.sources.parsers import parse_file, parse_text
from kg.sources.parsers.header import read_header
from kg.sources.vergaderjaar import vergaderjaar_code
from kg.store import open_store
from tests.support.docx import docx_document
from tests.support.gold import CORPUS

ANSWER_LINE = "Antwoord van minister Hermans (Klimaat en Groene Groei) (ontvangen 19 november 2024)"


# -- the header as people type it -----------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "askers"),
    [
        (
            "Vragen van de leden Sneller , Bamenga , Rooderkerk (allen D66) en Gabriëls "
            "(GroenLinks-PvdA) aan de Minister van Economische Zaken overde faillissementen",
            (
                ("Sneller", "D66"),
                ("Bamenga", "D66"),
                ("Rooderkerk", "D66"),
                ("Gabriëls", "GroenLinks-PvdA"),
            ),
        ),
        (
            "Vragen van het leden Yeşilgöz-Zegerius en Aartsen (beiden VVD) aan de minister van "
            "Sociale Zaken en Werkgelegenheid over de Agenda",
            (("Yeşilgöz-Zegerius", "VVD"), ("Aartsen", "VVD")),
        ),
        (
            "Vragen van het lid Kostic ´ (PvdD) aan de Minister van Justitie over paarden",
            (("Kostić", "PvdD"),),
        ),
        (
            "Vragen van het lid DaniëlleJansen (Nieuw Sociaal Contract) aan de Minister over",
            (("Daniëlle Jansen", "Nieuw Sociaal Contract"),),
        ),
        (
            "Mondelinge vragen van het lid Krul (CDA) aan de Minister voor Economische Zaken over "
            "het bericht (ingezonden 19 november 2024)",
            (("Krul", "CDA"),),
        ),
    ],
    ids=["shared-party-allen", "shared-party-beiden", "split-accent", "glued-name", "oral"],
)
def test_askers_as_typed(header: str, askers: tuple) -> None:
    assert read_header(header).askers == askers


def test_subject_after_over_glued_to_the_ministry() -> None:
    found = read_header(
        "Vragen van de leden Slagt-Tichelman en Piri (beiden GroenLinks-PvdA) aan de Ministers "
        "van Asiel en Migratie en van Volksgezondheid, Welzijn en Sportover zorg voor zwangere "
        "vrouwen (ingezonden 18 november 2024)."
    )
    assert found.addressees == (
        "Minister van Asiel en Migratie",
        "Minister van Volksgezondheid, Welzijn en Sport",
    )
    assert found.subject == "zorg voor zwangere vrouwen"
    assert found.submitted == date(2024, 11, 18)


@pytest.mark.parametrize(
    ("line", "signers", "behalf"),
    [
        (  # the ministry bracket left open: signer and date are still read
            "Antwoord van staatssecretaris Karremans (Volksgezondheid, Welzijn en Sport "
            "(ontvangen 20 november 2024)",
            [("Karremans", "Staatssecretaris van Volksgezondheid, Welzijn en Sport")],
            (),
        ),
        (
            "Antwoord van Staatssecretaris Van Marum (Binnenlandse Zaken en Koninkrijksrelaties) "
            "en van Minister Hermans (Klimaat en Groene Groei) (ontvangen 18 november 2024)",
            [
                ("Van Marum", "Staatssecretaris van Binnenlandse Zaken en Koninkrijksrelaties"),
                ("Hermans", "Minister van Klimaat en Groene Groei"),
            ],
            (),
        ),
        (
            "Antwoord van Minister Faber – Van de Klashorst (Asiel en Migratie), mede namens de "
            "Ministers voor Buitenlandse Handel en Ontwikkelingshulp en vanBuitenlandse Zaken "
            "(ontvangen 18 november 2024).",
            [("Faber – Van de Klashorst", "Minister van Asiel en Migratie")],
            (
                "Minister voor Buitenlandse Handel en Ontwikkelingshulp",
                "Minister van Buitenlandse Zaken",
            ),
        ),
        (
            "Mededeling van staatssecretaris Rummenie (Landbouw, Visserij, Voedselzekerheid en "
            "Natuur) (ontvangen 20 november 2024)",
            [("Rummenie", "Staatssecretaris van Landbouw, Visserij, Voedselzekerheid en Natuur")],
            (),
        ),
    ],
    ids=["open-bracket", "two-signers", "co-signers-glued", "notice"],
)
def test_signers_as_typed(line: str, signers: list, behalf: tuple) -> None:
    found = read_header(line)
    assert [(s.name, s.post) for s in found.signers] == signers
    assert found.behalf == behalf
    assert found.received is not None


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2024, 9, 16), "20232024"),  # the day before Prinsjesdag 2024 (17 September)
        (date(2024, 9, 17), "20242025"),
        (date(2025, 1, 10), "20242025"),
        (date(2025, 9, 15), "20242025"),  # Prinsjesdag 2025 is 16 September
        (date(2025, 9, 16), "20252026"),
    ],
)
def test_parliamentary_year_opens_on_prinsjesdag(day: date, year: str) -> None:
    assert vergaderjaar_code(day) == year


# -- the ministry's text: headings by their role -------------------------------------------


def ministry_answer(blocks: list[str]) -> str:
    return "AH 610\n2024Z15078\n" + ANSWER_LINE + "\n\n" + "\n".join(blocks) + "\n"


@pytest.mark.parametrize(
    ("blocks", "questions", "answers"),
    [
        (
            [
                "Vraag 1",
                "Is dat zo?",
                "Antwoord 1",
                "Ja.",
                "Vraag 2",
                "En dit?",
                "Antwoord 2",
                "Nee.",
            ],
            [[1], [2]],
            [[1], [2]],
        ),
        (
            [
                "Vraag 1",
                "Is dat zo?",
                "Antwoord op vraag 1",
                "Ja.",
                "Vraag 2",
                "En dit?",
                "Vraag 3",
                "En dat?",
                "Antwoord op vraag 2 en 3",
                "Nee.",
            ],
            [[1], [2], [3]],
            [[1], [2, 3]],
        ),
        (
            ["1", "Is dat zo?", "Antwoord", "Ja.", "2", "En dit?", "Antwoord", "Nee."],
            [[1], [2]],
            [[1], [2]],
        ),
        (
            [
                "1. Is dat zo?",
                "Antwoord:",
                "Ja, er zijn drie punten:",
                "1. het eerste.",
                "2. Is dit een vraag?",
                "Antwoord:",
                "Nee.",
            ],
            [[1], [2]],
            [[1], [2]],
        ),
        (
            [
                "Vraag 1",
                "Is dat zo?",
                "Vraag 2",
                "En dit?",
                "Vraag 3",
                "En dat?",
                "Antwoord vragen 1,2 en 3",
                "Ja.",
            ],
            [[1], [2], [3]],
            [[1, 2, 3]],
        ),
        (
            ["Vraag 1", "Is dat zo?", "Vraag 2", "En dit?", "Antwoorden 1 t/m 2", "Ja."],
            [[1], [2]],
            [[1, 2]],
        ),
    ],
    ids=[
        "vraag-antwoord",
        "antwoord-op-vraag",
        "number-alone-bare-antwoord",
        "numbered-text-with-list-in-answer",
        "one-answer-for-three",
        "answers-range",
    ],
)
def test_headings_by_role(blocks: list[str], questions: list, answers: list) -> None:
    document = parse_text(Path("antwoord.docx.txt"), ministry_answer(blocks))
    assert (document.form, document.kind) == ("ministry-text", "answers")
    assert document.identifier == "ah-tk-20242025-610"
    assert document.letter.zaak == "2024Z15078"
    assert [list(q.covers) for q in document.questions] == questions
    assert [list(a.covers) for a in document.answers] == answers


def test_a_number_printed_twice_is_numbered_by_position_and_noted() -> None:
    """The publication error of the issue: "Vraag 7" printed twice and no "Vraag 8"."""
    blocks = []
    for number in (1, 2, 2, 4):
        blocks += [f"Vraag {number}", "Is dat zo?", f"Antwoord {number}", "Ja."]
    document = parse_text(Path("antwoord.docx.txt"), ministry_answer(blocks))
    assert [q.number for q in document.questions] == [1, 2, 3, 4]
    assert [a.number for a in document.answers] == [1, 2, 3, 4]
    kinds = [(n.kind, n.line) for n in document.notes]
    assert ("duplicate-number", 13) in kinds and ("answer-renumbered", 15) in kinds


def test_questions_without_answers_are_a_document_of_their_own() -> None:
    text = (
        "2024Z18885\n\n(ingezonden 20 november 2024)\n\nVragen van het lid Podt (D66) aan de "
        "staatssecretaris van Landbouw over de Ontbossingswet\n\nHoe kijkt u naar de "
        "amendementen? 1)\n\nDeelt u de mening dat dit ondermijnend is?\n\n \n\n"
        "1) Eerste Kamer, 'Wet uitvoering verordening'\n"
    )
    document = parse_text(Path("vragen.docx.txt"), text)
    assert (document.kind, document.identifier) == ("questions", "kv-tk-2024Z18885")
    assert [q.text for q in document.questions] == [
        "Hoe kijkt u naar de amendementen?",
        "Deelt u de mening dat dit ondermijnend is?",
    ]
    (footnote,) = document.footnotes
    assert document.section_at(footnote.marker.start) == ("question", 1)
    assert document.notes == []


def test_a_notice_of_delay_is_a_document_of_its_own() -> None:
    text = (
        "AH 600\n2024Z17067\nMededeling van minister Wiersma (Landbouw, Visserij, "
        "Voedselzekerheid en Natuur) (ontvangen 20 november 2024)\n\nDe vragen van het lid Flach "
        "(SGP) over vergunningen kunnen niet binnen de gebruikelijke termijn worden beantwoord. "
        "Ik zal uw Kamer zo spoedig mogelijk de antwoorden op de vragen doen toekomen.\n"
    )
    document = parse_text(Path("uitstel.docx.txt"), text)
    assert (document.kind, document.identifier) == ("notice", "ah-tk-20242025-600")
    assert document.statement is not None and document.questions == []
    assert document.letter.askers == (("Flach", "SGP"),)


def test_a_document_with_nothing_of_kamervragen_is_refused_saying_so() -> None:
    with pytest.raises(SourceError) as err:
        parse_text(Path("memo.docx.txt"), "AH 612\n\nEen memo zonder vragen of afzender.\n")
    assert err.value.detail.startswith("nothing of a Kamervragen document was found")


# -- .docx files ------------------------------------------------------------------------------

DOCX_PARAGRAPHS: list[str | tuple[str, str]] = [
    "AH 610",
    "2024Z15078",
    ANSWER_LINE,
    ("numbered", "Welke mogelijkheden bestaan er om de injectie te stoppen?{fn:1}"),
    "Antwoord",
    "SodM houdt toezicht.{fn:2} Ik zal uw Kamer voor de zomer informeren.",
    ("numbered", "Welke maatregelen neemt u?"),
    "Antwoord",
    "Zie het antwoord op vraag 1.",
]


def test_a_docx_file_reads_with_word_numbering_and_footnotes(tmp_path: Path) -> None:
    path = tmp_path / "Antwoord_op_vragen.docx"
    path.write_bytes(
        docx_document(DOCX_PARAGRAPHS, {1: "Kamerstuk 33529, nr. 1219", 2: "https://www.sodm.nl"})
    )
    document = parse_file(path)
    assert (document.identifier, document.kind) == ("ah-tk-20242025-610", "answers")
    assert [q.text for q in document.questions] == [
        "Welke mogelijkheden bestaan er om de injectie te stoppen?",
        "Welke maatregelen neemt u?",
    ]
    assert [(f.number, f.text) for f in document.footnotes] == [
        (1, "Kamerstuk 33529, nr. 1219"),
        (2, "https://www.sodm.nl"),
    ]
    assert [document.section_at(f.marker.start) for f in document.footnotes] == [
        ("question", 1),
        ("answer", 1),
    ]
    assert [(r.source_number, r.target_number) for r in document.cross_references] == [(2, 1)]


def test_a_docx_with_a_dtd_is_refused_before_parsing(tmp_path: Path) -> None:
    package = io.BytesIO(docx_document(DOCX_PARAGRAPHS))
    with zipfile.ZipFile(package) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"<w:document", b'<!DOCTYPE w [<!ENTITY x "boom">]><w:document', 1
    )
    hostile = io.BytesIO()
    with zipfile.ZipFile(hostile, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    path = tmp_path / "hostile.docx"
    path.write_bytes(hostile.getvalue())
    with pytest.raises(SourceError) as err:
        parse_file(path)
    assert err.value.detail == (
        "part word/document.xml declares a DTD or entities, which a Word document never does; "
        "refused"
    )


def test_a_docx_that_unpacks_too_far_is_refused(tmp_path: Path, monkeypatch) -> None:
    import kg.sources.docx as docx

    monkeypatch.setattr(docx, "MAX_UNPACKED", 1000)
    path = tmp_path / "bomb.docx"
    path.write_bytes(docx_document(DOCX_PARAGRAPHS))
    with pytest.raises(SourceError) as err:
        parse_file(path)
    assert "the limit is 1,000 bytes" in err.value.detail


# -- the case joins questions, notice and answers -------------------------------------------


@pytest.mark.slow
def test_a_later_answer_joins_the_questions_of_its_case(built, capsys) -> None:
    """Questions 2024Z18792 (the kv PDF) and their answers (the ministry's .docx, AH 605) share
    the case; the answers restate the questions instead of duplicating them."""
    data_dir, store = built
    args = ["--data", str(data_dir), "--store", str(store)]
    questions = CORPUS / "De_ontkoppeling_van_ontwikkelingshulp.pdf.txt"
    answers = CORPUS / "Antwoord_op_vragen_van_het_lid_Boswijk_o.docx.txt"
    assert main(["add", str(questions), *args]) == 0
    assert main(["add", str(answers), *args]) == 0
    capsys.readouterr()
    rows = list(
        open_store(store).query(
            """PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?kind ?asked ?answer WHERE {
          ?case dcterms:identifier "2024Z18792" .
          ?asked a aip:Question ; dcterms:isPartOf ?kv .
          ?kv aip:case ?case ; a aip:QuestionsDocument .
          ?restated aip:restates ?asked ; dcterms:isPartOf ?doc .
          ?doc aip:case ?case ; a ?kind . FILTER (?kind = aip:AnswerDocument)
          ?answer aip:answers ?restated .
        } ORDER BY ?asked"""
        )
    )
    asked = [row["asked"].value.rsplit("/", 3)[-3:] for row in rows]
    assert asked == [["kv-tk-2024Z18792", "question", str(n)] for n in range(1, 6)]
    assert {row["answer"].value for row in rows} == {
        "https://w3id.org/ai-beleid/id/document/ah-tk-20242025-605/answer/1"
    }


# -- a folder of the feed in one go --------------------------------------------------------


@pytest.mark.slow
def test_one_bad_file_keeps_no_good_one_out(built, tmp_path: Path, capsys) -> None:
    """An unreadable file is refused at reading, a document whose graph fails the shapes at
    the check; every other document of the folder is added, and the exit code says some were
    refused."""
    data_dir, store = built
    folder = tmp_path / "feed"
    folder.mkdir()
    good = ["Antwoord_op_vragen_van_het_lid_Boswijk_o.docx.txt", "NAVO-verplichtingen.pdf.txt"]
    failing = "Antwoord_op_vragen_van_het_lid_Beckerman.pdf.txt"  # the published PDF
    for name in [*good, failing]:
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    (folder / "memo.txt").write_text("Een memo zonder vragen.\n", encoding="utf-8")
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "form.ttl").write_text(NO_PUBLISHED_ANSWERS, encoding="utf-8")
    code = main(
        [
            "add",
            str(folder),
            "--data",
            str(data_dir),
            "--store",
            str(store),
            "--shapes",
            str(shapes),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 2
    assert "Added ah-tk-20242025-605 " in out and "Added kv-tk-2024Z18561 " in out
    assert "ah-tk-20242025-560" not in out
    assert f"refused {folder / 'memo.txt'}:1: unknown document form" in err
    assert f"refused {folder / failing}: its graph violates 1 rule(s) of {shapes}: " in err
    assert "Only letters and the ministry's own answers are taken here" in err
    assert not any(
        p.name.startswith("ah-tk-20242025-560") for p in (data_dir / "sources").iterdir()
    )


# A rule the published PDF answer breaks and every other document of the test keeps.
NO_PUBLISHED_ANSWERS = """\
@prefix aip: <https://w3id.org/ai-beleid/def/aip#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix shapes: <https://w3id.org/ai-beleid/def/shapes#> .

shapes:TestForm a sh:NodeShape ; sh:targetClass aip:AnswerDocument ;
    sh:property shapes:TestForm-sourceForm .
shapes:TestForm-sourceForm a sh:PropertyShape ; sh:path aip:sourceForm ;
    sh:in ( "letter" "ministry-text" ) ; sh:name "form" ;
    sh:message "Only letters and the ministry's own answers are taken here." .
"""


@pytest.mark.slow
def test_the_whole_feed_is_added_in_one_go(built, capsys) -> None:
    data_dir, store = built
    code = main(["add", str(CORPUS), "--data", str(data_dir), "--store", str(store)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.count("Added ") == len(list(CORPUS.iterdir())) == 78


# -- officielebekendmakingen XML and HTML of questions and notices -------------------------

XML_NOTICE = """<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie><metadata><meta name="DC.identifier" content="ah-tk-20242025-545"/></metadata>
<kamervragen>
<kamervraagomschrijving>Vragen van het lid Podt (D66) aan de Minister van Asiel en Migratie over
het bericht «Kinderrechtencollectief» (ingezonden 24 oktober 2024).</kamervraagomschrijving>
<kamervraagomschrijving>Mededeling van Minister Faber – van de Klashorst (Asiel en Migratie)
(ontvangen 14 november 2024).</kamervraagomschrijving>
<vraag><nr>Vraag 1</nr><al>Heeft u kennisgenomen van het bericht?</al></vraag>
<vraag><nr>Vraag 2</nr><al>Welke stappen zet u?</al></vraag>
<kamervraagopmerking><al>Hierbij deel ik u mede dat de vragen niet binnen de gebruikelijke
termijn kunnen worden beantwoord. Ik streef ernaar de vragen zo spoedig mogelijk te
beantwoorden.</al></kamervraagopmerking>
</kamervragen></officiele-publicatie>
"""
XML_QUESTIONS = """<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie><metadata><meta name="DC.identifier" content="kv-tk-2024Z18438"/></metadata>
<kamervragen>
<kamervraagomschrijving>Vragen van het lid Sneller (D66) aan de Minister van Economische Zaken
over faillissementen (ingezonden 14 november 2024).</kamervraagomschrijving>
<vraag><nr>Vraag 1</nr><al>Wat heeft u gedaan?</al></vraag>
</kamervragen></officiele-publicatie>
"""
XML_ORAL = """<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie><metadata><meta name="DC.identifier" content="kv-tk-2024Z18775"/></metadata>
<kamervragen><kamervraagomschrijving>Mondelinge vragen van het lid Krul (CDA) aan de Minister
voor Economische Zaken over het bericht «TEMU» (ingezonden 19 november 2024)</kamervraagomschrijving>
</kamervragen></officiele-publicatie>
"""
HTML_NOTICE = """<!DOCTYPE html><html><head>
<meta name="DC.identifier" content="ah-tk-20242025-545"></head><body><div class="stuk">
<p>Vragen van het lid Podt (D66) aan de Minister van Asiel en Migratie over het bericht
(ingezonden 24 oktober 2024).</p>
<p>Mededeling van Minister Faber – van de Klashorst (Asiel en Migratie) (ontvangen 14 november
2024).</p>
<div class="vraag"><h2>Vraag 1</h2><p>Heeft u kennisgenomen van het bericht?</p></div>
<div class="kamervraagopmerking"><p>Hierbij deel ik u mede dat de vragen niet binnen de
gebruikelijke termijn kunnen worden beantwoord. Ik streef ernaar de vragen zo spoedig mogelijk
te beantwoorden.</p></div>
</div></body></html>
"""


@pytest.mark.parametrize(
    ("name", "markup", "kind", "identifier", "zaak", "questions"),
    [
        ("mededeling.xml", XML_NOTICE, "notice", "ah-tk-20242025-545", None, 2),
        ("mededeling.html", HTML_NOTICE, "notice", "ah-tk-20242025-545", None, 1),
        ("vragen.xml", XML_QUESTIONS, "questions", "kv-tk-2024Z18438", "2024Z18438", 1),
        ("mondeling.xml", XML_ORAL, "questions", "kv-tk-2024Z18775", "2024Z18775", 0),
    ],
)
def test_questions_and_notices_in_the_markup_of_officielebekendmakingen(
    name: str, markup: str, kind: str, identifier: str, zaak: str | None, questions: int
) -> None:
    from kg.extract.mentions import find_commitments

    document = parse_text(Path(name), markup)
    assert (document.kind, document.identifier, document.letter.zaak) == (kind, identifier, zaak)
    assert len(document.questions) == questions
    assert document.letter.askers[0][0] in ("Podt", "Sneller", "Krul")
    if kind == "notice":
        assert document.statement is not None
        assert document.statement.text.startswith("Hierbij deel ik u mede")
        (promise,) = find_commitments(document)
        assert promise.timing == "zo spoedig mogelijk"
        assert document.section_at(promise.span.start) == ("statement", 0)


# -- the registry of source forms ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "form"),
    [
        (HTML_NOTICE, "officielebekendmakingen-html"),  # XHTML has an XML prolog too
        (XML_QUESTIONS, "officielebekendmakingen-xml"),
        (ministry_answer(["Vraag 1", "Is dat zo?", "Antwoord 1", "Ja."]), "ministry-text"),
        ((CORPUS / "NAVO-verplichtingen.pdf.txt").read_text(encoding="utf-8"), "aanhangsel-text"),
    ],
    ids=["xhtml", "xml", "ministry-with-vraag-headings", "kv-pdf"],
)
def test_the_surest_form_reads_the_text(text: str, form: str) -> None:
    from kg.sources.parsers import parsers

    scores = {parser.name: parser.match(text) for parser in parsers()}
    assert max(scores, key=lambda name: scores[name]) == form
    assert parse_text(Path("bron"), text).form == form


def test_every_registered_form_is_one_line_and_a_parser() -> None:
    from kg.sources.parsers import REGISTRY, parsers

    found = parsers()
    assert len(found) == len(REGISTRY) > 0
    assert all(0 <= p.match("geen vragen") <= 1 for p in found)
    assert len({p.name for p in found}) == len(found)
