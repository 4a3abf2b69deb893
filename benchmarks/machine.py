"""How fast this machine runs plain Python at the time of a run."""

from __future__ import annotations

import statistics
import time


def machine_ms() -> float:
    """How fast this machine runs plain Python now: the median ms of a fixed loop (10 million
    additions). Recorded with every run, so that figures from two sessions can be compared
    (the same code measured 1.6x slower on one day than on another on this shared 2-core
    machine)."""
    times = []
    for _ in range(5):
        start = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times))
