"""A knowledge graph of AI policy instruments from Dutch parliamentary documents."""

from __future__ import annotations

from functools import cache


@cache
def package_version() -> str:
    """The installed distribution's version, looked up on first use: importing
    importlib.metadata takes tens of milliseconds, paid otherwise by every ``kg`` command and
    every query worker."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kg")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return package_version()
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
