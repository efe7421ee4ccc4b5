"""The official conformance material: pinned in kg/conformance.toml, found in the project's
conformance folder or fetched by tasks.py into a cache (kept only with the pinned SHA-256), and
where there is none, the tests that need it are reported as not run and kg export says its
catalogue was not checked."""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import tasks
from kg.project import (
    ENV_CONFORMANCE,
    ENV_CONFORMANCE_CACHE,
    Material,
    Project,
    conformance_cache,
    conformance_pins,
    file_sha256,
    missing_conformance,
)
from tests.support import PROJECT, REPO_ROOT
from tests.support.live_server import free_port

FILES = {"shapes.ttl": b"<a> <b> <c> .\n", "more.ttl": b"<d> <e> <f> .\n"}


def fake_material(files: dict[str, bytes] = FILES) -> dict[str, Material]:
    return {
        "fake": Material(
            key="fake",
            folder="fake-1.0",
            title="Fake shapes",
            repository="owner/repo",
            commit="0" * 40,
            path="shapes/v1",
            licence="none",
            sha256={name: hashlib.sha256(body).hexdigest() for name, body in files.items()},
        )
    }


@contextmanager
def serving(files: dict[str, bytes]) -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server answering ``/{path}`` from ``files`` (keys: full paths); yields
    its base URL and the list of paths asked for."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            body = files.get(self.path.lstrip("/"))
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", asked
    finally:
        server.shutdown()
        server.server_close()


def project_without_material(tmp_path: Path) -> Project:
    env = {
        ENV_CONFORMANCE: str(tmp_path / "shared"),
        ENV_CONFORMANCE_CACHE: str(tmp_path / "cache"),
    }
    return Project.at(REPO_ROOT, env)


def remote(files: dict[str, bytes] = FILES) -> dict[str, bytes]:
    return {f"owner/repo/{'0' * 40}/shapes/v1/{name}": body for name, body in files.items()}


# --- the pins -------------------------------------------------------------------------------


def test_every_material_is_pinned_to_a_commit_with_sha256_per_file() -> None:
    pins = conformance_pins()
    assert set(pins) == {"dcat-ap", "dcat-ap-nl", "sparql11-protocol"}
    for material in pins.values():
        assert len(material.commit) == 40 and int(material.commit, 16) >= 0
        assert material.sha256 and all(len(d) == 64 for d in material.sha256.values())
    assert pins["dcat-ap"].url("shapes.ttl") == (
        "https://raw.githubusercontent.com/SEMICeu/DCAT-AP/"
        "7c531da7f154794da620fd0e57a3e8afe0286c0f/releases/3.0.1/html/shacl/shapes.ttl"
    )
    assert pins["sparql11-protocol"].url("manifest.ttl", "https://mirror.example/raw/") == (
        "https://mirror.example/raw/w3c/rdf-tests/ad541a5f0479f0798608c4801369d97b8e08b36f/"
        "sparql/sparql11/protocol/manifest.ttl"
    )


def test_the_shared_copies_are_the_pinned_files() -> None:
    """Where ../shared/conformance is beside the checkout, its files are the ones pinned: the
    cache a plain clone fetches holds the same bytes the tests here ran against."""
    if not PROJECT.conformance.is_dir():
        pytest.skip(f"not run: no conformance folder {PROJECT.conformance} to compare with")
    for material in conformance_pins().values():
        for name, digest in material.sha256.items():
            assert file_sha256(PROJECT.conformance / material.folder / name) == digest, name


def test_the_cache_is_per_user_and_outside_the_checkout(tmp_path: Path) -> None:
    assert conformance_cache({ENV_CONFORMANCE_CACHE: str(tmp_path)}) == tmp_path
    assert conformance_cache({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "kg" / "conformance"
    assert not conformance_cache({}).is_relative_to(REPO_ROOT)


# --- tasks.py fetches what is missing ---------------------------------------------------------


def test_fetches_into_the_cache_once_and_kg_finds_it_there(tmp_path: Path) -> None:
    project = project_without_material(tmp_path)
    pins = fake_material()
    with serving(remote()) as (mirror, asked):
        assert tasks.ensure_conformance(mirror, pins, project) == []
        assert len(asked) == 2
        assert tasks.ensure_conformance(mirror, pins, project) == []  # the cache is used
        assert len(asked) == 2
    for name, body in FILES.items():
        assert (project.conformance_cache / "fake-1.0" / name).read_bytes() == body
    assert not project.conformance.exists()


def test_a_file_with_another_sha256_is_not_kept(tmp_path: Path) -> None:
    project = project_without_material(tmp_path)
    changed = {**FILES, "more.ttl": b"<d> <e> <changed> .\n"}
    with serving(remote(changed)) as (mirror, _):
        missing = tasks.ensure_conformance(mirror, fake_material(), project)
    assert len(missing) == 1, missing
    assert len(missing) == 1
    assert missing[0].startswith(f"fake-1.0/more.ttl from {mirror}owner/repo/")
    assert f"not the pinned {fake_material()['fake'].sha256['more.ttl']}; not used" in missing[0]
    assert not (project.conformance_cache / "fake-1.0" / "more.ttl").exists()
    assert (project.conformance_cache / "fake-1.0" / "shapes.ttl").exists()
    assert sorted(p.name for p in (project.conformance_cache / "fake-1.0").iterdir()) == [
        "shapes.ttl"
    ]  # no temporary file left behind


def test_offline_every_file_is_reported_missing_and_the_set_up_goes_on(
    tmp_path: Path, capsys
) -> None:
    project = project_without_material(tmp_path)
    closed = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    missing = tasks.ensure_conformance(closed, fake_material(), project)
    assert [line.split(" from ")[0] for line in missing] == [
        "fake-1.0/shapes.ttl",
        "fake-1.0/more.ttl",
    ]
    assert all("cannot reach 127.0.0.1" in line for line in missing)
    printed = capsys.readouterr().out
    assert "will be reported as not run" in printed
    assert not project.conformance_cache.exists()


def test_the_project_folder_is_used_where_it_holds_the_files(tmp_path: Path) -> None:
    project = project_without_material(tmp_path)
    folder = project.conformance / "fake-1.0"
    folder.mkdir(parents=True)
    for name, body in FILES.items():
        (folder / name).write_bytes(body)
    with serving({}) as (mirror, asked):
        assert tasks.ensure_conformance(mirror, fake_material(), project) == []
    assert asked == []
    assert not project.conformance_cache.exists()


# --- where kg looks -------------------------------------------------------------------------


def test_kg_takes_the_cache_when_the_project_folder_lacks_the_material(tmp_path: Path) -> None:
    project = project_without_material(tmp_path)
    before = project.dcat_conformance  # a property: read again below, after the writes
    assert before is None
    for key in ("dcat-ap", "dcat-ap-nl"):
        material = conformance_pins()[key]
        for name in material.sha256:
            target = project.conformance_cache / material.folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("# stands in for the official file\n")
    assert project.dcat_conformance == project.conformance_cache
    assert project.conformance_root("sparql11-protocol") is None


def test_the_reason_names_the_files_the_places_and_how_to_get_them(tmp_path: Path) -> None:
    project = project_without_material(tmp_path)
    reason = missing_conformance(project, "sparql11-protocol")
    assert "W3C SPARQL 1.1 Protocol tests (sparql11-protocol/: manifest.ttl" in reason
    assert str(project.conformance) in reason and str(project.conformance_cache) in reason
    assert "python3 tasks.py test" in reason and "kg/conformance.toml" in reason
