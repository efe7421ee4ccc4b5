"""A commitment's timing as dates: "voor de zomer", "in het najaar van 2024", "binnen drie weken",
"voor 1 december 2026" become an interval (due after, due by), resolved against the date of the
document that makes the commitment.

Every form this module reads is a named :class:`Form` with its pattern and what it means; the
conventions behind them (seasons, recesses, the parliamentary year, what "begin 2025" covers)
are in :mod:`kg.extract.calendar_nl`. A timing is one of four kinds:

- ``dated``: an interval, ``due_after`` and/or ``due_by`` (both inclusive; a "voor X" form has
  no earliest day, a "na X" form runs from the day after X to the end of that calendar year);
- ``vague``: "spoedig", "op korte termijn", "zo snel mogelijk": no date, kept as written;
- ``conditional``: "zodra de inventarisatie is afgerond": no date, it waits on an event;
- ``unresolved``: a form that needs what the text does not give (the date of a debate it
  names, the document's own date) or words no form reads; kept as written, with a note why.

Nothing here knows RDF: ``kg.convert.commitments`` writes the result into the graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kg.extract.periods import (
    DATE_WORDS,
    NUMBERS,
    Interval,
    Unresolved,
    before_debate,
    deictic_season,
    explicit_date,
    month,
    next_report,
    quarter,
    recess,
    recurring,
    rest_of_year,
    season,
    summer,
    this_quarter,
    this_year,
    within,
    year,
    year_end,
    year_part,
)
from kg.sources.text import MONTH_PATTERN

DATED, VAGUE, CONDITIONAL, UNRESOLVED = "dated", "vague", "conditional", "unresolved"
KINDS = (DATED, VAGUE, CONDITIONAL, UNRESOLVED)


@dataclass(frozen=True)
class Deadline:
    text: str  # the timing as written
    kind: str  # one of KINDS
    form: str = ""  # the name of the Form that read it; "" when none did
    due_after: date | None = None
    due_by: date | None = None
    note: str = ""  # why it is unresolved, or which date was estimated
    start: int = 0  # where ``text`` stands in the text that was searched
    end: int = 0


Resolver = Callable[[re.Match[str], date | None], Interval]


@dataclass(frozen=True)
class Form:
    name: str
    kind: str
    pattern: re.Pattern[str]
    meaning: str  # what it resolves to, in English, for the rule's description in the graph
    resolve: Resolver | None = None


# -- the pieces of the patterns ---------------------------------------------------------------

VOOR = r"v[oó]{2}r"
NUMBER = r"(?:\d{1,3}|" + "|".join(NUMBERS) + ")"
# "van 2027", "2024" (as in "in het voorjaar 2024"), "van dit jaar", "van volgend jaar".
OF_YEAR = r"(?:\s+(?:van\s+)?(?:(?P<year>(?:19|20)\d{2})\b|(?P<rel>dit|volgend|komend)\s+jaar\b))?"
SEASON = r"(?P<season>voorjaar|lente|zomer|najaar|herfst|winter)"


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# -- helpers --------------------------------------------------------------------------------


FORMS: tuple[Form, ...] = (
    Form(
        "explicit-date", DATED,
        _compile(rf"\b(?P<prep>uiterlijk\s+(?:op\s+|{VOOR}\s+)?|{VOOR}\s+)(?P<date>{DATE_WORDS})\b"),
        "A calendar date (read by dateparser; without a year, the first one after the document's "
        "date): 'voor 1 december' is due by 30 November, 'uiterlijk (op) 15 maart' by 15 March.",
        explicit_date,
    ),
    Form(
        "summer-recess", DATED,
        _compile(rf"\b(?P<prep>(?:uiterlijk\s+)?{VOOR}|na|(?:in|tijdens)(?=\s+het\s+zomerreces))"
                 rf"\s+(?:de\s+zomer|het\s+zomerreces){OF_YEAR}"),
        "'voor de zomer' is due by the day before the summer recess of the Tweede Kamer, 'na de "
        "zomer' from the day after it to the end of that year (recess dates as the House "
        "published them, else the rule: from the Friday of ISO week 27, 59 days); without a "
        "year, the first such summer not over on the document's date.",
        summer,
    ),
    Form(
        "recess", DATED,
        _compile(rf"\b(?P<prep>(?:uiterlijk\s+)?{VOOR}|na|in|tijdens)\s+het\s+"
                 rf"(?P<name>kerst|herfst|voorjaars|krokus|mei)reces{OF_YEAR}"),
        "Before, after or during another recess of the Tweede Kamer, by its published dates.",
        recess,
    ),
    Form(
        "season", DATED,
        _compile(rf"\b(?P<prep>(?:uiterlijk\s+)?(?:{VOOR}|in|na|begin|medio|eind|rond)|in\s+de\s+"
                 rf"loop\s+van)\s+(?:het|de)\s+{SEASON}{OF_YEAR}"),
        "A meteorological season (KNMI: spring March-May, summer June-August, autumn "
        "September-November, winter December-February): 'in' the season, 'voor' it (by the day "
        "before), 'na' it (to the end of that year), 'begin/medio/eind' its first, middle or "
        "last month, 'rond' a month either side; without a year, the first not over.",
        season,
    ),
    Form(
        "this-season", DATED,
        _compile(rf"\b(?:(?P<prep>(?:uiterlijk\s+)?(?:{VOOR}|in|na|begin|medio|eind))\s+)?"
                 rf"(?P<deixis>dit|deze|komend[e]?|aankomend[e]?|volgend[e]?)\s*{SEASON}\b"),
        "'dit voorjaar', 'deze zomer': the season within the parliamentary year of the "
        "document's date (it starts on the third Tuesday of September); 'komend' or 'volgend': "
        "the next one that has not begun.",
        deictic_season,
    ),
    Form(
        "year-end", DATED,
        _compile(rf"\b(?P<prep>(?:uiterlijk\s+)?(?:{VOOR}|tegen)\s+)?(?:(?:aan\s+)?het\s+)?"
                 r"einde?\s+(?:van\s+)?(?:(?:het|dit)\s+jaar|(?P<rel>volgend)\s+jaar|"
                 r"(?P<year>(?:19|20)\d{2}))\b"),
        "'voor het einde van het jaar', 'voor eind 2025': due by 31 December; 'eind 2024' "
        "without 'voor': the last quarter of that year.",
        year_end,
    ),
    Form(
        "year-part", DATED,
        _compile(r"\b(?P<part>begin|medio|midden|half)\s+(?:(?P<year>(?:19|20)\d{2})\b|"
                 r"(?P<rel>dit|volgend|komend)\s+jaar\b)"),
        "'begin 2025' is January-March, 'medio 2025' May-August (a choice: there is no official "
        "definition).",
        year_part,
    ),
    Form(
        "rest-of-year", DATED,
        _compile(r"\b(?:later\s+dit\s+jaar|in\s+de\s+loop\s+van\s+(?:(?:het|dit)\s+jaar|"
                 r"(?P<rel>volgend)\s+jaar|(?P<year>(?:19|20)\d{2})\b))"),
        "'later dit jaar', 'in de loop van het jaar': from the document's date to 31 December; "
        "'in de loop van 2026': that year.",
        rest_of_year,
    ),
    Form(
        "this-year", DATED,
        _compile(rf"\b(?:(?P<prep>{VOOR}|in|na)\s+)?(?P<rel>dit|volgend|komend)\s+jaar\b"),
        "'dit jaar', 'volgend jaar': that calendar year ('voor volgend jaar': by 31 December).",
        this_year,
    ),
    Form(
        "month", DATED,
        _compile(rf"\b(?P<prep>(?:uiterlijk\s+)?(?:{VOOR}|in|na|begin|medio|eind|half|midden)|in\s+"
                 rf"de\s+loop\s+van)\s+(?P<month>{MONTH_PATTERN})(?:\s+(?:van\s+)?"
                 r"(?P<year>(?:19|20)\d{2})\b)?"),
        "A month: 'in maart', 'voor maart' (by the end of February), 'begin/medio/eind maart' "
        "days 1-10, 11-20, 21-end; without a year, the first such month not over.",
        month,
    ),
    Form(
        "quarter", DATED,
        _compile(rf"\b(?P<prep>(?:uiterlijk\s+)?(?:{VOOR}|in|na)|begin|eind|in\s+de\s+loop\s+van)"
                 r"\s+(?:het\s+)?(?:(?P<ordinal>eerste|tweede|derde|vierde|laatste)\s+kwartaal|"
                 r"Q(?P<q>[1-4]))(?:\s+(?:van\s+)?(?:(?P<year>(?:19|20)\d{2})\b|"
                 r"(?P<rel>dit|volgend)\s+jaar\b))?"),
        "A calendar quarter ('in het vierde kwartaal', 'in Q3 2026'); without a year, the first "
        "not over.",
        quarter,
    ),
    Form(
        "this-quarter", DATED,
        _compile(rf"\b(?:(?P<prep>{VOOR}|in|na|begin|eind)\s+)?(?P<rel>dit|volgend|komend)\s+"
                 r"kwartaal\b"),
        "'dit kwartaal', 'volgend kwartaal': the calendar quarter of the document's date, or the "
        "next.",
        this_quarter,
    ),
    Form(
        "year", DATED,
        _compile(rf"\b(?P<prep>(?:uiterlijk\s+)?(?:{VOOR}|in|na)|in\s+de\s+loop\s+van)\s+"
                 r"(?P<year>(?:19|20)\d{2})\b"),
        "A year: 'in 2027' is that year, 'voor 2027' by 31 December 2026.",
        year,
    ),
    Form(
        "within", DATED,
        _compile(rf"\b(?P<prep>binnen|over)\s+(?P<n>{NUMBER})\s+"
                 r"(?P<unit>dagen|dag|weken|week|maanden|maand|jaren|jaar)\b"),
        "'binnen drie weken': due by the document's date plus that many days, weeks, months or "
        "years.",
        within,
    ),
    Form(
        "before-debate", DATED,
        _compile(rf"\b(?:uiterlijk\s+)?{VOOR}\s+(?:(?:de\s+)?aanvang\s+van\s+)?(?:het\s+vervolg\s+"
                 r"van\s+)?(?:de|het)\s+(?:(?:laatste|eerstvolgende)\s+)?(?P<event>(?:"
                 r"begrotingsbehandeling|behandeling\s+van\s+de\s+begroting|\w*debat)\b[^.;?]*)"),
        "Before a debate (the budget debate, a committee debate): due by the day before it when "
        "the words give its date; otherwise unresolved.",
        before_debate,
    ),
    Form(
        "recurring", UNRESOLVED,
        _compile(r"\b(?:(?:half)?jaarlijks|(?:elk|ieder)\s+(?:half\s*)?jaar|periodiek)\b"),
        "'jaarlijks rapporteren': a recurring commitment; it has no single due date.",
        recurring,
    ),
    Form(
        "next-report", UNRESOLVED,
        _compile(r"\bin\s+de\s+(?:eerst)?volgende\s+(?P<report>[\w-]*(?:rapportage|brief|"
                 r"monitor|nota|rapport))\b"),
        "'in de volgende voortgangsrapportage': due with a document whose date the words do not "
        "give.",
        next_report,
    ),
    Form(
        "vague", VAGUE,
        _compile(r"\b(?:zo\s+(?:spoedig|snel)\s+(?:als\s+)?mogelijk|op\s+(?:zo\s+)?korte\s+termijn|"
                 r"op\s+afzienbare\s+termijn|binnenkort|spoedig|te\s+zijner\s+tijd|"
                 r"(?:in\s+)?de\s+komende\s+(?:weken|maanden|periode|tijd)|binnen\s+(?:enkele|"
                 r"een\s+aantal|afzienbare)\s+(?:dagen|weken|maanden)|op\s+een\s+later(?:e)?\s+"
                 r"moment)\b"),
        "'spoedig', 'op korte termijn', 'zo snel mogelijk', 'binnenkort': no date; kept as "
        "written and flagged.",
    ),
    Form(
        "conditional", CONDITIONAL,
        _compile(r"\b(?:zodra|nadat|wanneer|op\s+het\s+moment\s+dat|na\s+(?:afronding|ontvangst|afloop)\s+"
                 r"van)\b[^,.;]*?(?=\s+(?:zal|zullen|wordt|worden|kan|kunnen)\b|[,.;]|$)"),
        "'zodra de inventarisatie is afgerond': waits on an event, no date.",
    ),
)  # fmt: skip
FORMS_BY_NAME = {form.name: form for form in FORMS}


def find(text: str, reference: date | None, offset: int = 0) -> Deadline | None:
    """The timing in ``text`` (a commitment's sentence, or its timing as written), resolved:
    the leftmost form that matches, the longest at one position, the first listed on a tie.
    ``offset`` is added to the span. None when no form matches."""
    best: tuple[int, int, int, Form, re.Match[str]] | None = None
    for order, form in enumerate(FORMS):
        match = form.pattern.search(text)
        if match is None:
            continue
        key = (match.start(), -(match.end() - match.start()), order)
        if best is None or key < best[:3]:
            best = (*key, form, match)
    if best is None:
        return None
    form, match = best[3], best[4]
    return _resolved(form, match, reference, offset)


def _resolved(form: Form, match: re.Match[str], reference: date | None, offset: int) -> Deadline:
    words = " ".join(match.group(0).split())
    start, end = offset + match.start(), offset + match.end()
    if form.resolve is None:
        return Deadline(words, form.kind, form.name, start=start, end=end)
    try:
        after, by, note = form.resolve(match, reference)
    except Unresolved as why:
        return Deadline(words, UNRESOLVED, form.name, note=str(why), start=start, end=end)
    return Deadline(words, DATED, form.name, after, by, note, start=start, end=end)


def read(timing: str, reference: date | None) -> Deadline:
    """A timing as written (what the commitment finder took from the sentence), resolved; a
    timing no form reads is ``unresolved`` with a note saying so.

    >>> found = read("eind 2025", date(2024, 11, 14))
    >>> found.kind, found.form, str(found.due_after), str(found.due_by)
    ('dated', 'year-end', '2025-10-01', '2025-12-31')
    >>> read("spoedig", date(2024, 11, 14)).kind
    'vague'
    """
    found = find(timing, reference)
    if found is None:
        return Deadline(" ".join(timing.split()), UNRESOLVED, note="no form reads this timing")
    return found
