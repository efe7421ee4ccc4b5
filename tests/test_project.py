"""The project folder: found from --project, KG_PROJECT or the folders above the current one;
every default and every published source path relative to it, whatever folder a command runs in."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.errors import ConfigError, ProjectNotFound
from kg.project import Project, default_jobs, published_path
from tests.support import PROJECT, REPO_ROOT, solutions

SOURCE_FILES = "SELECT DISTINCT ?file WHERE { GRAPH ?g { ?s <https://w3id.org/ai-beleid/def/aip#sourceFile> ?file } }"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder of its own: a copy of data/ and ontology/ and a kg.toml marker."""
    root = tmp_path / "proj"
    root.mkdir()
    for folder in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(getattr(PROJECT, folder), root / folder)
    (root / "kg.toml").write_text('store = "stores/main"\n', encoding="utf-8")
    return root


def test_the_repository_is_a_project_marked_in_pyproject() -> None:
    found = Project.find(cwd=REPO_ROOT / "kg" / "cli", env={})
    assert found.root == REPO_ROOT
    assert found.data == REPO_ROOT / "data"
    assert found.store == REPO_ROOT / "build" / "store"
    # normalised, not resolved: a shared/ folder that is a symbolic link stays as named
    assert found.conformance == REPO_ROOT.parent / "shared" / "conformance"


def test_found_from_a_folder_below_the_root(project: Path) -> None:
    below = project / "data" / "sources"
    found = Project.find(cwd=below, env={})
    assert found.root == project.resolve()
    assert found.store == (project / "stores" / "main").resolve()  # set in kg.toml


def test_explicit_folder_wins_over_the_environment_and_the_environment_over_cwd(
    project: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "kg.toml").write_text("", encoding="utf-8")
    env = {"KG_PROJECT": str(project)}
    assert Project.find(other, env=env, cwd=REPO_ROOT).root == other.resolve()
    assert Project.find(env=env, cwd=REPO_ROOT).root == project.resolve()
    assert Project.find(env={}, cwd=other).root == other.resolve()


def test_conformance_folder_from_the_environment(project: Path, tmp_path: Path) -> None:
    env = {"KG_CONFORMANCE": str(tmp_path / "shapes-nl")}
    assert Project.at(project, env).conformance == (tmp_path / "shapes-nl").resolve()


def test_no_project_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFound, match=r"no kg project in .*'kg --project DIR'"):
        Project.find(env={}, cwd=tmp_path)
    with pytest.raises(ProjectNotFound, match=r"--project .*missing: no such folder"):
        Project.find(tmp_path / "missing", env={})
    with pytest.raises(ProjectNotFound, match=r"KG_PROJECT .*missing: no such folder"):
        Project.find(env={"KG_PROJECT": str(tmp_path / "missing")}, cwd=tmp_path)


def test_a_malformed_marker_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "kg.toml").write_text("data = [", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"kg\.toml: cannot read the project settings"):
        Project.find(env={}, cwd=tmp_path)
    (tmp_path / "kg.toml").write_text("data = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[tool.kg\] data must be a path string, not 3"):
        Project.find(env={}, cwd=tmp_path)


def test_cli_outside_a_project_exits_2_and_says_how_to_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_PROJECT", raising=False)
    assert main(["query", "questions"]) == 2
    err = capsys.readouterr().err
    assert "kg query: error: no kg project in" in err
    assert "kg --project DIR" in err and "KG_PROJECT=DIR" in err


def test_cli_help_needs_no_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--help"]) == 0


@pytest.mark.slow
def test_cli_project_option_and_environment(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_PROJECT", raising=False)
    assert main(["--project", str(project), "build", "-q", "--no-validate"]) == 0
    assert (project / "stores" / "main").is_dir()  # the project's store, from its kg.toml
    monkeypatch.setenv("KG_PROJECT", str(project))
    assert main(["query", "questions", "--format", "csv"]) == 0


def _source_files(store: Path) -> set[str]:
    rows = solutions(ox.Store.read_only(str(store)).query(SOURCE_FILES))
    return {row["file"].value for row in rows}


@pytest.mark.slow
def test_relative_data_from_another_folder_reprocesses_nothing_and_publishes_the_same_paths(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.pipeline.build import build

    store = project / "stores" / "main"
    monkeypatch.chdir(project)
    first = build(Path("data"), store, Path("ontology"))
    before = _source_files(store)
    assert before and all(not Path(f).is_absolute() for f in before)
    assert "data/sources/2026D32673.txt" in before

    elsewhere = tmp_path / "elsewhere" / "deeper"
    elsewhere.mkdir(parents=True)
    monkeypatch.chdir(elsewhere)
    second = build(Path("../../proj/data"), store, Path("../../proj/ontology"))
    assert first.changed and not second.changed and not second.removed
    assert second.unchanged == len(first.documents)
    assert _source_files(store) == before


def test_published_path_is_relative_to_the_project_holding_the_file(project: Path) -> None:
    source = project / "data" / "sources" / "2026D32673.txt"
    assert published_path(source) == "data/sources/2026D32673.txt"
    assert published_path(Path(os.path.relpath(source))) == "data/sources/2026D32673.txt"


@pytest.mark.slow
def test_a_non_editable_install_builds_and_queries_a_project_without_the_package(
    tmp_path: Path,
) -> None:
    """pip install . into a fresh venv, then kg build and kg query in a copy of the repository
    without kg/: the 12 questions, and nothing written into site-packages. The dependencies
    come from the test environment (a .pth line): installing them again would test pip."""
    wheels = tmp_path / "wheels"
    run = _runner(tmp_path)
    source = tmp_path / "source"  # building writes kg.egg-info beside the sources: not here
    shutil.copytree(REPO_ROOT, source, ignore=_not_copied())
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, source)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    [wheel] = wheels.glob("kg-*.whl")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel)
    site = Path(
        run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    )
    (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    imported = Path(run(python, "-c", "import kg; print(kg.__file__)").strip())
    assert imported.is_relative_to(site), imported
    installed_before = _tree(site)
    copy = tmp_path / "copy"
    shutil.copytree(REPO_ROOT, copy, ignore=_not_copied("kg"))
    kg = env_dir / "bin" / "kg"
    run(kg, "build", "-q", cwd=copy / "data")  # from a folder below the project root
    listing = run(kg, "query", "questions", "--format", "csv", cwd=copy)
    header, *rows = csv.reader(io.StringIO(listing))
    assert header == ["document", "number", "question", "answer"]
    assert sorted(int(row[1]) for row in rows) == list(range(1, 13))
    assert (copy / "build" / "store").is_dir()
    assert _tree(site) == installed_before
    assert sysconfig.get_paths()["purelib"] != str(site)


def _not_copied(*more: str):
    return shutil.ignore_patterns(
        ".git", ".venv", "build", "out", "__pycache__", "*.egg-info", *more
    )


def _runner(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KG_PROJECT")}

    def run(*cmd: str | Path, cwd: Path = tmp_path) -> str:
        done = subprocess.run(
            [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"{cmd}: {done.stderr[-2000:]}"
        return done.stdout

    return run


def _tree(folder: Path) -> dict[str, int]:
    """Every file below ``folder`` with its size (a write, a new cache file would show)."""
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


def test_kg_jobs_sets_the_worker_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_JOBS", "3")
    assert default_jobs() == 3
    monkeypatch.setenv("KG_JOBS", "")
    assert default_jobs() == (os.cpu_count() or 1)


@pytest.mark.parametrize("value", ["0", "two", "-1", "1.5"])
def test_a_kg_jobs_that_is_not_a_count_is_named(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("KG_JOBS", value)
    with pytest.raises(ConfigError, match=rf"^KG_JOBS='{re.escape(value)}': expected a whole"):
        default_jobs()
