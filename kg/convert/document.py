"""The document model as RDF: one graph per source document.

Every extracted node carries ``aip:evidence``: an ``oa:SpecificResource`` whose source is the
document's text and whose selectors give code-point offsets and the exact quote.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, RDFS, XSD

from kg.convert.citations import cited_document, footnote_citation
from kg.convert.commitments import add_commitment_facts, add_fulfilments
from kg.extract.reference import LabelIndex
from kg.rdf.namespaces import (
    AIP,
    ID,
    OA,
    PREFIXES,
    SCHEMA,
    SPEAKER_POST,
    TWEEDE_KAMER,
    document_graph,
)
from kg.rdf.terms import iri_safe
from kg.sources import identifiers as ids
from kg.sources.document_id import document_id
from kg.sources.model import Document, Span

DUTCH = URIRef("http://publications.europa.eu/resource/authority/language/NLD")

QUOTE_CONTEXT = 32  # characters of prefix and suffix in a TextQuoteSelector
ANSWERS_WRITTEN_QUESTIONS = ID["concept/document-type-answers-written-questions"]
# The kind of document (what it holds) as its class, and as a concept of the document types.
KIND_CLASS = {
    "answers": AIP.AnswerDocument,
    "questions": AIP.QuestionsDocument,
    "notice": AIP.DelayNotice,
}
KIND_TYPE = {
    "questions": ID["concept/document-type-written-questions"],
    "notice": ID["concept/document-type-delay-notice"],
}
COMMITTEE_DEBATE_ANSWERS = ID["concept/document-type-written-answers-committee-debate"]


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


class DocumentGraphBuilder:
    """Builds the named graph of one document. Reference data is only read, never changed.

    Ownership: the graph states facts only about the document's own resources (IRIs under
    ``id/document/{identifier}``) and links from them to other entities. What the text says
    about an entity it does not own (the label and type of a person it names, the date of a
    debate, the dossier number of a cited Kamerstuk) is recorded as a claim: an
    ``rdf:Statement`` node of this document (``claim``). The build turns the claims of all
    documents into the one description in the minted graph (``kg.convert.minted``), where a
    curated description always wins.
    """

    def __init__(self, document: Document, index: LabelIndex, reference: Graph) -> None:
        self.doc = document
        self.index = index
        self.reference = reference
        self.g = new_graph()
        base = f"document/{document_id(document.identifier)}"  # never a dot segment or a slash
        self.document_iri = ID[base]
        self.text_iri = ID[f"{base}/text"]
        self.base = base

    @property
    def graph_name(self) -> URIRef:
        return document_graph(self.doc.identifier)

    def node(self, path: str) -> URIRef:
        return ID[f"{self.base}/{path}"]

    def claim(self, subject: URIRef, predicate: URIRef, value) -> None:
        """Record that this document says ``subject predicate value`` about an entity it does
        not own. The node is named by a digest of the triple, so a claim made twice is one."""
        triple = f"{subject.n3()} {predicate.n3()} {value.n3()}"
        digest = hashlib.sha256(triple.encode()).hexdigest()[:16]
        node = self.node(f"claim/{digest}")
        g = self.g
        g.add((node, RDF.type, RDF.Statement))
        g.add((node, RDF.subject, subject))
        g.add((node, RDF.predicate, predicate))
        g.add((node, RDF.object, value))
        g.add((node, DCTERMS.isPartOf, self.document_iri))

    def build(self) -> Graph:
        self._document()
        people = self._people()
        for question in self.doc.questions:
            self._question(question, people)
        for answer in self.doc.answers:
            self._answer(answer, people)
        self._own_words()
        self._footnotes()
        self._cross_references()
        self._commitments(people)
        self._mentions()
        self._parse_notes()
        return self.g

    # -- spans -------------------------------------------------------------------------------

    def evidence(self, subject: URIRef, span: Span) -> URIRef:
        """Attach the span a node was extracted from; returns the oa:SpecificResource."""
        g, text = self.g, self.doc.text
        target = URIRef(f"{subject}#span")
        position = URIRef(f"{subject}#position")
        quote = URIRef(f"{subject}#quote")
        g.add((subject, AIP.evidence, target))
        g.add((target, RDF.type, OA.SpecificResource))
        g.add((target, OA.hasSource, self.text_iri))
        g.add((target, OA.hasSelector, position))
        g.add((target, OA.hasSelector, quote))
        g.add((target, AIP.startLine, Literal(self.doc.line_of(span.start))))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
        g.add((position, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(text[span.start : span.end])))
        g.add((quote, OA.prefix, Literal(text[max(0, span.start - QUOTE_CONTEXT) : span.start])))
        g.add((quote, OA.suffix, Literal(text[span.end : span.end + QUOTE_CONTEXT])))
        return target

    # -- the document and its cover letter ---------------------------------------------------

    def _document(self) -> None:
        g, doc, letter = self.g, self.doc, self.doc.letter
        d = self.document_iri
        g.add((d, RDF.type, AIP.SourceDocument))
        g.add((d, RDF.type, KIND_CLASS[doc.kind]))
        g.add((d, DCTERMS.identifier, Literal(doc.identifier)))
        g.add((d, RDFS.label, Literal(self._document_label(), lang="nl")))
        g.add((d, DCTERMS.type, self._document_type()))
        g.add((d, DCTERMS.language, DUTCH))
        g.add((d, AIP.sourceFile, Literal(doc.path)))
        g.add((d, AIP.sourceForm, Literal(doc.form)))
        g.add((d, AIP.hasText, self.text_iri))
        g.add((self.text_iri, RDF.type, AIP.DocumentText))
        g.add((self.text_iri, RDFS.label, Literal(f"Tekst van {doc.identifier}", lang="nl")))
        g.add((self.text_iri, RDF.value, Literal(doc.text)))
        g.add((self.text_iri, AIP.sha256, Literal(doc.sha256, datatype=XSD.hexBinary)))
        g.add((self.text_iri, DCTERMS.format, Literal("text/plain; charset=utf-8")))
        if letter.addressee:
            # "Geachte Voorzitter" in a letter to parliament addresses the Speaker of the House.
            addressee = SPEAKER_POST if letter.addressee == "Voorzitter" else None
            addressee = addressee or self.entity(letter.addressee, ORG.Post)
            g.add((d, AIP.addressee, addressee))
        for post in letter.behalf or ([letter.on_behalf_of] if letter.on_behalf_of else []):
            g.add((d, AIP.onBehalfOf, self.entity(post, ORG.Post)))
        posts = [post for _, post in letter.signers] or (
            [letter.sender_post] if letter.sender_post else []
        )
        for post in posts:
            g.add((d, AIP.senderPost, self.entity(post, ORG.Post)))
        if letter.zaak:
            g.add((d, AIP.case, self._case(letter.zaak)))
        if letter.meeting:
            g.add((d, AIP.respondsTo, self._debate()))
        self._header_fields()

    def _document_type(self) -> URIRef:
        if self.doc.kind in KIND_TYPE:
            return KIND_TYPE[self.doc.kind]
        return COMMITTEE_DEBATE_ANSWERS if self.doc.form == "letter" else ANSWERS_WRITTEN_QUESTIONS

    def _case(self, zaak: str) -> URIRef:
        """The case (zaak) the document belongs to, described by claims (the documents of one
        case share it; none owns it)."""
        case = ID[f"zaak/{zaak}"]
        self.claim(case, RDF.type, AIP.Case)
        self.claim(case, DCTERMS.identifier, Literal(zaak))
        self.claim(case, RDFS.label, Literal(f"zaak {zaak}", lang="nl"))
        self.claim(case, RDFS.label, Literal(f"case {zaak}", lang="en"))
        return case

    def _header_fields(self) -> None:
        """The optional fields of an Aanhangsel header (none of them are set for a letter)."""
        g, d, letter = self.g, self.document_iri, self.doc.letter
        if letter.subject:
            g.add((d, DCTERMS.description, Literal(letter.subject, lang="nl")))
        # When the document reached its addressee: the answers or notice parliament, the
        # questions the government.
        submitted = letter.submitted if self.doc.kind == "questions" else letter.received
        if submitted:
            g.add((d, DCTERMS.dateSubmitted, Literal(submitted, datatype=XSD.date)))
        # From the publication's metadata.xml (DC.title, DCTERMS.issued), when it came with one.
        if letter.title:
            g.add((d, DCTERMS.title, Literal(letter.title, lang="nl")))
        if letter.issued:
            g.add((d, DCTERMS.issued, Literal(letter.issued, datatype=XSD.date)))
        if letter.question_number:
            g.add((d, AIP.questionNumber, Literal(letter.question_number)))
        for reference in letter.see_also:
            for identifier in ids.document_identifiers(reference):
                g.add((d, RDFS.seeAlso, self.cited_document(identifier)))

    def _document_label(self) -> str:
        letter = self.doc.letter
        parts = [self.doc.identifier]
        what = {"answers": "antwoorden op vragen", "questions": "vragen"}.get(
            self.doc.kind, "mededeling over vragen"
        )
        if len(letter.askers) > 1:
            names = ", ".join(f"{n} ({p})" if p else n for n, p in letter.askers)
            parts.append(f"{what} van de leden {names}")
        elif letter.member:
            asker = f"het lid {letter.member}" + (f" ({letter.party})" if letter.party else "")
            parts.append(f"{what} van {asker}")
        elif self.doc.kind != "answers":
            parts.append(what)
        if letter.meeting:
            when = f" van {letter.meeting_date.isoformat()}" if letter.meeting_date else ""
            parts.append(f"{letter.meeting}{when}")
        return ", ".join(parts)

    def _debate(self) -> URIRef:
        letter = self.doc.letter
        assert letter.meeting
        when = letter.meeting_date.isoformat() if letter.meeting_date else self.doc.identifier
        debate = ID[f"debate/{slug(letter.meeting)}-{when}"]
        self.claim(debate, RDF.type, AIP.CommitteeDebate)
        self.claim(debate, RDFS.label, Literal(letter.meeting, lang="nl"))
        if letter.meeting_date:
            self.claim(debate, DCTERMS.date, Literal(letter.meeting_date, datatype=XSD.date))
        return debate

    def _people(self) -> dict:
        letter, g = self.doc.letter, self.g
        sender = self.entity(letter.sender_name, FOAF.Person) if letter.sender_name else None
        for name, _ in letter.signers or ((letter.sender_name, None),):
            if name:
                g.add((self.document_iri, AIP.sender, self.entity(name, FOAF.Person)))
        askers = letter.askers or (((letter.member, letter.party),) if letter.member else ())
        members = []
        for name, party_name in askers:
            member = self.entity(name, FOAF.Person)
            members.append(member)
            if party_name:
                party = self.entity(party_name, ORG.Organization)
                if (member, ORG.memberOf, party) not in self.reference:
                    self.claim(member, ORG.memberOf, party)
        addressees = [self.entity(a, ORG.Post) for a in letter.question_addressees]
        return {"sender": sender, "members": members, "addressees": addressees}

    def entity(self, label: str, cls: URIRef) -> URIRef:
        """The curated entity with this label, or one minted from the label's slug (the same
        IRI whichever documents are loaded), described by claims of this document."""
        found = self.index.lookup(label)
        if found is not None:
            return found
        kind = {FOAF.Person: "person", ORG.Post: "post"}.get(cls, "organisation")
        iri = ID[f"{kind}/{slug(label)}"]
        self.claim(iri, RDF.type, cls)
        self.claim(iri, RDFS.label, Literal(label, lang="nl"))
        if cls != ORG.Post:
            # The names minted here are people's names and party names or abbreviations
            # ("Jansen", "NSC"): the same in English. A post ("Minister van ...") is Dutch
            # text and gets no English label until a curator gives it one.
            self.claim(iri, RDFS.label, Literal(label, lang="en"))
        return iri

    # -- questions, answers, footnotes, references, commitments, mentions --------------------

    def _question(self, question, people) -> None:
        g = self.g
        q = self.node(f"question/{question.number}")
        g.add((q, RDF.type, AIP.Question))
        g.add((q, RDFS.label, Literal(f"{self.doc.identifier} vraag {question.number}", lang="nl")))
        g.add((q, AIP.number, Literal(question.number)))
        g.add((q, SCHEMA.text, Literal(question.text, lang="nl")))
        g.add((q, DCTERMS.isPartOf, self.document_iri))
        for member in people["members"]:
            g.add((q, AIP.askedBy, member))
        for addressee in people["addressees"]:
            g.add((q, AIP.addressee, addressee))
        if self.doc.letter.submitted:
            g.add((q, DCTERMS.dateSubmitted, Literal(self.doc.letter.submitted, datatype=XSD.date)))
        if self.doc.letter.meeting:
            g.add((q, AIP.askedIn, self._debate()))
        self._combined(q, question)
        self._references(q, question.text)
        zaak = self.doc.letter.zaak
        if zaak and self.doc.kind != "questions":
            # The same question in the case's questions document, loaded or not.
            for number in question.covers:
                g.add((q, AIP.restates, ID[f"document/kv-tk-{zaak}/question/{number}"]))
        self.evidence(q, question.span)

    def _combined(self, node: URIRef, section) -> None:
        """A combined item ("Vraag 4 en 5") covers several numbers; aip:number is the first."""
        if len(section.covers) > 1:
            for number in section.covers:
                self.g.add((node, AIP.coversNumber, Literal(number)))

    def _references(self, node: URIRef, text: str) -> None:
        """Documents the running text of a question or answer names by identifier."""
        for identifier in ids.document_identifiers(text):
            self.g.add((node, DCTERMS.references, self.cited_document(identifier)))

    def question_node(self, number: int) -> URIRef:
        """The question that asks ``number`` (the first question of a combined one)."""
        for question in self.doc.questions:
            if number in question.covers:
                return self.node(f"question/{question.number}")
        return self.node(f"question/{number}")

    def _answer(self, answer, people) -> None:
        g = self.g
        a = self.node(f"answer/{answer.number}")
        g.add((a, RDF.type, AIP.Answer))
        g.add(
            (a, RDFS.label, Literal(f"{self.doc.identifier} antwoord {answer.number}", lang="nl"))
        )
        g.add((a, AIP.number, Literal(answer.number)))
        g.add((a, SCHEMA.text, Literal(answer.text, lang="nl")))
        for number in answer.covers:
            g.add((a, AIP.answers, self.question_node(number)))
        g.add((a, DCTERMS.isPartOf, self.document_iri))
        if people["sender"]:
            g.add((a, AIP.answeredBy, people["sender"]))
        self._combined(a, answer)
        self._references(a, answer.text)
        self.evidence(a, answer.span)

    def section(self, offset: int) -> URIRef | None:
        found = self.doc.section_at(offset)
        if found is None:
            return None
        return (
            self.node("statement")
            if found[0] == "statement"
            else self.node("/".join(map(str, found)))
        )

    def _own_words(self) -> None:
        """A notice's statement and the askers' explanation: text of the document that is no
        question or answer, each a node with its span."""
        parts = (
            (self.doc.statement, "statement", AIP.NoticeText, AIP.noticeText, "mededeling"),
            (self.doc.explanation, "explanation", AIP.Explanation, AIP.explanation, "toelichting"),
        )
        for section, path, cls, link, noun in parts:
            if section is None:
                continue
            node = self.node(path)
            self.g.add((node, RDF.type, cls))
            self.g.add((node, RDFS.label, Literal(f"{self.doc.identifier} {noun}", lang="nl")))
            self.g.add((node, SCHEMA.text, Literal(section.text, lang="nl")))
            self.g.add((node, DCTERMS.isPartOf, self.document_iri))
            self.g.add((self.document_iri, link, node))
            self.evidence(node, section.span)

    def _numbered_part(self, kind: str, number: int, cls: URIRef, noun: str) -> URIRef:
        """A numbered part of the document (footnote, commitment): typed, labelled in Dutch
        ("2026D32673 voetnoot 3"), numbered and part of the document."""
        node = self.node(f"{kind}/{number}")
        self.g.add((node, RDF.type, cls))
        label = Literal(f"{self.doc.identifier} {noun} {number}", lang="nl")
        self.g.add((node, RDFS.label, label))
        self.g.add((node, AIP.number, Literal(number)))
        self.g.add((node, DCTERMS.isPartOf, self.document_iri))
        return node

    def _footnotes(self) -> None:
        g = self.g
        for footnote in self.doc.footnotes:
            f = self._numbered_part("footnote", footnote.number, AIP.Footnote, "voetnoot")
            g.add((f, SCHEMA.text, Literal(footnote.text)))
            for url in footnote.urls:
                g.add((f, SCHEMA.url, URIRef(iri_safe(url))))
            section = self.section(footnote.marker.start)
            if section is not None:
                g.add((f, AIP.inSection, section))
            for identifier in ids.find_identifiers(footnote.text):
                cited = self._footnote_citation(identifier)
                if cited is not None:
                    g.add((f, AIP.cites, cited))
            self.evidence(f, footnote.span)

    def _footnote_citation(self, identifier: ids.Identifier) -> URIRef | None:
        return footnote_citation(self, identifier)

    def cited_document(self, identifier: ids.DocumentIdentifier) -> URIRef:
        return cited_document(self, identifier)

    def _cross_references(self) -> None:
        g = self.g
        for ref in self.doc.cross_references:
            if ref.document is not None:
                self._answer_elsewhere(ref)
                continue
            r = self.node(f"cross-reference/{ref.source_number}-{ref.target_number}")
            source = self.node(f"answer/{ref.source_number}")
            target = self.node(f"answer/{ref.target_number}")
            g.add((r, RDF.type, AIP.CrossReference))
            label = f"{self.doc.identifier} antwoord {ref.source_number} verwijst naar antwoord"
            g.add((r, RDFS.label, Literal(f"{label} {ref.target_number}", lang="nl")))
            g.add((r, AIP.fromAnswer, source))
            g.add((r, AIP.toAnswer, target))
            g.add((r, AIP.inSection, source))
            g.add((r, DCTERMS.isPartOf, self.document_iri))
            g.add((source, AIP.refersTo, target))
            self.evidence(r, ref.span)

    def _answer_elsewhere(self, ref) -> None:
        """'De beantwoording van vraag 9 in 2026D32673': a link to that document's answer (its
        IRI whether or not the document is loaded; this document says nothing about it) and to
        the document."""
        assert ref.document is not None
        (identifier, *_) = ids.document_identifiers(ref.document)
        cited = self.cited_document(identifier)
        source = self.node(f"answer/{ref.source_number}")
        self.g.add((source, AIP.citesAnswer, URIRef(f"{cited}/answer/{ref.target_number}")))
        self.g.add((source, DCTERMS.references, cited))

    def _commitments(self, people) -> None:
        g = self.g
        for commitment in self.doc.commitments:
            c = self._numbered_part("commitment", commitment.number, AIP.Commitment, "toezegging")
            g.add((c, SCHEMA.text, Literal(commitment.text, lang="nl")))
            g.add((c, AIP.addressee, TWEEDE_KAMER))
            post = self.doc.letter.sender_post
            actor = people["sender"] or (post and self.entity(post, ORG.Post))
            if actor:
                # Toezeggingen are registered on the minister who signs (the post where no name is
                # given), also when the sentence is passive ("zal uw Kamer worden geïnformeerd").
                g.add((c, AIP.committedBy, actor))
            if commitment.timing:
                g.add((c, AIP.timing, Literal(commitment.timing, lang="nl")))
            section = self.section(commitment.span.start)
            if section is not None:
                g.add((c, AIP.inSection, section))
            add_commitment_facts(self, c, commitment)  # dates, post, co-owners, topics
            self.evidence(c, commitment.span)
        add_fulfilments(self)

    def _mentions(self) -> None:
        g = self.g
        for mention in self.doc.mentions:
            m = self.node(f"mention/{mention.span.start}-{mention.span.end}")
            g.add((m, RDF.type, AIP.Mention))
            g.add((m, RDF.type, OA.Annotation))
            g.add((m, OA.motivatedBy, OA.identifying))
            g.add((m, OA.hasBody, mention.entity))
            g.add((m, DCTERMS.isPartOf, self.document_iri))
            target = self.evidence(m, mention.span)
            g.add((m, OA.hasTarget, target))
            section = self.section(mention.span.start)
            if section is not None:
                g.add((m, AIP.inSection, section))
                g.add((section, AIP.mentions, mention.entity))

    def _parse_notes(self) -> None:
        """Anomalies the parser accepted, each a Web Annotation commenting on its span."""
        g = self.g
        for number, note in enumerate(self.doc.notes, start=1):
            n = self.node(f"parse-note/{number}")
            g.add((self.document_iri, AIP.parseNote, n))
            g.add((n, RDF.type, AIP.ParseNote))
            g.add((n, RDF.type, OA.Annotation))
            g.add((n, OA.motivatedBy, OA.commenting))
            label = f"{self.doc.identifier} verwerkingsnotitie {number}"
            g.add((n, RDFS.label, Literal(label, lang="nl")))
            g.add((n, AIP.noteKind, Literal(note.kind)))
            g.add((n, OA.bodyValue, Literal(note.message, lang="en")))
            g.add((n, DCTERMS.isPartOf, self.document_iri))
            g.add((n, OA.hasTarget, self.evidence(n, note.span)))


def document_to_graph(document: Document, index: LabelIndex, reference: Graph) -> Graph:
    return DocumentGraphBuilder(document, index, reference).build()
