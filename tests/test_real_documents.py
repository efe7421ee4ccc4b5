"""Real documents as users have them: PDF with metadata.xml, encodings, --id, bulk add, and
the refusal of documents that hold no questions (a motion, a letter)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import SourceError
from kg.sources.parsers import parse_file, parse_text
from tests.support.pdf import flow, pdf_document

FIXTURES = Path(__file__).parent / "fixtures" / "sources"

PAGES = [
    [
        "Aanhangsel van de Handelingen",
        "Vragen van het lid Dassen (Volt) aan de Minister van Economische Zaken over",
        "rekenkracht voor AI (ingezonden 6 januari 2025).",
        "Antwoord van Minister Beljaarts (Economische Zaken) (ontvangen 3 februari 2025).",
        "Vraag 1",
        "Hoeveel rekenkracht heeft de AI-fabriek in Groningen?",
        "Antwoord 1",
        "Dat wordt dit jaar bepaald.1",
        "Vraag 2",
        "Wie mag de AI-fabriek gebruiken?",
        "1 Kamerstuk 36 410 XIII, nr. 12",
        "ah-tk-20242025-1300",
        "Tweede Kamer, vergaderjaar 2024-2025, Aanhangsel 1",
    ],
    [
        "Antwoord 2",
        "Onderzoekers en bedrijven. Zie ook het antwoord op vraag 1.",
        "ah-tk-20242025-1300",
        "Tweede Kamer, vergaderjaar 2024-2025, Aanhangsel 2",
    ],
]
METADATA = """<?xml version="1.0" encoding="UTF-8"?>
<metadata_gegevens>
<metadata name="DC.title" scheme="" content="Antwoord op vragen van het lid Dassen over rekenkracht voor AI" />
<metadata name="OVERHEIDop.indiener" scheme="" content="L. Dassen" />
<metadata name="OVERHEIDop.ontvanger" scheme="" content="Minister van Economische Zaken" />
<metadata name="OVERHEIDop.vraagnummer" scheme="" content="2025Z00123" />
<metadata name="OVERHEIDop.vergaderjaar" scheme="" content="2024-2025" />
<metadata name="DCTERMS.issued" scheme="DCTERMS.W3CDTF" content="2025-02-04" />
<metadata name="DC.identifier" scheme="OVERHEIDop.ParlID" content="ah-tk-20242025-1300" />
</metadata_gegevens>
"""


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """A PDF with one body-text line per entry, from the top of the page, a page per list."""
    return pdf_document([flow(800, [[text] for text in lines], leading=14) for lines in pages])


@pytest.mark.slow
def test_pdf_loads_with_its_extracted_text(tmp_path: Path) -> None:
    pdf = tmp_path / "antwoorden.pdf"
    pdf.write_bytes(pdf_bytes(PAGES))
    document = parse_file(pdf)
    assert document.identifier == "ah-tk-20242025-1300"
    assert [q.number for q in document.questions] == [1, 2]
    assert [a.number for a in document.answers] == [1, 2]
    assert [f.text for f in document.footnotes] == ["Kamerstuk 36 410 XIII, nr. 12"]
    assert [(r.source_number, r.target_number) for r in document.cross_references] == [(2, 1)]
    assert document.answers[1].text == "Onderzoekers en bedrijven. Zie ook het antwoord op vraag 1."
    # The stored text is the extracted text: every span points into it.
    assert "Hoeveel rekenkracht" in document.text[document.questions[0].span.start :]
    assert document.letter.sender_name == "Beljaarts"


def test_metadata_beside_the_pdf_fills_the_header(tmp_path: Path) -> None:
    lines = [line for line in PAGES[0] if "ah-tk" not in line and "Vragen van" not in line]
    lines = [line for line in lines if "rekenkracht voor AI (" not in line]
    pdf = tmp_path / "download.pdf"
    pdf.write_bytes(pdf_bytes([lines, [p for p in PAGES[1] if "ah-tk" not in p]]))
    (tmp_path / "metadata.xml").write_text(METADATA, encoding="utf-8")
    document = parse_file(pdf)
    assert document.identifier == "ah-tk-20242025-1300"  # only the metadata says it
    letter = document.letter
    assert letter.askers == (("L. Dassen", None),)
    assert letter.question_addressees == ("Minister van Economische Zaken",)
    assert letter.title == "Antwoord op vragen van het lid Dassen over rekenkracht voor AI"
    assert letter.question_number == "2025Z00123"
    assert str(letter.issued) == "2025-02-04"


@pytest.mark.slow
def test_kg_add_pdf_with_metadata_and_id(built, tmp_path: Path, capsys) -> None:
    data_dir, store = built
    pdf = tmp_path / "in" / "stuk.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(pdf_bytes(PAGES))
    metadata = tmp_path / "meta.xml"
    metadata.write_text(METADATA, encoding="utf-8")
    args = ["--data", str(data_dir), "--store", str(store)]
    code = main(
        ["add", str(pdf), "--metadata", str(metadata), "--id", "ah-tk-20242025-9999", *args]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "Added ah-tk-20242025-9999 (aanhangsel-text)" in out
    assert "2 questions, 2 answers, 1 footnotes, 1 cross-references" in out
    stored = data_dir / "sources" / "ah-tk-20242025-9999.pdf"
    assert stored.is_file() and Path(f"{stored}.metadata.xml").is_file()
    assert parse_file(stored).identifier == "ah-tk-20242025-9999"  # and on every rebuild
    assert main(["remove", "ah-tk-20242025-9999", *args]) == 0
    assert not stored.exists() and not Path(f"{stored}.metadata.xml").exists()


@pytest.mark.slow
def test_bulk_add_reports_each_file_and_rebuilds_once(built, tmp_path: Path, capsys) -> None:
    data_dir, store = built
    folder = tmp_path / "downloads"
    folder.mkdir()
    for name in ("ah-tk-20232024-387.txt", "ah-tk-20242025-1230.pdf.txt"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    (folder / "motie.txt").write_text(MOTION, encoding="utf-8")
    code = main(["add", str(folder), "--data", str(data_dir), "--store", str(store)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out.count("Added ") == 2
    assert "Added ah-tk-20242025-1230 (aanhangsel-text)" in captured.out
    assert "[loaded with 1 note(s)]" in captured.out
    assert "note, line 18 (recovered-heading)" in captured.out
    assert f"refused {folder / 'motie.txt'}:5: this is a motion" in captured.err
    assert captured.out.count("Store: ") == 1


MOTION = """Tweede Kamer der Staten-Generaal
Motie van het lid Dassen over rekenkracht
De Kamer,
gehoord de beraadslaging,
verzoekt de regering de AI-fabriek open te stellen voor het mkb,
en gaat over tot de orde van de dag.
Dassen
"""


@pytest.mark.parametrize(
    ("text", "detail", "line"),
    [
        (MOTION, "this is a motion (motie: 'verzoekt de regering'); it has no questions", 5),
        (
            "Den Haag, 3 maart 2025\n\nGeachte Voorzitter,\n\nHierbij zend ik u het rapport.\n",
            "this letter has no questions: no 'Vraag N' / 'Antwoord N' headings",
            3,
        ),
        (
            "ah-tk-20242025-1500\nMededeling van Staatssecretaris Szabó (Economische Zaken) "
            "(ontvangen 3 februari 2025)\n\nDe vragen van het lid Dassen (Volt) over AI "
            "kunnen niet binnen de gebruikelijke termijn worden beantwoord.\n",
            "this is a notice (mededeling) that the answers will come later; it has no questions",
            2,
        ),
    ],
    ids=["motion", "letter", "notice-of-delay"],
)
def test_documents_without_questions_are_refused_saying_so(
    text: str, detail: str, line: int
) -> None:
    with pytest.raises(SourceError) as err:
        parse_text(Path("stuk.txt"), text)
    assert err.value.detail.startswith(detail)
    assert err.value.line == line


# -- encodings ------------------------------------------------------------------------------

SOURCE = FIXTURES / "ah-tk-20242025-1112.pdf.txt"


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.replace("\n", "\r\n").encode("utf-8"),
        lambda t: t.replace("\n", "\r\n").encode("utf-16"),  # with its byte-order mark
        lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    ],
    ids=["utf-8-bom", "crlf", "utf-16-le-bom-crlf", "utf-16-be-bom"],
)
def test_encodings_give_the_same_document(encode, tmp_path: Path) -> None:
    expected = parse_file(SOURCE)
    path = tmp_path / SOURCE.name
    path.write_bytes(encode(SOURCE.read_text(encoding="utf-8")))
    document = parse_file(path)
    assert document.text == expected.text
    assert [(q.number, q.text) for q in document.questions] == [
        (q.number, q.text) for q in expected.questions
    ]


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (
            "Vraag 1\nIs dat zo?\n".encode("utf-16-le"),
            "looks like UTF-16 without a byte-order mark",
        ),
        ("Vraag 1\nCoördinatie?\n".encode("cp1252"), "not valid UTF-8 (byte 0xf6 at column 3)"),
        (b"\xff\xfe\x00\x00" + "Vraag 1".encode("utf-32-le"), "UTF-32 is not accepted"),
    ],
    ids=["utf-16-without-bom", "windows-1252", "utf-32"],
)
def test_other_encodings_are_refused_with_the_fix(data: bytes, needle: str, tmp_path: Path) -> None:
    path = tmp_path / "vragen.txt"
    path.write_bytes(data)
    with pytest.raises(SourceError) as err:
        parse_file(path)
    assert needle in err.value.detail
    assert "save it as UTF-8" in err.value.detail and "iconv" in err.value.detail


def test_kg_add_keeps_a_folders_metadata_with_the_document(built, tmp_path: Path, capsys) -> None:
    data_dir, store = built
    folder = tmp_path / "download"
    folder.mkdir()
    lines = [line for line in PAGES[0] if "ah-tk" not in line]
    (folder / "document.pdf").write_bytes(pdf_bytes([lines, PAGES[1][:2]]))
    (folder / "metadata.xml").write_text(METADATA, encoding="utf-8")
    args = ["--data", str(data_dir), "--store", str(store)]
    assert main(["add", str(folder / "document.pdf"), *args]) == 0
    assert "Added ah-tk-20242025-1300 (aanhangsel-text)" in capsys.readouterr().out
    stored = data_dir / "sources" / "ah-tk-20242025-1300.pdf"
    assert parse_file(stored).letter.question_number == "2025Z00123"  # on every rebuild too


def test_a_refused_single_file_is_named_as_given(built, tmp_path: Path, capsys) -> None:
    data_dir, store = built
    motion = tmp_path / "motie.txt"
    motion.write_text(MOTION, encoding="utf-8")
    args = ["--data", str(data_dir), "--store", str(store)]
    assert main(["add", str(motion), "--id", "ah-tk-20242025-1", *args]) == 2
    assert f"{motion}:5: this is a motion" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (pdf_bytes([[], []]), "the PDF holds no text (a scan without a text layer?)"),
        (b"%PDF-1.4\nnonsense without objects\n", "not a readable PDF"),
    ],
    ids=["scan-without-text", "broken"],
)
def test_unreadable_pdf_is_refused_naming_the_problem(
    data: bytes, needle: str, tmp_path: Path
) -> None:
    path = tmp_path / "stuk.pdf"
    path.write_bytes(data)
    with pytest.raises(SourceError) as err:
        parse_file(path)
    assert err.value.path == path
    assert err.value.detail.startswith(needle)
