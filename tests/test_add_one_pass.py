"""kg add in one pass (issue 32): each file given is parsed once and its document converted as
it is; the identifiers of the sources already there come from the store's manifest; one check
(``kg.pipeline.duplicates.Holders``) refuses an identifier that is already there, naming both
files. Parses are counted at ``kg.sources.parsers.parse_text``, which every parse goes through;
one new file is converted in this process (worker processes start at 16 documents)."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

import kg.sources.parsers
from kg.cli import main
from kg.errors import SourceError
from kg.pipeline.build import build
from kg.pipeline.convert_files import PARALLEL_THRESHOLD
from kg.pipeline.corpus import add_documents, known_identifiers
from kg.pipeline.duplicates import Holders
from kg.pipeline.manifest import code_digest
from kg.synthetic.generate import generate
from tests.support import CHECKED, PROJECT, copy_project, marked_project, seed_and_generated

SEED = 5
SOURCES = 100


@pytest.fixture(scope="module")
def built_hundred(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kg project of 100 sources (the seed and 99 generated letters), built with the shapes
    check as kg build does."""
    root = marked_project(tmp_path_factory.mktemp("one-pass") / "project")
    build(seed_and_generated(root, SOURCES - 1, seed=SEED), root / "store", PROJECT.ontology,
          **CHECKED)  # fmt: skip
    return root


@pytest.fixture
def hundred(built_hundred: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the built project: its data folder and its store."""
    return copy_project(built_hundred, tmp_path)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How often each file (by name) is parsed while the test runs."""
    counts: Counter[str] = Counter()
    original = kg.sources.parsers.parse_text

    def counted(path: Path, *args, **kwargs):
        counts[Path(path).name] += 1
        return original(path, *args, **kwargs)

    monkeypatch.setattr(kg.sources.parsers, "parse_text", counted)
    yield counts


def new_letter(folder: Path, index: int = SOURCES) -> Path:
    """A generated letter that is not in the corpus (its index is past the corpus's)."""
    return generate(folder, 1, seed=SEED, reference=PROJECT.reference, start=index)[0]


def _add(path: Path, data_dir: Path, store: Path) -> int:
    return main(["add", str(path), "--data", str(data_dir), "--store", str(store)])


@pytest.mark.slow  # builds 100 sources once (about 20 s), then kg add
def test_kg_add_into_100_sources_parses_the_new_file_once_and_no_other(
    hundred, parses, tmp_path: Path, capsys
) -> None:
    data_dir, store = hundred
    new = new_letter(tmp_path / "new")
    assert _add(new, data_dir, store) == 0
    assert "Added " + new.stem in capsys.readouterr().out
    assert parses == Counter({new.name: 1})  # the copy in data/sources has the same name
    assert (data_dir / "sources" / new.name).is_file()


@pytest.mark.slow
def test_the_document_read_is_the_one_converted(hundred, parses, tmp_path: Path) -> None:
    """What the build converts is the document ``kg add`` read, not a second reading of the
    copy: the same graph as a build that parses the copy itself (a full one, from scratch)."""
    data_dir, store = hundred
    new = new_letter(tmp_path / "new")
    result = add_documents([new], data_dir, store, PROJECT.ontology, **CHECKED)
    assert parses == Counter({new.name: 1})
    (added,) = result.build.documents
    again = build(data_dir, tmp_path / "rebuilt", PROJECT.ontology, jobs=1)
    (same,) = [d for d in again.documents if d.identifier == added.identifier]
    assert same == added


@pytest.mark.slow
def test_a_batch_converted_in_worker_processes_gets_the_documents_read(
    hundred, parses, tmp_path: Path, monkeypatch
) -> None:
    """Past ``PARALLEL_THRESHOLD`` new files the build converts in worker processes: they get
    the documents read (pickled) and parse nothing; every file is read once, here."""
    import kg.pipeline.convert_files

    def no_parse(path: Path) -> None:
        raise AssertionError(f"{path} parsed again in conversion")

    monkeypatch.setattr(kg.pipeline.convert_files, "default_jobs", lambda: 2)
    monkeypatch.setattr(kg.pipeline.convert_files, "parse_file", no_parse)  # forked workers too
    data_dir, store = hundred
    folder = tmp_path / "new"
    new = generate(folder, PARALLEL_THRESHOLD + 1, seed=SEED, reference=PROJECT.reference,
                   start=SOURCES)  # fmt: skip
    result = add_documents(new, data_dir, store, PROJECT.ontology, batch=True, **CHECKED)
    assert parses == Counter({path.name: 1 for path in new})
    assert sorted(a.document.identifier for a in result.added) == sorted(p.stem for p in new)
    assert result.build.unchanged == SOURCES and not result.rejected


@pytest.mark.slow
def test_a_duplicate_is_refused_naming_both_files_and_no_source_is_parsed(
    hundred, parses, tmp_path: Path, capsys
) -> None:
    data_dir, store = hundred
    existing = sorted((data_dir / "sources").glob("2030D*.txt"))[3]
    copy = tmp_path / "copy.txt"
    shutil.copy(existing, copy)
    assert _add(copy, data_dir, store) == 2
    err = capsys.readouterr().err
    identifier = existing.stem
    assert (
        f"{copy}: document {identifier} is already in {existing}; remove it first with "
        f"'kg remove {identifier}'" in err
    )
    assert parses == Counter({"copy.txt": 1})


@pytest.mark.slow
def test_sources_the_manifest_cannot_tell_are_parsed_once(hundred, parses, tmp_path) -> None:
    """A source changed since the build: its identifier is read by parsing it, and the build
    converts that reading; the other sources are not parsed at all."""
    data_dir, store = hundred
    changed = sorted((data_dir / "sources").glob("2030D*.txt"))[5]
    changed.write_text(changed.read_text().replace("Dit geldt", "Dit gold"), encoding="utf-8")
    new = new_letter(tmp_path / "new")
    result = add_documents([new], data_dir, store, PROJECT.ontology, **CHECKED)
    assert parses == Counter({new.name: 1, changed.name: 1})
    assert sorted(d.identifier for d in result.build.documents) == [changed.stem, new.stem]


@pytest.mark.slow
def test_a_manifest_of_other_code_tells_no_identifier(hundred, parses) -> None:
    """A store whose manifest was written by other code cannot tell the identifiers: each
    source is parsed for its identifier, once. So many are not kept for the build: past
    ``PARALLEL_THRESHOLD`` it converts in worker processes, which read them in parallel."""
    data_dir, store = hundred
    found, kept = known_identifiers(data_dir, store, code="written by other code")
    assert len(found) == SOURCES and found["2026D32673"] == data_dir / "sources/2026D32673.txt"
    assert len(parses) == SOURCES and max(parses.values()) == 1
    assert kept == {} and SOURCES >= PARALLEL_THRESHOLD
    parses.clear()
    found_again, _ = known_identifiers(data_dir, store, code_digest(PROJECT.shapes))
    assert found_again == found and not parses  # the manifest's code: no parse at all


def test_two_given_files_of_one_document_name_the_first() -> None:
    holders = Holders({"a": Path("data/sources/a.txt")})
    holders.claim("b", Path("in/b.pdf"), given=True, batch=True)
    with pytest.raises(SourceError) as err:
        holders.claim("b", Path("in/b.xml"), given=True, batch=True)
    assert err.value.path == Path("in/b.xml")
    assert err.value.detail == (
        "document b is also b.pdf, given before it (the same publication in another form?); "
        "only that one is added"
    )
    with pytest.raises(SourceError) as err:
        holders.claim("a", Path("in/a.md"), given=True)
    assert err.value.detail == (
        "document a is already in data/sources/a.txt; remove it first with 'kg remove a'"
    )
    with pytest.raises(SourceError) as err:
        holders.claim("a", Path("data/sources/copy.txt"))
    assert err.value.detail == "document a is also in data/sources/a.txt"
