"""Which numbers a question or answer block gets, in every form: as printed when that makes
sense, by position when it does not (accepted, and noted).

A publication error prints "Vraag 7" twice and no "Vraag 8": the second is question 8. An
answer heading without numbers ("Antwoord") answers the questions asked since the previous
answer; one whose numbers name no question waiting for an answer ("Antwoord 7" twice) answers
those waiting instead.
"""

from __future__ import annotations

from kg.sources.model import ParseNote, Span


def _words(numbers: tuple[int, ...]) -> str:
    return " en ".join(map(str, numbers))


def question_numbers(
    printed: tuple[int, ...] | None, line: int, span: Span, asked: list[int], notes: list[ParseNote]
) -> tuple[int, ...]:
    """The numbers as printed; by position when none is printed or a printed one was asked
    already."""
    following = max(asked, default=0) + 1
    if not printed:
        return (following,)
    if any(n in asked for n in printed):
        numbers = tuple(range(following, following + len(printed)))
        notes.append(
            ParseNote(
                "duplicate-number",
                line,
                f"question {_words(printed)} was asked before; numbered by its position as "
                f"question {_words(numbers)}",
                span,
            )
        )
        return numbers
    return printed


def answer_numbers(
    printed: tuple[int, ...] | None,
    line: int,
    span: Span,
    asked: list[int],
    answered: set[int],
    notes: list[ParseNote],
) -> tuple[int, ...]:
    """The printed numbers when each names a question waiting for its answer; else those
    waiting since the previous answer (empty, and noted, when none waits)."""
    waiting = tuple(n for n in asked if n not in answered)
    if printed and all(n in asked and n not in answered for n in printed):
        return printed
    if printed and waiting:
        notes.append(
            ParseNote(
                "answer-renumbered",
                line,
                f"answer {_words(printed)} names no question waiting for an answer; taken as "
                f"the answer to question {_words(waiting)}",
                span,
            )
        )
    elif not waiting:
        notes.append(
            ParseNote(
                "answer-without-question",
                line,
                "an answer stands where no question waits for one; it was left out",
                span,
            )
        )
    return waiting
