"""Names worth curating: they look like organisations or programmes, but no curated label covers
them. Reported with counts and passages, never silently dropped.

Searched in the cleaned running text of every question and answer (no page furniture, no
footnote markers). Three shapes count:

- capitalised multi-word names ("Algemene Rekenkamer", "Nationaal Agentschap voor Disruptieve
  Innovatie"), lower-case joining words ("voor", "van de") allowed inside, leading sentence
  starters ("Het", "Ook", "Daarnaast") dropped;
- abbreviations in capitals ("VNG", "NFIA");
- single words built on an organisation or programme word ("Groeifonds", "Algoritmeregister"
  is not one, "AI-Talentstrategie" is).

A single capitalised word alone is never a candidate, so sentence-initial words cannot flood
the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.reference import LabelIndex
from kg.sources.model import Document
from kg.sources.text import MONTH_PATTERN, passage

KEYWORDS = (
    "Agentschap|Fonds|Programma|Raad|Commissie|Autoriteit|Instituut|Act|Plan|Strategie|Agenda|"
    "Register|Coalitie|Centrum|Dienst|Toezichthouder|Inspectie|Taskforce|Alliantie|Pakket|"
    "Verordening|Fabriek|Netwerk"
)
# A capitalised word built on a keyword ("Groeifonds", "AI-Talentstrategie"), not the keyword
# alone ("Verordening" at the start of a sentence).
KEYWORD_WORD = re.compile(
    rf"\b(?!(?:{KEYWORDS})\b)[A-Z][\w]*-?\w*(?:{KEYWORDS}|{KEYWORDS.lower()})\b(?![\w-])"
)
CAPITAL_WORD = r"[A-Z][\w’'&-]*[\w]"
# Not "en": "Chapsvision en Mistral" are two names.
JOINER = r"(?:van|voor|de|der|het|op|in|tot|te|&)"
MULTI_WORD = re.compile(rf"\b{CAPITAL_WORD}(?:\s+(?:{JOINER}\s+){{0,2}}{CAPITAL_WORD})+")
ABBREVIATION = re.compile(r"\b[A-Z][A-Z0-9&]{1,7}s?\b")
STARTERS = {
    "De",
    "Het",
    "Een",
    "Deze",
    "Dit",
    "Dat",
    "Die",
    "Ook",
    "Zo",
    "In",
    "Op",
    "Met",
    "Voor",
    "Van",
    "Bij",
    "Als",
    "Daarnaast",
    "Daarom",
    "Tegelijkertijd",
    "Hierbij",
    "Wel",
    "Er",
    "Ik",
    "We",
    "Wij",
    "U",
    "Uw",
    "Hoe",
    "Wat",
    "Welke",
    "Waarom",
    "Bent",
    "Deelt",
    "Kunt",
    "Is",
    "Zijn",
    "Wordt",
    "Worden",
    "Gaat",
    "Ziet",
    "Heeft",
    "Hebben",
    "Om",
    "Na",
    "Tot",
    "Zoals",
    "Eerder",
    "Nu",
    "Dan",
    "Ja",
    "Nee",
    "Sinds",
    "Hoewel",
    "Doordat",
    "Omdat",
    "Vraag",
    "Antwoord",
    "Zie",
    "Gemeenten",
    "Kamerstuk",
    "Kamerstukken",
    "Binnen",
    "Onder",
    "Via",
    "Door",
    "Naast",
    "Tijdens",
    "Vanuit",
    "Over",
    "Uit",
    "Aan",
    "Per",
    "Mede",
    "Verder",
}
NOT_CANDIDATES = {
    "AI",
    "EU",
    "VS",
    "NL",
    "II",
    "III",
    "IV",
    "COM",
    "CELEX",
    "ICT",
    "OK",
    "Kamer",
    "Tweede Kamer",
}
POSTS = re.compile(r"^(?:Minister|Staatssecretaris|Minister-president|Kamerlid|Voorzitter)\b")
MONTHS = re.compile(rf"\b{MONTH_PATTERN}\b")


@dataclass
class Candidate:
    name: str
    count: int = 0
    passages: list[str] = field(default_factory=list)  # "answer 2: ... passage ..."


@dataclass
class RankedCandidate:
    """One uncurated name over the whole corpus."""

    name: str
    count: int = 0
    documents: list[str] = field(default_factory=list)  # identifiers, in corpus order
    passages: list[str] = field(default_factory=list)  # "DOC answer 2: ... passage ..."


def rank_candidates(
    per_document: list[tuple[str, list[Candidate]]], passages: int = 3
) -> list[RankedCandidate]:
    """The names of every document together, most frequent first (then named in the most
    documents, then by name), each with passages from the documents it occurs in."""
    ranked: dict[str, RankedCandidate] = {}
    for identifier, candidates in per_document:
        for candidate in candidates:
            entry = ranked.setdefault(candidate.name, RankedCandidate(candidate.name))
            entry.count += candidate.count
            entry.documents.append(identifier)
            room = passages - len(entry.passages)
            entry.passages += [f"{identifier} {p}" for p in candidate.passages[: max(room, 0)]]
    return sorted(ranked.values(), key=lambda c: (-c.count, -len(c.documents), c.name))


def _strip_starters(name: str) -> str:
    words = name.split()
    while words and (words[0] in STARTERS or re.fullmatch(JOINER, words[0])):
        words = words[1:]
    while words and re.fullmatch(JOINER, words[-1]):
        words = words[:-1]
    return " ".join(words)


def find_candidates(document: Document, index: LabelIndex, passages: int = 3) -> list[Candidate]:
    """Uncurated names, most frequent first."""
    found: dict[str, Candidate] = {}
    sections = [("question", q) for q in document.questions] + [
        ("answer", a) for a in document.answers
    ]
    for kind, section in sections:
        text = section.text
        curated = [(m.start, m.end) for m in index.find(text)]
        spans: list[tuple[int, int, str]] = []
        for pattern in (MULTI_WORD, ABBREVIATION, KEYWORD_WORD):
            for m in pattern.finditer(text):
                name = _strip_starters(m.group(0)) if pattern is MULTI_WORD else m.group(0)
                if pattern is MULTI_WORD and len(name.split()) < 2:
                    continue
                start = m.start() + m.group(0).find(name)
                spans.append((start, start + len(name), name))
        for start, end, name in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
            if not _worth_curating(name, index):
                continue
            if any(s <= start and end <= e for s, e in curated):
                continue  # covered by a curated label
            if any(
                s <= start and end <= e and (s, e) != (start, end)
                for s, e, _ in spans
                if _worth_curating(text[s:e], index)
            ):
                continue  # part of a longer candidate
            candidate = found.setdefault(name, Candidate(name))
            candidate.count += 1
            if len(candidate.passages) < passages:
                excerpt = passage(text, start, end, context=60, paragraph_break=None).one_line()
                candidate.passages.append(f"{kind} {section.number}: {excerpt}")
    return sorted(found.values(), key=lambda c: (-c.count, c.name))


# "AI-modellen", "EU-programma's": a common noun after an abbreviation, not a name.
GENERIC_TAIL = re.compile(
    r"(?:^|\s)[A-Z]{2,}-(?:programma|modellen|model|positie|bedrijven|toepassingen|capaciteiten|"
    r"beleid|sector|systemen|ontwikkelingen)(?:'s)?$"
)


def _worth_curating(name: str, index: LabelIndex) -> bool:
    if not name or name in NOT_CANDIDATES or name in STARTERS or GENERIC_TAIL.search(name):
        return False
    if POSTS.match(name) or MONTHS.search(name):
        return False
    if index.lookup(name) is not None:
        return False
    return not re.fullmatch(r"[A-Z]{1,2}\d*", name) or (
        len(name) >= 2 and name.isupper() and len(name) > 2
    )
