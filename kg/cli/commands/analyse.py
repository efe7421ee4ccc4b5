"""kg analyse: network views of the graph (networkx), or how two entities are connected."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.project import project_default


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "analyse",
        help="network analysis: projections, centrality, communities, pictures, paths",
        description="Write the answer-instrument, instrument co-mention and entity network "
        "projections as GraphML and GEXF, centrality rankings and communities as CSV, and a PNG "
        "and SVG picture of the entity network into DIR. With --path A B, explain instead how "
        "two entities are connected, through which answers and passages (exit 1 if they are "
        "not). A and B are IRIs, CURIEs (id:instrument/nadi) or labels (NADI).",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=project_default("analysis"),
        help="output folder (default: %(default)s)",
    )
    p.add_argument(
        "--store",
        default=project_default("store", str),
        help="store path, or the URL of a SPARQL 1.1 endpoint such as "
        "http://127.0.0.1:8890/sparql (default: %(default)s)",
    )
    p.add_argument("--path", nargs=2, metavar=("A", "B"), help="explain how A and B are connected")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kg.analysis import (
        PathNotInNetwork,
        explain_path,
        format_path,
        load_networks,
        resolve_entity,
        write_analysis,
    )
    from kg.cli.progress import spinner
    from kg.store import open_store

    store = open_store(args.store)
    if args.path:
        source, target = (resolve_entity(store, name) for name in args.path)
        networks = load_networks(store)
        try:
            steps = explain_path(networks, source, target)
        except PathNotInNetwork as err:
            print(
                f"kg analyse: {err}; no path from {args.path[0]} to {args.path[1]}", file=sys.stderr
            )
            return 1
        if steps is None:
            print(
                f"kg analyse: no path: {args.path[0]} and {args.path[1]} are not connected in the "
                "entity network",
                file=sys.stderr,
            )
            return 1
        sys.stdout.write(format_path(steps, args.path[0], args.path[1]))
        return 0
    with spinner("Analysing") as status:
        status("reading the graph")
        networks = load_networks(store)
        status("centrality, communities and pictures")
        result = write_analysis(networks, args.out)
    for name, (nodes, edges) in result.counts.items():
        print(f"{name:22} {nodes:4} nodes {edges:4} edges")
    print("\nMost central in the entity network (betweenness, weighted degree):")
    for r in result.top[:8]:
        print(f"  {r.betweenness:.3f} {r.weighted_degree:3}  {r.name}")
    print(f"\nWrote {len(result.files)} files to {result.out}")
    return 0
