"""Answers to written questions, questions and notices as officielebekendmakingen.nl renders
them in HTML (see ``kg.sources.parsers.officiele_bekendmakingen`` for the XML and the text both
render to): ``div.vraag`` / ``div.antwoord`` whose first heading or ``p.vraagnummer``-like
paragraph holds "Vraag N", ``p`` paragraphs, footnote markers as ``<sup>``/``<a class="nootnum">``
linking (``href="#id"``) to footnote bodies, header paragraphs starting "Vragen van", "Antwoord
van", "Mededeling van" or "Zie ook", a notice's own words in ``div.kamervraagopmerking``; the
identifier is ``<meta name="DC.identifier">`` (or ``dcterms.identifier``). A page without those
divs is read paragraph by paragraph and its "Vraag N" headings found in the text.
"""

from __future__ import annotations

import re

from kg.errors import SourceError
from kg.sources.metadata import safe_xml_parser
from kg.sources.model import Document, SourceText
from kg.sources.parsers.aanhangsel import HEADING, AanhangselTextParser
from kg.sources.parsers.officiele_bekendmakingen import (
    HEADER_TEXT,
    IDENTIFIER_META,
    STATEMENT,
    _heading,
    _local,
    _Writer,
    rendered_source,
)

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
