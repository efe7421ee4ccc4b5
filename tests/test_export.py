"""kg export: the catalogue passes the official DCAT-AP 3.0.1 and DCAT-AP-NL 3.0 shapes, every
dump parses back into the store's content, the catalogue's sizes and checksums match the files,
and a failed export leaves an earlier one intact.

The tests of the catalogue against the official shapes need them (tests.support.conformance) and
are reported as not run without them; the rest export without the check, as kg export then does."""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from kg.cli import main
from kg.errors import CatalogInvalid, ConfigError, ExportError
from kg.export import ExportResult, export
from kg.export.config import load_config
from kg.export.conformance import PROFILES, conformance_dir, validate_catalog
from kg.export.dcat import SPDX, catalog_graph, distribution_iri
from kg.export.dumps import DUMPS, read_dump
from kg.export.tables import DOCUMENT_CONTEXT, TABLES
from kg.pipeline.build import BuildResult
from kg.rdf.namespaces import DATASET, VOID
from kg.store import EmbeddedStore, open_store
from tests.support import PROJECT
from tests.support.conformance import DCAT_SHAPES, require

CONFORMANCE = conformance_dir()  # None without the official shapes: exports are then unchecked
CONFIG_TEXT = """
base_url = "https://data.example.org/ai-beleid/"
licence = "http://creativecommons.org/licenses/by/4.0/deed.nl"
[publisher]
iri = "https://identifier.overheid.nl/tooi/id/ministerie/mnre1045"
name = "Ministerie van Economische Zaken"
[contact]
name = "Open data team"
email = "opendata@example.org"
"""


def write_config(folder: Path, text: str = CONFIG_TEXT) -> Path:
    path = folder / "export.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def exported(seed_store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> ExportResult:
    folder = tmp_path_factory.mktemp("export")
    config = load_config(write_config(folder))
    return export(EmbeddedStore(seed_store), folder / "out", config, conformance=CONFORMANCE)


@pytest.fixture(scope="module")
def catalog(exported: ExportResult) -> Graph:
    return Graph().parse(exported.out / "catalog.ttl", format="turtle")


# --- the catalogue against the official shapes -------------------------------------------


def test_conformance_shapes_are_there() -> None:
    shapes = require(*DCAT_SHAPES)
    for _, folder, files in PROFILES:
        for name in files:
            assert (shapes / folder / name).is_file()


def test_catalog_has_no_violations_and_lists_its_warnings(
    exported: ExportResult, catalog: Graph
) -> None:
    report = validate_catalog(catalog, require(*DCAT_SHAPES))  # the file as written, parsed back
    assert report.violations == [], "\n".join(f.line() for f in report.violations)
    assert len(report.shapes) == sum(len(files) for _, _, files in PROFILES)
    written = (exported.out / "validation-report.txt").read_text(encoding="utf-8")
    assert "violations: 0" in written
    assert f"warnings (recommendations not met): {len(report.warnings)}" in written
    for warning in report.warnings:
        assert warning.line() in written
    print("\n" + report.text())  # the warnings in the test output (pytest -s / -rA)


def test_validation_finds_a_missing_mandatory_field(catalog: Graph) -> None:
    broken = Graph()
    for triple in catalog:
        broken.add(triple)
    broken.remove((DATASET, DCAT.contactPoint, None))  # mandatory in DCAT-AP-NL
    report = validate_catalog(broken, require(*DCAT_SHAPES))
    assert [(f.profile, f.focus, f.path) for f in report.violations] == [
        ("DCAT-AP-NL 3.0", str(DATASET), "dcat:contactPoint")
    ]


def test_validation_finds_an_untyped_licence(catalog: Graph) -> None:
    broken = Graph()
    for triple in catalog:
        broken.add(triple)
    licence = URIRef("http://creativecommons.org/licenses/by/4.0/deed.nl")
    broken.remove((licence, RDF.type, None))
    report = validate_catalog(broken, require(*DCAT_SHAPES))
    paths = {(f.profile, f.path) for f in report.violations}
    assert paths == {("DCAT-AP 3.0.1", "dct:license")}
    assert {f.focus for f in report.violations} >= {str(distribution_iri("dataset.trig"))}


def test_a_finding_on_an_inverse_path_is_reported(catalog: Graph) -> None:
    # DCAT-AP recommends a dataset in each dcat:DatasetSeries, on the path
    # [ sh:inversePath dcat:inSeries ]: a blank node, which the report's qname() could not
    # split (ValueError: kg export stopped instead of listing the warning).
    series = URIRef("https://data.example.org/ai-beleid/series")
    with_series = Graph()
    for triple in catalog:
        with_series.add(triple)
    with_series.add((series, RDF.type, DCAT.DatasetSeries))
    with_series.add((series, DCTERMS.title, Literal("Reeks", lang="nl")))
    with_series.add((series, DCTERMS.description, Literal("Een reeks", lang="nl")))
    report = validate_catalog(with_series, require(*DCAT_SHAPES))
    paths = {f.path for f in report.findings if f.focus == str(series)}
    assert "^dcat:inSeries" in paths
    assert "^dcat:inSeries" in report.text()


def test_path_text_writes_every_shacl_path_form() -> None:
    from rdflib import BNode
    from rdflib.collection import Collection
    from rdflib.term import Node

    from kg.export.conformance import path_text
    from kg.rdf.namespaces import SH

    g = Graph()
    g.bind("dcat", DCAT)
    g.bind("dct", DCTERMS)

    in_series = URIRef(f"{DCAT}inSeries")  # DCAT 3; rdflib's DCAT is DCAT 2

    def wrap(predicate: URIRef, inner: Node) -> BNode:
        node = BNode()
        g.add((node, predicate, inner))
        return node

    def listed(*items: URIRef | BNode) -> BNode:
        head = BNode()
        Collection(g, head, list(items))
        return head

    assert path_text(g, DCAT.distribution) == "dcat:distribution"
    assert path_text(g, URIRef("http://example.org/ends/")) == "<http://example.org/ends/>"
    assert path_text(g, wrap(SH.inversePath, in_series)) == "^dcat:inSeries"
    assert path_text(g, wrap(SH.zeroOrMorePath, in_series)) == "dcat:inSeries*"
    assert path_text(g, wrap(SH.oneOrMorePath, in_series)) == "dcat:inSeries+"
    assert path_text(g, wrap(SH.zeroOrOnePath, in_series)) == "dcat:inSeries?"
    sequence = listed(DCAT.distribution, DCAT.downloadURL)
    assert path_text(g, sequence) == "(dcat:distribution / dcat:downloadURL)"
    either = wrap(SH.alternativePath, listed(DCTERMS.title, wrap(SH.inversePath, DCTERMS.hasPart)))
    assert path_text(g, either) == "(dct:title | ^dct:hasPart)"
    assert path_text(g, None) == "None"


def test_catalog_holds_what_dcat_ap_nl_makes_mandatory(catalog: Graph) -> None:
    for p in (
        DCAT.contactPoint,
        DCAT.theme,
        DCTERMS.accessRights,
        DCTERMS.creator,
        DCTERMS.identifier,
        DCTERMS.publisher,
        DCTERMS.temporal,
        DCTERMS.spatial,
        DCTERMS.language,
        DCTERMS.issued,
        DCTERMS.modified,
    ):
        assert catalog.value(DATASET, p) is not None, p
    assert catalog.value(DATASET, DCTERMS.publisher) == URIRef(
        "https://identifier.overheid.nl/tooi/id/ministerie/mnre1045"
    )
    service = next(catalog.subjects(RDF.type, DCAT.DataService))
    assert catalog.value(service, DCAT.servesDataset) == DATASET
    assert catalog.value(service, DCAT.endpointURL) == URIRef(
        "https://data.example.org/ai-beleid/sparql"
    )


# --- dumps round-trip ------------------------------------------------------------------


def _canonical(dataset: ox.Dataset) -> ox.Dataset:
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return dataset


@pytest.mark.slow
@pytest.mark.parametrize("dump", DUMPS, ids=[d.filename for d in DUMPS])
def test_dump_parses_back_into_the_store_content(
    dump, exported: ExportResult, seed_store: ox.Store
) -> None:
    quads = list(seed_store.quads_for_pattern(None, None, None))
    if dump.whole_dataset:
        expected = ox.Dataset(quads)
    else:
        expected = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
        assert all(q.graph_name == ox.DefaultGraph() for q in expected)
    parsed = read_dump(exported.out / dump.filename)
    assert len(parsed) == len(expected) > 1000
    assert _canonical(parsed) == _canonical(expected)


def test_nquads_dump_is_gzip(exported: ExportResult) -> None:
    with gzip.open(exported.out / "dataset.nq.gz", "rb") as f:
        assert f.readline().rstrip().endswith(b" .")


def test_every_file_has_a_distribution_with_its_size_and_checksum(
    exported: ExportResult, catalog: Graph
) -> None:
    described = set(catalog.objects(DATASET, DCAT.distribution))
    files = sorted(
        p
        for p in exported.out.iterdir()
        if p.is_file() and p.name not in ("catalog.ttl", "catalog.jsonld", "validation-report.txt")
    )
    # + void.ttl, ontology.ttl, ontology.html, csv-metadata.json
    assert len(files) == len(DUMPS) + len(TABLES) + 4
    assert described == {distribution_iri(p.name) for p in files}
    for path in files:
        node = distribution_iri(path.name)
        assert catalog.value(node, DCAT.byteSize) == Literal(
            path.stat().st_size,
            datatype=URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger"),
        )
        checksum = catalog.value(node, SPDX.checksum)
        assert catalog.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = str(catalog.value(checksum, SPDX.checksumValue))
        assert value.lower() == hashlib.sha256(path.read_bytes()).hexdigest()
        url = URIRef(f"https://data.example.org/ai-beleid/download/{path.name}")
        assert catalog.value(node, DCAT.downloadURL) == url
        assert catalog.value(node, DCAT.accessURL) == url
        assert str(catalog.value(node, DCTERMS.format)).startswith(
            "http://publications.europa.eu/resource/authority/file-type/"
        )
        assert catalog.value(node, DCTERMS.license) == URIRef(
            "http://creativecommons.org/licenses/by/4.0/deed.nl"
        )


def test_catalog_jsonld_is_the_same_graph(exported: ExportResult, catalog: Graph) -> None:
    from rdflib.compare import isomorphic

    jsonld = Graph().parse(exported.out / "catalog.jsonld", format="json-ld")
    assert isomorphic(jsonld, catalog)


def test_void_describes_the_same_dataset_with_the_dumps(exported: ExportResult) -> None:
    void = Graph().parse(exported.out / "void.ttl", format="turtle")
    dumps = {str(o) for o in void.objects(DATASET, VOID.dataDump)}
    assert dumps == {f"https://data.example.org/ai-beleid/download/{d.filename}" for d in DUMPS}
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef(
        "https://data.example.org/ai-beleid/sparql"
    )


@pytest.mark.parametrize("table", TABLES, ids=[t.filename for t in TABLES])
def test_csv_table_has_the_query_rows(table, exported: ExportResult, seed_store: ox.Store) -> None:
    from kg.export.tables import table_query
    from kg.query.library import run

    query = table_query(table)
    with open(exported.out / table.filename, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    labels = [c for c in rows[0] if c.endswith(("_label", "_label_en"))]
    added = [c.name for c in DOCUMENT_CONTEXT] if "document" in query.columns else []
    assert [c for c in rows[0] if c not in labels and c not in added] == query.columns
    assert len(rows) - 1 == len(list(run(seed_store, query))) > 0


def test_a_table_with_documents_says_when_who_and_in_which_post(exported: ExportResult) -> None:
    """Every table with a document column carries the document's date, its signatory and the
    post they signed in, with their labels, looked up once for the table."""
    for table in TABLES:
        with open(exported.out / table.filename, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        if "document" not in rows[0]:
            assert "document_date" not in rows[0], table.filename
            continue
        header = list(rows[0])
        at = header.index("document_label") + 1
        assert header[at : at + 7] == [
            "document_date", "signed_by", "signed_by_label", "signed_by_label_en",
            "signed_as", "signed_as_label", "signed_as_label_en",
        ]  # fmt: skip
        seed = [r for r in rows if r["document"].endswith("/2026D32673")]
        assert seed, table.filename
        for row in seed:
            assert row["document_date"] == "2026-06-25"  # the debate it answers
            assert row["signed_by"] == "https://w3id.org/ai-beleid/id/person/aerdts"
            assert row["signed_by_label"] == "W.J.M. Aerdts"
            assert row["signed_as_label"] == "Staatssecretaris van Economische Zaken en Klimaat"
            assert row["signed_as_label_en"].startswith("State Secretary for Economic Affairs")


def test_ontology_files(exported: ExportResult) -> None:
    ontology = Graph().parse(exported.out / "ontology.ttl", format="turtle")
    assert len(ontology) > 100
    html = (exported.out / "ontology.html").read_text(encoding="utf-8")
    assert 'id="Question"' in html


def test_endpoint_catalog_without_files_is_valid(seed_store: ox.Store, tmp_path: Path) -> None:
    graph = catalog_graph(EmbeddedStore(seed_store), load_config(write_config(tmp_path)))
    report = validate_catalog(graph, require(*DCAT_SHAPES))
    assert report.violations == []
    assert not list(graph.objects(DATASET, DCAT.distribution))


# --- atomicity and errors -------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_unwritable_output_folder_is_a_clear_error(seed_store: ox.Store, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    config = load_config(write_config(tmp_path))
    with pytest.raises(
        ExportError,
        match=r"a-file/out: cannot write the export folder: .*/a-file is a file, not a folder",
    ):
        export(EmbeddedStore(seed_store), blocker / "out", config, conformance=CONFORMANCE)
    assert blocker.read_text() == "not a folder"


@pytest.mark.slow
def test_failure_while_writing_leaves_the_earlier_export_intact(
    exported: ExportResult, seed_store: ox.Store, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "out"
    shutil.copytree(exported.out, out)
    before = _snapshot(out)

    def disk_full(store, folder):
        raise OSError(28, "No space left on device", str(folder / "instruments.csv"))

    monkeypatch.setattr("kg.export.write_tables", disk_full)
    config = load_config(write_config(tmp_path))
    with pytest.raises(
        ExportError, match=r"instruments.csv: cannot write: No space left on device"
    ):
        export(EmbeddedStore(seed_store), out, config, conformance=CONFORMANCE)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.toml", "out"]  # no leftovers


@pytest.mark.slow
def test_catalog_violation_is_not_published(
    exported: ExportResult, seed_store: ox.Store, tmp_path: Path, monkeypatch
) -> None:
    out = tmp_path / "out"
    shutil.copytree(exported.out, out)
    before = _snapshot(out)
    import kg.export as export_module

    original = export_module.catalog_graph
    shapes = require(*DCAT_SHAPES)

    def without_publisher(store, config, files):
        graph = original(store, config, files)
        graph.remove((DATASET, DCTERMS.publisher, None))
        return graph

    monkeypatch.setattr(export_module, "catalog_graph", without_publisher)
    with pytest.raises(CatalogInvalid, match=r"violation.*dct:publisher"):
        export(
            EmbeddedStore(seed_store),
            out,
            load_config(write_config(tmp_path)),
            conformance=shapes,
        )
    assert CatalogInvalid.exit_code == 1
    assert _snapshot(out) == before


@pytest.mark.slow
def test_export_replaces_an_earlier_export(
    exported: ExportResult, seed_store: ox.Store, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.txt").write_text("from an earlier export")
    export(
        EmbeddedStore(seed_store), out, load_config(write_config(tmp_path)), conformance=CONFORMANCE
    )
    assert not (out / "stale.txt").exists()
    assert _snapshot(out).keys() == _snapshot(exported.out).keys()
    assert (out / "catalog.ttl").stat().st_mode & 0o755 == 0o644


# --- the command line -----------------------------------------------------------------


@pytest.mark.slow
def test_cli_export(seed_build: BuildResult, tmp_path: Path, capsys) -> None:
    config = write_config(tmp_path)
    code = main(
        ["export", "--store", str(seed_build.store), "--out", str(tmp_path / "out"),
         "--config", str(config), "--conformance", str(require(*DCAT_SHAPES))]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "0 violations" in captured.out
    assert (tmp_path / "out" / "catalog.ttl").is_file()
    # The same recommendation unmet on every distribution is one line with a count.
    # every file but the catalogue and the report (the w3id rules are in a folder of their own)
    files = len([p for p in (tmp_path / "out").glob("*") if p.is_file()]) - 3
    assert f"dcat:accessService on {files} resources, e.g. " in captured.out
    assert len([ln for ln in captured.out.splitlines() if "dcat:accessService" in ln]) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 'blue'\n" + CONFIG_TEXT, "field 'colour': unknown field"),
        (CONFIG_TEXT.replace("[contact]", "[contact]\nfax = '112'"), "field 'contact.fax': unknown field"),
        (CONFIG_TEXT.replace("[contact]", "[contact]\nphone = 'call us'"), "field 'contact.phone': not a telephone number"),
        (CONFIG_TEXT + "[themes]\nowms = ['Kunstmatige intelligentie']\n", "field 'themes.owms': unknown theme 'Kunstmatige intelligentie'"),
        (CONFIG_TEXT + "[themes]\neu = []\n", "field 'themes.eu': needs at least one EU data theme"),
        (CONFIG_TEXT.replace('licence = "http://creativecommons.org/licenses/by/4.0/deed.nl"', 'licence = "https://opensource.org/licenses/MIT"'),
         "field 'licence': 'https://opensource.org/licenses/MIT' is not on the DCAT-AP-NL licence list"),
        (CONFIG_TEXT.replace('base_url = "https://data.example.org/ai-beleid/"', "base_url = 42"), "field 'base_url': must be a non-empty string (got 42)"),
        (CONFIG_TEXT.replace('base_url = "https://data.example.org/ai-beleid/"', 'base_url = "data/"'), "field 'base_url': must be an absolute http(s) URL"),
        (CONFIG_TEXT.replace('name = "Ministerie van Economische Zaken"\n', ""), "field 'publisher.name': is required"),
        (CONFIG_TEXT.split("[publisher]")[0], "field 'publisher': is required"),
        (CONFIG_TEXT.replace("[contact]", 'type = "http://purl.org/adms/publishertype/Ministry"\n[contact]'),
         "field 'publisher.type': 'http://purl.org/adms/publishertype/Ministry' is not an ADMS publisher type"),
        (CONFIG_TEXT.replace('email = "opendata@example.org"', 'email = "nobody"'), "field 'contact.email': not an e-mail address"),
        ("issued = 'yesterday'\n" + CONFIG_TEXT, "field 'issued': must be a date; write it as a TOML date, without quotes: issued = 2026-07-01 (got the string 'yesterday')"),
        ("issued = '2026-12-01'\n" + CONFIG_TEXT, "field 'issued': is a string, not a date: write it as a TOML date, without quotes: issued = 2026-12-01"),
        ("issued = 2026-12-01T10:00:00\n" + CONFIG_TEXT, "field 'issued': must be a date without a time of day"),
        ("base_url = \n", "not valid TOML"),
    ],
    ids=["unknown-key", "unknown-nested-key", "phone", "owms-theme", "no-eu-theme", "licence", "type", "url", "missing", "no-publisher", "publisher-type", "email", "date", "date-in-quotes", "date-with-time", "toml"],
)  # fmt: skip
def test_invalid_config_is_a_clear_error_and_exports_nothing(
    text: str, message: str, seed_build: BuildResult, exported: ExportResult, tmp_path: Path, capsys
) -> None:
    config = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(config)
    assert str(err.value).startswith(f"{config}: ")
    assert message in str(err.value)
    out = tmp_path / "out"
    shutil.copytree(exported.out, out)
    before = _snapshot(out)
    code = main(
        ["export", "--store", str(seed_build.store), "--out", str(out), "--config", str(config)]
    )
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.startswith(f"kg export: error: {config}: ")
    assert "Traceback" not in captured.err
    assert _snapshot(out) == before


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"nothere.toml: config file not found"):
        load_config(tmp_path / "nothere.toml")


def test_repository_config_is_valid() -> None:
    config = load_config()
    assert config.publisher.name
    assert config.licence in {
        "http://creativecommons.org/publicdomain/zero/1.0/deed.nl",
    }


# --- without the official shapes, dates, the file read ------------------------------------


@pytest.mark.slow
def test_without_the_official_shapes_the_export_is_written_and_says_so_loudly(
    seed_build: BuildResult, tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("KG_CONFORMANCE", str(tmp_path / "no-shared"))
    monkeypatch.setenv("KG_CONFORMANCE_CACHE", str(tmp_path / "no-cache"))
    config, out = write_config(tmp_path), tmp_path / "out"
    store = ["--store", str(seed_build.store), "--config", str(config)]
    code = main(["export", *store, "--out", str(out), "-q"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert (
        f"kg export: WARNING: {out / 'catalog.ttl'} was NOT validated against the official "
        "shapes: the official DCAT-AP 3.0.1 SHACL shapes"
    ) in err
    assert str(tmp_path / "no-shared") in err and str(tmp_path / "no-cache") in err
    assert {"catalog.ttl", "dataset.nq.gz", "void.ttl", "commitments.csv"} <= {
        p.name for p in out.iterdir()
    }
    report = (out / "validation-report.txt").read_text(encoding="utf-8")
    assert report.startswith("catalog.ttl was NOT validated against the official shapes: ")
    assert "python3 tasks.py test" in report
    # --strict does not publish a catalogue nobody checked
    code = main(["export", *store, "--out", str(tmp_path / "strict"), "--strict"])
    err = capsys.readouterr().err
    assert code == 1
    assert "catalog.ttl was NOT validated against the official shapes" in err
    assert not (tmp_path / "strict").exists()


def test_a_conformance_folder_that_is_not_there_is_a_usage_error(
    seed_build: BuildResult, tmp_path: Path, capsys
) -> None:
    code = main(["export", "--store", str(seed_build.store), "--out", str(tmp_path / "out"),
                 "--conformance", str(tmp_path / "nowhere")])  # fmt: skip
    assert code == 2
    assert f"--conformance {tmp_path / 'nowhere'}: no such folder" in capsys.readouterr().err


@pytest.mark.slow
def test_issued_is_kept_across_builds_and_modified_is_to_the_second(
    tmp_path: Path, monkeypatch
) -> None:
    """Without ``issued`` in the configuration, the first export's date stays the dataset's
    ``dct:issued`` in every later export into the folder, whatever was rebuilt: a harvester
    takes a changed ``issued`` for a new dataset."""
    import kg.export as export_module
    from kg.pipeline.build import build

    class FirstPublication(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 1, 2, 9, 30, tzinfo=tz)

    config, out, store = load_config(write_config(tmp_path)), tmp_path / "out", tmp_path / "store"
    assert config.issued is None
    issued, modified = [], []
    for run in range(2):
        build(PROJECT.data, store, PROJECT.ontology, full=True)
        with monkeypatch.context() as patch:
            if run == 0:
                patch.setattr(export_module, "datetime", FirstPublication)
            export(open_store(store), out, config, conformance=CONFORMANCE)
        catalog = Graph().parse(out / "catalog.ttl", format="turtle")
        issued.append(catalog.value(DATASET, DCTERMS.issued))
        modified.append(str(catalog.value(DATASET, DCTERMS.modified)))
        void = Graph().parse(out / "void.ttl", format="turtle")
        assert str(void.value(DATASET, DCTERMS.modified)) == modified[-1]
    assert issued == [Literal(date(2026, 1, 2))] * 2
    for value in modified:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", value), value


@pytest.mark.slow
def test_messages_name_the_configuration_file_that_was_read(
    seed_build: BuildResult, tmp_path: Path, capsys
) -> None:
    config = tmp_path / "portal-settings.toml"
    config.write_text(CONFIG_TEXT, encoding="utf-8")
    out = tmp_path / "out"
    code = main(["export", "--store", str(seed_build.store), "--out", str(out),
                 "--config", str(config)])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    assert f"[{config}] issued: not set" in printed
    report = (out / "validation-report.txt").read_text(encoding="utf-8")
    assert f"Publication readiness of the configuration ({config.name})" in report
    assert f"[{config}] issued: not set" in report
    assert "export.toml" not in report


# --- the w3id.org redirect rules --------------------------------------------------------------


def rewrite(rules: str, path: str) -> tuple[int, str] | None:
    """What Apache's mod_rewrite makes of ``path`` (relative to the namespace) with these rules:
    the status and the target of the first rule that matches."""
    for line in rules.splitlines():
        if not line.startswith("RewriteRule "):
            continue
        _, pattern, target, flags = line.split(" ")
        match = re.match(pattern, path)
        if match:
            found = re.search(r"R=(\d+)", flags)
            assert found is not None, line
            status = int(found.group(1))
            return status, match.expand(target.replace("$", "\\"))
    return None


def test_the_w3id_rules_send_every_iri_of_the_catalogue_to_the_server(
    exported: ExportResult, catalog: Graph
) -> None:
    from kg.export.w3id import HTACCESS
    from kg.rdf.namespaces import BASE

    assert exported.w3id == exported.out / HTACCESS
    assert HTACCESS.as_posix() == "w3id/ai-beleid/.htaccess"
    rules = exported.w3id.read_text(encoding="utf-8")
    target = "https://data.example.org/ai-beleid/"  # base_url of CONFIG_TEXT
    assert "RewriteEngine on" in rules
    ours = sorted({str(t) for triple in catalog for t in triple if str(t).startswith(BASE)})
    assert str(DATASET) in ours and len(ours) > 20
    for iri in ours:
        rewritten = rewrite(rules, iri.removeprefix(BASE).split("#")[0])
        assert rewritten is not None, iri
        status, goes_to = rewritten
        assert goes_to == target + iri.removeprefix(BASE).split("#")[0], iri
        assert status == (303 if iri.startswith(BASE + "id/") else 302), iri
    assert rewrite(rules, "") == (302, target)
    assert rewrite(rules, "def/aip") == (302, target + "def/aip")


@pytest.mark.slow
def test_no_w3id_rules_without_a_target_and_the_readiness_says_why(
    seed_store: ox.Store, tmp_path: Path
) -> None:
    text = CONFIG_TEXT.replace(
        'base_url = "https://data.example.org/ai-beleid/"',
        'base_url = "https://w3id.org/ai-beleid/"',
    )
    config = load_config(write_config(tmp_path, text))
    assert config.w3id_target is None  # a redirect from the namespace to itself would loop
    result = export(EmbeddedStore(seed_store), tmp_path / "out", config, validate=False)
    assert result.w3id is None and not (tmp_path / "out" / "w3id").exists()
    [warning] = [w for w in result.readiness if w.field == "w3id_target"]
    assert "cannot be written" in warning.message
    # TOML: a key after a table belongs to that table, and is named as its field
    with pytest.raises(ConfigError, match=r"field 'contact\.w3id_target': unknown field"):
        load_config(write_config(tmp_path, text + '\nw3id_target = "https://kg.example.nl/"'))
    config = load_config(write_config(tmp_path, 'w3id_target = "https://kg.example.nl/"\n' + text))
    assert config.w3id_target == "https://kg.example.nl/"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"https://w3id.org/ai-beleid/"', "must be where kg serve is published"),
        ('"https://kg.example.nl"', "must end with '/'"),
        ('"kg.example.nl/"', "must be an absolute http(s) URL"),
    ],
)
def test_a_wrong_w3id_target_is_named(value: str, message: str, tmp_path: Path) -> None:
    path = write_config(tmp_path, f"w3id_target = {value}\n" + CONFIG_TEXT)
    expected = re.escape(f"{path}: field 'w3id_target': {message}")
    with pytest.raises(ConfigError, match=expected):
        load_config(path)
