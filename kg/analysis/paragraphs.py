"""The paragraph, or the sentence, a span of a document's text stands in.

Texts come in two layouts: one paragraph per line (letters, Markdown, XML), and lines wrapped at
the page's width with paragraphs between blank lines or not at all (text extracted from a PDF).
So a line break ends a paragraph only after a line that ends a sentence (. ! ? : ; before a
closing quote or bracket and a footnote marker); a blank line always does. Used by the network
(entities named in one paragraph are linked) and by the entity pages (the passage shown).
"""

from __future__ import annotations

import re

# A footnote marker or closing punctuation after the last word of a line.
_LINE_TAIL = re.compile(
    r"(?:\[footnoteRef:\d+\]|\[\^?\d{1,3}\s*\]|<sup>\d{1,3}</sup>|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}"
    r"|(?<=[.?!»”\"')\]])\d{1,3})$"
)
_SENTENCE_END = re.compile(r"[.!?…](?:[\"'”’»)\]]|\[\^?\d+\s*\]|\[footnoteRef:\d+\])*(?=\s)")


def ends_sentence(line: str) -> bool:
    content = _LINE_TAIL.sub("", line.rstrip()).rstrip().rstrip("\"'”’»)]")
    return bool(content) and content[-1] in ".!?:;…"


def paragraph(
    text: str, start: int, end: int, low: int = 0, high: int | None = None
) -> tuple[int, int]:
    """[a, b) of the paragraph holding text[start:end], within [low, high)."""
    high = len(text) if high is None else high
    a = max(low, text.rfind("\n", low, start) + 1)
    while a > low:
        previous_start = max(low, text.rfind("\n", low, a - 1) + 1)
        previous = text[previous_start : a - 1]
        if not previous.strip() or ends_sentence(previous):
            break
        a = previous_start
    b = text.find("\n", end, high)
    b = high if b < 0 else b
    while b < high:
        line_start = max(low, text.rfind("\n", low, b) + 1)
        if not text[line_start:b].strip() or ends_sentence(text[line_start:b]):
            break
        following = text.find("\n", b + 1, high)
        following = high if following < 0 else following
        if not text[b + 1 : following].strip():
            break
        b = following
    return a, max(b, end)


def sentence(text: str, start: int, end: int, low: int, high: int) -> tuple[int, int]:
    """[a, b) of the sentence(s) holding text[start:end] within the paragraph [low, high)."""
    a = low
    for found in _SENTENCE_END.finditer(text, low, start):
        a = found.end()
    b = high
    closing = _SENTENCE_END.search(text, end, high)
    if closing:
        b = closing.end()
    while a < start and text[a].isspace():
        a += 1
    return a, b


def passage_bounds(
    text: str, start: int, end: int, low: int = 0, high: int | None = None, longest: int = 700
) -> tuple[int, int]:
    """The paragraph around the span within [low, high); the sentence when the paragraph is
    longer than ``longest`` characters."""
    a, b = paragraph(text, start, end, low, high)
    if b - a > longest:
        a, b = sentence(text, start, end, a, b)
    return a, b
