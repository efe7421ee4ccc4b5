"""The package's shape: small modules, short functions, and every module inside a layer.

The layer contract itself (which layer may import which, no import circles) is import-linter's
(``[tool.importlinter]`` in pyproject.toml, run by ``tasks.py test``); these tests check what it
does not: sizes, and that no package escapes the contract.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kg"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
# A longer function says why on the line above its ``def``: ``# long: <reason>``.
LONG_MARK = "# long:"


def test_the_package_was_found():
    assert len(MODULES) > 50


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_small(path: Path):
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(ROOT)}: {lines} lines"


def _long_functions(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        reasoned = first >= 2 and lines[first - 2].strip().startswith(LONG_MARK)
        if length > MAX_FUNCTION_LINES and not reasoned:
            found.append(f"{node.name} (line {node.lineno}, {length} lines)")
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_functions_are_short_or_say_why(path: Path):
    assert _long_functions(path) == []


def test_every_package_is_in_a_layer():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")
    named = {name.strip() for layer in layers["layers"] for name in layer.split("|")}
    children = {
        p.stem if p.is_file() else p.name
        for p in PACKAGE.iterdir()
        if (p.suffix == ".py" and p.name != "__init__.py") or (p / "__init__.py").is_file()
    }
    assert children, "no modules found in kg/"
    assert children - named == set(), "modules of kg/ outside every layer"


def test_the_longest_first_modules_exist() -> None:
    """A renamed module would silently lose its place at the front of the parallel run."""
    from tests.support import LONGEST_FIRST

    tests = Path(__file__).parent
    assert [name for name in LONGEST_FIRST if not (tests / name).is_file()] == []


def test_tests_take_shared_helpers_from_support_not_conftest() -> None:
    """Fixtures come from conftest.py by name; plain helpers from tests.support, never from
    conftest or another test module."""
    tests = Path(__file__).parent
    found = sorted(
        str(p.relative_to(tests)) for p in tests.rglob("*.py") if _imports_a_test_module(p)
    )
    assert found == []


def test_a_test_module_importing_another_is_found(tmp_path: Path) -> None:
    module = tmp_path / "test_x.py"
    for text, found in [
        ("from test_server_safety import Listener\n", True),
        ("from conftest import helper\n", True),
        ("import tests.conftest\n", True),
        ("from tests.support.listener import Listener\n", False),
    ]:
        module.write_text(text, encoding="utf-8")
        assert _imports_a_test_module(module) is found, text


def _imports_a_test_module(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        if any(_is_test_module(name.split(".")[-1]) for name in names):
            return True
    return False


def _is_test_module(name: str) -> bool:
    return name == "conftest" or name.startswith("test_")


SERVER_ONLY = ("fastapi", "starlette", "uvicorn", "asyncio", "jinja2")


@pytest.mark.parametrize(
    "modules, unwanted",
    [
        # every job a worker runs: a SPARQL query, and the rest
        ("kg.server.worker, kg.server.query_job", (*SERVER_ONLY, "rdflib", "importlib.metadata")),
        ("kg.server.jobs", SERVER_ONLY),
    ],
)
def test_a_query_worker_imports_only_what_its_jobs_need(modules: str, unwanted: tuple) -> None:
    """Each worker start, and each restart after a time-out, pays for what it imports."""
    code = f"import sys, {modules}; print(sorted(set({unwanted!r}) & set(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"
