"""The project folder: where a project's data, ontology, shapes and queries live.

Found the way git finds ``.git``: an explicit folder (``kg --project DIR``), else the environment
variable ``KG_PROJECT``, else the current folder and its parents, the first one holding a marker
file: ``kg.toml``, or ``pyproject.toml`` with a ``[tool.kg]`` table. Every default location is
relative to the project root and may be overridden in that table (or ``kg.toml``), e.g.::

    [tool.kg]
    data = "data"
    conformance = "../shared/conformance"   # the DCAT-AP-NL shapes; env KG_CONFORMANCE wins

The official conformance material (DCAT-AP and DCAT-AP-NL shapes, the W3C SPARQL Protocol tests)
is pinned in ``kg/conformance.toml``: read from the project's conformance folder where it holds
it, else from the cache that ``tasks.py`` fills from the pinned URLs
(``Project.conformance_root``).

Nothing here runs at import time: a project is found when a command asks for one.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import ConfigError, ProjectNotFound

ENV_PROJECT = "KG_PROJECT"
ENV_JOBS = "KG_JOBS"
ENV_CONFORMANCE = "KG_CONFORMANCE"
ENV_CONFORMANCE_CACHE = "KG_CONFORMANCE_CACHE"
MARKER_FILE = "kg.toml"
CONFORMANCE_PINS = Path(__file__).resolve().parent / "conformance.toml"

# Each location: (setting in the marker table, default relative to the project root).
LOCATIONS: dict[str, str] = {
    "data": "data",
    "ontology": "ontology",
    "shapes": "shapes",
    "queries": "queries",
    "build": "build",
    "store": "build/store",
    "out": "out",  # kg export writes here; kg serve publishes it
    "export_config": "export.toml",
    "conformance": "../shared/conformance",
}


@dataclass(frozen=True)
class Project:
    root: Path
    data: Path
    ontology: Path
    shapes: Path
    queries: Path
    build: Path
    store: Path
    out: Path
    export_config: Path
    conformance: Path
    # where tasks.py puts the conformance material it fetched (outside any checkout)
    conformance_cache: Path = field(default_factory=lambda: conformance_cache())

    @property
    def analysis(self) -> Path:
        return self.build / "analysis"

    def conformance_root(self, *materials: str) -> Path | None:
        """The first of the project's conformance folder and the cache that holds every file
        of ``materials`` (keys of ``kg/conformance.toml``, e.g. ``dcat-ap``), or None."""
        pins = conformance_pins()
        wanted = [f"{pins[m].folder}/{name}" for m in materials for name in pins[m].sha256]
        for root in (self.conformance, self.conformance_cache):
            if all((root / relative).is_file() for relative in wanted):
                return root
        return None

    @property
    def dcat_conformance(self) -> Path | None:
        """Where the official DCAT-AP and DCAT-AP-NL shapes are, if anywhere."""
        return self.conformance_root("dcat-ap", "dcat-ap-nl")

    @property
    def reference(self) -> Path:
        return reference_dir(self.data)

    @classmethod
    def at(cls, root: Path | str, env: Mapping[str, str] | None = None) -> Project:
        """The project whose root is ``root`` (its marker file is read for overrides)."""
        root = Path(root).resolve()
        settings = _marker_settings(root) or {}
        env = os.environ if env is None else env
        if env.get(ENV_CONFORMANCE):
            settings = {**settings, "conformance": env[ENV_CONFORMANCE]}
        return cls(
            root=root,
            **{name: _location(root, settings, name) for name in LOCATIONS},
            conformance_cache=conformance_cache(env),
        )

    @classmethod
    def find(
        cls,
        explicit: Path | str | None = None,
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> Project:
        """``explicit``, else ``$KG_PROJECT``, else the nearest marked folder upwards of ``cwd``."""
        env = os.environ if env is None else env
        for given, origin in ((explicit, "--project"), (env.get(ENV_PROJECT), ENV_PROJECT)):
            if given:
                root = Path(given).expanduser()
                if not root.is_dir():
                    raise ProjectNotFound(f"{origin} {given}: no such folder")
                return cls.at(root, env)
        start = Path(cwd) if cwd is not None else Path.cwd()
        found = project_root_of(start.resolve())
        if found is None:
            raise ProjectNotFound(
                f"no kg project in {start} or any folder above it: run the command inside a "
                f"project folder (one holding {MARKER_FILE}, or pyproject.toml with a [tool.kg] "
                f"table), or name it with 'kg --project DIR' or {ENV_PROJECT}=DIR"
            )
        return cls.at(found, env)


def conformance_cache(env: Mapping[str, str] | None = None) -> Path:
    """The folder ``tasks.py`` fetches the pinned conformance material into:
    ``$KG_CONFORMANCE_CACHE``, else ``$XDG_CACHE_HOME/kg/conformance``, else
    ``~/.cache/kg/conformance``. Per user, not per checkout: a second clone needs no second
    download, and nothing of it can end up in git."""
    env = os.environ if env is None else env
    if env.get(ENV_CONFORMANCE_CACHE):
        return Path(env[ENV_CONFORMANCE_CACHE]).expanduser()
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "kg" / "conformance"


@dataclass(frozen=True)
class Material:
    """One body of official conformance material, pinned in ``kg/conformance.toml``."""

    key: str
    folder: str  # its folder in the conformance folder and in the cache
    title: str
    repository: str  # owner/name on GitHub
    commit: str
    path: str  # the folder in that repository
    licence: str
    sha256: dict[str, str]  # file name -> SHA-256 of its bytes

    def url(self, name: str, mirror: str | None = None) -> str:
        base = (mirror or RAW_GITHUB).rstrip("/") + "/"
        return f"{base}{self.repository}/{self.commit}/{self.path}/{name}"

    def describe(self) -> str:
        return f"{self.title} ({self.folder}/: {', '.join(self.sha256)})"


RAW_GITHUB = "https://raw.githubusercontent.com/"


@functools.cache
def conformance_pins(path: Path = CONFORMANCE_PINS) -> dict[str, Material]:
    """The pinned material of ``kg/conformance.toml``, by key."""
    raw = _read_toml(path)
    pins = {}
    for key, table in raw.items():
        try:
            pins[key] = Material(key=key, **table)
        except TypeError as err:
            raise ConfigError(f"{path}: [{key}]: {err}") from None
    return pins


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def missing_conformance(project: Project, *materials: str) -> str:
    """Why ``materials`` cannot be used, and how to get them: what a skipped test or an
    unvalidated export says."""
    pins = conformance_pins()
    what = "; ".join(pins[m].describe() for m in materials)
    return (
        f"the official {what} not found in {project.conformance} (the project's conformance "
        f"folder) nor in the cache {project.conformance_cache}; 'python3 tasks.py test' "
        f"fetches them from the URLs pinned in kg/conformance.toml (needs access to "
        f"raw.githubusercontent.com), or set {ENV_CONFORMANCE}=DIR to a folder holding them"
    )


def _location(root: Path, settings: Mapping[str, Any], name: str) -> Path:
    value = settings.get(name.replace("_", "-"), settings.get(name, LOCATIONS[name]))
    if not isinstance(value, str):
        raise ConfigError(f"{root}: [tool.kg] {name} must be a path string, not {value!r}")
    # Normalised, not resolved: the store is a symlink to its current version, kept as such.
    return Path(os.path.normpath(root / value))


def _marker_settings(folder: Path) -> dict[str, Any] | None:
    """The settings table of ``folder``'s marker file, or None when the folder is not marked."""
    marker = folder / MARKER_FILE
    if marker.is_file():
        return _read_toml(marker)
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        table = _read_toml(pyproject).get("tool", {}).get("kg")
        return dict(table) if isinstance(table, dict) else None
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path}: cannot read the project settings: {err}") from None


# Remembered per folder: a build asks this for every source file of one folder.
@functools.lru_cache(maxsize=256)
def project_root_of(folder: Path) -> Path | None:
    """The nearest marked folder at or above ``folder`` (absolute), or None."""
    for candidate in (folder, *folder.parents):
        if (candidate / MARKER_FILE).is_file() or _has_kg_table(candidate / "pyproject.toml"):
            return candidate
    return None


def _has_kg_table(pyproject: Path) -> bool:
    if not pyproject.is_file():
        return False
    return isinstance(_read_toml(pyproject).get("tool", {}).get("kg"), dict)


def published_path(path: Path) -> str:
    """How a source file is named in the graph and the build manifest: relative to the root of
    the project holding it, so the name does not depend on the folder a command runs from.
    A file outside any project keeps its absolute path."""
    absolute = Path(path).resolve()
    root = project_root_of(absolute.parent)
    return absolute.relative_to(root).as_posix() if root else absolute.as_posix()


class ProjectDefault:
    """An argparse default that names a project location, filled in once the project is known
    (so ``kg --help`` works outside a project and ``--project`` can come first)."""

    def __init__(self, location: str, convert: Callable[[Path], Any] = Path) -> None:
        self.location = location
        self.convert = convert

    def resolve(self, project: Project) -> Any:
        return self.convert(getattr(project, self.location))

    def __str__(self) -> str:  # shown by %(default)s in --help
        derived = {
            "analysis": "build/analysis",
            "reference": "data/reference",
            "dcat_conformance": f"{LOCATIONS['conformance']}, else the conformance cache",
        }
        return f"<project>/{LOCATIONS.get(self.location) or derived[self.location]}"


def project_default(location: str, convert: Callable[[Path], Any] = Path) -> ProjectDefault:
    return ProjectDefault(location, convert)


def sources_dir(data_dir: Path) -> Path:
    return data_dir / "sources"


def reference_dir(data_dir: Path) -> Path:
    return data_dir / "reference"


def default_jobs() -> int:
    """How many worker processes kg may start for one command (converting documents, pySHACL):
    ``$KG_JOBS``, else one per core. A container or a shared CI runner may report more cores
    than it lets one process use."""
    given = os.environ.get(ENV_JOBS, "").strip()
    if not given:
        return os.cpu_count() or 1
    if not given.isdigit() or int(given) < 1:
        raise ConfigError(f"{ENV_JOBS}={given!r}: expected a whole number of processes, 1 or more")
    return int(given)
