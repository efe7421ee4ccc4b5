"""Curated reference data and the ontology: loading them, and the label index used for linking."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, ORG, RDF, RDFS, SKOS

from kg.errors import ReferenceDataError
from kg.rdf.namespaces import AIP
from kg.rdf.turtle import TurtleSyntaxError, read_turtle

# The kinds a mention can have, by the class of the entity it names (first match wins).
KIND_BY_CLASS: tuple[tuple[URIRef, str], ...] = (
    (AIP.NationalInstrument, "instrument"),
    (AIP.EUInitiative, "eu"),
    (AIP.InternationalInstrument, "international"),
    (ORG.Organization, "organisation"),
    (ORG.FormalOrganization, "organisation"),
    (ORG.OrganizationalUnit, "organisation"),
    (AIP.PoliticalParty, "organisation"),
    (FOAF.Person, "person"),
)
LINKABLE_CLASSES = {
    *(cls for cls, _ in KIND_BY_CLASS),
    AIP.AIModel,
    AIP.PolicyEvent,
    AIP.CitedDocument,
    AIP.Motion,
    ORG.Post,
}
LABEL_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, RDFS.label)
# A name that is also an ordinary word in lower case ("de Rechtspraak", "rechtspraak"): curated
# under aip:caseSensitiveLabel, it matches only as written, whatever its length.
CASE_SENSITIVE_LABEL = AIP.caseSensitiveLabel


def load_turtle_files(paths: Iterable[Path], error: type[Exception] = ReferenceDataError) -> Graph:
    """Parse Turtle files into one graph; a syntax error names the file and line."""
    try:
        return read_turtle(paths)
    except TurtleSyntaxError as err:
        raise error(f"{err.where}: not valid Turtle: {err.why}") from None


def turtle_files(folder: Path) -> list[Path]:
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise ReferenceDataError(f"{folder}: no .ttl files found")
    return files


@dataclass(frozen=True)
class Entity:
    iri: URIRef
    kind: str  # instrument, eu, organisation, person or other
    label_nl: str | None
    label_en: str | None


@dataclass(frozen=True, slots=True)  # many of them in a long text: no per-object dict
class LabelMatch:
    entity: URIRef
    start: int
    end: int


class LabelIndex:
    """Every curated label and alternative name, compiled for finding them in running text.

    Long labels match case-insensitively (sentence-initial capitals, "ministeriële Taskforce");
    short ones, abbreviations and the curated case-sensitive labels only as written, so "NII"
    never matches inside a word and "Rechtspraak" not the common noun. Any run of whitespace in
    the text matches the single space between a label's words.

    Matching is one pass of an Aho-Corasick automaton (pyahocorasick) over the text, with
    whitespace runs collapsed and, for the case-insensitive labels, lower-cased; offsets are
    mapped back to the text. Its cost grows with the length of the text and the number of
    matches, never with matches times matches.
    """

    def __init__(
        self,
        entities: dict[URIRef, Entity],
        labels: dict[str, URIRef],
        case_sensitive: frozenset[str] = frozenset(),
    ) -> None:
        self.entities = entities
        self.labels = labels
        self._by_folded = {_fold(label): iri for label, iri in labels.items()}

        def insensitive(label: str) -> bool:
            return label not in case_sensitive and _case_insensitive(label)

        # Each label as written and with a space at each lower-to-upper case change, as the
        # text is searched ("EuropeseCommissie" is searched as "Europese Commissie", so
        # "GroenLinks" must be found as "Groen Links").
        self._sensitive = _automaton(
            {
                key: iri
                for label, iri in labels.items()
                if not insensitive(label)
                for key in _keys(label)
            }
        )
        self._insensitive = _automaton(
            {
                key.lower(): self._by_folded[_fold(label)]
                for label in labels
                if insensitive(label)
                for key in _keys(label)
            }
        )

    @classmethod
    def from_graph(cls, graph: Graph) -> LabelIndex:
        entities: dict[URIRef, Entity] = {}
        labels: dict[str, URIRef] = {}
        case_sensitive: set[str] = set()
        typed = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
        for subject in sorted(typed):
            types = set(graph.objects(subject, RDF.type))
            if not types & LINKABLE_CLASSES:
                continue
            kind = next((k for cls, k in KIND_BY_CLASS if cls in types), "other")
            entities[subject] = Entity(
                subject, kind, _label(graph, subject, "nl"), _label(graph, subject, "en")
            )
            for prop in (*LABEL_PROPERTIES, CASE_SENSITIVE_LABEL):
                for value in graph.objects(subject, prop):
                    text = " ".join(str(value).split())
                    if prop == CASE_SENSITIVE_LABEL:
                        case_sensitive.add(text)
                    other = labels.get(text)
                    if other is not None and other != subject:
                        raise ReferenceDataError(
                            f"label {text!r} names both <{other}> and <{subject}>; "
                            "a label must name one entity"
                        )
                    labels[text] = subject
        return cls(entities, labels, frozenset(case_sensitive))

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[LabelMatch]:
        """All label occurrences in text[start:end], longest first at each position.

        A match inside a longer match of the same entity is dropped ("Mythos" in "Mythos 5"),
        and so is one that starts where a longer match of another entity starts ("Unie" in
        "Unie van Waterschappen"); a match further inside a longer match of another entity is
        kept (the members named inside the name of a motion), as Web Annotation allows
        overlapping targets. A one-word name that ends a longer uncurated proper name is no
        mention of its entity ("Politie" in "Inzetkader Gezichtsherkenningstechnologie
        Politie"): the longer name is a candidate for curation instead.
        """
        end = len(text) if end is None else end
        matches: list[LabelMatch] = []
        # Paragraph-aligned pieces of about 64 KB, one after the other: the work per match
        # then stays the same however long the text (a label never spans a blank line).
        for piece_start, piece_end in _pieces(text, start, end):
            matches.extend(self._find_in(text, piece_start, piece_end))
        return [
            m
            for m in _outermost_per_entity(matches)
            if not (_tail_of_a_name(text, m) or _inside_a_capitalised_word(text, m))
        ]

    def _find_in(self, text: str, start: int, end: int) -> list[LabelMatch]:
        view = _SpacedText(text, start, end)
        # The longest label at each start position wins, whichever automaton found it: a short
        # label that only begins a longer name ("Unie" of the EU in "Unie van Waterschappen")
        # is not a mention. Case-sensitive labels first: at the same span they win, as they
        # are more specific.
        found: dict[int, tuple[int, URIRef]] = {}
        for automaton, haystack in ((self._sensitive, view.text), (self._insensitive, view.lower)):
            for span, iri in _longest_per_start(automaton, haystack, view.text):
                s, e = view.original(span)
                if s not in found or found[s][0] < e:
                    found[s] = (e, iri)
        return sorted(
            (LabelMatch(iri, s, e) for s, (e, iri) in found.items()),
            key=lambda m: (m.start, -(m.end - m.start)),
        )

    def lookup(self, label: str) -> URIRef | None:
        return self._by_folded.get(_fold(label))

    def kind(self, iri: URIRef) -> str:
        entity = self.entities.get(iri)
        return entity.kind if entity else "other"


PIECE = 1 << 16
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _pieces(text: str, start: int, end: int):
    """[start, end) cut after blank lines into pieces of at least PIECE characters."""
    while end - start > PIECE:
        cut = _PARAGRAPH_BREAK.search(text, start + PIECE, end)
        if cut is None:
            break
        yield start, cut.end()
        start = cut.end()
    yield start, end


def _spaced(label: str) -> str:
    return " ".join(label.split())


def _keys(label: str) -> set[str]:
    spaced = _spaced(label)
    return {spaced, GLUED.sub(" ", spaced)}


def _automaton(keys: dict[str, URIRef]):
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for key, iri in keys.items():
        automaton.add_word(key, (len(key), iri))
    if len(automaton):
        automaton.make_automaton()
    return automaton


class _SpacedText:
    """text[start:end] with every whitespace run as one space and a space where a lower-case
    letter runs into a capital (PDF text glues words where a line ended: "vanVWS",
    "EuropeseCommissie"), a lower-cased twin, and the way back from its offsets to the
    text's: a span always maps to the exact characters of the text."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.source, self.start, self.end = text, start, end
        chunk = text[start:end]
        # Runs of two or more whitespace characters shrink to one; keep where, to map back.
        self.shifts: list[tuple[int, int]] = []  # (offset in the spaced text, removed so far)
        pieces, cursor, removed = [], 0, 0
        for event in _SPACE_EVENT.finditer(chunk):
            pieces.append(chunk[cursor : event.start()])
            pieces.append(" ")
            key = event.start() - removed + 1  # spaced offsets from here on lie after it
            # A run of spaces shrinks to one; between glued words a space is put (-1 removed).
            removed += len(event.group(0)) - 1
            self.shifts.append((key, removed))
            cursor = event.end()
        pieces.append(chunk[cursor:])
        self.text = _OTHER_SPACE.sub(" ", "".join(pieces))
        lowered = self.text.lower()
        # Lower-casing that changes the length (a rare letter such as "İ") is done letter by
        # letter, so that offsets stay the same in both.
        self.lower = (
            lowered
            if len(lowered) == len(self.text)
            else "".join(c.lower() if len(c.lower()) == 1 else c for c in self.text)
        )
        self._keys = [offset for offset, _ in self.shifts]

    def _to_source(self, offset: int) -> int:
        index = bisect_right(self._keys, offset) - 1
        return self.start + offset + (self.shifts[index][1] if index >= 0 else 0)

    def original(self, span: tuple[int, int]) -> tuple[int, int]:
        return self._to_source(span[0]), self._to_source(span[1] - 1) + 1


# Where a lower-case letter runs into a capital: a space is searched there.
GLUED = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])")
_SPACE_EVENT = re.compile(r"\s{2,}|" + GLUED.pattern)
_OTHER_SPACE = re.compile(r"[^\S ]")  # a newline, tab, no-break space ... alone


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _longest_per_start(automaton, haystack: str, cased: str):
    """(span, entity) of the longest label at each start position whose edges are word
    edges, in the spaced text (``cased``: the same text in its own case)."""
    if not len(automaton):
        return
    longest: dict[int, tuple[int, URIRef]] = {}
    for last, (length, iri) in automaton.iter(haystack):
        start, end = last - length + 1, last + 1
        if not (_word_edges(haystack, start, end) or _glued_abbreviation(cased, start, end)):
            continue
        if start not in longest or longest[start][0] < end:
            longest[start] = (end, iri)
    for start, (end, iri) in longest.items():
        yield (start, end), iri


def _word_edges(haystack: str, start: int, end: int) -> bool:
    before = haystack[start - 1] if start > 0 else " "
    after = haystack[end] if end < len(haystack) else " "
    return not (_word(before) or before == "-") and not _word(after)


# Two or more capitalised words ("Inzetkader Gezichtsherkenningstechnologie", not "XNII")
# right before a match, the first not opening a sentence.
NAME_BEFORE = re.compile(r"(?<![.!?:;«\"“(\n])[ \t](?:[A-ZÀ-Þ][a-zà-ÿ][\w'’-]*[ \t]){2,}$")


def _inside_a_capitalised_word(text: str, match: LabelMatch) -> bool:
    """A match that starts inside a word of the text (where a space was searched between a
    lower-case letter and a capital) counts only after a small word glued on at a lost line
    break ("vanVWS"), not inside a name written that way ("InvestEU", "OpenAI")."""
    if match.start == 0 or not text[match.start - 1].isalpha():
        return False
    glued = re.search(r"[^\W\d_]+$", text[max(0, match.start - 40) : match.start])
    return glued is not None and not glued.group(0)[0].islower()


def _tail_of_a_name(text: str, match: LabelMatch) -> bool:
    if not text[match.start : match.end].isalpha():
        return False  # only a one-word name
    return NAME_BEFORE.search(text, max(0, match.start - 200), match.start) is not None


GLUED_WORD = re.compile(r"[a-zà-ÿ]{3}")


def _glued_abbreviation(cased: str, start: int, end: int) -> bool:
    """An abbreviation with the next word glued on where a PDF line ended: "BZK" in "van
    BZKdaarom" (capitals, then a word of at least three lower-case letters; "NIIs" is a plural,
    no glue)."""
    before = cased[start - 1] if start > 0 else " "
    match = cased[start:end]
    return (
        len(match) >= 2
        and match.isupper()
        and GLUED_WORD.match(cased, end) is not None
        and not (_word(before) or before == "-")
    )


def _outermost_per_entity(matches: list[LabelMatch]) -> list[LabelMatch]:
    """Drop each match that lies inside a longer match of the same entity: one sweep over the
    matches in (start, longest first) order, keeping the furthest end seen per entity."""
    furthest: dict[URIRef, int] = {}
    kept = []
    for m in matches:
        if furthest.get(m.entity, -1) >= m.end:
            continue  # an earlier-starting or longer match of this entity holds it
        kept.append(m)
        furthest[m.entity] = max(furthest.get(m.entity, -1), m.end)
    return kept


def _label(graph: Graph, subject: URIRef, language: str) -> str | None:
    for prop in (SKOS.prefLabel, RDFS.label):
        for value in graph.objects(subject, prop):
            if isinstance(value, Literal) and value.language == language:
                return str(value)
    return None


def _fold(label: str) -> str:
    return " ".join(label.split()).casefold()


def _case_insensitive(label: str) -> bool:
    return (" " in label or len(label) >= 8) and not label.isupper()
