"""Write the golden query results from the seed graph built now, and from the multi-document
fixture corpus (tests/golden/corpus.py) into tests/golden/corpus/.

    python -m tests.golden regenerate          every query in queries/
    python -m tests.golden regenerate NAME...  only these queries

Run from the repository root, after an intended change; then read ``git diff tests/golden``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pyoxigraph as ox

from kg.pipeline.build import build
from kg.query.library import list_queries, run
from tests.golden import CORPUS_FOLDER, FOLDER, golden_path, render
from tests.golden.corpus import corpus_project
from tests.support import PROJECT


def regenerate(names: list[str]) -> int:
    queries = list_queries(PROJECT.queries)
    unknown = set(names) - {q.name for q in queries}
    if unknown:
        print(f"tests.golden: no such query: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="kg-golden-") as tmp:
        corpus = corpus_project(Path(tmp) / "corpus")
        for data, folder in ((PROJECT.data, FOLDER), (corpus, CORPUS_FOLDER)):
            store_path = Path(tmp) / folder.name / "store"
            build(data, store_path, PROJECT.ontology)
            store = ox.Store.read_only(str(store_path))
            folder.mkdir(exist_ok=True)
            for query in queries:
                if names and query.name not in names:
                    continue
                path = golden_path(query, folder)
                path.write_text(render(query, run(store, query, query.default_bindings())), "utf-8")
                print(f"wrote {path.relative_to(FOLDER.parent.parent)}")
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "regenerate":
        print(__doc__, file=sys.stderr)
        return 2
    return regenerate(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
