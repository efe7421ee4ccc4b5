"""The research page at ``/``: a query editor with the queries of ``queries/`` as examples,
results as a table linked to the resource pages, downloads as CSV and JSON. Plain HTML and one
small script from the package: it works without internet.

The queries folder is read on every request, so queries added while the server runs show up.
Files in the analysis folder (written by the network analysis, if it ran) are listed and
served under ``/analysis/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.queries import NamedQuery, parse_query_file

if TYPE_CHECKING:
    from fastapi import FastAPI

    from kg.server.app import Settings

ANALYSIS_SUFFIXES = {".html", ".svg", ".png", ".json", ".csv", ".md", ".txt", ".graphml", ".ttl"}


def example_queries(settings: Settings) -> list[NamedQuery]:
    examples = []
    for path in sorted(settings.queries_dir.glob("*.rq")):
        try:
            examples.append(parse_query_file(path))
        except Exception:  # one broken file must not take the page down
            continue
    return examples


def analysis_files(settings: Settings) -> list[str]:
    folder = settings.analysis_dir
    if not folder.is_dir():
        return []
    return sorted(
        p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ANALYSIS_SUFFIXES
    )


def add_routes(app: FastAPI, settings: Settings) -> None:
    import json

    from fastapi.responses import FileResponse, HTMLResponse

    from kg.server.app import text_error
    from kg.server.rendering import render

    @app.get("/", include_in_schema=False)
    async def index():
        examples = example_queries(settings)
        payload = [{"name": q.name, "summary": q.summary, "query": q.text} for q in examples]
        html = render(
            "index.html",
            title="AI-beleid kennisgraaf — SPARQL",
            examples=examples,
            examples_json=json.dumps(payload, ensure_ascii=False).replace("</", "<\\/"),
            analysis=analysis_files(settings),
            max_rows=settings.max_rows,
            timeout=settings.query_timeout,
        )
        return HTMLResponse(html)

    @app.get("/analysis/{name}", include_in_schema=False)
    async def analysis(name: str):
        if name not in analysis_files(settings):  # only listed files, never a path
            return text_error(404, f"no analysis file {name!r}")
        return FileResponse(settings.analysis_dir / name)
