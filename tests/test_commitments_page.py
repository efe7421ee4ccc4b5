"""/commitments, and the commitments on a person's and an instrument's page (#28): a table
sortable by deadline and status, filtered by minister and instrument, each row linked to the
commitment's page, which shows the passage it stands in."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from kg.pipeline.build import build
from tests.golden.corpus import FIXTURES, corpus_project
from tests.support import PROJECT, SEED_PATH, loopback
from tests.support.live_server import running_server

FILES = (SEED_PATH, FIXTURES / "corpus" / "2026D41207.txt",
         FIXTURES / "corpus" / "ah-tk-20262027-0312.txt",
         FIXTURES / "corpus" / "ah-tk-20232024-1042.txt")  # fmt: skip
AERDTS = "https://w3id.org/ai-beleid/id/person/aerdts"
NADI = "https://w3id.org/ai-beleid/id/instrument/nadi"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("commitments-page")
    build(corpus_project(root / "project", FILES), root / "store", PROJECT.ontology)
    with running_server(root / "store") as base:
        yield base


class Rows(HTMLParser):
    """The rows of the commitments table: per row its cells' text and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.inside = False
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "commitments-table" in (attrs.get("class") or ""):
            self.inside = True
        elif self.inside and tag == "tr" and attrs.get("class", "").startswith("status-"):
            self.rows.append({"status": attrs["class"].removeprefix("status-"), "cells": [],
                              "links": []})  # fmt: skip
        elif self.inside and self.rows and tag == "td":
            self.cell = []
        elif self.inside and self.rows and tag == "a":
            self.rows[-1]["links"].append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif tag == "td" and self.cell is not None and self.rows:
            self.rows[-1]["cells"].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def rows_of(server: str, path: str) -> list[dict]:
    response = loopback.get(server + path)
    assert response.status_code == 200, response.text
    parser = Rows()
    parser.feed(response.text)
    return parser.rows


def test_every_commitment_with_its_status_and_a_link_to_its_passage(server: str) -> None:
    rows = rows_of(server, "/commitments?as-of=2027-01-01&lang=en")
    links = {link for row in rows for link in row["links"]}
    expected = {"/doc/document/2026D32673/commitment/1", "/doc/document/2026D41207/commitment/2",
                "/doc/document/ah-tk-20232024-1042/commitment/1"}  # fmt: skip
    assert expected <= links
    seed = next(r for r in rows if "/doc/document/2026D32673/commitment/1" in r["links"])
    assert seed["status"] == "fulfilled"
    assert seed["cells"][:2] == ["2026-12-31", "fulfilled (fulfilled on 2026-11-20)"]
    late = next(r for r in rows if "/doc/document/2026D41207/commitment/2" in r["links"])
    assert (late["status"], late["cells"][0]) == ("overdue", "2026-12-31")
    # by deadline: the dated ones in order, the undated ("—") last
    dates = [r["cells"][0] for r in rows]
    dated = [d for d in dates if d != "—"]
    assert dated == sorted(dated) and dates == dated + ["—"] * (len(dates) - len(dated))


def test_sorted_by_status_overdue_comes_first(server: str) -> None:
    rows = rows_of(server, "/commitments?as-of=2027-01-01&sort=status")
    order = {"overdue": 0, "due-soon": 1, "open": 2, "fulfilled": 3}
    statuses = [order[r["status"]] for r in rows]
    assert statuses == sorted(statuses) and statuses[0] == 0 and statuses[-1] == 3


def test_a_status_on_an_earlier_date(server: str) -> None:
    rows = rows_of(server, "/commitments?as-of=2026-12-05")
    seed = next(r for r in rows if "/doc/document/2026D32673/commitment/1" in r["links"])
    assert seed["status"] == "fulfilled"  # since 20 November
    rows = rows_of(server, "/commitments?as-of=2026-11-19")
    seed = next(r for r in rows if "/doc/document/2026D32673/commitment/1" in r["links"])
    assert seed["status"] == "open"
    # made on 2026-11-20: not yet a commitment on the 19th
    assert not any("/doc/document/ah-tk-20262027-312/commitment/1" in r["links"] for r in rows)


def test_filtered_by_minister_and_by_instrument(server: str) -> None:
    everyone = rows_of(server, "/commitments?as-of=2027-01-01")
    mine = rows_of(server, f"/commitments?as-of=2027-01-01&minister={AERDTS}")
    assert 0 < len(mine) < len(everyone)
    assert all("/doc/person/aerdts" in r["links"] for r in mine)
    nadi = rows_of(server, f"/commitments?as-of=2027-01-01&instrument={NADI}")
    assert nadi and all("/doc/instrument/nadi" in r["links"] for r in nadi)
    assert len(nadi) < len(mine)


def test_the_same_table_on_the_persons_and_the_instruments_page(server: str) -> None:
    person = rows_of(server, "/doc/person/aerdts")
    assert len(person) == len(rows_of(server, f"/commitments?minister={AERDTS}"))
    instrument = rows_of(server, "/doc/instrument/nadi")
    assert len(instrument) == len(rows_of(server, f"/commitments?instrument={NADI}"))
    page = loopback.get(server + "/doc/instrument/nadi").text
    assert f'href="/commitments?instrument={NADI.replace(":", "%3A").replace("/", "%2F")}"' in page


def test_the_row_links_to_the_passage(server: str) -> None:
    page = loopback.get(server + "/doc/document/2026D32673/commitment/1").text
    marked = re.search(r"<mark>(.*?)</mark>", page, re.DOTALL)
    assert marked and marked.group(1).startswith("Na de zomer zal ik uw Kamer een brief sturen")


def test_a_date_that_is_none_is_a_one_line_error(server: str) -> None:
    response = loopback.get(server + "/commitments?as-of=2027-13-01")
    assert response.status_code == 400
    assert response.text.strip() == "as-of=2027-13-01: not a date; give it as YYYY-MM-DD"


def test_the_page_is_in_the_navigation(server: str) -> None:
    assert '<a href="/commitments">Toezeggingen</a>' in loopback.get(server + "/").text
    english = loopback.get(server + "/commitments?lang=en").text
    assert "<h1>Commitments</h1>" in english and "by deadline" in english
