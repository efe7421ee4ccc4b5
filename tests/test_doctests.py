"""The ``>>>`` examples in the docstrings of kg/ run as tests, one test per docstring: an example
that no longer holds fails here, so the documentation of a helper cannot drift from what it does.

Every module of kg/ whose source holds ``>>>`` is imported and searched; one whose ``>>>`` gives
no example (a typo in the prompt, an example outside a docstring) fails too.
"""

from __future__ import annotations

import doctest
import importlib
import io
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"
FINDER = doctest.DocTestFinder(exclude_empty=True)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(
    module_name(path) for path in PACKAGE.rglob("*.py") if ">>>" in path.read_text(encoding="utf-8")
)
DOCTESTS = {
    name: [test for test in FINDER.find(importlib.import_module(name)) if test.examples]
    for name in MODULES
}
EXAMPLES = [test for tests in DOCTESTS.values() for test in tests]


def test_the_search_found_examples_in_each_layer_it_was_asked_for() -> None:
    assert len(EXAMPLES) >= 15
    assert sum(len(test.examples) for test in EXAMPLES) >= 25
    layers = {name.split(".")[1] for name, tests in DOCTESTS.items() if tests}
    assert {"rdf", "sources", "extract"} <= layers


@pytest.mark.parametrize("name", MODULES)
def test_every_module_with_a_prompt_has_examples(name: str) -> None:
    assert DOCTESTS[name], f"{name} has '>>>' but doctest finds no example in its docstrings"


@pytest.mark.parametrize("test", EXAMPLES, ids=lambda test: test.name)
def test_docstring_examples(test: doctest.DocTest) -> None:
    report = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS, verbose=False)
    result = runner.run(test, out=report.write)
    assert result.attempted == len(test.examples)
    assert result.failed == 0, report.getvalue()
