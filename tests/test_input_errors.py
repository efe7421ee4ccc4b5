"""Bad input: a clear error naming file, line and what was expected; the store is untouched."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.errors import ReferenceDataError, SourceError
from kg.pipeline.build import build
from tests.support import PROJECT, SEED_PATH, value_of, write_source

SEED = SEED_PATH.read_text(encoding="utf-8")
SCHEMA_URL = ox.NamedNode("https://schema.org/url")


def _build(data_dir: Path, store: Path):
    return build(data_dir, store, PROJECT.ontology)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.slow
def test_not_utf8_names_file_and_line(data_dir: Path, tmp_path: Path) -> None:
    bad = write_source(data_dir, "latin1.txt", "1\nVraag?\n\nAntwoord\nCaf\xe9\n".encode("latin-1"))
    with pytest.raises(SourceError) as err:
        _build(data_dir, tmp_path / "store")
    assert err.value.path == bad
    assert err.value.line == 5
    assert "not valid UTF-8 (byte 0xe9 at column 4)" in str(err.value)


@pytest.mark.slow
def test_empty_file(data_dir: Path, tmp_path: Path) -> None:
    bad = write_source(data_dir, "empty.txt", "  \n\n")
    with pytest.raises(SourceError) as err:
        _build(data_dir, tmp_path / "store")
    assert err.value.path == bad
    assert "file is empty" in str(err.value)


@pytest.mark.slow
def test_question_without_answer(data_dir: Path, tmp_path: Path) -> None:
    # Remove answer 3 entirely: question 3 is then followed directly by question 4.
    start = SEED.index("Antwoord\nOmdat Digitalisering")
    end = SEED.index("\n4\nWelke stappen")
    broken = SEED[:start] + SEED[end:]
    write_source(data_dir, "2026D32673.txt", broken)
    with pytest.raises(SourceError) as err:
        _build(data_dir, tmp_path / "store")
    assert err.value.line == _line_of(broken, "\n3\nBent u bereid") + 1
    assert err.value.detail == (
        "question 3 has no answer; expected an 'Antwoord' heading or an answer paragraph "
        "before the next question"
    )


@pytest.mark.slow
def test_footnote_marker_without_body(data_dir: Path, tmp_path: Path) -> None:
    broken = SEED.replace("[5:  COM(2018) 795 final] ", "")
    write_source(data_dir, "2026D32673.txt", broken)
    with pytest.raises(SourceError) as err:
        _build(data_dir, tmp_path / "store")
    assert err.value.line == _line_of(broken, "[footnoteRef:5]")
    assert "footnote marker [footnoteRef:5] has no body; expected '[5: ...]'" in err.value.detail


def test_footnote_body_without_marker(data_dir: Path, tmp_path: Path) -> None:
    broken = SEED.replace("[footnoteRef:6]", "")
    write_source(data_dir, "2026D32673.txt", broken)
    with pytest.raises(SourceError) as err:
        _build(data_dir, tmp_path / "store")
    assert err.value.line == _line_of(broken, "[6:  Kamerstukken")
    assert "footnote body [6: ...] has no marker" in err.value.detail


@pytest.mark.slow
def test_broken_numbering(data_dir: Path, tmp_path: Path) -> None:
    broken = SEED.replace("\n7\nOp welke manier", "\n8\nOp welke manier")
    write_source(data_dir, "2026D32673.txt", broken)
    with pytest.raises(SourceError) as err:
        _build(data_dir, tmp_path / "store")
    assert err.value.line == _line_of(broken, "\n8\nOp welke manier") + 1
    assert err.value.detail == "question numbering is broken: found question 8, expected question 7"


@pytest.mark.slow
def test_reference_to_a_missing_question(data_dir: Path, tmp_path: Path) -> None:
    broken = SEED.replace("Zie de beantwoording van vraag 3.", "Zie de beantwoording van vraag 13.")
    write_source(data_dir, "2026D32673.txt", broken)
    with pytest.raises(SourceError) as err:
        _build(data_dir, tmp_path / "store")
    assert "answer 11 refers to question 13, which the document does not have" in err.value.detail


@pytest.mark.slow
def test_unknown_form(data_dir: Path, tmp_path: Path) -> None:
    write_source(data_dir, "notes.txt", "Some notes about AI without any numbered questions.\n")
    with pytest.raises(SourceError) as err:
        _build(data_dir, tmp_path / "store")
    assert err.value.detail.startswith("unknown document form; expected one of: ")
    assert "letter (a letter with numbered questions" in err.value.detail


@pytest.mark.slow
def test_duplicate_document(data_dir: Path, tmp_path: Path) -> None:
    write_source(data_dir, "copy.txt", SEED)
    with pytest.raises(SourceError) as err:
        _build(data_dir, tmp_path / "store")
    assert "document 2026D32673 is also in" in err.value.detail


@pytest.mark.slow
def test_failed_build_leaves_previous_store_untouched(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    _build(data_dir, store)
    before = os.readlink(store)
    files_before = sorted(p.name for p in store.resolve().iterdir())
    write_source(data_dir, "2026D32673.txt", SEED.replace("[footnoteRef:6]", ""))
    code = main(["build", "--data", str(data_dir), "--store", str(store)])
    assert code == 2
    err = capsys.readouterr().err
    assert "2026D32673.txt:" in err and "footnote body [6: ...] has no marker" in err
    assert os.readlink(store) == before
    assert sorted(p.name for p in store.resolve().iterdir()) == files_before
    assert [p.name for p in store.with_name("store.d").iterdir()] == [Path(before).name]


@pytest.mark.slow
def test_failure_while_writing_removes_the_half_written_store(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    _build(data_dir, store)
    before = os.readlink(store)

    def explode(*_args, **_kwargs):
        raise OSError("disk full")

    # Every build writes its build graph with replace_graph, incremental or not.
    monkeypatch.setattr("kg.store.embedded.EmbeddedStore.replace_graph", explode)
    with pytest.raises(OSError, match="disk full"):
        _build(data_dir, store)
    assert os.readlink(store) == before
    assert [p.name for p in store.with_name("store.d").iterdir()] == [Path(before).name]


@pytest.mark.slow
def test_a_quote_in_a_footnote_url_is_percent_encoded(data_dir: Path, tmp_path: Path) -> None:
    """A URL a source wrote with a character IRIs may not hold still names its resource."""
    url = "https://www.ncsc.gov.uk/news/the-ai-shift"
    seed = data_dir / "sources" / SEED_PATH.name
    seed.write_text(SEED.replace(url, url.replace("the-ai", '"the-ai')), encoding="utf-8")
    result = _build(data_dir, tmp_path / "store")
    store = ox.Store.read_only(str(Path(result.store).resolve()))
    urls = {value_of(q.object) for q in store.quads_for_pattern(None, SCHEMA_URL, None)}
    assert url.replace("the-ai", "%22the-ai") + "-in-cyber-risk-why-leaders-must-act-now" in urls


@pytest.mark.slow
@pytest.mark.parametrize("bad", ["%zz", "[::1"])
def test_an_iri_rdf_cannot_hold_names_file_and_line(bad, data_dir: Path, tmp_path: Path) -> None:
    url = "https://www.ncsc.gov.uk/news/the-ai-shift"
    seed = data_dir / "sources" / SEED_PATH.name
    seed.write_text(SEED.replace(url, url.replace("/news", f"/{bad}")), encoding="utf-8")
    line = SEED[: SEED.index(url)].count("\n") + 1
    with pytest.raises(SourceError) as err:
        build(data_dir, tmp_path / "store", PROJECT.ontology, jobs=1)
    assert (err.value.path.name, err.value.line) == (SEED_PATH.name, line)
    assert str(err.value).startswith(f"{seed}:{line}: cannot be written as RDF: Invalid")


def test_a_term_rdf_cannot_hold_is_a_source_error(
    data_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    def refuse(_triples):
        raise ValueError("Invalid IRI code point '\"'")

    monkeypatch.setattr("kg.pipeline.convert_files.ntriples", refuse)
    with pytest.raises(SourceError) as err:
        build(data_dir, tmp_path / "store", PROJECT.ontology, jobs=1)
    assert err.value.path.name == SEED_PATH.name
    assert "cannot be written as RDF: Invalid IRI code point" in str(err.value)


@pytest.mark.slow
def test_broken_reference_turtle_names_file_and_line(data_dir: Path, tmp_path: Path) -> None:
    path = data_dir / "reference" / "people.ttl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("rdfs:label"))
    lines[at] = lines[at].replace('"', "", 1)  # an unquoted label: not Turtle
    path.write_text("".join(lines), encoding="utf-8")
    store = tmp_path / "store"
    with pytest.raises(ReferenceDataError, match=rf"^{path}:{at + 1}: not valid Turtle: "):
        _build(data_dir, store)
    assert not store.exists()
