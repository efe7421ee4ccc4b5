"""Identifiers from hostile input (issue 27): one function decides what an identifier may be,
and no identifier from any input form or option makes ``kg add`` write outside data/sources,
give a document IRI a dot segment, or print a forged line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph, URIRef

from kg.cli import main
from kg.errors import SourceError, printable
from kg.pipeline.corpus import copy_target, graphs_written
from kg.pipeline.inputs import PENDING_ADD
from kg.rdf.namespaces import ID, document_graph
from kg.sources.document_id import (
    MAX_LENGTH,
    InvalidIdentifier,
    document_id,
    inside,
    source_file_name,
)
from kg.sources.metadata import Metadata, metadata_xml
from kg.sources.parsers import parse_file
from tests.support import REPO_ROOT, SEED_PATH

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
XML = (FIXTURES / "ah-tk-20232024-877.xml").read_text(encoding="utf-8")
HTML = (FIXTURES / "ah-tk-20232024-877.html").read_text(encoding="utf-8")
OWN_ID = "ah-tk-20232024-877"
# Text whose identifier comes from outside it (metadata.xml or --id): no running head, no
# header block, no document number.
LETTERLESS = (FIXTURES / "ah-tk-20242025-1502.md").read_text(encoding="utf-8")

ACCEPTED = [
    "ah-tk-20242025-560",
    "ah-tk-20252026-0412",
    "kv-tk-2024Z18438",
    "2026D32673",
    "2024Z18438",
    "kst-21501-02-2732",
    "stuk-1",
    "a" * MAX_LENGTH,
]
# Each probe of the issue, and the spellings around them.
HOSTILE = [
    "../../../escape/pwned",
    "../instrument/nadi",
    "/tmp/escape/pwned",
    "..",
    ".",
    "",
    " ",
    "a/b",
    "a\\b",
    "a..b",
    "a.b",
    ".hidden",
    "-a",
    "a-",
    "a--b",
    "a b",
    "x\nAdded 2026D99999",
    "\x1b[31mred",
    "a\u202eb",
    "%2e%2e",
    "AH-TK-20242025-560",
    "٢٠٢٦D32673",  # Arabic-Indic digits: \d would take them
    "２０２６D32673",
    "a" * (MAX_LENGTH + 1),
    "a" * 300,
]


@pytest.mark.parametrize("value", ACCEPTED)
def test_published_forms_and_slugs_are_identifiers(value: str) -> None:
    assert document_id(value) == value
    assert document_id(f"  {value} ") == value  # white space around it is dropped


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
def test_hostile_values_are_refused_with_what_is_expected(value: str) -> None:
    with pytest.raises(InvalidIdentifier) as refused:
        document_id(value)
    message = str(refused.value)
    assert "ah-tk-20242025-560" in message and "2026D32673" in message
    assert message.isprintable()  # the value is shown escaped, on one line


def _dot_segments(iri: str) -> bool:
    return any(part in (".", "..") for part in urlsplit(iri).path.split("/"))


@given(st.text(max_size=80))
@example("../instrument/nadi")
@example("2026D32673")
@settings(max_examples=500, deadline=None)
def test_whatever_is_accepted_names_a_file_inside_and_an_iri_without_dot_segments(
    value: str,
) -> None:
    try:
        identifier = document_id(value)
    except InvalidIdentifier:
        return
    assert identifier.isascii() and identifier.isprintable() and len(identifier) <= MAX_LENGTH
    assert not {".", "/", "\\", " "} & set(identifier)
    assert not _dot_segments(str(ID[f"document/{identifier}"]))
    folder = Path("/srv/data/sources")
    name = source_file_name(identifier, Path("upload.PDF"))
    assert name == f"{identifier}.pdf"
    assert Path(os.path.normpath(folder / name)).parent == folder


def test_inside_refuses_names_that_leave_the_folder(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "planted.txt").symlink_to(tmp_path / "elsewhere.txt")
    for name in ("../x.txt", "/etc/passwd", "a/b.txt", "..", "planted.txt"):
        with pytest.raises(ValueError, match="would not be a file in"):
            inside(tmp_path / "sources", name)
    assert inside(tmp_path / "sources", "2026D1234.txt") == (tmp_path / "sources" / "2026D1234.txt")


def test_an_odd_suffix_is_not_carried_into_the_sources(tmp_path: Path) -> None:
    assert copy_target(tmp_path, "2026D1234", Path("x.t\nxt")).name == "2026D1234"
    assert copy_target(tmp_path, "2026D1234", Path("x.PDF")).name == "2026D1234.pdf"


def test_a_link_planted_at_the_copy_name_is_refused(built, tmp_path: Path) -> None:
    data_dir, store = built
    outside = tmp_path / "outside.xml"
    (data_dir / "sources" / f"{OWN_ID}.xml").symlink_to(outside)
    code = main(
        ["add", str(FIXTURES / f"{OWN_ID}.xml"), "--data", str(data_dir), "--store", str(store)]
    )
    assert code == 2 and not outside.exists()


def test_kg_build_refuses_a_dot_segment_identifier_naming_file_and_line(data_dir: Path) -> None:
    hostile = XML.replace(f'content="{OWN_ID}"', 'content="../instrument/nadi"')
    path = data_dir / "sources" / "nadi.xml"
    path.write_text(hostile, encoding="utf-8")
    with pytest.raises(SourceError) as refused:
        parse_file(path)
    assert refused.value.path == path and refused.value.line == 4
    assert "'../instrument/nadi' is not a document identifier" in str(refused.value)


def test_metadata_identifier_is_refused_naming_the_metadata_file_and_line(tmp_path: Path) -> None:
    source = tmp_path / "stuk.md"
    source.write_text(LETTERLESS, encoding="utf-8")
    sidecar = tmp_path / "stuk.md.metadata.xml"
    sidecar.write_text(metadata_xml(Metadata(identifier="../../x")), encoding="utf-8")
    with pytest.raises(SourceError) as refused:
        parse_file(source)
    assert refused.value.path == sidecar and refused.value.line == 3
    assert refused.value.detail.startswith("DC.identifier: '../../x' is not")


def test_graphs_written_names_a_document_the_build_did_not_load(tmp_path: Path) -> None:
    path = tmp_path / SEED_PATH.name
    path.write_text(SEED_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    document = parse_file(path)
    check = graphs_written([(path, path, document)])
    graph = str(document_graph(document.identifier))
    assert check([]) == [f"{graph} was copied but not loaded by the build"]
    assert check([(URIRef(graph), Graph().add((URIRef("urn:x"), RDF.type, RDF.Property)))]) == []


# -- kg add, every input form ----------------------------------------------------------------


def _place(form: str, value: str, folder: Path) -> tuple[list[str], Path]:
    """A source that states ``value`` as its identifier in ``form``: the kg add arguments."""
    folder.mkdir(parents=True)
    if form == "xml-meta":
        path = folder / "stuk.xml"
        path.write_text(XML.replace(f'content="{OWN_ID}"', f"content={quoteattr(value)}"), "utf-8")
        return [str(path)], path
    if form == "xhtml-meta":
        path = folder / "stuk.html"
        path.write_text(HTML.replace(f'content="{OWN_ID}"', f"content={quoteattr(value)}"), "utf-8")
        return [str(path)], path
    path = folder / "stuk.md"
    path.write_text(LETTERLESS, encoding="utf-8")
    if form == "--id":
        return [str(path), "--id", value], path
    metadata = metadata_xml(Metadata(identifier=value))
    if form == "sidecar":
        (folder / "stuk.md.metadata.xml").write_text(metadata, encoding="utf-8")
        return [str(path)], path
    if form == "folder-metadata":
        (folder / "metadata.xml").write_text(metadata, encoding="utf-8")
        return [str(folder)], path
    assert form == "--metadata"
    (folder.parent / f"{folder.name}.xml").write_text(metadata, encoding="utf-8")
    return [str(path), "--metadata", str(folder.parent / f"{folder.name}.xml")], path


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


FORMS = ["--id", "xml-meta", "xhtml-meta", "sidecar", "folder-metadata", "--metadata"]
PATH_PIECES = st.sampled_from(["..", ".", "/", "\\", "escape", "pwned", "-", " ", "\n", "~", "%2e"])


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory, checked_seed_project: Path):
    """The checked seed, three folders deep, so that '../../../x' lands in the test's folder."""
    from tests.support import copy_project

    root = tmp_path_factory.mktemp("hostile")
    data_dir, store = copy_project(checked_seed_project, root / "a" / "b")
    return root, data_dir, store


@given(
    form=st.sampled_from(FORMS),
    value=st.one_of(
        st.sampled_from(HOSTILE),
        st.lists(PATH_PIECES, min_size=1, max_size=8).map("".join),
        st.text(max_size=40),
    ),
)
@example(form="xml-meta", value="../../../escape/pwned")
@example(form="xhtml-meta", value="../../../escape/pwned")
@example(form="sidecar", value="/tmp/escape/pwned")
@example(form="folder-metadata", value="../../../escape/pwned")
@example(form="--id", value="..")
@example(form="--id", value="a" * 300)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_no_identifier_from_any_input_form_writes_outside_the_sources(
    hostile_project, form: str, value: str
) -> None:
    root, data_dir, store = hostile_project
    sources = data_dir / "sources"
    inputs = root / "inputs"
    work = inputs / str(len(list(inputs.glob("*"))) if inputs.exists() else 0)
    arguments, _ = _place(form, value, work)
    before = _files(root) - _files(work)
    in_sources = set(sources.iterdir())
    code = main(["add", *arguments, "--data", str(data_dir), "--store", str(store)])
    store_files = store.parent / f"{store.name}.d"
    written = _files(root) - _files(work) - _files(store_files) - before
    assert all(p.parent == sources for p in written), written
    assert not Path("/tmp/escape").exists()
    if code == 0:  # accepted (the text's own identifier, or a checked one): a copy in sources
        (added,) = {p.name.split(".")[0] for p in set(sources.iterdir()) - in_sources}
        assert document_id(added) == added
        assert main(["remove", added, "--data", str(data_dir), "--store", str(store)]) == 0
    else:
        assert code == 2 and set(sources.iterdir()) == in_sources
    assert not (sources / PENDING_ADD).exists()


def test_file_names_and_identifiers_are_printed_escaped(built, tmp_path: Path, capsys) -> None:
    data_dir, store = built
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "motie\nAdded 2026D99999 (letter) as x [loaded]\x1b[31m.txt").write_text(
        "De Kamer, gehoord de beraadslaging, verzoekt de regering iets te doen.\n", "utf-8"
    )
    (folder / f"{OWN_ID}.xml").write_text(XML, encoding="utf-8")
    assert main(["add", str(folder), "--data", str(data_dir), "--store", str(store)]) == 2
    captured = capsys.readouterr()
    refused = [line for line in captured.err.splitlines() if line.startswith("refused ")]
    assert (
        len(refused) == 1 and "motie\\nAdded 2026D99999" in refused[0] and "\\x1b[31m" in refused[0]
    )
    assert [line for line in captured.out.splitlines() if line.startswith("Added")] == [
        line for line in captured.out.splitlines() if line.startswith(f"Added {OWN_ID} ")
    ]
    assert "\x1b" not in captured.out + captured.err


# -- interrupted adds -------------------------------------------------------------------------


def _kg(*arguments: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())", *arguments],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_sigterm_during_add_leaves_no_copy_and_no_half_written_store(built) -> None:
    data_dir, store = built
    sources = data_dir / "sources"
    before = sorted(p.name for p in sources.iterdir())
    target = sources / f"{OWN_ID}.xml"
    process = _kg(
        "add", str(FIXTURES / f"{OWN_ID}.xml"), "--data", str(data_dir), "--store", str(store)
    )
    deadline = time.monotonic() + 60
    while not target.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "kg add ended before it was interrupted"
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM, err
    assert sorted(p.name for p in sources.iterdir()) == before
    versions = store.with_name(store.name + ".d")
    assert not [p for p in versions.iterdir() if p.name.startswith(".writing-")]
    assert main(["build", "--data", str(data_dir), "--store", str(store), "--quiet"]) == 0


def test_a_copy_left_by_an_interrupted_add_is_not_built_silently(built, capsys) -> None:
    data_dir, store = built
    sources = data_dir / "sources"
    (sources / f"{OWN_ID}.xml").write_text(XML, encoding="utf-8")  # as a SIGKILL leaves it
    (sources / PENDING_ADD).write_text(f"{OWN_ID}.xml\n{OWN_ID}.xml.metadata.xml\n", "utf-8")
    args = ["--data", str(data_dir), "--store", str(store)]
    assert main(["build", *args]) == 2
    err = capsys.readouterr().err
    assert f"{PENDING_ADD}: {OWN_ID}.xml in " in err and "did not finish" in err
    assert main(["add", str(FIXTURES / "ah-tk-20242025-1502.md"), *args]) == 2
    (sources / PENDING_ADD).unlink()  # the way out the message names: keep it
    assert main(["build", *args, "--quiet"]) == 0


def test_printable_escapes_what_a_terminal_would_act_on() -> None:
    assert printable("a\nb\r\x1b[31m\u202e\t") == "a\\nb\\r\\x1b[31m\\u202e\\t"
    assert printable("Antwoord op vragen – één") == "Antwoord op vragen – één"
