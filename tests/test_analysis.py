"""kg analyse over the seed: projections, files for Gephi, the picture, path explanations."""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from kg.analysis import (
    PROJECTIONS,
    explain_path,
    load_networks,
    resolve_entity,
    write_analysis,
)
from kg.analysis.layout import box, layout, node_size, wrapped
from kg.cli import main
from kg.errors import AnalysisError
from kg.pipeline.build import BuildResult
from kg.rdf.namespaces import ID
from kg.store import GraphStore
from kg.store.embedded import EmbeddedStore
from tests.support import png_size

NADI, NII = str(ID["instrument/nadi"]), str(ID["instrument/nii"])
TECH_PACKAGE = str(ID["eu/tech-sovereignty-package"])


@pytest.fixture(scope="module")
def store(seed_store: ox.Store) -> GraphStore:
    return EmbeddedStore(seed_store)


@pytest.fixture(scope="module")
def analysis(store: GraphStore, tmp_path_factory: pytest.TempPathFactory):
    networks = load_networks(store)
    return networks, write_analysis(networks, tmp_path_factory.mktemp("analysis"))


def test_networkx_is_not_imported_by_the_cli() -> None:
    import subprocess

    code = "import sys, kg.cli; kg.cli.make_parser(); print('networkx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_files_are_written(analysis) -> None:
    _, result = analysis
    names = {p.name for p in result.files}
    for projection in PROJECTIONS:
        assert {
            f"{projection}.graphml",
            f"{projection}.gexf",
            f"{projection}-centrality.csv",
        } <= names
    assert {"communities.csv", "entity-network.png", "entity-network.svg"} <= names
    assert all(p.is_file() and p.stat().st_size > 0 for p in result.files)


@pytest.mark.parametrize("projection", PROJECTIONS)
def test_graphml_and_gexf_load_back_with_the_same_counts(analysis, projection: str) -> None:
    networks, result = analysis
    graph = networks.projections()[projection]
    assert graph.number_of_edges() > 0
    for reader, suffix in ((nx.read_graphml, "graphml"), (nx.read_gexf, "gexf")):
        loaded = reader(result.out / f"{projection}.{suffix}")
        assert loaded.number_of_nodes() == graph.number_of_nodes()
        assert loaded.number_of_edges() == graph.number_of_edges()
        assert result.counts[projection] == (graph.number_of_nodes(), graph.number_of_edges())


def test_the_picture_is_a_png_of_sensible_size(analysis) -> None:
    _, result = analysis
    png = result.out / "entity-network.png"
    width, height = png_size(png)
    assert 1000 <= width <= 5000 and 700 <= height <= 4000
    assert png.stat().st_size > 50_000  # a drawn network, not an empty canvas
    svg = (result.out / "entity-network.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert ">NADI</text>" in svg  # labels are text, not paths
    assert 'xlink:href="https://w3id.org/ai-beleid/id/instrument/nadi"' in svg
    for name in ("answer-instrument", "instrument-comention"):
        assert "</text>" in (result.out / f"{name}.svg").read_text(encoding="utf-8")


def test_a_large_network_is_drawn_as_its_best_connected_part(analysis, tmp_path) -> None:
    from kg.analysis.drawing import draw_network, top_nodes

    networks, _ = analysis
    graph = networks.entity_network
    shown, left_out = top_nodes(graph, 10)
    assert shown.number_of_nodes() == 10 and left_out == graph.number_of_nodes() - 10
    strength = dict(graph.degree(weight="weight"))
    weakest_shown = min(strength[n] for n in shown)
    assert all(strength[n] <= weakest_shown for n in graph if n not in shown)
    draw_network(graph, tmp_path / "top", "t", limit=10)
    svg = (tmp_path / "top.svg").read_text(encoding="utf-8")
    assert f"{left_out} left out" in svg


def test_the_picture_shows_readable_labels(analysis) -> None:
    networks, _ = analysis
    graph = networks.entity_network
    strength = dict(graph.degree(weight="weight"))
    sizes = {n: node_size(strength[n]) for n in graph}
    labels = {n: wrapped(graph.nodes[n]["label"]) for n in graph}
    assert labels[NADI] == "NADI"  # the abbreviation, not the long name
    positions = layout(graph, sizes, labels)
    boxes = sorted(box(n, *positions[n], sizes, labels) for n in graph)
    overlaps = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if min(a[2], b[2]) - max(a[0], b[0]) > 0.01 and min(a[3], b[3]) - max(a[1], b[1]) > 0.01
    ]
    assert not overlaps


def test_centrality_csv_ranks_the_taskforce_high(analysis) -> None:
    _, result = analysis
    rows = (result.out / "instrument-comention-centrality.csv").read_text().splitlines()
    assert rows[0].startswith("node,label,name,kind,degree,weighted_degree")
    top = [r.split(",")[0] for r in rows[1:4]]
    assert str(ID["instrument/taskforce-toekomstige-welvaart"]) in top


def test_bipartite_edges_run_between_answers_and_instruments(analysis) -> None:
    networks, _ = analysis
    graph = networks.answer_instrument
    for u, v in graph.edges():
        assert {graph.nodes[u]["bipartite"], graph.nodes[v]["bipartite"]} == {0, 1}
    # answer 9 names NADI five times (see the mentions query)
    assert graph["answer:2026D32673/9"][NADI]["weight"] == 5


def test_path_names_the_answers_and_passages(analysis) -> None:
    networks, _ = analysis
    steps = explain_path(networks, NII, TECH_PACKAGE)
    assert steps is not None and len(steps) == 1
    [passage] = steps[0].passages
    assert passage.answer == 1 and passage.line == 24
    assert "Nationale Investeringsinstelling (NII)" in passage.text
    assert "Techsoevereiniteitspakket" in passage.text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("NADI", NADI),
        ("nationaal agentschap voor disruptieve innovatie", NADI),
        ("id:instrument/nadi", NADI),
        (f"<{NADI}>", NADI),
        (NADI, NADI),
    ],
)
def test_names_resolve_as_iri_curie_or_label(store: GraphStore, name: str, expected: str) -> None:
    assert resolve_entity(store, name) == expected


def test_an_unknown_name_is_named_in_the_error(store: GraphStore) -> None:
    with pytest.raises(AnalysisError, match="unknown entity 'Atlantis'"):
        resolve_entity(store, "Atlantis")
    with pytest.raises(AnalysisError, match=r"no resource <https://w3id.org/ai-beleid/id/x/y>"):
        resolve_entity(store, "id:x/y")


def run_cli(seed_build: BuildResult, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["analyse", "--store", str(seed_build.store), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_cli_path_exit_codes(seed_build: BuildResult, capsys) -> None:
    code, out, _ = run_cli(seed_build, capsys, "--path", "NADI", "Tech Sovereignty Package")
    assert code == 0 and "answer 1 (2026D32673, line 24)" in out
    code, _, err = run_cli(seed_build, capsys, "--path", "Atlantis", "NADI")
    assert code == 2 and "unknown entity 'Atlantis'" in err
    # NDS (answer 6) and the NCSC (answer 2) are in different components of the network
    code, _, err = run_cli(seed_build, capsys, "--path", "NDS", "NCSC")
    assert code == 1 and "no path: NDS and NCSC are not connected" in err


@pytest.mark.slow
def test_cli_writes_the_files(seed_build: BuildResult, capsys, tmp_path: Path) -> None:
    code, out, _ = run_cli(seed_build, capsys, "--out", str(tmp_path / "a"))
    assert code == 0 and "Wrote 16 files" in out
    assert png_size(tmp_path / "a" / "entity-network.png")[0] >= 1000


@pytest.mark.slow
def test_the_layout_does_not_depend_on_the_string_hash_seed(seed_build: BuildResult) -> None:
    import subprocess

    code = (
        "import sys; from kg.analysis import load_networks; from kg.store import open_store\n"
        "from kg.analysis.layout import layout, node_size, wrapped\n"
        "g = load_networks(open_store(sys.argv[1])).entity_network\n"
        "s = dict(g.degree(weight='weight'))\n"
        "sizes = {n: node_size(s[n]) for n in g}\n"
        "labels = {n: wrapped(g.nodes[n]['label']) for n in g}\n"
        "print(sorted(layout(g, sizes, labels).items()))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(seed_build.store)],
            capture_output=True, text=True, check=True,
            env={**__import__("os").environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]  # fmt: skip
    assert runs[0] and runs[0] == runs[1]
