"""Source parsers: one per source form, all producing the same ``kg.sources.model.Document``.

A parser is chosen by what the text looks like, never by the file name: the form that is surest
of it (``REGISTRY``, ``Parser.match``). The identifier is
the one given by hand (``kg add --id``, kept as ``kg.identifier`` in the metadata beside the
file), else what the content states, else the metadata's ``DC.identifier``, else the file
name when it has the form of one.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Protocol

from kg.errors import SourceError
from kg.sources.document_id import checked_identifier
from kg.sources.metadata import Metadata, find_sidecar, read_metadata
from kg.sources.model import Document, SourceText
from kg.sources.text import read_source, sha256_text

MOTION = re.compile(
    r"\bverzoekt\s+de\s+regering\b|\bgaat\s+over\s+tot\s+de\s+orde\s+van\s+de\s+dag\b"
)
LETTER = re.compile(r"^[ \t]*Geachte\b", re.MULTILINE)
# A notice that the answers come later ("uitstelbericht"), published as an Aanhangsel too.
NOTICE = re.compile(r"^[ \t#*]*Mededeling van\b", re.MULTILINE)


class Parser(Protocol):
    """A source form: its name, what it reads, how sure it is that a text is of its form (0:
    not at all; the more specific its evidence, the higher), and how to read it."""

    name: str
    description: str

    def match(self, text: str) -> float: ...

    def parse(self, source: SourceText) -> Document: ...


# Every source form, one line each: "module:class". A new form is a module and a line here.
REGISTRY = (
    "officiele_html:HtmlParser",  # markup with an <html> root (1.0)
    "officiele_bekendmakingen:XmlParser",  # an XML prolog or <officiele-publicatie> (0.9)
    "ministry:MinistryTextParser",  # opens with "AH 610" or a case number (0.9)
    "aanhangsel:AanhangselTextParser",  # "Vraag N" / "Antwoord N" headings (0.8), kv (0.6)
    "numbered:NumberedParser",  # items 1., 2. and one "Antwoord" (0.7)
    "letter:LetterParser",  # number lines and a document number (0.5)
)


def parsers() -> list[Parser]:
    from importlib import import_module

    found = []
    for entry in REGISTRY:
        module, name = entry.split(":")
        found.append(getattr(import_module(f"kg.sources.parsers.{module}"), name)())
    return found


def parse_text(
    path: Path, text: str, identifier: str | None = None, fallback: str | None = None
) -> Document:
    """The text read by the form that is surest of it (the first of equals in the registry);
    refused, saying why, when no form recognises it."""
    available = parsers()
    scored = [(parser.match(text), -place, parser) for place, parser in enumerate(available)]
    confidence, _, best = max(scored, key=lambda item: item[:2])
    if confidence <= 0:
        raise _no_questions(path, text, available)
    document = best.parse(SourceText(path, text, sha256_text(text), identifier, fallback))
    document.identifier = checked_identifier(path, text, document.identifier)
    return document


def _no_questions(path: Path, text: str, available: list[Parser]) -> SourceError:
    """Why a text that no parser takes is refused: it has nothing question-and-answer-like."""
    expected = "; ".join(f"{p.name} ({p.description})" for p in available)
    motion = MOTION.search(text)
    if motion:
        line = text.count("\n", 0, motion.start()) + 1
        return SourceError(
            path,
            "this is a motion (motie: 'verzoekt de regering'); it has no questions and answers. "
            f"Expected answers to questions, one of: {expected}",
            line=line,
        )
    notice = NOTICE.search(text)
    if notice:
        return SourceError(
            path,
            "this is a notice (mededeling) that the answers will come later; it has no "
            f"questions and answers. Expected answers to questions, one of: {expected}",
            line=text.count("\n", 0, notice.start()) + 1,
        )
    letter = LETTER.search(text)
    if letter:
        line = text.count("\n", 0, letter.start()) + 1
        return SourceError(
            path,
            "this letter has no questions: no 'Vraag N' / 'Antwoord N' headings and no "
            f"numbered questions. Expected answers to questions, one of: {expected}",
            line=line,
        )
    return SourceError(
        path,
        f"unknown document form; expected one of: {expected}. It has no questions: no "
        "'Vraag N' / 'Antwoord N' headings and no numbered questions",
        line=1,
    )


def parse_file(
    path: Path, identifier: str | None = None, metadata: Metadata | None = None
) -> Document:
    """Parse one source file; ``metadata`` (else the metadata.xml beside it) fills what the
    text does not say, and ``identifier`` overrides every other."""
    text = read_source(path)
    if metadata is None:
        sidecar = find_sidecar(path)
        metadata = read_metadata(sidecar) if sidecar else None
    override = identifier or (metadata.override if metadata else None)
    fallback = metadata.identifier if metadata else None
    document = parse_text(path, text, override, fallback)
    return with_metadata(document, metadata) if metadata else document


def _case_number(value: str | None) -> str | None:
    return value if value and re.fullmatch(r"(?:19|20)\d{2}Z\d{5}", value) else None


def with_metadata(document: Document, metadata: Metadata) -> Document:
    """The cover fields the text left empty, filled from the publication's metadata."""
    letter = document.letter
    askers = letter.askers or tuple((name, None) for name in metadata.askers)
    document.letter = dataclasses.replace(
        letter,
        askers=askers,
        member=letter.member or (askers[0][0] if askers else None),
        question_addressees=letter.question_addressees
        or ((metadata.addressee,) if metadata.addressee else ()),
        title=letter.title or metadata.title,
        issued=letter.issued or metadata.issued,
        question_number=letter.question_number or metadata.question_number,
        # OVERHEIDop.vraagnummer is the case number the published Aanhangsel does not print.
        zaak=letter.zaak or _case_number(metadata.question_number),
    )
    return document
