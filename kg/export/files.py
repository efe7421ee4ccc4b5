"""What each exported file is, for its distribution in the catalogue: media type, EU file
type, Dutch and English title and description, the standard it conforms to; and its size and
SHA-256 once written."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from kg.export.csvw import METADATA_FILE
from kg.export.tables import TABLES, Table
from kg.rdf.namespaces import ONTOLOGY_IRI


@dataclass(frozen=True)
class FileKind:
    """How one exported file is described: formats, and what it holds."""

    media_type: str  # IANA, e.g. "text/turtle"
    file_type: str  # EU file-type code, e.g. "RDF_TURTLE"
    title_nl: str
    title_en: str
    description_nl: str
    description_en: str
    conforms_to: str | None = str(ONTOLOGY_IRI)
    compress_format: str | None = None  # IANA media type of the compression


_WHOLE_NL = (
    "De hele dataset met de named graphs (per brondocument, referentiedata, ontologie, build)"
)
_WHOLE_EN = "The whole dataset with its named graphs (one per source document, reference data, ontology, build)"
_UNION_NL = "De hele dataset als één graaf (de vereniging van alle named graphs)"
_UNION_EN = "The whole dataset as one graph (the union of all named graphs)"
FILE_KINDS: dict[str, FileKind] = {
    "dataset.trig": FileKind(
        "application/trig", "RDF_TRIG", "Dataset met named graphs (TriG)",
        "Dataset with named graphs (TriG)", f"{_WHOLE_NL}, in TriG.", f"{_WHOLE_EN}, in TriG.",
    ),
    "dataset.nq.gz": FileKind(
        "application/n-quads", "RDF_N_QUADS", "Dataset met named graphs (N-Quads, gzip)",
        "Dataset with named graphs (N-Quads, gzip)", f"{_WHOLE_NL}, in N-Quads, gzip-gecomprimeerd.",
        f"{_WHOLE_EN}, in N-Quads, gzip-compressed.", compress_format="application/gzip",
    ),
    "dataset.ttl": FileKind(
        "text/turtle", "RDF_TURTLE", "Samengevoegde graaf (Turtle)", "Union graph (Turtle)",
        f"{_UNION_NL}, in Turtle.", f"{_UNION_EN}, in Turtle.",
    ),
    "dataset.jsonld": FileKind(
        "application/ld+json", "JSON_LD", "Samengevoegde graaf (JSON-LD)", "Union graph (JSON-LD)",
        f"{_UNION_NL}, in JSON-LD.", f"{_UNION_EN}, in JSON-LD.",
    ),
    "dataset.rdf": FileKind(
        "application/rdf+xml", "RDF_XML", "Samengevoegde graaf (RDF/XML)", "Union graph (RDF/XML)",
        f"{_UNION_NL}, in RDF/XML.", f"{_UNION_EN}, in RDF/XML.",
    ),
    "void.ttl": FileKind(
        "text/turtle", "RDF_TURTLE", "VoID-beschrijving", "VoID description",
        "Statistieken van de dataset (triples, klassen, eigenschappen, graphs) en de linksets "
        "naar EUR-Lex, Wikidata, TOOI en andere datasets, in VoID.",
        "Statistics of the dataset (triples, classes, properties, graphs) and the linksets to "
        "EUR-Lex, Wikidata, TOOI and other datasets, in VoID.",
        conforms_to="http://www.w3.org/TR/void/",
    ),
    "ontology.ttl": FileKind(
        "text/turtle", "RDF_TURTLE", "Ontologie (Turtle)", "Ontology (Turtle)",
        "De OWL-ontologie en SKOS-begrippenlijsten waarmee de dataset is beschreven.",
        "The OWL ontology and SKOS concept schemes the dataset is described with.",
        conforms_to="http://www.w3.org/TR/owl2-overview/",
    ),
    "ontology.html": FileKind(
        "text/html", "HTML", "Documentatie van de ontologie", "Ontology documentation",
        "Leesbare documentatie van de ontologie: klassen, eigenschappen en begrippen.",
        "Human-readable documentation of the ontology: classes, properties and concepts.",
        conforms_to="https://html.spec.whatwg.org/multipage/",
    ),
    METADATA_FILE: FileKind(
        "application/csvm+json", "JSON", "Beschrijving van de CSV-tabellen (CSVW)",
        "Description of the CSV tables (CSVW)",
        "CSV on the Web-metadata van alle CSV-tabellen: kolommen, titels, datatypen en "
        "IRI-sjablonen.",
        "CSV on the Web metadata of every CSV table: columns, titles, datatypes and IRI "
        "templates.",
        conforms_to="https://www.w3.org/TR/tabular-metadata/",
    ),
}  # fmt: skip
CSV_STANDARD = "https://www.rfc-editor.org/rfc/rfc4180"
TABLES_BY_FILE = {t.filename: t for t in TABLES}


def file_kind(filename: str) -> FileKind:
    if filename in FILE_KINDS:
        return FILE_KINDS[filename]
    table = TABLES_BY_FILE.get(filename)
    if table is not None:
        return csv_kind(table)
    raise ValueError(f"no description for exported file {filename}")


def csv_kind(table: Table) -> FileKind:
    return FileKind(
        "text/csv", "CSV", f"{table.title_nl} (CSV)", f"{table.title_en} (CSV)",
        f"{table.description_nl} Kolommen beschreven in {METADATA_FILE}.",
        f"{table.description_en} Columns described in {METADATA_FILE}.",
        CSV_STANDARD,
    )  # fmt: skip


@dataclass(frozen=True)
class ExportedFile:
    filename: str
    byte_size: int
    sha256: str
    kind: FileKind

    @classmethod
    def from_path(cls, path: Path) -> ExportedFile:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        return cls(path.name, path.stat().st_size, digest.hexdigest(), file_kind(path.name))


__all__ = ["CSV_STANDARD", "FILE_KINDS", "ExportedFile", "FileKind", "csv_kind", "file_kind"]
