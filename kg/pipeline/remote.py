"""``kg build --store http://...``: the build written to a SPARQL 1.1 server.

Every document is converted before the server is touched (spooled to a temporary folder as
N-Triples, so memory stays flat), so bad input never leaves a half-written dataset behind.
Then graph by graph: removed and changed documents dropped, changed ones written, ontology and
reference data on a full build, and the build graph (the manifest) last. See
``kg.pipeline.incremental`` for why that order makes an interrupted build safe to repeat.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from kg.rdf.namespaces import BUILD_GRAPH, GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, document_graph


def build_remote(url, plan, inputs, digests, started, jobs, remote_options):
    from kg.pipeline import incremental as inc
    from kg.pipeline.build import BuildResult
    from kg.store.remote import RemoteStore

    store = RemoteStore(url, **{k: v for k, v in (remote_options or {}).items() if v})
    result = BuildResult(url, 0, full=plan.full)
    seen = {e.identifier: e.path for e in plan.unchanged.values()}
    entries = list(plan.unchanged.values())
    with tempfile.TemporaryDirectory(prefix="kg-remote-build-") as spool:
        spooled: list[tuple[str, Path]] = []
        for index, processed in enumerate(inc.convert_all(plan.changed, inputs, jobs)):
            inc.check_identifiers(processed, seen)
            path = Path(spool) / f"{index}.nt"
            path.write_bytes(processed.ntriples)
            name = str(document_graph(processed.entry.identifier))
            spooled.append((name, path))
            entries.append(processed.entry)
            result.documents.append(processed.summary)
        ours = str(GRAPH)
        stale = (
            [g for g in store.named_graphs() if g.startswith(ours)]
            if plan.full
            else [str(document_graph(e.identifier)) for e in plan.removed]
        )
        for name in stale:
            store.drop_graph(name)
        result.removed = stale
        for name, path in spooled:
            store.replace_graph(name, path.read_bytes())
            result.changed.append(name)
    if plan.full:
        store.replace_graph(str(ONTOLOGY_GRAPH), inc.ntriples(inputs.ontology))
        store.replace_graph(str(REFERENCE_GRAPH), inc.ntriples(inputs.reference))
    provenance = inc.manifest_graph(entries, digests, started, datetime.now(UTC))
    store.replace_graph(str(BUILD_GRAPH), inc.ntriples(provenance))
    result.unchanged = len(plan.unchanged)
    result.triples = (
        len(inputs.ontology)
        + len(inputs.reference)
        + len(provenance)
        + sum(e.triples for e in entries)
    )
    return result
