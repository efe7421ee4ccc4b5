"""'#+ param:' headers: defaults as RDF terms, bound by the golden test and the CLI, overridable."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.errors import QueryError
from kg.pipeline.build import BuildResult
from kg.query.library import list_queries, parse_query_file
from tests.support import PROJECT

NADI = "https://w3id.org/ai-beleid/id/instrument/nadi"
PARAMETRISED = [q for q in list_queries(PROJECT.queries) if q.params]


def test_the_library_has_parametrised_queries() -> None:
    assert {q.name for q in PARAMETRISED} >= {"fact-source", "entity-passages"}


def test_a_param_header_gives_an_rdf_term_default() -> None:
    query = parse_query_file(PROJECT.queries / "entity-passages.rq")
    [param] = query.params
    assert param.name == "entity"
    assert param.default == ox.NamedNode("https://w3id.org/ai-beleid/id/instrument/nadi")
    assert "curated entity" in param.description


def test_a_malformed_param_header_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("#+ summary: x\n#+ columns: a\n#+ param: onlyaname\nSELECT ?a {}\n")
    with pytest.raises(QueryError, match=rf"{path}:3: '#\+ param:' needs NAME DEFAULT"):
        parse_query_file(path)


def test_cli_binds_the_default_and_param_overrides_it(seed_build: BuildResult, capsys) -> None:
    store = str(seed_build.store)
    assert main(["query", "entity-passages", "--store", store, "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]
    assert len(rows) == 8 and {r[0] for r in rows} == {NADI}
    args = ["--param", "entity=id:organisation/nfia", "--format", "csv"]
    assert main(["query", "entity-passages", "--store", store, *args]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1:]
    assert rows and {r[0] for r in rows} == {"https://w3id.org/ai-beleid/id/organisation/nfia"}


@pytest.mark.parametrize("value", ["NADI", "nadi", "id:instrument/nadi"])
def test_param_takes_a_label_or_curie(seed_build: BuildResult, capsys, value: str) -> None:
    assert main(["query", "mentions", "--store", str(seed_build.store), "--param",
                 f"entity={value}", "--format", "csv"]) == 0  # fmt: skip
    rows = capsys.readouterr().out.splitlines()[1:]
    assert rows and all(",https://w3id.org/ai-beleid/id/instrument/nadi," in r for r in rows)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("NOPE", "no resource has the label 'NOPE'"),
        ("id:instrument/nope", "no resource <https://w3id.org/ai-beleid/id/instrument/nope>"),
        ("foo:bar", "unknown prefix 'foo'"),
    ],
)
def test_unknown_param_is_exit_2(seed_build: BuildResult, capsys, value: str, message: str) -> None:
    code = main(
        ["query", "mentions", "--store", str(seed_build.store), "--param", f"entity={value}"]
    )
    assert code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("name", ["entty", "entit", "ent"])
def test_a_param_the_query_does_not_use_is_exit_2(
    seed_build: BuildResult, capsys, name: str
) -> None:
    args = ["query", "mentions", "--store", str(seed_build.store), "--param", f"{name}=NADI"]
    assert main(args) == 2
    assert f"--param {name}: the query has no variable ?{name}" in capsys.readouterr().err
