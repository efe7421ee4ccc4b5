"""The query library in ``queries/``: one SPARQL query per file with a ``#+ key: value`` header.

Parameters are bound as RDF terms (SPARQL-dev SEP-0007 substitution, as rdflib's
``initBindings``), never spliced into the query text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO

import pyoxigraph as ox

from kg.errors import QueryError
from kg.rdf.bindings import bind_values
from kg.rdf.namespaces import PREFIXES
from kg.rdf.terms import Term
from kg.store import GraphStore, graph_store

# A key may name a language ("summary@nl"): the text in that language, for the research page.
HEADER = re.compile(r"^#\+\s*(?P<key>[\w-]+(?:@[a-z]{2})?)\s*:\s*(?P<value>.*?)\s*$")
# "#+ param: NAME DEFAULT - description": DEFAULT is an RDF term, as --param takes it.
PARAM = re.compile(r"^\??(?P<name>\w+)\s+(?P<default>.+?)(?:\s+-\s+(?P<description>.*))?$")
FORMATS = ("table", "csv", "tsv", "json")


@dataclass(frozen=True)
class QueryParam:
    name: str
    default: Term
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str
    summary: str
    header: Mapping[str, str] = field(default_factory=dict)
    params: tuple[QueryParam, ...] = ()

    def default_bindings(self) -> dict[ox.Variable, Term]:
        """The defaults the header declares; the golden test and the CLI bind them."""
        return {ox.Variable(p.name): p.default for p in self.params}

    def text_with_defaults(self) -> str:
        """The text with the declared defaults bound as a ``VALUES`` block: what a client sends
        to an endpoint (the protocol has no bindings) and the research page's example."""
        return bind_values(self.text, self.default_bindings()) if self.params else self.text

    @property
    def columns(self) -> list[str]:
        return [c.strip() for c in self.header.get("columns", "").split(",") if c.strip()]


def parse_query_file(path: Path) -> NamedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{path}: cannot read: {err}") from None
    header: dict[str, str] = {}
    params: list[QueryParam] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = HEADER.match(line)
        if match and match.group("key") == "param":
            params.append(_parse_param(path, number, match.group("value")))
        elif match:
            header[match.group("key")] = match.group("value")
        elif line.strip() and not line.startswith("#"):
            break
    if not header.get("summary"):
        raise QueryError(f"{path}:1: no '#+ summary:' header; every query says what it answers")
    return NamedQuery(path.stem, path, text, header["summary"], header, tuple(params))


def _parse_param(path: Path, line: int, value: str) -> QueryParam:
    match = PARAM.match(value)
    if not match:
        raise QueryError(
            f"{path}:{line}: '#+ param:' needs NAME DEFAULT [- description], "
            "e.g. '#+ param: entity <https://...> - the entity'"
        )
    default = parse_term(match.group("default"))
    return QueryParam(match.group("name"), default, match.group("description") or "")


def list_queries(folder: Path) -> list[NamedQuery]:
    return [parse_query_file(p) for p in sorted(folder.glob("*.rq"))]


def resolve_query(name_or_file: str, folder: Path) -> NamedQuery:
    """A path to a .rq file, or the name of a query in the library (with or without .rq)."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.is_file():
        return parse_query_file(path)
    candidate = folder / f"{path.stem if path.suffix == '.rq' else name_or_file}.rq"
    if candidate.is_file():
        return parse_query_file(candidate)
    known = ", ".join(q.name for q in list_queries(folder)) if folder.is_dir() else "none"
    raise QueryError(f"no query {name_or_file!r}; known queries: {known}")


def parse_term(text: str) -> Term:
    """A parameter value as an RDF term: <iri>, prefix:name, "literal"@lang, a number, or text."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return ox.NamedNode(text[1:-1])
    literal = re.fullmatch(r'"(.*)"(?:@([\w-]+)|\^\^<(.+)>)?', text, re.DOTALL)
    if literal:
        value, lang, datatype = literal.groups()
        if lang:
            return ox.Literal(value, language=lang)
        if datatype:
            return ox.Literal(value, datatype=ox.NamedNode(datatype))
        return ox.Literal(value)
    prefixed = re.fullmatch(r"([A-Za-z][\w-]*):([\w./-]*)", text)
    if prefixed and prefixed.group(1) in PREFIXES:
        return ox.NamedNode(f"{PREFIXES[prefixed.group(1)]}{prefixed.group(2)}")
    if re.fullmatch(r"[+-]?\d+", text):
        return ox.Literal(text, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    if re.fullmatch(r"https?://\S+", text):
        return ox.NamedNode(text)
    return ox.Literal(text)


LABEL_QUERY = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?entity WHERE {
  ?entity skos:prefLabel|skos:altLabel|skos:hiddenLabel|rdfs:label ?label .
  FILTER (isIRI(?entity) && LCASE(STR(?label)) = LCASE(STR(?name)))
}"""
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
EXISTS_QUERY = "ASK { { ?resource ?p ?o } UNION { ?s ?p ?resource } }"
_BARE_WORDS = re.compile(r"[^\"<>]+")


def resolve_param(store: GraphStore | ox.Store, name: str, text: str) -> Term:
    """A ``--param`` value as ``kg analyse --path`` takes an entity: an IRI or CURIE that the
    graph knows, or a label (any language, any case) of exactly one resource. A quoted literal
    or a number is bound as it is. Anything else is an error naming the parameter (exit 2)."""
    text = text.strip()
    prefixed = re.fullmatch(r"([A-Za-z][\w-]*):([\w./-]*)", text)
    if prefixed and prefixed.group(1) not in PREFIXES and not text.startswith("http"):
        known = ", ".join(sorted(PREFIXES))
        raise QueryError(
            f"--param {name}={text}: unknown prefix {prefixed.group(1)!r}; known: {known}"
        )
    term = parse_term(text)
    store = graph_store(store)
    if isinstance(term, ox.NamedNode):
        if not bool(store.query(EXISTS_QUERY, {ox.Variable("resource"): term})):
            raise QueryError(f"--param {name}={text}: no resource <{term.value}> in the graph")
        return term
    written_as_literal = text.startswith('"') or not _BARE_WORDS.fullmatch(text)
    is_number = isinstance(term, ox.Literal) and term.datatype.value != XSD_STRING
    if written_as_literal or is_number:
        return term  # a literal written as one, or a number
    rows = store.query(LABEL_QUERY, {ox.Variable("name"): ox.Literal(text)})
    matches = sorted({row["entity"].value for row in rows})
    if not matches:
        raise QueryError(
            f"--param {name}={text}: no resource has the label {text!r}; give an IRI, a CURIE "
            f"(id:instrument/nadi) or a literal in quotes ('\"{text}\"')"
        )
    if len(matches) > 1:
        raise QueryError(f"--param {name}={text}: the label is ambiguous: {', '.join(matches)}")
    return ox.NamedNode(matches[0])


def names_variable(text: str, name: str) -> bool:
    """Whether ``?name`` or ``$name`` occurs in the query outside its comment lines."""
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return re.search(rf"[?$]{re.escape(name)}(?!\w)", code) is not None


def resolve_bindings(
    store: GraphStore | ox.Store,
    pairs: list[str],
    declared: Mapping[ox.Variable, Term] | None = None,
    text: str | None = None,
) -> dict[ox.Variable, Term]:
    """``NAME=VALUE`` pairs with each value resolved by :func:`resolve_param`; a parameter the
    query declares with a literal default takes the value as a literal, as before. With the
    query's ``text``, a NAME the query does not use is an error: binding it would silently
    change nothing (a misspelt ``--param entty=NADI`` would return every row)."""
    declared = declared or {}
    bindings: dict[ox.Variable, Term] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = variable_name(name)
        if not sep or not re.fullmatch(r"\w+", name):
            raise QueryError(f"parameter {pair!r}: expected NAME=VALUE, e.g. entity=NADI")
        if text is not None and not names_variable(text, name):
            raise QueryError(f"--param {name}: the query has no variable ?{name}")
        default = declared.get(ox.Variable(name))
        if isinstance(default, ox.Literal):
            bindings[ox.Variable(name)] = typed_like(default, name, value)
        else:
            bindings[ox.Variable(name)] = resolve_param(store, name, value)
    return bindings


def variable_name(name: str) -> str:
    """A parameter's name as its query variable: without "?" or "$", and written as on a
    command line in kebab case ("as-of") it is the query's camel case ("asOf")."""
    name = name.strip().lstrip("?$")
    return re.sub(r"-([a-zA-Z0-9])", lambda m: m.group(1).upper(), name)


XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"


def typed_like(default: ox.Literal, name: str, value: str) -> Term:
    """A value for a parameter whose default is a literal: as written when it is an RDF term
    ('"2027-01-01"^^<...#date>', '"NADI"@nl'), else a literal of the default's datatype
    ("2027-01-01" for a date). A date is checked: "2027-13-01" is an error, not an empty result."""
    text = value.strip()
    typed = text.startswith('"') or re.fullmatch(r"[+-]?\d+", text)
    term = parse_term(text) if typed else None
    if term is None and default.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
        term = ox.Literal(text, datatype=default.datatype)
    term = term if term is not None else parse_term(text)
    if isinstance(term, ox.Literal) and term.datatype.value == XSD_DATE:
        try:
            date.fromisoformat(term.value)
        except ValueError:
            raise QueryError(
                f"--param {name}={value}: not a date; give it as YYYY-MM-DD, e.g. 2027-01-01"
            ) from None
    return term


def parse_bindings(pairs: list[str]) -> dict[ox.Variable, Term]:
    bindings: dict[ox.Variable, Term] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = variable_name(name)
        if not sep or not re.fullmatch(r"\w+", name):
            raise QueryError(f"parameter {pair!r}: expected NAME=VALUE, e.g. entity=<https://...>")
        bindings[ox.Variable(name)] = parse_term(value)
    return bindings


def run(
    store: GraphStore | ox.Store,
    query: NamedQuery | str,
    bindings: Mapping[ox.Variable, Term] | None = None,
):
    """Run over the union of the graphs of a ``kg.store.GraphStore`` (a bare pyoxigraph
    ``Store`` is wrapped as one)."""
    text = query.text if isinstance(query, NamedQuery) else query
    try:
        return graph_store(store).query(text, dict(bindings or {}))
    except SyntaxError as err:
        where = query.path if isinstance(query, NamedQuery) else "query"
        raise QueryError(f"{where}: not valid SPARQL: {err}") from None
    except RuntimeError as err:  # an evaluation error, e.g. a substituted blank node not projected
        where = query.path if isinstance(query, NamedQuery) else "query"
        raise QueryError(f"{where}: {err}") from None


def term_text(term: Term | None) -> str:
    if term is None:
        return ""
    return term.value


def select_rows(results) -> tuple[list[str], list[list[Term | None]]]:
    _solutions(results)
    variables = [v.value for v in results.variables]
    rows = [[solution[v] for v in variables] for solution in results]
    return variables, rows


def render(results, fmt: str) -> str:
    if isinstance(results, ox.QueryBoolean):
        return (
            json.dumps({"boolean": bool(results)}) if fmt == "json" else str(bool(results)).lower()
        )
    if isinstance(results, ox.QueryTriples):
        turtle = results.serialize(format=ox.RdfFormat.TURTLE)
        assert turtle is not None  # given no output, pyoxigraph returns the bytes
        return turtle.decode("utf-8")
    if fmt == "json":
        return results.serialize(format=ox.QueryResultsFormat.JSON).decode("utf-8")
    if fmt in STREAMED:
        out = io.StringIO()
        write_rows(results, fmt, out)
        return out.getvalue()
    variables, rows = select_rows(results)
    return _table(variables, rows)


STREAMED = ("csv", "tsv")
ROWS_PER_WRITE = 1000


def write_rows(results, fmt: str, out: TextIO) -> None:
    """A SELECT result as CSV or TSV, written ``ROWS_PER_WRITE`` rows at a time as the engine
    gives them: the first rows come before the last is computed, and memory holds a batch,
    not the result (rendering 348k rows of ``mentions`` at 10M took 10 s, as a whole)."""
    variables = [v.value for v in _solutions(results).variables]
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(variables)
        for batch in _batches(results):
            writer.writerows(batch)
        return
    out.write("\t".join(variables) + "\n")
    for batch in _batches(results):
        out.write("".join("\t".join(_tsv_value(v) for v in row) + "\n" for row in batch))


def _solutions(results) -> ox.QuerySolutions:
    if not isinstance(results, ox.QuerySolutions):
        raise QueryError(
            "not a SELECT query: use --format turtle for CONSTRUCT, or ASK gives a boolean"
        )
    return results


def _batches(solutions: ox.QuerySolutions) -> Iterator[list[list[str]]]:
    batch: list[list[str]] = []
    for solution in solutions:
        batch.append([term.value if term is not None else "" for term in solution])
        if len(batch) >= ROWS_PER_WRITE:
            yield batch
            batch = []
    if batch:
        yield batch


def _tsv_value(text: str) -> str:
    # One line per row, as line-based tools (cut, awk, wc -l) expect: text/tab-separated-values
    # allows no tab or line break inside a field, so they are escaped instead of quoted.
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def compact(term: Term | None) -> str:
    text = term_text(term)
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in PREFIXES.items():
            if text.startswith(str(namespace)):
                return f"{prefix}:{text[len(str(namespace)) :]}"
    return " ".join(text.split())


def _table(variables: list[str], rows: list[list[Term | None]], width: int = 60) -> str:
    cells = [[_clip(compact(t), width) for t in row] for row in rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(variables)]
    line = lambda values: " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True))  # noqa: E731
    out = [line(variables), "-+-".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
