"""``/commitments``: every commitment (toezegging) as a table a researcher can sort and filter
(made by :func:`kg.server.commitment_table.commitments_page`; the resource pages show the same
table for one person or instrument)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kg.server.commitment_table import commitments_page
from kg.server.context import ServerContext
from kg.server.responses import READ_METHODS


def router(context: ServerContext) -> APIRouter:
    routes = APIRouter()

    @routes.api_route("/commitments", methods=READ_METHODS, include_in_schema=False)
    async def commitments(request: Request) -> Response:
        return await commitments_page(context, request)

    return routes
