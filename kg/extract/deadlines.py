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
from datetime import date, datetime, timedelta
from functools import cache

from kg.extract import calendar_nl as cal
from kg.sources.text import MONTH_NUMBER, MONTH_PATTERN

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


class Unresolved(Exception):
    """A form matched but its dates cannot be given: the message says why."""


Interval = tuple[date | None, date | None, str]  # due after, due by, note
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
WEEKDAY = r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)"
NUMBERS = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
    "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12,
}  # fmt: skip
NUMBER = r"(?:\d{1,3}|" + "|".join(NUMBERS) + ")"
# "van 2027", "2024" (as in "in het voorjaar 2024"), "van dit jaar", "van volgend jaar".
OF_YEAR = r"(?:\s+(?:van\s+)?(?:(?P<year>(?:19|20)\d{2})\b|(?P<rel>dit|volgend|komend)\s+jaar\b))?"
SEASON = r"(?P<season>voorjaar|lente|zomer|najaar|herfst|winter)"
DATE_WORDS = rf"(?:{WEEKDAY}\s+)?\d{{1,2}}\s+{MONTH_PATTERN}(?:\s+(?:19|20)\d{{2}})?"
ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "laatste": 4}


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# -- helpers --------------------------------------------------------------------------------


def _need(reference: date | None) -> date:
    if reference is None:
        raise Unresolved("the document states no date to resolve it against")
    return reference


def _stated_year(match: re.Match[str], reference: date | None) -> int | None:
    """The year the words name ("van 2027", "van dit jaar"), or None when they name none."""
    groups = match.groupdict()
    if groups.get("year"):
        return int(groups["year"])
    if groups.get("rel"):
        return _need(reference).year + (0 if groups["rel"].lower() == "dit" else 1)
    return None


def _next(match: re.Match[str], reference: date | None, interval: Callable[[int], Interval]):
    """The interval of the stated year, else of the first year whose interval has not ended on
    the document's date ("voor de zomer" written in November means next year's summer)."""
    year = _stated_year(match, reference)
    if year is not None:
        return interval(year)
    day = _need(reference)
    unknown: Unresolved | None = None
    for candidate in (day.year - 1, day.year, day.year + 1):
        try:
            found = interval(candidate)
        except Unresolved as why:  # that year's dates are not known: try the next
            unknown = unknown if candidate < day.year else (unknown or why)
            continue
        if found[1] is None or found[1] >= day:
            return found
    raise unknown or Unresolved("no period of that name ends after the document's date")


def _prep(match: re.Match[str]) -> str:
    """The preposition, lower case and without "uiterlijk" ("by the latest" changes nothing
    about the interval: "uiterlijk voor X" is "voor X")."""
    words = (match.groupdict().get("prep") or "").lower().replace("ó", "o").split()
    words = [w for w in words if w != "uiterlijk"]
    return " ".join(words)


def _year_end(day: date) -> date:
    return date(day.year, 12, 31)


def _apply(prep: str, first: date, last: date, note: str = "") -> Interval:
    """An interval for a period [first, last] by the preposition before it."""
    if prep == "voor":
        return None, first - timedelta(days=1), note
    if prep == "na":
        return last + timedelta(days=1), _year_end(last + timedelta(days=1)), note
    if prep == "rond":
        return cal.add_months(first, -1), cal.add_months(last, 1), note
    return first, last, note  # in, tijdens, in de loop van, or none


@cache
def _dateparser():
    import dateparser  # imported when first needed: it loads its language data

    return dateparser


def parse_date(words: str, reference: date | None) -> date:
    """A calendar date as written ("1 december 2026", "woensdag 20 november 2024", "15 maart"),
    read by dateparser (Dutch); without a year, the first such date after the reference date."""
    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "future",
        "REQUIRE_PARTS": ["day", "month"],
    }
    if not re.search(r"\d{4}", words):
        settings["RELATIVE_BASE"] = datetime.combine(_need(reference), datetime.min.time())
    parsed = _dateparser().parse(words, languages=["nl"], settings=settings)
    if parsed is None:
        raise Unresolved(f"dateparser reads no date in {words!r}")
    return parsed.date()


# -- the resolvers, one per form ---------------------------------------------------------------


def _explicit_date(match: re.Match[str], reference: date | None) -> Interval:
    day = parse_date(match["date"], reference)
    # "voor 1 december": at the latest on 30 November; "uiterlijk (op) 15 maart": on 15 March.
    return None, day - timedelta(days=1) if "voor" in _prep(match) else day, ""


def _summer(match: re.Match[str], reference: date | None) -> Interval:
    def interval(year: int) -> Interval:
        recess = cal.summer_recess(year)
        note = "" if recess.published else f"summer recess {year} estimated by the rule"
        if _prep(match) == "voor":
            return None, recess.first - timedelta(days=1), note
        if _prep(match) == "na":
            return recess.last + timedelta(days=1), date(year, 12, 31), note
        return recess.first, recess.last, note  # in / tijdens het zomerreces

    return _next(match, reference, interval)


def _recess(match: re.Match[str], reference: date | None) -> Interval:
    name = match["name"].lower() + "reces"

    def interval(year: int) -> Interval:
        found = cal.recess(name, year)
        if found is None:
            raise Unresolved(f"no published dates of the {name} of {year}")
        return _apply(_prep(match) if _prep(match) != "tijdens" else "in", found.first, found.last)

    return _next(match, reference, interval)


def _season(match: re.Match[str], reference: date | None) -> Interval:
    name, prep = match["season"].lower(), _prep(match)

    def interval(year: int) -> Interval:
        if prep in ("begin", "medio", "eind"):
            return (*cal.season_part(prep, name, year), "")
        return _apply(prep, *cal.season(name, year))

    return _next(match, reference, interval)


def _deictic_season(match: re.Match[str], reference: date | None) -> Interval:
    """ "dit voorjaar", "deze zomer" (the season of the parliamentary year), "komend najaar",
    "volgend voorjaar" (the next one that has not begun), with an optional preposition."""
    day = _need(reference)
    name, prep = match["season"].lower(), _prep(match)
    if match["deixis"].lower() in ("dit", "deze"):
        first, last = cal.season_of_parliamentary_year(name, day)
    else:
        year = day.year - 1
        while (found := cal.season(name, year))[0] <= day:
            year += 1
        first, last = found
    if name == "zomer" and prep in ("voor", "na"):
        recess = cal.summer_recess(first.year)
        note = "" if recess.published else f"summer recess {first.year} estimated by the rule"
        return _apply(prep, recess.first, recess.last, note)
    if prep in ("begin", "medio", "eind"):
        return (*cal.season_part(prep, name, first.year), "")
    return _apply(prep, first, last)


def _year_end_form(match: re.Match[str], reference: date | None) -> Interval:
    year = _stated_year(match, reference) or _need(reference).year
    if _prep(match) in ("voor", "tegen"):
        return None, date(year, 12, 31), ""
    return (*cal.year_part("eind", year), "")


def _year_part(match: re.Match[str], reference: date | None) -> Interval:
    part = {"midden": "medio", "half": "medio"}.get(match["part"].lower(), match["part"].lower())
    year = _stated_year(match, reference)
    assert year is not None  # the pattern requires a year or "dit/volgend jaar"
    return (*cal.year_part(part, year), "")


def _rest_of_year(match: re.Match[str], reference: date | None) -> Interval:
    year = _stated_year(match, reference)
    if year is None:  # "later dit jaar", "in de loop van het jaar"
        day = _need(reference)
        return day, date(day.year, 12, 31), ""
    return date(year, 1, 1), date(year, 12, 31), ""


def _this_year(match: re.Match[str], reference: date | None) -> Interval:
    year = _stated_year(match, reference)
    assert year is not None
    return _apply(_prep(match), date(year, 1, 1), date(year, 12, 31))


def _month(match: re.Match[str], reference: date | None) -> Interval:
    month = MONTH_NUMBER[match["month"].lower()]
    prep = {"half": "medio", "midden": "medio"}.get(_prep(match), _prep(match))

    def interval(year: int) -> Interval:
        if prep in ("begin", "medio", "eind"):
            return (*cal.month_part(prep, year, month), "")
        return _apply(prep, date(year, month, 1), cal.month_end(year, month))

    return _next(match, reference, interval)


def _quarter(match: re.Match[str], reference: date | None) -> Interval:
    number = int(match["q"]) if match["q"] else ORDINALS[match["ordinal"].lower()]
    prep = _prep(match)

    def interval(year: int) -> Interval:
        first, last = cal.quarter(number, year)
        if prep in ("begin", "eind"):
            month = first.month if prep == "begin" else last.month
            return date(year, month, 1), cal.month_end(year, month), ""
        return _apply(prep, first, last)

    return _next(match, reference, interval)


def _this_quarter(match: re.Match[str], reference: date | None) -> Interval:
    day = _need(reference)
    number = (day.month - 1) // 3 + 1 + (0 if match["rel"].lower() == "dit" else 1)
    year = day.year + (number - 1) // 4
    first, last = cal.quarter((number - 1) % 4 + 1, year)
    prep = _prep(match)
    if prep in ("begin", "eind"):
        month = first.month if prep == "begin" else last.month
        return date(year, month, 1), cal.month_end(year, month), ""
    return _apply(prep, first, last)


def _year(match: re.Match[str], reference: date | None) -> Interval:
    year = int(match["year"])
    if reference is not None and year < reference.year:
        raise Unresolved(f"{year} is before the document's date: a past event, not a deadline")
    prep = _prep(match)
    if prep == "na":
        raise Unresolved(f"'na {year}' gives no latest date")
    return _apply(prep, date(year, 1, 1), date(year, 12, 31))


UNITS = {"dag": 1, "dagen": 1, "week": 7, "weken": 7}


def _within(match: re.Match[str], reference: date | None) -> Interval:
    day = _need(reference)
    text = match["n"].lower()
    count = int(text) if text.isdigit() else NUMBERS[text]
    unit = match["unit"].lower()
    if unit in UNITS:
        return None, day + timedelta(days=count * UNITS[unit]), ""
    months = count * (12 if unit.startswith("jaar") else 1)
    return None, cal.add_months(day, months), ""


def _before_debate(match: re.Match[str], reference: date | None) -> Interval:
    found = re.search(DATE_WORDS, match["event"], re.IGNORECASE)
    if found is None:
        raise Unresolved(
            "the date of the debate is not stated; a register of debates would give it"
        )
    return None, parse_date(found.group(0), reference) - timedelta(days=1), ""


FORMS: tuple[Form, ...] = (
    Form(
        "explicit-date", DATED,
        _compile(rf"\b(?P<prep>uiterlijk\s+(?:op\s+|{VOOR}\s+)?|{VOOR}\s+)(?P<date>{DATE_WORDS})\b"),
        "A calendar date (read by dateparser; without a year, the first one after the document's "
        "date): 'voor 1 december' is due by 30 November, 'uiterlijk (op) 15 maart' by 15 March.",
        _explicit_date,
    ),
    Form(
        "summer-recess", DATED,
        _compile(rf"\b(?P<prep>(?:uiterlijk\s+)?{VOOR}|na|(?:in|tijdens)(?=\s+het\s+zomerreces))"
                 rf"\s+(?:de\s+zomer|het\s+zomerreces){OF_YEAR}"),
        "'voor de zomer' is due by the day before the summer recess of the Tweede Kamer, 'na de "
        "zomer' from the day after it to the end of that year (recess dates as the House "
        "published them, else the rule: from the Friday of ISO week 27, 59 days); without a "
        "year, the first such summer not over on the document's date.",
        _summer,
    ),
    Form(
        "recess", DATED,
        _compile(rf"\b(?P<prep>(?:uiterlijk\s+)?{VOOR}|na|in|tijdens)\s+het\s+"
                 rf"(?P<name>kerst|herfst|voorjaars|krokus|mei)reces{OF_YEAR}"),
        "Before, after or during another recess of the Tweede Kamer, by its published dates.",
        _recess,
    ),
    Form(
        "season", DATED,
        _compile(rf"\b(?P<prep>(?:uiterlijk\s+)?(?:{VOOR}|in|na|begin|medio|eind|rond)|in\s+de\s+"
                 rf"loop\s+van)\s+(?:het|de)\s+{SEASON}{OF_YEAR}"),
        "A meteorological season (KNMI: spring March-May, summer June-August, autumn "
        "September-November, winter December-February): 'in' the season, 'voor' it (by the day "
        "before), 'na' it (to the end of that year), 'begin/medio/eind' its first, middle or "
        "last month, 'rond' a month either side; without a year, the first not over.",
        _season,
    ),
    Form(
        "this-season", DATED,
        _compile(rf"\b(?:(?P<prep>(?:uiterlijk\s+)?(?:{VOOR}|in|na|begin|medio|eind))\s+)?"
                 rf"(?P<deixis>dit|deze|komend[e]?|aankomend[e]?|volgend[e]?)\s*{SEASON}\b"),
        "'dit voorjaar', 'deze zomer': the season within the parliamentary year of the "
        "document's date (it starts on the third Tuesday of September); 'komend' or 'volgend': "
        "the next one that has not begun.",
        _deictic_season,
    ),
    Form(
        "year-end", DATED,
        _compile(rf"\b(?P<prep>(?:uiterlijk\s+)?(?:{VOOR}|tegen)\s+)?(?:(?:aan\s+)?het\s+)?"
                 r"einde?\s+(?:van\s+)?(?:(?:het|dit)\s+jaar|(?P<rel>volgend)\s+jaar|"
                 r"(?P<year>(?:19|20)\d{2}))\b"),
        "'voor het einde van het jaar', 'voor eind 2025': due by 31 December; 'eind 2024' "
        "without 'voor': the last quarter of that year.",
        _year_end_form,
    ),
    Form(
        "year-part", DATED,
        _compile(r"\b(?P<part>begin|medio|midden|half)\s+(?:(?P<year>(?:19|20)\d{2})\b|"
                 r"(?P<rel>dit|volgend|komend)\s+jaar\b)"),
        "'begin 2025' is January-March, 'medio 2025' May-August (a choice: there is no official "
        "definition).",
        _year_part,
    ),
    Form(
        "rest-of-year", DATED,
        _compile(r"\b(?:later\s+dit\s+jaar|in\s+de\s+loop\s+van\s+(?:(?:het|dit)\s+jaar|"
                 r"(?P<rel>volgend)\s+jaar|(?P<year>(?:19|20)\d{2})\b))"),
        "'later dit jaar', 'in de loop van het jaar': from the document's date to 31 December; "
        "'in de loop van 2026': that year.",
        _rest_of_year,
    ),
    Form(
        "this-year", DATED,
        _compile(rf"\b(?:(?P<prep>{VOOR}|in|na)\s+)?(?P<rel>dit|volgend|komend)\s+jaar\b"),
        "'dit jaar', 'volgend jaar': that calendar year ('voor volgend jaar': by 31 December).",
        _this_year,
    ),
    Form(
        "month", DATED,
        _compile(rf"\b(?P<prep>(?:uiterlijk\s+)?(?:{VOOR}|in|na|begin|medio|eind|half|midden)|in\s+"
                 rf"de\s+loop\s+van)\s+(?P<month>{MONTH_PATTERN})(?:\s+(?:van\s+)?"
                 r"(?P<year>(?:19|20)\d{2})\b)?"),
        "A month: 'in maart', 'voor maart' (by the end of February), 'begin/medio/eind maart' "
        "days 1-10, 11-20, 21-end; without a year, the first such month not over.",
        _month,
    ),
    Form(
        "quarter", DATED,
        _compile(rf"\b(?P<prep>(?:uiterlijk\s+)?(?:{VOOR}|in|na)|begin|eind|in\s+de\s+loop\s+van)"
                 r"\s+(?:het\s+)?(?:(?P<ordinal>eerste|tweede|derde|vierde|laatste)\s+kwartaal|"
                 r"Q(?P<q>[1-4]))(?:\s+(?:van\s+)?(?:(?P<year>(?:19|20)\d{2})\b|"
                 r"(?P<rel>dit|volgend)\s+jaar\b))?"),
        "A calendar quarter ('in het vierde kwartaal', 'in Q3 2026'); without a year, the first "
        "not over.",
        _quarter,
    ),
    Form(
        "this-quarter", DATED,
        _compile(rf"\b(?:(?P<prep>{VOOR}|in|na|begin|eind)\s+)?(?P<rel>dit|volgend|komend)\s+"
                 r"kwartaal\b"),
        "'dit kwartaal', 'volgend kwartaal': the calendar quarter of the document's date, or the "
        "next.",
        _this_quarter,
    ),
    Form(
        "year", DATED,
        _compile(rf"\b(?P<prep>(?:uiterlijk\s+)?(?:{VOOR}|in|na)|in\s+de\s+loop\s+van)\s+"
                 r"(?P<year>(?:19|20)\d{2})\b"),
        "A year: 'in 2027' is that year, 'voor 2027' by 31 December 2026.",
        _year,
    ),
    Form(
        "within", DATED,
        _compile(rf"\b(?P<prep>binnen|over)\s+(?P<n>{NUMBER})\s+"
                 r"(?P<unit>dagen|dag|weken|week|maanden|maand|jaren|jaar)\b"),
        "'binnen drie weken': due by the document's date plus that many days, weeks, months or "
        "years.",
        _within,
    ),
    Form(
        "before-debate", DATED,
        _compile(rf"\b(?:uiterlijk\s+)?{VOOR}\s+(?:(?:de\s+)?aanvang\s+van\s+)?(?:het\s+vervolg\s+"
                 r"van\s+)?(?:de|het)\s+(?:(?:laatste|eerstvolgende)\s+)?(?P<event>(?:"
                 r"begrotingsbehandeling|behandeling\s+van\s+de\s+begroting|\w*debat)\b[^.;?]*)"),
        "Before a debate (the budget debate, a committee debate): due by the day before it when "
        "the words give its date; otherwise unresolved.",
        _before_debate,
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
        _compile(r"\b(?:zodra|nadat|op\s+het\s+moment\s+dat|na\s+(?:afronding|ontvangst|afloop)\s+"
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
    span = {"start": offset + match.start(), "end": offset + match.end()}
    if form.resolve is None:
        return Deadline(words, form.kind, form.name, **span)
    try:
        after, by, note = form.resolve(match, reference)
    except Unresolved as why:
        return Deadline(words, UNRESOLVED, form.name, note=str(why), **span)
    return Deadline(words, DATED, form.name, after, by, note, **span)


def read(timing: str, reference: date | None) -> Deadline:
    """A timing as written (what the commitment finder took from the sentence), resolved; a
    timing no form reads is ``unresolved`` with a note saying so."""
    found = find(timing, reference)
    if found is None:
        return Deadline(" ".join(timing.split()), UNRESOLVED, note="no form reads this timing")
    return found
