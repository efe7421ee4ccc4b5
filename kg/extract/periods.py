"""The resolvers of the timing forms of :mod:`kg.extract.deadlines`: from the words a form
matched and the document's date to an interval (due after, due by, a note), by the conventions
of :mod:`kg.extract.calendar_nl`. A form that matched but cannot be given dates raises
:class:`Unresolved` with the reason."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from kg.extract import calendar_nl as cal
from kg.sources.text import MONTH_NUMBER, MONTH_PATTERN

WEEKDAY = r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)"
NUMBERS = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
    "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12,
}  # fmt: skip
DATE_WORDS = rf"(?:{WEEKDAY}\s+)?\d{{1,2}}\s+{MONTH_PATTERN}(?:\s+(?:19|20)\d{{2}})?"
ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "laatste": 4}


class Unresolved(Exception):
    """A form matched but its dates cannot be given: the message says why."""


Interval = tuple[date | None, date | None, str]  # due after, due by, note


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
    settings: dict[str, Any] = {  # dateparser's settings: strings, lists, a datetime
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


def explicit_date(match: re.Match[str], reference: date | None) -> Interval:
    day = parse_date(match["date"], reference)
    # "voor 1 december": at the latest on 30 November; "uiterlijk (op) 15 maart": on 15 March.
    return None, day - timedelta(days=1) if "voor" in _prep(match) else day, ""


def summer(match: re.Match[str], reference: date | None) -> Interval:
    def interval(year: int) -> Interval:
        recess = cal.summer_recess(year)
        note = "" if recess.published else f"summer recess {year} estimated by the rule"
        if _prep(match) == "voor":
            return None, recess.first - timedelta(days=1), note
        if _prep(match) == "na":
            return recess.last + timedelta(days=1), date(year, 12, 31), note
        return recess.first, recess.last, note  # in / tijdens het zomerreces

    return _next(match, reference, interval)


def recess(match: re.Match[str], reference: date | None) -> Interval:
    name = match["name"].lower() + "reces"

    def interval(year: int) -> Interval:
        found = cal.recess(name, year)
        if found is None:
            raise Unresolved(f"no published dates of the {name} of {year}")
        return _apply(_prep(match) if _prep(match) != "tijdens" else "in", found.first, found.last)

    return _next(match, reference, interval)


def season(match: re.Match[str], reference: date | None) -> Interval:
    name, prep = match["season"].lower(), _prep(match)

    def interval(year: int) -> Interval:
        if prep in ("begin", "medio", "eind"):
            return (*cal.season_part(prep, name, year), "")
        return _apply(prep, *cal.season(name, year))

    return _next(match, reference, interval)


def deictic_season(match: re.Match[str], reference: date | None) -> Interval:
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


def year_end(match: re.Match[str], reference: date | None) -> Interval:
    year = _stated_year(match, reference) or _need(reference).year
    if _prep(match) in ("voor", "tegen"):
        return None, date(year, 12, 31), ""
    return (*cal.year_part("eind", year), "")


def year_part(match: re.Match[str], reference: date | None) -> Interval:
    part = {"midden": "medio", "half": "medio"}.get(match["part"].lower(), match["part"].lower())
    year = _stated_year(match, reference)
    assert year is not None  # the pattern requires a year or "dit/volgend jaar"
    return (*cal.year_part(part, year), "")


def rest_of_year(match: re.Match[str], reference: date | None) -> Interval:
    year = _stated_year(match, reference)
    if year is None:  # "later dit jaar", "in de loop van het jaar"
        day = _need(reference)
        return day, date(day.year, 12, 31), ""
    return date(year, 1, 1), date(year, 12, 31), ""


def this_year(match: re.Match[str], reference: date | None) -> Interval:
    year = _stated_year(match, reference)
    assert year is not None
    return _apply(_prep(match), date(year, 1, 1), date(year, 12, 31))


def month(match: re.Match[str], reference: date | None) -> Interval:
    month = MONTH_NUMBER[match["month"].lower()]
    prep = {"half": "medio", "midden": "medio"}.get(_prep(match), _prep(match))

    def interval(year: int) -> Interval:
        if prep in ("begin", "medio", "eind"):
            return (*cal.month_part(prep, year, month), "")
        return _apply(prep, date(year, month, 1), cal.month_end(year, month))

    return _next(match, reference, interval)


def quarter(match: re.Match[str], reference: date | None) -> Interval:
    number = int(match["q"]) if match["q"] else ORDINALS[match["ordinal"].lower()]
    prep = _prep(match)

    def interval(year: int) -> Interval:
        first, last = cal.quarter(number, year)
        if prep in ("begin", "eind"):
            month = first.month if prep == "begin" else last.month
            return date(year, month, 1), cal.month_end(year, month), ""
        return _apply(prep, first, last)

    return _next(match, reference, interval)


def this_quarter(match: re.Match[str], reference: date | None) -> Interval:
    day = _need(reference)
    number = (day.month - 1) // 3 + 1 + (0 if match["rel"].lower() == "dit" else 1)
    year = day.year + (number - 1) // 4
    first, last = cal.quarter((number - 1) % 4 + 1, year)
    prep = _prep(match)
    if prep in ("begin", "eind"):
        month = first.month if prep == "begin" else last.month
        return date(year, month, 1), cal.month_end(year, month), ""
    return _apply(prep, first, last)


def year(match: re.Match[str], reference: date | None) -> Interval:
    year = int(match["year"])
    if reference is not None and year < reference.year:
        raise Unresolved(f"{year} is before the document's date: a past event, not a deadline")
    prep = _prep(match)
    if prep == "na":
        raise Unresolved(f"'na {year}' gives no latest date")
    return _apply(prep, date(year, 1, 1), date(year, 12, 31))


UNITS = {"dag": 1, "dagen": 1, "week": 7, "weken": 7}


def within(match: re.Match[str], reference: date | None) -> Interval:
    day = _need(reference)
    text = match["n"].lower()
    count = int(text) if text.isdigit() else NUMBERS[text]
    unit = match["unit"].lower()
    if unit in UNITS:
        return None, day + timedelta(days=count * UNITS[unit]), ""
    months = count * (12 if unit.startswith("jaar") else 1)
    return None, cal.add_months(day, months), ""


def before_debate(match: re.Match[str], reference: date | None) -> Interval:
    found = re.search(DATE_WORDS, match["event"], re.IGNORECASE)
    if found is None:
        raise Unresolved(
            "the date of the debate is not stated; a register of debates would give it"
        )
    return None, parse_date(found.group(0), reference) - timedelta(days=1), ""


def recurring(match: re.Match[str], reference: date | None) -> Interval:
    raise Unresolved(f"a recurring commitment ({match.group(0)}): no single due date")


def next_report(match: re.Match[str], reference: date | None) -> Interval:
    raise Unresolved(f"due with the next {match['report']}, whose date the words do not give")
