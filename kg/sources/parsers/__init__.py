"""Source parsers: one per source form, all producing the same ``kg.sources.model.Document``.

A parser is chosen by what the text looks like, never by the file name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from kg.errors import SourceError
from kg.sources.model import Document
from kg.sources.text import read_source, sha256_text


class Parser(Protocol):
    name: str
    description: str

    def detect(self, text: str) -> bool: ...

    def parse(self, path: Path, text: str, sha256: str) -> Document: ...


def parsers() -> list[Parser]:
    from kg.sources.parsers.aanhangsel import AanhangselTextParser
    from kg.sources.parsers.letter import LetterParser
    from kg.sources.parsers.officiele_bekendmakingen import HtmlParser, XmlParser

    # Markup first (its text holds "Vraag 1" lines too), then the Aanhangsel text, then the
    # letter, whose number lines a page number of an Aanhangsel PDF could imitate.
    return [XmlParser(), HtmlParser(), AanhangselTextParser(), LetterParser()]


def parse_text(path: Path, text: str) -> Document:
    available = parsers()
    for parser in available:
        if parser.detect(text):
            return parser.parse(path, text, sha256_text(text))
    expected = "; ".join(f"{p.name} ({p.description})" for p in available)
    raise SourceError(path, f"unknown document form; expected one of: {expected}")


def parse_file(path: Path) -> Document:
    return parse_text(path, read_source(path))
