"""Stances: the cabinet's position in each answer towards what its question proposes.

Two sources, curated winning over rules:

- curated stances in ``data/reference/stances/*.ttl``: an ``aip:Stance`` with ``aip:towards``
  (the question), ``oa:hasBody`` (a concept of ``scheme:stance``) and the evidence as an
  ``oa:TextQuoteSelector`` with only ``oa:exact``, which is resolved here to offsets in the answer;
- rules (``RULES``) that propose a stance from the answer's wording, each named, so that every
  machine-made stance says which rule made it.

Here stances are found; ``kg.convert.stance_annotations`` writes each as an ``oa:Annotation`` (motivated by
``oa:assessing``) with ``aip:evidence`` like every other extracted fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from kg.errors import ReferenceDataError
from kg.extract.mentions import sentences
from kg.extract.reference import load_turtle_files
from kg.rdf.namespaces import AIP, CONCEPT, ID, OA
from kg.sources.model import Document, Section, Span

STANCE_SCHEME = ID["scheme/stance"]
CURATED = ID["concept/origin-curated"]
MACHINE = ID["concept/origin-machine"]


@dataclass(frozen=True)
class StanceRule:
    name: str
    stance: str  # local name of a concept in scheme:stance
    pattern: re.Pattern[str]
    label: str  # what the rule looks for, in Dutch as the sources are

    @property
    def iri(self) -> URIRef:
        return ID[f"rule/stance/{self.name}"]


def _rule(name: str, stance: str, pattern: str, label: str) -> StanceRule:
    return StanceRule(name, stance, re.compile(pattern, re.IGNORECASE), label)


# Order matters only for ties at the same position; the earliest match in an answer wins, as the
# position is usually taken at the start of an answer.
RULES: tuple[StanceRule, ...] = (
    _rule(
        "whole-answer-refers",
        "stance-refers",
        r"\A\s*Zie (?:de beantwoording van|het antwoord op) vraag \d+\.?\s*\Z",
        "het hele antwoord is 'Zie de beantwoording van vraag N'",
    ),
    _rule("opens-with-ja", "stance-agrees", r"\A\s*Ja\b[.,!]", "het antwoord begint met 'Ja.'"),
    _rule("opens-with-nee", "stance-rejects", r"\A\s*Nee\b[.,!]", "het antwoord begint met 'Nee.'"),
    _rule(
        "not-desirable",
        "stance-rejects",
        r"\b(?:acht(?:en)?|vind(?:t|en)?)\s+(?:het kabinet\s+|ik\s+)?het\s+niet\s+wenselijk\b",
        "'acht het kabinet het niet wenselijk'",
    ),
    _rule(
        "no-need",
        "stance-rejects",
        r"\bzie(?:t|n)?\s+(?:het kabinet\s+|ik\s+)?geen\s+(?:noodzaak|aanleiding|reden)\b",
        "'ziet geen noodzaak / aanleiding'",
    ),
    _rule(
        "not-willing",
        "stance-rejects",
        r"\b(?:(?:ben|is|zijn)\s+(?:ik|het kabinet)|ik\s+ben|het\s+kabinet\s+is)\s+niet\s+bereid\b",
        "'is het kabinet niet bereid'",
    ),
    _rule(
        "willing",
        "stance-agrees",
        r"\b(?:(?:ben|is|zijn)\s+(?:ik|het kabinet)|ik\s+ben|het\s+kabinet\s+is)\s+(?:graag\s+)?bereid\b",
        "'ben ik bereid'",
    ),
    _rule(
        "positive-towards",
        "stance-agrees",
        r"\b(?:sta|staat|staan)\s+(?:\w+\s+)?positief\s+tegenover\b",
        "'sta positief tegenover'",
    ),
    _rule(
        "shares-view",
        "stance-agrees",
        r"\b(?:deel|deelt|delen)\s+(?:ik|het kabinet)\b|\b(?:ik|het kabinet)\s+(?:deel|deelt)\b",
        "'deelt het kabinet'",
    ),
    _rule(
        "reserved",
        "stance-reserved",
        r"\bterughoudend(?:e)?\b",
        "'terughoudend(e inzet)'",
    ),
)


@dataclass(frozen=True)
class ProposedStance:
    answer: int
    stance: str
    span: Span
    rule: StanceRule | None = None  # None: curated
    note: str | None = None
    source_file: str | None = None


def propose(document: Document, answer: Section) -> ProposedStance | None:
    """The stance the rules find in one answer: the earliest match; its sentence is evidence."""
    best: tuple[int, int, StanceRule, re.Match[str]] | None = None
    body = document.text[answer.span.start : answer.span.end]
    for order, rule in enumerate(RULES):
        match = rule.pattern.search(body)
        if match and (best is None or (match.start(), order) < best[:2]):
            best = (match.start(), order, rule, match)
    if best is None:
        return None
    _, _, rule, match = best
    start = answer.span.start + match.start()
    sentence = next(
        (s for s in sentences(document.text, answer.span.start, answer.span.end) if s.end > start),
        Span(start, answer.span.start + match.end()),
    )
    return ProposedStance(answer.number, rule.stance, sentence, rule)


# -- curated stances ------------------------------------------------------------------------


def curated_files(data_dir: Path) -> list[Path]:
    folder = data_dir / "reference" / "stances"
    return sorted(folder.glob("*.ttl")) if folder.is_dir() else []


def load_curated(data_dir: Path) -> dict[Path, Graph]:
    return {path: load_turtle_files([path]) for path in curated_files(data_dir)}


def curated_stances(
    document: Document, curated: dict[Path, Graph], schemes: Graph
) -> dict[int, ProposedStance]:
    """The curated stances about this document's questions, their quotes resolved to spans."""
    base = str(ID[f"document/{document.identifier}/question/"])
    answers = {a.number: a for a in document.answers}
    found: dict[int, ProposedStance] = {}
    for path, graph in curated.items():
        for node in graph.subjects(RDF.type, AIP.Stance):
            question = graph.value(node, AIP.towards)
            if not isinstance(question, URIRef):
                raise ReferenceDataError(f"{path}: a stance has no aip:towards <question IRI>")
            if not str(question).startswith(base):
                continue  # about another document
            where = f"{path}: stance towards <{question}>"
            number = str(question)[len(base) :]
            if not number.isdigit() or int(number) not in answers:
                raise ReferenceDataError(f"{where}: {document.identifier} has no such answer")
            body = graph.value(node, OA.hasBody)
            if (body, SKOS.inScheme, STANCE_SCHEME) not in schemes:
                raise ReferenceDataError(
                    f"{where}: oa:hasBody {body} is not a concept of scheme:stance"
                )
            if int(number) in found:
                raise ReferenceDataError(f"{where}: a second curated stance for this question")
            answer = answers[int(number)]
            # Graph.value with a path, as objects() takes one (value's annotations do not)
            exact = next(graph.objects(node, OA.hasTarget / OA.hasSelector / OA.exact), None)
            span = _resolve_quote(document, answer, str(exact or ""), where)
            note = graph.value(node, SKOS.editorialNote)
            found[answer.number] = ProposedStance(
                answer.number,
                str(body)[len(str(CONCEPT)) :],
                span,
                note=str(note) if note else None,
                source_file=_relative(path),
            )
    return found


def _resolve_quote(document: Document, answer: Section, exact: str, where: str) -> Span:
    if not exact:
        raise ReferenceDataError(f"{where}: no oa:hasTarget/oa:hasSelector/oa:exact quote")
    text, start, end = document.text, answer.span.start, answer.span.end
    first = text.find(exact, start, end)
    if first < 0:
        raise ReferenceDataError(
            f"{where}: quote {exact[:60]!r} is not in the text of answer {answer.number}"
        )
    if text.find(exact, first + 1, end) >= 0:
        raise ReferenceDataError(
            f"{where}: quote {exact[:60]!r} occurs more than once in answer {answer.number}; "
            "quote more of the sentence"
        )
    return Span(first, first + len(exact))


def _relative(path: Path) -> str:
    from kg.project import published_path

    return published_path(path)


def stances_for(
    document: Document, curated: dict[Path, Graph], schemes: Graph
) -> list[ProposedStance]:
    """One stance per answer at most: the curated one if there is one, else the rules'."""
    chosen = curated_stances(document, curated, schemes)
    for answer in document.answers:
        if answer.number not in chosen:
            proposed = propose(document, answer)
            if proposed is not None:
                chosen[answer.number] = proposed
    return [chosen[n] for n in sorted(chosen)]
