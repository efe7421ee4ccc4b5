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


# -- HTML ------------------------------------------------------------------------------------


class _Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: _Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[_Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, _Node):
                yield from child.walk()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "blockquote"}


def _html_tree(text: str) -> _Node:
    """The page as a tree, parsed by lxml without fetching or expanding anything: as XML when
    it is well-formed XHTML (no DTD loaded, no entities resolved, no network, no huge trees),
    else with libxml2's HTML parser (which has no DTD or entity declarations to act on)."""
    from lxml import etree

    body = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)  # the text is decoded already
    try:
        root = etree.fromstring(body, safe_xml_parser())
    except etree.XMLSyntaxError:  # HTML, or XHTML that uses HTML's entities (&nbsp;)
        html = etree.HTMLParser(no_network=True, huge_tree=False, remove_comments=True)
        root = etree.fromstring(body, html)
    tree = _Node("#root", {}, None)
    if root is not None:
        _copy(root, tree)
    return tree


def _entity_tag():
    from lxml import etree

    return etree.Entity


def html_entity(name: str) -> str:
    from html.entities import name2codepoint

    return chr(name2codepoint[name]) if name in name2codepoint else ""


def _copy(element, parent: _Node) -> None:
    """lxml's element (and its tail) as a _Node under ``parent``; comments and processing
    instructions give only their tail."""
    tag = _local(element.tag).lower()
    if element.tag is _entity_tag():
        # An entity left unexpanded: HTML's own named characters (&nbsp;) are text, any
        # entity the document declares itself is dropped.
        parent.children.append(html_entity(element.name))
    elif tag:
        node = _Node(tag, {_local(k): v for k, v in element.attrib.items()}, parent)
        parent.children.append(node)
        if element.text:
            node.children.append(element.text)
        for child in element:
            _copy(child, node)
    if element.tail:
        parent.children.append(element.tail)


NOTE_BODY = "data-kg-footnote"  # set on a node found to be a footnote's body


def _footnote_bodies(root: _Node) -> dict[str, _Node]:
    """Footnote bodies by id: elements whose class says "noot", and the targets of links in a
    superscript or written as a number ("<sup><a href="#n1">1</a></sup>"), wherever they are
    (an <ol> of notes, an empty anchor in a paragraph, a <dt> before its <dd>)."""
    by_id = {n.attrs["id"]: n for n in root.walk() if "id" in n.attrs}
    bodies = {
        key: node
        for key, node in by_id.items()
        if any("noot" in c for c in node.classes) and not HtmlParser._is_marker(node)
    }
    for link in root.walk():
        target = by_id.get(link.attrs.get("href", "#")[1:]) if link.tag == "a" else None
        if target is None or HtmlParser._is_marker(target) or link.attrs["href"][1:] in bodies:
            continue
        if (link.parent is not None and link.parent.tag == "sup") or re.fullmatch(
            r"\[?\s*\d{1,3}\s*\]?", link.text().strip()
        ):
            bodies[link.attrs["href"][1:]] = _body_of(target)
    for body in bodies.values():
        body.attrs[NOTE_BODY] = "1"
    return bodies


def _body_of(target: _Node) -> _Node:
    """The element holding a note's text: the target itself, the paragraph around an empty
    anchor, the <dd> after a <dt>."""
    parent = target.parent
    if target.tag == "a" and not target.text().strip() and parent is not None:
        return parent
    if target.tag == "dt" and parent is not None:
        after = parent.children[parent.children.index(target) + 1 :]
        return next((n for n in after if isinstance(n, _Node) and n.tag == "dd"), target)
    return target


class HtmlParser:
    name = "officielebekendmakingen-html"
    description = "the officielebekendmakingen HTML rendering with div.vraag and div.antwoord"

    def match(self, text: str) -> float:
        head = text.lstrip()[:2000].lower()
        return 1.0 if head.startswith("<!doctype html") or "<html" in head else 0.0

    def parse(self, source: SourceText) -> Document:
        path, text = source.path, source.text
        root = _html_tree(text)
        notes = _footnote_bodies(root)
        sections = [n for n in root.walk() if n.tag == "div" and n.classes & {"vraag", "antwoord"}]
        writer = _Writer()
        if sections:
            counts = {"vraag": 0, "antwoord": 0}
            for node in root.walk():
                if node.tag == "div" and node.classes & {"vraag", "antwoord"}:
                    self._section(node, writer, notes, counts)
                elif node.tag == "div" and "kamervraagopmerking" in node.classes:
                    self._remark(node, writer, notes)
                elif self._header_block(node):
                    writer.paragraph(node.text())
        else:
            self._paragraphs(self._content(root), writer, notes)
        rendered = writer.text()
        if not HEADING.search(rendered) and not re.search(HEADER_TEXT.pattern, rendered, re.M):
            raise SourceError(
                path,
                'no questions found; expected <div class="vraag"> and <div class="antwoord">, '
                "or 'Vraag N' and 'Antwoord N' headings in the text",
            )
        identifier = source.identifier or self._identifier(root)
        return AanhangselTextParser().parse_as(
            rendered_source(source, rendered, identifier), self.name
        )

    def _remark(self, node: _Node, writer: _Writer, notes: dict[str, _Node]) -> None:
        """The header's remark: "Zie ook ..." in an answer, a notice's own words otherwise."""
        blocks = [b for b in node.walk() if b.tag in BLOCKS and not self._nested(b, node)]
        contents = [c for c in (self._inline(b, writer, notes) for b in blocks) if c.strip()]
        if contents and not HEADER_TEXT.match(contents[0]):
            writer.paragraph(STATEMENT)
        for content in contents:
            writer.paragraph(content)
        writer.end_section()

    def _header_block(self, node: _Node) -> bool:
        return (
            node.tag in BLOCKS
            and bool(HEADER_TEXT.match(node.text()))
            and not self._in_section(node)
            and not self._nested(node, None)
        )

    @staticmethod
    def _content(root: _Node) -> _Node:
        """The publication itself, without the site around it."""
        for node in root.walk():
            if node.attrs.get("id") in ("broodtekst", "main-column") or "stuk" in node.classes:
                return node
        return next((n for n in root.walk() if n.tag in ("main", "article", "body")), root)

    def _paragraphs(self, content: _Node, writer: _Writer, notes: dict[str, _Node]) -> None:
        """Without div.vraag/div.antwoord: every paragraph in order, headings included (the
        text parser finds them as in the Aanhangsel text form); footnotes after the text."""
        for node in content.walk():
            if node.tag in BLOCKS and not self._nested(node, None) and not self._in_section(node):
                writer.paragraph(self._inline(node, writer, notes))

    @staticmethod
    def _is_marker(node: _Node) -> bool:
        return node.tag in ("sup", "a") and node.attrs.get("href", "").startswith("#")

    @staticmethod
    def _in_section(node: _Node) -> bool:
        if NOTE_BODY in node.attrs:
            return True
        parent = node.parent
        while parent is not None:
            if NOTE_BODY in parent.attrs:
                return True
            if parent.tag == "div" and parent.classes & {"vraag", "antwoord", "voetnoten"}:
                return True
            if any("noot" in c for c in parent.classes):
                return True
            parent = parent.parent
        return False

    def _section(
        self, section: _Node, writer: _Writer, notes: dict[str, _Node], counts: dict[str, int]
    ) -> None:
        kind = "vraag" if "vraag" in section.classes else "antwoord"
        counts[kind] += 1
        blocks = [n for n in section.walk() if n.tag in BLOCKS and not self._nested(n, section)]
        contents = [c for c in (self._inline(b, writer, notes) for b in blocks) if c.strip()]
        headed = bool(contents) and bool(HEADING.match(_heading(contents[0], kind)))
        # A div without a printed heading is numbered by its place (the nth question).
        writer.paragraph(_heading(contents[0] if headed else str(counts[kind]), kind))
        for content in contents[1:] if headed else contents:
            writer.paragraph(content)
        writer.end_section()

    @staticmethod
    def _nested(node: _Node, section: _Node | None) -> bool:
        parent = node.parent
        while parent is not None and parent is not section:
            if parent.tag in BLOCKS:
                return True
            parent = parent.parent
        return False

    def _inline(self, node: _Node, writer: _Writer, notes: dict[str, _Node]) -> str:
        parts = []
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
                continue
            link = (
                child if child.tag == "a" else next((c for c in child.walk() if c.tag == "a"), None)
            )
            href = link.attrs.get("href", "") if link is not None else ""
            if child.tag in ("sup", "a") and href.startswith("#") and href[1:] in notes:
                body = notes[href[1:]]
                text = re.sub(r"^\s*\d+\s*", "", self._note_text(body))
                parts.append(writer.marker(text))
            elif child.tag == "a" and href.startswith("http") and href not in child.text():
                parts.append(f"{child.text()} <{href}>")
            elif child.tag == "br":
                parts.append(" ")
            else:
                parts.append(self._inline(child, writer, notes))
        return "".join(parts)

    def _note_text(self, note: _Node) -> str:
        parts = []
        for child in note.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "a" and child.attrs.get("href", "").startswith("http"):
                href = child.attrs["href"]
                words = child.text()
                parts.append(words if href in words else f"{words} <{href}>")
            else:
                parts.append(self._note_text(child))
        return " ".join("".join(parts).split())

    def _identifier(self, root: _Node) -> str | None:
        for node in root.walk():
            if node.tag == "meta" and node.attrs.get("name", "").lower() in IDENTIFIER_META:
                value = node.attrs.get("content", "").strip()
                if value:
                    return value
        return None  # the text parser goes on: metadata.xml, then the file name
