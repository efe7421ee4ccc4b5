"""Validation where CI users look: JUnit, SARIF and GitHub annotations naming the file and line
of each result (reference data and minted entities too), kg build reporting its findings as kg
validate does, and a store that no longer holds what data/ holds refused instead of validated."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kg.cli import main
from kg.cli.commands.validate import FORMATS as CLI_FORMATS
from kg.validate import FORMATS
from tests.golden.corpus import corpus_project
from tests.support import PROJECT, marked_project

BOGUS = "concept:status-bogus"
CLASS_MESSAGE = "An instrument's status (aip:status) must be a concept of the status scheme"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the repository's project (data, ontology, shapes) to break."""
    root = marked_project(tmp_path / "project")
    for folder in ("data", "ontology", "shapes"):
        shutil.copytree(PROJECT.root / folder, root / folder)
    return root


def break_reference(root: Path) -> int:
    """Give the first instrument with an adopted status a status that is no concept; the line
    it is on."""
    path = root / "data" / "reference" / "instruments.ttl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, text in enumerate(lines) if "aip:status concept:status-adopted" in text)
    lines[number] = lines[number].replace("concept:status-adopted", BOGUS)
    path.write_text("".join(lines), encoding="utf-8")
    return number + 1


def kg(root: Path, *args: str) -> int:
    return main(["--project", str(root), *args])


def test_the_command_line_offers_every_format() -> None:
    assert CLI_FORMATS == FORMATS
    assert {"junit", "sarif", "github"} <= set(FORMATS)


# --- a broken reference file, reported by kg build --------------------------------------------


@pytest.mark.slow
def test_a_broken_reference_file_gives_annotations_and_junit_with_file_and_line(
    project: Path, capsys
) -> None:
    line = break_reference(project)
    junit = project / "reports" / "build.xml"
    assert kg(project, "build", "--format", "github", "--report", str(junit)) == 1
    captured = capsys.readouterr()
    annotation = (
        f"::error file=data/reference/instruments.ttl,line={line},"
        "title=shapes%3APolicyInstrument-status-kind"
    )
    [found] = [x for x in captured.out.splitlines() if x.startswith(annotation)]
    assert f"aip:status = {BOGUS}: {CLASS_MESSAGE}" in found
    assert "(sh:ClassConstraintComponent)" in found
    assert captured.out.splitlines()[-1].startswith("does not conform: ")
    assert captured.err.startswith("kg build: error: 1 violation(s) of ")
    assert "the previous one stays" in captured.err
    cases = ET.parse(junit).getroot().iter("testcase")
    [failed] = [case for case in cases if case.find("failure") is not None]
    assert failed.get("file") == "data/reference/instruments.ttl"
    assert failed.get("line") == str(line)
    assert failed.get("classname", "").startswith("shapes:PolicyInstrument-status-kind")
    failure = failed.find("failure")
    assert failure is not None and failure.get("type") == "sh:ClassConstraintComponent"
    assert failure.get("message", "").startswith(CLASS_MESSAGE)


@pytest.mark.slow
def test_kg_validate_names_the_line_of_reference_data_in_every_format(
    project: Path, capsys
) -> None:
    line = break_reference(project)
    assert kg(project, "build", "--no-validate", "-q") == 0
    reports = project / "reports"
    args = ["validate", "--report", str(reports / "v.xml"), "--report", str(reports / "v.sarif")]
    assert kg(project, *args, "--report", str(reports / "v.json"), "--format", "github") == 1
    out = capsys.readouterr().out
    assert f"::error file=data/reference/instruments.ttl,line={line}," in out
    # SARIF: the file relative to the project, the line as the region
    sarif = json.loads((reports / "v.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    [run] = sarif["runs"]
    [result] = run["results"]
    assert result["level"] == "error"
    assert result["ruleId"] == "shapes:PolicyInstrument-status-kind"
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {
        "uri": "data/reference/instruments.ttl",
        "uriBaseId": "%SRCROOT%",
    }
    assert physical["region"] == {"startLine": line}
    # JSON and JUnit say the same
    [found] = json.loads((reports / "v.json").read_text(encoding="utf-8"))["results"]
    assert (found["source"], found["line"]) == ("data/reference/instruments.ttl", line)
    suites = {s.get("name"): s for s in ET.parse(reports / "v.xml").getroot()}
    assert suites["reference data"].get("failures") == "1"
    case = suites["document 2026D32673"].find("testcase")
    assert case is not None and case.get("name") == "no violations"
    # and the text report
    assert kg(project, "validate") == 1
    assert f"[data/reference/instruments.ttl:{line}]" in capsys.readouterr().out


def test_a_report_file_with_an_unknown_suffix_is_a_usage_error(project: Path, capsys) -> None:
    assert kg(project, "validate", "--report", str(project / "report.html")) == 2
    err = capsys.readouterr().err
    assert "--report" in err and "unknown suffix '.html'" in err and ".xml (junit)" in err


@pytest.mark.slow
def test_a_conforming_run_is_a_junit_report_of_what_was_checked(project: Path, capsys) -> None:
    assert kg(project, "build", "-q") == 0
    assert kg(project, "validate", "--format", "junit") == 0
    root = ET.fromstring(capsys.readouterr().out)
    assert root.get("failures") == "0"
    assert {s.get("name") for s in root} == {
        "reference data",
        "minted graph",
        "document 2026D32673",
    }


# --- a stale store is never validated silently -------------------------------------------------


@pytest.mark.slow
def test_a_failed_build_followed_by_kg_validate_exits_non_zero(project: Path, capsys) -> None:
    assert kg(project, "build", "-q") == 0
    assert kg(project, "validate") == 0
    break_reference(project)
    assert kg(project, "build", "-q") == 1
    capsys.readouterr()
    # the store is the previous build's; validating it would say "conforms"
    assert kg(project, "validate") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "the store does not hold what" in err
    assert f"{project / 'data' / 'reference'}: the reference data changed" in err
    assert "--store-only" in err and "kg build" in err
    # asked for explicitly, the store as it is
    assert kg(project, "validate", "--store-only") == 0


@pytest.mark.slow
def test_a_changed_added_or_removed_source_is_named(project: Path, capsys) -> None:
    assert kg(project, "build", "-q") == 0
    sources = project / "data" / "sources"
    seed = sources / "2026D32673.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    shutil.copy(PROJECT.root / "tests" / "fixtures" / "corpus" / "2026D41207.txt", sources)
    assert kg(project, "validate") == 2
    err = capsys.readouterr().err
    assert "data/sources/2026D32673.txt: changed since the build" in err
    assert "data/sources/2026D41207.txt: not in the store (added since the build)" in err
    assert kg(project, "build", "-q") == 0
    (sources / "2026D41207.txt").unlink()
    assert kg(project, "validate") == 2
    assert "data/sources/2026D41207.txt: removed since the build" in capsys.readouterr().err


@pytest.mark.slow
def test_a_store_built_from_another_data_folder_is_named(project: Path, tmp_path, capsys) -> None:
    other = tmp_path / "other-data"
    shutil.copytree(project / "data", other)
    store = tmp_path / "store"
    assert kg(project, "build", "--data", str(other), "--store", str(store), "-q") == 0
    assert kg(project, "validate", "--store", str(store)) == 2
    assert "the store was built from other sources" in capsys.readouterr().err
    assert kg(project, "validate", "--store", str(store), "--data", str(other)) == 0


@pytest.mark.slow
def test_an_xml_source_is_not_taken_for_changed_after_its_build(tmp_path: Path, capsys) -> None:
    """The manifest records the SHA-256 of the file, which kg validate and the next build
    compare: recording the text a parser made of it (an XML publication's rendered text) made
    every such document look changed."""
    xml = PROJECT.root / "tests" / "fixtures" / "sources" / "ah-tk-20232024-877.xml"
    data = corpus_project(tmp_path / "corpus", (xml,))
    root = data.parent
    common = ["--ontology", str(PROJECT.ontology), "--shapes", str(PROJECT.shapes)]
    assert kg(root, "build", "-q", *common) == 0
    assert kg(root, "build", *common) == 0
    assert "Incremental: 0 document(s) reprocessed" in capsys.readouterr().out
    assert kg(root, "validate", *common) == 0


# --- the minted graph and messages ----------------------------------------------------------


@pytest.mark.slow
def test_warnings_on_minted_entities_name_the_minted_graph_and_the_document(
    tmp_path: Path, capsys
) -> None:
    data = corpus_project(tmp_path / "corpus")
    root = data.parent
    common = ["--ontology", str(PROJECT.ontology), "--shapes", str(PROJECT.shapes)]
    assert kg(root, "build", "-q", "--no-validate", *common) == 0
    assert kg(root, "validate", "--warnings", "--format", "json", *common) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    party = "https://w3id.org/ai-beleid/id/organisation/groenlinks-pvda"
    found = [r for r in results if r["focus"] == party]
    assert found, "the corpus names a party nobody curated"
    for result in found:
        assert result["graph"] == "https://w3id.org/ai-beleid/graph/minted"
        assert result["source"] == "data/sources/2026D41207.txt"
        # the line of the first passage linked to it or to its member: a question they asked
        text = (root / result["source"]).read_text(encoding="utf-8").splitlines()
        assert 1 <= result["line"] <= len(text)
        assert "curated" not in result["message"].split(";")[0]
    assert kg(root, "validate", "--warnings", *common) == 0
    text = capsys.readouterr().out
    assert "[minted graph, named in data/sources/2026D41207.txt:" in text
    assert 'GroenLinks-PvdA"  [data/reference' not in text


@pytest.mark.slow
def test_the_turtle_report_keeps_each_path_inside_its_result(project: Path, capsys) -> None:
    """A path shared by several results used to be written apart, as a statement of its own
    ('_:x sh:alternativePath ...') that read like a stray triple."""
    assert kg(project, "build", "-q") == 0
    assert kg(project, "validate", "--warnings", "--format", "turtle") == 0
    out = capsys.readouterr().out
    assert "sh:resultPath [ sh:alternativePath ( org:holds org:memberOf ) ]" in out
    assert [line for line in out.splitlines() if line.startswith("_:")] == []
    assert kg(project, "validate", "--format", "turtle") == 0  # warnings dropped: nothing left
    assert "alternativePath" not in capsys.readouterr().out


@pytest.mark.slow
def test_a_type_outside_the_ontology_in_reference_data_is_placed_where_it_is_used(
    project: Path, capsys
) -> None:
    """The focus of the ontology-types rule is the class, which no file states as a subject:
    the result points at the line that uses it."""
    path = project / "data" / "reference" / "people.ttl"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, text in enumerate(lines) if text.strip() == "a foaf:Person ;")
    lines[number] = "    a foaf:Person, aip:Persoon ;\n"
    path.write_text("".join(lines), encoding="utf-8")
    assert kg(project, "build", "--no-validate", "-q") == 0
    assert kg(project, "validate", "--format", "github") == 1
    [error] = [x for x in capsys.readouterr().out.splitlines() if x.startswith("::error ")]
    assert error.startswith(
        f"::error file=data/reference/people.ttl,line={number + 1},title=shapes%3AOntologyTypes"
    ), error
