"""The official conformance material (kg/conformance.toml) for the tests that check against it.

It is read where ``kg`` reads it: the project's conformance folder (``../shared/conformance``),
else the cache ``python3 tasks.py test`` fetches it into. Where neither holds it, a test that
needs it is skipped with the reason (which files, where they were looked for, how to get them),
so a plain clone without network reports those tests as not run and passes the rest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.project import missing_conformance
from tests.support import PROJECT

DCAT_SHAPES = ("dcat-ap", "dcat-ap-nl")  # the shapes kg export checks its catalogue with
PROTOCOL = ("sparql11-protocol",)  # the W3C SPARQL 1.1 Protocol tests


def root(*materials: str) -> Path | None:
    """The folder holding every file of ``materials``, or None."""
    return PROJECT.conformance_root(*materials)


def require(*materials: str) -> Path:
    """The folder holding ``materials``; skips the calling test (or fixture) when there is none."""
    found = root(*materials)
    if found is None:
        pytest.skip(f"not run: {missing_conformance(PROJECT, *materials)}")
    return found
