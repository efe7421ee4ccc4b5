"""Footnotes typed as text, as the ministries' .docx documents have them: the bodies at the
end ("1) Kamerstuk 19637, nr. 3203", "[1] Website Follow the Money, ..."), the markers in the
running text ("... voedsel-stoplicht'? 1)", "... maximaal belonen'? [1]").

Word's own footnotes are not in python-docx's text; these are what a writer typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kg.sources.identifiers import URL
from kg.sources.model import Footnote, ParseNote, Span

BODY = re.compile(r"[ \t\u00a0]*(?:(?P<p>\d{1,2})\)|\[(?P<b>\d{1,2})\])[ \t\u00a0]*(?P<text>\S.*)")


def is_body(text: str, start: int, end: int) -> bool:
    """Whether the line [start, end) is a typed footnote's body."""
    return BODY.fullmatch(text, start, end) is not None


def typed_footnotes(
    text: str,
    lines: list[tuple[int, int]],
    running: Span,
    line_of: Callable[[int], int],
    notes: list[ParseNote],
) -> list[Footnote]:
    """The footnotes whose bodies are ``lines`` (the others are passed over), each with its
    marker: the first "N)" after a word or "[N]" in the ``running`` text; a body without a
    marker is kept where it stands, and noted."""
    footnotes = []
    for start, end in lines:
        body = BODY.fullmatch(text, start, end)
        if body is None:
            continue
        number = int(body.group("p") or body.group("b"))
        content = " ".join(body.group("text").split())
        span = Span(start + len(text[start:end]) - len(text[start:end].lstrip()), end)
        marker = _marker(text, number, "[" if body.group("b") else ")", running)
        if marker is None:
            marker = Span(span.start, span.start)
            notes.append(
                ParseNote(
                    "footnote-without-marker",
                    line_of(start),
                    f"footnote {number} has no marker in the text; it is kept, placed where "
                    "its body stands",
                    span,
                )
            )
        footnotes.append(Footnote(number, content, span, marker, tuple(URL.findall(content))))
    return footnotes


def _marker(text: str, number: int, style: str, running: Span) -> Span | None:
    pattern = rf"\[{number}\]" if style == "[" else rf"(?<=[^\s\d(])\s?\(?{number}\)(?!\w)"
    match = re.compile(pattern).search(text, running.start, running.end)
    if match is None:
        return None
    return Span(match.start() + (match.group(0)[0] == " "), match.end())
