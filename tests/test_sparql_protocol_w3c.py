"""The W3C SPARQL 1.1 Protocol test suite, run against a real ``kg serve`` on loopback.

The manifest and its data are read in place, where ``kg`` finds the official conformance
material (``tests.support.conformance``: ``../shared/conformance/sparql11-protocol``, else the
cache ``python3 tasks.py test`` fetches it into); without them every test here is reported as
not run, with the reason.
The data files are loaded into a separate store as the named graphs the manifest names
(``ut:graphData``). Every query-side test must pass; the endpoint is read-only, so every
update-side request must get a clear 4xx that says so (or why the request is wrong).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from kg.project import missing_conformance
from tests.support import PROJECT, conformance, loopback
from tests.support.live_server import running_server

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"

TABULAR_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF_TYPES = {
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "application/trig",
}


def manifest_dir() -> Path | None:
    found = conformance.root(*conformance.PROTOCOL)
    return found / "sparql11-protocol" if found is not None else None


MANIFEST_DIR = manifest_dir()


@dataclass
class HttpRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected_statuses: list[str]  # "2xx", "3xx", "4xx"
    expected_format: str | None
    expected_boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    title: str
    requests: list[HttpRequest]
    graph_data: dict[str, Path] = field(default_factory=dict)

    @property
    def update_side(self) -> bool:
        return "update" in self.name


def _requests(g: Graph, action) -> list[HttpRequest]:
    out = []
    for req in Collection(g, g.value(action, HT.requests)):
        body_node = g.value(req, HT.body)
        body = None
        if body_node is not None:
            chars = str(g.value(body_node, CNT.chars))
            encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = chars.encode(encoding.lower())
        headers = {}
        headers_node = g.value(req, HT.headers)
        if headers_node is not None:
            for h in Collection(g, headers_node):
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
        resp = g.value(req, HT.resp)
        boolean = g.value(resp, MF.expectedBoolean)
        fmt = g.value(resp, MF.expectedFormat)
        out.append(
            HttpRequest(
                method=str(g.value(req, HT.methodName)),
                path=str(g.value(req, HT.absolutePath)),
                headers=headers,
                body=body,
                expected_statuses=sorted(
                    str(s).removeprefix(HTS) for s in g.objects(resp, MF.expectedStatus)
                ),
                expected_format=str(fmt) if fmt is not None else None,
                expected_boolean=boolean.toPython() if isinstance(boolean, Literal) else None,
            )
        )
    return out


def load_manifest(directory: Path) -> list[ProtocolTest]:
    manifest = directory / "manifest.ttl"
    g = Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
    root = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    entries = g.value(root, MF.entries)
    assert entries is not None, manifest
    for entry in Collection(g, entries):
        graph_data = {}
        for data in g.objects(entry, UT.graphData):
            file_iri = g.value(data, UT.graph)
            graph_data[str(g.value(data, RDFS.label))] = Path(str(file_iri).removeprefix("file://"))
        tests.append(
            ProtocolTest(
                name=str(entry).rsplit("#", 1)[-1],
                title=str(g.value(entry, MF.name)),
                requests=_requests(g, g.value(entry, MF.action)),
                graph_data=graph_data,
            )
        )
    return tests


TESTS = load_manifest(MANIFEST_DIR) if MANIFEST_DIR is not None else []


def _cases(update_side: bool) -> list:
    """The manifest's tests of one side; without the manifest, one case that is reported as
    not run with the reason (an empty list would only say "got empty parameter set")."""
    if MANIFEST_DIR is None:
        reason = f"not run: {missing_conformance(PROJECT, *conformance.PROTOCOL)}"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="no-manifest")]
    return [t for t in TESTS if t.update_side is update_side]


def test_manifest_found_every_entry() -> None:
    folder = conformance.require(*conformance.PROTOCOL) / "sparql11-protocol"
    assert folder == MANIFEST_DIR
    assert len(TESTS) == 34
    assert sum(not t.update_side for t in TESTS) == 20
    assert all(t.requests for t in TESTS)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("protocol")
    store_path = folder / "store"
    store = ox.Store(str(store_path))
    loaded = {}
    for test in TESTS:
        loaded.update(test.graph_data)
    assert loaded, "the manifest names no data files"
    for name, path in loaded.items():
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    store.flush()
    del store
    with running_server(store_path, "--query-timeout", "10") as base:
        yield base


def _send(client: httpx.Client, base: str, request: HttpRequest) -> httpx.Response:
    return client.request(
        request.method, base + request.path, headers=request.headers, content=request.body
    )


def _boolean(response: httpx.Response) -> bool:
    media_type = response.headers["content-type"].split(";")[0]
    if media_type == "application/sparql-results+json":
        return json.loads(response.content)["boolean"]
    root = ET.fromstring(response.content)
    node = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert node is not None, response.text
    return node.text == "true"


def check(response: httpx.Response, request: HttpRequest) -> None:
    status_class = f"{response.status_code // 100}xx"
    assert status_class in request.expected_statuses, (
        f"{response.status_code} {response.text!r}; expected {request.expected_statuses}"
    )
    if status_class == "4xx":
        assert response.text.strip(), "a 4xx answer says why"
        assert "Traceback" not in response.text
    media_type = response.headers.get("content-type", "").split(";")[0]
    if request.expected_format == "boolean":
        assert media_type in BOOLEAN_TYPES, media_type
    elif request.expected_format == "tabular":
        assert media_type in TABULAR_TYPES, media_type
    elif request.expected_format == "RDF":
        assert media_type in RDF_TYPES, media_type
        Graph().parse(data=response.content, format=media_type)
    if request.expected_boolean is not None:
        assert _boolean(response) is request.expected_boolean


@pytest.mark.parametrize("test", _cases(update_side=False), ids=lambda t: t.name)
def test_query_side(server: str, test: ProtocolTest) -> None:
    with loopback.client(timeout=30) as client:
        for request in test.requests:
            check(_send(client, server, request), request)


@pytest.mark.parametrize("test", _cases(update_side=True), ids=lambda t: t.name)
def test_update_side_is_refused(server: str, test: ProtocolTest) -> None:
    """Read-only: the first request of each update test gets a 4xx naming the reason."""
    with loopback.client(timeout=30) as client:
        response = _send(client, server, test.requests[0])
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    if response.status_code == 403:
        assert "read-only" in response.text
    else:  # a malformed update request: the reason is the form, not the update itself
        assert response.status_code in (400, 405, 415), response.text
    assert "Traceback" not in response.text
    # And nothing changed: the data the manifest loaded is still there.
    with loopback.client(timeout=30) as client:
        ask = client.get(
            server + "/sparql",
            params={"query": "ASK { GRAPH ?g { ?s a <http://xmlns.com/foaf/0.1/Document> } }"},
            headers={"Accept": "application/sparql-results+json"},
        )
    assert ask.json()["boolean"] is True
