"""Label matching (one Aho-Corasick pass): what it finds, on small texts written for each rule."""

from __future__ import annotations

from rdflib import URIRef

from kg.extract.reference import Entity, LabelIndex

MYTHOS = URIRef("http://example.org/mythos")
NII = URIRef("http://example.org/nii")
TASKFORCE = URIRef("http://example.org/taskforce")
EU = URIRef("http://example.org/eu")


def index() -> LabelIndex:
    entities = {iri: Entity(iri, "other", None, None) for iri in (MYTHOS, NII, TASKFORCE, EU)}
    labels = {
        "Mythos": MYTHOS,
        "Mythos 5": MYTHOS,
        "NII": NII,
        "Nationale Investeringsinstelling": NII,
        "Ministeriële Taskforce": TASKFORCE,
        "EU": EU,
    }
    return LabelIndex(entities, labels)


def spans(text: str) -> list[tuple[str, str]]:
    return [(str(m.entity).rsplit("/", 1)[-1], text[m.start : m.end]) for m in index().find(text)]


def test_whitespace_runs_and_case_of_long_labels() -> None:
    text = "De ministeriële  Taskforce en de Nationale\nInvesteringsinstelling."
    assert spans(text) == [
        ("taskforce", "ministeriële  Taskforce"),
        ("nii", "Nationale\nInvesteringsinstelling"),
    ]


def test_short_labels_only_as_written_and_as_words() -> None:
    assert spans("nii NII NIIs XNII NII-fonds EU-programma's AI-EU") == [
        ("nii", "NII"),
        ("nii", "NII"),
        ("eu", "EU"),
    ]


def test_a_match_inside_a_longer_one_of_the_same_entity_is_dropped() -> None:
    assert spans("Mythos 5 en Mythos") == [("mythos", "Mythos 5"), ("mythos", "Mythos")]


def test_matches_grow_with_the_text_one_for_one() -> None:
    text = "De NII en Mythos 5. " * 5000
    assert len(index().find(text)) == 10000


def test_a_slice_is_searched_with_offsets_into_the_whole_text() -> None:
    text = "NII  en   Mythos 5"
    (match,) = index().find(text, 5)
    assert (match.start, match.end, text[match.start : match.end]) == (10, 18, "Mythos 5")
