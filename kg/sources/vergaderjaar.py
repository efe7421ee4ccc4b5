"""The parliamentary year (vergaderjaar), stated once: sources name documents by it
("ah-tk-20242025-512") and the extraction of commitments reads "dit voorjaar" within it."""

from __future__ import annotations

from datetime import date, timedelta


def prinsjesdag(year: int) -> date:
    """The third Tuesday of September: the opening of the parliamentary year (Grondwet, article
    65: the speech from the throne "op de derde dinsdag van september"), after which the House's
    new vergaderjaar runs until the next one.

    >>> prinsjesdag(2024)
    datetime.date(2024, 9, 17)
    """
    first = date(year, 9, 1)
    first_tuesday = first + timedelta(days=(1 - first.weekday()) % 7)
    return first_tuesday + timedelta(days=14)


def parliamentary_year(day: date) -> int:
    """The calendar year in which the parliamentary year holding ``day`` began ("vergaderjaar
    2024-2025" is 2024): a day before Prinsjesdag belongs to the year that began the September
    before.

    >>> parliamentary_year(date(2024, 9, 16)), parliamentary_year(date(2024, 9, 17))
    (2023, 2024)
    """
    return day.year if day >= prinsjesdag(day.year) else day.year - 1


def vergaderjaar_code(day: date) -> str:
    """The parliamentary year holding ``day`` as identifiers write it.

    >>> vergaderjaar_code(date(2024, 11, 14))
    '20242025'
    """
    first = parliamentary_year(day)
    return f"{first}{first + 1}"
