"""The files ``kg analyse`` wrote to the analysis folder that the server lists (on the research
page) and serves (under ``/analysis/``): only these names, never a path a client made up."""

from __future__ import annotations

from kg.server.settings import Settings

ANALYSIS_SUFFIXES = {".html", ".svg", ".png", ".json", ".csv", ".md", ".txt", ".graphml", ".ttl"}


def analysis_files(settings: Settings) -> list[str]:
    folder = settings.analysis_dir
    if not folder.is_dir():
        return []
    return sorted(
        p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ANALYSIS_SUFFIXES
    )
