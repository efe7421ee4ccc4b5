"""A SPARQL 1.1 server as a store: Virtuoso, Fuseki, GraphDB, QLever.

Reading uses the SPARQL 1.1 Protocol (``POST`` of ``query=``, JSON results); writing uses
SPARQL 1.1 Update (``DROP SILENT GRAPH``, ``INSERT DATA``) at ``update_url`` (default: the query
URL), or, when ``graph_store_url`` is given, the Graph Store HTTP Protocol (``PUT``/``POST`` of
N-Triples to ``?graph=IRI``), which loads a whole graph in one request.

Union graph. The queries in ``queries/`` match over the union of the named graphs and name no
dataset, so they see the server's default graph. Virtuoso's default graph is the union of all
its graphs (including its own system graphs, which share no terms with ours); GraphDB's too.
Fuseki needs ``tdb2:unionDefaultGraph true`` on the dataset; QLever loads one graph per index.
This module does not rewrite queries into ``GRAPH ?g`` patterns: configure the server.

Parameters. A server cannot take bindings: ``kg.rdf.bindings.bind_values`` writes them as a
``VALUES`` block first in the query's outermost group (the embedded store does the same).

Blank nodes. A graph is sent in one request, since each request gives its blank nodes fresh
identities (a document graph is about a thousand triples). Graphs with blank nodes (the build
graph) go as ``INSERT {...} WHERE {}``, because Virtuoso refuses blank nodes in ``INSERT DATA``.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox

from kg.errors import StoreError
from kg.rdf.bindings import bind_values, strip_prologue
from kg.store.protocol import Term

ACCEPT = (
    "application/sparql-results+json, application/n-triples;q=0.9, text/plain;q=0.5, "
    "application/sparql-results+xml;q=0.4, text/turtle;q=0.3"
)
# Triples per INSERT DATA: Virtuoso 7's SPARQL compiler ran out of memory ("SP030 ... memory
# exhausted") at line 4,992 of one statement holding a seed document's graph with its mention
# tallies; a thousand a statement stays far below that and costs one request per thousand.
INSERT_DATA_TRIPLES = 1_000
GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.5"


class RemoteStore:
    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        timeout: float = 600.0,
    ) -> None:
        self.query_url, auth = _split_credentials(query_url)
        self.update_url = _split_credentials(update_url)[0] if update_url else self.query_url
        self.graph_store_url = _split_credentials(graph_store_url)[0] if graph_store_url else None
        self.timeout = timeout
        self.headers = {"Authorization": f"Basic {auth}"} if auth else {}

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_url!r})"

    # -- HTTP --------------------------------------------------------------------------------

    def _request(
        self,
        url: str,
        data: bytes | None,
        content_type: str | None,
        method: str = "POST",
        accept: str = ACCEPT,
    ) -> tuple[str, bytes]:
        headers = {"Accept": accept, **self.headers}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as err:
            detail = err.read().decode("utf-8", "replace").strip().splitlines()
            message = detail[0] if detail else err.reason
            raise StoreError(f"{url}: HTTP {err.code}: {message[:300]}") from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise StoreError(f"{url}: cannot reach the SPARQL endpoint: {reason}") from None

    def _form(self, url: str, accept: str = ACCEPT, **fields: str) -> tuple[str, bytes]:
        body = urllib.parse.urlencode(fields).encode("ascii")
        return self._request(
            url, body, "application/x-www-form-urlencoded; charset=utf-8", accept=accept
        )

    def update(self, text: str) -> None:
        self._form(self.update_url, update=text)

    # -- GraphStore --------------------------------------------------------------------------

    def query(self, text: str, substitutions: Mapping[ox.Variable, Term] | None = None):
        if substitutions:
            text = bind_values(text, substitutions)
        # Graph results as N-Triples: asked for JSON, Virtuoso answers a CONSTRUCT in RDF/JSON.
        graph_form = re.match(r"\s*(?:CONSTRUCT|DESCRIBE)\b", strip_prologue(text), re.I)
        accept = GRAPH_ACCEPT if graph_form else ACCEPT
        content_type, body = self._form(self.query_url, accept=accept, query=text)
        return parse_results(content_type, body)

    def named_graphs(self) -> list[str]:
        # GROUP BY, not DISTINCT: the same answer, which Virtuoso gives from its graph index
        # (milliseconds) where DISTINCT scans every quad it holds (a second on an empty server).
        rows = self.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))

    def drop_graph(self, name: str) -> None:
        self.update(f"DROP SILENT GRAPH {ox.NamedNode(name)}")

    def replace_graph(self, name: str, ntriples: bytes) -> None:
        if self.graph_store_url:
            self._graph_store("PUT", name, ntriples)
        else:
            self.drop_graph(name)
            self.add_to_graph(name, ntriples)

    def add_to_graph(self, name: str, ntriples: bytes) -> None:
        if self.graph_store_url:
            self._graph_store("POST", name, ntriples)
            return
        graph = ox.NamedNode(name)
        lines = ntriples.decode("utf-8").splitlines()
        blank = [line for line in lines if "_:" in line]
        if blank:
            # Some servers (Virtuoso) refuse blank nodes in INSERT DATA; a template with an
            # empty WHERE inserts them once, with one fresh identity each, as INSERT DATA would.
            # One statement for all of them: a blank node's label means one node only within
            # a statement.
            body = "\n".join(blank)
            self.update(f"INSERT {{ GRAPH {graph} {{\n{body}\n}} }} WHERE {{}}")
        ground = [line for line in lines if line.strip() and "_:" not in line]
        for start in range(0, len(ground), INSERT_DATA_TRIPLES):
            body = "\n".join(ground[start : start + INSERT_DATA_TRIPLES])
            self.update(f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}")

    def replace_graphs(self, graphs: Iterable[tuple[str, bytes]]) -> None:
        for name, ntriples in graphs:
            self.replace_graph(name, ntriples)

    def load_quads(self, quads: Iterable[ox.Quad]) -> int:
        by_graph: dict[str, list[ox.Triple]] = {}
        for quad in quads:
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise ValueError(f"not in a named graph, so not for load_quads: {quad}")
            by_graph.setdefault(quad.graph_name.value, []).append(quad.triple)
        for name, triples in by_graph.items():
            ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            assert ntriples is not None  # given no output, pyoxigraph returns the bytes
            self.add_to_graph(name, ntriples)
        return sum(len(t) for t in by_graph.values())

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """Read with one SELECT over ``GRAPH ?g`` (a server may cap the rows it returns)."""
        where = "GRAPH ?g { ?s ?p ?o }"
        bindings = {ox.Variable("g"): ox.NamedNode(graph)} if graph is not None else None
        for row in self.query(f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}", bindings):
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"])

    def _graph_store(self, method: str, name: str, ntriples: bytes) -> None:
        assert self.graph_store_url
        separator = "&" if "?" in self.graph_store_url else "?"
        url = f"{self.graph_store_url}{separator}{urllib.parse.urlencode({'graph': name})}"
        self._request(url, ntriples, "application/n-triples", method=method, accept="*/*")


def _split_credentials(url: str) -> tuple[str, str | None]:
    """``http://user:pw@host/...`` -> the URL without them, and a Basic credential."""
    parts = urllib.parse.urlsplit(url)
    if not parts.username:
        return url, None
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    clean = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    user = urllib.parse.unquote(parts.username)
    password = urllib.parse.unquote(parts.password or "")
    return clean, base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def _valid_blank_nodes(body: bytes) -> bytes:
    """Virtuoso names blank nodes ``nodeID://b10001``, which is no valid blank node label:
    each label becomes its hex form, the same across queries and distinct for distinct nodes."""
    results = json.loads(body)
    for row in results.get("results", {}).get("bindings", []):
        for value in row.values():
            if value.get("type") == "bnode":
                value["value"] = "b" + value["value"].encode("utf-8").hex()
    return json.dumps(results).encode("utf-8")


def parse_results(content_type: str, body: bytes):
    media = content_type.split(";")[0].strip().lower()
    if media in ("application/sparql-results+json", "application/json"):
        if b'"bnode"' in body:
            body = _valid_blank_nodes(body)
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if media == "application/sparql-results+xml":
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
    formats = {
        "application/n-triples": ox.RdfFormat.N_TRIPLES,
        "text/plain": ox.RdfFormat.N_TRIPLES,
        "text/turtle": ox.RdfFormat.TURTLE,
    }
    if media in formats:
        # Graph results as pyoxigraph's own QueryTriples, so callers need not care where from.
        store = ox.Store()
        store.load(body, format=formats[media])
        return store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    raise StoreError(f"the SPARQL endpoint answered with unexpected content type {content_type!r}")
