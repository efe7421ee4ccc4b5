"""A job for the query pool that holds memory for a while: what a heavy query does."""

from __future__ import annotations

import time

from kg.server.worker import Outcome

MIB = 2**20


def hold_memory(store: object, mib: int, seconds: float) -> Outcome:
    held = bytearray(mib * MIB)
    for offset in range(0, len(held), 4096):  # touch every page: resident, not only reserved
        held[offset] = 1
    time.sleep(seconds)
    return Outcome(200, body=str(len(held)).encode())
