"""kg.server.negotiation on its own: Accept headers read as RFC 9110 says (q-values, the most
specific range decides, ties to the server's order), ``format=`` standing for an Accept header,
and when a browser gets the HTML table. No server: over HTTP see tests/test_app.py."""

from __future__ import annotations

import pytest

from kg.server.formats import BOOLEAN, GRAPH, OFFERS, TABULAR
from kg.server.negotiation import (
    FORMAT_PARAMETER,
    MediaRange,
    NotAcceptable,
    UnknownFormat,
    accept_for_format,
    choose,
    parse_accept,
    prefers_html,
    require,
)

TABLES = list(OFFERS[TABULAR])
GRAPHS = list(OFFERS[GRAPH])
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8"


def test_parse_accept_reads_types_and_qualities() -> None:
    assert parse_accept("Text/CSV;q=0.5, application/json , */*;Q=0.1") == [
        MediaRange("text", "csv", 0.5),
        MediaRange("application", "json", 1.0),
        MediaRange("*", "*", 0.1),
    ]


@pytest.mark.parametrize(
    ("header", "quality"),
    [("text/csv;q=2", 1.0), ("text/csv;q=-1", 0.0), ("text/csv;q=high", 0.0)],
)
def test_a_quality_outside_zero_to_one_is_clamped_and_an_unreadable_one_is_zero(
    header: str, quality: float
) -> None:
    assert parse_accept(header) == [MediaRange("text", "csv", quality)]


def test_parse_accept_skips_what_is_not_a_media_range() -> None:
    assert parse_accept("csv, , ;q=1, text/csv") == [MediaRange("text", "csv", 1.0)]


@pytest.mark.parametrize(
    ("media_range", "offer", "specificity"),
    [
        (MediaRange("*", "*", 1), "text/csv", 0),
        (MediaRange("text", "*", 1), "text/csv", 1),
        (MediaRange("text", "csv", 1), "text/csv", 2),
        (MediaRange("text", "csv", 1), "text/turtle", -1),
        (MediaRange("image", "*", 1), "text/csv", -1),
    ],
)
def test_specificity(media_range: MediaRange, offer: str, specificity: int) -> None:
    assert media_range.specificity(*offer.split("/")) == specificity


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
        ("nonsense", "application/sparql-results+json"),  # unreadable: as if absent
        ("text/*", "text/csv"),  # ties go to the server's order
        ("text/*, text/tab-separated-values", "text/csv"),  # equal q: still the server's order
        ("text/*;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("text/*, text/csv;q=0", "text/tab-separated-values"),  # the specific q=0 wins
        ("*/*;q=0.1, application/xml", "application/xml"),
        ("image/*", None),
        ("text/csv;q=0", None),
    ],
)
def test_choose(accept: str | None, expected: str | None) -> None:
    assert choose(accept, TABLES) == expected


def test_nothing_offered_is_nothing_chosen() -> None:
    assert choose("*/*", []) is None


def test_require_names_the_offers_when_none_fits() -> None:
    assert require("text/turtle;q=0.2, */*;q=0.1", GRAPHS) == "text/turtle"
    with pytest.raises(NotAcceptable) as caught:
        require("image/png", ["text/csv", "text/turtle"])
    assert str(caught.value) == "offered: text/csv, text/turtle"


@pytest.mark.parametrize(("name", "accept"), sorted(FORMAT_PARAMETER.items()))
def test_each_format_name_chooses_an_offer(name: str, accept: str) -> None:
    offers = TABLES + GRAPHS + list(OFFERS[BOOLEAN]) + ["text/html"]
    assert accept_for_format(name, "image/png") == accept
    assert choose(accept, offers) is not None


def test_the_format_names_were_found() -> None:
    assert {"csv", "tsv", "json", "xml", "turtle", "html"} <= set(FORMAT_PARAMETER)


def test_format_is_read_without_case_or_blanks_and_absent_keeps_the_header() -> None:
    assert accept_for_format(" CSV ", "application/json") == "text/csv"
    assert accept_for_format(None, "text/turtle") == "text/turtle"
    assert accept_for_format("", "text/turtle") == "text/turtle"


def test_an_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(UnknownFormat) as caught:
        accept_for_format("xlsx", None)
    assert str(caught.value).startswith("unknown format='xlsx'; use one of csv, tsv, json,")


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        (BROWSER, True),
        ("text/html", True),
        ("*/*", False),
        (None, False),
        ("text/html;q=0.5, text/csv", False),
        ("text/html, application/sparql-results+json", False),  # a tie goes to the data
    ],
)
def test_prefers_html(accept: str | None, html: bool) -> None:
    assert prefers_html(accept, TABLES) is html
