"""CSV tables for people who do not use RDF: one SELECT query each (kg/export/table_queries/), written
as RFC 4180 CSV (UTF-8, header row, CRLF line ends), IRIs in full.

Beside every IRI column the export adds its label: ``{column}_label`` in Dutch, the export's
main language, and ``{column}_label_en`` where the things in that column have English labels.
The labels are looked up once per table for all IRIs in it, so every IRI column gets one by
construction, not by each query remembering to ask. Likewise every table with a ``document``
column gets what a reader needs to place a row: the document's date, who signed it and in which
post (``DOCUMENT_CONTEXT``), each with its labels. ``csv-metadata.json`` (kg.export.csvw)
describes the same columns for CSVW tools.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.query.library import NamedQuery, parse_query_file, run, select_rows

EXPORT_QUERIES = Path(__file__).resolve().parent / "table_queries"
MAIN_LANGUAGE = "nl"
LABEL_PROPERTIES = (  # in order of preference
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
)
LABEL_BATCH = 500  # IRIs per label query


@dataclass(frozen=True)
class Column:
    """One column a query selects. An IRI column gets label columns after it."""

    name: str
    title_nl: str
    title_en: str
    datatype: str = "string"  # a CSVW built-in datatype
    iri: bool = False
    english: bool = False  # the things in this IRI column have English labels
    lang: str | None = None  # the language of a text column
    separator: str | None = None  # a cell holds several values (IRIs) separated by this


@dataclass(frozen=True)
class OutputColumn:
    """A column of the CSV file: a query column or a label column beside an IRI column."""

    name: str
    title_nl: str
    title_en: str
    datatype: str
    value_url: str | None = None  # CSVW valueUrl template for IRI columns
    lang: str | None = None
    source: str | None = None  # for a label column: the IRI column it labels
    separator: str | None = None  # CSVW separator of a cell with several values


@dataclass(frozen=True)
class Table:
    filename: str
    title_nl: str
    title_en: str
    description_nl: str
    description_en: str
    columns: tuple[Column, ...]
    about: str | None = None  # the IRI column each row describes

    @property
    def query(self) -> Path:
        return EXPORT_QUERIES / self.filename.replace(".csv", ".rq")

    def all_columns(self) -> tuple[Column, ...]:
        """The query's columns, with the document's context after a ``document`` column."""
        out: list[Column] = []
        for c in self.columns:
            out.append(c)
            if c.name == "document":
                out.extend(DOCUMENT_CONTEXT)
        return tuple(out)

    def output_columns(self) -> list[OutputColumn]:
        out = []
        for c in self.all_columns():
            if not c.iri:
                out.append(OutputColumn(c.name, c.title_nl, c.title_en, c.datatype, lang=c.lang))
                continue
            out.append(OutputColumn(c.name, c.title_nl, c.title_en, "anyURI", f"{{+{c.name}}}",
                                    separator=c.separator))  # fmt: skip
            out.append(_label_column(c, "_label", "naam", "name", MAIN_LANGUAGE))
            if c.english:
                out.append(_label_column(c, "_label_en", "Engelse naam", "English name", "en"))
        return out


def _label_column(column: Column, suffix: str, nl: str, en: str, lang: str) -> OutputColumn:
    return OutputColumn(
        column.name + suffix,
        f"{column.title_nl} ({nl})",
        f"{column.title_en} ({en})",
        "string",
        lang=lang,
        source=column.name,
        separator=column.separator,
    )


def _iri(name: str, nl: str, en: str, english: bool = True, separator: str | None = None) -> Column:
    return Column(name, nl, en, iri=True, english=english, separator=separator)


SEVERAL = " | "  # between the IRIs (and their labels) of a cell with several


_DOCUMENT = _iri("document", "Brondocument", "Source document", english=False)
# Beside every document column: when, by whom and in which post (kg.export.tables docstring).
DOCUMENT_CONTEXT = (
    Column("document_date", "Datum document", "Document date", "date"),
    _iri("signed_by", "Ondertekend door", "Signed by"),
    _iri("signed_as", "Functie ondertekenaar", "Post of the signatory"),
)
# The date a document states for itself: the answers' date where it gives one (received,
# issued), else the latest date it names for its parts or the debate it answers; who signed it
# and the post they signed in (aip:sender, aip:senderPost). One row per document.
DOCUMENT_CONTEXT_QUERY = """PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?document (MAX(?own) AS ?own_date) (MAX(?named) AS ?named_date)
       (SAMPLE(?who) AS ?sender) (SAMPLE(?post) AS ?sender_post) WHERE {
  VALUES ?document { #DOCUMENTS }
  ?document a aip:SourceDocument .
  OPTIONAL { ?document dcterms:issued|dcterms:date|dcterms:created ?own
             FILTER (datatype(?own) = xsd:date) }
  OPTIONAL { { ?part dcterms:isPartOf ?document } UNION { ?document aip:respondsTo ?part }
             ?part dcterms:date|dcterms:dateSubmitted|dcterms:issued|dcterms:created ?named
             FILTER (datatype(?named) = xsd:date) }
  OPTIONAL { ?document aip:sender ?who }
  OPTIONAL { ?document aip:senderPost ?post }
} GROUP BY ?document"""
_NUMBER = Column("number", "Nummer", "Number", "integer")
_TYPE = _iri("type", "Soort", "Type")
_STATUS = _iri("status", "Status", "Status")
_RESPONSIBLE = _iri("responsible", "Verantwoordelijke organisatie", "Responsible organisation")

TABLES = (
    Table(
        "instruments.csv", "Beleidsinstrumenten", "Policy instruments",
        "Alle beleidsinstrumenten, nationaal en van de EU, met soort, bestuurslaag, "
        "verantwoordelijke organisatie en budget.",
        "Every policy instrument, national and EU, with its type, level of government, "
        "responsible organisation and budget.",
        (_iri("instrument", "Instrument", "Instrument"), _iri("class", "Klasse", "Class"), _TYPE,
         _iri("level", "Bestuurslaag", "Level of government"), _RESPONSIBLE,
         Column("amount_min", "Budget minimaal", "Budget minimum", "decimal"),
         Column("amount_max", "Budget maximaal", "Budget maximum", "decimal"),
         Column("currency", "Valuta", "Currency")),
        about="instrument",
    ),
    Table(
        "eu-initiatives.csv", "EU-initiatieven", "EU initiatives",
        "Alle EU-initiatieven (pakketten, programma's, actieplannen, strategieën, regels en "
        "voorstellen) met soort, status, het initiatief waar ze deel van zijn en de "
        "verantwoordelijke organisatie.",
        "Every EU initiative (packages, programmes, action plans, strategies, rules and "
        "proposals) with its type, status, the initiative it is part of and the responsible "
        "organisation.",
        (_iri("initiative", "Initiatief", "Initiative"), _TYPE, _STATUS,
         _iri("part_of", "Onderdeel van", "Part of"), _RESPONSIBLE),
        about="initiative",
    ),
    Table(
        "eu-packages.csv", "EU-pakketten", "EU packages",
        "Alleen de EU-pakketten (EU-initiatieven van de soort pakket), met status en "
        "verantwoordelijke organisatie; hun onderdelen staan in eu-initiatives.csv.",
        "The EU packages only (EU initiatives of type package), with status and responsible "
        "organisation; their parts are in eu-initiatives.csv.",
        (_iri("package", "Pakket", "Package"), _STATUS, _RESPONSIBLE),
        about="package",
    ),
    Table(
        "organisations.csv", "Organisaties", "Organisations",
        "Alle organisaties met hun andere namen en de organisatie waar ze onder vallen.",
        "Every organisation with its other names and the organisation it is part of.",
        (_iri("organisation", "Organisatie", "Organisation"),
         Column("alt_labels", "Andere namen", "Other names"),
         _iri("sub_organization_of", "Onderdeel van", "Part of")),
        about="organisation",
    ),
    Table(
        "questions-and-answers.csv", "Vragen en antwoorden", "Questions and answers",
        "Elke vraag van elk brondocument met het antwoord erop, één rij per vraag.",
        "Every question of every source document with its answer, one row per question.",
        (_DOCUMENT, _NUMBER, Column("question", "Vraag", "Question", lang="nl"),
         Column("answer", "Antwoord", "Answer", lang="nl")),
    ),
    Table(
        "mentions.csv", "Vermeldingen", "Mentions",
        "Elke vermelding van een gecureerde entiteit, met het exacte citaat en de positie "
        "(code points) in de tekst van het document.",
        "Every mention of a curated entity, with the exact quote and its position (code "
        "points) in the document text.",
        (_DOCUMENT, _NUMBER, _iri("entity", "Entiteit", "Entity"),
         Column("kind", "Soort entiteit", "Kind of entity"),
         Column("exact", "Citaat", "Quote", lang="nl"),
         Column("start", "Begin", "Start", "integer"), Column("end", "Einde", "End", "integer")),
    ),
    Table(
        "commitments.csv", "Toezeggingen", "Commitments",
        "Elke toezegging aan de Kamer: het antwoord waarin ze staat, de tekst en de termijn zoals "
        "geschreven, de termijn als data, de stand op de datum van de build (open, binnenkort "
        "verlopen, te laat, nagekomen), wie haar deed in welk ambt van welk ministerie en mede "
        "namens wie, en waarover ze gaat.",
        "Every commitment to inform parliament (toezegging): the answer it stands in, its text "
        "and timing as written, its deadline as dates, its status on the build's date (open, due "
        "soon, overdue, fulfilled), who made it in which post of which ministry and on whose "
        "behalf too, and what it concerns.",
        (_iri("commitment", "Toezegging", "Commitment", english=False), _DOCUMENT, _NUMBER,
         Column("text", "Tekst", "Text", lang="nl"),
         Column("timing", "Termijn", "Timing", lang="nl"),
         _iri("timing_kind", "Soort termijn", "Timing kind"),
         Column("due_after", "Termijn vanaf", "Due after", "date"),
         Column("due_by", "Uiterste datum", "Due by", "date"),
         _iri("status", "Stand", "Status"),
         Column("status_date", "Stand op", "Status as of", "date"),
         Column("fulfilled_on", "Nagekomen op", "Fulfilled on", "date"),
         _iri("committer", "Toegezegd door", "Committed by"),
         _iri("post", "Ambt", "Post", english=True),
         _iri("ministry", "Ministerie", "Ministry"),
         _iri("also_for", "Mede namens", "Also on behalf of", separator=SEVERAL),
         _iri("topics", "Onderwerpen", "Topics", separator=SEVERAL)),
        about="commitment",
    ),
)  # fmt: skip


def table_query(table: Table) -> NamedQuery:
    return parse_query_file(table.query)


def table_rows(store, table: Table) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of one table: the query's columns with labels beside IRIs."""
    variables, rows = select_rows(run(store, table_query(table)))
    expected = [c.name for c in table.columns]
    if variables != expected:  # the query and its description in TABLES must agree
        raise ValueError(f"{table.query}: selects {variables}, TABLES says {expected}")
    rows = _with_document_context(store, table, rows)
    columns = table.all_columns()
    iri_columns = [i for i, c in enumerate(columns) if c.iri]
    iris = {iri for row in rows for i in iri_columns for iri in _iris(columns[i], row[i])}
    labels = fetch_labels(store, iris)
    out_rows = []
    for row in rows:
        cells = []
        for column, term in zip(columns, row, strict=True):
            cells.append(term.value if term is not None else "")
            if column.iri:
                found = [labels.get(iri, {}) for iri in _iris(column, term)]
                join = column.separator or ""
                cells.append(join.join(f.get(MAIN_LANGUAGE, "") for f in found))
                if column.english:
                    cells.append(join.join(f.get("en", "") for f in found))
        out_rows.append(cells)
    return [c.name for c in table.output_columns()], out_rows


def _with_document_context(store, table: Table, rows: list[list]) -> list[list]:
    """``rows`` with the document's context after its ``document`` cell (none without one)."""
    names = [c.name for c in table.columns]
    if "document" not in names:
        return rows
    at = names.index("document") + 1
    documents = sorted({row[at - 1].value for row in rows if isinstance(row[at - 1], ox.NamedNode)})
    context: dict[str, list] = {}
    for start in range(0, len(documents), LABEL_BATCH):
        values = " ".join(f"<{iri}>" for iri in documents[start : start + LABEL_BATCH])
        for solution in run(store, DOCUMENT_CONTEXT_QUERY.replace("#DOCUMENTS", values)):
            date = solution["own_date"] or solution["named_date"]
            context[solution["document"].value] = [
                date,
                solution["sender"],
                solution["sender_post"],
            ]
    empty = [None] * len(DOCUMENT_CONTEXT)
    out = []
    for row in rows:
        document = row[at - 1]
        found = context.get(document.value, empty) if isinstance(document, ox.NamedNode) else empty
        out.append([*row[:at], *found, *row[at:]])
    return out


def _iris(column: Column, term) -> list[str]:
    """The IRIs of a cell: one, or several separated by the column's separator."""
    if isinstance(term, ox.NamedNode):
        return [term.value]
    if column.separator and isinstance(term, ox.Literal) and term.value:
        return term.value.split(column.separator)
    return []


def fetch_labels(store, iris: Iterable[str]) -> dict[str, dict[str, str]]:
    """For each IRI, its best label per language (main language and English)."""
    ranked: dict[tuple[str, str], tuple[int, str]] = {}
    ordered = sorted(iris)
    for start in range(0, len(ordered), LABEL_BATCH):
        values = " ".join(f"<{iri}>" for iri in ordered[start : start + LABEL_BATCH])
        properties = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
        text = (
            f"SELECT ?iri ?p ?label WHERE {{ VALUES ?iri {{ {values} }} "
            f"VALUES ?p {{ {properties} }} ?iri ?p ?label FILTER (isLiteral(?label)) }}"
        )
        for solution in run(store, text):
            _keep_best(ranked, solution["iri"].value, solution["p"].value, solution["label"])
    labels: dict[str, dict[str, str]] = {}
    for (iri, lang), (_, text) in ranked.items():
        labels.setdefault(iri, {})[lang] = text
    return labels


def _keep_best(ranked: dict, iri: str, prop: str, label: ox.Literal) -> None:
    """Prefer a label in the language, then one without a language (for the main language
    only), then by property (skos:prefLabel first); among equals the smallest text, so the
    choice does not depend on the order the store returns them in."""
    lang = label.language or ""
    if lang not in (MAIN_LANGUAGE, "en", ""):
        return
    rank = LABEL_PROPERTIES.index(prop) + (len(LABEL_PROPERTIES) if lang == "" else 0)
    key = (iri, lang or MAIN_LANGUAGE)
    best = ranked.get(key)
    if best is None or (rank, label.value) < best:
        ranked[key] = (rank, label.value)


def write_table(store, folder: Path, table: Table) -> Path:
    header, rows = table_rows(store, table)
    path = folder / table.filename
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")  # RFC 4180
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_tables(store, folder: Path, tables: Sequence[Table] = TABLES) -> list[Path]:
    return [write_table(store, folder, table) for table in tables]


__all__ = [
    "DOCUMENT_CONTEXT",
    "MAIN_LANGUAGE",
    "TABLES",
    "Column",
    "OutputColumn",
    "Table",
    "fetch_labels",
    "table_query",
    "table_rows",
    "write_table",
    "write_tables",
]
