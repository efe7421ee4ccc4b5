"""The build graph (PROV-O): which code version built which document graph from which file,
and when. ``kg.pipeline.manifest`` adds the digests of the inputs to it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

from kg.convert.document import new_graph
from kg.rdf.namespaces import AIP, ID, SCHEMA


class SourceRecord(Protocol):
    """What the build graph says of a graph's source: a ``Document``, or a manifest entry."""

    @property
    def path(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def identifier(self) -> str: ...


def build_provenance(
    graphs: Mapping[URIRef, tuple[SourceRecord, int]],
    version: str,
    commit: str | None,
    started: datetime,
    ended: datetime,
) -> Graph:
    """PROV-O: which code version built which graph from which file, and when."""
    g = new_graph()
    stamp = started.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    activity = ID[f"build/{stamp}"]
    agent = ID[f"software/kg/{version}" + (f"/{commit}" if commit else "")]
    g.add((agent, RDF.type, PROV.SoftwareAgent))
    g.add((agent, RDFS.label, Literal(f"kg {version}" + (f" ({commit})" if commit else ""))))
    g.add((agent, SCHEMA.softwareVersion, Literal(version)))
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal(f"kg build {stamp}")))
    g.add((activity, PROV.startedAtTime, Literal(started, datatype=XSD.dateTime)))
    g.add((activity, PROV.endedAtTime, Literal(ended, datatype=XSD.dateTime)))
    g.add((activity, PROV.wasAssociatedWith, agent))
    for graph_name, (document, triples) in graphs.items():
        source = BNode()
        g.add((source, RDF.type, PROV.Entity))
        g.add((source, AIP.sourceFile, Literal(document.path)))
        g.add((source, AIP.sha256, Literal(document.sha256, datatype=XSD.hexBinary)))
        g.add((activity, PROV.used, source))
        g.add((graph_name, RDF.type, PROV.Entity))
        g.add((graph_name, PROV.wasGeneratedBy, activity))
        g.add((graph_name, PROV.wasDerivedFrom, source))
        g.add((graph_name, SCHEMA.about, ID[f"document/{document.identifier}"]))
        g.add((graph_name, SCHEMA.size, Literal(triples)))
    g.add((activity, SKOS.note, Literal(f"{len(graphs)} document graphs")))
    return g
