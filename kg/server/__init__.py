"""The SPARQL endpoint and linked-data web server (``kg serve``).

:mod:`kg.server.settings` holds every option and its default (cheap to import: the command line
builds its parser from it); :mod:`kg.server.app` assembles the FastAPI application from the
route modules in :mod:`kg.server.routes`, each exposing ``router(context)`` and importing no
other route module (an import-linter contract). Shared pieces, here in :mod:`kg.server`: the
SPARQL protocol, content negotiation, the result formats, the query checks, one cache module,
and a generic worker pool that runs a job function on the store in a worker process.
"""
