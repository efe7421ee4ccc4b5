"""Where the dataset lives: one small interface, two implementations.

- ``EmbeddedStore`` (``kg.store.embedded``): the Oxigraph database that ``kg build`` writes
  atomically (``kg.store.versions``), the default.
- ``RemoteStore`` (``kg.store.remote``): any SPARQL 1.1 server (Virtuoso, Fuseki, GraphDB,
  QLever) over the SPARQL 1.1 Protocol, written with SPARQL 1.1 Update or the Graph Store HTTP
  Protocol.

Queries run over the union of the named graphs. The embedded store does that with Oxigraph's
``use_default_graph_as_union``; a remote store relies on the server's default graph being the
union of its graphs (see ``kg.store.remote`` for what that means per server).

``open_store(spec)`` picks the implementation: an ``http(s)://`` URL is a remote store, anything
else a path to an embedded one.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kg.store.embedded import EmbeddedStore
from kg.store.lazy_graph import StoreGraph
from kg.store.protocol import GraphStore, QueryResult, Term
from kg.store.remote import RemoteStore

__all__ = [
    "EmbeddedStore",
    "GraphStore",
    "QueryResult",
    "RemoteStore",
    "Term",
    "graph_store",
    "is_remote",
    "local_snapshot",
    "open_store",
    "read_graph",
]


def is_remote(spec: str | Path) -> bool:
    return str(spec).startswith(("http://", "https://"))


def open_store(spec: str | Path, **remote_options) -> GraphStore:
    """An existing store to read: a remote endpoint URL or a path built by ``kg build``.

    ``remote_options`` (``update_url``, ``graph_store_url``, ``timeout``) apply to a remote
    store only; unset ones (None) take the store's defaults.
    """
    if is_remote(spec):
        given = {name: value for name, value in remote_options.items() if value is not None}
        return RemoteStore(str(spec), **given)
    return EmbeddedStore.open(Path(spec))


def graph_store(store: GraphStore | ox.Store) -> GraphStore:
    """``store`` behind the interface: a bare Oxigraph store (as some callers still hold) is
    wrapped, so readers query the union of the named graphs the same way everywhere."""
    return EmbeddedStore(store) if isinstance(store, ox.Store) else store


def read_graph(store: GraphStore, name: str) -> StoreGraph:
    """The named graph ``name`` as an rdflib ``Graph`` (for pySHACL and rdflib readers), read
    from the store when first used."""
    return StoreGraph(store, name)


@contextmanager
def local_snapshot(store: GraphStore) -> Iterator[GraphStore]:
    """``store`` itself when it is embedded; a remote store's named graphs copied, in one read,
    into a temporary embedded store. A reader that goes over the dataset many times (kg
    export, kg analyse) then asks the server once, and sees one state of the dataset even if
    the server changes meanwhile."""
    if not isinstance(store, RemoteStore):
        yield store
        return
    with tempfile.TemporaryDirectory(prefix="kg-snapshot-") as folder:
        copy = EmbeddedStore(ox.Store(folder))
        copy.load_quads(store.quads())
        try:
            yield copy
        finally:
            del copy.store  # the database closes before its folder is removed
