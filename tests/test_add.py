"""kg add / kg remove / kg candidates: all or nothing, with a report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import CheckFailed, SourceError
from kg.extract.candidates import find_candidates
from kg.pipeline.build import build
from kg.pipeline.corpus import add_documents, remove_document
from kg.rdf.namespaces import AIP, document_graph
from kg.store import open_store, read_graph
from kg.validate import shacl_check
from tests.support import CHECKED, PROJECT

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
SOURCES = sorted(p for p in FIXTURES.iterdir() if not p.name.endswith(".expected.json"))


def _state(data_dir: Path, store: Path) -> tuple[list[str], str]:
    return sorted(p.name for p in (data_dir / "sources").iterdir()), str(store.resolve())


def test_the_glob_found_fixtures() -> None:
    assert len(SOURCES) >= 4


@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_add_then_remove_each_fixture(built, source: Path) -> None:
    data_dir, store = built
    before = _state(data_dir, store)
    result = add_documents([source], data_dir, store, PROJECT.ontology, **CHECKED)
    (added,) = result.added
    assert added.target.exists() and added.target.parent == data_dir / "sources"
    # Incremental: only the new document is processed; the seed's graph is kept as it was.
    assert [d.identifier for d in result.build.documents] == [added.document.identifier]
    assert result.build.unchanged == 1
    removed, after = remove_document(
        added.document.identifier, data_dir, store, PROJECT.ontology, **CHECKED
    )
    assert removed == added.target and not removed.exists()
    assert after.documents == [] and after.unchanged == 1
    assert after.removed == [str(document_graph(added.document.identifier))]
    assert _state(data_dir, store)[0] == before[0]


def with_uncurated_bodies(folder: Path) -> Path:
    """The XML fixture with two of its curated bodies renamed to names no one curated."""
    text = (FIXTURES / "ah-tk-20232024-877.xml").read_text(encoding="utf-8")
    for curated, invented in UNCURATED.items():
        text = text.replace(curated, invented)
    copy = folder / "ah-tk-20232024-877.xml"
    copy.write_text(text, encoding="utf-8")
    return copy


UNCURATED = {
    "Autoriteit Persoonsgegevens": "Raad voor Algoritmisch Toezicht",
    "Vereniging van Nederlandse Gemeenten": "Vereniging van Digitale Gemeenten",
}


@pytest.mark.slow
def test_cli_add_reports_counts_and_candidates(built, capsys, tmp_path: Path) -> None:
    data_dir, store = built
    source = with_uncurated_bodies(tmp_path)
    args = ["--data", str(data_dir), "--store", str(store)]
    assert main(["add", str(source), *args]) == 0
    out = capsys.readouterr().out
    assert "Added ah-tk-20232024-877 (officielebekendmakingen-xml)" in out
    assert "3 questions, 2 answers, 3 footnotes" in out
    assert "2x Raad voor Algoritmisch Toezicht" in out
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
    assert f"{bad}: no questions found: " in err and "no header names who asked" in err
    assert _state(data_dir, store) == before


def test_second_file_failing_removes_the_first_copy(built, tmp_path: Path) -> None:
    data_dir, store = built
    before = _state(data_dir, store)
    bad = tmp_path / "memo.txt"
    bad.write_text("Een memo zonder vragen.\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        add_documents([FIXTURES / "ah-tk-20242025-1502.md", bad], data_dir, store, PROJECT.ontology)
    assert err.value.path == bad
    assert err.value.detail.startswith("unknown document form; expected one of: ")
    assert _state(data_dir, store) == before


@pytest.mark.slow
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
            PROJECT.ontology,
            checks=[refuse],
        )
    assert err.value.findings == ["refused by a test check"]
    assert err.value.exit_code == 1
    assert _state(data_dir, store) == before


@pytest.mark.slow
def test_a_shape_violation_stops_add(built, tmp_path: Path) -> None:
    """kg add runs kg validate's shapes: here one extra shape that the new document breaks."""
    data_dir, store = built
    before = _state(data_dir, store)
    shapes = tmp_path / "shapes"
    shutil.copytree(PROJECT.shapes, shapes)
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
            PROJECT.ontology,
            checks=[shacl_check(shapes)],
        )
    assert (
        "<https://w3id.org/ai-beleid/id/document/ah-tk-20232024-412>: modified: "
        "test shape: a document needs dcterms:modified"
    ) in err.value.findings
    assert _state(data_dir, store) == before


@pytest.mark.slow
def test_answers_that_name_only_the_post_commit_the_post(built, tmp_path: Path) -> None:
    """ "Antwoord van de Minister van ..." gives no person: the commitment is the post's,
    and the document passes the shapes instead of being refused for a missing actor."""
    data_dir, store = built
    text = (Path(__file__).parent / "fixtures" / "corpus" / "ah-tk-20232024-1042.txt").read_text()
    signed = "Antwoord van minister de Jonge (Binnenlandse Zaken en Koninkrijksrelaties)"
    assert signed in text
    source = tmp_path / "ah-tk-20232024-1043.txt"
    source.write_text(
        text.replace("20232024-1042", "20232024-1043").replace(
            signed, "Antwoord van de Minister van Binnenlandse Zaken en Koninkrijksrelaties"
        )
    )
    add_documents([source], data_dir, store, PROJECT.ontology, checks=[shacl_check(PROJECT.shapes)])
    graph = read_graph(open_store(store), str(document_graph("ah-tk-20232024-1043")))
    actors = set(graph.objects(None, AIP.committedBy))
    assert [str(a).rsplit("/", 2)[-2:] for a in actors] == [
        ["post", "minister-van-binnenlandse-zaken-en-koninkrijksrelaties"]
    ]


@pytest.mark.slow
def test_a_build_without_the_shapes_check_is_redone_with_it(built) -> None:
    """The shapes are in the manifest's digest: graphs built unchecked are checked next time."""
    data_dir, store = built
    unchecked = build(data_dir, store, PROJECT.ontology)
    assert unchecked.full
    again = build(data_dir, store, PROJECT.ontology, **CHECKED)
    assert again.full and [d.identifier for d in again.documents] == ["2026D32673"]
    assert build(data_dir, store, PROJECT.ontology, **CHECKED).unchanged == 1


@pytest.mark.slow
def test_a_shapes_change_rebuilds_and_revalidates_everything(built, tmp_path: Path) -> None:
    data_dir, store = built
    shapes = tmp_path / "shapes"
    shutil.copytree(PROJECT.shapes, shapes)
    seen: list[list[str]] = []

    def record(named):
        seen.append(sorted(str(name) for name, _ in named))
        return []

    result = build(data_dir, store, PROJECT.ontology, checks=[record], shapes_dir=shapes)
    assert not result.full  # a copy of the same shapes: the same digest
    (shapes / "violations.ttl").write_text(
        (shapes / "violations.ttl").read_text() + "\n# edited\n", encoding="utf-8"
    )
    result = build(data_dir, store, PROJECT.ontology, checks=[record], shapes_dir=shapes)
    assert result.full and result.changed == [str(document_graph("2026D32673"))]
    assert str(document_graph("2026D32673")) in seen[-1]


@pytest.mark.slow
def test_adding_a_document_twice_names_the_file(built) -> None:
    data_dir, store = built
    add_documents([FIXTURES / "ah-tk-20232024-877.xml"], data_dir, store, PROJECT.ontology)
    before = _state(data_dir, store)
    html = FIXTURES / "ah-tk-20232024-877.html"
    with pytest.raises(SourceError) as err:
        add_documents([html], data_dir, store, PROJECT.ontology)
    assert err.value.path == html
    assert "document ah-tk-20232024-877 is already in" in err.value.detail
    assert _state(data_dir, store) == before


@pytest.mark.slow
def test_remove_unknown_document_names_the_known_ones(built) -> None:
    data_dir, store = built
    add_documents([FIXTURES / "ah-tk-20232024-877.xml"], data_dir, store, PROJECT.ontology)
    with pytest.raises(SourceError) as err:
        remove_document("ah-tk-19991999-1", data_dir, store, PROJECT.ontology)
    assert err.value.detail == (
        "no document ah-tk-19991999-1; the documents are: 2026D32673, ah-tk-20232024-877"
    )


def test_cli_remove_unknown_document_exits_2(built, capsys) -> None:
    data_dir, store = built
    code = main(["remove", "nope", "--data", str(data_dir), "--store", str(store)])
    assert code == 2
    assert "no document nope; the documents are: 2026D32673" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_remove_counts_the_documents_that_remain(built, capsys) -> None:
    data_dir, store = built
    args = ["--data", str(data_dir), "--store", str(store)]
    assert main(["add", str(FIXTURES / "ah-tk-20232024-877.xml"), *args]) == 0
    capsys.readouterr()
    assert main(["remove", "ah-tk-20232024-877", *args]) == 0
    out = capsys.readouterr().out
    assert "Removed ah-tk-20232024-877" in out and "; 1 document(s) remain." in out


def test_removing_the_last_document_is_refused_and_restored(built) -> None:
    data_dir, store = built
    before = _state(data_dir, store)
    with pytest.raises(SourceError, match="no source documents found"):
        remove_document("2026D32673", data_dir, store, PROJECT.ontology)
    assert _state(data_dir, store) == before


@pytest.mark.slow
def test_seed_candidates_are_sensible() -> None:
    from kg.pipeline.inputs import load_inputs, parse_documents

    inputs = load_inputs(PROJECT.data, PROJECT.ontology)
    (seed,) = parse_documents([PROJECT.data / "sources" / "2026D32673.txt"], inputs)
    names = {c.name: c for c in find_candidates(seed, inputs.index)}
    # Every body and programme the seed names is curated (data/reference/).
    assert names == {}


@pytest.mark.slow
def test_fixture_candidates_include_uncurated_bodies_and_no_starters(tmp_path: Path) -> None:
    from kg.pipeline.inputs import load_inputs, parse_documents

    inputs = load_inputs(PROJECT.data, PROJECT.ontology)
    (doc,) = parse_documents([with_uncurated_bodies(tmp_path)], inputs)
    names = {c.name: c.count for c in find_candidates(doc, inputs.index)}
    assert names["Raad voor Algoritmisch Toezicht"] == 2
    assert names["Vereniging van Digitale Gemeenten"] == 1
    for starter in ("Het", "De", "Dat", "Ja", "Gemeenten", "Ik"):
        assert not any(n.split()[0] == starter for n in names)
