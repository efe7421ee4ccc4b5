"""The endpoint publishes the export: the same catalogue the export validated, and its files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import DCAT

from kg.cli import main
from kg.rdf.namespaces import SPDX
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


def test_without_an_export_the_catalog_says_how_to_make_one(seed_build, tmp_path: Path) -> None:
    with running_server(seed_build.store, "--export", str(tmp_path / "none")) as base:
        response = loopback.get(base + "/catalog")
    assert response.status_code == 404
    assert "no export to publish; run 'kg export'" in response.text


def test_the_dataset_iri_dereferences_to_its_dcat_record(server: str, exported: Path) -> None:
    from rdflib.namespace import DCTERMS

    from kg.rdf.namespaces import DATASET

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


def test_without_an_export_the_dataset_record_says_how_to_make_one(
    seed_build, tmp_path: Path
) -> None:
    with running_server(seed_build.store, "--export", str(tmp_path / "none")) as base:
        response = loopback.get(base + "/doc/dataset/ai-beleid")
    assert response.status_code == 404
    assert "is written by 'kg export'" in response.text


def test_the_record_page_shows_the_publisher_contact_and_licence(
    seed_store, tmp_path: Path
) -> None:
    from kg.export.config import parse_config
    from kg.export.dcat import catalog_graph
    from kg.server.routes.dataset_record import record_html

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
