"""The Dutch parliamentary calendar, written down once: seasons, recesses, the parliamentary year,
quarters and parts of a year or month. ``kg.extract.deadlines`` reads a commitment's timing
("voor de zomer", "in het najaar van 2024", "eind 2025") with these conventions.

Each convention says where it comes from. Where there is no official definition (what "begin
2025" or "medio maart" covers) the choice is stated here and nowhere else, so that every date the
graph derives from such words can be traced to one line of this module.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from kg.sources.vergaderjaar import parliamentary_year

# -- seasons ----------------------------------------------------------------------------------

# Meteorological seasons, as the KNMI (the Royal Netherlands Meteorological Institute) counts
# them: whole months, spring March to May, summer June to August, autumn September to November,
# winter December to February (the winter "of" a year starts in December of that year). Chosen
# over the astronomical seasons (around the 21st) because a minister's "in het najaar" names
# months, not an equinox; "voor de zomer" and "na de zomer" are read by the summer recess
# instead (see SUMMER_RECESS below), as parliament and ministries use them.
SEASON_MONTHS = {
    "voorjaar": (3, 5),
    "lente": (3, 5),
    "zomer": (6, 8),
    "najaar": (9, 11),
    "herfst": (9, 11),
    "winter": (12, 2),
}


def season(name: str, year: int) -> tuple[date, date]:
    """First and last day of a season of ``year`` (winter: December ``year`` to February)."""
    first, last = SEASON_MONTHS[name]
    end_year = year + 1 if last < first else year
    return date(year, first, 1), month_end(end_year, last)


# -- recesses ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recess:
    first: date  # the first day without sittings (a Friday)
    last: date  # the last day (a Monday: the House meets again on the Tuesday)
    published: bool  # from the House's published list; False: estimated by the rule


# The recess periods the Tweede Kamer published (tweedekamer.nl, "Recessen",
# https://www.tweedekamer.nl/debat_en_vergadering/recessen, as listed there for 2023 and 2024).
PUBLISHED_RECESSES: dict[tuple[str, int], tuple[date, date]] = {
    ("meireces", 2023): (date(2023, 4, 21), date(2023, 5, 8)),
    ("zomerreces", 2023): (date(2023, 7, 7), date(2023, 9, 4)),
    ("herfstreces", 2023): (date(2023, 10, 13), date(2023, 10, 23)),
    ("kerstreces", 2023): (date(2023, 12, 22), date(2024, 1, 15)),
    ("voorjaarsreces", 2024): (date(2024, 2, 16), date(2024, 2, 26)),
    ("meireces", 2024): (date(2024, 4, 26), date(2024, 5, 13)),
    ("zomerreces", 2024): (date(2024, 7, 5), date(2024, 9, 2)),
}
RECESS_NAMES = ("zomerreces", "kerstreces", "herfstreces", "voorjaarsreces", "meireces")
# "krokusreces" is what people call the voorjaarsreces (in February, with the school holiday).
RECESS_ALIASES = {"krokusreces": "voorjaarsreces", "zomer": "zomerreces"}


def summer_recess(year: int) -> Recess:
    """The summer recess of ``year``: the published dates, else the rule they all follow.

    The rule: the recess starts on the Friday of ISO week 27 and its last day is the Monday
    eight weeks and three days later (the House meets again on the Tuesday). It gives the
    published 2023 (7 July - 4 September) and 2024 (5 July - 2 September) periods, and the
    summer recesses of 2018 (6 July - 3 September), 2019 (5 July - 2 September) and 2022
    (8 July - 5 September) as the press reported them.

    >>> summer_recess(2024)
    Recess(first=datetime.date(2024, 7, 5), last=datetime.date(2024, 9, 2), published=True)
    >>> summer_recess(2026)
    Recess(first=datetime.date(2026, 7, 3), last=datetime.date(2026, 8, 31), published=False)
    """
    published = PUBLISHED_RECESSES.get(("zomerreces", year))
    if published:
        return Recess(*published, published=True)
    first = date.fromisocalendar(year, 27, 5)
    return Recess(first, first + timedelta(days=59), published=False)


def recess(name: str, year: int) -> Recess | None:
    """A recess of ``year`` by its Dutch name; None when its dates are neither published nor
    given by a rule (only the summer recess has one)."""
    name = RECESS_ALIASES.get(name, name)
    if name == "zomerreces":
        return summer_recess(year)
    published = PUBLISHED_RECESSES.get((name, year))
    return Recess(*published, published=True) if published else None


# -- the parliamentary year (its opening and numbering: kg.sources.vergaderjaar) ----------------


def season_of_parliamentary_year(name: str, day: date) -> tuple[date, date]:
    """ "dit voorjaar", "deze zomer", "dit najaar" as ministers write them: the season within
    the parliamentary year of ``day``. In November 2024 (vergaderjaar 2024-2025) "dit voorjaar"
    is the spring of 2025 and "dit najaar" the autumn of 2024; a parliamentary year starts in
    September, so its autumn and winter begin in the year it began, its spring and summer in the
    next.

    >>> [str(d) for d in season_of_parliamentary_year("voorjaar", date(2024, 11, 14))]
    ['2025-03-01', '2025-05-31']
    """
    start = parliamentary_year(day)
    first, _ = SEASON_MONTHS[name]
    return season(name, start if first >= 9 else start + 1)


# -- quarters, parts of a year and of a month ----------------------------------------------------


def quarter(number: int, year: int) -> tuple[date, date]:
    first_month = 3 * (number - 1) + 1
    return date(year, first_month, 1), month_end(year, first_month + 2)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# What "begin", "medio" and "eind" of a year cover. No official definition exists; chosen here:
# the beginning is the first quarter, the end the last quarter (the months a register of
# commitments would file "eind 2025" under), the middle May to August (the months around 1 July).
YEAR_PARTS = {"begin": ((1, 1), (3, 31)), "medio": ((5, 1), (8, 31)), "eind": ((10, 1), (12, 31))}
# Of a month: the beginning is days 1-10, the middle 11-20, the end the 21st to its last day.
MONTH_PARTS = {"begin": (1, 10), "medio": (11, 20), "eind": (21, 31)}


def year_part(part: str, year: int) -> tuple[date, date]:
    (m1, d1), (m2, d2) = YEAR_PARTS[part]
    return date(year, m1, d1), date(year, m2, d2)


def month_part(part: str, year: int, month: int) -> tuple[date, date]:
    first, last = MONTH_PARTS[part]
    return date(year, month, first), min(date(year, month, 1) + timedelta(days=last - 1),
                                         month_end(year, month))  # fmt: skip


def season_part(part: str, name: str, year: int) -> tuple[date, date]:
    """The first, middle or last month of a season."""
    first, _ = season(name, year)
    months = [first.replace(day=1)]
    while len(months) < 3:
        previous = months[-1]
        months.append(date(previous.year + previous.month // 12, previous.month % 12 + 1, 1))
    chosen = months[{"begin": 0, "medio": 1, "eind": 2}[part]]
    return chosen, month_end(chosen.year, chosen.month)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day.

    >>> add_months(date(2024, 1, 31), 1), add_months(date(2024, 11, 14), 3)
    (datetime.date(2024, 2, 29), datetime.date(2025, 2, 14))
    """
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
