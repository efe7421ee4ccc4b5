"""References from one answer to the answer on another question, in every form they are written.

"zie ook het antwoord op vraag 4", "Zie de antwoorden op de vragen 2 en 3", "het antwoord op
de vragen 2, 3 en 5", "zoals aangegeven in het antwoord op vraag 2", "de beantwoording van
vraag 9", "het antwoord bij vraag 6", "het antwoord onder vraag 2", "zie antwoord 3", "het
antwoord op vraag 2 en vraag 3".
"""

from __future__ import annotations

import re

# Question numbers have at most three digits: "vraag 12, 2023" refers to question 12 only. A
# list may repeat the word: "vraag 2 en vraag 3".
NUMBER = r"\d{1,3}(?!\d)"
NUMBERS = rf"{NUMBER}(?:\s*(?:,|\ben\b|t/m|tot en met|-|–)\s*(?:vra(?:ag|gen)\s+)?{NUMBER})*"
CROSS_REFERENCE = re.compile(
    r"(?:\b(?:antwoord(?:en)?|beantwoording)\s+(?:op|van|bij|onder)\s+(?:de\s+|uw\s+)?"
    r"vra(?:ag|gen)\s+"
    rf"(?P<numbers>{NUMBERS})"
    rf"|\bzie\s+(?:ook\s+)?(?:het\s+|de\s+)?antwoord(?:en)?\s+(?P<bare>{NUMBERS}))",
    re.IGNORECASE,
)


def numbers_in(raw: str) -> tuple[int, ...]:
    """'4 en 5' -> (4, 5); '4, 5 en 6' -> (4, 5, 6); '4 t/m 6' and '4-6' -> (4, 5, 6)."""
    numbers: list[int] = []
    raw = re.sub(r"\btot en met\b", "t/m", raw.strip())  # its "en" is not a list's "en"
    raw = re.sub(r"\bvra(?:ag|gen)\s+", "", raw, flags=re.IGNORECASE)
    for part in re.split(r"\s*(?:,|\ben\b)\s*", raw):
        span = re.match(r"(\d+)\s*(?:t/m|-|–)\s*(\d+)$", part)
        if span:
            numbers.extend(range(int(span.group(1)), int(span.group(2)) + 1))
        elif part:
            numbers.append(int(part))
    return tuple(numbers)


def targets(match: re.Match[str]) -> tuple[int, ...]:
    """The question numbers a CROSS_REFERENCE match refers to."""
    return numbers_in(match.group("numbers") or match.group("bare"))
