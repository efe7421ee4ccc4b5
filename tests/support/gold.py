"""Comparing a parsed document with its hand-read gold (tests/fixtures/real/gold/*.toml).

``differences(document, gold)`` lists every way the document differs from what a reader of it
expects, each as "field: what was expected, what was found"; ``table`` renders the per-file
verdicts. The gold format and how it is written: tests/fixtures/real/README.md.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kg.sources.model import Document, Section

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
CORPUS = REAL / "tk-2024-11"
GOLD = REAL / "gold"
KINDS = {"answer": "answers", "questions": "questions", "notice": "notice"}


def gold_of(path: Path) -> dict:
    with (GOLD / f"{path.name}.toml").open("rb") as file:
        return tomllib.load(file)


def squeeze(text: str | None) -> str:
    """What the comparison keeps of a text: no white space, hyphens, dashes or soft hyphens,
    lower case; extraction splits and glues words, it does not change them."""
    return re.sub(r"[\s\-\u00ad–—]+", "", text or "").lower()


@dataclass
class Verdict:
    name: str
    kind: str
    problems: list[str]

    @property
    def right(self) -> bool:
        return not self.problems


def differences(document: Document, gold: dict) -> list[str]:
    problems: list[str] = []
    problems += _header(document, gold)
    problems += _sections("question", document.questions, gold.get("questions", []))
    problems += _sections("answer", document.answers, gold.get("answers", []))
    problems += _footnotes(document, gold.get("footnotes", []))
    problems += _cross_references(document, gold.get("cross_references", []))
    problems += _commitments(document, gold.get("commitments", []))
    return problems


def _header(document: Document, gold: dict) -> Iterable[str]:
    letter = document.letter
    expected_kind = KINDS[gold["kind"]]
    if document.kind != expected_kind:
        yield f"kind: expected {expected_kind}, found {document.kind}"
    if document.identifier != gold["identifier"]:
        yield f"identifier: expected {gold['identifier']}, found {document.identifier}"
    if letter.zaak != gold.get("zaak"):
        yield f"zaak: expected {gold.get('zaak')}, found {letter.zaak}"
    for field, found in (("signer", letter.sender_name), ("signer_post", letter.sender_post)):
        if squeeze(found) != squeeze(gold.get(field)):
            yield f"{field}: expected {gold.get(field)!r}, found {found!r}"
    co = sorted(squeeze(p) for p in [*(post for _, post in letter.signers[1:]), *letter.behalf])
    if co != sorted(squeeze(p) for p in gold.get("co_signers", [])):
        found_co = [post for _, post in letter.signers[1:]] + list(letter.behalf)
        yield f"co_signers: expected {gold.get('co_signers', [])}, found {found_co}"
    askers = [squeeze(name) for name, _ in letter.askers]
    if askers != [squeeze(name) for name in gold.get("askers", [])]:
        yield f"askers: expected {gold.get('askers', [])}, found {[n for n, _ in letter.askers]}"
    elif "parties" in gold and [squeeze(p) for _, p in letter.askers] != [
        squeeze(p) for p in gold["parties"]
    ]:
        yield f"parties: expected {gold['parties']}, found {[p for _, p in letter.askers]}"
    for field, day in (("submitted", letter.submitted), ("received", letter.received)):
        if day != gold.get(field):
            yield f"{field}: expected {gold.get(field)}, found {day}"


def _sections(kind: str, found: list[Section], expected: list[dict]) -> Iterable[str]:
    numbers = [list(s.covers) for s in found]
    wanted = [g["numbers"] for g in expected]
    if numbers != wanted:
        yield f"{kind}s: expected numbers {wanted}, found {numbers}"
        return
    for section, gold in zip(found, expected, strict=True):
        text = squeeze(section.text)
        label = f"{kind} {'+'.join(map(str, gold['numbers']))}"
        if not text.startswith(squeeze(gold["start"])):
            yield f"{label}: expected to start {gold['start']!r}, starts {section.text[:60]!r}"
        if not text.endswith(squeeze(gold["end"])):
            yield f"{label}: expected to end {gold['end']!r}, ends {section.text[-60:]!r}"


def _footnotes(document: Document, expected: list[dict]) -> Iterable[str]:
    found = {f.number: f for f in document.footnotes}
    if sorted(found) != sorted(g["number"] for g in expected):
        yield (
            f"footnotes: expected {sorted(g['number'] for g in expected)}, found {sorted(found)}"
        )
        return
    for gold in expected:
        footnote = found[gold["number"]]
        if not squeeze(footnote.text).startswith(squeeze(gold["start"])):
            yield (
                f"footnote {gold['number']}: expected to start {gold['start']!r}, starts "
                f"{footnote.text[:60]!r}"
            )
        if "in" in gold:
            where = _where(document, footnote.marker.start)
            if not _same_place(document, where, gold["in"]):
                yield f"footnote {gold['number']}: marker expected in {gold['in']}, found in {where}"


def _where(document: Document, offset: int) -> str:
    found = document.section_at(offset)
    return f"{found[0]} {found[1]}" if found else "header"


def _same_place(document: Document, where: str, expected: str) -> bool:
    """'question 5' names the block that covers 5 (a combined 'Vraag 4 en 5' is numbered 4)."""
    if where == expected:
        return True
    kind, _, number = expected.partition(" ")
    sections = {"question": document.questions, "answer": document.answers}.get(kind, [])
    block = next((s for s in sections if number.isdigit() and int(number) in s.covers), None)
    return block is not None and where == f"{kind} {block.number}"


def _cross_references(document: Document, expected: list[dict]) -> Iterable[str]:
    """Compared as pairs of answer blocks: a reference to question 3 of a combined answer on
    2 and 3 points at that block."""

    def block(number: int) -> int:
        return next((a.number for a in document.answers if number in a.covers), number)

    found = {
        (r.source_number, block(r.target_number))
        for r in document.cross_references
        if r.document is None
    }
    wanted = {(block(g["from"]), block(g["to"])) for g in expected}
    wanted = {(a, b) for a, b in wanted if a != b}
    if found != wanted:
        yield f"cross_references: expected {sorted(wanted)}, found {sorted(found)}"


def _commitments(document: Document, expected: list[dict]) -> Iterable[str]:
    for gold in expected:
        quote = squeeze(gold["quote"])
        match = next((c for c in document.commitments if quote in squeeze(c.text)), None)
        label = f"commitment {gold['quote'][:40]!r}"
        if match is None:
            yield f"{label}: not found"
            continue
        where = document.section_at(match.span.start)
        number = where[1] if where else None
        block = next((a.number for a in document.answers if gold["answer"] in a.covers), 0)
        if number != block:
            yield f"{label}: expected in answer {gold['answer']}, found in {where}"
        if "timing" in gold and squeeze(gold["timing"]) not in squeeze(match.timing):
            yield f"{label}: expected timing {gold['timing']!r}, found {match.timing!r}"
    quotes = [squeeze(g["quote"]) for g in expected]
    for commitment in document.commitments:
        if not any(q in squeeze(commitment.text) for q in quotes):
            yield f"extra commitment: {commitment.text[:70]!r}"


def table(verdicts: list[Verdict]) -> str:
    """One row per file: right, or the first problems."""
    width = max(len(v.name) for v in verdicts)
    rows = [f"{'file':{width}}  kind       verdict"]
    for v in verdicts:
        verdict = "right" if v.right else f"WRONG ({len(v.problems)}): " + "; ".join(v.problems[:3])
        rows.append(f"{v.name:{width}}  {v.kind:9}  {verdict}")
    right = sum(v.right for v in verdicts)
    rows.append(f"{right} of {len(verdicts)} right")
    return "\n".join(rows)


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_file())


def judge(path: Path, index) -> Verdict:
    """Parse and extract one corpus file (as kg build does) and compare it with its gold; a
    refusal is a verdict too."""
    from kg.errors import SourceError
    from kg.extract.mentions import extract
    from kg.sources.parsers import parse_file

    gold = gold_of(path)
    try:
        document = extract(parse_file(path), index)
    except SourceError as error:
        return Verdict(path.name, gold["kind"], [f"refused: {error}"])
    return Verdict(path.name, gold["kind"], differences(document, gold))


if __name__ == "__main__":  # python -m tests.support.gold: the table, for a quick look
    from kg.pipeline.inputs import load_inputs
    from tests.support import PROJECT

    label_index = load_inputs(PROJECT.data, PROJECT.ontology).index
    print(table([judge(p, label_index) for p in corpus_files()]))
