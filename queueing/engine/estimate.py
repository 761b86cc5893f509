"""Wait estimates: simulate the current queue forward over the open counters and their skills."""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from .scoring import pick_fifo_ticket, pick_next_ticket
from .service_times import ServiceTimeModel
from .types import CounterState, PolicyWeights, TicketId, WaitingTicket


def estimate_waits(
    waiting: Iterable[WaitingTicket],
    counters: Iterable[CounterState],
    service_times: ServiceTimeModel,
    now: float,
    weights: PolicyWeights,
    *,
    fifo: bool = False,
) -> dict[TicketId, float | None]:
    """Minutes from ``now`` until each ticket is called; None when no open counter serves it.

    Runs the same call-next rule as the counters (``fifo`` for the simulator's baseline), with no
    further arrivals: a ticket arriving later with a higher score may still overtake.
    """
    return _forward(waiting, counters, service_times, now, weights, fifo=fifo)


def estimate_wait(
    ticket_id: TicketId,
    waiting: Iterable[WaitingTicket],
    counters: Iterable[CounterState],
    service_times: ServiceTimeModel,
    now: float,
    weights: PolicyWeights,
    *,
    fifo: bool = False,
) -> float | None:
    """``estimate_waits`` for one ticket; stops as soon as that ticket is called."""
    waits = _forward(waiting, counters, service_times, now, weights, fifo=fifo, stop_at=ticket_id)
    return waits.get(ticket_id)


_NOT_GIVEN = object()


def _forward(waiting, counters, service_times, now, weights, *, fifo, stop_at=_NOT_GIVEN):
    remaining = list(waiting)
    result: dict[TicketId, float | None] = {ticket.id: None for ticket in remaining}
    free_at = [
        (max(now, counter.busy_until or now), index, counter)
        for index, counter in enumerate(counters)
        if counter.open
    ]
    heapq.heapify(free_at)
    while free_at and remaining:
        at, index, counter = heapq.heappop(free_at)
        if fifo:
            ticket = pick_fifo_ticket(counter, remaining)
        else:
            ticket = pick_next_ticket(counter, remaining, at, weights, service_times)
        if ticket is None:
            continue  # nothing it can serve now; without new arrivals, nothing later either
        result[ticket.id] = at - now
        if ticket.id == stop_at:
            break
        remaining.remove(ticket)
        busy = service_times.expected(ticket.service_code, counter.kind)
        heapq.heappush(free_at, (at + busy, index, counter))
    return result
