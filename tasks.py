#!/usr/bin/env python3
"""Set-up and entry points that need nothing but Python 3.11+.

    python3 tasks.py up      build the graph from data/, export it, and serve both on
                             http://127.0.0.1:8000
    python3 tasks.py test    install what the tests need (Python packages, system packages)
                             and run every check: ruff, lint-imports, kg build, kg validate,
                             pytest (in parallel, slow tests included)
    python3 tasks.py golden  rewrite tests/golden/ from the seed graph built now (after an
                             intended change to a query or the data; read the diff)
    python3 tasks.py assets  fetch the research page's query editor (YASGUI) from the npm
                             registry, pinned and integrity-checked (up and test do this too)

All create and reuse ./.venv. Extra arguments after ``test`` go to pytest (e.g. ``-m "not
slow"``, ``-n 0``); after ``up`` to ``kg serve``; after ``golden`` the query names to rewrite.
Exit code: that of the first step that fails.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request
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

# Browser code the server serves as its own (no CDN): fetched from the npm registry at set-up,
# pinned by version and by the registry's sha512 integrity, cached outside the repository and
# unpacked into an ignored folder of the package. YASGUI is MIT-licensed.
ASSETS: dict[str, dict] = {
    "yasgui": {
        "package": "@zazuko/yasgui",
        "version": "4.6.2",
        "url": "https://registry.npmjs.org/@zazuko/yasgui/-/yasgui-4.6.2.tgz",
        "integrity": "sha512-Zw45KdPoAE1KRaAoxIHdQqeJxvaVG1oQdntw0hy0ktX35Zu8ZccuOLrXCLwR+GU+0xMzLw8Mjw6BkSZV2vUuQw==",
        "files": {
            "package/build/yasgui.min.js": "yasgui.min.js",
            "package/build/yasgui.min.css": "yasgui.min.css",
            "package/package.json": "package.json",
        },
    },
}
VENDOR = ROOT / "kg" / "server" / "static" / "vendor"
ASSET_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kg-assets"


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


def integrity_of(data: bytes) -> str:
    """The npm registry's form of a digest (Subresource Integrity): sha512-<base64>."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def fetch_tarball(asset: dict) -> bytes:
    """The pinned tarball, from the cache when it is there and intact, else from the registry;
    refused (and not kept) when its digest is not the pinned one."""
    cached = ASSET_CACHE / Path(asset["url"]).name
    if cached.is_file() and integrity_of(cached.read_bytes()) == asset["integrity"]:
        return cached.read_bytes()
    step(f"fetching {asset['package']} {asset['version']} from the npm registry")
    try:
        with urllib.request.urlopen(asset["url"], timeout=60) as response:
            data = response.read()
    except OSError as err:
        raise SystemExit(f"tasks.py: cannot fetch {asset['url']}: {err}") from None
    found = integrity_of(data)
    if found != asset["integrity"]:
        raise SystemExit(
            f"tasks.py: {asset['url']} has integrity {found}, not the pinned "
            f"{asset['integrity']}; refusing to use it"
        )
    ASSET_CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(data)
    return data


def unpack(asset: dict, data: bytes, target: Path) -> None:
    """Only the pinned files of the tarball, written as regular files under ``target``."""
    wanted = asset["files"]
    scratch = target.with_name(f".{target.name}.unpacking")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            if member.name in wanted and member.isfile():
                content = archive.extractfile(member).read()
                (scratch / wanted[member.name]).write_bytes(content)
    missing = [name for name in wanted.values() if not (scratch / name).is_file()]
    if missing:
        shutil.rmtree(scratch)
        raise SystemExit(f"tasks.py: {asset['url']} lacks {missing}")
    (scratch / "INTEGRITY").write_text(asset["integrity"] + "\n")
    shutil.rmtree(target, ignore_errors=True)
    scratch.rename(target)


def ensure_assets() -> None:
    for name, asset in ASSETS.items():
        target = VENDOR / name
        stamp = target / "INTEGRITY"
        if stamp.is_file() and stamp.read_text().strip() == asset["integrity"]:
            continue
        unpack(asset, fetch_tarball(asset), target)
        print(f"tasks.py: {asset['package']} {asset['version']} in {target.relative_to(ROOT)}")


def assets(args: list[str]) -> int:
    ensure_assets()
    return 0


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
    ensure_assets()
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
    ensure_assets()
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
    commands = {"test": test, "up": up, "golden": golden, "assets": assets}
    if not argv or argv[0] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
