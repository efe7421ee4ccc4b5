"""The Markdown report and the latency plot of a benchmark run."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench_common import SizeResult, label, percentile


def fmt_s(value) -> str:
    if isinstance(value, str):
        return value
    if value is None or value != value:
        return "–"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def report(results: list[SizeResult], args, started: float, finished: bool = True) -> str:
    lines = [
        *header_section(results, args, started, finished),
        *latency_section(results),
        *per_query_section(results, args.restart_budget),
        *load_section(results),
        *incremental_section(results),
    ]
    notes = [f"- {label(r.target)}: {n}" for r in results for n in r.notes]
    if notes:
        lines += ["", "## Notes", "", *notes]
    lines += ["", "![latency against size](latency.png)", ""]
    return "\n".join(lines)


def header_section(results: list[SizeResult], args, started: float, finished: bool) -> list[str]:
    """The title, how the run was made, and the build table."""
    minutes = (time.perf_counter() - started) / 60
    took = f"{minutes:.1f} min" if finished else f"written after {minutes:.1f} min, still running"
    lines = [
        "# Benchmarks",
        "",
        f"Run on {os.cpu_count()} cores, {time.strftime('%Y-%m-%d %H:%M')}, "
        f"`python benchmarks/run.py {' '.join(args.argv)}` "
        f"({took}). The machine is shared: compare "
        "ratios within this run, not absolute numbers across runs.",
        "",
        "## Build from text",
        "",
        "| size | documents | triples | build | documents/s | triples/s | peak RSS |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {label(r.target)} | {r.documents} | {r.triples:,} | {fmt_s(r.build_s)} | "
            f"{r.documents / r.build_s:.0f} | {r.triples / r.build_s:,.0f} | "
            f"{r.build_rss / 2**20:.0f} MiB |"
        )
    return lines


def latency_section(results: list[SizeResult]) -> list[str]:
    lines = [
        "",
        "## Query latency (p50 / p99), embedded store vs rdflib in-memory",
        "",
        "Every query in `queries/`, run in-process; ratio = rdflib p50 / kg p50.",
        "",
    ]
    for r in results:
        lines += [
            f"### {label(r.target)} ({r.triples:,} triples)",
            "",
            "| query | kg p50 | kg p99 | rdflib p50 | rdflib p99 | ratio |",
            "|---|---|---|---|---|---|",
            *latency_rows(r),
        ]
        if r.rdflib_load_s:
            lines.append(f"\nrdflib needed {fmt_s(r.rdflib_load_s)} to load the TriG dump.")
        lines.append("")
    return lines


def latency_rows(r: SizeResult) -> list[str]:
    """One row per query: kg's p50/p99 against rdflib's, or why rdflib has no number."""
    ours = r.latency.get("kg (embedded Oxigraph)", {})
    theirs = r.latency.get("rdflib in-memory Dataset", {})
    lines = [
        f"| {name} | > {limit:g} s (stopped) | | | | – |"
        for name, limit in r.stopped.get("kg (embedded Oxigraph)", {}).items()
    ]
    given_up = r.stopped.get("rdflib in-memory Dataset", {})
    for name, times in ours.items():
        base = theirs.get(name)
        ratio = f"{percentile(base, 50) / percentile(times, 50):.0f}×" if base else "–"
        if base:
            rdflib_cells = f"{fmt_s(percentile(base, 50))} | {fmt_s(percentile(base, 99))}"
        elif name in given_up:
            rdflib_cells = f"> {given_up[name]:g} s (stopped) |"
            ratio = f"> {given_up[name] / percentile(times, 50):,.0f}×"
        else:
            rdflib_cells = "not run | not run"
        lines.append(
            f"| {name} | {fmt_s(percentile(times, 50))} | {fmt_s(percentile(times, 99))} | "
            f"{rdflib_cells} | {ratio} |"
        )
    return lines


def per_query_section(results: list[SizeResult], restart_budget: float) -> list[str]:
    lines = [
        "## Endpoints: latency of each research query (one client)",
        "",
        "Each query sent on its own: *cold* is the first answer of a freshly started server "
        "(for `kg serve` a result-cache miss), *warm* the median of the next four (for `kg "
        "serve` cache hits: results are cached per build). `oxigraph serve` and "
        "rdflib-endpoint have no cache; their column is the median of their runs. A time-out "
        "is shown as > the limit; rdflib-endpoint evaluates one query at a time and cannot "
        "stop one, so after a time-out it is restarted (reloading its data) within "
        f"`--restart-budget` ({restart_budget:.0f} s) per size. Ratio = rdflib-endpoint / `kg serve` (warm; cold).",
        "",
    ]
    for r in results:
        if not r.per_query:
            continue
        others = [s for s in r.per_query if s != "kg serve"]
        header = ["query", "kg serve cold", "kg serve warm", *others, "ratio warm", "ratio cold"]
        lines += [
            f"### {label(r.target)}",
            "",
            "| " + " | ".join(header) + " |",
            "|" + "---|" * len(header),
            *per_query_rows(r),
            "",
            p50_summary(r),
            "",
        ]
    return lines


def per_query_rows(r: SizeResult) -> list[str]:
    """One row per query: kg serve cold and warm, every other server, the ratios."""
    lines = []
    ours = r.per_query.get("kg serve", {})
    for name in query_names(r):
        mine = ours.get(name, {})
        cold, warm = endpoint_cold_warm(mine)
        cells = [fmt_endpoint(mine, cold), fmt_endpoint(mine, warm)]
        for server in r.per_query:
            if server != "kg serve":
                theirs = r.per_query[server].get(name, {})
                cells.append(fmt_endpoint(theirs, median_of(theirs)))
        base = r.per_query.get("rdflib-endpoint", {}).get(name, {})
        cells += [ratio_text(base, warm), ratio_text(base, cold)]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def load_section(results: list[SizeResult]) -> list[str]:
    lines = [
        "## Endpoints: the research-query mix with 1, 8 and 32 clients",
        "",
        "Closed loop over all queries in `queries/`, each client from a loopback address of "
        "its own (`kg serve` limits the queries of one client address); queries/s and latency "
        "p50/p99. The load "
        "tests follow the per-query round above, so `kg serve` answers the queries that "
        "finished within the time limit from its cache (warm); `kg serve (cache off)` runs "
        "every request. A failed request (time-out, 503) is an error, not a latency.",
        "",
    ]
    for r in results:
        lines += [
            f"### {label(r.target)}",
            "",
            "| server | clients | queries/s | p50 | p99 | errors |",
            "|---|---|---|---|---|---|",
        ]
        for name, value in r.endpoints.items():
            if isinstance(value, str):
                lines.append(f"| {name} | – | {value} | | | |")
                continue
            for clients, m in value.items():
                lines.append(
                    f"| {name} | {clients} | {m['qps']:.1f} | {fmt_s(m['p50'])} | "
                    f"{fmt_s(m['p99'])} | {m['errors']} |"
                )
        lines.append("")
    return lines


def incremental_section(results: list[SizeResult]) -> list[str]:
    lines = [
        "## Incremental rebuild and validation",
        "",
        "A build after one without validation converts and validates every graph (the code "
        "digest records which shapes checked the graphs); the incremental rebuild with "
        "validation is measured after it.",
        "",
        "| size | rebuild after 1 changed document | full build + validation "
        "| incremental rebuild + validation | validate (full) | validate after the change |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {label(r.target)} | {fmt_s(r.incremental_s)} | {fmt_s(r.build_validated_s)} | "
            f"{fmt_s(r.incremental_validated_s)} | {fmt_s(r.validate_full_s)} | "
            f"{fmt_s(r.validate_incremental_s)} |"
        )
    return lines


def p50_summary(r: SizeResult) -> str:
    """The p50 over all research queries, per server (a time-out counts as its limit, so a
    server's p50 with time-outs is a lower bound)."""
    parts = []
    for server, entries in r.per_query.items():
        values, bounded = [], False
        for entry in entries.values():
            _cold, warm = endpoint_cold_warm(entry)
            value = warm if server == "kg serve" else median_of(entry)
            if value is None and entry.get("status", "").startswith("> "):
                value, bounded = float(entry["status"][2:].split()[0]), True
            if value is not None:
                values.append(value)
        if values:
            text = fmt_s(percentile(values, 50))
            parts.append(
                f"{server}{' (warm)' if server == 'kg serve' else ''} "
                f"{'≥ ' if bounded else ''}{text} over {len(values)} queries"
            )
    return "p50 over the research queries: " + "; ".join(parts) + "."


def query_names(r: SizeResult) -> list[str]:
    return sorted({name for server in r.per_query.values() for name in server})


def endpoint_cold_warm(entry: dict) -> tuple[float | None, float | None]:
    times = entry.get("times") or []
    cold = times[0] if times else None
    warm = percentile(times[1:], 50) if len(times) > 1 else None
    return cold, warm


def median_of(entry: dict) -> float | None:
    times = entry.get("times") or []
    return percentile(times, 50) if times else None


def fmt_endpoint(entry: dict, value: float | None) -> str:
    if value is not None:
        return fmt_s(value)
    return entry.get("status", "–") if entry.get("status") != "ok" else "–"


def ratio_text(base: dict, ours: float | None) -> str:
    """rdflib-endpoint / kg serve; a time-out of rdflib-endpoint gives a lower bound."""
    if not ours:
        return "–"
    theirs = median_of(base)
    if theirs is not None:
        return f"{theirs / ours:,.0f}×"
    status = base.get("status", "")
    if status.startswith("> "):
        limit = float(status[2:].split()[0])
        return f"> {limit / ours:,.0f}×"
    return "–"


def plot(results: list[SizeResult], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(8, 5))
    for engine, style in (("kg (embedded Oxigraph)", "-o"), ("rdflib in-memory Dataset", "--x")):
        names = sorted({n for r in results for n in r.latency.get(engine, {})})
        for name in names:
            points = [
                (r.triples, percentile(r.latency[engine][name], 50))
                for r in results
                if name in r.latency.get(engine, {})
            ]
            if points:
                xs, ys = zip(*points, strict=True)
                ax.plot(xs, ys, style, label=f"{name} ({engine.split(' ')[0]})")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("triples")
    ax.set_ylabel("p50 latency (s)")
    ax.set_title("Query latency against dataset size")
    ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return True
