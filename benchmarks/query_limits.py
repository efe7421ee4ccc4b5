"""What the query engine really survives, and what it can do in time: for each construct a
query can repeat or nest, the smallest count that crashes a process running it the way a
``kg serve`` worker does, or makes Oxigraph take more than ``SLOW`` seconds to prepare and run
it; and the limit ``kg.server.query_check`` sets for it (issue 27: 3,000 commas in one object
list took a worker while the check allowed 4,000).

    .venv/bin/python benchmarks/query_limits.py [--store build/store] [--out benchmarks/QUERY_LIMITS.md]

Each query runs in a fresh process with the worker's memory limit (``--max-memory``, default
1024 MiB) and the default stack, on the store (the seed is built if none is given): parsed the
way the check parses (Oxigraph's parser, as ``calls_out`` does), then prepared, evaluated and
read (its first thousand rows; the constructs repeat variables, so none explodes into a
product). A process ended by a signal is a crash; one that takes longer than ``SLOW`` seconds
is stopped there (in a worker the time limit would stop it and replace the worker). The search
halves the range between a count that ran and one that failed. The report has one row per
construct: where it fails and how, the count of the checked token the query then holds, and
the limit: "held" when the limit is below it.
"""

from __future__ import annotations

import argparse
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kg.rdf import sparql  # noqa: E402
from kg.server.query_check import (  # noqa: E402
    MAX_COUNTS,
    MAX_DEPTH,
    MAX_JOINS,
    joins,
)

# A tenth of kg serve's default time limit (10 s), measured on an idle machine: a machine
# under load is several times slower, and a query the time limit stops costs a worker.
SLOW = 1.0
P = "<https://w3id.org/ai-beleid/def/aip#answers>"
RUNNER = """
import itertools, sys, time, pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
started = time.monotonic()
try:
    ox.Store().query(text + "\\n\\x00")
except SyntaxError:
    pass
try:
    result = store.query(text, use_default_graph_as_union=True)
    if not isinstance(result, ox.QueryBoolean):
        for _ in itertools.islice(result, 1000):
            pass
except (SyntaxError, ValueError, OSError, MemoryError):
    pass
print(time.monotonic() - started)
"""


@dataclass(frozen=True)
class Construct:
    name: str
    key: str  # the check's key ("depth" for nesting)
    make: Callable[[int], str]
    most: int  # searched up to this count


def _repeat(head: str, item: Callable[[int], str], joint: str, tail: str) -> Callable[[int], str]:
    return lambda n: head + joint.join(item(i) for i in range(n)) + tail


TRIPLE = f"?s {P} ?o"
CONSTRUCTS = [
    Construct(
        "nested groups { }",
        "depth",
        lambda n: "SELECT * WHERE " + "{" * n + TRIPLE + "}" * n,
        20_000,
    ),
    Construct(
        "nested brackets ( )",
        "depth",
        lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * n + "true" + ")" * n + ") }",
        20_000,
    ),
    Construct(
        "nested blank nodes [ ]",
        "depth",
        lambda n: "SELECT * WHERE { ?s ?p " + f"[ {P} " * n + "?o" + " ]" * n + " }",
        20_000,
    ),
    Construct(
        "nested subqueries",
        "depth",
        lambda n: "SELECT * WHERE " + "{ SELECT * WHERE " * n + f"{{ {TRIPLE} }}" + " }" * n,
        4_000,
    ),
    Construct(
        "nested function calls",
        "depth",
        lambda n: "SELECT * WHERE { BIND(" + "STR(" * n + "1" + ")" * n + " AS ?x) }",
        20_000,
    ),
    Construct(
        "UNION branches",
        "UNION",
        _repeat("SELECT * WHERE { ", lambda i: f"{{ {TRIPLE} }}", " UNION ", " }"),
        40_000,
    ),
    Construct(
        "path sequence /", "/", _repeat("SELECT * WHERE { ?s ", lambda i: P, "/", " ?o }"), 20_000
    ),
    Construct(
        "path alternatives |",
        "|",
        _repeat("SELECT * WHERE { ?s ", lambda i: P, "|", " ?o }"),
        20_000,
    ),
    Construct(
        "inverse path ^", "^", lambda n: "SELECT * WHERE { ?s " + "^" * n + P + " ?o }", 20_000
    ),
    Construct(
        "sum +", "+", _repeat("SELECT * WHERE { BIND(", lambda i: "1", "+", " AS ?x) }"), 40_000
    ),
    Construct(
        "difference -",
        "-",
        _repeat("SELECT * WHERE { BIND(", lambda i: "1", "-", " AS ?x) }"),
        40_000,
    ),
    Construct(
        "unary minus -", "-", lambda n: "SELECT * WHERE { BIND(" + "-" * n + "1 AS ?x) }", 40_000
    ),
    Construct(
        "product *", "*", _repeat("SELECT * WHERE { BIND(", lambda i: "1", "*", " AS ?x) }"), 40_000
    ),
    Construct(
        "and &&", "&", _repeat("SELECT * WHERE { FILTER(", lambda i: "true", " && ", ") }"), 40_000
    ),
    Construct(
        "or ||", "|", _repeat("SELECT * WHERE { FILTER(", lambda i: "true", " || ", ") }"), 40_000
    ),
    Construct("not !", "!", lambda n: "SELECT * WHERE { FILTER(" + "!" * n + "true) }", 40_000),
    Construct(
        "MINUS",
        "MINUS",
        _repeat(f"SELECT * WHERE {{ {TRIPLE} ", lambda i: f"MINUS {{ {TRIPLE} }}", " ", " }"),
        20_000,
    ),
    Construct(
        "OPTIONAL",
        "OPTIONAL",
        _repeat(f"SELECT * WHERE {{ {TRIPLE} ", lambda i: f"OPTIONAL {{ {TRIPLE} }}", " ", " }"),
        20_000,
    ),
    Construct(
        "FILTER",
        "FILTER",
        _repeat(f"SELECT * WHERE {{ {TRIPLE} ", lambda i: f"FILTER(?o != {i})", " ", " }"),
        40_000,
    ),
    Construct(
        "BIND",
        "BIND",
        _repeat(f"SELECT * WHERE {{ {TRIPLE} ", lambda i: f"BIND({i} AS ?x{i})", " ", " }"),
        40_000,
    ),
    Construct(
        "object list ,",
        "joins",
        _repeat(f"SELECT * WHERE {{ ?s {P} ", lambda i: "?o", ", ", " }"),
        20_000,
    ),
    Construct(
        "predicate list ;",
        "joins",
        _repeat("SELECT * WHERE { ?s ", lambda i: f"{P} ?o", " ; ", " }"),
        20_000,
    ),
    Construct(
        "triple patterns .",
        "joins",
        _repeat("SELECT * WHERE { ", lambda i: TRIPLE, " . ", " }"),
        20_000,
    ),
    Construct(
        "groups joined { } { }",
        "joins",
        _repeat("SELECT * WHERE { ", lambda i: f"{{ {TRIPLE} }}", " ", " }"),
        20_000,
    ),
    Construct(
        "IN list ,",
        ",",
        _repeat(f"SELECT * WHERE {{ {TRIPLE} FILTER(?o IN (", lambda i: str(i), ", ", ")) }"),
        40_000,
    ),
    Construct(
        "CONCAT arguments ,",
        ",",
        _repeat("SELECT * WHERE { BIND(CONCAT(", lambda i: '"a"', ", ", ") AS ?x) }"),
        40_000,
    ),
    Construct(
        "template triples .",
        "joins",
        _repeat("CONSTRUCT { ", lambda i: TRIPLE, " . ", f" }} WHERE {{ {TRIPLE} }}"),
        40_000,
    ),
]


def fails(store: str, query: str, memory: int, folder: Path) -> str | None:
    """ "crash", "slow" or None (ran within ``SLOW`` seconds)."""
    path = folder / "query.rq"
    path.write_text(query, encoding="utf-8")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))

    try:
        done = subprocess.run(
            [sys.executable, "-c", RUNNER, store, str(path)],
            preexec_fn=limit, capture_output=True, text=True, timeout=SLOW + 10, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return "slow"
    if done.returncode < 0:
        return "crash"
    return "slow" if float(done.stdout.strip() or 0) > SLOW else None


def first_failure(
    construct: Construct, store: str, memory: int, folder: Path
) -> tuple[int, str] | None:
    """The smallest count that fails (to within 2 %) and how; None up to ``construct.most``."""
    how = fails(store, construct.make(construct.most), memory, folder)
    if how is None:
        return None
    low, high = 1, construct.most  # low runs, high fails
    while high - low > max(2, high // 50):
        middle = (low + high) // 2
        failed = fails(store, construct.make(middle), memory, folder)
        if failed:
            high, how = middle, failed
        else:
            low = middle
    return high, how


def checked_count(construct: Construct, query: str) -> int:
    depth, counts = sparql.shape(query)
    if construct.key == "depth":
        return depth
    if construct.key == "joins":
        return joins(counts)
    return counts.get(construct.key, 0)


def limit_of(construct: Construct) -> int | None:
    if construct.key == "depth":
        return MAX_DEPTH
    if construct.key == "joins":
        return MAX_JOINS
    return MAX_COUNTS.get(construct.key)


def seed_store(folder: Path) -> Path:
    from kg.pipeline.build import build
    from kg.project import Project

    project = Project.at(ROOT)
    store = folder / "store"
    build(project.data, store, project.ontology)
    return store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a built store (default: the seed, built)")
    parser.add_argument("--memory", type=int, default=1024, help="worker memory limit, MiB")
    parser.add_argument("--only", help="constructs whose name contains this")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "QUERY_LIMITS.md")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="kg-query-limits-") as tmp:
        folder = Path(tmp)
        store = str((args.store or seed_store(folder)).resolve())
        for construct in CONSTRUCTS:
            if args.only and args.only not in construct.name:
                continue
            started = time.monotonic()
            failure = first_failure(construct, store, args.memory * 2**20, folder)
            at = checked_count(construct, construct.make(failure[0])) if failure else None
            limit = limit_of(construct)
            if failure is None:
                verdict, where = "held", f"none up to {construct.most:,}"
            elif limit is None:
                verdict, where = "broken (not checked)", f"{failure[0]:,} ({failure[1]})"
            else:
                verdict = "held" if limit < (at or 0) else "broken"
                where = f"{failure[0]:,} ({failure[1]})"
            row = (construct.name, construct.key, where, f"{at:,}" if at else "–",
                   f"{limit:,}" if limit else "–", verdict)  # fmt: skip
            rows.append(row)
            print(" | ".join(row), f"({time.monotonic() - started:.0f} s)", flush=True)
    header = ("construct", "checked as", "fails at", "checked count then", "limit", "")
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    table += ["| " + " | ".join(row) + " |" for row in rows]
    args.out.write_text(
        "# What the query engine survives\n\n"
        "Written by `benchmarks/query_limits.py`: per construct, the smallest count that crashes a "
        f"process running the query as a worker does ({args.memory} MiB data limit, default stack "
        f"of {resource.getrlimit(resource.RLIMIT_STACK)[0] // 1024} KiB) or makes it take more "
        f"than {SLOW:g} s to prepare and run (slow), the count of the token the check looks at in "
        "that query, and the check's limit. Machine: "
        f"{platform.machine()}, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}.\n\n"
        + "\n".join(table) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    print(f"wrote {args.out}")
    return 0 if all(row[-1] == "held" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
