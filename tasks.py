#!/usr/bin/env python3
"""Set-up and entry points that need nothing but Python 3.11+.

    python3 tasks.py up      build the graph from data/, export it, and serve both on
                             http://127.0.0.1:8000
    python3 tasks.py test    install what the tests need (Python packages, system packages)
                             and run every check: ruff, lint-imports, kg build, kg validate,
                             pytest (in parallel, slow tests included)
    python3 tasks.py golden  rewrite tests/golden/ from the seed graph built now (after an
                             intended change to a query or the data; read the diff)

All create and reuse ./.venv. Extra arguments after ``test`` go to pytest (e.g. ``-m "not
slow"``, ``-n 0``); after ``up`` to ``kg serve``; after ``golden`` the query names to rewrite.
Exit code: that of the first step that fails.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
PY = BIN / "python"
# pytest-xdist: one worker per core; a test module stays on one worker, so the servers and
# stores a module starts once (module-scoped fixtures) are not started again on another worker.
# Modules go out in collection order, which tests/conftest.py makes longest first.
PARALLEL = ("-n", "auto", "--dist", "loadfile", "--no-loadscope-reorder")
# Debian packages the test suite needs, by the command that proves each is there.
SYSTEM_PACKAGES: dict[str, str] = {
    "chromium": "chromium",  # the research page in a real browser
    "virtuoso-t": "virtuoso-opensource",  # the remote SPARQL store tests
    "isql-vt": "virtuoso-opensource",
}


def step(title: str) -> None:
    print(f"\n==> {title}", flush=True)


def sh(*cmd: str | Path, check: bool = True, env: dict[str, str] | None = None) -> int:
    code = subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)
    if check and code != 0:
        print(
            f"tasks.py: '{' '.join(map(str, cmd))}' failed with exit code {code}", file=sys.stderr
        )
        raise SystemExit(code)
    return code


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs under any python3
        raise SystemExit("tasks.py: Python 3.11 or newer is needed")
    if not PY.exists():
        step(f"creating {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    # Reinstall only when pyproject.toml or the extras changed: a stamp holds their hash.
    stamp = VENV / f".installed-{extras}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    step(f"installing kg[{extras}] into {VENV}")
    sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]")
    stamp.write_text(digest)


def ensure_system_packages() -> None:
    missing = [pkg for command, pkg in SYSTEM_PACKAGES.items() if shutil.which(command) is None]
    if not missing:
        return
    step(f"installing system packages: {' '.join(missing)}")
    if shutil.which("apt-get") is None:
        raise SystemExit(f"tasks.py: need {missing} but there is no apt-get; install them by hand")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    sh(*sudo, "apt-get", "update", "-q", env=env)
    sh(*sudo, "apt-get", "install", "-y", "-q", "--no-install-recommends", *missing, env=env)
    still = [pkg for command, pkg in SYSTEM_PACKAGES.items() if shutil.which(command) is None]
    if still:
        raise SystemExit(f"tasks.py: system packages still missing after install: {still}")


def test(args: list[str]) -> int:
    ensure_venv("test")
    ensure_system_packages()
    step("ruff check")
    sh(BIN / "ruff", "check", ".")
    step("lint-imports (the layers of kg/, no import circles)")
    sh(BIN / "lint-imports")
    step("kg build")
    sh(BIN / "kg", "build", "--trig", ROOT / "build" / "dataset.trig")
    step("kg validate")
    sh(BIN / "kg", "validate")
    step("pytest")
    code = sh(BIN / "pytest", *PARALLEL, *args, check=False, env=test_environment())
    if code == 5:  # pytest: no tests collected. Never a success here.
        print("tasks.py: pytest collected no tests", file=sys.stderr)
        return 1
    return code


def test_environment() -> dict[str, str]:
    """The environment of the test run.

    - One kg worker process per test worker: pytest-xdist already keeps every core busy, so a
      pool per command would only add forks. The tests of the pools ask for their size.
    - Bytecode is cached (in the ignored __pycache__ folders), even where
      PYTHONDONTWRITEBYTECODE is set: the suite starts a few hundred Python processes (kg
      commands, servers, workers), and without a cache each compiles the package again, and
      pytest rewrites every test module in every worker on every run.
    """
    env = {**os.environ, "KG_JOBS": os.environ.get("KG_JOBS", "1")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def golden(args: list[str]) -> int:
    ensure_venv("test")
    step("rewriting tests/golden/")
    return sh(PY, "-m", "tests.golden", "regenerate", *args, check=False)


def up(args: list[str]) -> int:
    ensure_venv("serve")
    step("kg build")
    sh(BIN / "kg", "build")
    step("kg export (published by the endpoint at /catalog and /download/)")
    if sh(BIN / "kg", "export", "--quiet", check=False) != 0:
        # Without the official shapes (shared/conformance) the catalogue cannot be validated:
        # serve the graph anyway; /catalog then says how to export.
        print("tasks.py: no export this time (see the message above); serving the graph anyway")
    step("kg serve")
    return sh(BIN / "kg", "serve", *args, check=False)


def main(argv: list[str]) -> int:
    commands = {"test": test, "up": up, "golden": golden}
    if not argv or argv[0] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
