"""A commitment's status on a date, and the later document or curator that closes it (#28).

- The fixture ah-tk-20262027-0312 says "Zoals toegezegd in de beantwoording van vraag 1 in
  2026D32673, informeer ik uw Kamer hierbij ...": loaded beside the seed, it closes the seed's
  commitment 1 from its date (20 November 2026), with that passage as evidence; without it the
  commitment is overdue on 1 January 2027. Its graph states nothing about the seed's commitment.
- A curator's verdict (data/reference/*.ttl) replaces what the rules found.
- Every query that shows a status or a fulfilment agrees with commitment-status.rq.
- kg query binds the build's date as ?asOf unless --as-of or --param as-of is given.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.pipeline.build import build
from kg.query.as_of import AS_OF, as_of_term, build_day
from kg.query.library import list_queries, resolve_query, run
from kg.rdf.namespaces import ID, document_graph
from tests.golden.corpus import CORPUS_FILES, FIXTURES, corpus_project
from tests.support import PROJECT, SEED_PATH

LETTER = FIXTURES / "corpus" / "ah-tk-20262027-0312.txt"
EARLIER = FIXTURES / "corpus" / "2026D41207.txt"
SEED_COMMITMENT = ID["document/2026D32673/commitment/1"]
QUERIES = {q.name: q for q in list_queries(PROJECT.queries)}
STATUS = QUERIES["commitment-status"]
CONCEPT = str(ID["concept/"])


def store_of(root: Path, files: tuple[Path, ...], extra_reference: str | None = None) -> ox.Store:
    data = corpus_project(root / "project", files)
    if extra_reference is not None:
        (data / "reference" / "fulfilments.ttl").write_text(extra_reference, encoding="utf-8")
    build(data, root / "store", PROJECT.ontology)
    return ox.Store.read_only(str(root / "store"))


@pytest.fixture(scope="module")
def with_letter(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    return store_of(tmp_path_factory.mktemp("with-letter"), (SEED_PATH, EARLIER, LETTER))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    return store_of(tmp_path_factory.mktemp("corpus"), CORPUS_FILES)


def statuses(store: ox.Store, day: str) -> dict[tuple[str, int], tuple[str, str]]:
    """(document id, number) -> (status, fulfilled on) of every commitment, as of ``day``."""
    bindings = {AS_OF: as_of_term(date.fromisoformat(day))}
    out = {}
    for row in run(store, STATUS, bindings):
        key = (row["document"].value.rsplit("/", 1)[1], int(row["number"].value))
        fulfilled = row["fulfilledOn"].value if row["fulfilledOn"] is not None else ""
        out[key] = (row["status"].value.removeprefix(CONCEPT), fulfilled)
    return out


def test_without_the_later_letter_the_seed_commitment_is_overdue(seed_store: ox.Store) -> None:
    assert statuses(seed_store, "2027-01-01")[("2026D32673", 1)] == ("commitment-overdue", "")
    # due by 31 December 2026: within thirty days of it, due soon; before that, open
    assert statuses(seed_store, "2026-12-01")[("2026D32673", 1)] == ("commitment-due-soon", "")
    assert statuses(seed_store, "2026-11-30")[("2026D32673", 1)] == ("commitment-open", "")


def test_the_later_letter_closes_it_from_its_date(with_letter: ox.Store) -> None:
    seed = ("2026D32673", 1)
    assert statuses(with_letter, "2026-11-19")[seed] == ("commitment-open", "")
    assert statuses(with_letter, "2026-11-20")[seed] == ("commitment-fulfilled", "2026-11-20")
    assert statuses(with_letter, "2027-01-01")[seed] == ("commitment-fulfilled", "2026-11-20")
    # The document-level citation closes only the commitment it shares a topic with (the NADI).
    found = statuses(with_letter, "2027-01-01")
    assert found[("2026D41207", 1)] == ("commitment-fulfilled", "2026-11-20")
    assert found[("2026D41207", 2)] == ("commitment-overdue", "")
    # What the seed alone promises otherwise stays as it was.
    assert found[("2026D32673", 2)] == ("commitment-open", "")


def test_the_passage_that_closes_it_is_the_evidence(with_letter: ox.Store) -> None:
    rows = list(run(with_letter, QUERIES["commitments-fulfilled"]))
    [seed] = [r for r in rows if r["document"].value.endswith("/2026D32673")]
    assert seed["fulfilledIn"].value.endswith("/document/ah-tk-20262027-312")
    assert seed["evidence"].value.startswith("Zoals toegezegd in de beantwoording van vraag 1")
    # The fulfilment's span is exactly those words of the letter's text.
    span = run(
        with_letter,
        """PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?text ?start ?end ?exact WHERE {
          ?f aip:evidence ?t . ?t oa:hasSource/rdf:value ?text ; oa:hasSelector ?p, ?q .
          ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact }""",
        {ox.Variable("f"): seed["fulfilment"]},
    )
    [(text, start, end, exact)] = [(r[0].value, int(r[1].value), int(r[2].value), r[3].value)
                                   for r in span]  # fmt: skip
    assert text[start:end] == exact
    assert " ".join(exact.split()).startswith("Zoals toegezegd in de beantwoording van vraag 1")
    assert "informeer ik uw Kamer hierbij" in " ".join(exact.split())


def test_a_promise_repeated_in_the_future_tense_is_no_fulfilment(with_letter) -> None:
    text = """PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?f WHERE { ?f a aip:Fulfilment ; dcterms:isPartOf ?d }"""
    found = [
        r["f"].value for r in run(with_letter, text, {ox.Variable("d"): _doc("ah-tk-20262027-312")})
    ]
    # answers 1 and 2 deliver; answer 3 ("Zoals eerder toegezegd zal ik ...") promises again
    assert sorted(found) == [f"{_doc('ah-tk-20262027-312').value}/fulfilment/{n}" for n in (1, 2)]


def test_the_later_graph_states_nothing_about_the_earlier_commitment(with_letter) -> None:
    graph = ox.NamedNode(str(document_graph("ah-tk-20262027-312")))
    subjects = {q.subject for q in with_letter.quads_for_pattern(None, None, None, graph)}
    assert ox.NamedNode(str(SEED_COMMITMENT)) not in subjects
    objects = {q.object for q in with_letter.quads_for_pattern(None, None, None, graph)}
    assert ox.NamedNode(str(ID["document/2026D32673/answer/1"])) in objects


CURATED = """@prefix aip: <https://w3id.org/ai-beleid/def/aip#> .
@prefix concept: <https://w3id.org/ai-beleid/id/concept/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/ai-beleid/id/fulfilment/2026D32673-1>
    a aip:Fulfilment ;
    aip:fulfils <https://w3id.org/ai-beleid/id/document/2026D32673/commitment/1> ;
    aip:fulfilmentVerdict concept:verdict-not-fulfilled ;
    aip:annotationOrigin concept:origin-curated ;
    skos:editorialNote "The later answer only announces the letter; it does not send it."@en .

<https://w3id.org/ai-beleid/id/fulfilment/2026D32673-3>
    a aip:Fulfilment ;
    aip:fulfils <https://w3id.org/ai-beleid/id/document/2026D32673/commitment/3> ;
    aip:fulfilmentVerdict concept:verdict-fulfilled ;
    aip:annotationOrigin concept:origin-curated ;
    dcterms:date "2026-10-01"^^xsd:date ;
    dcterms:source <https://w3id.org/ai-beleid/id/document/kst-36410-xiii-20> ;
    skos:editorialNote "Sent as a Kamerbrief, which is not in the dataset."@en .
"""


@pytest.mark.slow
def test_a_curators_verdict_replaces_what_the_rules_found(tmp_path: Path) -> None:
    store = store_of(tmp_path, (SEED_PATH, EARLIER, LETTER), CURATED)
    found = statuses(store, "2027-01-01")
    assert found[("2026D32673", 1)] == ("commitment-overdue", "")  # the letter does not count
    assert found[("2026D32673", 3)] == ("commitment-fulfilled", "2026-10-01")
    assert statuses(store, "2026-09-30")[("2026D32673", 3)] == ("commitment-open", "")
    overdue = {(r["document"].value, int(r["number"].value))
               for r in run(store, QUERIES["overdue-commitments"], {AS_OF: as_of_term(date(2027, 1, 1))})}  # fmt: skip
    assert (str(ID["document/2026D32673"]), 1) in overdue
    fulfilled = [r for r in run(store, QUERIES["commitments-fulfilled"])
                 if r["document"].value.endswith("/2026D32673")]  # fmt: skip
    assert [
        (int(r["number"].value), r["origin"].value.removeprefix(CONCEPT)) for r in fulfilled
    ] == [(3, "origin-curated")]


@pytest.mark.parametrize(
    "day", ["2024-06-01", "2026-11-20", "2026-12-15", "2027-01-01", "2027-06-01"]
)
def test_every_status_query_agrees_with_commitment_status(corpus: ox.Store, day: str) -> None:
    bindings = {AS_OF: as_of_term(date.fromisoformat(day))}
    status = statuses(corpus, day)
    overdue = {(r["document"].value.rsplit("/", 1)[1], int(r["number"].value))
               for r in run(corpus, QUERIES["overdue-commitments"], bindings)}  # fmt: skip
    assert overdue == {k for k, (s, _) in status.items() if s == "commitment-overdue"}
    first: dict[tuple[str, int], str] = {}
    for r in run(corpus, QUERIES["commitments-fulfilled"]):
        key = (r["document"].value.rsplit("/", 1)[1], int(r["number"].value))
        first[key] = min(first.get(key, "9999"), r["fulfilledOn"].value)
    fulfilled = {k: on for k, on in first.items() if on <= day}
    assert fulfilled == {k: on for k, (s, on) in status.items() if s == "commitment-fulfilled"}
    assert overdue or fulfilled or day == "2024-06-01"  # the dates chosen see both


@pytest.mark.slow
def test_kg_query_takes_the_builds_date_unless_told(
    with_letter: ox.Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "cli"
    store_of(root, (SEED_PATH, LETTER))
    args = ["query", "commitment-status", "--store", str(root / "store"), "--format", "tsv"]
    assert main(args) == 0
    built = build_day(ox.Store.read_only(str(root / "store")))
    assert built is not None
    lines = capsys.readouterr().out.splitlines()
    column = lines[0].split("\t").index("asOf")
    assert {line.split("\t")[column] for line in lines[1:]} == {built.isoformat()}
    assert main([*args, "--as-of", "2026-11-19"]) == 0
    assert "\t2026-11-19\t" in capsys.readouterr().out
    assert main([*args, "--param", "as-of=2026-11-21"]) == 0
    out = capsys.readouterr().out
    assert "\t2026-11-21\t" in out and "commitment-fulfilled" in out


def test_kg_query_refuses_a_date_that_is_none(tmp_path: Path, capsys, seed_build) -> None:
    store = str(seed_build.store)
    assert main(["query", "commitment-status", "--store", store, "--as-of", "2027-02-30"]) == 2
    assert "--as-of 2027-02-30: not a date; give it as YYYY-MM-DD" in capsys.readouterr().err
    assert main(["query", "commitment-status", "--store", store, "--param", "as-of=1-1-2027"]) == 2
    assert "--param asOf=1-1-2027: not a date" in capsys.readouterr().err
    assert main(["query", "questions", "--store", store, "--as-of", "2027-01-01"]) == 2
    assert "--as-of: the query questions has no ?asOf parameter" in capsys.readouterr().err


def test_the_declared_date_is_the_goldens(seed_store: ox.Store) -> None:
    query = resolve_query("overdue-commitments", PROJECT.queries)
    assert query.default_bindings()[AS_OF] == as_of_term(date(2027, 1, 1))


def _doc(identifier: str) -> ox.NamedNode:
    return ox.NamedNode(str(ID[f"document/{identifier}"]))


def test_unbound_the_status_is_as_of_the_build(with_letter: ox.Store) -> None:
    """A client that sends the query text without its VALUES block (an endpoint user) gets the
    status on the day the store's build ended, not an empty result."""
    built = build_day(with_letter)
    assert built is not None
    unbound = {(r["document"].value, int(r["number"].value)): r["status"].value
               for r in run(with_letter, STATUS.text)}  # fmt: skip
    bound = {(r["document"].value, int(r["number"].value)): r["status"].value
             for r in run(with_letter, STATUS, {AS_OF: as_of_term(built)})}  # fmt: skip
    assert unbound and unbound == bound
