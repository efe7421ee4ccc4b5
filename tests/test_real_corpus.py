"""The real corpus (tests/fixtures/real/tk-2024-11: one week of tweedekamer.nl's Kamervragen,
every kind and form) against its gold, read by hand: every document loads as what it is, with
the right questions, answers, footnotes, cross-references, commitments, signer and zaak.

The per-file table is printed (``pytest -s``, or ``python -m tests.support.gold``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract.reference import LabelIndex
from kg.pipeline.inputs import load_inputs
from tests.support import PROJECT
from tests.support.gold import GOLD, corpus_files, judge, table

FILES = corpus_files()


def test_the_corpus_is_here_and_every_file_has_its_gold() -> None:
    assert len(FILES) == 78
    assert sorted(p.name for p in FILES) == sorted(p.stem for p in GOLD.glob("*.toml"))


@pytest.fixture(scope="module")
def index() -> LabelIndex:
    return load_inputs(PROJECT.data, PROJECT.ontology).index


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_document_loads_as_its_reader_expects(path: Path, index: LabelIndex) -> None:
    verdict = judge(path, index)
    assert verdict.right, "\n".join(verdict.problems)


def test_corpus_table(index: LabelIndex) -> None:
    """The table of the whole corpus, one row per file (shown with -s or on failure)."""
    verdicts = [judge(p, index) for p in FILES]
    print("\n" + table(verdicts))
    assert all(v.right for v in verdicts), table([v for v in verdicts if not v.right])
