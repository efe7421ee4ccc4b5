"""Footnotes of an Aanhangsel as extracted from its PDF: where their bodies stand (at the end
of a page, before its furniture) and where their markers are in the running text.

A page's footnote zone starts at the first line "N text" whose footnote N is the next one due
and has a marker before it; it runs to the page's end. A marker is found in any of the ways
PDF text writes a superscript: glued to a word ("beleid3"), at the start of the next line
("3 is de"), alone on a line, several on a line ("1 2"), in a run after another ("?1 2 3"), or
(last resort) after a space.
"""

from __future__ import annotations

import re

from kg.sources.model import Span
from kg.sources.parsers.aanhangsel_layout import (
    FOOTNOTE_START,
    HEADER_START,
    HEADING,
    MD_BODY,
    Furniture,
    Layout,
    trim,
)
from kg.sources.parsers.footnote_marks import body_number, marker_pattern, superscript
from kg.sources.text import MONTH_NUMBER


def find_layout(text: str, furniture: list[Furniture], heading_starts: list[int]) -> Layout:
    """Pages, footnote bodies (at page ends, or markdown definitions) and their markers."""
    layout = Layout()
    for m in MD_BODY.finditer(text):
        layout.bodies[int(m.group(1))] = Span(m.start(), m.end())
        layout.breaks.append(Span(m.start(), m.end()))
    cursor = 0
    for item in furniture:
        if item.strong:
            if item.span.start > cursor:
                layout.pages.append(Span(cursor, item.span.start))
            cursor = item.span.end
    layout.pages.append(Span(cursor, len(text)))
    expected = 1 + max(layout.bodies, default=0)
    marker_from = 0
    # Lone numbers away from running heads first: one beside a running head is a page number.
    lone = sorted(
        (f for f in furniture if not f.strong),
        key=lambda f: (_beside_strong(text, f, furniture), f.span.start),
    )
    for page in layout.pages:
        zone = _footnote_zone(text, page, expected, heading_starts, marker_from, lone)
        if zone is None:
            continue
        for number, span in zone:
            layout.bodies[number] = span
            expected = number + 1
        layout.breaks.append(Span(zone[0][1].start, page.end))
        # The next footnote's marker may stand on this page still, its body on the next.
        marker_from = page.start
    layout.breaks.extend(f.span for f in furniture if f.strong)
    layout.breaks.sort(key=lambda s: s.start)
    first_heading = min(heading_starts, default=len(text))
    layout.markers, layout.unmarked = _markers(text, layout, lone, first_heading)
    used = {(m.start, m.end) for m in layout.markers.values()}
    for item in lone:  # page numbers: the lone numbers that are no footnote's marker
        number_span = _number_in(text, item.span)
        if (number_span.start, number_span.end) not in used:
            layout.breaks.append(item.span)
    layout.breaks.sort(key=lambda s: s.start)
    return layout


def _footnote_zone(
    text: str,
    page: Span,
    expected: int,
    heading_starts: list[int],
    marker_from: int,
    lone: list[Furniture],
) -> list[tuple[int, Span]] | None:
    """The footnote bodies at the end of a page: from the first line "N text" whose footnote
    N is the next one due and has a marker earlier on (in the text, or alone on a line), to
    the end of the page."""
    lines = [
        (page.start + m.start(), page.start + m.end())
        for m in re.finditer(r"[^\n]+", text[page.start : page.end])
        if m.group(0).strip()
    ]
    for index, (start, end) in enumerate(lines):
        if not starts_body(text, start, end, expected):
            continue
        if not _has_marker(
            text, expected, marker_from, start, lone, min(heading_starts, default=start)
        ):
            continue
        if any(start <= h < page.end for h in heading_starts):
            continue
        zone: list[tuple[int, int]] = []  # (number, start of its first line)
        next_number = expected
        for s, e in lines[index:]:
            if HEADER_START.match(text, s, e):
                break
            if starts_body(text, s, e, next_number):
                zone.append((next_number, s))
                next_number += 1
        else:
            result = []
            for position, (number, s) in enumerate(zone):
                e = zone[position + 1][1] if position + 1 < len(zone) else lines[-1][1]
                result.append((number, trim(text, s, e)))
            return result
    return None


def starts_body(text: str, start: int, end: int, number: int) -> bool:
    """Whether the line [start, end) starts the body of footnote ``number``: "3 Kamerstuk",
    "3Kamerstuk", or glued to a year or Tweede Kamer number that the body begins with
    ("22023 Annual report", "32024Z15585/2024D37938")."""
    found = FOOTNOTE_START.match(text, start, end)
    if found and body_number(found) == number:
        return True
    return bool(re.match(rf"[ \t]*{number}(?=(?:19|20)\d{{2}}(?:[ZD]\d|\b))", text[start:end]))


def body_text(raw: str, number: int) -> str:
    """A footnote body without its number."""
    numbered = rf"\[\^{number}\]:|\[[ \t]*{number}[ \t]*\]|<sup>[ \t]*{number}[ \t]*</sup>"
    numbered += rf"|\^{number}\^|{superscript(number)}|{number}"
    return re.sub(rf"^[ \t]*(?:{numbered})[ \t]*", "", raw)


def _has_marker(
    text: str, number: int, start: int, end: int, lone: list[Furniture], first_heading: int
) -> bool:
    """Whether footnote ``number`` has a marker in [start, end) (see ``_marker_of``)."""
    found = _marker_of(text, number, start, Span(end, end), [], lone, first_heading)
    return found is not None and found.start < end


# PyPDF2 breaks the line before a superscript and sets the marker at the start of the next
# line, before the rest of the sentence: "... Energeia-artikel" / "2, de" / "afgelopen maanden",
# "... d.d. 10 oktober 2024" / "3 is de"; after a sentence's end the next sentence follows it:
# "... gekomen." / "2 Dit is in 2022 ...". The line before is no square or cubic metre ("10,4
# miljard m" / "3 aan aardgas"), and no numbered row of a table ("3. 29 0").
LINE_END_OF_SENTENCE = re.compile(r"[.!?:;][»”\"')]*[ \t]*$")
UNIT_BEFORE_POWER = re.compile(r"(?:^|[\s\d])(?:m|km|cm|dm|mm)[ \t]*$")


def _line_start_marker(
    text: str, number: int, start: int, end: int, breaks: list[Span]
) -> Span | None:
    pattern = re.compile(
        rf"^[ \t]*({number})(?:(?P<goes_on>[ \t]*[,.;:)»”’](?=[ \t]*(?:$|[^\d\s]))"
        r"|[ \t]+[a-zà-ÿ(«\"'‘“]|[ \t]*$)"
        r"|(?P<next>[ \t]+[A-Z]))",
        re.MULTILINE,
    )
    for m in pattern.finditer(text, start, end):
        previous_start = text.rfind("\n", 0, max(0, m.start() - 1)) + 1
        previous = text[previous_start : max(previous_start, m.start() - 1)]
        ended = bool(LINE_END_OF_SENTENCE.search(previous))
        if not previous.strip() or ended != bool(m.group("next")):
            continue
        if number in (2, 3) and UNIT_BEFORE_POWER.search(previous):
            continue
        if not any(b.start <= m.start(1) < b.end for b in breaks):
            return Span(m.start(1), m.end(1))
    return None


def _beside_strong(text: str, item: Furniture, furniture: list[Furniture]) -> bool:
    """Whether ``item`` is on the line right before or after strong furniture (where a page
    number stands; a marker alone on a line is separated from a page end by a blank line)."""
    return any(
        other.strong
        and (
            _one_line_break(text[other.span.end : item.span.start])
            if other.span.end <= item.span.start
            else _one_line_break(text[item.span.end : other.span.start])
        )
        for other in furniture
        if abs(other.span.start - item.span.start) < 400
    )


def _one_line_break(between: str) -> bool:
    return between.count("\n") <= 1 and not between.strip()


def _number_in(text: str, span: Span) -> Span:
    found = re.search(r"\d+", text[span.start : span.end])
    assert found  # a lone-number line holds a number
    return Span(span.start + found.start(), span.start + found.end())


def _markers(
    text: str, layout: Layout, lone: list[Furniture], first_heading: int
) -> tuple[dict[int, Span], list[int]]:
    """Each body's marker: the first after the previous marker, outside furniture; a number
    alone on a line before the body when there is none in the running text."""
    markers: dict[int, Span] = {}
    unmarked: list[int] = []
    cursor = 0
    for number in sorted(layout.bodies):
        body = layout.bodies[number]
        # A run of markers at one place: "orthodontie»?1 2 3", "Shell?1 2".
        following = SEQUENCE_MARKER.match(text, cursor) if number - 1 in markers else None
        if following and following.group(1) == str(number):
            markers[number] = Span(following.start(1), following.end(1))
            cursor = following.end(1)
            continue
        found = _marker_of(text, number, cursor, body, layout.breaks, lone, first_heading)
        if found is None:
            unmarked.append(number)
            continue
        markers[number] = found
        cursor = found.end
    return markers, unmarked


def _marker_of(
    text: str,
    number: int,
    cursor: int,
    body: Span,
    breaks: list[Span],
    lone: list[Furniture],
    first_heading: int,
) -> Span | None:
    """The marker of footnote ``number`` after ``cursor``: the first, before its body, of a
    marker in the text ("beleid3"), at the start of a line ("3 is de") or alone on a line;
    else one in the text after the body; else (last resort, as some PDF text has it) the
    number alone after a space ("zuivering 3 en") before the body."""
    in_text = next(
        (
            Span(m.start(1), m.end(1))
            for m in marker_pattern(number).finditer(text, cursor, len(text))
            if not any(b.start <= m.start() < b.end for b in breaks)
        ),
        None,
    )
    start = max(cursor, first_heading)
    # Glued to a span of years, which no other number follows: "de periode 2024–20272".
    after_years = re.compile(rf"(?<=\d{{4}}[–-]\d{{4}})({number})(?=[\s.,;:)?!]|$)", re.M)
    candidates = [
        in_text,
        next(
            (Span(m.start(1), m.end(1)) for m in after_years.finditer(text, start, body.start)),
            None,
        ),
        _line_start_marker(text, number, start, body.start, breaks),
        next(
            (
                _number_in(text, f.span)
                for f in lone
                if f.lone_number == number and cursor <= f.span.start < body.start
            ),
            None,
        ),
    ]
    before = [c for c in candidates if c is not None and c.start < body.start]
    if before:
        return min(before, key=lambda c: c.start)
    return in_text or _loose_marker(text, number, start, body.start, breaks)


SEQUENCE_MARKER = re.compile(r"[ \t]*(?:,[ \t]*|en[ \t]+)?(\d{1,3})(?![\d.,]\d)")

# Words after which a number is a number, not a footnote marker ("vraag 3", "nr. 3", "en 3").
NOT_BEFORE_MARKER = {
    "vraag", "vragen", "antwoord", "antwoorden", "nr.", "nummer", "artikel", "en", "t/m", "of",
    "tot", "van", "op", "in", "over", "ca.", "circa", "pagina", "blz.", "p.", "lid", "bijlage",
}  # fmt: skip
NOT_AFTER_MARKER = {
    *MONTH_NUMBER, "procent", "miljoen", "miljard", "euro", "jaar", "jaren", "maanden",
    "weken", "dagen", "keer", "uur", "minuten", "gemeenten", "leden", "mensen",
}  # fmt: skip


def _loose_marker(text: str, number: int, start: int, end: int, breaks: list[Span]) -> Span | None:
    """A marker that lost its superscript and stands after a space ("zuivering 3 en"), as some
    PDF text has it; only after a word that does not take a number, outside furniture."""
    loose = re.compile(rf"(?:(?<=[^\W\d_])|(?<=[»”\"')])) ({number})(?=[\s.,;:)]|$)", re.M)
    for m in loose.finditer(text, start, end):
        word = text[text.rfind(" ", start, m.start()) + 1 : m.start()].lower()
        after = re.match(r"\s*([^\W\d_]+)", text[m.end() : m.end() + 20])
        if after and after.group(1).lower() in NOT_AFTER_MARKER:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        heading = HEADING.match(text, line_start, len(text) if line_end < 0 else line_end)
        if word in NOT_BEFORE_MARKER or heading:
            continue
        if not any(b.start <= m.start(1) < b.end for b in breaks):
            return Span(m.start(1), m.end(1))
    return None
