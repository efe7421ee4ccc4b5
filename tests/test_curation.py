"""The curation workflow: uncurated names ranked over the corpus, stubs written for curators."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib.namespace import SKOS

from kg.cli import main
from kg.errors import ReferenceDataError, UsageError
from kg.extract.candidates import Candidate, rank_candidates
from kg.extract.reference import load_turtle_files
from kg.pipeline.build import build
from kg.pipeline.curation import ranked_candidates, write_stub
from kg.rdf.namespaces import AIP, CONCEPT, ID, SHAPES
from kg.store import open_store
from kg.validate import load_shapes, validate_store
from tests.support import PROJECT

SKOS_NOTE = SKOS.editorialNote
REAL = Path(__file__).parent / "fixtures" / "sources" / "ah-tk-20232024-387.txt"


@pytest.fixture
def corpus(data_dir: Path) -> Path:
    """The seed (fully curated) and a real answer about the South Caucasus (not about AI)."""
    shutil.copy(REAL, data_dir / "sources" / REAL.name)
    return data_dir


def test_ranking_adds_up_documents_and_keeps_the_most_frequent_first() -> None:
    ranked = rank_candidates(
        [
            ("doc-a", [Candidate("EDEO", 2, ["answer 1: …EDEO…"]), Candidate("RBZ", 1, ["q"])]),
            ("doc-b", [Candidate("RBZ", 2, ["answer 3: …RBZ…"])]),
        ],
        passages=2,
    )
    assert [(c.name, c.count, c.documents) for c in ranked] == [
        ("RBZ", 3, ["doc-a", "doc-b"]),
        ("EDEO", 2, ["doc-a"]),
    ]
    assert ranked[0].passages == ["doc-a q", "doc-b answer 3: …RBZ…"]


@pytest.mark.slow
def test_candidates_over_the_corpus(corpus: Path) -> None:
    ranked = {c.name: c for c in ranked_candidates(corpus, PROJECT.ontology)}
    assert ranked["RBZ"].count == 7 and ranked["RBZ"].documents == ["ah-tk-20232024-387"]
    assert ranked["RBZ"].passages[0].startswith("ah-tk-20232024-387 answer 3: ")
    assert "NCSC" not in ranked  # curated, and named in the seed


@pytest.mark.slow
def test_a_stub_loads_builds_and_is_flagged_until_completed(corpus: Path, tmp_path: Path) -> None:
    stub = write_stub("Raad Buitenlandse Zaken", "organisation", corpus, PROJECT.ontology)
    assert stub.iri == ID["organisation/raad-buitenlandse-zaken"]
    assert stub.path.name == "organisations-landscape.ttl"
    assert stub.candidate is not None and stub.candidate.count == 4
    graph = load_turtle_files([stub.path])
    notes = [str(n) for n in graph.objects(stub.iri, SKOS_NOTE)]
    assert any(n.startswith("Found in ah-tk-20232024-387 ") for n in notes)
    assert any(n.startswith("TODO (stub written by kg candidates --stub)") for n in notes)
    result = build(corpus, tmp_path / "store", PROJECT.ontology)
    # check=False: the project's shapes have a meta-SHACL test of their own
    report = validate_store(open_store(result.store), load_shapes(PROJECT.shapes), check=False)
    flagged = {(r.focus, r.shape) for r in report.results if r.focus == str(stub.iri)}
    assert flagged == {
        (str(stub.iri), str(SHAPES["CuratedOrganisation-source"])),
        (str(stub.iri), str(SHAPES["CuratedOrganisation-status"])),
    }
    assert not report.violations


@pytest.mark.slow
def test_an_instrument_stub_needs_its_type(corpus: Path) -> None:
    before = (corpus / "reference" / "eu-landscape.ttl").read_text(encoding="utf-8")
    with pytest.raises(UsageError, match=r"--type \(missing\): an instrument stub needs its type"):
        write_stub("Europese Vredesfaciliteit", "eu", corpus, PROJECT.ontology)
    assert (corpus / "reference" / "eu-landscape.ttl").read_text(encoding="utf-8") == before
    stub = write_stub("Europese Vredesfaciliteit", "eu", corpus, PROJECT.ontology, "facility")
    graph = load_turtle_files([stub.path])
    assert (stub.iri, AIP.instrumentType, CONCEPT["instrument-type-facility"]) in graph
    assert (stub.iri, AIP.governanceLevel, CONCEPT["level-eu"]) in graph


@pytest.mark.slow
def test_a_curated_name_gets_no_stub(corpus: Path, capsys) -> None:
    with pytest.raises(ReferenceDataError, match=r"'NCSC' is already a label of <.*/ncsc>"):
        write_stub("NCSC", "organisation", corpus, PROJECT.ontology)
    code = main(["candidates", "--data", str(corpus), "--stub", "NCSC"])
    assert code == 2 and "already a label" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_lists_the_ranking(corpus: Path, capsys) -> None:
    assert main(["candidates", "--data", str(corpus), "--passages", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "   7x RBZ  (ah-tk-20232024-387)"
    assert lines[1].strip().startswith("ah-tk-20232024-387 answer 3:")
