"""The export, published by the endpoint: the DCAT-AP catalogue and the files it describes.

``kg export`` writes the dumps, tables, VoID and the catalogue (with each file's byte size and
SHA-256) into one folder; this serves exactly that folder, so the catalogue a portal harvests
here is the same one the export validated against the DCAT-AP and DCAT-AP-NL shapes, and its
download URLs (``{base_url}download/{file}``) resolve when the endpoint is published at
``base_url``. Without an export there is nothing to serve: 404 says how to make one.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from kg.server import negotiation
from kg.server.context import ServerContext
from kg.server.responses import READ_METHODS, text_error

CATALOG_OFFERS = {"text/turtle": "catalog.ttl", "application/ld+json": "catalog.jsonld"}
MISSING = "no export to publish; run 'kg export' and restart 'kg serve'"


def exported_files(folder: Path) -> set[str]:
    if not (folder / "catalog.ttl").is_file():
        return set()
    return {p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}


def router(context: ServerContext) -> APIRouter:
    folder = context.settings.export_dir
    routes = APIRouter()

    @routes.api_route("/catalog", methods=READ_METHODS, include_in_schema=False)
    async def catalog(request: Request) -> Response:
        if not exported_files(folder):
            return text_error(404, MISSING)
        choice = negotiation.require(request.headers.get("accept"), list(CATALOG_OFFERS))
        return FileResponse(
            folder / CATALOG_OFFERS[choice], media_type=choice, headers={"Vary": "Accept"}
        )

    @routes.api_route("/download/{name}", methods=READ_METHODS, include_in_schema=False)
    async def download(name: str) -> Response:
        files = exported_files(folder)
        if not files:
            return text_error(404, MISSING)
        if name not in files:  # only files of the export, never a path
            return text_error(404, f"no exported file {name!r}")
        return FileResponse(folder / name)

    return routes
