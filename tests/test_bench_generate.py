"""The synthetic corpus: deterministic, parseable, and as varied as the benchmarks need."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.cli import main
from kg.extract.mentions import extract
from kg.pipeline.inputs import load_inputs
from kg.sources.parsers import parse_file
from kg.synthetic.generate import (
    document_id,
    documents_for,
    generate,
    generate_text,
    load_vocabulary,
)
from tests.support import PROJECT

REFERENCE = PROJECT.data / "reference"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("corpus")
    return generate(out, 60, seed=11, reference=REFERENCE)


def test_same_seed_same_bytes_and_prefix_property() -> None:
    vocabulary = load_vocabulary(REFERENCE)
    assert generate_text(5, 3, vocabulary) == generate_text(5, 3, vocabulary)
    assert generate_text(5, 3, vocabulary) != generate_text(6, 3, vocabulary)
    assert generate_text(5, 3, vocabulary)[0] == document_id(3) != document_id(4)


def test_cli_writes_sources_and_reference(tmp_path: Path, capsys) -> None:
    assert (
        main(["bench", "generate", "--documents", "3", "--seed", "2", "--out", str(tmp_path)]) == 0
    )
    assert sorted(p.name for p in (tmp_path / "sources").iterdir()) == [
        f"{document_id(i)}.txt" for i in range(3)
    ]
    assert sorted(p.name for p in (tmp_path / "reference").iterdir()) == sorted(
        p.name for p in REFERENCE.glob("*.ttl")
    )
    assert "Wrote 3 documents" in capsys.readouterr().out


@pytest.mark.slow
def test_every_document_parses_with_realistic_variation(corpus: list[Path]) -> None:
    inputs = load_inputs(PROJECT.data, PROJECT.ontology)
    documents = [extract(parse_file(path), inputs.index) for path in corpus]
    assert [d.identifier for d in documents] == [p.stem for p in corpus]
    questions = [len(d.questions) for d in documents]
    assert min(questions) <= 2 and max(questions) >= 8
    assert sum(1 for d in documents if d.footnotes) > 30
    assert sum(len(d.cross_references) for d in documents) > 10
    assert sum(len(d.commitments) for d in documents) > 10
    assert all(len(d.mentions) > 5 for d in documents)
    lengths = sorted(len(a.text) for d in documents for a in d.answers)
    assert lengths[-1] > 4 * lengths[len(lengths) // 2]  # some very long answers
    # Names the linker does not know are in the text and stay unlinked.
    assert any("Stichting " in d.text or "Platform " in d.text for d in documents)
    linked = [d.text[m.span.start : m.span.end] for d in documents for m in d.mentions]
    assert not any(text.startswith(("Stichting ", "Platform ")) for text in linked)
    without_heading = sum(
        1 for d in documents for a in d.answers if "Antwoord" not in d.text[: a.span.start][-20:]
    )
    assert without_heading > 0


def test_documents_for_calibrates_size() -> None:
    assert documents_for(1_000_000) > documents_for(100_000) > documents_for(10_000) >= 1
