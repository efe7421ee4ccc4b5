"""kg export as data.overheid.nl would harvest it (issue 18): a configured publisher or a warning
naming the placeholder, Dutch (OWMS) themes beside the EU ones, a contact with an e-mail
address, temporal coverage from the source documents' own dates, CSV files that are RFC 4180
with a label beside every IRI column, and CSVW metadata that describes and validates them."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS

from kg.cli import main
from kg.errors import NotReadyToPublish
from kg.export import ExportResult, export
from kg.export.config import PUBLISHER_TYPE_NS, PUBLISHER_TYPES, load_config
from kg.export.conformance import conformance_dir, validate_catalog
from kg.export.csvw import METADATA_FILE
from kg.export.dcat import catalog_graph, distribution_iri, temporal_coverage
from kg.export.readiness import readiness_warnings
from kg.export.tables import TABLES, write_tables
from kg.export.themes import (
    EU_THEME_SCHEME,
    OWMS_TERMS,
    OWMS_THEME_SCHEME,
    eu_theme_iri,
    owms_theme_iri,
)
from kg.pipeline.build import BuildResult, build
from kg.rdf.namespaces import AIP, DATASET, VCARD
from kg.sources.parsers import parse_file
from kg.store.embedded import EmbeddedStore
from tests.support import PROJECT, solutions, value_of
from tests.support.conformance import DCAT_SHAPES, require

CONFORMANCE = conformance_dir()  # None without the official shapes: exports are then unchecked
FIXTURES = Path(__file__).parent / "fixtures" / "sources"
READY = """
base_url = "https://data.example.nl/ai-beleid/"
issued = 2026-07-01
[publisher]
iri = "https://identifier.overheid.nl/tooi/id/ministerie/mnre1034"
name = "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"
type = "http://purl.org/adms/publishertype/NationalAuthority"
[contact]
name = "Team open data"
email = "opendata@minbzk.nl"
phone = "+31 70 426 6426"
[themes]
eu = ["GOVE", "TECH"]
owms = ["ICT", "Parlement"]
"""


def config_file(folder: Path, text: str = READY) -> Path:
    path = folder / "export.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ready(seed_store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> ExportResult:
    folder = tmp_path_factory.mktemp("ready")
    config = load_config(config_file(folder))
    # --strict also refuses a catalogue it could not check: without the official shapes the
    # tests of the files still run, those of the check are reported as not run
    strict = CONFORMANCE is not None
    return export(seed_store, folder / "out", config, conformance=CONFORMANCE, strict=strict)


@pytest.fixture(scope="module")
def catalog(ready: ExportResult) -> Graph:
    return Graph().parse(ready.out / "catalog.ttl", format="turtle")


def _csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


# --- both official shape sets ---------------------------------------------------------


@pytest.mark.slow
def test_ready_export_has_no_violations_and_no_readiness_warnings(
    ready: ExportResult, catalog: Graph
) -> None:
    report = validate_catalog(catalog, require(*DCAT_SHAPES))
    assert report.violations == [], "\n".join(f.line() for f in report.violations)
    assert {f.profile for f in report.findings} <= {"DCAT-AP 3.0.1", "DCAT-AP-NL 3.0"}
    # The one recommendation left: a download file is not reached through a data service.
    assert {f.path for f in report.warnings} == {"dcat:accessService"}
    assert {f.focus for f in report.warnings} == {
        str(distribution_iri(f.filename)) for f in ready.files
    }
    assert ready.readiness == ()
    text = (ready.out / "validation-report.txt").read_text(encoding="utf-8")
    assert "violations: 0" in text and "readiness warnings: 0" in text


# --- placeholders and --strict --------------------------------------------------------


@pytest.mark.slow
def test_default_config_warns_naming_the_placeholder_publisher(
    seed_build: BuildResult, tmp_path: Path, capsys
) -> None:
    config = load_config()  # the repository's export.toml
    warnings = {w.field: w.message for w in readiness_warnings(config)}
    assert config.publisher.iri in warnings["publisher.iri"]
    assert "placeholder" in warnings["publisher.iri"]
    assert "contact.email" in warnings
    out = tmp_path / "out"
    code = main(["export", "--store", str(seed_build.store), "--out", str(out)])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    assert f"publisher.iri: {config.publisher.iri}" in printed
    report = (out / "validation-report.txt").read_text(encoding="utf-8")
    # the file that was read, as it was named (here the default one, found in the project)
    assert f"[{PROJECT.export_config}] publisher.iri: {config.publisher.iri}" in report
    assert f"readiness warnings: {len(warnings)}" in report


@pytest.mark.slow
def test_strict_fails_on_the_placeholder_and_publishes_nothing(
    seed_build: BuildResult, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "earlier.txt").write_text("an earlier export")
    code = main(["export", "--store", str(seed_build.store), "--out", str(out), "--strict"])
    err = capsys.readouterr().err
    assert code == NotReadyToPublish.exit_code == 1
    assert "not ready to publish (--strict)" in err
    assert "publisher.iri: https://w3id.org/ai-beleid/id/organisation/beheerder" in err
    assert sorted(p.name for p in out.iterdir()) == ["earlier.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no temporary folder left


@pytest.mark.slow
def test_strict_passes_with_a_ready_config(seed_build: BuildResult, tmp_path: Path, capsys) -> None:
    code = main(["export", "--store", str(seed_build.store), "--out", str(tmp_path / "out"),
                 "--config", str(config_file(tmp_path)), "--strict", "-q",
                 "--conformance", str(require(*DCAT_SHAPES))])  # fmt: skip
    assert code == 0, capsys.readouterr().err


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        (('email = "opendata@minbzk.nl"', 'email = "someone@example.org"'), "contact.email"),
        (('iri = "https://identifier.overheid.nl/tooi/id/ministerie/mnre1034"',
          'iri = "https://www.example.nl/organisatie"'), "publisher.iri"),
        (('iri = "https://identifier.overheid.nl/tooi/id/ministerie/mnre1034"',
          'iri = "https://identifier.overheid.nl/tooi/id/mnre1034"'), "publisher.iri"),
        (('type = "http://purl.org/adms/publishertype/NationalAuthority"\n', ""), "publisher.type"),
        (('base_url = "https://data.example.nl/ai-beleid/"', 'base_url = "http://localhost:8000/"'),
         "base_url landing_page sparql_endpoint"),  # the other two default to base_url
        (('owms = ["ICT", "Parlement"]', "owms = []"), "themes.owms"),
        (("issued = 2026-07-01\n", ""), "issued"),
    ],
    ids=["example-email", "unregistered-publisher", "tooi-without-register", "no-type", "localhost", "no-owms", "no-issued"],
)  # fmt: skip
def test_each_portal_problem_is_a_warning(change, fields: str, tmp_path: Path) -> None:
    text = READY.replace(*change)
    assert text != READY
    warnings = readiness_warnings(load_config(config_file(tmp_path, text)))
    assert [w.field for w in warnings] == fields.split()


# --- themes and contact ----------------------------------------------------------------


def test_an_owms_theme_beside_an_eu_theme(catalog: Graph) -> None:
    themes = set(catalog.objects(DATASET, DCAT.theme))
    eu = {t for t in themes if str(t).startswith(f"{EU_THEME_SCHEME}/")}
    owms = {t for t in themes if str(t).startswith(OWMS_TERMS)}
    assert eu == {URIRef(f"{EU_THEME_SCHEME}/GOVE"), URIRef(f"{EU_THEME_SCHEME}/TECH")}
    assert owms == {URIRef(f"{OWMS_TERMS}ICT"), URIRef(f"{OWMS_TERMS}Parlement")}
    for theme in themes:
        assert (theme, RDF.type, SKOS.Concept) in catalog
        assert catalog.value(theme, SKOS.prefLabel) is not None
    assert {catalog.value(t, SKOS.inScheme) for t in owms} == {OWMS_THEME_SCHEME}
    catalogue = next(catalog.subjects(RDF.type, DCAT.Catalog))
    assert set(catalog.objects(catalogue, DCAT.themeTaxonomy)) == {
        EU_THEME_SCHEME,
        OWMS_THEME_SCHEME,
    }


def test_contact_has_email_and_telephone(catalog: Graph) -> None:
    contact = catalog.value(DATASET, DCAT.contactPoint)
    assert catalog.value(contact, VCARD.hasEmail) == URIRef("mailto:opendata@minbzk.nl")
    assert catalog.value(contact, VCARD.hasTelephone) == URIRef("tel:+31704266426")


OTHER = """
issued = 2026-07-01
[publisher]
iri = "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"
name = "Gemeente Amsterdam"
type = "http://purl.org/adms/publishertype/LocalAuthority"
[contact]
name = "Servicedesk open data"
email = "opendata@amsterdam.nl"
url = "https://www.amsterdam.nl/contact/"
[themes]
eu = ["REGI"]
owms = ["Bestuur", "Europese_zaken"]
"""


@pytest.mark.parametrize("text", [READY, OTHER], ids=["ready", "other"])
def test_publisher_contact_and_themes_come_from_the_configuration(
    text: str, seed_store: ox.Store, tmp_path: Path
) -> None:
    config = load_config(config_file(tmp_path, text))
    catalog = catalog_graph(seed_store, config)
    publisher = URIRef(config.publisher.iri)
    assert catalog.value(DATASET, DCTERMS.publisher) == publisher
    assert catalog.value(publisher, FOAF.name) == Literal(config.publisher.name, lang="nl")
    kind = catalog.value(publisher, DCTERMS.type)
    assert config.publisher.type is not None and kind == URIRef(config.publisher.type)
    assert catalog.value(kind, SKOS.prefLabel) == Literal(
        PUBLISHER_TYPES[str(kind).removeprefix(PUBLISHER_TYPE_NS)], lang="en"
    )
    contact = catalog.value(DATASET, DCAT.contactPoint)
    expected = {
        VCARD.fn: Literal(config.contact.name),
        VCARD.hasEmail: URIRef(f"mailto:{config.contact.email}"),
        VCARD.hasTelephone: config.contact.telephone_uri and URIRef(config.contact.telephone_uri),
        VCARD.hasURL: config.contact.url and URIRef(config.contact.url),
    }
    assert {p: catalog.value(contact, p) for p in expected} == expected
    themes = set(catalog.objects(DATASET, DCAT.theme))
    assert themes == {eu_theme_iri(c) for c in config.themes.eu} | {
        owms_theme_iri(n) for n in config.themes.owms
    }
    report = validate_catalog(catalog, require(*DCAT_SHAPES))
    assert report.violations == [], "\n".join(f.line() for f in report.violations)


# --- temporal coverage -------------------------------------------------------------------


def _stated_dates(sources: Path) -> list:
    dates = []
    for path in sources.iterdir():
        letter = parse_file(path).letter
        dates += [d for d in (letter.meeting_date, letter.submitted, letter.received) if d]
    return dates


@pytest.mark.slow
def test_temporal_coverage_starts_at_the_first_source_document(
    data_dir: Path, tmp_path: Path
) -> None:
    for name in ("ah-tk-20232024-412.pdf.txt", "ah-tk-20242025-1502.md"):
        shutil.copy(FIXTURES / name, data_dir / "sources" / name)
    result = build(data_dir, tmp_path / "store", PROJECT.ontology, jobs=1)
    dates = _stated_dates(data_dir / "sources")
    store = ox.Store.read_only(str(Path(result.store).resolve()))
    assert temporal_coverage(store) == (min(dates), max(dates))
    # Reference data has an earlier date (the EU AI strategy of 2018): it is not coverage.
    [row] = solutions(
        store.query(
            "SELECT (MIN(?d) AS ?d) WHERE { GRAPH <https://w3id.org/ai-beleid/graph/reference> "
            "{ ?s <http://purl.org/dc/terms/issued> ?d } }"
        )
    )
    assert row["d"].value < min(dates).isoformat()


def test_seed_coverage_is_the_seed_letters_own_date(seed_store: ox.Store, catalog: Graph) -> None:
    [date] = _stated_dates(Path(__file__).parent.parent / "data" / "sources")
    assert temporal_coverage(seed_store) == (date, date)
    assert temporal_coverage(EmbeddedStore(seed_store)) == (date, date)  # GraphStore protocol
    period = catalog.value(DATASET, DCTERMS.temporal)
    assert catalog.value(period, DCAT.startDate) == Literal(date)


# --- CSV files -------------------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES, ids=[t.filename for t in TABLES])
def test_csv_is_crlf_with_a_label_beside_each_iri_column(
    table, ready: ExportResult, seed_store: ox.Store
) -> None:
    data = (ready.out / table.filename).read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(data, newline="")))
    assert data.endswith("\r\n") and data.count("\r\n") == len(rows)  # each record ends CRLF
    header, body = rows[0], rows[1:]
    assert body, f"{table.filename} is empty"
    iri_columns = [i for i, name in enumerate(header)
                   if any(r[i].startswith(("http://", "https://")) for r in body)]  # fmt: skip
    assert iri_columns
    # A cell with several IRIs (commitments' topics) holds them and their labels separated by
    # the column's CSVW separator, in the same order.
    separators = {c.name: c.separator for c in table.output_columns()}
    for i in iri_columns:
        assert header[i + 1] == f"{header[i]}_label", (table.filename, header[i])
        separator = separators[header[i]]

        def split(cell: str, separator: str | None = separator) -> list[str]:
            return cell.split(separator) if separator else [cell]

        for row in body:
            if not row[i]:
                continue
            assert row[i + 1], f"{table.filename}: {row[i]} has no label in column {header[i + 1]}"
            has_english = header[i + 2 : i + 3] == [f"{header[i]}_label_en"]
            english = split(row[i + 2]) if has_english else []
            for k, (iri, label) in enumerate(zip(split(row[i]), split(row[i + 1]), strict=True)):
                [nl] = _pref_labels(seed_store, iri, "nl") or [label]
                assert label == nl, (table.filename, iri)
                if has_english:
                    [en] = _pref_labels(seed_store, iri, "en") or [english[k]]
                    assert english[k] == en
                else:  # no English column: then nothing in this column has an English label
                    assert not _english_labels(seed_store, iri), (table.filename, iri)


def _english_labels(store: ox.Store, iri: str) -> list[str]:
    return [
        value_of(q.object)
        for p in (SKOS.prefLabel, RDFS.label, DCTERMS.title)
        for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(str(p)), None)
        if getattr(q.object, "language", None) == "en"
    ]


def _pref_labels(store: ox.Store, iri: str, lang: str) -> list[str]:
    pref = ox.NamedNode(str(SKOS.prefLabel))
    return sorted({
        q.object.value
        for q in store.quads_for_pattern(ox.NamedNode(iri), pref, None)
        if isinstance(q.object, ox.Literal) and q.object.language == lang
    })  # fmt: skip


def test_eu_packages_holds_only_packages(ready: ExportResult, seed_store: ox.Store) -> None:
    package = ox.NamedNode("https://w3id.org/ai-beleid/id/concept/instrument-type-package")
    kinds = {}
    for q in seed_store.quads_for_pattern(None, ox.NamedNode(f"{AIP}instrumentType"), None):
        kinds[value_of(q.subject)] = q.object
    initiatives = {value_of(q.subject) for q in seed_store.quads_for_pattern(
        None, ox.NamedNode(str(RDF.type)), ox.NamedNode(f"{AIP}EUInitiative"))}  # fmt: skip
    packages = {r[0] for r in _csv(ready.out / "eu-packages.csv")[1:]}
    assert packages == {i for i in initiatives if kinds.get(i) == package}
    assert packages < initiatives  # the other initiatives are in eu-initiatives.csv
    assert {r[0] for r in _csv(ready.out / "eu-initiatives.csv")[1:]} == initiatives


@pytest.mark.slow
def test_tables_are_the_same_through_the_graph_store_protocol(
    ready: ExportResult, seed_store: ox.Store, tmp_path: Path
) -> None:
    for path in write_tables(EmbeddedStore(seed_store), tmp_path):
        assert path.read_bytes() == (ready.out / path.name).read_bytes()


# --- CSVW metadata ------------------------------------------------------------------------


@pytest.mark.slow
def test_csvw_metadata_describes_every_csv_and_validates(ready: ExportResult) -> None:
    from csvw import CSVW, TableGroup

    path = ready.out / METADATA_FILE
    assert CSVW(str(path), validate=True).is_valid
    group = TableGroup.from_file(path)
    files = {p.name for p in ready.out.glob("*.csv")}
    assert {str(t.url) for t in group.tables} == files == {t.filename for t in TABLES}
    for table in group.tables:
        rows = _csv(ready.out / str(table.url))
        columns = table.tableSchema.columns
        assert [c.name for c in columns] == rows[0]
        for i, column in enumerate(columns):  # a column holding IRIs has a valueUrl template
            values = [r[i] for r in rows[1:] if r[i]]
            holds_iris = bool(values) and all(v.startswith(("http://", "https://")) for v in values)
            if holds_iris or column.valueUrl is not None:
                assert holds_iris and str(column.valueUrl) == f"{{+{column.name}}}", column.name
        about = next(t.about for t in TABLES if t.filename == str(table.url))
        assert (about and str(table.tableSchema.aboutUrl)) == (about and f"{{+{about}}}")
        for column in columns:
            assert {"nl", "en"} <= set(column.titles), (table.url, column.name)
            assert all(column.titles[lang][0] for lang in ("nl", "en"))
        read_back = list(table.iterdicts(strict=True))
        assert len(read_back) == len(rows) - 1
        iris = []
        for column in columns:
            if column.valueUrl is not None:  # an IRI column: read back as a URI
                assert column.datatype.base == "anyURI"
                for r in read_back:  # a column with a separator reads back as a list
                    value = r[column.name]
                    iris += value if isinstance(value, list) else [value] if value else []
        assert iris and all(v.unsplit().startswith("http") for v in iris)


def test_csvw_validation_catches_a_value_of_the_wrong_datatype(
    ready: ExportResult, tmp_path: Path
) -> None:
    from csvw import CSVW

    for path in ready.out.iterdir():
        if path.suffix in (".csv", ".json"):
            shutil.copy(path, tmp_path / path.name)
    broken = tmp_path / "commitments.csv"
    rows = _csv(broken)
    rows[1][rows[0].index("number")] = "twelve"  # an integer column
    with open(broken, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    checked = CSVW(str(tmp_path / METADATA_FILE), validate=True)
    assert not checked.is_valid
    assert any("twelve" in str(w.message) for w in checked.warnings)


def test_csv_metadata_is_a_distribution(ready: ExportResult, catalog: Graph) -> None:
    node = distribution_iri(METADATA_FILE)
    assert (DATASET, DCAT.distribution, node) in catalog
    assert catalog.value(node, DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/application/csvm+json"
    )
    metadata = json.loads((ready.out / METADATA_FILE).read_text(encoding="utf-8"))
    assert metadata["@context"][0] == "http://www.w3.org/ns/csvw"


def test_every_distribution_has_dutch_and_english_title_and_description(catalog: Graph) -> None:
    distributions = list(catalog.objects(DATASET, DCAT.distribution))
    assert len(distributions) >= len(TABLES) + 9
    for node in distributions:
        for prop in (DCTERMS.title, DCTERMS.description):
            langs = {getattr(v, "language", None) for v in catalog.objects(node, prop)}
            assert langs == {"nl", "en"}, (node, prop)
        titles = catalog.objects(node, DCTERMS.title)
        english = str(next(v for v in titles if getattr(v, "language", None) == "en"))
        assert ".csv" not in english and not english.startswith("Table:")
