"""Stances: rules on the seed's answers, curated stances resolved from quotes, curated winning
over rules. That each stance's quote is the text at its offsets, inside its answer, is a rule of
the shapes (shapes:Evidence, shapes:Stance in shapes/violations.ttl)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import ReferenceDataError
from kg.extract.stance import RULES, propose
from kg.pipeline.build import build
from kg.pipeline.inputs import load_inputs, parse_documents, source_files
from kg.rdf.namespaces import ID
from kg.sources.model import Document
from tests.support import PROJECT, SEED_ID, solutions

# What the rules find in each answer of the seed (None: no rule fires; a curator decides).
EXPECTED_RULES = {
    1: None,
    2: None,
    3: ("stance-rejects", "not-desirable"),
    4: None,
    5: ("stance-reserved", "reserved"),
    6: ("stance-agrees", "positive-towards"),
    7: None,
    8: None,
    9: None,
    10: ("stance-agrees", "opens-with-ja"),
    11: ("stance-refers", "whole-answer-refers"),
    12: ("stance-rejects", "no-need"),
}
# The stance in the built graph: curated for 1, 2, 4, 7, 8, 9; from the rules for the rest.
EXPECTED_STANCES = {
    1: "rejects",
    2: "agrees",
    3: "rejects",
    4: "partly",
    5: "reserved",
    6: "agrees",
    7: "partly",
    8: "agrees",
    9: "partly",
    10: "agrees",
    11: "refers",
    12: "rejects",
}
CURATED = """@base <https://w3id.org/ai-beleid/id/document/2026D32673/> .
@prefix aip: <https://w3id.org/ai-beleid/def/aip#> .
@prefix concept: <https://w3id.org/ai-beleid/id/concept/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
[] a aip:Stance ; aip:towards <question/%(q)s> ; oa:hasBody concept:%(body)s ;
   oa:hasTarget [ oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "%(exact)s" ] ] .
"""


@pytest.fixture(scope="module")
def seed_document() -> Document:
    inputs = load_inputs(PROJECT.data, PROJECT.ontology)
    [document] = parse_documents(source_files(PROJECT.data), inputs)
    return document


def test_the_seed_has_twelve_answers(seed_document: Document) -> None:
    assert [a.number for a in seed_document.answers] == sorted(EXPECTED_RULES)


@pytest.mark.parametrize("number", sorted(EXPECTED_RULES))
def test_rules_on_each_answer(seed_document: Document, number: int) -> None:
    answer = next(a for a in seed_document.answers if a.number == number)
    proposed = propose(seed_document, answer)
    if EXPECTED_RULES[number] is None:
        assert proposed is None
        return
    assert proposed is not None and proposed.rule is not None
    assert (proposed.stance, proposed.rule.name) == EXPECTED_RULES[number]
    # the evidence is the sentence holding the match, inside the answer
    assert answer.span.contains(proposed.span)
    assert proposed.rule.pattern.search(seed_document.text[proposed.span.start : proposed.span.end])


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("Nee. Dat is niet nodig.", "stance-rejects"),
        ("Het kabinet is niet bereid dit te doen.", "stance-rejects"),
        ("Ik ben bereid dat gesprek aan te gaan.", "stance-agrees"),
        ("Zie het antwoord op vraag 12.", "stance-refers"),
        ("Dit beeld deel ik. Zie ook de beantwoording van vraag 2.", "stance-agrees"),
    ],
)
def test_rules_on_other_wordings(seed_document: Document, text: str, stance: str) -> None:
    from dataclasses import replace

    from kg.sources.model import Section, Span

    document = replace(seed_document, text=text)
    proposed = propose(document, Section(1, text, Span(0, len(text))))
    assert proposed is not None and proposed.stance == stance


def test_every_rule_has_a_unique_name() -> None:
    assert len({r.name for r in RULES}) == len(RULES) >= 8


def stances(store: ox.Store) -> dict[int, dict[str, str | None]]:
    query = """
    PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
    PREFIX oa: <http://www.w3.org/ns/oa#>
    PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?n ?value ?origin ?rule ?pattern ?exact ?start ?end ?text ?aStart ?aEnd WHERE {
      ?s a aip:Stance, oa:Annotation ; oa:motivatedBy oa:assessing ; aip:towards/aip:number ?n ;
         oa:hasBody/skos:notation ?value ; aip:annotationOrigin/skos:notation ?origin ;
         aip:evidence ?span ; oa:hasTarget ?span ; aip:inSection ?answer .
      ?span oa:hasSource/rdf:value ?text ; oa:hasSelector ?p, ?q .
      ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact .
      ?answer aip:evidence/oa:hasSelector ?ap . ?ap oa:start ?aStart ; oa:end ?aEnd .
      OPTIONAL { ?s aip:byRule ?rule . ?rule a aip:ExtractionRule ; aip:pattern ?pattern }
    }"""
    out = {}
    results = solutions(store.query(query, use_default_graph_as_union=True))
    names = [v.value for v in results.variables]
    for row in results:
        values = {name: (row[name].value if row[name] is not None else None) for name in names}
        out[int(str(values["n"]))] = values
    return out


def test_every_answer_of_the_seed_has_its_stance(seed_store: ox.Store) -> None:
    found = stances(seed_store)
    assert {n: s["value"] for n, s in found.items()} == EXPECTED_STANCES
    for n, s in found.items():
        assert s["origin"] == ("machine-made" if EXPECTED_RULES[n] else "curated")
        rule = EXPECTED_RULES[n]
        if rule:
            assert s["rule"] == str(ID[f"rule/stance/{rule[1]}"]) and s["pattern"]
        else:
            assert s["rule"] is None


def write_curated(data_dir: Path, **values: str) -> Path:
    folder = data_dir / "reference" / "stances"
    folder.mkdir(exist_ok=True)
    path = folder / f"{SEED_ID}.ttl"
    path.write_text(CURATED % values, encoding="utf-8")
    return path


@pytest.mark.slow
def test_curated_wins_over_the_rules(data_dir: Path, tmp_path: Path) -> None:
    write_curated(
        data_dir, q="3", body="stance-partly", exact="acht het kabinet het niet wenselijk"
    )
    result = build(data_dir, tmp_path / "store", PROJECT.ontology)
    store = ox.Store.read_only(str(Path(result.store).resolve()))
    found = stances(store)
    assert (found[3]["value"], found[3]["origin"], found[3]["rule"]) == ("partly", "curated", None)
    assert found[3]["exact"] == "acht het kabinet het niet wenselijk"
    assert found[10]["origin"] == "machine-made"  # the others still come from the rules
    assert sorted(found) == [3, 5, 6, 10, 11, 12]  # only this one curated, no file for the rest


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"q": "3", "body": "stance-rejects", "exact": "Dit staat er niet"},
            "quote 'Dit staat er niet' is not in the text of answer 3",
        ),
        (
            {"q": "9", "body": "stance-partly", "exact": "NADI"},
            "quote 'NADI' occurs more than once in answer 9",
        ),
        (
            {"q": "3", "body": "status-active", "exact": "Omdat"},
            "is not a concept of scheme:stance",
        ),
        (
            {"q": "13", "body": "stance-agrees", "exact": "Ja."},
            "2026D32673 has no such answer",
        ),
    ],
)
def test_bad_curated_stances_are_named(
    data_dir: Path, tmp_path: Path, values: dict[str, str], message: str
) -> None:
    path = write_curated(data_dir, **values)
    with pytest.raises(ReferenceDataError) as err:
        build(data_dir, tmp_path / "store", PROJECT.ontology)
    assert str(path) in str(err.value)
    assert message in str(err.value)
