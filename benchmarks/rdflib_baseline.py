"""Baselines on rdflib, run in their own process by benchmarks/run.py (so a slow one can be
stopped): ``latency TRIG QUERIES_JSON REPS TIMEOUT`` prints per-query latencies as JSON (a query
that runs longer than TIMEOUT seconds is stopped and recorded as ``null``, one that rdflib
cannot run as the string ``"error: ..."``);
``serve TRIG PORT`` serves the dataset with rdflib-endpoint (union default graph)."""

from __future__ import annotations

import json
import sys
import time


def load(trig: str):
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    dataset.parse(trig, format="trig")
    return dataset


class Timeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise Timeout


def latency(trig: str, queries_json: str, reps: int, timeout: float) -> None:
    import signal

    started = time.perf_counter()
    dataset = load(trig)
    loaded = time.perf_counter() - started
    out = {"load_s": loaded, "queries": {}}
    # rdflib builds its SPARQL grammar on the first query it parses (about a second on a busy
    # machine): done here, untimed, so the first query's latency is the query's own.
    list(dataset.query("ASK {}"))
    signal.signal(signal.SIGALRM, _alarm)  # rdflib evaluates in Python: an alarm stops it
    for name, text in json.loads(queries_json).items():
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                list(dataset.query(text))
            except Timeout:
                times = None
                break
            except Exception as err:  # a query rdflib cannot run gives no number
                times = f"error: {type(err).__name__}: {str(err)[:120]}"
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            times.append(time.perf_counter() - t)
        out["queries"][name] = times
        print(json.dumps(out), flush=True)  # partial results survive a timeout


def serve(trig: str, port: int) -> None:
    import uvicorn
    from rdflib_endpoint import SparqlEndpoint

    app = SparqlEndpoint(graph=load(trig), path="/sparql")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    if sys.argv[1] == "latency":
        latency(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
    else:
        serve(sys.argv[2], int(sys.argv[3]))
