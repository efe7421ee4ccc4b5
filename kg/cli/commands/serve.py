"""kg serve: the SPARQL endpoint, linked-data pages and research page on http://HOST:PORT."""

from __future__ import annotations

import argparse
from pathlib import Path

from kg.errors import ConfigError
from kg.project import project_default
from kg.server.settings import MIB, Settings


def register(subparsers) -> None:
    defaults = Settings()
    p = subparsers.add_parser(
        "serve",
        help="serve the graph: SPARQL endpoint, linked-data pages, research page",
        description="Serve the built store read-only: /sparql (SPARQL 1.1 Protocol), /id/... and "
        "/doc/... (linked data), /def/aip (ontology), /.well-known/void, and the research page "
        "at /.",
    )
    p.add_argument(
        "--host", default=defaults.host, help="address to listen on (default: %(default)s)"
    )
    p.add_argument("--port", type=int, default=defaults.port, help="port (default: %(default)s)")
    p.add_argument(
        "--store",
        type=Path,
        default=project_default("store"),
        help="store path (default: %(default)s)",
    )
    p.add_argument(
        "--queries", type=Path, default=project_default("queries"), help="example queries folder"
    )
    p.add_argument(
        "--query-timeout",
        type=float,
        default=defaults.query_timeout,
        help="seconds a query may run (default: %(default)g)",
    )
    p.add_argument(
        "--max-rows",
        type=int,
        default=defaults.max_rows,
        help="most result rows (default: %(default)s)",
    )
    p.add_argument(
        "--max-request-bytes",
        type=int,
        default=defaults.max_request_bytes,
        help="largest request in bytes (default: %(default)s)",
    )
    p.add_argument("--workers", type=int, help="query worker processes (default: 2 to 4)")
    p.add_argument(
        "--cache-size",
        type=float,
        default=defaults.cache_bytes / MIB,
        metavar="MIB",
        help="result cache per build, in MiB; 0 turns it off (default: %(default)g)",
    )
    p.add_argument("--base-url", help="public base URL, e.g. https://kg.example.org")
    p.add_argument(
        "--export",
        type=Path,
        default=project_default("out"),
        help="folder written by kg export, published at /catalog and /download/ "
        "(default: %(default)s)",
    )
    p.add_argument(
        "--log-level", default="info", choices=("critical", "error", "warning", "info", "debug")
    )
    p.set_defaults(run=run, analysis=project_default("analysis"))


def settings_from(args: argparse.Namespace) -> Settings:
    if not 0 < args.port < 65536:
        raise ConfigError(f"--port {args.port}: expected 1 to 65535")
    if args.cache_size < 0:
        raise ConfigError(f"--cache-size {args.cache_size:g}: expected 0 (off) or more MiB")
    if args.query_timeout <= 0 or args.max_rows <= 0 or args.max_request_bytes <= 0:
        raise ConfigError("--query-timeout, --max-rows and --max-request-bytes must be positive")
    return Settings(
        store_path=args.store,
        host=args.host,
        port=args.port,
        query_timeout=args.query_timeout,
        max_rows=args.max_rows,
        max_request_bytes=args.max_request_bytes,
        base_url=args.base_url,
        workers=args.workers,
        queries_dir=args.queries,
        export_dir=args.export,
        analysis_dir=args.analysis,
        cache_bytes=int(args.cache_size * MIB),
    )


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from kg.server.app import create_app

    settings = settings_from(args)
    app = create_app(settings)
    print(
        f"Serving {settings.store_path} on http://{settings.host}:{settings.port}/  "
        "(SPARQL: /sparql)",
        flush=True,
    )
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=args.log_level,
        # A GET query lives in the request line: allow it up to the request cap.
        h11_max_incomplete_event_size=max(settings.max_request_bytes, 16 * 1024) + 8 * 1024,
        server_header=False,
    )
    return 0
