"""The export, published by the endpoint: the DCAT-AP catalogue and the files it describes.

``kg export`` writes the dumps, tables, VoID and the catalogue (with each file's byte size and
SHA-256) into one folder; this serves exactly that folder, so the catalogue a portal harvests
here is the same one the export validated against the DCAT-AP and DCAT-AP-NL shapes, and its
download URLs (``{base_url}download/{file}``) resolve when the endpoint is published at
``base_url``. Without an export there is nothing to serve: 404 says how to make one.
"""

# No "from __future__ import annotations": FastAPI reads the route functions' annotations
# (Request) at run time, and Request is imported inside add_routes.
from pathlib import Path
from typing import TYPE_CHECKING

from kg.server import negotiation

if TYPE_CHECKING:
    from fastapi import FastAPI

    from kg.server.app import Settings

CATALOG_OFFERS = {"text/turtle": "catalog.ttl", "application/ld+json": "catalog.jsonld"}


def exported_files(folder: Path) -> set[str]:
    if not (folder / "catalog.ttl").is_file():
        return set()
    return {p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}


def add_routes(app: "FastAPI", settings: "Settings") -> None:
    from fastapi import Request
    from fastapi.responses import FileResponse

    from kg.server.app import text_error

    missing = "no export to publish; run 'kg export' (writes {folder}) and restart 'kg serve'"

    @app.get("/catalog", include_in_schema=False)
    async def catalog(request: Request):
        if not exported_files(settings.export_dir):
            return text_error(404, missing.format(folder=settings.export_dir))
        choice = negotiation.require(request.headers.get("accept"), list(CATALOG_OFFERS))
        return FileResponse(
            settings.export_dir / CATALOG_OFFERS[choice],
            media_type=choice,
            headers={"Vary": "Accept"},
        )

    @app.get("/download/{name}", include_in_schema=False)
    async def download(name: str):
        files = exported_files(settings.export_dir)
        if not files:
            return text_error(404, missing.format(folder=settings.export_dir))
        if name not in files:  # only files of the export, never a path
            return text_error(404, f"no exported file {name!r}")
        return FileResponse(settings.export_dir / name)

    from kg.server import dataset_record

    dataset_record.add_routes(app, settings)
