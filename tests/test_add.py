"""kg add / kg remove / kg candidates: all or nothing, with a report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import project as paths
from kg.cli import main
from kg.errors import CheckFailed, SourceError
from kg.extract.candidates import find_candidates
from kg.pipeline.build import build
from kg.pipeline.corpus import DEFAULT_CHECKS, add_documents, remove_document
from kg.rdf.namespaces import document_graph
from kg.validate.shacl import shacl_check

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
SOURCES = sorted(p for p in FIXTURES.iterdir() if not p.name.endswith(".expected.json"))


def _state(data_dir: Path, store: Path) -> tuple[list[str], str]:
    return sorted(p.name for p in (data_dir / "sources").iterdir()), str(store.resolve())


@pytest.fixture
def built(data_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    store = tmp_path / "store"
    build(data_dir, store, paths.ONTOLOGY_DIR)
    return data_dir, store


def test_the_glob_found_fixtures() -> None:
    assert len(SOURCES) >= 4


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_add_then_remove_each_fixture(built, source: Path) -> None:
    data_dir, store = built
    before = _state(data_dir, store)
    result = add_documents([source], data_dir, store, paths.ONTOLOGY_DIR)
    (added,) = result.added
    assert added.target.exists() and added.target.parent == data_dir / "sources"
    # Incremental: only the new document is processed; the seed's graph is kept as it was.
    assert [d.identifier for d in result.build.documents] == [added.document.identifier]
    assert result.build.unchanged == 1
    removed, after = remove_document(added.document.identifier, data_dir, store, paths.ONTOLOGY_DIR)
    assert removed == added.target and not removed.exists()
    assert after.documents == [] and after.unchanged == 1
    assert after.removed == [str(document_graph(added.document.identifier))]
    assert _state(data_dir, store)[0] == before[0]


def test_cli_add_reports_counts_and_candidates(built, capsys) -> None:
    data_dir, store = built
    source = FIXTURES / "ah-tk-20232024-877.xml"
    args = ["--data", str(data_dir), "--store", str(store)]
    assert main(["add", str(source), *args]) == 0
    out = capsys.readouterr().out
    assert "Added ah-tk-20232024-877 (officielebekendmakingen-xml)" in out
    assert "3 questions, 2 answers, 3 footnotes" in out
    assert "1x Werkagenda Waardengedreven Digitaliseren" in out
    assert main(["remove", "ah-tk-20232024-877", *args]) == 0
    assert "Removed ah-tk-20232024-877" in capsys.readouterr().out


def test_unparseable_file_changes_nothing(built, tmp_path: Path, capsys) -> None:
    data_dir, store = built
    before = _state(data_dir, store)
    bad = tmp_path / "antwoorden.txt"
    bad.write_text("ah-tk-20232024-999\n\nAntwoord 1\nJa.\n", encoding="utf-8")
    code = main(["add", str(bad), "--data", str(data_dir), "--store", str(store)])
    assert code == 2
    err = capsys.readouterr().err
    assert f"{bad}:3: answer 1 has no question; expected 'Vraag 1' before it" in err
    assert _state(data_dir, store) == before


def test_second_file_failing_removes_the_first_copy(built, tmp_path: Path) -> None:
    data_dir, store = built
    before = _state(data_dir, store)
    bad = tmp_path / "memo.txt"
    bad.write_text("Een memo zonder vragen.\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        add_documents(
            [FIXTURES / "ah-tk-20242025-1502.md", bad], data_dir, store, paths.ONTOLOGY_DIR
        )
    assert err.value.path == bad
    assert err.value.detail.startswith("unknown document form; expected one of: ")
    assert _state(data_dir, store) == before


def test_failing_check_removes_the_copy_and_keeps_the_store(built) -> None:
    data_dir, store = built
    before = _state(data_dir, store)

    def refuse(named):
        return ["refused by a test check"]

    with pytest.raises(CheckFailed) as err:
        add_documents(
            [FIXTURES / "ah-tk-20232024-412.pdf.txt"],
            data_dir,
            store,
            paths.ONTOLOGY_DIR,
            checks=[refuse],
        )
    assert err.value.findings == ["refused by a test check"]
    assert err.value.exit_code == 1
    assert _state(data_dir, store) == before


def test_a_shape_violation_stops_add(built, tmp_path: Path) -> None:
    """kg add runs kg validate's shapes: here one extra shape that the new document breaks."""
    data_dir, store = built
    before = _state(data_dir, store)
    shapes = tmp_path / "shapes"
    shutil.copytree(paths.SHAPES_DIR, shapes)
    (shapes / "extra.ttl").write_text(
        "@prefix aip: <https://w3id.org/ai-beleid/def/aip#> .\n"
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix ex: <http://example.org/> .\n"
        "ex:Submitted a sh:NodeShape ; sh:targetClass aip:SourceDocument ;\n"
        "  sh:property ex:Submitted-date .\n"
        "ex:Submitted-date a sh:PropertyShape ; sh:path dcterms:modified ; sh:minCount 1 ;\n"
        '  sh:name "modified" ; sh:message "test shape: a document needs dcterms:modified" .\n'
    )
    with pytest.raises(CheckFailed) as err:
        add_documents(
            [FIXTURES / "ah-tk-20232024-412.pdf.txt"],
            data_dir,
            store,
            paths.ONTOLOGY_DIR,
            checks=[shacl_check(shapes)],
        )
    assert (
        "<https://w3id.org/ai-beleid/id/document/ah-tk-20232024-412>: modified: "
        "test shape: a document needs dcterms:modified"
    ) in err.value.findings
    assert _state(data_dir, store) == before


def test_default_checks_include_the_shapes() -> None:
    assert any(
        getattr(check, "__qualname__", "").startswith("shacl_check") for check in DEFAULT_CHECKS
    )


def test_adding_a_document_twice_names_the_file(built) -> None:
    data_dir, store = built
    add_documents([FIXTURES / "ah-tk-20232024-877.xml"], data_dir, store, paths.ONTOLOGY_DIR)
    before = _state(data_dir, store)
    html = FIXTURES / "ah-tk-20232024-877.html"
    with pytest.raises(SourceError) as err:
        add_documents([html], data_dir, store, paths.ONTOLOGY_DIR)
    assert err.value.path == html
    assert "document ah-tk-20232024-877 is already in" in err.value.detail
    assert _state(data_dir, store) == before


def test_remove_unknown_document(built) -> None:
    data_dir, store = built
    with pytest.raises(SourceError, match="no document ah-tk-19991999-1"):
        remove_document("ah-tk-19991999-1", data_dir, store, paths.ONTOLOGY_DIR)


def test_removing_the_last_document_is_refused_and_restored(built) -> None:
    data_dir, store = built
    before = _state(data_dir, store)
    with pytest.raises(SourceError, match="no source documents found"):
        remove_document("2026D32673", data_dir, store, paths.ONTOLOGY_DIR)
    assert _state(data_dir, store) == before


def test_seed_candidates_are_sensible() -> None:
    from kg.pipeline.build import load_inputs, parse_documents

    inputs = load_inputs(paths.DATA_DIR, paths.ONTOLOGY_DIR)
    (seed,) = parse_documents([paths.DATA_DIR / "sources" / "2026D32673.txt"], inputs)
    names = {c.name: c for c in find_candidates(seed, inputs.index)}
    # The seed is curated; what is left is the spelling variant of the talent strategy.
    assert set(names) == {"AI-Talentstrategie", "AI-Talentenstrategie van de Europese Unie"}
    assert names["AI-Talentstrategie"].passages == [
        "answer 7: De Europese Unie heeft geen afzonderlijke AI-Talentstrategie. Wel vormt "
        "skills een van de vijf domeinen waar de Europese…"
    ]


def test_fixture_candidates_include_uncurated_bodies_and_no_starters() -> None:
    from kg.pipeline.build import load_inputs, parse_documents

    inputs = load_inputs(paths.DATA_DIR, paths.ONTOLOGY_DIR)
    (doc,) = parse_documents([FIXTURES / "ah-tk-20232024-877.xml"], inputs)
    names = {c.name: c.count for c in find_candidates(doc, inputs.index)}
    assert names["Autoriteit Persoonsgegevens"] == 2
    assert names["VNG"] == 1 and names["Vereniging van Nederlandse Gemeenten"] == 1
    for starter in ("Het", "De", "Dat", "Ja", "Gemeenten", "Ik"):
        assert not any(n.split()[0] == starter for n in names)
