"""Command-line options shared by the commands that can use a remote SPARQL store."""

from __future__ import annotations

import argparse


def add_remote_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("remote store (when --store is an http(s) URL)")
    group.add_argument(
        "--update-endpoint",
        metavar="URL",
        help="SPARQL 1.1 Update endpoint (default: the --store URL)",
    )
    group.add_argument(
        "--graph-store",
        metavar="URL",
        help="SPARQL 1.1 Graph Store HTTP Protocol endpoint, used to load graphs "
        "(e.g. Virtuoso's /sparql-graph-crud); without it graphs are loaded with INSERT DATA",
    )


def remote_options(args: argparse.Namespace) -> dict:
    return {
        "update_url": getattr(args, "update_endpoint", None),
        "graph_store_url": getattr(args, "graph_store", None),
    }
