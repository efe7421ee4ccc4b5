"""Commitment timings as dates (kg.extract.deadlines), checked against tables made by hand.

FORMS: every timing form found in the corpora (the seed, tests/fixtures/{sources,corpus,
landscape} and the real documents of tests/fixtures/real, in commitments and in the terms that
questions ask for), the forms issue #28 lists and the conventions behind them. Each row's dates
were worked out by reading the form and the conventions in kg/extract/calendar_nl.py (the summer
recess of 2026, for example: the Friday of ISO week 27 is 3 July, plus 59 days is 31 August), not
copied from the module's output.

COMMITMENTS: every commitment the finder finds in those corpora, by a quote of its sentence,
with the timing as the graph gives it and its dates. A commitment found without a row fails
(a new form or a new commitment has to be read and added); a row the finder should find but
does not fails too. Rows marked ``pending`` are commitments a reader sees that the finder does
not find yet (issue #26 widens it): their timing is checked through FORMS, and once found they
are checked here like the others.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from kg.errors import SourceError
from kg.extract import deadlines, periods
from kg.extract.commitments import commitment_deadline, reference_date
from kg.extract.mentions import find_commitments
from kg.sources.parsers import parse_file
from tests.support import PROJECT

D = date
DATED, VAGUE, CONDITIONAL, UNRESOLVED = "dated", "vague", "conditional", "unresolved"

# (timing as written, the document's date, kind, due after, due by)
FORMS = [
    # -- in the commitments of the seed and the fixtures ---------------------------------------
    ("Na de zomer", D(2026, 6, 25), DATED, D(2026, 9, 1), D(2026, 12, 31)),
    ("na de zomer", D(2026, 7, 2), DATED, D(2026, 9, 1), D(2026, 12, 31)),
    ("na de zomer", D(2025, 3, 3), DATED, D(2025, 9, 2), D(2025, 12, 31)),
    ("Zodra deze inventarisatie is afgerond", D(2026, 6, 25), CONDITIONAL, None, None),
    ("op korte termijn", D(2026, 6, 25), VAGUE, None, None),
    ("spoedig", D(2026, 6, 25), VAGUE, None, None),
    ("zo spoedig mogelijk", D(2026, 7, 2), VAGUE, None, None),
    ("voor het einde van het jaar", D(2026, 7, 2), DATED, None, D(2026, 12, 31)),
    ("voor het einde van het jaar", D(2025, 11, 13), DATED, None, D(2025, 12, 31)),
    ("voor het einde van het jaar", D(2026, 8, 28), DATED, None, D(2026, 12, 31)),
    ("in het vierde kwartaal", D(2026, 7, 2), DATED, D(2026, 10, 1), D(2026, 12, 31)),
    # the published summer recess of 2024 starts on Friday 5 July
    ("voor de zomer", D(2024, 3, 1), DATED, None, D(2024, 7, 4)),
    # written in November 2023: the summer of 2023 is over, so the summer of 2024
    ("voor de zomer", D(2023, 11, 14), DATED, None, D(2024, 7, 4)),
    # 2025 by the rule: ISO week 27 begins on Monday 30 June, its Friday is 4 July
    ("voor de zomer", D(2025, 5, 20), DATED, None, D(2025, 7, 3)),
    ("voor de zomer van 2025", D(2024, 12, 9), DATED, None, D(2025, 7, 3)),
    ("voor de zomer", D(2026, 1, 8), DATED, None, D(2026, 7, 2)),
    # 1993: ISO week 1 begins on 4 January, week 27 on 5 July, its Friday is 9 July
    ("voor de zomer", D(1993, 2, 9), DATED, None, D(1993, 7, 8)),
    ("in het voorjaar van 2024", D(2024, 1, 22), DATED, D(2024, 3, 1), D(2024, 5, 31)),
    ("in het voorjaar van 2027", D(2026, 10, 14), DATED, D(2027, 3, 1), D(2027, 5, 31)),
    ("voor 1 december 2026", D(2026, 10, 14), DATED, None, D(2026, 11, 30)),
    ("voor het einde van 2025", D(2025, 6, 30), DATED, None, D(2025, 12, 31)),
    ("in het najaar", D(2025, 8, 8), DATED, D(2025, 9, 1), D(2025, 11, 30)),
    # -- in the real documents (tests/fixtures/real/tk-2024-11) --------------------------------
    ("In het najaar van 2024", D(2024, 10, 11), DATED, D(2024, 9, 1), D(2024, 11, 30)),
    ("komend voorjaar", D(2024, 11, 18), DATED, D(2025, 3, 1), D(2025, 5, 31)),
    # November 2024 is in the parliamentary year 2024-2025: its spring is that of 2025
    ("dit voorjaar", D(2024, 11, 18), DATED, D(2025, 3, 1), D(2025, 5, 31)),
    ("ditvoorjaar", D(2024, 11, 18), DATED, D(2025, 3, 1), D(2025, 5, 31)),  # as PDF text glues it
    ("in het eerste kwartaal van 2025", D(2024, 11, 18), DATED, D(2025, 1, 1), D(2025, 3, 31)),
    ("begin volgend jaar", D(2024, 10, 3), DATED, D(2025, 1, 1), D(2025, 3, 31)),
    ("Op het moment dat dit completere beeld beschikbaar is", D(2024, 10, 18), CONDITIONAL,
     None, None),
    ("zo snel mogelijk", D(2024, 11, 1), VAGUE, None, None),
    # forms the real corpus's gold (tests/fixtures/real/gold on main, #26) lists
    ("jaarlijks", D(2024, 11, 18), UNRESOLVED, None, None),  # recurring: no single date
    ("Wanneer het kabinet de voorlichting ontvangen heeft", D(2024, 11, 18), CONDITIONAL, None,
     None),
    ("in de volgende PmG-voortgangsrapportage", D(2024, 11, 20), UNRESOLVED, None, None),
    ("in april 2025", D(2024, 11, 20), DATED, D(2025, 4, 1), D(2025, 4, 30)),
    # the terms questions ask for
    ("binnen drie weken", D(2024, 10, 24), DATED, None, D(2024, 11, 14)),
    ("binnen één week", D(2024, 11, 6), DATED, None, D(2024, 11, 13)),
    ("voor aanvang van het vervolg van de begrotingsbehandeling Buitenlandse Handel en "
     "Ontwikkelingshulp van woensdag 20 november 2024", D(2024, 11, 1), DATED, None,
     D(2024, 11, 19)),
    ("voor de behandeling van de begroting Buitenlandse Handel en Ontwikkelingshulp",
     D(2024, 10, 24), UNRESOLVED, None, None),
    ("voor de laatste begrotingsbehandeling", D(2024, 11, 1), UNRESOLVED, None, None),
    ("voor het tweeminutendebat Maritiem", D(2024, 11, 1), UNRESOLVED, None, None),
    ("rond de zomer van 2023", D(2023, 1, 15), DATED, D(2023, 5, 1), D(2023, 9, 30)),
    # -- the forms issue #28 names -------------------------------------------------------------
    ("eind 2024", D(2024, 3, 1), DATED, D(2024, 10, 1), D(2024, 12, 31)),
    ("begin 2025", D(2024, 6, 1), DATED, D(2025, 1, 1), D(2025, 3, 31)),
    # the published summer recess of 2024 ends on Monday 2 September
    ("na het zomerreces", D(2024, 3, 1), DATED, D(2024, 9, 3), D(2024, 12, 31)),
    ("in Q3 2026", D(2026, 1, 10), DATED, D(2026, 7, 1), D(2026, 9, 30)),
    ("voor de begrotingsbehandeling", D(2024, 10, 1), UNRESOLVED, None, None),
    # -- the other conventions -------------------------------------------------------------------
    ("voor het kerstreces", D(2023, 11, 1), DATED, None, D(2023, 12, 21)),
    ("voor het kerstreces", D(2026, 11, 1), UNRESOLVED, None, None),  # not published
    ("uiterlijk 15 maart", D(2026, 10, 1), DATED, None, D(2027, 3, 15)),
    ("medio 2025", D(2025, 1, 1), DATED, D(2025, 5, 1), D(2025, 8, 31)),
    ("eind maart 2025", D(2025, 1, 1), DATED, D(2025, 3, 21), D(2025, 3, 31)),
    ("deze zomer", D(2025, 3, 10), DATED, D(2025, 6, 1), D(2025, 8, 31)),
    ("voor deze zomer", D(2025, 3, 10), DATED, None, D(2025, 7, 3)),
    ("later dit jaar", D(2026, 3, 3), DATED, D(2026, 3, 3), D(2026, 12, 31)),
    ("voor 2027", D(2026, 1, 1), DATED, None, D(2026, 12, 31)),
    ("in 2024", D(2026, 1, 1), UNRESOLVED, None, None),  # a past year names no deadline
    ("voor de zomer", None, UNRESOLVED, None, None),  # a document without a date
    ("in de komende maanden", D(2026, 1, 1), VAGUE, None, None),
]  # fmt: skip

FIXTURES = PROJECT.root / "tests" / "fixtures"
REAL = FIXTURES / "real" / "tk-2024-11"

# (file, a quote of the commitment's sentence, the document's date or None when not asserted,
#  the timing as the graph gives it (None: no time stated), whether the finder finds it now)
COMMITMENTS = [
    (PROJECT.data / "sources" / "2026D32673.txt", "Na de zomer zal ik uw Kamer een brief sturen",
     D(2026, 6, 25), "Na de zomer", True),
    (PROJECT.data / "sources" / "2026D32673.txt", "Zodra deze inventarisatie is afgerond zal ik",
     D(2026, 6, 25), "Zodra deze inventarisatie is afgerond", True),
    (PROJECT.data / "sources" / "2026D32673.txt", "op korte termijn worden geïnformeerd",
     D(2026, 6, 25), "op korte termijn", True),
    (PROJECT.data / "sources" / "2026D32673.txt", "zal uw Kamer spoedig worden geinformeerd",
     D(2026, 6, 25), "spoedig", True),
    (FIXTURES / "corpus" / "2026D41207.txt", "na de zomer informeren over de wettelijke grondslag",
     D(2026, 7, 2), "na de zomer", True),
    (FIXTURES / "corpus" / "2026D41207.txt", "voor het einde van het jaar worden geïnformeerd",
     D(2026, 7, 2), "voor het einde van het jaar", True),
    (FIXTURES / "corpus" / "2026D43500.txt", "in het vierde kwartaal informeren",
     D(2026, 7, 2), "in het vierde kwartaal", True),
    (FIXTURES / "corpus" / "2026D43500.txt", "zo spoedig mogelijk worden geïnformeerd",
     D(2026, 7, 2), "zo spoedig mogelijk", True),
    (FIXTURES / "corpus" / "ah-tk-20232024-1042.txt", "voor de zomer informeren over de voortgang",
     D(2024, 3, 1), "voor de zomer", True),
    (FIXTURES / "corpus" / "ah-tk-20252026-2210.md", "voor het einde van het jaar informeren",
     D(2026, 8, 28), "voor het einde van het jaar", True),
    (FIXTURES / "corpus" / "ah-tk-20252026-2457.txt", "voor 1 december 2026 informeren",
     D(2026, 10, 14), "voor 1 december 2026", True),
    (FIXTURES / "corpus" / "ah-tk-20252026-2457.txt", "in het voorjaar van 2027 een wetsvoorstel",
     D(2026, 10, 14), "in het voorjaar van 2027", True),
    (FIXTURES / "corpus" / "ah-tk-20262027-0312.txt", "Zoals eerder toegezegd zal ik uw Kamer",
     D(2026, 11, 20), "in het voorjaar van 2027", True),
    (FIXTURES / "landscape" / "ah-tk-20242025-2395.txt", "voor de zomer informeren over de gevolgen",
     D(2025, 5, 20), "voor de zomer", True),
    # the finder's patterns take no timing from this sentence; kg.extract.deadlines finds it
    (FIXTURES / "landscape" / "ah-tk-20242025-2841.txt", "voor het einde van 2025 informeren",
     D(2025, 6, 30), "voor het einde van 2025", True),
    (FIXTURES / "landscape" / "ah-tk-20242025-3012.txt", "in het najaar informeren over de verplichte",
     D(2025, 8, 8), "in het najaar", True),
    (FIXTURES / "landscape" / "ah-tk-20242025-3188.txt", "in het najaar over de planning informeren",
     D(2025, 8, 14), "in het najaar", True),
    (FIXTURES / "landscape" / "ah-tk-20252026-0412.txt", "voor het einde van het jaar informeren",
     D(2025, 11, 13), "voor het einde van het jaar", True),
    (FIXTURES / "landscape" / "ah-tk-20252026-0901.txt", "appreciatie in een BNC-fiche aan uw Kamer",
     D(2026, 1, 8), None, True),
    (FIXTURES / "landscape" / "ah-tk-20252026-0901.txt", "voor de zomer informeren over de voortgang",
     D(2026, 1, 8), "voor de zomer", True),
    (FIXTURES / "sources" / "ah-tk-19921993-523.ocr.txt", "Ik zal de Kamer voor de zomer informeren",
     D(1993, 2, 9), "voor de zomer", True),
    (FIXTURES / "sources" / "ah-tk-20232024-412.pdf.txt", "voor de zomer informeren over de voortgang",
     D(2023, 11, 14), "voor de zomer", True),
    (FIXTURES / "sources" / "ah-tk-20232024-877.html", "in het voorjaar van 2024 informeren",
     D(2024, 1, 22), "in het voorjaar van 2024", True),
    (FIXTURES / "sources" / "ah-tk-20232024-877.xml", "in het voorjaar van 2024 informeren",
     D(2024, 1, 22), "in het voorjaar van 2024", True),
    (FIXTURES / "sources" / "ah-tk-20242025-1112.pdf.txt", "voor de zomer van 2025 informeren",
     D(2024, 12, 9), "voor de zomer van 2025", True),
    (FIXTURES / "sources" / "ah-tk-20242025-1230.pdf.txt", "na de zomer informeren over de voortgang",
     D(2025, 3, 3), "na de zomer", True),
    # -- the real documents (their dates as the parser reads them; not asserted) -----------------
    (REAL / "Antwoord_op_vragen_van_de_leden_Beckerma.pdf.txt", "zal het kabinet uw Kamer nader "
     "informeren over hoe het kabinet wil omgaan met gaswinning", None, "In het najaar van 2024",
     True),
    (REAL / "Antwoord_op_vragen_van_het_lid_Hertzberg.pdf.txt", "komend voorjaar met uw Kamer delen",
     None, "komend voorjaar", True),
    (REAL / "Antwoord_op_vragen_van_het_lid_Hertzberg.pdf.txt", "zal ik u verder informeren over de voortgang",
     None, "ditvoorjaar", True),
    (REAL / "Antwoord_op_vragen_van_het_lid_Hertzberg.pdf.txt", "zal ik u informeren over actuele cijfers",
     None, "dit voorjaar", True),
    (REAL / "Antwoord_op_vragen_van_het_lid_Van_Nispe.pdf.txt", "Op het moment dat dit completere "
     "beeld beschikbaar is", None, "Op het moment dat dit completere beeld beschikbaar is", True),
    (REAL / "Antwoord_op_vragen_van_het_lid_Kostic_ov.pdf.txt", "De Tweede Kamer wordt hierover "
     "geïnformeerd in het eerste kwartaal van 2025", None, "in het eerste kwartaal van 2025", True),
    (REAL / "Antwoord_op_vragen_van_het_lid_Mohandis_.pdf.txt", "Ik verwacht u de resultaten van het "
     "onderzoek in het eerste kwartaal van 2025", None, "in het eerste kwartaal van 2025", True),
    (REAL / "Antwoord_op_vragen_van_het_lid_Postma_ov.pdf.txt", "zal de Tweede Kamer begin volgend "
     "jaar informeren", None, "begin volgend jaar", True),
    (REAL / "Antwoord_op_vragen_van_de_leden_Beckerma.pdf.txt", "hier jaarlijks over rapporteren "
     "in de Staat van Groningen", None, "jaarlijks", True),
    (REAL / "Antwoord_op_vragen_van_de_leden_Beckerma.pdf.txt", "zal deze met een appreciatie aan "
     "de Tweede Kamer gestuurd worden", None, "Wanneer het kabinet de voorlichting ontvangen heeft",
     True),
    (REAL / "Antwoord_op_vragen_van_het_lid_Beckerman.docx.txt", "zal deze met een appreciatie "
     "aan de Tweede Kamer gestuurd worden", None,
     "Wanneer het kabinet de voorlichting ontvangen heeft", True),
    (REAL / "Antwoord_op_vragen_van_het_lid_Hertzberg.pdf.txt", "dit voorjaar inzichtelijk maken en "
     "opnemen als onderdeel van de monitor", None, "dit voorjaar", True),
    (REAL / "Antwoord_op_vragen_van_het_lid_Mutluer_o.docx.txt", "zal ik hier in de volgende "
     "PmG-voortgangsrapportage nader op ingaan", None, "in de volgende PmG-voortgangsrapportage",
     True),
    (REAL / "Antwoord_op_vragen_van_het_lid_Van_Nispe.docx.txt", "Ik ben voornemens om u in april "
     "2025 bij separate brief over dit traject nader te informeren", None, "in april 2025", True),
    (REAL / "Uitstel_beantwoording_vragen_van_het_lid.pdf.txt", "Ik streef ernaar de vragen zo "
     "spoedig mogelijk te beantwoorden", None, "zo spoedig mogelijk", True),
    (REAL / "Uitstel_beantwoording_vragen_van_de_lede.docx.txt", "Ik zal de Kamer zo spoedig "
     "mogelijk de antwoorden", None, "zo spoedig mogelijk", True),
    (REAL / "Uitstel_beantwoording_vragen_van_het_lid.docx.txt", "Ik zal uw Kamer zo spoedig "
     "mogelijk de antwoorden", None, "zo spoedig mogelijk", True),
    (REAL / "Antwoord_op_vragen_van_het_lid_Kostic_ov.pdf.txt", "Uw Kamer zal in een brief nader "
     "worden", None, None, True),  # "per 1 juli 2025" is when the change takes effect, no deadline
    (FIXTURES / "sources" / "ah-tk-20232024-387.txt", "Het kabinet zal in een separate brief op "
     "deze vraag ingaan", None, None, True),
]  # fmt: skip

CORPUS_FILES = sorted(
    {
        *(PROJECT.data / "sources").iterdir(),
        *(FIXTURES / "sources").iterdir(),
        *(FIXTURES / "corpus").iterdir(),
        *(FIXTURES / "landscape").iterdir(),
        *REAL.iterdir(),
    }
    - {p for p in (FIXTURES / "sources").iterdir() if p.name.endswith(".expected.json")}
    - {p for p in (FIXTURES / "landscape").iterdir() if p.name.endswith(".names.tsv")}
)


def squeezed(text: str) -> str:
    """Text compared as the real corpus's gold compares it: without white space, hyphens or
    soft hyphens, ignoring case (PDF extraction glues and splits words)."""
    return re.sub(r"[\s\-\u00ad]", "", text).lower()


@pytest.mark.parametrize(("timing", "reference", "kind", "after", "by"), FORMS,
                         ids=[f"{row[0][:40]}@{row[1]}" for row in FORMS])  # fmt: skip
def test_every_form_resolves_as_the_table_says(timing, reference, kind, after, by) -> None:
    found = deadlines.read(timing, reference)
    assert (found.kind, found.due_after, found.due_by) == (kind, after, by), found.note


def test_every_timing_of_the_commitment_table_is_a_form_of_the_form_table() -> None:
    """The COMMITMENTS rows are checked against FORMS: each timing they give is there."""
    forms = {row[0] for row in FORMS}
    assert [row[3] for row in COMMITMENTS if row[3] and row[3] not in forms] == []


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_commitment_of_the_corpora_has_the_dates_the_table_gives(path: Path) -> None:
    try:
        document = parse_file(path)
    except SourceError as err:
        rows = [r for r in COMMITMENTS if r[0] == path]
        pytest.skip(f"the parser refuses it ({str(err)[:80]}); {len(rows)} row(s) wait (#26)")
    rows = [r for r in COMMITMENTS if r[0] == path]
    made = reference_date(document).day
    forms = {(row[0], row[1]): row[2:] for row in FORMS}
    matched = set()
    for commitment in find_commitments(document):
        mine = [r for r in rows if squeezed(r[1]) in squeezed(commitment.text)]
        assert len(mine) == 1, (
            f"no single row for the commitment {commitment.text!r}: read it, add it"
        )
        _, quote, reference, timing, _ = mine[0]
        matched.add(quote)
        if reference is not None:
            assert made == reference
        found = commitment_deadline(document, commitment, made)
        if timing is None:
            assert found is None
            continue
        assert found is not None and squeezed(found.text) == squeezed(timing)
        if commitment.timing is None:  # the dates' own search: the span is the timing's words
            assert squeezed(document.text[found.start : found.end]) == squeezed(timing)
        kind, after, by = forms[(timing, made)] if (timing, made) in forms else _by_kind(timing)
        assert (found.kind, found.due_after, found.due_by) == (kind, after, by), quote
    expected = {r[1] for r in rows if r[4]}
    assert expected - matched == set(), "listed commitments the finder does not find"


def _by_kind(timing: str) -> tuple[str, date | None, date | None]:
    """A row whose date is not asserted: its timing must be in FORMS with one resolution."""
    found = {(r[2], r[3], r[4]) for r in FORMS if r[0] == timing}
    assert len(found) == 1, f"{timing!r}: give the document's date in COMMITMENTS"
    return found.pop()


def test_the_table_covers_the_forms_issue_28_lists() -> None:
    listed = ["voor het einde van het jaar", "eind 2024", "begin 2025", "in het voorjaar van 2027",
              "voor de zomer", "na het zomerreces", "in Q3 2026", "binnen drie weken",
              "voor 1 december 2026", "voor de begrotingsbehandeling", "spoedig",
              "op korte termijn"]  # fmt: skip
    assert set(listed) <= {row[0] for row in FORMS}


def test_a_date_the_parser_cannot_read_is_unresolved_with_the_reason() -> None:
    with pytest.raises(periods.Unresolved, match="reads no date in '31 februari 2026'"):
        periods.parse_date("31 februari 2026", date(2026, 1, 1))


def test_a_timing_no_form_reads_is_kept_and_flagged() -> None:
    found = deadlines.read("als de middelen het toelaten", date(2026, 1, 1))
    assert (found.kind, found.form, found.note) == (UNRESOLVED, "", "no form reads this timing")
    assert found.text == "als de middelen het toelaten"


def test_the_earliest_timing_in_a_sentence_wins() -> None:
    sentence = "Voor de zomer zal ik u informeren, en uiterlijk in het najaar over de rest."
    found = deadlines.find(sentence, date(2025, 1, 1), offset=100)
    assert found is not None
    assert (found.form, found.start, found.end) == ("summer-recess", 100, 113)
