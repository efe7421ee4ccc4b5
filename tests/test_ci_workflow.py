"""The example CI workflow (.github/workflows/validate.yml): it installs only the 'validate'
extra, and its commands, run here as written after the install step, pass on the repository's
data and fail with annotations on the right file and line when a reference file is broken.

The commands run with the packages of the other extras (web server, network analysis, tests)
made impossible to import, so the run shows that the 'validate' extra is all they need."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from tests.support import REPO_ROOT

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "validate.yml"
INSTALL = 'python -m pip install ".[validate]"'
# what the other extras install, and what the full test run needs from the system
NOT_FOR_VALIDATION = ("fastapi", "starlette", "uvicorn", "jinja2", "matplotlib", "networkx",
                      "playwright", "pytest", "httpx", "SPARQLWrapper")  # fmt: skip
BLOCKER = f'''"""Imports of packages the 'validate' extra does not install fail, as they would in CI."""
import importlib.abc
import sys

BLOCKED = {NOT_FOR_VALIDATION!r}


class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}} (not in kg[validate])", name=name)
        return None


sys.meta_path.insert(0, Blocker())
'''


def steps() -> list[dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    [job] = workflow["jobs"].values()
    return job["steps"]


def commands_after_install() -> list[str]:
    runs = [step["run"] for step in steps() if "run" in step]
    return runs[runs.index(INSTALL) + 1 :]


def package_name(requirement: str) -> str:
    for stop in "<>=!~[; ":
        requirement = requirement.split(stop)[0]
    return requirement.strip()


def test_the_workflow_installs_the_validate_extra_and_caches() -> None:
    found = steps()
    runs = [step["run"] for step in found if "run" in step]
    assert INSTALL in runs
    assert not any(word in run for run in runs for word in ("apt", "tasks.py", "playwright"))
    uses = {step["uses"].split("@")[0]: step for step in found if "uses" in step}
    assert uses["actions/setup-python"]["with"]["cache"] == "pip"
    assert uses["actions/cache"]["with"]["path"] == "build/cache"
    assert uses["actions/upload-artifact"]["if"] == "always()"
    commands = commands_after_install()
    assert commands[0].startswith("kg build ") and "--format github" in commands[0]
    assert commands[1].startswith("kg validate ") and "--format github" in commands[1]


def test_the_validate_extra_needs_no_server_analysis_or_test_package() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    installed = [*project["dependencies"], *project["optional-dependencies"]["validate"]]
    names = {package_name(r) for r in installed}
    assert "pyshacl" in names and "pyoxigraph" in names
    assert names.isdisjoint(NOT_FOR_VALIDATION)
    assert not any(r.startswith("kg[") for r in installed)  # no other extra pulled in


def workflow_checkout(tmp_path: Path) -> Path:
    """What actions/checkout gives the workflow: the repository, without build output."""
    root = tmp_path / "checkout"
    ignore = shutil.ignore_patterns(".git", ".venv", "build", "out", "reports", "__pycache__",
                                    "*.egg-info", "tests", "benchmarks", "docs")  # fmt: skip
    shutil.copytree(REPO_ROOT, root, ignore=ignore)
    return root


def run_commands(root: Path, blocker: Path) -> list[subprocess.CompletedProcess]:
    """Each command as GitHub runs a 'run' step (bash -e), with kg on the PATH and the other
    extras' packages blocked; stops at the first that fails, as a job does."""
    bin_dir = Path(os.path.realpath(shutil.which("kg") or REPO_ROOT / ".venv" / "bin" / "kg"))
    env = {k: v for k, v in os.environ.items() if k not in ("KG_PROJECT", "PYTHONPATH")}
    env["PATH"] = f"{bin_dir.parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(blocker)
    done = []
    for command in commands_after_install():
        result = subprocess.run(
            ["bash", "-e", "-c", command], cwd=root, env=env, capture_output=True, text=True,
            timeout=600, check=False,
        )  # fmt: skip
        done.append(result)
        if result.returncode != 0:
            break
    return done


@pytest.fixture
def blocker(tmp_path: Path) -> Path:
    folder = tmp_path / "blocked"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    return folder


def test_the_blocker_blocks(blocker: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(blocker)}
    python = REPO_ROOT / ".venv" / "bin" / "python"
    result = subprocess.run(
        [str(python), "-c", "import fastapi"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "not in kg[validate]" in result.stderr


@pytest.mark.slow
def test_the_workflows_commands_pass_on_the_repository(tmp_path: Path, blocker: Path) -> None:
    root = workflow_checkout(tmp_path)
    done = run_commands(root, blocker)
    assert [r.returncode for r in done] == [0, 0], [r.stderr[-2000:] for r in done]
    build, validate = done
    assert build.stdout.startswith("conforms: "), build.stdout  # the report alone on stdout
    assert "Built " in build.stderr
    assert validate.stdout.splitlines()[-1].startswith("conforms: ")
    assert "::warning file=data/reference/" in validate.stdout  # the recommendations
    for name in ("build.xml", "validation.xml"):
        assert ET.parse(root / "reports" / name).getroot().get("failures") == "0"
    assert (root / "reports" / "validation.sarif").is_file()


@pytest.mark.slow
def test_the_workflows_commands_fail_on_a_broken_reference_file_with_its_line(
    tmp_path: Path, blocker: Path
) -> None:
    root = workflow_checkout(tmp_path)
    path = root / "data" / "reference" / "instruments.ttl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, text in enumerate(lines) if text.startswith("instrument:"))
    lines.insert(number + 1, "    aip:governanceLevel 42 ;\n")  # a second level, and no concept
    path.write_text("".join(lines), encoding="utf-8")
    done = run_commands(root, blocker)
    assert [r.returncode for r in done] == [1], [r.stderr[-2000:] for r in done]
    [build] = done
    annotations = [line for line in build.stdout.splitlines() if line.startswith("::error ")]
    assert annotations, build.stdout
    where = "::error file=data/reference/instruments.ttl,line={},title=shapes%3A{} "
    assert sorted(line.split("(")[0] for line in annotations) == [
        # the count: at the instrument's block; the kind of value: at the line of the value
        where.format(number + 1, "PolicyInstrument-governanceLevel"),
        where.format(number + 2, "PolicyInstrument-governanceLevel-kind"),
    ], annotations
    failures = ET.parse(root / "reports" / "build.xml").getroot().get("failures")
    assert failures is not None and int(failures) == len(annotations)


@pytest.mark.slow
@pytest.mark.parametrize(("command", "extra"), [("serve", "serve"), ("analyse", "analysis")])
def test_a_command_that_needs_another_extra_names_it(
    command: str, extra: str, blocker: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(blocker), "KG_PROJECT": str(REPO_ROOT)}
    kg = REPO_ROOT / ".venv" / "bin" / "kg"
    args = ["--store", str(tmp_path / "none")] if command == "serve" else []
    result = subprocess.run(
        [str(kg), command, *args], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2, result.stderr
    assert f"this command needs the '{extra}' extra" in result.stderr
    assert f"pip install 'kg[{extra}]'" in result.stderr
    assert "Traceback" not in result.stderr
