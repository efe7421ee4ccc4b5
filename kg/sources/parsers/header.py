"""The header of a Kamervragen document, in whatever form it was typed or extracted.

Three lines carry it, in every form (the published Aanhangsel, the ministry's .docx answer, a
notice of delay, questions not yet answered), possibly wrapped, glued at a lost line break
("Sportover zorg", "vanBuitenlandse Zaken") or with a bracket left open:

- the questions: "Vragen van het lid Beckerman (SP) aan de Minister van ... over ...
  (ingezonden 24 oktober 2024)"; askers may share a party ("Sneller, Bamenga (allen D66) en
  Gabriëls (GroenLinks-PvdA)"), the date may stand on a line of its own;
- the answer or notice: "Antwoord van Minister Bruins (Onderwijs, Cultuur en Wetenschap)
  (ontvangen 14 november 2024)", with variants: by post alone ("Antwoord van de Minister van
  ..."), two signers ("... en van Minister Hermans (...)"), co-signers ("mede namens de
  Ministers voor ... en van ..."), "Mededeling van ..." for a notice;
- "Zie ook Aanhangsel Handelingen, vergaderjaar 2024–2025, nr. 461" (earlier documents of the
  case).

Each part is read on its own, so one that cannot be read leaves the others: a header without
a readable signer still gives its askers and dates. What is missing is the parser's to note.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from kg.sources.model import Document, ParseNote, Span
from kg.sources.text import MONTH_NUMBER

DATE = re.compile(r"(\d{1,2})\s*([a-z]+)\s*(\d{4})")
TITLES = r"minister-president|ministers|minister|staatssecretarissen|staatssecretaris"
TITLE = re.compile(rf"(?i:{TITLES})\b")
QUESTIONS = re.compile(
    r"(?:Mondelinge\s+)?[Vv]ra(?:ag|gen)\s+van\s+(?:het|de)\s+(?:lid|leden)\s+(?:lid\s+)?(?P<rest>.+)",
    re.DOTALL,
)
SIGNED = re.compile(r"(?P<kind>Antwoord|Mededeling)\s+van\s+(?P<rest>.+)", re.DOTALL)
SUBMITTED = re.compile(r"\(\s*[Ii]ngezonden\s+(?P<date>[^()]*?)\s*(?:\)|$)")
RECEIVED = re.compile(r"\(\s*[Oo]ntvangen\s+(?P<date>[^()]*?)\s*(?:\)|$)")
SEE_ALSO = re.compile(r"Zie\s+ook\s+(?P<ref>.+?)(?=\s*(?:\.\s*$|\.?\s*Zie\s+ook\b|$))", re.DOTALL)
BEHALF = re.compile(r",?\s*mede\s*namens\s+(?P<posts>.+)$", re.DOTALL)
# Where the askers end and the addressees begin, and those end and the subject begins. A lost
# line break may glue "over" to the word before or after it ("Sportover zorg", "overde");
# no ministry's name holds the letters "over" in lower case.
TO = re.compile(r"\s+aan\s+(?=(?:de|het)\s|[A-Z])")
ABOUT = re.compile(r"(?:(?<=\s)|(?<=[a-zë\)]))over(?=\s|[a-zë«'‘\"(])")
# A party given once for several askers: "(beiden D66)", "(allen D66)".
SHARED_PARTY = re.compile(r"^(?:beiden|beide|allen|alle)\s+", re.IGNORECASE)
# Small words a lost line break glued to the next capitalised word: "enSport", "vanBuitenlandse".
GLUED_SMALL_WORD = re.compile(r"\b(en|van|voor|de|het)(?=[A-Z])")
NOTICE_ASKERS = re.compile(
    r"(?:[Vv]ragen\s+van|hebben)\s+(?:het\s+lid|de\s+leden)\s+(?P<askers>.+?)"
    r"(?=\s+(?:schriftelijke\s+vragen|vragen|over|aan|gesteld)\b)"
)
NOTICE_DATE = re.compile(r"\b[Oo]p\s+(?P<day>\d{1,2})\s+(?P<month>[a-z]+)(?:\s+(?P<year>\d{4}))?")
# Ministers without portfolio are "Minister voor ..."; every other post is "... van ...".
WITHOUT_PORTFOLIO = frozenset(
    {
        "Buitenlandse Handel en Ontwikkelingshulp",
        "Klimaat en Energie",
        "Primair en Voortgezet Onderwijs",
        "Langdurige Zorg en Sport",
        "Medische Zorg",
        "Medische Zorg en Sport",
        "Rechtsbescherming",
        "Natuur en Stikstof",
        "Armoedebeleid, Participatie en Pensioenen",
        "Volkshuisvesting en Ruimtelijke Ordening en Wonen",
        "Digitalisering",
        "Migratie",
    }
)


@dataclass(frozen=True)
class Signer:
    name: str | None  # "Bruins"; None when the header names only the post
    post: str  # "Minister van Onderwijs, Cultuur en Wetenschap"


@dataclass(frozen=True)
class Header:
    kind: str | None  # "Antwoord" or "Mededeling", when a signed line was found
    askers: tuple[tuple[str, str | None], ...] = ()
    addressees: tuple[str, ...] = ()
    subject: str | None = None
    submitted: date | None = None
    signers: tuple[Signer, ...] = ()
    behalf: tuple[str, ...] = ()  # "mede namens": posts, capitalised as curated
    received: date | None = None
    see_also: tuple[str, ...] = ()


def parse_date(text: str | None) -> date | None:
    """'14 november 2024' (also glued, '18 november2024'); None when there is no such date."""
    match = DATE.search(text or "")
    if not match or match.group(2) not in MONTH_NUMBER:
        return None
    try:
        return date(int(match.group(3)), MONTH_NUMBER[match.group(2)], int(match.group(1)))
    except ValueError:  # "31 november": not a date
        return None


def asked_in_statement(statement: str, received: date | None) -> tuple[tuple, date | None]:
    """Who asked and when, as a notice of delay says it in its own words: "Op 6 november jl.
    hebben de leden Gabriëls en Bromet (beiden GroenLinks-PvdA) schriftelijke vragen gesteld",
    "De vragen van het lid Flach (SGP) over ..."; a date without a year ("jl.": last) is the
    latest such date on or before ``received``."""
    statement = " ".join(statement.split())
    who = NOTICE_ASKERS.search(statement)
    when = NOTICE_DATE.search(statement)
    asked = None
    if when and received:
        year = int(when.group("year") or received.year)
        asked = parse_date(f"{when.group('day')} {when.group('month')} {year}")
        if asked and asked > received and not when.group("year"):
            asked = parse_date(f"{when.group('day')} {when.group('month')} {year - 1}")
    return (askers(who.group("askers")) if who else ()), asked


def read_header(text: str) -> Header:
    """Every part of the header that ``text`` (the header lines, in any order) holds."""
    text = " ".join(text.split())
    signed = SIGNED.search(text)
    questions = QUESTIONS.search(text, 0, signed.start() if signed else len(text))
    if questions is None and signed is not None:
        questions = QUESTIONS.search(text, signed.end())
    asked = _questions(questions.group("rest")) if questions else {}
    submitted = SUBMITTED.search(text)
    see_also = tuple(m.group("ref").strip() for m in SEE_ALSO.finditer(text))
    answered = _signed(signed.group("rest")) if signed else {}
    return Header(
        kind=signed.group("kind") if signed else None,
        submitted=parse_date(submitted.group("date")) if submitted else None,
        see_also=see_also,
        **asked,
        **answered,
    )


# -- the questions ---------------------------------------------------------------------------


def _questions(rest: str) -> dict:
    rest = SUBMITTED.split(rest, maxsplit=1)[0]
    rest = re.split(r"\s+(?:Antwoord|Mededeling)\s+van\s", rest, maxsplit=1)[0]
    to = TO.search(rest)
    if to is None:
        return {"askers": askers(rest)}
    named, addressed = rest[: to.start()], rest[to.end() :]
    about = ABOUT.search(addressed)
    addressees = addressed[: about.start()] if about else addressed
    subject = addressed[about.end() :].strip(" .") if about else None
    return {
        "askers": askers(named),
        "addressees": posts(addressees),
        "subject": subject or None,
    }


def askers(text: str) -> tuple[tuple[str, str | None], ...]:
    """'Sneller , Bamenga , Rooderkerk (allen D66) en Gabriëls (GroenLinks-PvdA)' as
    (name, party) pairs, a shared party given to each asker it follows."""
    askers: list[list] = []
    for piece in _top_level_split(text, (",", " en ")):
        match = re.fullmatch(r"(?P<name>[^()]*?)\s*(?:\((?P<party>[^()]*)\)?)?\s*", piece)
        if match is None or not match.group("name").strip():
            continue
        party = (match.group("party") or "").strip() or None
        if party and SHARED_PARTY.match(party):
            party = SHARED_PARTY.sub("", party)
            for earlier in reversed(askers):
                if earlier[1] is not None:
                    break
                earlier[1] = party
        askers.append([person_name(match.group("name")), party])
    return tuple((name, party) for name, party in askers)


def _top_level_split(text: str, separators: tuple[str, ...]) -> list[str]:
    """``text`` split at each separator that stands outside brackets."""
    pieces, depth, start, index = [], 0, 0, 0
    while index < len(text):
        char = text[index]
        depth += (char == "(") - (char == ")" and depth > 0)
        found = next((s for s in separators if depth == 0 and text.startswith(s, index)), None)
        if found:
            pieces.append(text[start:index])
            index += len(found)
            start = index
            continue
        index += 1
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def person_name(text: str) -> str:
    """A name as extracted text mangles it, mended: 'Kostic ´' (a spacing accent after the
    letter) is 'Kostić'; 'DaniëlleJansen' (a lost space) is 'Daniëlle Jansen'."""
    text = re.sub(r"(?<=\w)\s?[´\u02ca]", "\u0301", text.strip())
    text = re.sub(r"(?<=[a-zà-ÿ])(?=[A-Z][a-zà-ÿ])", " ", text)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def posts(text: str) -> tuple[str, ...]:
    """'de Ministers van Economische Zaken en van Klimaat en Groene Groei en de Staatssecretaris
    van Infrastructuur en Waterstaat' as one post each, titles capitalised as curated."""
    text = GLUED_SMALL_WORD.sub(r"\1 ", " ".join(text.split())).strip(" ,.")
    found: list[str] = []
    # Each title starts a group: "Ministers van A en van B", "Staatssecretaris van C".
    starts = [m.start() for m in re.finditer(rf"(?:(?:de|het)\s+)?(?i:{TITLES})\b", text)]
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=False):
        group = re.sub(r"^(?:de|het)\s+", "", text[begin:end]).strip(" ,")
        group = re.sub(r"\s+en\s*$|,\s*$", "", group)
        title = TITLE.match(group)
        if title is None:
            continue
        singular = _singular(title.group(0))
        tail = group[title.end() :].strip()
        if not tail:  # "de Minister en de Staatssecretaris van X": the next group's ministry
            found.append(singular)
            continue
        for ministry in re.split(r"\s*(?:,|\ben)\s+(?=(?:van|voor)\s)", tail):
            ministry = re.sub(r"^(?:van|voor)\s+", "", ministry).strip(" ,")
            if ministry:
                found.append(post(singular, ministry))
    # A bare title takes the ministry of the post that follows it.
    for index, item in enumerate(found):
        if " " not in item and index + 1 < len(found) and " " in found[index + 1]:
            found[index] = item + found[index + 1][found[index + 1].index(" ") :]
    return tuple(dict.fromkeys(found))


def _singular(title: str) -> str:
    word = title.lower()
    word = {"ministers": "minister", "staatssecretarissen": "staatssecretaris"}.get(word, word)
    return word[0].upper() + word[1:]


def post(title: str, ministry: str) -> str:
    """'Minister van Justitie en Veiligheid', 'Minister voor Buitenlandse Handel en
    Ontwikkelingshulp': the preposition the post really has."""
    ministry = " ".join(ministry.split())
    preposition = "voor" if ministry in WITHOUT_PORTFOLIO and title == "Minister" else "van"
    return f"{title} {preposition} {ministry}"


# -- the answer or notice -------------------------------------------------------------------


def _signed(rest: str) -> dict:
    rest = re.split(r"\s+Zie\s+ook\s", rest, maxsplit=1)[0]
    rest = re.split(r"\s+(?:Vraag|Vragen)\s+(?:\d|van\b)", rest, maxsplit=1)[0]
    received = RECEIVED.search(rest)
    if received:
        rest = rest[: received.start()] + rest[received.end() :]
    behalf = BEHALF.search(rest)
    if behalf:
        rest = rest[: behalf.start()]
    signers = tuple(
        s for piece in re.split(r"\s+en\s+(?:antwoord\s+)?van\s+", rest) if (s := _signer(piece))
    )
    return {
        "signers": signers,
        "behalf": posts(behalf.group("posts")) if behalf else (),
        "received": parse_date(received.group("date")) if received else None,
    }


def _signer(piece: str) -> Signer | None:
    """'Minister Bruins (Onderwijs, Cultuur en Wetenschap' (the bracket may be left open) or,
    without a name, 'de Minister van Economische Zaken en Klimaat'."""
    piece = re.sub(r"^(?:de|het)\s+", "", piece.strip(" ,."))
    title = TITLE.match(piece)
    if title is None:
        return None
    singular = _singular(title.group(0))
    after = piece[title.end() :].strip()
    named = re.fullmatch(r"(?P<name>[^()]+?)\s*\((?P<ministry>[^()]*?)\s*\)?\s*", after)
    if named:
        return Signer(person_name(named.group("name")), post(singular, named.group("ministry")))
    by_post = re.fullmatch(r"(?P<preposition>van|voor)\s+(?P<ministry>[^()]+?)\s*", after)
    if by_post:
        ministry = GLUED_SMALL_WORD.sub(r"\1 ", by_post.group("ministry"))
        return Signer(None, f"{singular} {by_post.group('preposition')} {ministry}")
    if not after:
        return Signer(None, singular)
    return None


def header_notes(document: Document, text: str, header: Span) -> list[ParseNote]:
    """What a reader of the header misses (who signs, when it was received or asked) and what
    was mended to read it (a bracket left open), as notes on the header's span."""
    letter, line = document.letter, text.count("\n", 0, header.start) + 1
    kind = document.kind
    missing = [
        what
        for what, lacking in (
            (
                "who signs it (no readable 'Antwoord van' or 'Mededeling van' line)",
                kind != "questions" and letter.sender_post is None,
            ),
            ("the date it was received", kind != "questions" and letter.received is None),
            (
                "who asked the questions and when",
                kind == "questions" and letter.submitted is None and not letter.askers,
            ),
        )
        if lacking
    ]
    notes = [
        ParseNote("incomplete-header", line, f"the header does not say {what}", header)
        for what in missing
    ]
    words = text[header.start : header.end]
    if words.count("(") != words.count(")"):
        notes.append(
            ParseNote(
                "unbalanced-bracket",
                line,
                f"the header opens {words.count('(')} bracket(s) and closes {words.count(')')}; "
                "it was read as if each were closed where the next part begins",
                header,
            )
        )
    return notes
