"""What is not running text in an Aanhangsel as extracted from its PDF: page furniture,
footnote bodies and footnote markers, and how a section's running text is cleaned of them.

Furniture is found line by line, wherever it sits: a line may consist of it ("-----", a page
number, a running head), or start with it and go on with a heading that lost its line break
("ISSN 0921 - 7398’s-Gravenhage 2025Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel 1Antwoord
4"). Strong furniture (running heads, separators, the imprint) marks a page boundary; a number
alone on a line is weak: a page number, or a footnote marker that lost its word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.sources.model import Span
from kg.sources.parsers.footnote_marks import (
    BODY_NUMBER,
    ordinals,
)

EMPHASIS = r"(?:\*\*|__|\*|_)?"
BLANK = r"[ \t\u00a0]"  # PDF text and markdown may have a no-break space: "Vraag\u00a01"
NUMBER_LIST = rf"\d+(?:{BLANK}*(?:,|en|t/m|tot en met|-|–){BLANK}*\d+)*"
HEADING_BODY = re.compile(
    rf"(?:\#{{1,6}}[ \t]*)?{EMPHASIS}(?P<kind>Vra(?:ag|gen)|Antwoord(?:en)?){BLANK}*"
    rf"(?:op{BLANK}+(?:de{BLANK}+)?vra(?:ag|gen){BLANK}+)?(?P<numbers>{NUMBER_LIST}){BLANK}*[:.]?"
    rf"{BLANK}*{EMPHASIS}{BLANK}*$"
)
HEADING = re.compile(r"^[ \t]*" + HEADING_BODY.pattern, re.MULTILINE)
# A heading with its text on the same line, as some PDF text has it: "Vraag 1 Bent u ...", or
# in markdown "**Vraag 1** Bent u ...".
INLINE_BODY = re.compile(
    rf"{EMPHASIS}(?P<kind>Vraag|Vragen|Antwoord){BLANK}*(?P<numbers>{NUMBER_LIST}){BLANK}*[:.]?"
    rf"{EMPHASIS}{BLANK}+(?=[A-Z«\"“„(])"
)
INLINE_HEADING = re.compile(r"^[ \t]*" + INLINE_BODY.pattern, re.MULTILINE)
HEADER_START = re.compile(
    rf"^[ \t]*(?:\#{{1,6}}[ \t]*)?{EMPHASIS}(?:Vragen van|Vraag van|Mondelinge vragen van|Antwoord van"
    r"|Mededeling van|Zie ook Aanhangsel)\b",
    re.MULTILINE,
)
YEARS = r"\d{4}\s*[-–/]\s*\d{2,4}"
# The page footer names the publication: the Aanhangsel, or "Vragen" for questions not yet
# answered ("Tweede Kamer, vergaderjaar 2024–2025, Vragen 1").
PUBLICATION = r"(?:Aanhangsel|Vragen)"
# Tokens of strong furniture that may stand at the start of a line with more after them.
STRONG_TOKENS = re.compile(
    # The running head, also without its first letter or its separators ("h tk 20242025 1112").
    r"a?h[- ]?tk[- ]?\d{8}[- ]?\d{1,5}(?!\d)"
    r"|ISSN\s*\d{4}\s*[-–]\s*\d{3}[\dXx]"
    r"|[’'‘`´]?s-Gravenhage\s+\d{4}"  # the apostrophe may be lost in the text layer
    rf"|Tweede\s+Kamer,?\s+vergaderjaar\s+{YEARS},?\s*{PUBLICATION}(?:[ \t]*\d{{1,4}}(?!\d))?"
    rf"|Vergaderjaar\s+{YEARS}\s+Aanhangsel\s+van\s+de\s+Handelingen"
    r"|kv-tk-\d{4}Z\d{5}"  # the running head of questions not yet answered
    r"|\f"
)
# Furniture that never occurs in running text: found also at the end of a line, glued to the
# text before it ("... maatregelen.ah-tk-20232024-387 ISSN 0921 - 7398").
ANCHOR_TOKEN = re.compile(
    r"ISSN\s*\d{4}\s*[-–]\s*\d{3}[\dXx]"
    r"|[’'‘`´]s-Gravenhage\s+\d{4}"
    rf"|Tweede\s+Kamer,?\s+vergaderjaar\s+{YEARS},?\s*{PUBLICATION}(?:[ \t]*\d{{1,4}}(?!\d))?"
)
RUNNING_HEAD_AT_END = re.compile(r"a?h[- ]?tk[- ]?\d{8}[- ]?\d{1,5}[ \t]*$")
# Lines that are furniture only as a whole.
WHOLE_LINE = re.compile(
    r"(?:"
    r"Aanhangsel\s+(?:van\s+de\s+)?Handelingen(?:\s+II)?(?:\s*[|,–-].*)?"
    rf"|Tweede Kamer,?\s+vergaderjaar\s+{YEARS}.*"
    r"|Vragen gesteld door de leden der Kamer.*|regering gegeven antwoorden"
    rf"|Vergaderjaar\s+{YEARS}"
    r"|\d{4}Z\d{5}"  # the Tweede Kamer's case number of the questions, printed on page 1
    r"|Tweede Kamer der Staten-Generaal"
    r"|[-_=*]{3,}"
    r")"
)
# Footnote markers of one place that lost their words: "1 2", "2 3", "2, 3 en 4".
MARKER_LINE = re.compile(r"\d{1,3}(?:[ \t]*(?:,|en)?[ \t]+\d{1,3})+")
LONE_NUMBER = re.compile(r"(?:Pagina\s+)?(\d{1,4})(?:\s*(?:van|/)\s*\d{1,4})?")
MARKDOWN_START = re.compile(r"[ \t\f]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?")  # matched at a line start
# "3 Kamerstuk ..." or, glued, "3Kamerstuk ..." (a letter or quote right after the number);
# the number also as a converter writes a superscript ("[3 ] Kamerstuk", "³ Kamerstuk").
FOOTNOTE_START = re.compile(rf"[ \t]*{BODY_NUMBER}(?:[ \t]+|(?=[^\W\d_]|[«\"“'(]))(\S.*)$")
# A markdown footnote definition, with the lines that continue it up to a blank line, the next
# definition, a heading or page furniture.
MD_BODY = re.compile(
    r"^[ \t]*\[\^(\d{1,3})\]:[ \t]*(.*(?:\n(?![ \t]*(?:$|\[\^\d|(?:\#{1,6}[ \t]*)?(?:\*\*|__)?"
    rf"(?:Vra(?:ag|gen)|Antwoord)\b|{STRONG_TOKENS.pattern}|[-_=*]{{3,}})).*)*)",
    re.MULTILINE,
)
BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
PAGE_BREAK = "\x00"


@dataclass(frozen=True)
class Furniture:
    span: Span
    strong: bool  # a page boundary (running head, separator, imprint), not a lone number
    lone_number: int | None = None  # the number of a line holding only a number


@dataclass(frozen=True)
class LineHeading:
    kind: str  # "question" or "answer"
    numbers_text: str
    start: int
    end: int
    glued: bool  # furniture stood before it on the same line


@dataclass
class Layout:
    """What is not running text: furniture lines, footnote bodies, footnote markers."""

    breaks: list[Span] = field(default_factory=list)  # furniture and footnote zones
    markers: dict[int, Span] = field(default_factory=dict)
    bodies: dict[int, Span] = field(default_factory=dict)  # one footnote body each
    pages: list[Span] = field(default_factory=list)
    unmarked: list[int] = field(default_factory=list)  # bodies whose marker was not found


def scan_lines(text: str) -> tuple[list[Furniture], list[LineHeading]]:
    """Furniture and headings, line by line; a heading may follow furniture on its line."""
    furniture: list[Furniture] = []
    headings: list[LineHeading] = []
    for line in re.finditer(r"[^\n]*", text):
        start, end = line.start(), line.end()
        if start == end and start > 0 and text[start - 1] != "\n":
            continue  # the empty match after a line
        if "\f" in text[start:end] and not text[start:end].strip(" \t\f"):
            furniture.append(Furniture(Span(start, end), True))  # a page break on its own
            continue
        inner_start, inner_end = _inner(text, start, end)
        # Furniture glued after text (after any furniture the line starts with).
        trailing = _trailing(text, _strong_prefix(text, inner_start, inner_end), inner_end)
        if trailing is not None:
            group_start, after = trailing
            furniture.append(Furniture(Span(group_start, after), True))
            heading = HEADING_BODY.match(text, after, end) or INLINE_BODY.match(text, after, end)
            if heading:
                headings.append(_line_heading(heading, glued=True))
            end = inner_end = group_start  # the text before it is read as a line of its own
        prefix_end = _strong_prefix(text, inner_start, inner_end)
        rest = text[prefix_end:inner_end]
        if prefix_end > inner_start:
            if not rest.strip(" \t"):
                furniture.append(Furniture(Span(start, end), True))
                continue
            heading = HEADING_BODY.match(text, prefix_end, end) or INLINE_BODY.match(
                text, prefix_end, end
            )
            furniture.append(Furniture(Span(start, prefix_end), True))
            if heading:
                headings.append(_line_heading(heading, glued=True))
            continue
        heading = HEADING.match(text, start, end) or INLINE_HEADING.match(text, start, end)
        if heading:
            headings.append(_line_heading(heading, glued=False))
            continue
        if WHOLE_LINE.fullmatch(text, inner_start, inner_end):
            furniture.append(Furniture(Span(start, end), True))
        elif MARKER_LINE.fullmatch(text, inner_start, inner_end):
            # Several markers on a line of their own ("1 2", "2, 3 en 4"): each a lone number.
            for number in re.finditer(r"\d+", text[inner_start:inner_end]):
                at = Span(inner_start + number.start(), inner_start + number.end())
                furniture.append(Furniture(at, False, int(number.group(0))))
        elif lone := LONE_NUMBER.fullmatch(text, inner_start, inner_end):
            # Right under "Tweede Kamer, vergaderjaar ..., Aanhangsel" it is that page's number.
            # A number made a markdown heading ("# 2") is a page number, never a marker.
            page_number = "#" in text[start:inner_start] or (
                bool(furniture) and _ends_without_page_number(text, furniture[-1], start)
            )
            furniture.append(
                Furniture(
                    Span(start, end), page_number, None if page_number else int(lone.group(1))
                )
            )
    furniture.sort(key=lambda f: f.span.start)  # a line's trailing furniture came first
    headings.sort(key=lambda h: h.start)
    return furniture, headings


def _ends_without_page_number(text: str, previous: Furniture, line_start: int) -> bool:
    return (
        previous.strong
        and previous.span.end == line_start - 1
        and text[previous.span.start : previous.span.end]
        .rstrip()
        .endswith(("Aanhangsel", "Vragen"))
    )


def _trailing(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Furniture glued to the end of a line of text: (where it starts, where it ends), when
    only blanks or a heading follow it."""
    anchor = ANCHOR_TOKEN.search(text, start, end)
    if anchor is None or not text[start : anchor.start()].strip():
        return None  # none, or at the start of the line (furniture as a prefix)
    head = RUNNING_HEAD_AT_END.search(text, start, anchor.start())
    group_start = head.start() if head and text[start : head.start()].strip() else anchor.start()
    after = _strong_prefix(text, anchor.start(), end)
    rest = text[after:end]
    if rest.strip() and not (
        HEADING_BODY.match(text, after, end) or INLINE_BODY.match(text, after, end)
    ):
        return None
    return group_start, after


def _inner(text: str, start: int, end: int) -> tuple[int, int]:
    """The line without markdown heading marks, bold markers and surrounding blanks."""
    left = MARKDOWN_START.match(text, start, end)
    inner_start = left.end() if left else start
    right = re.search(r"(?:\*\*|__)?[ \t\f]*$", text[inner_start:end])
    inner_end = inner_start + right.start() if right else end
    return inner_start, max(inner_start, inner_end)


def _strong_prefix(text: str, start: int, end: int) -> int:
    position = start
    while True:
        token = STRONG_TOKENS.match(text, position, end)
        if not token or token.end() == position:
            return position
        position = token.end()
        while position < end and text[position] in " \t":
            position += 1


def _line_heading(match: re.Match[str], glued: bool) -> LineHeading:
    kind = "question" if match.group("kind").startswith("Vra") else "answer"
    return LineHeading(kind, match.group("numbers"), match.start(), match.end(), glued)


def trim(text: str, start: int, end: int) -> Span:
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip())
    right = len(chunk) - len(chunk.rstrip())
    return Span(start + left, max(start + left, end - right))


def strip_markdown(text: str) -> str:
    text = re.sub(r"^[ \t]*#{1,6}[ \t]+", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__)(\S(?:.*?\S)?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(\S(?:.*?\S)?)\1(?![\w*])", r"\2", text)
    # A superscript the converter marked up: "11[e ] sanctiepakket" is "11e".
    return ordinals(text)


def clean(text: str, span: Span, layout: Layout) -> str:
    """A section's running text: furniture and footnote bodies and markers removed, page breaks
    inside a paragraph joined, paragraphs separated by a blank line, markdown emphasis gone."""
    cuts = [(b.start, b.end, PAGE_BREAK) for b in layout.breaks]
    cuts += [(*_marker_cut(text, m), "") for m in layout.markers.values()]
    pieces, cursor = [], span.start
    for start, end, replacement in sorted(cuts):
        if end <= span.start or start >= span.end:
            continue
        pieces.append(text[cursor : max(cursor, start)])
        pieces.append(replacement)
        cursor = max(cursor, end)
    pieces.append(text[cursor : span.end])
    joined = "".join(pieces)

    def join_break(m: re.Match[str]) -> str:
        before = joined[m.start() - 1] if m.start() > 0 else ""
        after = joined[m.end()] if m.end() < len(joined) else ""
        if not before or before in ".!?:;":
            return "\n\n"
        return "" if before == "-" and after.islower() else " "  # a word cut at the page end

    joined = re.sub(rf"[ \t\n]*{PAGE_BREAK}[ \t\n{PAGE_BREAK}]*", join_break, joined)
    paragraphs = [
        " ".join(
            line.strip() for line in HYPHEN_AT_LINE_END.sub("", para).split("\n") if line.strip()
        )
        for para in BLANK_LINE.split(strip_markdown(joined))
    ]
    return "\n\n".join(re.sub(r"[ \t]{2,}", " ", p) for p in paragraphs if p.strip())


# A word cut at a line end ("informa-" / "tie", "AI-" / "verordening"): joined, hyphen kept;
# not before "en", "of", "tot" ("Rijks- en gemeentelijke"). At a soft hyphen: joined without.
HYPHEN_AT_LINE_END = re.compile(
    r"(?<=[^\W\d_]-)[ \t]*\n[ \t]*(?=[a-zà-ÿ])(?!(?:en|of|tot)\b)"
    r"|\u00ad[ \t]*\n[ \t]*"  # a soft hyphen where the typesetter broke the word: no hyphen
)


def _marker_cut(text: str, marker: Span) -> tuple[int, int]:
    """What removing a marker removes: the marker, or its whole line when it stands alone on
    one (PDF text puts a superscript on a line of its own), so the sentence closes up."""
    line_start = text.rfind("\n", 0, marker.start) + 1
    line_end = text.find("\n", marker.end)
    line_end = len(text) if line_end < 0 else line_end
    alone = not text[line_start : marker.start].strip(" \t#*") and not text[
        marker.end : line_end
    ].strip(" \t*")
    alone = alone or bool(MARKER_LINE.fullmatch(text[line_start:line_end].strip()))
    return (line_start, min(line_end + 1, len(text))) if alone else (marker.start, marker.end)
