"""The SPARQL endpoint and linked-data web server (``kg serve``).

``create_app`` in :mod:`kg.server.app` builds the FastAPI application; the SPARQL protocol,
content negotiation, the query checks, the worker-process pool, the linked-data pages and the
research page each live in their own module. Nothing here imports FastAPI at import time.
"""
