"""Callbacks that apps above servicedesk register (servicedesk may not import them).

`register_served_counter(fn)`: `fn(branch_ids: list[int], start: datetime, end: datetime) ->
dict[int, int]` returns how many customers each branch served in [start, end). Queueing registers
one so reports can show complaints per 10,000 customers served.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

ServedCounter = Callable[[list[int], dt.datetime, dt.datetime], dict[int, int]]
served_counters: list[ServedCounter] = []


def register_served_counter(counter: ServedCounter) -> ServedCounter:
    if counter not in served_counters:
        served_counters.append(counter)
    return counter


def served_counts(branch_ids: list[int], start: dt.datetime, end: dt.datetime) -> dict[int, int]:
    totals: dict[int, int] = {}
    for counter in served_counters:
        for branch_id, count in counter(branch_ids, start, end).items():
            totals[branch_id] = totals.get(branch_id, 0) + count
    return totals
