"""How fast the search index answers (issue 29: well under 100 ms at 10,000 entities).

    .venv/bin/python benchmarks/search.py [--documents 600] [--entities 10000,50000]
                                          [--repeat 50] [--out benchmarks/SEARCH.md]

Two kinds of index, each measured with the same queries (a prefix, another name, an exact
label, a typo, words of a text, a name that is nowhere):

1. **Built**: ``kg bench generate`` writes DOCUMENTS letters beside the seed, ``kg build``
   builds them, and the index the build wrote is read (curated and minted entities, and every
   document with its questions, answers and commitments). Also timed: writing the index during
   the build, and loading it as the server does.
2. **Entities**: the curated entities of data/reference plus synthetic ones, made from the
   words of the curated names (each with a label per language, two other names and an
   abbreviation, like the curated ones), up to each size of --entities: the names are what a
   query is matched against one by one.

Each query runs REPEAT times after one warm-up; the table gives the median, the 99th
percentile and the maximum in milliseconds, in one process (the server runs the same call in a
thread). Prints the table and writes it to --out. Timings on a shared machine are noisy; the
figures are of one run.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kg.pipeline.build import build  # noqa: E402
from kg.pipeline.search import SearchIndex  # noqa: E402
from kg.pipeline.search_index import build_index, read_index  # noqa: E402
from kg.project import Project  # noqa: E402
from kg.store import open_store  # noqa: E402
from kg.synthetic.generate import generate  # noqa: E402

QUERIES = (
    ("prefix", "algoritmereg"),
    ("other name", "AI Act"),
    ("exact label", "Nationaal Agentschap voor Disruptieve Innovatie"),
    ("typo", "Algoritmeregistr"),
    ("text words", "cyberveiligheid van Nederland"),
    ("typo in text", "revolverendheidsdoelstellig"),
    ("nowhere", "zwaluwstaartvlinder"),
)


def timed(index: SearchIndex, query: str, repeat: int) -> list[float]:
    index.search(query)  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        index.search(query)
        times.append((time.perf_counter() - started) * 1000)
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(index: SearchIndex, repeat: int) -> list[tuple[str, float, float, float, int]]:
    rows = []
    for kind, query in QUERIES:
        times = timed(index, query, repeat)
        found = len(index.search(query))
        rows.append((kind, statistics.median(times), percentile(times, 0.99), max(times), found))
    return rows


def synthetic(base: SearchIndex, size: int, seed: int = 29) -> SearchIndex:
    """The curated entities and synthetic ones up to ``size`` entities in all."""
    rng = random.Random(seed)
    curated = [
        e for e in base.entries if e["kind"] not in ("document", "question", "answer", "commitment")
    ]
    words = sorted(
        {w for e in curated for text, _ in e["names"] for w in text.split() if len(w) > 3}
    )
    entries = list(curated)
    kinds = ("instrument", "eu", "organisation", "person", "international")
    for number in range(size - len(curated)):
        name = " ".join(rng.sample(words, rng.randint(2, 5)))
        english = " ".join(rng.sample(words, rng.randint(2, 5)))
        short = "".join(w[0] for w in name.split()).upper() + str(number % 97)
        entries.append({
            "iri": f"https://w3id.org/ai-beleid/id/synthetic/{number}",
            "kind": rng.choice(kinds), "type": "",
            "labels": {"nl": name, "en": english},
            "names": [[name, "label"], [english, "label"], [name.lower() + " programma", "alt"],
                      [short, "alt"]],
        })  # fmt: skip
    return SearchIndex(entries, base.classes)


def table(title: str, rows: list[tuple]) -> list[str]:
    lines = [f"### {title}", "", "| query | text | median ms | p99 ms | max ms | results |",
             "|---|---|---:|---:|---:|---:|"]  # fmt: skip
    texts = dict(QUERIES)
    for kind, median, p99, worst, found in rows:
        lines.append(
            f"| {kind} | `{texts[kind]}` | {median:.2f} | {p99:.2f} | {worst:.2f} | {found} |"
        )
    return [*lines, ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=600)
    parser.add_argument("--entities", default="10000,50000")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "SEARCH.md")
    args = parser.parse_args()
    project = Project.at(ROOT)
    report = [
        "# Search index: latency",
        "",
        f"`python benchmarks/search.py --documents {args.documents} --entities {args.entities} "
        f"--repeat {args.repeat}` on {platform.node() and 'this machine'}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. One process, after one warm-up per query.",
        "",
    ]
    with tempfile.TemporaryDirectory(prefix="kg-search-bench-") as folder:
        data = Path(folder) / "data"
        generate(data, args.documents, seed=29, reference=project.reference)
        (data / "sources" / "2026D32673.txt").write_text(
            (project.data / "sources" / "2026D32673.txt").read_text(encoding="utf-8"),
            encoding="utf-8",
        )
        started = time.perf_counter()
        result = build(data, Path(folder) / "store", project.ontology)
        built = time.perf_counter() - started
        store = open_store(Path(folder) / "store")
        started = time.perf_counter()
        build_index(store, None, [])
        indexing = time.perf_counter() - started
        started = time.perf_counter()
        index = SearchIndex.from_index(read_index(Path(folder) / "store"))
        loading = time.perf_counter() - started
        kinds = {}
        for entry in index.entries:
            kinds[entry["kind"]] = kinds.get(entry["kind"], 0) + 1
        report += [
            f"## Built: the seed and {args.documents} generated letters",
            "",
            f"{result.triples:,} triples; the index holds {len(index.entries):,} entries "
            f"({', '.join(f'{n:,} {k}' for k, n in sorted(kinds.items(), key=lambda i: -i[1]))}), "
            f"{len(index.names):,} names and {len(index.vocabulary):,} distinct words of text.",
            "",
            f"- the build took {built:.1f} s, of which writing the index (read from the store, "
            f"as a full build does) {indexing:.2f} s;",
            f"- loading the index as the server does (read, parse, prepare): {loading * 1000:.0f} ms.",
            "",
            *table(f"{len(index.entries):,} entries", measure(index, args.repeat)),
        ]
        for size in (int(s) for s in args.entities.split(",") if s):
            entities = synthetic(index, size)
            report += [
                f"## {size:,} entities (curated and synthetic names)",
                "",
                f"{len(entities.names):,} names.",
                "",
                *table(f"{size:,} entities", measure(entities, args.repeat)),
            ]
    text = "\n".join(report)
    print(text)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
