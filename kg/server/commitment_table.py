"""The commitments table: every commitment (toezegging) as a table a researcher can sort by
deadline and status and filter by minister and instrument, each row linked to the passage it
stands in (the page of ``/commitments``, routed in ``kg.server.routes.commitments``); and the
same table, for one person or one instrument, on their resource pages (``commitments_of``).

The status is the one ``queries/commitment-status.rq`` gives (the rule is written once there),
as of ``?as-of=YYYY-MM-DD`` or else the day the store's build ended. The rows' other facts come
from :data:`ROWS`; both queries run in the worker pool like every other page's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from kg.query.as_of import AS_OF, BUILD_ENDED, as_of_term
from kg.query.library import parse_query_file
from kg.rdf.bindings import bind_values
from kg.rdf.namespaces import ID
from kg.server import i18n
from kg.server.context import ServerContext
from kg.server.rendering import render
from kg.server.research_api import ResearchError, labels, select
from kg.server.resource_page import local_href
from kg.server.responses import text_error

STATUS_QUERY = "commitment-status.rq"
ROWS = """PREFIX aip: <https://w3id.org/ai-beleid/def/aip#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
SELECT ?commitment ?document ?number ?text ?timing ?dueBy ?made ?committedBy ?post ?coOwner
       ?topic ?instrument WHERE {
  ?commitment a aip:Commitment ; dcterms:isPartOf ?document ; aip:number ?number ;
              schema:text ?text .
  OPTIONAL { ?commitment aip:timing ?timing }
  OPTIONAL { ?commitment aip:dueBy ?dueBy }
  OPTIONAL { ?commitment dcterms:date ?made }
  OPTIONAL { ?commitment aip:committedBy ?committedBy }
  OPTIONAL { ?commitment aip:committerPost ?post }
  OPTIONAL { ?commitment aip:committedOnBehalfOf ?coOwner }
  OPTIONAL {
    ?commitment aip:concerns ?topic .
    OPTIONAL { ?topic a/rdfs:subClassOf* aip:PolicyInstrument BIND (?topic AS ?instrument) }
  }
}"""
STATUS_ORDER = {"overdue": 0, "due-soon": 1, "open": 2, "fulfilled": 3}
CONCEPT = str(ID["concept/commitment-"])
TEXTS = {
    "nl": {
        "title": "Toezeggingen",
        "intro": "Wat bewindspersonen de Kamer hebben toegezegd, met de termijn als data en de "
        "stand op {day}: te laat, binnenkort verlopen (binnen 30 dagen), open of nagekomen door "
        "een later document. Elke rij linkt naar de passage waarin de toezegging staat.",
        "minister": "Bewindspersoon",
        "instrument": "Instrument",
        "all": "alle",
        "as_of": "Stand op",
        "show": "Toon",
        "sort_deadline": "op termijn",
        "sort_status": "op stand",
        "deadline": "Uiterste datum",
        "status": "Stand",
        "timing": "Termijn zoals geschreven",
        "who": "Toegezegd door",
        "what": "Toezegging",
        "about": "Betreft",
        "document": "Document",
        "none": "Geen toezeggingen bij deze keuze.",
        "on_page": "Toezeggingen",
        "all_commitments": "Alle toezeggingen",
        "overdue": "te laat",
        "due-soon": "binnenkort verlopen",
        "open": "open",
        "fulfilled": "nagekomen",
        "fulfilled_on": "nagekomen op",
        "also_for": "mede namens",
    },
    "en": {
        "title": "Commitments",
        "intro": "What ministers promised parliament, with the timing as dates and the status "
        "on {day}: overdue, due soon (within 30 days), open, or fulfilled by a later document. "
        "Each row links to the passage the commitment stands in.",
        "minister": "Minister",
        "instrument": "Instrument",
        "all": "all",
        "as_of": "Status on",
        "show": "Show",
        "sort_deadline": "by deadline",
        "sort_status": "by status",
        "deadline": "Due by",
        "status": "Status",
        "timing": "Timing as written",
        "who": "Committed by",
        "what": "Commitment",
        "about": "Concerns",
        "document": "Document",
        "none": "No commitments for this choice.",
        "on_page": "Commitments",
        "all_commitments": "All commitments",
        "overdue": "overdue",
        "due-soon": "due soon",
        "open": "open",
        "fulfilled": "fulfilled",
        "fulfilled_on": "fulfilled on",
        "also_for": "also on behalf of",
    },
}


@dataclass
class Row:
    iri: str
    document: str
    number: int
    text: str
    timing: str = ""
    due_by: str = ""
    made: str = ""
    committed_by: str = ""
    post: str = ""
    co_owners: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    status: str = ""
    fulfilled_on: str = ""

    @property
    def owners(self) -> set[str]:
        return {self.committed_by, self.post, *self.co_owners} - {""}


def _value(binding: dict, name: str) -> str:
    return binding.get(name, {}).get("value", "")


async def as_of_day(context: ServerContext, request: Request, given: str) -> date | None:
    if given:
        try:
            return date.fromisoformat(given)
        except ValueError:
            raise ResearchError(400, f"as-of={given}: not a date; give it as YYYY-MM-DD") from None
    found = await select(context, request, BUILD_ENDED)
    day = _value(found[0], "day") if found else ""
    return date.fromisoformat(day[:10]) if day else None


async def commitment_rows(context: ServerContext, request: Request, day: date | None) -> list[Row]:
    """Every commitment made on or before ``day`` with its status on that day."""
    rows: dict[str, Row] = {}
    for b in await select(context, request, ROWS):
        iri = _value(b, "commitment")
        row = rows.get(iri)
        if row is None:
            row = rows[iri] = Row(iri, _value(b, "document"), int(_value(b, "number") or 0),
                                  _value(b, "text"), _value(b, "timing"), _value(b, "dueBy"),
                                  _value(b, "made"), _value(b, "committedBy"), _value(b, "post"))  # fmt: skip
        for name, values in (("coOwner", row.co_owners), ("topic", row.topics),
                             ("instrument", row.instruments)):  # fmt: skip
            value = _value(b, name)
            if value and value not in values:
                values.append(value)
    status = await _statuses(context, request, day)
    chosen = [r for r in rows.values() if day is None or not r.made or r.made <= day.isoformat()]
    for row in chosen:
        row.status, row.fulfilled_on = status.get((row.document, row.number), ("", ""))
    return chosen


async def _statuses(
    context: ServerContext, request: Request, day: date | None
) -> dict[tuple[str, int], tuple[str, str]]:
    path = context.settings.queries_dir / STATUS_QUERY
    if day is None or not path.is_file():
        return {}
    text = bind_values(parse_query_file(path).text, {AS_OF: as_of_term(day)})
    found = {}
    for b in await select(context, request, text):
        key = (_value(b, "document"), int(_value(b, "number") or 0))
        found[key] = (_value(b, "status").removeprefix(CONCEPT), _value(b, "fulfilledOn"))
    return found


def sort_rows(rows: list[Row], by: str) -> list[Row]:
    deadline = lambda r: (r.due_by or "9999-99-99", r.document, r.number)  # noqa: E731
    if by == "status":
        return sorted(rows, key=lambda r: (STATUS_ORDER.get(r.status, 9), *deadline(r)))
    return sorted(rows, key=deadline)


async def table_context(
    context: ServerContext, request: Request, rows: list[Row], lang: str
) -> dict:
    """What the table template needs: the rows with names and links."""
    iris = [i for r in rows for i in (r.document, r.committed_by, r.post, *r.co_owners, *r.topics)]
    names = await labels(context, request, [i for i in iris if i], lang)
    name = lambda iri: names.get(iri, iri.rsplit("/", 1)[-1])  # noqa: E731
    return {
        "rows": [
            {
                "row": r,
                "href": local_href(r.iri),
                "document": (local_href(r.document), name(r.document)),
                "who": [(local_href(i), name(i)) for i in (r.committed_by, r.post) if i],
                "also_for": [(local_href(i), name(i)) for i in r.co_owners],
                "topics": [(local_href(i), name(i)) for i in r.topics],
            }
            for r in rows
        ],
        "ct": TEXTS[lang],
    }


async def commitments_page(context: ServerContext, request: Request) -> Response:
    page = i18n.page_context(request)
    params = request.query_params
    minister, instrument = params.get("minister", ""), params.get("instrument", "")
    sort = params.get("sort", "deadline")
    try:
        day = await as_of_day(context, request, params.get("as-of", ""))
        rows = await commitment_rows(context, request, day)
        everyone = await labels(
            context, request, sorted({o for r in rows for o in r.owners}), page["lang"]
        )
        instruments = await labels(
            context, request, sorted({i for r in rows for i in r.instruments}), page["lang"]
        )
        shown = [
            r
            for r in rows
            if (not minister or minister in r.owners)
            and (not instrument or instrument in r.instruments)
        ]
        table = await table_context(context, request, sort_rows(shown, sort), page["lang"])
    except ResearchError as err:
        return text_error(err.status, str(err))
    keep = {"minister": minister, "instrument": instrument, "as-of": params.get("as-of", "")}
    html = render(
        "commitments.html",
        title=TEXTS[page["lang"]]["title"],
        day=day.isoformat() if day else "",
        ministers=sorted(everyone.items(), key=lambda item: item[1].lower()),
        instruments=sorted(instruments.items(), key=lambda item: item[1].lower()),
        minister=minister,
        instrument=instrument,
        sort=sort,
        sort_links={
            by: "/commitments?" + urlencode({**{k: v for k, v in keep.items() if v}, "sort": by})
            for by in ("deadline", "status")
        },
        **table,
        **page,
    )
    return i18n.remember(request, HTMLResponse(html))


async def commitments_of(context: ServerContext, request: Request, iri: str, lang: str) -> dict:
    """The commitments a person (or post) made or an instrument is the topic of, for their
    resource page; empty for anything else."""
    day = await as_of_day(context, request, "")
    rows = [r for r in await commitment_rows(context, request, day)
            if iri in r.owners or iri in r.topics]  # fmt: skip
    if not rows:
        return {}
    table = await table_context(context, request, sort_rows(rows, "deadline"), lang)
    role = "minister" if any(iri in r.owners for r in rows) else "instrument"
    return {
        "commitment_table": table,
        "commitments_day": day.isoformat() if day else "",
        "commitments_link": "/commitments?" + urlencode({role: iri}),
    }


__all__ = ["commitments_of", "commitments_page"]
