"""What one hostile source may cost (issue 27): PDF extraction under a size and time budget
per page and per document, read once per kg add; declared encodings limited to text
encodings; linking bounded per document; every such refusal an exit 2 naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg.sources.pdf as pdf_module
from kg.cli import main
from kg.errors import SourceError
from kg.extract import bounded
from kg.extract.bounded import extract_bounded
from kg.extract.mentions import extract
from kg.pipeline.convert_files import convert
from kg.pipeline.inputs import load_inputs
from kg.sources.parsers import parse_file
from kg.sources.text import MAX_CHARACTERS
from tests.support import PROJECT, SEED_PATH
from tests.support.pdf import flow, pdf_document, pdf_with_content

TEXT_RUN = b"0 -12 Td (ab) Tj\n"  # 17 bytes, 2 operators
ANSWERS = [
    "ah-tk-20242025-1300",
    "Vraag 1",
    "Hoeveel rekenkracht heeft de AI-fabriek in Groningen?",
    "Antwoord 1",
    "Dat wordt dit jaar bepaald.",
]


def _refusal(path: Path) -> SourceError:
    with pytest.raises(SourceError) as refused:
        parse_file(path)
    assert refused.value.path == path
    return refused.value


def test_a_page_drawing_more_than_its_budget_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"  # 142,000 runs: 285,000 operators in a few KB
    path.write_bytes(pdf_with_content(b"BT /F1 10 Tf " + TEXT_RUN * 142_000 + b" ET"))
    assert path.stat().st_size < 8_000
    detail = _refusal(path).detail
    assert detail.startswith("page 1 draws 2.3 MiB of content; the limit is 1 MiB per page")


def test_a_stream_shared_by_many_pages_counts_for_each(tmp_path: Path) -> None:
    path = tmp_path / "shared.pdf"  # 0.8 MiB, drawn by six pages: 4.8 MiB to read
    path.write_bytes(pdf_with_content(b"BT /F1 10 Tf " + TEXT_RUN * 50_000 + b" ET", pages=6))
    assert "of content together (by page 5), the limit per document" in _refusal(path).detail


def test_the_time_budget_per_page_is_named(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "slow.pdf"
    path.write_bytes(pdf_document([flow(800, [[line] for line in ANSWERS])]))
    monkeypatch.setattr(pdf_module, "PAGE_SECONDS", -1.0)  # every page is over it at once
    assert _refusal(path).detail.startswith("reading page 1 took more than -1 s, the limit")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"BT /F1 10 Tf (a) Tj ET " + b" " * 80_000_000, "past a safety limit of pypdf"),
        (b"BT /F1 10 Tf " + b"[" * 20_000 + b"]" * 20_000 + b" TJ ET", "nest too deeply"),
    ],
    ids=["inflates-past-pypdf-limit", "deep-nesting"],
)
def test_pypdf_limits_and_deep_nesting_are_refusals(
    content: bytes, needle: str, tmp_path: Path, built, capsys
) -> None:
    path = tmp_path / "hostile.pdf"
    path.write_bytes(pdf_with_content(content))
    assert needle in _refusal(path).detail
    data_dir, store = built
    assert main(["add", str(path), "--data", str(data_dir), "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kg add: error: {path}: not a readable PDF") and "Traceback" not in err


def test_kg_add_extracts_a_pdf_once(built, tmp_path: Path, monkeypatch, capsys) -> None:
    data_dir, store = built
    path = tmp_path / "ah-tk-20242025-1300.pdf"
    path.write_bytes(pdf_document([flow(800, [[line] for line in ANSWERS])]))
    calls = []
    extract = pdf_module._extract

    def counted(*a):
        calls.append(a[0])
        return extract(*a)

    monkeypatch.setattr(pdf_module, "_extract", counted)
    args = ["--data", str(data_dir), "--store", str(store)]
    assert main(["add", str(path), *args]) == 0, capsys.readouterr().err
    assert len(calls) == 1  # checked, planned and built: read once


@pytest.mark.parametrize("encoding", ["rot13", "zlib", "idna", "punycode", "utf-7"])
def test_a_declared_encoding_that_is_no_document_encoding_is_refused(
    encoding: str, tmp_path: Path
) -> None:
    path = tmp_path / "stuk.html"
    path.write_bytes(f'<html><head><meta charset="{encoding}">'.encode() + b"\xff" * 400_000)
    refused = _refusal(path)
    assert refused.line == 1
    assert refused.detail.startswith(f"declares the encoding '{encoding}', which is not one")


def test_a_text_past_the_limit_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "2026D32673.txt"
    path.write_text(SEED_PATH.read_text(encoding="utf-8") + "x" * MAX_CHARACTERS, "utf-8")
    assert f"the limit is {MAX_CHARACTERS:,} per document" in _refusal(path).detail


def _dense(tmp_path: Path, names: int, commitments: bool) -> Path:
    """The seed letter with ``names`` more curated names (and commitments) in an answer."""
    sentence = "Anthropic, Fable 5, Mythos 5 en het NCSC. "
    if commitments:
        sentence += "Ik zal uw Kamer hierover informeren voor de zomer. "
    seed = SEED_PATH.read_text(encoding="utf-8")
    marker = "Het kabinet schat momenteel"
    path = tmp_path / SEED_PATH.name
    path.write_text(seed.replace(marker, sentence * (names // 4) + "\n\n" + marker, 1), "utf-8")
    return path


def test_mentions_past_the_cap_are_left_out_with_a_note(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(bounded, "MAX_MENTIONS", 300)
    monkeypatch.setattr(bounded, "MAX_COMMITMENTS", 20)
    inputs = load_inputs(PROJECT.data, PROJECT.ontology)
    path = _dense(tmp_path, 400, commitments=True)
    every = extract(parse_file(path), inputs.index).mentions
    found = len(every)
    document = extract_bounded(parse_file(path), inputs.index)
    assert len(document.mentions) == 300 and len(document.commitments) == 20
    notes = {note.kind: note for note in document.notes}
    mention_note = notes["mentions-capped"]
    assert mention_note.message.startswith(
        f"{found} mentions found; only the first 300 are kept (the limit per document)"
    )
    assert mention_note.span.start == every[300].span.start  # where the first one left out is
    assert mention_note.line == document.line_of(every[300].span.start)
    assert "only the first 20 are kept" in notes["commitments-capped"].message
    processed = convert(path, inputs)  # the document still builds, its notes in the graph
    assert b"mentions-capped" in processed.ntriples


def test_linking_memory_stays_bounded_for_a_dense_text(tmp_path: Path) -> None:
    """Not a timing: the number of triples a dense document becomes stays under what the caps
    allow (about twenty per mention), however many names the text holds."""
    inputs = load_inputs(PROJECT.data, PROJECT.ontology)
    path = _dense(tmp_path, 12_000, commitments=False)
    processed = convert(path, inputs)
    assert processed.summary.mentions == bounded.MAX_MENTIONS
    assert processed.entry.triples < 25 * bounded.MAX_MENTIONS + 20_000
