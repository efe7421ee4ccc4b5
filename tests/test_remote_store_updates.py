"""What ``RemoteStore.add_to_graph`` sends, without a server: a large graph goes in statements
Virtuoso's SPARQL compiler can take, and blank nodes keep one identity each."""

from __future__ import annotations

import pyoxigraph as ox

from kg.store.remote import INSERT_DATA_TRIPLES, RemoteStore


class Recording(RemoteStore):
    def __init__(self) -> None:
        super().__init__("http://127.0.0.1:1/sparql")
        self.sent: list[str] = []

    def update(self, text: str) -> None:
        self.sent.append(text)


def ground(n: int) -> bytes:
    return "".join(f"<http://e/s{i}> <http://e/p> <http://e/o{i}> .\n" for i in range(n)).encode()


def triples_in(statement: str) -> int:
    return sum(1 for line in statement.splitlines() if line.rstrip().endswith(" ."))


def test_a_large_graph_goes_in_statements_of_at_most_the_bound() -> None:
    store = Recording()
    store.add_to_graph("http://e/g", ground(2 * INSERT_DATA_TRIPLES + 1))
    assert [triples_in(s) for s in store.sent] == [INSERT_DATA_TRIPLES, INSERT_DATA_TRIPLES, 1]
    assert all(s.startswith("INSERT DATA { GRAPH <http://e/g> {") for s in store.sent)


def test_blank_nodes_go_together_in_one_template_with_an_empty_where() -> None:
    store = Recording()
    blank = b'_:b1 <http://e/p> "x" .\n<http://e/s> <http://e/q> _:b1 .\n'
    store.add_to_graph("http://e/g", ground(3) + blank)
    template, data = store.sent
    assert template.startswith("INSERT { GRAPH <http://e/g> {") and template.endswith("WHERE {}")
    assert template.count("_:b1") == 2 and triples_in(template) == 2
    assert data.startswith("INSERT DATA") and triples_in(data) == 3 and "_:" not in data


def test_every_statement_parses_as_sparql_update() -> None:
    store = Recording()
    store.add_to_graph("http://e/g", ground(5) + b'_:b <http://e/p> "y" .\n')
    for statement in store.sent:
        ox.Store().update(statement)  # raises SyntaxError on a broken statement
