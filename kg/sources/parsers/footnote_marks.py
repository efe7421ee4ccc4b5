"""How a footnote's number is written in text converted from a PDF: each converter renders the
superscript its own way.

Plain ("beleid3"), bracketed ("[3 ]", "[3]"), markdown ("[^3]"), HTML ("<sup>3</sup>"),
pandoc ("^3^") or Unicode superscript digits ("³"), in the running text (the marker) and at
the start of the footnote's body ("3 Kamerstuk ...", "[3 ] Kamerstuk ...", "³ Kamerstuk ...").
"""

from __future__ import annotations

import re

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
TO_DIGITS = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
# The number at the start of a footnote's body, in one of the groups b, s, c, u or p.
BODY_NUMBER = (
    r"(?:\[[ \t]*(?P<b>\d{1,3})[ \t]*\]|<sup>[ \t]*(?P<s>\d{1,3})[ \t]*</sup>|\^(?P<c>\d{1,3})\^"
    rf"|(?P<u>[{SUPERSCRIPT_DIGITS}]{{1,3}})|(?P<p>\d{{1,3}}))"
)
# A marker ending a paragraph: "toegang.[4 ]", "toegang.4", "toegang.<sup>4</sup>", "toegang.⁴",
# or alone on the next line.
TRAILING_MARKER = re.compile(
    r"(?:\[\^?\d{1,3}\s*\]|<sup>\s*\d{1,3}\s*</sup>|\^\d{1,3}\^"
    rf"|[{SUPERSCRIPT_DIGITS}]{{1,3}}|(?<=[.?!»”\"])\s*\d{{1,3}})$"
)
# A superscript ordinal: "11[e ]", "11^e^", "11<sup>e</sup>" are "11e".
ORDINAL = re.compile(r"(?<=\d)(?:\[(e|ste|de|er)\s*\]|\^(e|ste|de|er)\^|<sup>(e|ste|de|er)</sup>)")


def body_number(match: re.Match[str]) -> int:
    """The number of a match of a pattern holding ``BODY_NUMBER``."""
    for group in "bscp":
        if match.group(group):
            return int(match.group(group))
    return int(match.group("u").translate(TO_DIGITS))


def superscript(number: int) -> str:
    """The number in superscript digits, as some converters write a footnote's marker.

    >>> superscript(12)
    '¹²'
    """
    return str(number).translate(str.maketrans("0123456789", SUPERSCRIPT_DIGITS))


def marker_pattern(number: int) -> re.Pattern[str]:
    """A footnote marker with group 1 the marker itself: glued to a word ("beleid3",
    "AI-Act.3", not the decimal of "1,6"), bracketed ("[3 ]", "[3]"), markdown ("[^3]", not its definition "[^3]:"),
    HTML or pandoc superscript ("<sup>3</sup>", "^3^") or superscript digits ("³")."""
    n, sup = str(number), superscript(number)
    return re.compile(
        rf"(?:(?<=[^\s\d\[\^(/#-])(?<!\d[,.])(?={n}(?:[\s.,;:)!?]|$))|(?=\[\s*{n}\s*\])|(?=\[\^{n}\](?!:))"
        rf"|(?=<sup>\s*{n}\s*</sup>)|(?=\^{n}\^)|(?<![{SUPERSCRIPT_DIGITS}])(?={sup}(?![{SUPERSCRIPT_DIGITS}])))"
        rf"(\[\^{n}\]|\[\s*{n}\s*\]|<sup>\s*{n}\s*</sup>|\^{n}\^|{sup}|{n})",
        re.MULTILINE,
    )


def ordinals(text: str) -> str:
    """Superscript ordinals written out plainly.

    >>> ordinals("het 11[e ] sanctiepakket en de 2^de^ ronde")
    'het 11e sanctiepakket en de 2de ronde'
    """
    return ORDINAL.sub(lambda m: next(g for g in m.groups() if g), text)
