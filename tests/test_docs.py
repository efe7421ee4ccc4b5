"""The documentation names only what exists.

Read are README.md, ARCHITECTURE.md, CONTRIBUTING.md and every docs/**/*.md (CHANGELOG.md is
history: it names files as they were). In each:

- every repository path (``kg/store/versions.py``, ``tests/golden/``, a link target) exists;
  a path with a placeholder (``kg/cli/commands/<name>.py``, ``tests/fixtures/landscape/NAME.names.tsv``)
  matches at least one file; a path that only a run creates is listed in ``MADE_BY_A_RUN``;
- ``path.py:name`` names a function, class or constant of that module (``Class.method`` too), and
  so does a dotted name (``kg.store.open_store``, ``kg.validate.locations``);
- every ``kg SUBCOMMAND`` is a subcommand of the ``kg`` command line, every ``--option`` after it
  one of that subcommand's options, and every ``python3 tasks.py COMMAND`` a command of tasks.py;
- every link to a heading (``#anchor``) finds that heading.

And the structure the issue asks for: README links ARCHITECTURE.md, which links every package of
kg/ and the decisions in docs/adr/; its layer diagram is the import contract of pyproject.toml;
every decision has its context, decision and consequences.
"""

from __future__ import annotations

import ast
import re
import tomllib
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted(
    [
        ROOT / "README.md",
        ROOT / "ARCHITECTURE.md",
        ROOT / "CONTRIBUTING.md",
        *ROOT.glob("docs/**/*.md"),
    ]
)
ADRS = sorted((ROOT / "docs" / "adr").glob("[0-9][0-9][0-9][0-9]-*.md"))
# What a path in the documentation may start with: the repository's own folders and files.
TOP = {
    p.name
    for p in ROOT.iterdir()
    if p.name not in {".git", ".venv", "build", "out", "dist"} and not p.name.endswith(".egg-info")
}
# Paths the documentation names that a command writes (they are not in a fresh clone), and why.
MADE_BY_A_RUN = {
    "kg/server/static/vendor/": "python3 tasks.py assets unpacks YASGUI there (ignored by git)",
    "data/sources/ID.ext.metadata.xml": "kg add --id / --metadata writes it beside the copy",
}
PLACEHOLDER = re.compile(r"<[^<>/]*>|\{[^{}/]*\}|\b(?:NAME|ID|FILE|DIR|N|ext)\b")
INLINE_CODE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\]\(([^()\s]+)\)")
PROSE_PATH = re.compile(
    r"(?<![\w/.`-])((?:kg|tests|benchmarks|docs|queries|shapes|ontology|data)/[\w./<>{}*-]*)"
)
KG_COMMAND = re.compile(r"(?<![\w/.\[-])kg ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)([^\n`|;#]*)")
TASKS_COMMAND = re.compile(r"tasks\.py ([a-z]+)")
DOTTED = re.compile(r"(?<![\w./])((?:kg|tests)(?:\.[A-Za-z_]\w*)+)")
FILE_NAMES = {"kg.toml"}  # dotted, but a file a project may hold, not a module


def test_the_documents_were_found():
    names = {p.relative_to(ROOT).as_posix() for p in DOCS}
    assert {"README.md", "ARCHITECTURE.md", "CONTRIBUTING.md"} <= names
    assert len([n for n in names if n.startswith("docs/")]) >= 10, names
    assert len(ADRS) >= 8, ADRS


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def code_of(text: str) -> list[str]:
    """The code in a Markdown text: fenced blocks, then inline code spans outside them."""
    blocks = FENCE.findall(text)
    rest = FENCE.sub("", text)
    return blocks + [m.group(2) for m in INLINE_CODE.finditer(rest)]


def prose_of(text: str) -> str:
    return INLINE_CODE.sub(" ", FENCE.sub("", text))


def _strip(token: str) -> str:
    return token.strip().rstrip(".,;:)'\"").lstrip("('\"")


def path_tokens(text: str) -> set[str]:
    """Repository paths named in code and prose (not link targets: those are relative to the
    document, see ``link_targets``)."""
    found: set[str] = set()
    for code in code_of(text):
        code = re.sub(r"<[^<>/]*>|\{[^{}/]*\}", "<x>", code)  # placeholders hold no separator
        for token in re.split(r"[\s,;()\[\]=\"'|]+", code):
            token = _strip(token)
            first = token.split("/", 1)[0]
            if first in TOP and ("/" in token or (token == first and "." in first)):
                found.add(token)
    found.update(_strip(m.group(1)) for m in PROSE_PATH.finditer(prose_of(text)))
    return found


def _exists(token: str) -> bool:
    path, _, name = token.partition(":")
    if name and not re.fullmatch(r"[A-Za-z_][\w.]*", name):
        path, name = token, ""  # a colon that names no function ("kg/...:LINE" is not used)
    if path in MADE_BY_A_RUN:
        return True
    if (ROOT / path).exists():
        return not name or defines(ROOT / path, name)
    pattern = PLACEHOLDER.sub("*", path)
    return "*" in pattern and any(ROOT.glob(pattern.rstrip("/")))


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _names(body: list[ast.stmt]) -> dict[str, ast.AST]:
    names: dict[str, ast.AST] = {}
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names[node.name] = node
        elif isinstance(node, ast.Assign):
            names.update({t.id: node for t in node.targets if isinstance(t, ast.Name)})
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names[node.target.id] = node
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names.update({(a.asname or a.name).split(".")[0]: node for a in node.names})
    return names


def defines(path: Path, dotted: str) -> bool:
    """Whether the module at ``path`` defines ``dotted`` (``name`` or ``Class.member``)."""
    if path.is_dir():
        path = path / "__init__.py"
    if path.suffix != ".py" or not path.is_file():
        return False
    body = _tree(path).body
    for part in dotted.split("."):
        node = _names(body).get(part)
        if node is None:
            return False
        body = node.body if isinstance(node, ast.ClassDef) else []
    return True


def dotted_exists(name: str) -> bool:
    """``kg.a.b.c``: the longest prefix that is a module, the rest defined in it."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:cut])
        for module in (base.with_suffix(".py"), base / "__init__.py"):
            if module.is_file():
                rest = ".".join(parts[cut:])
                return not rest or defines(module, rest) or (base / rest.split(".")[0]).exists()
    return False


def link_targets(path: Path, text: str) -> list[str]:
    return [t for t in LINK.findall(prose_of(text)) if not re.match(r"[a-z]+:", t)]


def anchors(path: Path) -> set[str]:
    """The GitHub anchors of the headings of a Markdown file."""
    found: set[str] = set()
    for heading in re.findall(r"^#+ (.+)$", FENCE.sub("", _text(path)), re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        candidate, n = slug, 0
        while candidate in found:
            n += 1
            candidate = f"{slug}-{n}"
        found.add(candidate)
    return found


@cache
def kg_commands() -> dict[str, set[str]]:
    """Each subcommand of kg (``bench generate`` for a nested one) with its option strings."""
    import argparse

    from kg.cli import make_parser

    parser = make_parser()
    common = {o for a in parser._actions for o in a.option_strings}

    def walk(p: argparse.ArgumentParser, prefix: str) -> dict[str, set[str]]:
        found = {}
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    options = {o for a in sub._actions for o in a.option_strings}
                    found[prefix + name] = options | common
                    found.update(walk(sub, prefix + name + " "))
        return found

    return walk(parser, "")


def tasks_commands() -> set[str]:
    tree = ast.parse(_text(ROOT / "tasks.py"))
    main = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main")
    table = next(n for n in ast.walk(main) if isinstance(n, ast.Dict))
    return {k.value for k in table.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}


def _id(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("doc", DOCS, ids=_id)
def test_every_path_exists(doc: Path):
    missing = sorted(t for t in path_tokens(_text(doc)) if not _exists(t))
    assert not missing, f"{_id(doc)} names paths that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=_id)
def test_every_link_resolves(doc: Path):
    broken = []
    for target in link_targets(doc, _text(doc)):
        file, _, anchor = target.partition("#")
        resolved = (doc.parent / file).resolve() if file else doc
        if not resolved.exists() or (
            anchor and resolved.suffix == ".md" and anchor not in anchors(resolved)
        ):
            broken.append(target)
    assert not broken, f"{_id(doc)} links to what is not there: {broken}"


@pytest.mark.parametrize("doc", DOCS, ids=_id)
def test_every_module_name_exists(doc: Path):
    names = {m.group(1).rstrip(".") for code in code_of(_text(doc)) for m in DOTTED.finditer(code)}
    missing = sorted(n for n in names - FILE_NAMES if not dotted_exists(n))
    assert not missing, f"{_id(doc)} names modules or functions that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=_id)
def test_every_kg_command_and_option_exists(doc: Path):
    commands = kg_commands()
    wrong = []
    for code in code_of(_text(doc)):
        for m in KG_COMMAND.finditer(re.sub(r"(?<=\s)#[^\n]*", "", code)):  # not comments
            words, rest = m.group(1).split(), m.group(2)
            name = " ".join(words) if " ".join(words) in commands else words[0]
            if name not in commands:
                wrong.append(f"kg {m.group(1)}")
                continue
            if name != " ".join(words):
                rest = " ".join(words[1:]) + rest
            options = {o.split("=")[0] for o in re.findall(r"(?<![^\s\[])--?[a-z][\w-]*", rest)}
            wrong.extend(f"kg {name} {o}" for o in sorted(options - commands[name]))
    assert not wrong, f"{_id(doc)} names kg commands or options that do not exist: {wrong}"


@pytest.mark.parametrize("doc", DOCS, ids=_id)
def test_every_tasks_command_exists(doc: Path):
    known = tasks_commands()
    wrong = {m.group(1) for m in TASKS_COMMAND.finditer(_text(doc))} - known
    assert not wrong, f"{_id(doc)}: tasks.py has no command {sorted(wrong)}; it has {known}"


def test_a_maintainer_gets_from_the_readme_to_a_module_in_three_links():
    readme = link_targets(ROOT / "README.md", _text(ROOT / "README.md"))
    assert any(t.split("#")[0] == "ARCHITECTURE.md" for t in readme)
    linked = {
        t.split("#")[0].rstrip("/")
        for t in link_targets(ROOT / "ARCHITECTURE.md", _text(ROOT / "ARCHITECTURE.md"))
    }
    packages = {
        p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "kg").glob("*/__init__.py")
    } | {"kg/project.py", "kg/errors.py"}
    assert packages <= linked, f"ARCHITECTURE.md links no page of {sorted(packages - linked)}"
    assert "docs/adr/README.md" in linked or "docs/adr" in linked


def test_the_layer_diagram_is_the_import_contract():
    config = tomllib.loads(_text(ROOT / "pyproject.toml"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    text = _text(ROOT / "ARCHITECTURE.md")
    diagram = next(b for b in FENCE.findall(text) if b.split("\n", 1)[0].strip() == "cli")
    assert [line.strip() for line in diagram.strip().splitlines()] == contract["layers"]


@pytest.mark.parametrize("adr", ADRS, ids=_id)
def test_every_decision_says_why_and_what_follows(adr: Path):
    headings = re.findall(r"^## (.+)$", _text(adr), re.MULTILINE)
    assert headings[:3] == ["Context", "Decision", "Consequences"], headings
    index = _text(ROOT / "docs" / "adr" / "README.md")
    assert f"]({adr.name})" in index, f"docs/adr/README.md does not list {adr.name}"
