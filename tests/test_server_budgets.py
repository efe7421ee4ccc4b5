"""The server's accounting, without a server: the send budget (a body shared by connections is
counted once in all and per connection for its client), trusted proxies, and the joins the
query check counts."""

from __future__ import annotations

import asyncio

import pytest

from kg.rdf import sparql
from kg.server.connections import Proxies
from kg.server.query_check import MAX_JOINS, RefusedQuery, check_shape
from kg.server.sending import CHUNK, SendBudget, send_in_chunks

MIB = 2**20


def test_a_shared_body_counts_once_in_all_and_per_connection_for_its_client() -> None:
    budget = SendBudget(total=40 * MIB, per_client=32 * MIB)
    body = b"x" * (15 * MIB)
    assert budget.reserve("a", body) is None
    assert budget.reserve("b", body) is None  # the same object: no more memory
    assert budget.bytes == 15 * MIB
    assert budget.reserve("a", body) is None  # a's second connection: 30 MiB for a
    refused = budget.reserve("a", body)
    assert refused is not None
    status, message = refused
    assert status == 429 and "still being sent" in message  # a's share (32 MiB) is full
    other = b"y" * (30 * MIB)
    refused = budget.reserve("c", other)
    assert refused is not None
    status, message = refused
    assert status == 503 and "limit" in message  # 45 MiB of distinct bodies > 40
    for client in ("a", "b", "a"):
        budget.release(client, body)
    assert budget.stats() == {
        "max_bytes": 40 * MIB, "bytes": 0, "bodies": 0, "clients": 0, "refused": 2,
    }  # fmt: skip


def test_bodies_go_out_as_views_of_at_most_one_chunk() -> None:
    sent = []

    async def send(message) -> None:
        sent.append(message)

    body = bytes(range(256)) * (CHUNK // 64)  # four chunks
    asyncio.run(send_in_chunks(send, {"type": "http.response.body", "body": body}))
    assert [len(m["body"]) for m in sent] == [CHUNK] * 4
    assert all(isinstance(m["body"], memoryview) for m in sent)
    assert [m["more_body"] for m in sent] == [True, True, True, False]
    assert b"".join(bytes(m["body"]) for m in sent) == body


def test_trusted_proxies_are_addresses_and_networks() -> None:
    proxies = Proxies(["10.0.0.0/24", "127.0.0.5"])
    assert "10.0.0.7" in proxies and "127.0.0.5" in proxies
    assert "127.0.0.1" not in proxies and "not-an-address" not in proxies
    assert "127.0.0.1" not in Proxies([])  # none by default, loopback included
    assert "192.0.2.1" in Proxies(["*"])


@pytest.mark.parametrize(
    ("query", "joins"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", 0),
        ("SELECT * WHERE { ?s ?p ?o . ?o ?q ?r ; ?t ?u , ?v }", 3),
        ("SELECT * WHERE { ?s ?p ?o FILTER(?o IN (1, 2, 3)) BIND(CONCAT('a', 'b') AS ?c) }", 0),
        ("SELECT * WHERE { { ?s ?p ?o } { ?s ?p ?o } { ?s ?p ?o } }", 2),
        ("SELECT * WHERE { { ?s ?p ?o } UNION { ?s ?p ?o } OPTIONAL { ?s ?p ?o } }", 0),
        ("SELECT * WHERE { ?s ?p '1.5, 2; 3.' . ?s <http://e/a.b> 1.5 }", 2),  # '.' in 1.5
    ],
)
def test_joins_are_counted_outside_parentheses_strings_and_iris(query: str, joins: int) -> None:
    assert sparql.shape(query)[1]["joins"] == joins


def test_a_query_past_the_joins_is_refused_naming_the_limit() -> None:
    query = "SELECT * WHERE { ?s ?p " + ", ".join(["?o"] * (MAX_JOINS + 2)) + " }"
    with pytest.raises(RefusedQuery) as refused:
        check_shape(query)
    assert str(refused.value).startswith(f"the query has {MAX_JOINS + 1} joins")
    check_shape("SELECT * WHERE { ?s ?p " + ", ".join(["?o"] * (MAX_JOINS + 1)) + " }")
