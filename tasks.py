#!/usr/bin/env python3
"""Set-up and entry points that need nothing but Python 3.11+.

    python3 tasks.py up      build the graph from data/, export it, and serve both on
                             http://127.0.0.1:8000 (--port N for another port)
    python3 tasks.py test    install what the tests need (Python packages, system packages,
                             the official conformance material) and run every check: ruff,
                             lint-imports, mypy, kg build, kg validate, pytest (in parallel,
                             slow tests included)
    python3 tasks.py golden  rewrite tests/golden/ from the seed graph built now (after an
                             intended change to a query or the data; read the diff)
    python3 tasks.py assets  fetch the research page's query editor (YASGUI) from the npm
                             registry, pinned and integrity-checked (up and test do this too)

All create and reuse ./.venv. Extra arguments after ``test`` go to pytest (e.g. ``-m "not
slow"``, ``-n 0``); after ``up`` to ``kg serve``; after ``golden`` the query names to rewrite.
Exit code: that of the first step that fails.

``test`` and ``up`` also make the official conformance material available (DCAT-AP and
DCAT-AP-NL shapes, the W3C SPARQL Protocol tests, pinned in kg/conformance.toml): from the
project's conformance folder (../shared/conformance) where it is there, else fetched from the
pinned URLs into a per-user cache and checked against the pinned SHA-256. Offline, the tests
that need it are reported as not run, with the reason.
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
import tempfile
import urllib.error
import urllib.request
import venv
from pathlib import Path
from urllib.parse import urlsplit

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
                content = archive.extractfile(member)
                assert content is not None  # a regular file's member has its content
                (scratch / wanted[member.name]).write_bytes(content.read())
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


# The largest file of the conformance material is 60 KB; anything far larger is not it.
MAX_FETCH_BYTES = 16 * 2**20
FETCH_TIMEOUT = 30.0


def ensure_conformance(mirror: str | None = None, pins=None, project=None) -> list[str]:
    """Make every file pinned in kg/conformance.toml available: in the project's conformance
    folder (../shared/conformance or $KG_CONFORMANCE) where it is, else in the cache, fetched
    from its pinned URL and kept only when its SHA-256 is the pinned one. Returns a line per
    file that is still missing (the tests that need it are then reported as not run); a
    missing file never fails the set-up. ``mirror`` (default $KG_CONFORMANCE_MIRROR) replaces
    https://raw.githubusercontent.com/ in the URLs. ``pins`` (kg.project.Material by key) and
    ``project`` default to kg/conformance.toml and this checkout."""
    from kg.project import Project, conformance_pins, file_sha256  # stdlib only

    step("official conformance material (kg/conformance.toml)")
    project = project if project is not None else Project.at(ROOT)
    pins = pins if pins is not None else conformance_pins()
    mirror = mirror if mirror is not None else os.environ.get("KG_CONFORMANCE_MIRROR")
    missing: list[str] = []
    unreachable: dict[str, str] = {}  # host -> why: one failed connection is enough to know
    counts = {"project": 0, "cache": 0, "fetched": 0}
    for material in pins.values():
        for name, digest in material.sha256.items():
            relative = Path(material.folder) / name
            local, cached = project.conformance / relative, project.conformance_cache / relative
            if local.is_file():
                counts["project"] += 1
                if file_sha256(local) != digest:
                    print(f"tasks.py: warning: {local} differs from the pinned SHA-256 {digest}")
                continue
            if cached.is_file() and file_sha256(cached) == digest:
                counts["cache"] += 1
                continue
            url = material.url(name, mirror)
            host = urlsplit(url).netloc
            why = unreachable.get(host) or fetch_pinned(url, digest, cached)
            if why is None:
                counts["fetched"] += 1
                continue
            if why.startswith("cannot reach"):
                unreachable[host] = why
            missing.append(f"{relative} from {url}: {why}")
    print(
        f"{counts['project']} file(s) in {project.conformance}, {counts['cache']} in the cache "
        f"{project.conformance_cache}, {counts['fetched']} fetched"
    )
    for line in missing:
        print(f"tasks.py: not available: {line}")
    if missing:
        print(
            "tasks.py: the tests that need the missing material will be reported as not run "
            "(skipped, with the reason); kg export writes its catalogue without the official "
            "check and says so"
        )
    return missing


def fetch_pinned(url: str, digest: str, target: Path) -> str | None:
    """Download ``url`` into ``target`` if its bytes have SHA-256 ``digest``; None when done,
    else why not. Written beside the target and renamed, so a cut download is never used."""
    try:
        with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT) as response:
            body = response.read(MAX_FETCH_BYTES + 1)
    except urllib.error.HTTPError as err:
        return f"answered HTTP {err.code} {err.reason}"
    except (urllib.error.URLError, OSError) as err:
        return f"cannot reach {urlsplit(url).netloc} ({getattr(err, 'reason', err)})"
    if len(body) > MAX_FETCH_BYTES:
        return f"larger than {MAX_FETCH_BYTES} bytes, so not the pinned file"
    found = hashlib.sha256(body).hexdigest()
    if found != digest:
        return f"has SHA-256 {found}, not the pinned {digest}; not used"
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    with os.fdopen(fd, "wb") as out:
        out.write(body)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)
    return None


def test(args: list[str]) -> int:
    ensure_venv("test")
    ensure_system_packages()
    ensure_conformance()
    ensure_assets()
    step("ruff check, ruff format --check")
    sh(BIN / "ruff", "check", ".")
    sh(BIN / "ruff", "format", "--check", ".")
    step("lint-imports (the layers of kg/, no import circles)")
    sh(BIN / "lint-imports")
    step("mypy (the types of kg/, tests/ and tasks.py; [tool.mypy] in pyproject.toml)")
    sh(BIN / "mypy")
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
    ensure_conformance()
    ensure_assets()
    step("kg build")
    sh(BIN / "kg", "build")
    step("kg export (published by the endpoint at /catalog and /download/)")
    # Without the official shapes the export is still written, and kg export says on standard
    # error that its catalogue was not checked. Any other failure stops here: a server without
    # the catalogue it is expected to publish is not what 'up' promises.
    sh(BIN / "kg", "export", "--quiet")
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
