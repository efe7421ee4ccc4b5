"""kg.sources.text.passage: the one helper for a span of a text with its context."""

from __future__ import annotations

from kg.sources.text import one_line, passage

TEXT = "Eerste alinea.\n\nTweede alinea noemt het NADI\nen het NGF.\n\nDerde alinea."


def test_the_paragraph_around_a_span() -> None:
    start = TEXT.index("NADI")
    found = passage(TEXT, start, start + 4)
    assert found.span == "NADI"
    assert found.before == "…Tweede alinea noemt het "
    assert found.after == "\nen het NGF.…"
    assert found.one_line() == "…Tweede alinea noemt het NADI en het NGF.…"


def test_a_line_as_paragraph_and_a_context_limit() -> None:
    start = TEXT.index("NADI")
    line = passage(TEXT, start, start + 4, paragraph_break="\n")
    assert TEXT[line.start : line.end] == "Tweede alinea noemt het NADI"
    assert line.after == "…"  # the line ends at the span, the text goes on
    cut = passage(TEXT, start, start + 4, context=5, paragraph_break=None)
    assert (cut.before, cut.after) == ("… het ", "\nen h…")


def test_nothing_cut_at_the_ends_of_the_text() -> None:
    found = passage(TEXT, 0, 6, context=100, paragraph_break=None)
    assert (found.cut_before, found.cut_after) == (False, False)
    assert found.one_line() == one_line(TEXT)
