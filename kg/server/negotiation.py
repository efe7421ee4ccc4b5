"""HTTP content negotiation (RFC 9110, 12.5.1): pick the offered media type the client prefers.

For each offer the most specific matching media range in ``Accept`` gives its quality
(``type/subtype`` over ``type/*`` over ``*/*``); q=0 means "not acceptable". The highest quality
wins, ties go to the server's order of preference. ``None`` means nothing fits: answer 406.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    quality: float

    def specificity(self, offer_type: str, offer_subtype: str) -> int:
        """-1 if this range does not match the offer; higher is more specific."""
        if self.type == "*":
            return 0
        if self.type != offer_type:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == offer_subtype else -1


def parse_accept(header: str) -> list[MediaRange]:
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0] or "/" not in fields[0]:
            continue
        type_, _, subtype = fields[0].lower().partition("/")
        quality = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        ranges.append(MediaRange(type_.strip(), subtype.strip(), quality))
    return ranges


def choose(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer to answer with, or None when the client accepts none of them."""
    if not offers:
        return None
    if accept is None or not accept.strip():
        return offers[0]
    ranges = parse_accept(accept)
    if not ranges:  # an Accept header we cannot read is treated as absent
        return offers[0]
    best, best_quality = None, 0.0
    for offer in offers:
        offer_type, _, offer_subtype = offer.partition("/")
        matched = [(r.specificity(offer_type, offer_subtype), r.quality) for r in ranges]
        matched = [m for m in matched if m[0] >= 0]
        if not matched:
            continue
        quality = max(matched)[1]  # the most specific range decides
        if quality > best_quality:
            best, best_quality = offer, quality
    return best


class NotAcceptable(Exception):
    """No offer fits the client's Accept header; the app answers 406 naming the offers."""

    def __init__(self, offers: Sequence[str]) -> None:
        super().__init__("offered: " + ", ".join(offers))


def require(accept: str | None, offers: Sequence[str]) -> str:
    """The offer to answer with; ``NotAcceptable`` when the client accepts none of them."""
    choice = choose(accept, offers)
    if choice is None:
        raise NotAcceptable(offers)
    return choice


# ``format=`` as an alternative to Accept, for tools that cannot set headers (pandas.read_csv,
# a link): each name stands for the Accept header that asks for it.
FORMAT_PARAMETER = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json, application/ld+json;q=0.9",
    "xml": "application/sparql-results+xml, application/rdf+xml;q=0.9",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "html": "text/html",
}


class UnknownFormat(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown format={name!r}; use one of " + ", ".join(FORMAT_PARAMETER))


def accept_for_format(name: str | None, accept: str | None) -> str | None:
    """The Accept header to negotiate with: the one ``format=`` stands for, else the client's."""
    if name is None or name == "":
        return accept
    try:
        return FORMAT_PARAMETER[name.strip().lower()]
    except KeyError:
        raise UnknownFormat(name) from None


def prefers_html(accept: str | None, offers: Sequence[str]) -> bool:
    """True when the client (a browser) ranks an HTML page above every data format offered;
    ``*/*`` alone never chooses HTML, since ties go to the data formats."""
    if not accept or "text/html" not in accept.lower():
        return False
    return choose(accept, [*offers, "text/html"]) == "text/html"
