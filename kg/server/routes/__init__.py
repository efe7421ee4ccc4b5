"""The server's routes, one module per concern; each exposes ``router(context)``."""
