"""What the research page's query editor asks the server besides ``/sparql``:

- ``/api/prefixes``: this endpoint's prefixes (prefix -> namespace), which YASGUI completes;
- ``/api/example/{name}?PARAM=VALUE``: an example query with its parameters bound, each value
  a name (looked up in the search index, as ``kg query --param`` takes a label), a CURIE or an
  ``<IRI>``; bound as a ``VALUES`` block of terms, never spliced text;
- ``/api/download`` (POST ``query``, ``format`` csv|json, ``lang``, ``name``): the result with a
  label column beside each column of IRIs, as a file whose name says what it holds.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from kg.errors import QueryError
from kg.pipeline.search import SearchError
from kg.query.library import NamedQuery, parse_term
from kg.rdf.bindings import bind_values
from kg.rdf.namespaces import PREFIXES
from kg.server import formats, i18n
from kg.server.context import ServerContext
from kg.server.examples import example_queries, for_editor, suggested_kinds
from kg.server.finder import NoIndex, finder
from kg.server.query_help import known_prefixes
from kg.server.query_job import QueryJob, run_query
from kg.server.research_api import MAX_LABELLED, ResearchError, labels
from kg.server.responses import READ_METHODS, public_base, text_error

EXACT_NAME = 94  # a search score from which the name is one of the entity's own names
MAX_FORM = 256 * 1024
FILE_NAME = re.compile(r"[^0-9A-Za-z_-]+")
UTF8_BOM = "\ufeff"  # a spreadsheet then reads the file as UTF-8


class EditorError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def find_example(context: ServerContext, name: str) -> NamedQuery:
    for query in example_queries(context.settings):
        if query.name == name:
            return query
    known = ", ".join(q.name for q in example_queries(context.settings))
    raise EditorError(404, f"no example {name!r}; known: {known}")


async def resolve(
    context: ServerContext, name: str, value: str, lang: str, default: str = ""
) -> tuple[ox.NamedNode | ox.Literal, str]:
    """A parameter's value as a term and the label to show: an IRI or CURIE as it is, else the
    one resource whose own name (any case, accents ignored) it is."""
    text = value.strip()
    if not text:
        raise EditorError(400, f"{name}: give a name, a CURIE (id:instrument/nadi) or an <IRI>")
    if text.startswith("<") or (
        re.fullmatch(r"[A-Za-z][\w-]*:[\w./-]+", text) and text.split(":")[0] in PREFIXES
    ):
        term = parse_term(text)
        if isinstance(term, ox.NamedNode):
            return term, text
    try:
        index = await finder(context.settings).index()
        kinds = suggested_kinds(index.by_iri.get(default))
        hits = index.search(text, limit=5, kinds=tuple(k for k in kinds.split(",") if k))
    except SearchError as err:
        raise EditorError(400, f"{name}: {err}") from None
    except NoIndex as err:
        raise EditorError(503, str(err)) from None
    exact = [h for h in hits if h.score >= EXACT_NAME]
    if len({h.entry["iri"] for h in exact}) == 1:
        entry = exact[0].entry
        return ox.NamedNode(entry["iri"]), index.label(entry, lang)
    texts = i18n.texts(lang)
    message = texts["param_unknown"].format(param=name, name=text)
    if hits:
        names = f" {texts['or']} ".join(f"“{index.label(h.entry, lang)}”" for h in hits[:3])
        message += " " + texts["did_you_mean"].format(names=names)
    raise EditorError(400, message)


async def example_with(context: ServerContext, request: Request, name: str) -> dict:
    query = find_example(context, name)
    lang = i18n.language(request)
    declared = {p.name for p in query.params}
    unknown = [k for k in request.query_params if k not in declared and k != "lang"]
    if unknown:
        raise EditorError(400, f"the example {name} has no parameter {unknown[0]!r}; "
                               f"it has: {', '.join(sorted(declared)) or 'none'}")  # fmt: skip
    bound, shown = {}, {}
    for param in query.params:
        given = request.query_params.get(param.name)
        if given is None:
            bound[ox.Variable(param.name)] = param.default
            continue
        default = param.default.value if isinstance(param.default, ox.NamedNode) else ""
        term, label = await resolve(context, param.name, given, lang, default)
        bound[ox.Variable(param.name)] = term
        shown[param.name] = {"iri": term.value, "label": label}
    try:
        text = bind_values(query.text, bound) if bound else query.text
    except QueryError as err:
        raise EditorError(400, str(err)) from None
    return {"name": name, "query": for_editor(text), "bindings": shown}


def file_name(name: str, extension: str) -> str:
    """What the file holds: the example (or "query") and the day it was made."""
    stem = FILE_NAME.sub("-", name).strip("-")[:80] or "query"
    return f"{stem}-{date.today().isoformat()}.{extension}"


def labelled_columns(variables: list[str], rows: list[dict]) -> list[tuple[str, str, bool]]:
    """The file's columns as (name, variable, is a label): each variable, followed by
    ``{variable}Label`` where any of its values is an IRI (unless the query has that column)."""
    columns = []
    for v in variables:
        columns.append((v, v, False))
        has_iri = any(row.get(v, {}).get("type") == "uri" for row in rows)
        if has_iri and v + "Label" not in variables:
            columns.append((v + "Label", v, True))
    return columns


async def labels_of(context: ServerContext, request: Request, rows: list[dict], lang: str) -> dict:
    iris = [b["value"] for row in rows for b in row.values() if b.get("type") == "uri"]
    iris = list(dict.fromkeys(iris))
    found: dict[str, str] = {}
    for start in range(0, len(iris), MAX_LABELLED):
        found.update(await labels(context, request, iris[start : start + MAX_LABELLED], lang))
    return found


def _label(binding: dict | None, names: dict[str, str]) -> str:
    if binding is None or binding.get("type") != "uri":
        return ""
    return names.get(binding["value"], "")


def as_csv(columns: list[tuple[str, str, bool]], rows: list[dict], names: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([name for name, _, _ in columns])
    for row in rows:
        writer.writerow([
            _label(row.get(v), names) if is_label else row.get(v, {}).get("value", "")
            for _, v, is_label in columns
        ])  # fmt: skip
    return (UTF8_BOM + out.getvalue()).encode("utf-8")


def as_json(
    columns: list[tuple[str, str, bool]], rows: list[dict], names: dict[str, str], lang: str
) -> bytes:
    """SPARQL JSON results, with the label columns as literals in the page's language."""
    labelled = []
    for row in rows:
        out = {}
        for name, v, is_label in columns:
            label = _label(row.get(v), names) if is_label else ""
            if label:
                out[name] = {"type": "literal", "value": label, "xml:lang": lang}
            elif not is_label and v in row:
                out[name] = row[v]
        labelled.append(out)
    body = {"head": {"vars": [name for name, _, _ in columns]}, "results": {"bindings": labelled}}
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


async def read_form(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body (what the page sends), each field once."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise EditorError(415, "send the fields as application/x-www-form-urlencoded")
    body = await request.body()
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise EditorError(400, "the form is not valid UTF-8") from None
    return dict(pairs)


async def download(context: ServerContext, request: Request) -> Response:
    form = await read_form(request)
    query, fmt = form.get("query"), form.get("format", "csv")
    if not isinstance(query, str) or not query.strip():
        raise EditorError(400, "give the query to download as the form field 'query'")
    if fmt not in ("csv", "json"):
        raise EditorError(400, f"format must be csv or json, not {fmt!r}")
    lang = i18n.supported(form.get("lang")) or i18n.language(request)
    job = QueryJob(
        query, {formats.TABULAR: "json"}, max_rows=context.settings.max_rows,
        max_bytes=context.settings.max_result_bytes,
        base_iri=public_base(context.settings, request) + "/sparql",
    )  # fmt: skip
    outcome = await context.run(request, run_query, job)
    if outcome.status == 406:
        raise EditorError(400, "only a SELECT query's result can be downloaded as a table")
    if outcome.status != 200:
        raise EditorError(outcome.status, outcome.message)
    result = json.loads(outcome.body)
    variables = result.get("head", {}).get("vars", [])
    rows = result.get("results", {}).get("bindings", [])
    names = await labels_of(context, request, rows, lang)
    columns = labelled_columns(variables, rows)
    name = str(form.get("name") or "query")
    if fmt == "csv":
        body, media_type = as_csv(columns, rows, names), "text/csv; charset=utf-8"
    else:
        body, media_type = as_json(columns, rows, names, lang), "application/sparql-results+json"
    filename = file_name(name, fmt)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if outcome.truncated:
        headers["X-Result-Truncated"] = f"only the first {outcome.count} results were returned"
    return Response(body, media_type=media_type, headers=headers)


def router(context: ServerContext) -> APIRouter:
    routes = APIRouter()

    @routes.api_route("/api/prefixes", methods=READ_METHODS, include_in_schema=False)
    async def prefixes() -> Response:
        return JSONResponse(known_prefixes())

    @routes.api_route("/api/example/{name}", methods=READ_METHODS, include_in_schema=False)
    async def example(request: Request, name: str) -> Response:
        try:
            return JSONResponse(await example_with(context, request, name))
        except EditorError as err:
            return text_error(err.status, str(err))

    @routes.post("/api/download", include_in_schema=False)
    async def download_route(request: Request) -> Response:
        try:
            return await download(context, request)
        except EditorError as err:
            return text_error(err.status, str(err))
        except ResearchError as err:
            return text_error(err.status, str(err))

    return routes
