"""Curation that scales: uncurated names ranked over the whole corpus, and a stub block for one
of them written into the right reference file, for a curator to complete.

A stub holds what the sources give (the name as label, the passages it comes from) and says
what is still to check. It has no source and no status yet, so the recommendation shapes
(``shapes:CuratedInstrumentRecommendations``, ``...OrganisationRecommendations``) flag it until a
curator adds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from kg.convert.document import slug
from kg.errors import ReferenceDataError, UsageError
from kg.extract.candidates import RankedCandidate, rank_candidates
from kg.extract.reference import load_turtle_files
from kg.pipeline.corpus import candidates_in
from kg.pipeline.inputs import load_inputs
from kg.project import reference_dir
from kg.rdf.namespaces import CONCEPT, ID


@dataclass(frozen=True)
class StubKind:
    filename: str  # in data/reference/
    prefix: str  # the Turtle prefix of the entities in that file
    cls: str  # the class, as a prefixed name the file declares
    level: str | None = None  # an instrument's level of government (the shapes require one)


STUB_KINDS = {
    "organisation": StubKind("organisations-landscape.ttl", "organisation", "org:Organization"),
    "instrument": StubKind(
        "instruments-landscape.ttl", "instrument", "aip:NationalInstrument", "level-national"
    ),
    "eu": StubKind("eu-landscape.ttl", "eu", "aip:EUInitiative", "level-eu"),
}
INSTRUMENT_TYPE_SCHEME = ID["scheme/instrument-type"]


@dataclass(frozen=True)
class Stub:
    path: Path
    iri: URIRef
    candidate: RankedCandidate | None


def ranked_candidates(data_dir: Path, ontology_dir: Path) -> list[RankedCandidate]:
    """``kg candidates``: uncurated names over every source document, most frequent first."""
    return rank_candidates(candidates_in(data_dir, ontology_dir))


def instrument_types(ontology: Graph) -> list[str]:
    """The local names of the instrument-type concepts (``--type`` of an instrument stub)."""
    concepts = ontology.subjects(SKOS.inScheme, INSTRUMENT_TYPE_SCHEME)
    return sorted(str(c)[len(str(CONCEPT)) :] for c in concepts if str(c).startswith(str(CONCEPT)))


def write_stub(
    name: str, kind: str, data_dir: Path, ontology_dir: Path, instrument_type: str | None = None
) -> Stub:
    """Append a stub block for ``name`` to the reference file of its kind; refuse a name that
    is already curated or an IRI that is taken, and leave the file as it was if the result
    would not load. An instrument needs its type (the shapes require one)."""
    stub_kind = STUB_KINDS[kind]
    name = " ".join(name.split())
    inputs = load_inputs(data_dir, ontology_dir)
    if stub_kind.level is not None:
        known = instrument_types(inputs.ontology)
        if instrument_type and not instrument_type.startswith("instrument-type-"):
            instrument_type = f"instrument-type-{instrument_type}"
        if instrument_type not in known:
            raise UsageError(
                f"--type {instrument_type or '(missing)'}: an instrument stub needs its type, "
                f"one of: {', '.join(t.removeprefix('instrument-type-') for t in known)}"
            )
    if inputs.index.lookup(name) is not None:
        raise ReferenceDataError(f"{name!r} is already a label of <{inputs.index.lookup(name)}>")
    local = slug(name)
    iri = ID[f"{stub_kind.prefix}/{local}"]
    if not local or (iri, None, None) in inputs.reference:
        raise ReferenceDataError(f"<{iri}> is already curated; choose another name")
    path = reference_dir(data_dir) / stub_kind.filename
    candidate = next((c for c in ranked_candidates(data_dir, ontology_dir) if c.name == name), None)
    block = stub_block(name, f"{stub_kind.prefix}:{local}", stub_kind, candidate, instrument_type)
    _append_checked(path, block)
    return Stub(path, iri, candidate)


def stub_block(
    name: str,
    subject: str,
    kind: StubKind,
    candidate: RankedCandidate | None,
    instrument_type: str | None = None,
) -> str:
    literal = _turtle_string(name)
    lines = [
        f"{subject}",
        f"    a {kind.cls} ;",
        f"    rdfs:label {literal}@nl, {literal}@en ;",
        f"    skos:prefLabel {literal}@nl, {literal}@en ;",
    ]
    if kind.level is not None:
        lines.append(f"    aip:instrumentType concept:{instrument_type} ;")
        lines.append(f"    aip:governanceLevel concept:{kind.level} ;")
    found = candidate.passages if candidate else []
    for passage in found:
        lines.append(f"    skos:editorialNote {_turtle_string('Found in ' + passage)}@en ;")
    lines.append(
        "    skos:editorialNote "
        + _turtle_string(
            "TODO (stub written by kg candidates --stub): check the English name, the type, "
            "the level, the responsible organisation, the status with its date "
            "(aip:status / aip:organisationStatus, aip:statusDate) and add dcterms:source "
            "<official publication>; remove this note when done."
        )
        + "@en ."
    )
    return "\n".join(lines) + "\n"


def _turtle_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def _append_checked(path: Path, block: str) -> None:
    before = path.read_text(encoding="utf-8")
    path.write_text(before.rstrip("\n") + "\n\n" + block, encoding="utf-8")
    try:
        load_turtle_files([path])
    except ReferenceDataError:
        path.write_text(before, encoding="utf-8")
        raise


__all__ = ["STUB_KINDS", "Stub", "ranked_candidates", "stub_block", "write_stub"]
