"""``/cases``: the cases (zaken) over time — how long answers take per post that signs them,
every case with the days it was asked, delayed and answered, and the questions still open.

The figures are those of the library's queries (``answer-latency``, ``cases``,
``unanswered-questions``: the rules are written once, there); this page runs them in the worker
pool and names every IRI by its label in the page's language.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kg.query.library import parse_query_file
from kg.server import i18n
from kg.server.context import ServerContext
from kg.server.rendering import render
from kg.server.research_api import ResearchError, labels, select
from kg.server.resource_page import local_href
from kg.server.responses import READ_METHODS, text_error

QUERIES = ("answer-latency", "cases", "unanswered-questions")
TEXTS = {
    "nl": {
        "title": "Zaken en termijnen",
        "intro": "Hoe lang antwoorden op schriftelijke vragen duren, per ondertekenende functie; "
        "elke zaak met de dag van de vragen, het uitstelbericht en de antwoorden; en de vragen "
        "die nog open staan. De termijn is drie weken.",
        "latency": "Antwoordduur per functie",
        "post": "Functie",
        "answered": "Beantwoord",
        "mean": "Gemiddeld (dagen)",
        "longest": "Langst (dagen)",
        "late": "Later dan drie weken",
        "cases": "Zaken",
        "case": "Zaak",
        "subject": "Onderwerp",
        "asked": "Gevraagd",
        "delayed": "Uitstel gemeld",
        "answered_on": "Beantwoord",
        "days": "Dagen",
        "open": "Open vragen",
        "asked_in": "Gesteld in",
        "questions": "Vragen",
        "none": "Geen.",
        "yes": "ja",
        "no": "nee",
    },
    "en": {
        "title": "Cases and terms",
        "intro": "How long answers to written questions take, per signing post; every case with "
        "the day of its questions, its notice of delay and its answers; and the questions still "
        "open. The term is three weeks.",
        "latency": "Time to answer per post",
        "post": "Post",
        "answered": "Answered",
        "mean": "Mean (days)",
        "longest": "Longest (days)",
        "late": "Later than three weeks",
        "cases": "Cases",
        "case": "Case",
        "subject": "Subject",
        "asked": "Asked",
        "delayed": "Delay notified",
        "answered_on": "Answered",
        "days": "Days",
        "open": "Open questions",
        "asked_in": "Asked in",
        "questions": "Questions",
        "none": "None.",
        "yes": "yes",
        "no": "no",
    },
}


def _value(binding: dict, name: str) -> str:
    return binding.get(name, {}).get("value", "")


async def _rows(context: ServerContext, request: Request, name: str) -> list[dict]:
    path = context.settings.queries_dir / f"{name}.rq"
    if not path.is_file():
        return []
    return [
        {key: _value(b, key) for key in b} for b in await select(context, request, path.read_text())
    ]


def _open_per_case(rows: list[dict]) -> list[dict]:
    """The open questions counted per case and the document that asks them."""
    counted: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.get("case", ""), row.get("askedIn", ""))
        counted[key] = counted.get(key, 0) + 1
    return [{"case": c, "askedIn": d, "questions": n} for (c, d), n in sorted(counted.items())]


async def cases_page(context: ServerContext, request: Request) -> Response:
    page = i18n.page_context(request)
    try:
        for name in QUERIES:  # the library's own queries, parsed to fail early on a broken one
            path = context.settings.queries_dir / f"{name}.rq"
            if path.is_file():
                parse_query_file(path)
        latency = await _rows(context, request, "answer-latency")
        cases = await _rows(context, request, "cases")
        open_questions = _open_per_case(await _rows(context, request, "unanswered-questions"))
        iris = {row[k] for rows in (latency, cases, open_questions) for row in rows
                for k in ("post", "case", "askedIn") if row.get(k)}  # fmt: skip
        names = await labels(context, request, sorted(iris), page["lang"])
    except ResearchError as err:
        return text_error(err.status, str(err))

    def link(iri: str) -> tuple[str, str]:
        return local_href(iri), names.get(iri, iri.rsplit("/", 1)[-1])

    html = render(
        "cases.html",
        title=TEXTS[page["lang"]]["title"],
        ct=TEXTS[page["lang"]],
        latency=latency,
        cases=cases,
        open_questions=open_questions,
        link=link,
        **page,
    )
    return i18n.remember(request, HTMLResponse(html))


def router(context: ServerContext) -> APIRouter:
    routes = APIRouter()

    @routes.api_route("/cases", methods=READ_METHODS, include_in_schema=False)
    async def cases(request: Request) -> Response:
        return await cases_page(context, request)

    return routes


__all__ = ["router"]
