"""Where a section whose heading was lost at a page break begins: found from the paragraphs
of running text around it (furniture and footnotes left out), the question marks that end a
question's paragraphs, and the paragraphs a page break cut in two."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.sources.parsers.aanhangsel_layout import Layout, trim
from kg.sources.parsers.footnote_marks import TRAILING_MARKER

# A paragraph: up to a blank line, or (PDF text has none) a line ending a sentence before a
# line that starts with a capital.
PARAGRAPH = re.compile(r"(?:[^\n]|\n(?![ \t\u00a0]*\n)(?!(?<=[.?!:]\n)[ \t]*[A-Z«\"]))+")


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    continues: bool  # the rest of the paragraph before it, cut by a page break


def paragraphs_in(text: str, start: int, end: int, layout: Layout) -> list[Block]:
    """The paragraphs of running text in [start, end), with furniture and footnotes left out."""
    stretches, cursor, after_break = [], start, False
    for cut in sorted(layout.breaks, key=lambda b: b.start):
        if cut.end <= cursor or cut.start >= end:
            continue
        stretches.append((cursor, cut.start, after_break))
        cursor, after_break = max(cursor, cut.end), True
    stretches.append((cursor, end, after_break))
    blocks: list[Block] = []
    for s, e, broken in stretches:
        first = True
        for para in PARAGRAPH.finditer(text, s, e):
            span = trim(text, para.start(), para.end())
            if span.start == span.end:
                continue
            previous = last_character(text, blocks[-1]) if blocks else "."
            continues = (
                first
                and broken
                and bool(blocks)
                and (text[span.start].islower() or previous not in '.?!:;»”"')
            )
            blocks.append(Block(span.start, span.end, continues))
            first = False
    return blocks


def last_character(text: str, block: Block) -> str:
    """The last character of a paragraph, a footnote marker after it not counted."""
    content = TRAILING_MARKER.sub("", text[block.start : block.end]).rstrip()
    return content[-1] if content else "."


def question_start(text: str, start: int, end: int, layout: Layout, keep_first: bool) -> int | None:
    """Where a question whose heading was lost begins in [start, end): the last paragraph(s)
    up to one with a question mark, joined across a page break, with the asking paragraphs
    before them; the previous answer keeps at least its first paragraph. After the header
    (``keep_first`` false) all of it."""
    blocks = paragraphs_in(text, start, end, layout)
    minimum = 1 if keep_first else 0
    if len(blocks) <= minimum:
        return None
    if not keep_first:
        return blocks[0].start
    k = len(blocks) - 1
    if not any("?" in text[b.start : b.end] for b in blocks[k:]):
        asking = [i for i in range(minimum, k) if "?" in text[blocks[i].start : blocks[i].end]]
        k = asking[-1] if asking else k
    # Back over the rest of a paragraph cut by a page break, and over earlier paragraphs
    # that ask too (a question of several paragraphs, each ending in a question mark).
    while k > minimum and (blocks[k].continues or last_character(text, blocks[k - 1]) == "?"):
        k -= 1
    return blocks[k].start


def answer_start(text: str, start: int, end: int, layout: Layout) -> int | None:
    """Where an answer whose heading was lost begins in [start, end), the text after a
    question's heading up to the next question: after the question's asking paragraphs (each
    ending in a question mark, joined across a page break). None when nothing follows them."""
    found = paragraphs_in(text, start, end, layout)
    k = next((i for i, b in enumerate(found) if last_character(text, b) == "?"), None)
    if k is None:
        return None
    while k + 1 < len(found) and (
        found[k + 1].continues or last_character(text, found[k + 1]) == "?"
    ):
        k += 1
    return found[k + 1].start if k + 1 < len(found) else None
