"""The export, published by the endpoint: the DCAT-AP catalogue and the files it describes.

``kg export`` writes the dumps, tables, VoID and the catalogue (with each file's byte size and
SHA-256) into one folder; this serves exactly that folder, so the catalogue a portal harvests
here is the same one the export validated against the DCAT-AP and DCAT-AP-NL shapes, and its
download URLs (``{base_url}download/{file}``) resolve when the endpoint is published at
``base_url``. Without an export there is nothing to serve: 404 says how to make one.

- ``/catalog``: Turtle and JSON-LD as written, RDF/XML made from them, and for a browser the
  dataset's record page (``kg.server.dcat_record``), by ``Accept``.
- the dataset IRI (``/id/dataset/ai-beleid``, 303 to ``/doc/dataset/ai-beleid``): the same
  record, by ``Accept``. The dataset is described by the export, not by the store, so this route
  answers before the generic ``/doc/{path}`` page (which would find nothing about it there).
- ``/download/{file}``: each file with the media type the catalogue gives it. The gzipped
  N-Quads dump is the file as is (``application/gzip``) for a client that takes any type (a
  browser, curl, a harvester saving files); a client that asks for N-Quads gets N-Quads:
  ``Content-Encoding: gzip`` when it accepts that encoding, else decompressed, as an RDF
  library reading the URL needs.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, StreamingResponse

from kg.export.files import file_kind
from kg.rdf.namespaces import BASE, DATASET
from kg.server import negotiation
from kg.server.context import ServerContext
from kg.server.dcat_record import catalog_rdfxml, record_page
from kg.server.responses import READ_METHODS, text_error

CATALOG_FILES = {"text/turtle": "catalog.ttl", "application/ld+json": "catalog.jsonld"}
CATALOG_OFFERS = (*CATALOG_FILES, "application/rdf+xml", "text/html")
MISSING = "no export to publish; run 'kg export' and restart 'kg serve'"
RECORD_PATH = "/doc/" + str(DATASET)[len(BASE + "id/") :]
RECORD_OFFERS = ("text/html", "text/turtle", "application/ld+json", "application/rdf+xml")
GZIP_DUMPS = {"dataset.nq.gz": "application/n-quads"}  # file -> what it holds uncompressed
CHUNK = 1 << 16


def exported_files(folder: Path) -> set[str]:
    if not (folder / "catalog.ttl").is_file():
        return set()
    return {p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}


def media_type(name: str) -> str:
    """The media type the catalogue gives an exported file (text for the validation report)."""
    try:
        kind = file_kind(name)
    except ValueError:
        return "text/plain; charset=utf-8"
    if kind.compress_format:
        return kind.compress_format
    if kind.media_type.startswith("text/"):
        return f"{kind.media_type}; charset=utf-8"
    return kind.media_type


def accepts_gzip(header: str | None) -> bool:
    """Whether ``Accept-Encoding`` allows gzip (``gzip`` or ``*`` with a quality above 0)."""
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        key, _, value = params.strip().partition("=")
        if key.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        if name.strip().lower() in ("gzip", "x-gzip", "*") and quality > 0:
            return True
    return False


def _decompressed(path: Path) -> Iterator[bytes]:
    with gzip.open(path, "rb") as data:
        while chunk := data.read(CHUNK):
            yield chunk


def download_response(folder: Path, name: str, request: Request) -> Response:
    path = folder / name
    holds = GZIP_DUMPS.get(name)
    if holds is None:
        return FileResponse(path, media_type=media_type(name))
    vary = {"Vary": "Accept, Accept-Encoding"}
    choice = negotiation.require(request.headers.get("accept"), ["application/gzip", holds])
    if choice == "application/gzip":
        return FileResponse(path, media_type="application/gzip", headers=vary)
    if accepts_gzip(request.headers.get("accept-encoding")):
        return FileResponse(path, media_type=holds, headers={**vary, "Content-Encoding": "gzip"})
    return StreamingResponse(_decompressed(path), media_type=holds, headers=vary)


def router(context: ServerContext) -> APIRouter:
    folder = context.settings.export_dir
    routes = APIRouter()

    @routes.api_route(RECORD_PATH, methods=READ_METHODS, include_in_schema=False)
    async def record(request: Request) -> Response:
        if not (folder / "catalog.ttl").is_file():
            return text_error(
                404,
                f"the DCAT record of <{DATASET}> is written by 'kg export'; "
                "run it and restart 'kg serve'",
            )
        choice = negotiation.require(request.headers.get("accept"), list(RECORD_OFFERS))
        if choice in CATALOG_FILES:
            return FileResponse(
                folder / CATALOG_FILES[choice], media_type=choice, headers={"Vary": "Accept"}
            )
        if choice == "application/rdf+xml":
            body = catalog_rdfxml(context, folder)
            return Response(body, media_type=choice, headers={"Vary": "Accept"})
        return HTMLResponse(
            record_page(context, folder / "catalog.ttl"), headers={"Vary": "Accept"}
        )

    @routes.api_route("/catalog", methods=READ_METHODS, include_in_schema=False)
    async def catalog(request: Request) -> Response:
        if not exported_files(folder):
            return text_error(404, MISSING)
        accept = request.headers.get("accept")
        vary = {"Vary": "Accept"}
        if negotiation.prefers_html(accept, list(CATALOG_OFFERS[:-1])):
            return HTMLResponse(record_page(context, folder / "catalog.ttl"), headers=vary)
        choice = negotiation.require(accept, list(CATALOG_OFFERS[:-1]))
        if choice == "application/rdf+xml":
            body = catalog_rdfxml(context, folder)
            return Response(body, media_type="application/rdf+xml", headers=vary)
        return FileResponse(folder / CATALOG_FILES[choice], media_type=choice, headers=vary)

    @routes.api_route("/download/{name}", methods=READ_METHODS, include_in_schema=False)
    async def download(request: Request, name: str) -> Response:
        files = exported_files(folder)
        if not files:
            return text_error(404, MISSING)
        if name not in files:  # only files of the export, never a path
            return text_error(404, f"no exported file {name!r}")
        return download_response(folder, name, request)

    return routes
