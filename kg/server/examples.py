"""The research page's examples (the queries of ``queries/``, read by
:func:`example_queries` for the page and the editor) as its script receives them: the
title and summary in the page's language (``#+ title@nl:``, ``#+ summary@nl:``; English
otherwise), the query with its defaults bound, and each parameter with its description and the
label of its default, for a field that takes a name."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from kg.pipeline.search import SearchIndex
from kg.query.library import NamedQuery, parse_query_file
from kg.server.settings import Settings

VENDOR = Path(__file__).resolve().parent / "static" / "vendor"
YASGUI_FILES = ("yasgui/yasgui.min.js", "yasgui/yasgui.min.css")


def editor_installed() -> bool:
    """Whether ``python3 tasks.py assets`` has put YASGUI beside the server's own files."""
    return all((VENDOR / name).is_file() for name in YASGUI_FILES)


_PAGE_ONLY = re.compile(r"^#\+\s*(?:note|title(?:@\w+)?|[\w-]+@\w+)\s*:")


def for_editor(text: str) -> str:
    """The query as researchers copy it: engine notes and the page's own headers (titles, the
    other language's texts) stay in the file; the summary and columns stay in the query."""
    return "\n".join(line for line in text.split("\n") if not _PAGE_ONLY.match(line))


def in_language(query: NamedQuery, key: str, lang: str) -> str:
    return query.header.get(f"{key}@{lang}") or query.header.get(key, "")


def param_descriptions(query: NamedQuery, lang: str) -> dict[str, str]:
    """``#+ param@nl: NAME - description`` lines, else the English descriptions."""
    found = {p.name: p.description for p in query.params}
    translated = query.header.get(f"param@{lang}", "")
    name, _, description = translated.partition(" - ")
    if name.strip() in found and description.strip():
        found[name.strip()] = description.strip()
    return found


ENTITY_KINDS = "instrument,eu,international,organisation,person,post,event,cited,model"
PART_KINDS = "question,answer,commitment,document"


def suggested_kinds(default: dict | None) -> str:
    """What a parameter's field suggests: entities for an entity, parts of documents for one."""
    if default is None:
        return ""
    return PART_KINDS if default["kind"] in PART_KINDS.split(",") else ENTITY_KINDS


def example_payload(query: NamedQuery, text: str, lang: str, index: SearchIndex | None) -> dict:
    descriptions = param_descriptions(query, lang)
    params = []
    for param in query.params:
        default = param.default.value if isinstance(param.default, ox.NamedNode) else ""
        entry = index.by_iri.get(default) if index is not None and default else None
        params.append({
            "name": param.name,
            "description": descriptions.get(param.name, ""),
            "default": default,
            "defaultLabel": index.label(entry, lang) if index is not None and entry else default,
            "kinds": suggested_kinds(entry),
        })  # fmt: skip
    return {
        "name": query.name,
        "title": in_language(query, "title", lang) or query.name,
        "summary": in_language(query, "summary", lang) or query.summary,
        "query": text,
        "params": params,
    }


def example_queries(settings: Settings) -> list[NamedQuery]:
    """The queries of the queries folder, read on every request (a query added while the server
    runs shows up); a file that does not parse is left out."""
    examples = []
    for path in sorted(settings.queries_dir.glob("*.rq")):
        try:
            examples.append(parse_query_file(path))
        except Exception:  # one broken file must not take the page down
            continue
    return examples
