"""Quotes that count the customers who have not arrived yet but will be called first.

The forward simulation in ``estimate`` sees only the tickets already waiting, so a customer with a
higher priority who arrives while you wait (an older customer on pension day, a VIP, an on-time
appointment) overtakes you and the quote comes out optimistic: on the simulated pension day this
accounted for all of the quotes' optimism, most of it in the queue at the door.

The correction needs no new data: the tickets that arrived in the last
``PolicyWeights.overtaking_window_minutes`` and are still waiting give the rate at which each kind
of ticket arrives. A ticket like one of them arriving ``u`` minutes from now overtakes yours if its
score is the higher when yours is called; scores grow linearly with the wait, so that holds for
``u`` below a bound ``d``. Over a wait ``W`` each such sample therefore adds ``d(W) / window``
expected overtakers, each holding one of the ``c`` counters that can serve you for its expected
service time:

    W' = W + sum over samples of d(W') / window * service / c

solved by a few fixed-point steps. The hard cap ends overtaking: past it a ticket is called first,
so the correction never lifts a quote beyond the cap (nor a quote already beyond it).
Recent arrivals already called are not counted (the caller's data has only the waiting list); in
a busy spell, when overtaking matters, most recent arrivals are still waiting.
"""

from __future__ import annotations

from dataclasses import dataclass

from .scoring import ticket_score
from .service_times import ServiceTimeModel
from .types import CounterState, PolicyWeights, PriorityClass, WaitingTicket

_STEPS = 4
_MIN_SPAN = 5.0  # minutes: a burst of arrivals is not taken for a lasting rate


@dataclass(frozen=True)
class _Sample:
    channel: object
    base_score: float  # the score it has on arrival
    ageing: float  # points per minute waited
    service: float  # expected minutes of service


def _ageing(ticket: WaitingTicket, weights: PolicyWeights) -> float:
    if ticket.priority_class in (PriorityClass.ELDERLY, PriorityClass.DISABILITY):
        return weights.ageing_per_minute * weights.priority_ageing_multiplier
    return weights.ageing_per_minute


def recent_samples(waiting: list[WaitingTicket], now: float, weights: PolicyWeights,
                   service_times: ServiceTimeModel) -> list[tuple[WaitingTicket, _Sample]]:
    """The waiting tickets that arrived within the window: what is arriving now."""
    window = weights.overtaking_window_minutes
    if window <= 0:
        return []
    return [
        (ticket, _Sample(ticket.channel,
                         ticket_score(ticket, ticket.arrived_at, weights, service_times),
                         _ageing(ticket, weights),
                         service_times.expected(ticket.service_code, ticket.channel)))
        for ticket in waiting if now - window < ticket.arrived_at <= now
    ]


def _span(samples, now: float, weights: PolicyWeights) -> float:
    """Minutes the samples were drawn over: the window, or less when the first of them arrived
    later than its start (the doors opened a few minutes ago), but at least ``_MIN_SPAN``."""
    first = min(ticket.arrived_at for ticket, _ in samples)
    return max(min(weights.overtaking_window_minutes, now - first), _MIN_SPAN)


def _servers(counters: list[CounterState], now: float, wait: float) -> float:
    """Counters open for calls over the next ``wait`` minutes, on average: one that goes to
    lunch half-way counts half (its known hours); at least the next minute is looked at."""
    horizon = max(wait, 1.0)
    return sum(c.duty_minutes(now, now + horizon) for c in counters) / horizon


def with_overtaking(ticket: WaitingTicket, wait: float, samples, counters: list[CounterState],
                    now: float, weights: PolicyWeights,
                    service_times: ServiceTimeModel) -> float:
    """``wait`` (the forward simulation's) plus the expected delay from later arrivals that
    will be called first."""
    waited = now - ticket.arrived_at
    if not samples or waited + wait >= weights.max_wait_minutes:
        return wait
    serving = [c for c in counters if c.kind == ticket.channel and ticket.service_code in c.skills]
    rivals = [s for other, s in samples if other is not ticket and s.channel == ticket.channel]
    if not rivals or not _servers(serving, now, wait):
        return wait
    span = _span(samples, now, weights)
    limit = weights.max_wait_minutes - waited
    estimate = wait
    for _ in range(_STEPS):
        servers = _servers(serving, now, estimate)
        if not servers:
            break
        per_minute = 1.0 / (span * servers)
        mine = ticket_score(ticket, now + estimate, weights, service_times)
        delay = 0.0
        for rival in rivals:
            # A rival arriving u minutes from now scores rival.ageing * (estimate - u) + base
            # when this ticket is called: higher than ``mine`` while u < bound.
            if rival.ageing > 0:
                bound = estimate - (mine - rival.base_score) / rival.ageing
            else:
                bound = estimate if rival.base_score > mine else 0.0
            delay += min(estimate, max(0.0, bound)) * rival.service * per_minute
        estimate = min(limit, wait + delay)
    return max(wait, estimate)
