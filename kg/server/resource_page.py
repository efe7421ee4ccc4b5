"""What a resource page shows: the queries that read a resource, and their SPARQL JSON results
turned into rows of terms for the templates (labels, links, the highlighted source passage).

Every IRI under https://w3id.org/ai-beleid/ is linked to this server, so the pages can be
browsed locally.
"""

import json
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from kg.analysis.paragraphs import passage_bounds
from kg.rdf.namespaces import AIP, BASE, ONTOLOGY_GRAPH, ONTOLOGY_IRI, PREFIXES
from kg.rdf.terms import prefixed_name
from kg.server import formats

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OA_HAS_BODY = "http://www.w3.org/ns/oa#hasBody"
LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
)
PAGE_OFFERS = {
    "text/html": ("html", "text/html; charset=utf-8"),
    **{k: v for k, v in formats.OFFERS[formats.GRAPH].items() if k != "text/plain"},
}
_PROLOGUE = """PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
OUTGOING = (
    _PROLOGUE
    + """SELECT ?r ?p ?o ?g ?label WHERE {
  GRAPH ?g { ?r ?p ?o }
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?label }
}"""
)
INCOMING = (
    _PROLOGUE
    + """SELECT ?r ?s ?p ?label WHERE {
  ?s ?p ?r
  OPTIONAL { ?s skos:prefLabel|rdfs:label ?label }
}"""
)
# What has no label but a source span (a mention) is shown as its quote in a few words of
# context, in text order. Asked for the links' subjects only (VALUES), after INCOMING: as an
# OPTIONAL of INCOMING, Oxigraph read every mention in the store (1.4 s at 150 documents).
IN_CONTEXT = (
    _PROLOGUE
    + """SELECT ?s ?exact ?prefix ?suffix ?start WHERE {
  VALUES ?s { %s }
  ?s aip:evidence ?span . ?span oa:hasSelector ?quote .
  ?quote oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix .
  ?span oa:hasSelector ?position . ?position oa:start ?start .
}"""
)
EVIDENCE = (
    _PROLOGUE
    + """SELECT DISTINCT ?r ?text ?start ?end ?source WHERE {
  { ?r aip:evidence|oa:hasTarget ?t } UNION { ?r oa:hasSelector ?any . BIND (?r AS ?t) }
  ?t oa:hasSource ?source ; oa:hasSelector ?selector .
  ?selector oa:start ?start ; oa:end ?end .
  ?source rdf:value ?text .
} LIMIT 5"""
)
DESCRIPTION = """CONSTRUCT { ?r ?p ?o . ?x ?xp ?xo . ?y ?yp ?yo } WHERE {
  { ?r ?p ?o }
  UNION { ?r ?p1 ?x . ?x ?xp ?xo FILTER (isIRI(?x) && STRSTARTS(STR(?x), CONCAT(STR(?r), "#"))) }
  UNION { ?r ?p1 ?x . ?x ?p2 ?y . ?y ?yp ?yo
          FILTER (isIRI(?x) && isIRI(?y) && STRSTARTS(STR(?x), CONCAT(STR(?r), "#"))
                  && STRSTARTS(STR(?y), CONCAT(STR(?r), "#"))) }
}"""
ONTOLOGY = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
PASSAGE_CONTEXT = 600  # characters shown around a highlighted span
# A footnote marker in the text: "[footnoteRef:3]" (letters) or "[^3]" (Aanhangsel documents).
FOOTNOTE_REF = re.compile(r"\[(?:footnoteRef:|\^)(\d+)\](?!:)")


def local_href(iri: str) -> str:
    """Where this server shows an IRI: IRIs of our own URI space map to local paths."""
    if iri.startswith(BASE + "id/") and "#" not in iri:
        return "/doc/" + quote(iri[len(BASE) + 3 :], safe="/:@-._~!$&'()*+,;=")
    if iri == str(ONTOLOGY_IRI) or iri.startswith(str(AIP)):
        return "/def/aip" + iri[len(str(ONTOLOGY_IRI)) :]
    return "/page?iri=" + quote(iri, safe="")


LINK_SCHEMES = ("http:", "https:", "mailto:")


def linkable(iri: str) -> bool:
    """Whether an IRI from the data may be a link target (case-insensitive scheme)."""
    return iri.lower().startswith(LINK_SCHEMES)


CURIE_PREFIXES = {**PREFIXES, "graph": BASE + "graph/"}


def curie(iri: str) -> str:
    return prefixed_name(iri, CURIE_PREFIXES) or iri


@dataclass
class Term:
    """One RDF term from a SPARQL JSON result, ready for a template."""

    kind: str  # uri, bnode, literal
    value: str
    lang: str = ""
    datatype: str = ""
    label: str = ""

    @property
    def href(self) -> str:
        return local_href(self.value) if self.kind == "uri" else ""

    @property
    def external(self) -> str:
        """The IRI as an outside link, only for the schemes a browser cannot run (no
        ``javascript:``, ``data:``...); other IRIs are shown through ``/page`` only."""
        if self.kind != "uri" or self.value.startswith(BASE):
            return ""
        return self.value if linkable(self.value) else ""

    @property
    def text(self) -> str:
        if self.kind == "uri":
            return self.label or curie(self.value)
        if self.kind == "bnode":
            return f"_:{self.value}"
        return self.value

    @property
    def datatype_curie(self) -> str:
        return curie(self.datatype) if self.datatype else ""


def _term(binding: dict) -> Term:
    kind = binding["type"]
    return Term(
        "literal" if kind in ("literal", "typed-literal") else kind,
        binding["value"] if kind != "triple" else json.dumps(binding["value"]),
        binding.get("xml:lang", ""),
        binding.get("datatype", ""),
    )


def best_label(labels: list[Term], first: str = "nl") -> str:
    for lang in (first, "nl", "en", ""):
        for label in labels:
            if label.lang == lang:
                return label.value
    return labels[0].value if labels else ""


@dataclass
class Row:
    predicate: Term
    value: Term
    graphs: set[str] = field(default_factory=set)
    labels: list[Term] = field(default_factory=list)
    in_context: dict[str, str] = field(default_factory=dict)  # a mention's prefix, exact, suffix
    position: int = -1  # where a mention starts in its text

    def sort_key(self) -> tuple:
        return (self.position >= 0, self.position, natural(self.value.text))


def group_rows(
    bindings: list[dict], pred: str, value: str, graph: str | None, lang: str = "nl"
) -> list[Row]:
    rows: dict[tuple, Row] = {}
    for b in bindings:
        key = (b[pred]["value"], json.dumps(b[value], sort_keys=True))
        row = rows.get(key)
        if row is None:
            row = rows[key] = Row(_term(b[pred]), _term(b[value]))
        if graph and graph in b:
            row.graphs.add(b[graph]["value"])
        if "label" in b:
            label = _term(b["label"])
            if label not in row.labels:
                row.labels.append(label)
    for row in rows.values():
        row.value.label = best_label(row.labels, lang) if row.value.kind == "uri" else ""
        row.predicate.label = ""
    return sort_rows(list(rows.values()))


def sort_rows(rows: list[Row]) -> list[Row]:
    """Types, then labels, then by property; within one, mentions in text order after the rest."""
    order = {RDF_TYPE: 0, **{p: 1 for p in LABEL_PROPERTIES}}
    return sorted(
        rows,
        key=lambda r: (order.get(r.predicate.value, 2), curie(r.predicate.value), *r.sort_key()),
    )


def add_context(rows: list[Row], bindings: list[dict]) -> list[Row]:
    """The quote in context (IN_CONTEXT's answer) on the rows it belongs to, sorted again."""
    found = {b["s"]["value"]: b for b in bindings}
    for row in rows:
        b = found.get(row.value.value) if row.value.kind == "uri" else None
        if b is not None:
            row.in_context = {
                k: re.sub(r"\s+", " ", b[k]["value"]) for k in ("prefix", "exact", "suffix")
            }
            row.position = int(b["start"]["value"])
    return sort_rows(rows)


def natural(text: str) -> tuple:
    """A sort key that puts mention/9 before mention/10 (numbers compared as numbers)."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def passage(text: str, start: int, end: int) -> dict[str, str]:
    """The paragraph(s) around [start, end), cut to PASSAGE_CONTEXT characters each side."""
    lo = text.rfind("\n\n", 0, start)
    lo = max(lo + 2 if lo >= 0 else 0, start - PASSAGE_CONTEXT)
    hi = text.find("\n\n", end)
    hi = min(hi if hi >= 0 else len(text), end + PASSAGE_CONTEXT)
    return {  # footnote markers around the span are noise in a quotation
        "before": ("…" if lo > 0 else "") + FOOTNOTE_REF.sub("", text[lo:start]),
        "span": text[start:end],
        "after": FOOTNOTE_REF.sub("", text[end:hi]) + ("…" if hi < len(text) else ""),
    }


# -- Reading views: a document as its text, an entity with the passages that name it ----------

_READING_PROLOGUE = _PROLOGUE + "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
DOCUMENT_TEXT = (
    _READING_PROLOGUE
    + """SELECT ?text ?identifier ?received ?debate ?debateDate ?form WHERE {
  ?r aip:hasText/rdf:value ?text .
  OPTIONAL { ?r <http://purl.org/dc/terms/identifier> ?identifier }
  OPTIONAL { ?r aip:sourceForm ?form }
  OPTIONAL { ?r dcterms:dateSubmitted ?received }
  OPTIONAL { ?r aip:respondsTo ?debate OPTIONAL { ?debate dcterms:date ?debateDate } }
} LIMIT 1"""
)
DOCUMENT_PARTS = (
    _READING_PROLOGUE
    + """SELECT ?part ?type ?number ?start ?end ?body ?content ?url WHERE {
  ?part dcterms:isPartOf ?r ; a ?type ; aip:evidence/oa:hasSelector ?selector .
  ?selector oa:start ?start ; oa:end ?end .
  FILTER (?type IN (aip:Question, aip:Answer, aip:Mention, aip:Footnote, aip:Commitment))
  OPTIONAL { ?part aip:number ?number }
  OPTIONAL { ?part oa:hasBody ?body }
  OPTIONAL { ?part <https://schema.org/text> ?content }
  OPTIONAL { ?part <https://schema.org/url> ?url }
}"""
)
# The passage around each mention is cut in the query (PASSAGE_WINDOW characters each side),
# so a document's whole text is not sent once per mention. A document's date, as in the query
# library: when parliament received the answers, else the date of the debate they answer.
PASSAGE_WINDOW = 400
ENTITY_PASSAGES = (
    _READING_PROLOGUE
    + f"""SELECT ?mention ?document ?section ?start ?end ?from ?window ?date ?sectionStart
       ?sectionEnd WHERE {{
  ?mention oa:hasBody ?r ; dcterms:isPartOf ?document ;
           aip:evidence [ oa:hasSource/rdf:value ?text ; oa:hasSelector ?selector ] .
  ?selector oa:start ?start ; oa:end ?end .
  OPTIONAL {{ ?mention aip:inSection ?section .
             ?section aip:evidence/oa:hasSelector ?bounds .
             ?bounds oa:start ?sectionStart ; oa:end ?sectionEnd }}
  OPTIONAL {{ ?document dcterms:dateSubmitted ?received }}
  OPTIONAL {{ ?document aip:respondsTo/dcterms:date ?debateDate }}
  BIND (COALESCE(?received, ?debateDate) AS ?date)
  BIND (IF(?start > {PASSAGE_WINDOW}, ?start - {PASSAGE_WINDOW}, 0) AS ?from)
  BIND (SUBSTR(?text, ?from + 1, ?end - ?from + {PASSAGE_WINDOW}) AS ?window)
}}"""
)
TWEEDE_KAMER_NUMBER = re.compile(r"^\d{4}D\d+$")
OFFICIAL_PUBLICATION = re.compile(r"^(kst|ah-tk|ah-ek|h-tk|stb|stcrt|trb|blg)-[\w-]+$")


def official_publication(identifier: str, form: str = "") -> str:
    """Where the official publication of a document is: a Tweede Kamer document number names
    its page at the House; an officielebekendmakingen identifier is linked only when the
    document was read from there (its source form says so), since documents written in the
    form of an Aanhangsel (the fixtures, constructed answers) are not published there."""
    identifier = identifier.strip()
    if TWEEDE_KAMER_NUMBER.match(identifier):
        return f"https://www.tweedekamer.nl/kamerstukken/detail?id={identifier}&did={identifier}"
    if OFFICIAL_PUBLICATION.match(identifier) and form.startswith("officielebekendmakingen"):
        return f"https://zoek.officielebekendmakingen.nl/{identifier}.html"
    return ""


@dataclass
class Segment:
    text: str
    href: str = ""
    title: str = ""
    kind: str = "mention"


@dataclass
class Span:
    start: int
    end: int
    iri: str
    kind: str  # Question, Answer, Mention, Footnote, Commitment
    number: str = ""
    body: str = ""
    content: str = ""
    url: str = ""


BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")


def mark_mentions(text: str, start: int, end: int, mentions: list[Span], labels) -> list[Segment]:
    """The text of [start, end) cut into plain segments, linked mentions and footnote markers
    (``[footnoteRef:N]`` as a superscript link); footnote bodies are left out of the running
    text (the page lists them). Of spans that start together the longest is taken (a footnote
    before the marker and mentions inside it); spans overlapping one taken are skipped."""
    inline: list[tuple[int, int, Span | str]]  # a span, or the number of a footnote marker
    inline = [(m.start, m.end, m) for m in mentions if m.kind in ("Mention", "Footnote")]
    inline += [(r.start(), r.end(), r.group(1)) for r in FOOTNOTE_REF.finditer(text, start, end)]
    segments, at = [], start
    for s_start, s_end, item in sorted(inline, key=lambda i: (i[0], -i[1])):
        if s_start < at or s_end > end or s_start < start:
            continue
        if s_start > at:
            segments.append(Segment(text[at:s_start]))
        if isinstance(item, str):
            segments.append(Segment(item, f"#fn-{item}", kind="footnote-ref"))
        elif item.kind == "Mention":
            target = item.body or item.iri
            segments.append(
                Segment(text[s_start:s_end], local_href(target), labels.get(target, ""))
            )
        at = s_end
    if at < end:
        segments.append(Segment(text[at:end]))
    for segment in segments:  # a footnote left out leaves no gap of empty lines
        if not segment.href:
            segment.text = BLANK_LINES.sub("\n\n", segment.text)
    if segments and not segments[0].href:  # a section starts and ends with its words
        segments[0].text = segments[0].text.lstrip()
    if segments and not segments[-1].href:
        segments[-1].text = segments[-1].text.rstrip()
    return segments


def _worth_showing(text: str) -> bool:
    """Text between questions and answers, unless it is only a question's number."""
    return not re.fullmatch(r"[\s\d.]*(?:antwoord)?[\s\d.]*", text, re.IGNORECASE)


# A heading the page draws itself ("Vraag 3", "Antwoord 2 en 3", a bare number) at the end of
# the text before a question or answer.
HEADING_AT_END = re.compile(
    r"(?:\A|\n)[ \t]*(?:(?:vraag|antwoord)[ \t]*)?(?:\d+(?:[ \t]*(?:,|en|&)[ \t]*\d+)*)?"
    r"[ \t.:]*\s*\Z",
    re.IGNORECASE,
)


def _text_end(text: str, start: int, end: int) -> int:
    """Where the text before a question or answer ends, without the heading the section gets."""
    match = HEADING_AT_END.search(text, start, end)
    return match.start() if match else end


def document_sections(text: str, spans: list[Span], labels: dict[str, str]) -> list[dict]:
    """The document as a sequence of sections: the text between questions and answers, and each
    question and answer with its number, mentions highlighted and linked."""
    mentions = [s for s in spans if s.kind in ("Mention", "Footnote")]
    blocks = sorted((s for s in spans if s.kind in ("Question", "Answer")), key=lambda s: s.start)
    sections, at = [], 0
    for block in blocks:
        if block.start < at:
            continue
        end = _text_end(text, at, block.start)
        if _worth_showing(text[at:end]):
            sections.append({"kind": "text", "segments": mark_mentions(text, at, end, mentions,
                                                                       labels)})  # fmt: skip
        sections.append({
            "kind": block.kind.lower(), "number": block.number, "iri": block.iri,
            "href": local_href(block.iri),
            "segments": mark_mentions(text, block.start, block.end, mentions, labels),
        })  # fmt: skip
        at = block.end
    if _worth_showing(text[at:]):
        sections.append({"kind": "text", "segments": mark_mentions(text, at, len(text), mentions,
                                                                   labels)})  # fmt: skip
    return sections


def _value(binding: dict, name: str) -> str:
    return binding[name]["value"] if name in binding else ""


def spans_from(bindings: list[dict]) -> list[Span]:
    spans: dict[str, Span] = {}
    for b in bindings:
        iri = b["part"]["value"]
        kind = b["type"]["value"].rsplit("#", 1)[-1]
        spans.setdefault(
            iri,
            Span(
                int(b["start"]["value"]),
                int(b["end"]["value"]),
                iri,
                kind,
                _value(b, "number"),
                _value(b, "body"),
                _value(b, "content"),
                _value(b, "url") if linkable(_value(b, "url")) else "",  # a link target
            ),
        )
    return sorted(spans.values(), key=lambda s: (s.start, s.end))


def entity_passages(bindings: list[dict]) -> list[dict]:
    """Each passage that names the entity: the paragraph around the mention within its question
    or answer (the sentence when the paragraph is long), by date, document and position."""
    passages = []
    for b in bindings:
        start, end, origin = (int(b[k]["value"]) for k in ("start", "end", "from"))
        window = b["window"]["value"]
        low, high = 0, len(window)
        if "sectionStart" in b:
            low = max(0, int(b["sectionStart"]["value"]) - origin)
            high = min(len(window), int(b["sectionEnd"]["value"]) - origin)
        a, z = passage_bounds(window, start - origin, end - origin, low, high)
        item = {
            "before": ("…" if a > 0 or origin > 0 else "")
            + FOOTNOTE_REF.sub("", window[a : start - origin]),
            "span": window[start - origin : end - origin],
            "after": FOOTNOTE_REF.sub("", window[end - origin : z])
            + ("…" if z < len(window) else ""),
        }
        item.update(
            mention=b["mention"]["value"], document=b["document"]["value"],
            section=b.get("section", {}).get("value", ""), date=b.get("date", {}).get("value", ""),
            start=start,
        )  # fmt: skip
        passages.append(item)
    return sorted(passages, key=lambda p: (p["date"], p["document"], p["start"]))
