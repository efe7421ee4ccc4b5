"""Answers to written questions as published on officielebekendmakingen.nl: XML and HTML.

XML: ``officiele-publicatie/kamervragen`` with ``kamervraagkop`` (vergaderjaar),
``kamervraagnummer``, header elements (``kamervraagomschrijving``, ``kamervraagopmerking``,
...: every other ``kamervraag*`` element), ``vraag`` / ``antwoord`` elements with an ``nr``
("Vraag 1", "Antwoord 4 en 5") and ``al`` paragraphs, ``noot`` footnotes (``noot.nr``,
``noot.al``) inside paragraphs, ``extref`` references, ``nadruk`` emphasis. The identifier is the
``DC.identifier`` meta element if there is one, else ``ah-tk-{vergaderjaar}-{kamervraagnummer}``.

HTML (the site's rendering): ``div.vraag`` / ``div.antwoord`` whose first heading or
``p.vraagnummer``-like paragraph holds "Vraag N", ``p`` paragraphs, footnote markers as
``<sup>``/``<a class="nootnum">`` linking (``href="#id"``) to footnote bodies (elements whose
class holds "noot", with that id); header paragraphs are those starting "Vragen van",
"Antwoord van" or "Zie ook"; the identifier is ``<meta name="DC.identifier">`` (or
``dcterms.identifier``). A page without those divs is read paragraph by paragraph and its
"Vraag N" headings found in the text. Both the XML and the XHTML as published (XML prolog,
XHTML 1.0 Strict DOCTYPE) are parsed with lxml, expanding no entities and loading nothing.

The text: both are rendered into the markdown-flavoured Aanhangsel text form (header
paragraphs, "Vraag N" lines, paragraphs separated by blank lines, markers ``[^N]`` where the
note stood, each note's body as ``[^N]: ...`` after the question or answer that holds it, a
URL reference's address after its words when they do not show it) and that rendering is
``Document.text``: it is what the graph stores and every span points into. ``Document.sha256``
is the hash of that rendering (the text the spans are checked against), not of the markup file.
"""

from __future__ import annotations

import re
from typing import Any

from kg.errors import SourceError
from kg.sources.metadata import safe_xml_parser
from kg.sources.model import Document, SourceText
from kg.sources.parsers.aanhangsel import HEADING, AanhangselTextParser
from kg.sources.text import sha256_text

HEADER_TEXT = re.compile(
    r"^\s*(?:Vragen van|Vraag van|Mondelinge vragen van|Antwoord van|Mededeling van|Zie ook)\b"
)
# A notice of delay has its own words in the remark of its header (kamervraagopmerking), which
# in an answer holds "Zie ook ...": rendered under a "Mededeling" heading, as the PDF prints it.
STATEMENT = "Mededeling"
AH_ID = re.compile(r"^ah-tk-\d{8}-\d+$")
IDENTIFIER_META = {"dc.identifier", "dcterms.identifier"}  # the site writes either


class _Writer:
    """Builds the rendering: paragraphs, headings, footnote markers and bodies."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.pending_notes: list[tuple[int, str]] = []
        self.note_count = 0

    def paragraph(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.blocks.append(text)

    def marker(self, body: str) -> str:
        self.note_count += 1
        self.pending_notes.append((self.note_count, " ".join(body.split())))
        return f"[^{self.note_count}]"

    def end_section(self) -> None:
        for number, body in self.pending_notes:
            self.blocks.append(f"[^{number}]: {body}")
        self.pending_notes = []

    def text(self) -> str:
        self.end_section()
        return "\n\n".join(self.blocks) + "\n"


# A section's number as printed: "1", "4 en 5", "Vraag 1", "Antwoord 4, 5 en 6", "Antwoord op
# vraag 2"; an answer's element may be headed "Vraag 2, 3" (the questions it answers).
SECTION_NUMBER = re.compile(
    r"(?:(?:Vra(?:ag|gen)|Antwoord(?:en)?)(?:\s+op\s+(?:de\s+)?vra(?:ag|gen))?\s+)?"
    r"(?P<numbers>\d+(?:\s*(?:,|en|t/m|tot en met|-|–)\s*\d+)*)",
    re.IGNORECASE,
)


def _heading(nr: str, kind: str) -> str:
    """The heading line of a section: its numbers after the word its element (``kind``) says,
    whatever word was printed; any other text as it is."""
    nr = " ".join(nr.split()).rstrip(".:")
    numbered = SECTION_NUMBER.fullmatch(nr)
    if numbered:
        nr = f"{'Vraag' if kind == 'vraag' else 'Antwoord'} {numbered.group('numbers')}"
    return nr


# -- XML -------------------------------------------------------------------------------------


NOT_HEADER = {"kamervragen", "kamervraagkop", "kamervraagnummer"}


def _is_header(tag: str) -> bool:
    return (tag.startswith("kamervraag") and tag not in NOT_HEADER) or tag == "omschr"


def _is_block(tag: str) -> bool:
    """An element whose content is rendered as a whole (nothing inside it is visited again)."""
    return tag in ("vraag", "antwoord") or _is_header(tag)


def rendered_source(source: SourceText, rendered: str, identifier: str | None) -> SourceText:
    """The text a markup source renders to, as the Aanhangsel text parser reads it."""
    return SourceText(source.path, rendered, sha256_text(rendered), identifier, source.fallback)


def _local(tag: Any) -> str:
    """An element's name without namespace; "" for comments, processing instructions and
    entity references (whose tag is not a string in lxml)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class XmlParser:
    name = "officielebekendmakingen-xml"
    description = "officielebekendmakingen XML with <kamervragen>, <vraag> and <antwoord> elements"

    def match(self, text: str) -> float:
        """An XML prolog or the publication's root element; XHTML has a prolog too, and the
        HTML parser is surer of it."""
        head = text.lstrip()[:2000]
        return 0.9 if head.startswith("<?xml") or "<officiele-publicatie" in head else 0.0

    def parse(self, source: SourceText) -> Document:
        path, text = source.path, source.text
        from lxml import etree

        # The prolog names the file's encoding, which the text no longer has: it is decoded.
        body = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
        try:
            # Hardened: entities are not expanded, no DTD or anything else is fetched.
            root = etree.fromstring(body, safe_xml_parser())
        except etree.XMLSyntaxError as err:
            raise SourceError(
                path,
                f"not well-formed XML: {err.msg}; expected officielebekendmakingen XML",
                line=err.lineno,
            ) from None
        sections = [e for e in root.iter() if _local(e.tag) in ("vraag", "antwoord")]
        headers = [e for e in root.iter() if _is_header(_local(e.tag))]
        if not sections and not headers:
            raise SourceError(
                path,
                "no questions found; expected <vraag> and <antwoord> elements with <nr>, or the "
                "<kamervraagomschrijving> of questions or a notice",
            )
        writer, counts = _Writer(), {"vraag": 0, "antwoord": 0}
        # In document order, in <kamervragen> or the older <vragen>: header elements
        # (kamervraagomschrijving, the older omschr, ...) and the questions and answers.
        for element in root.iter():
            tag = _local(element.tag)
            if any(_is_block(_local(a.tag)) for a in element.iterancestors()):
                continue
            if tag in ("vraag", "antwoord"):
                counts[tag] += 1
                self._section(element, tag, writer, counts[tag])
            elif tag == "kamervraagopmerking" and not HEADER_TEXT.match(
                "".join(element.itertext())
            ):
                writer.paragraph(STATEMENT)
                for paragraph in element.iter():
                    if _local(paragraph.tag) == "al":
                        writer.paragraph(self._inline(paragraph, writer))
                writer.end_section()
            elif _is_header(tag):
                writer.paragraph(self._inline(element, writer))
        rendered = writer.text()
        identifier = source.identifier or self._identifier(root)
        return AanhangselTextParser().parse_as(
            rendered_source(source, rendered, identifier), self.name
        )

    def _section(self, element: Any, kind: str, writer: _Writer, place: int) -> None:
        """One <vraag> or <antwoord>, headed by its <nr>, else by a first paragraph that is a
        heading (the older form), else numbered by its place (the nth question)."""
        nr = element.find("nr")
        heading = _heading("".join(nr.itertext()) if nr is not None else "", kind)
        paragraphs = [
            self._inline(child, writer)
            for child in element.iter()
            if _local(child.tag) == "al" and not self._inside_note(child, element)
        ]
        if not HEADING.match(heading):
            first = _heading(paragraphs[0], kind) if paragraphs else ""
            headed = bool(HEADING.match(first))
            heading = first if headed else _heading(str(place), kind)
            paragraphs = paragraphs[1:] if headed else paragraphs
        writer.paragraph(heading)
        for paragraph in paragraphs:
            writer.paragraph(paragraph)
        writer.end_section()

    @staticmethod
    def _inside_note(child: Any, section: Any) -> bool:
        for ancestor in child.iterancestors():
            if ancestor is section:
                return False
            if _local(ancestor.tag) == "noot":
                return True
        return False

    def _inline(self, element: Any, writer: _Writer) -> str:
        parts = [element.text or ""]
        for child in element:
            tag = _local(child.tag)
            if not tag:  # a comment, processing instruction or unexpanded entity
                parts.append(child.tail or "")
                continue
            if tag == "noot":
                body = " ".join(
                    self._inline(al, writer) for al in child.iter() if _local(al.tag) == "noot.al"
                )
                parts.append(writer.marker(body))
            elif tag == "extref":
                words = "".join(child.itertext())
                target = child.get("doc", "")
                parts.append(words)
                if child.get("soort", "").upper() == "URL" and target and target not in words:
                    parts.append(f" <{target}>")
            else:
                parts.append(self._inline(child, writer))
            parts.append(child.tail or "")
        return "".join(parts)

    def _identifier(self, root: Any) -> str | None:
        for meta in root.iter():
            if _local(meta.tag) == "meta" and (meta.get("name") or "").lower() in IDENTIFIER_META:
                value = meta.get("content", "").strip()
                if value:
                    return value
        year = number = None
        for element in root.iter():
            tag = _local(element.tag)
            if tag == "tekstregel" and element.get("inhoud") == "vergaderjaar":
                found = re.search(r"(\d{4})\s*[-–/]\s*(\d{4})", "".join(element.itertext()))
                year = found.group(1) + found.group(2) if found else None
            elif tag == "kamervraagnummer":
                found = re.search(r"\d+", "".join(element.itertext()))
                number = found.group(0) if found else None
        if year and number:
            return f"ah-tk-{year}-{number}"
        return None  # the text parser goes on: metadata.xml, then the file name
