"""The endpoint publishes the export: the same catalogue the export validated, and its files."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT

from kg.cli import main
from kg.rdf.namespaces import DATASET, SPDX, VOID
from tests.support import loopback
from tests.support.live_server import running_server


@pytest.fixture(scope="module")
def exported(seed_build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "out"
    assert main(["export", "--store", str(seed_build.store), "--out", str(out), "-q"]) == 0
    return out


@pytest.fixture(scope="module")
def server(seed_build, exported: Path):
    with running_server(seed_build.store, "--export", str(exported)) as base:
        yield base


def test_catalog_is_the_exported_one(server: str, exported: Path) -> None:
    turtle = loopback.get(server + "/catalog", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    assert turtle.content == (exported / "catalog.ttl").read_bytes()
    jsonld = loopback.get(server + "/catalog", headers={"Accept": "application/ld+json"})
    assert jsonld.content == (exported / "catalog.jsonld").read_bytes()
    assert loopback.get(server + "/catalog", headers={"Accept": "image/png"}).status_code == 406


def test_every_distribution_downloads_with_its_checksum(server: str) -> None:
    catalog = Graph().parse(data=loopback.get(server + "/catalog").text, format="turtle")
    distributions = list(catalog.subjects(DCAT.downloadURL, None))
    assert len(distributions) >= 10
    for distribution in distributions:
        url = str(catalog.value(distribution, DCAT.downloadURL))
        name = url.rsplit("/download/", 1)[1]
        body = loopback.get(f"{server}/download/{name}").content
        checksum = catalog.value(distribution, SPDX.checksum)
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()


def test_only_exported_files_are_served(server: str) -> None:
    response = loopback.get(server + "/download/..%2F..%2Fpyproject.toml")
    assert response.status_code == 404
    assert (
        loopback.get(server + "/download/nothing.ttl").text.strip()
        == "no exported file 'nothing.ttl'"
    )


def test_the_dataset_iri_dereferences_to_its_dcat_record(server: str, exported: Path) -> None:
    from rdflib.namespace import DCTERMS

    path = str(DATASET).removeprefix("https://w3id.org/ai-beleid")
    see_other = loopback.get(server + path, follow_redirects=False)
    assert see_other.status_code == 303
    record = see_other.headers["location"]
    assert record == path.replace("/id/", "/doc/", 1)
    turtle = loopback.get(server + record, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    assert turtle.content == (exported / "catalog.ttl").read_bytes()
    jsonld = loopback.get(server + record, headers={"Accept": "application/ld+json"})
    assert jsonld.content == (exported / "catalog.jsonld").read_bytes()
    page = loopback.get(server + record, headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    catalog = Graph().parse(exported / "catalog.ttl", format="turtle")
    for title in catalog.objects(DATASET, DCTERMS.title):
        assert str(title) in page.text
    for distribution in catalog.objects(DATASET, DCAT.distribution):
        name = str(catalog.value(distribution, DCAT.downloadURL)).rsplit("/", 1)[1]
        assert f'href="/download/{name}"' in page.text
    publisher = catalog.value(DATASET, DCTERMS.publisher)
    assert f'href="{publisher}"' in page.text
    assert "CC0 1.0" in page.text  # the licence of the repository's export.toml
    # Other resources still get the generic linked-data page.
    assert loopback.get(server + "/doc/instrument/nadi").status_code == 200


def test_the_record_page_shows_the_publisher_contact_and_licence(
    seed_store, tmp_path: Path
) -> None:
    from kg.export.config import parse_config
    from kg.export.dcat import catalog_graph
    from kg.server.dcat_record import record_html

    config = parse_config(
        {
            "licence": "http://creativecommons.org/licenses/by/4.0/deed.nl",
            "publisher": {
                "iri": "https://identifier.overheid.nl/tooi/id/ministerie/mnre1034",
                "name": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
            },
            "contact": {"name": "Team open data", "email": "opendata@minbzk.nl",
                        "phone": "+31 70 426 6426"},
        },
        tmp_path / "export.toml",
    )  # fmt: skip
    page = record_html(catalog_graph(seed_store, config).serialize(format="turtle"))
    assert (
        '<a href="https://identifier.overheid.nl/tooi/id/ministerie/mnre1034">'
        "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties</a>"
    ) in page
    assert '<a href="mailto:opendata@minbzk.nl">opendata@minbzk.nl</a>' in page
    assert '<a href="tel:+31704266426">+31704266426</a>' in page
    assert ">CC BY 4.0</a>" in page


# --- what a portal's harvester and an RDF library get ---------------------------------------


def test_rdflib_reads_every_dump_straight_from_the_servers_url(
    server: str, seed_store, exported: Path
) -> None:
    """rdflib asks with an Accept header of RDF types and no Accept-Encoding: the gzipped
    N-Quads come decompressed, as N-Quads; the others as the file, with their media type."""
    from rdflib import Dataset

    from kg.export.dumps import DUMPS

    quads = sum(1 for _ in seed_store.quads_for_pattern(None, None, None, None))
    union = len(Graph().parse(exported / "dataset.ttl", format="turtle"))
    for dump in DUMPS:
        url = f"{server}/download/{dump.filename}"
        if dump.whole_dataset:
            read = Dataset().parse(url)  # the format from the Content-Type alone
            assert sum(1 for _ in read.quads((None, None, None, None))) == quads, url
        else:
            assert len(Graph().parse(url)) == union, url


def test_the_gzipped_dump_is_served_by_what_the_client_accepts(server: str, exported: Path) -> None:
    url = server + "/download/dataset.nq.gz"
    raw = (exported / "dataset.nq.gz").read_bytes()
    # a browser, curl, a harvester saving the file: the file as it is, as application/gzip
    file = loopback.get(url, headers={"Accept": "*/*", "Accept-Encoding": "identity"})
    assert file.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in file.headers
    assert file.content == raw
    # asked for N-Quads and accepting gzip: the same bytes, as a gzip-encoded N-Quads answer
    with loopback.client() as client:
        request = client.build_request(
            "GET", url, headers={"Accept": "application/n-quads", "Accept-Encoding": "gzip"}
        )
        encoded = client.send(request, stream=True)
        body = b"".join(encoded.iter_raw())
        encoded.close()
    assert encoded.headers["content-type"] == "application/n-quads"
    assert encoded.headers["content-encoding"] == "gzip"
    assert body == raw
    assert "Accept-Encoding" in encoded.headers["vary"]
    # asked for N-Quads without gzip: N-Quads, decompressed
    plain = loopback.get(
        url, headers={"Accept": "application/n-quads", "Accept-Encoding": "identity"}
    )
    assert plain.headers["content-type"] == "application/n-quads"
    assert "content-encoding" not in plain.headers
    assert plain.content == gzip.decompress(raw)


def test_the_catalogue_parses_in_every_offered_format(server: str, exported: Path) -> None:
    written = Graph().parse(exported / "catalog.ttl", format="turtle")
    for media_type, rdflib_format in [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ]:
        response = loopback.get(server + "/catalog", headers={"Accept": media_type})
        assert response.status_code == 200, media_type
        assert response.headers["content-type"].startswith(media_type)
        parsed = Graph().parse(data=response.content, format=rdflib_format)
        assert isomorphic(parsed, written), media_type
        assert len(Graph().parse(server + "/catalog", format=rdflib_format)) == len(written)
    page = loopback.get(server + "/catalog", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html")
    assert "AI-beleid kennisgraaf" in page.text and 'href="/download/dataset.trig"' in page.text
    record = loopback.get(
        server + "/doc/dataset/ai-beleid", headers={"Accept": "application/rdf+xml"}
    )
    assert isomorphic(Graph().parse(data=record.content, format="xml"), written)


def test_the_live_void_is_the_exported_one(server: str, exported: Path) -> None:
    """One VoID: the endpoint serves the export's description of the build it serves, with
    the configured endpoint and the dumps, not a second one of its own."""
    exported_void = Graph().parse(exported / "void.ttl", format="turtle")
    for media_type, rdflib_format in [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
    ]:
        response = loopback.get(server + "/.well-known/void", headers={"Accept": media_type})
        assert response.status_code == 200
        live = Graph().parse(data=response.content, format=rdflib_format)
        assert isomorphic(live, exported_void), media_type
    assert (None, VOID.dataDump, None) in exported_void
