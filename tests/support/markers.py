"""Which tests start something heavy, known before they run from the fixtures they use, so that
``pytest -m "not slow"`` (and ``-m server``, ``-m "not browser"``, ...) needs no one to remember
a mark.

tests/conftest.py marks each collected test by ``FIXTURE_MARKERS`` (a fixture a test uses
through another counts too) and marks every ``server``, ``browser`` and ``virtuoso`` test
``slow`` as well: starting one takes seconds. What starts them checks the mark of the test it
runs for (``require``): a test that starts a server some other way than through a fixture
named here fails, saying which mark to give it. Tests that are slow for what they do themselves
(builds, ``kg add``, ``kg validate``, pySHACL over many graphs) carry ``@pytest.mark.slow``;
the markers' descriptions in pyproject.toml say where the line is.
"""

from __future__ import annotations

FIXTURE_MARKERS: dict[str, str] = {
    "server": "server",  # a real kg serve for the module (tests.support.live_server)
    "browser": "browser",  # headless Chromium through Playwright (tests.support.browser)
    "virtuoso": "virtuoso",  # a private Virtuoso (tests.support.virtuoso)
    # The seed built with the shapes check, which ``built`` copies for a test to add to,
    # remove from or rebuild: each such test runs kg add or kg build (2 to 12 s).
    "checked_seed_project": "slow",
}
SLOW_BY_NATURE = ("server", "browser", "virtuoso")

# The marks of the test being set up or run in this process; None outside pytest (a script
# that starts a server for itself is not checked).
current: frozenset[str] | None = None


def mark(items) -> None:
    """Give each collected test the marks of ``markers_for`` (tests/conftest.py calls this
    before ``-m`` deselects)."""
    for item in items:
        own = {m.name for m in item.iter_markers()}
        for name in markers_for(item.fixturenames, own):
            item.add_marker(name)


def markers_for(fixture_names: list[str], own: set[str]) -> list[str]:
    """The marks a test gets besides its ``own``: one per fixture of ``FIXTURE_MARKERS`` it
    uses, and ``slow`` when it is (or now becomes) a server, browser or Virtuoso test."""
    found = {FIXTURE_MARKERS[name] for name in fixture_names if name in FIXTURE_MARKERS}
    if (found | own) & set(SLOW_BY_NATURE):
        found.add("slow")
    return sorted(found - own)


def require(marker: str, what: str) -> None:
    """Refuse to start ``what`` for a test that is not marked ``marker``."""
    if current is not None and marker not in current:
        raise RuntimeError(
            f"this test starts {what} but is not marked '{marker}', so -m 'not {marker}' and "
            f"-m 'not slow' would run it: take it from a fixture named "
            f"{_fixtures_of(marker)} or mark the test @pytest.mark.{marker}"
        )


def _fixtures_of(marker: str) -> str:
    return " or ".join(repr(name) for name, m in FIXTURE_MARKERS.items() if m == marker)
