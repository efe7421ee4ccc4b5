"""Curated reference data and the ontology: loading them, and the label index used for linking."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, ORG, RDF, RDFS, SKOS

from kg.errors import ReferenceDataError
from kg.rdf.namespaces import AIP

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


def load_turtle_files(paths: Iterable[Path], error: type[Exception] = ReferenceDataError) -> Graph:
    """Parse Turtle files into one graph; a syntax error names the file and line."""
    graph = Graph()
    for path in paths:
        try:
            graph.parse(path, format="turtle")
        except Exception as err:  # rdflib raises several unrelated types for bad syntax
            raise error(f"{path}: not valid Turtle: {_first_line(err)}") from None
    return graph


def _first_line(err: Exception) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0] if "\n" in text else text


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


@dataclass(frozen=True)
class LabelMatch:
    entity: URIRef
    start: int
    end: int


class LabelIndex:
    """Every curated label and alternative name, compiled for finding them in running text.

    Long labels match case-insensitively (sentence-initial capitals, "ministeriële Taskforce");
    short ones and abbreviations only as written, so "NII" never matches inside a word.
    """

    def __init__(self, entities: dict[URIRef, Entity], labels: dict[str, URIRef]) -> None:
        self.entities = entities
        self.labels = labels
        sensitive = [label for label in labels if not _case_insensitive(label)]
        insensitive = [label for label in labels if _case_insensitive(label)]
        self._patterns = [
            p
            for p in (_compile(sensitive, 0), _compile(insensitive, re.IGNORECASE))
            if p is not None
        ]
        self._by_folded = {_fold(label): iri for label, iri in labels.items()}

    @classmethod
    def from_graph(cls, graph: Graph) -> LabelIndex:
        entities: dict[URIRef, Entity] = {}
        labels: dict[str, URIRef] = {}
        for subject in sorted(set(graph.subjects(RDF.type, None))):
            if not isinstance(subject, URIRef):
                continue
            types = set(graph.objects(subject, RDF.type))
            if not types & LINKABLE_CLASSES:
                continue
            kind = next((k for cls, k in KIND_BY_CLASS if cls in types), "other")
            entities[subject] = Entity(
                subject, kind, _label(graph, subject, "nl"), _label(graph, subject, "en")
            )
            for prop in LABEL_PROPERTIES:
                for value in graph.objects(subject, prop):
                    text = " ".join(str(value).split())
                    other = labels.get(text)
                    if other is not None and other != subject:
                        raise ReferenceDataError(
                            f"label {text!r} names both <{other}> and <{subject}>; "
                            "a label must name one entity"
                        )
                    labels[text] = subject
        return cls(entities, labels)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[LabelMatch]:
        """All label occurrences in text[start:end], longest first at each position.

        A match inside a longer match of the same entity is dropped ("Mythos" in "Mythos 5");
        a match inside a longer match of another entity is kept (the members named inside the
        name of a motion), as Web Annotation allows overlapping targets.
        """
        end = len(text) if end is None else end
        found: dict[tuple[int, int], URIRef] = {}
        for pattern in self._patterns:
            for match in pattern.finditer(text, start, end):
                label_text = match.group(1)
                span = (match.start(1), match.start(1) + len(label_text))
                found.setdefault(span, self._by_folded[_fold(label_text)])
        matches = sorted(
            (LabelMatch(iri, s, e) for (s, e), iri in found.items()),
            key=lambda m: (m.start, -(m.end - m.start)),
        )
        by_entity: dict[URIRef, list[LabelMatch]] = {}
        for m in matches:
            by_entity.setdefault(m.entity, []).append(m)
        # Compared within each entity only: all pairs of a long answer would be quadratic.
        return [m for m in matches if not _inside_same_entity(m, by_entity[m.entity])]

    def lookup(self, label: str) -> URIRef | None:
        return self._by_folded.get(_fold(label))

    def kind(self, iri: URIRef) -> str:
        entity = self.entities.get(iri)
        return entity.kind if entity else "other"


def _inside_same_entity(match: LabelMatch, matches: list[LabelMatch]) -> bool:
    return any(
        other is not match
        and other.entity == match.entity
        and other.start <= match.start
        and match.end <= other.end
        and (other.end - other.start) > (match.end - match.start)
        for other in matches
    )


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


def _compile(labels: list[str], flags: int) -> re.Pattern[str] | None:
    if not labels:
        return None
    # Longest first, so that at one position "Mythos 5" wins over "Mythos". The lookahead
    # makes matches overlap: every position is tried, not only the end of the last match.
    alternatives = "|".join(
        r"\s+".join(re.escape(word) for word in label.split())
        for label in sorted(labels, key=len, reverse=True)
    )
    # Before a label: no letter, digit or hyphen ("AI-Talentstrategie" is not "Talentstrategie").
    # After it: no letter or digit, but a hyphen may follow ("EU-programma's" names the EU).
    return re.compile(rf"(?<![\w-])(?=({alternatives})(?!\w))", flags)
