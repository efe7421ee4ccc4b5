"""kg serve: the SPARQL endpoint, linked-data pages and research page on http://HOST:PORT."""

from __future__ import annotations

import argparse
import errno
import socket
from pathlib import Path

from kg.errors import ConfigError, UsageError
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
    _limit_options(p.add_argument_group("limits"), defaults)
    _client_options(p.add_argument_group("clients and connections"), defaults)
    p.add_argument("--workers", type=int, help="query worker processes (default: 3 or 4)")
    p.add_argument(
        "--cache-size",
        type=float,
        default=defaults.cache_bytes / MIB,
        metavar="MIB",
        help="result cache per build, in MiB; 0 turns it off (default: %(default)g)",
    )
    p.add_argument(
        "--export",
        type=Path,
        default=project_default("out"),
        help="folder written by kg export, published at /catalog and /download/ "
        "(default: %(default)s)",
    )
    p.add_argument(
        "--no-network-isolation",
        action="store_true",
        help="do not move query workers into an empty network namespace (for tests)",
    )
    p.add_argument(
        "--log-level", default="info", choices=("critical", "error", "warning", "info", "debug")
    )
    p.set_defaults(run=run, analysis=project_default("analysis"))


# Options that set one field of Settings, defaulting to it: (flag, type, field, help[, metavar]).
LIMIT_OPTIONS = (
    ("--query-timeout", float, "query_timeout", "seconds a query may run (default: %(default)g)"),
    ("--max-rows", int, "max_rows", "most result rows (default: %(default)s)"),
    (
        "--max-request-bytes",
        int,
        "max_request_bytes",
        "largest request in bytes (default: %(default)s)",
    ),
    (
        "--max-memory",
        int,
        "max_memory_mib",
        "memory one query worker may hold; a query needing more gets 503 and the worker "
        "is replaced; 0: no limit (default: %(default)s)",
        "MIB",
    ),
    (
        "--max-total-memory",
        int,
        "max_total_memory_mib",
        "memory the server and its workers may hold together; past it the largest running "
        "query gets 503 and its worker is replaced; 0: no limit (default: %(default)s)",
        "MIB",
    ),
    (
        "--max-result-bytes",
        int,
        "max_result_bytes",
        "largest answer; longer results are cut like --max-rows (default: %(default)s)",
    ),
    (
        "--max-send-memory",
        int,
        "max_send_memory_mib",
        "answers being sent to clients, held in the server process (a cached answer sent to "
        "many counts once); beyond, 503 (default: %(default)s)",
        "MIB",
    ),
)
CLIENT_OPTIONS = (
    (
        "--client-queries",
        int,
        "client_queries",
        "queries one client address may have running at once (default: %(default)s)",
    ),
    (
        "--client-queue",
        int,
        "client_queue",
        "further requests of one client that may wait; beyond, 429 (default: %(default)s)",
    ),
    (
        "--max-connections",
        int,
        "max_connections",
        "open connections; beyond, requests get 503 (default: %(default)s)",
    ),
    (
        "--client-connections",
        int,
        "client_connections",
        "open connections from one client address; beyond, 503 (default: %(default)s)",
    ),
    (
        "--client-send-memory",
        int,
        "client_send_mib",
        "answers being sent to one client address at once; beyond, 429 (default: %(default)s)",
        "MIB",
    ),
    (
        "--request-timeout",
        float,
        "request_timeout",
        "seconds a client has to send a request, idle or not (default: %(default)g)",
    ),
    (
        "--send-timeout",
        float,
        "send_timeout",
        "seconds an answer waits for a client that reads none of it; then the connection is "
        "dropped (default: %(default)g)",
    ),
)


def _setting_options(p, defaults: Settings, options) -> None:
    for flag, kind, field, text, *metavar in options:
        extra = {"metavar": metavar[0]} if metavar else {}
        p.add_argument(flag, type=kind, default=getattr(defaults, field), help=text, **extra)


def _limit_options(p, defaults: Settings) -> None:
    _setting_options(p, defaults, LIMIT_OPTIONS)


def _client_options(p, defaults: Settings) -> None:
    _setting_options(p, defaults, CLIENT_OPTIONS)
    p.add_argument("--base-url", help="public base URL, e.g. https://kg.example.org")
    p.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="HOST",
        help="a Host header value trusted for the public base when --base-url is not given "
        "(repeatable; 127.0.0.1, localhost, [::1] and --host always are)",
    )
    p.add_argument(
        "--forwarded-allow-ips",
        default="",
        metavar="ADDRESSES",
        help="comma-separated addresses or networks of reverse proxies whose X-Forwarded-For "
        "and X-Forwarded-Proto are believed, '*' for any; default none: the client is the "
        "connection's address, so a header cannot move a client to another's limits",
    )


def settings_from(args: argparse.Namespace) -> Settings:
    if not 0 < args.port < 65536:
        raise ConfigError(f"--port {args.port}: expected 1 to 65535")
    if args.cache_size < 0:
        raise ConfigError(f"--cache-size {args.cache_size:g}: expected 0 (off) or more MiB")
    positive = (
        "query_timeout",
        "max_rows",
        "max_request_bytes",
        "max_result_bytes",
        "client_queries",
        "max_connections",
        "client_connections",
        "request_timeout",
        "send_timeout",
        "max_send_memory",
        "client_send_memory",
    )
    if any(getattr(args, name) <= 0 for name in positive):
        flags = ", ".join("--" + name.replace("_", "-") for name in positive)
        raise ConfigError(f"{flags} must be positive")
    if args.max_memory < 0 or args.max_total_memory < 0 or args.client_queue < 0:
        raise ConfigError("--max-memory, --max-total-memory and --client-queue must be 0 or more")
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
        max_memory_mib=args.max_memory or None,
        max_total_memory_mib=args.max_total_memory or None,
        max_result_bytes=args.max_result_bytes,
        client_queries=args.client_queries,
        client_queue=args.client_queue,
        max_connections=args.max_connections,
        client_connections=args.client_connections,
        request_timeout=args.request_timeout,
        send_timeout=args.send_timeout,
        max_send_memory_mib=args.max_send_memory,
        client_send_mib=args.client_send_memory,
        forwarded_allow_ips=forwarded_allow_ips(args.forwarded_allow_ips),
        allowed_hosts=allowed_hosts(args),
        isolate_network=not args.no_network_isolation,
    )


def forwarded_allow_ips(value: str) -> tuple[str, ...]:
    """``--forwarded-allow-ips``: each an address or network ('*' for any), checked here."""
    import ipaddress

    entries = tuple(e.strip() for e in value.split(",") if e.strip())
    for entry in entries:
        if entry == "*":
            continue
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ConfigError(
                f"--forwarded-allow-ips {entry!r}: expected an IP address or network "
                "(e.g. 10.0.0.5 or 10.0.0.0/24), or '*'"
            ) from None
    return entries


def allowed_hosts(args: argparse.Namespace) -> tuple[str, ...]:
    hosts = [*Settings().allowed_hosts, *args.allowed_host]
    if args.host not in ("0.0.0.0", "::", ""):  # a wildcard address names no host
        hosts.append(f"[{args.host}]" if ":" in args.host else args.host)
    return tuple(dict.fromkeys(hosts))


def listening_socket(host: str, port: int) -> socket.socket:
    """The socket the server listens on, bound here so that a port in use is a usage error
    naming --port (exit 2), not a traceback from inside the server."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} on {host} is in use (another kg serve, or another program, "
                f"listens there): stop it, or choose another port with --port, e.g. "
                f"'kg serve --port {port + 1}' ('python3 tasks.py up --port {port + 1}')"
            ) from None
        if err.errno == errno.EACCES:
            raise UsageError(
                f"port {port} on {host}: not allowed to listen there ({err.strerror}); "
                "choose a port above 1023 with --port"
            ) from None
        raise UsageError(
            f"--host {host} --port {port}: cannot listen there ({err.strerror}); --host must "
            "be an address of this machine, such as 127.0.0.1 or 0.0.0.0"
        ) from None
    return sock  # not inheritable: the query workers (spawned) never hold it


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from kg.server.app import create_app
    from kg.server.connections import timed_protocol

    settings = settings_from(args)
    app = create_app(settings)  # opens the store: a missing one is named first
    sock = listening_socket(settings.host, settings.port)  # the query workers start later
    print(
        f"Serving {settings.store_path} on http://{settings.host}:{settings.port}/  "
        "(SPARQL: /sparql)",
        flush=True,
    )
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=args.log_level,
        # A GET query lives in the request line: allow it up to the request cap.
        h11_max_incomplete_event_size=max(settings.max_request_bytes, 16 * 1024) + 8 * 1024,
        server_header=False,
        http=timed_protocol(
            settings.request_timeout,
            settings.max_connections,
            send_timeout=settings.send_timeout,
            client_connections=settings.client_connections,
            trusted=settings.forwarded_allow_ips,
        ),
        # uvicorn annotates this int but only hands it to loop.call_later, which takes
        # fractions of a second too, as the setting allows.
        timeout_keep_alive=settings.keep_alive,  # type: ignore[arg-type]
        # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise: only from the
        # proxies named, so no client can give itself another address (and another's limits).
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=list(settings.forwarded_allow_ips) or None,
    )
    uvicorn.Server(config).run(sockets=[sock])
    return 0
