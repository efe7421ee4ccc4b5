"""The message a golden mismatch gives (tests/golden/compare.py): the line of the golden file,
the row, the column by name and both values, instead of pytest's diff of two long strings.
Each test breaks a real golden file on purpose and asserts the exact message."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import FOLDER
from tests.golden.compare import MAX_REPORTED, assert_matches_golden, table_difference

COMMITMENTS = FOLDER / "commitments.tsv"
QUESTIONS = FOLDER / "questions.tsv"
SHOWN = "tests/golden/commitments.tsv"  # as the message names it: from the repository's root
REGENERATE = "python -m tests.golden regenerate commitments"


def lines_of(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 3, f"{path} has too few rows to break"
    return lines


def text_of(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def failure(actual: str, golden: Path = COMMITMENTS) -> str:
    with pytest.raises(AssertionError) as caught:
        assert_matches_golden(actual, golden, REGENERATE)
    return str(caught.value)


def test_the_same_table_passes() -> None:
    assert_matches_golden(COMMITMENTS.read_text(encoding="utf-8"), COMMITMENTS, REGENERATE)
    assert table_difference("a\n1\n", "a\n1\n") is None


def test_a_changed_cell_is_named_by_line_row_column_and_values() -> None:
    lines = lines_of(COMMITMENTS)
    assert lines[2].endswith('\t"Zodra deze inventarisatie is afgerond"@nl')
    lines[2] = lines[2].replace('"Zodra deze inventarisatie is afgerond"@nl', '"Morgen"@nl')
    assert failure(text_of(lines)) == (
        f"{SHOWN} differs from the result (1 row changed):\n"
        "  line 3 (row 2), column 4 'timing': "
        'expected "Zodra deze inventarisatie is afgerond"@nl, got "Morgen"@nl\n'
        f"(if the change is intended: {REGENERATE})"
    )


def test_a_long_value_shows_where_it_first_differs() -> None:
    lines = lines_of(QUESTIONS)
    cells = lines[1].split("\t")
    answer = cells[3]
    assert len(answer) > 500 and "Fable 5" in answer
    at = answer.index("Fable 5")
    cells[3] = answer.replace("Fable 5", "Fable 6", 1)
    lines[1] = "\t".join(cells)
    message = failure(text_of(lines), QUESTIONS)
    first = message.splitlines()[1]
    assert first.startswith(
        f"  line 2 (row 1), column 4 'answer': from character {at + 7}: expected …"
    )
    assert "toegang tot Fable 5 en Mythos 5" in first
    assert "toegang tot Fable 6 en Mythos 5" in first
    assert len(first) < 300  # a window, not the whole answer twice


def test_missing_and_unexpected_rows_are_listed_with_their_columns() -> None:
    lines = lines_of(COMMITMENTS)
    removed = lines.pop(3)
    lines.append('id:document/X\t"99"^^xsd:integer\t"Nieuw."@nl\t')
    message = failure(text_of(lines))
    assert message.splitlines()[:3] == [
        f"{SHOWN} differs from the result (1 row missing, 1 row not expected):",
        f"  line 4 (row 3): missing from the result: document={removed.split(chr(9))[0]} | "
        f"number={removed.split(chr(9))[1]} | text={removed.split(chr(9))[2]} | "
        f"timing={removed.split(chr(9))[3]}",
        f"  after line {len(lines)}: not in {SHOWN}: document=id:document/X | "
        'number="99"^^xsd:integer | text="Nieuw."@nl | timing=',
    ]


def test_a_changed_header_names_both_column_lists() -> None:
    lines = lines_of(COMMITMENTS)
    lines[0] = lines[0].replace("timing", "deadline")
    assert failure(text_of(lines)).splitlines()[0] == (
        f"{SHOWN} differs from the result in its header (line 1): expected columns "
        "document, number, text, timing, got document, number, text, deadline"
    )


def test_a_row_with_a_cell_too_few_says_so() -> None:
    assert table_difference("a\tb\n1\t2\n", "a\tb\n1\n", "g.tsv") == (
        "g.tsv differs from the result (1 row changed):\n  line 2 (row 1): expected 2 cells, "
        "got 1: '1'"
    )


def test_only_a_final_line_break() -> None:
    assert table_difference("a\n1\n", "a\n1", "g.tsv") == (
        "g.tsv differs from the result only in the line breaks at its end"
    )


def test_many_differences_are_cut_and_counted() -> None:
    expected = "n\n" + "".join(f"{i}\n" for i in range(MAX_REPORTED + 5))
    actual = "n\n" + "".join(f"{i}x\n" for i in range(MAX_REPORTED + 5))
    message = table_difference(expected, actual, "g.tsv")
    assert message is not None
    assert (
        message.splitlines()[0]
        == f"g.tsv differs from the result ({MAX_REPORTED + 5} rows changed):"
    )
    assert message.splitlines()[-1] == "  ... and 5 more"
    assert len(message.splitlines()) == 1 + MAX_REPORTED + 1
