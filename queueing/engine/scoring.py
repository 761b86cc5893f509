"""Call next: which waiting ticket a counter should call."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .types import CounterState, PolicyWeights, PriorityClass, TicketId, WaitingTicket

if TYPE_CHECKING:
    from .service_times import ServiceTimeModel


def class_weight(ticket: WaitingTicket, now: float, weights: PolicyWeights) -> float:
    points = weights.vip_weight * ticket.vip_tier
    if ticket.priority_class == PriorityClass.ELDERLY:
        points += weights.elderly_weight
    elif ticket.priority_class == PriorityClass.DISABILITY:
        points += weights.disability_weight
    elif ticket.priority_class == PriorityClass.APPOINTMENT:
        # Early check-ins wait like everyone else until their window opens.
        window = ticket.appointment_window
        if window is None or now >= window[0]:
            points += weights.appointment_weight
    return points


def aged_wait(ticket: WaitingTicket, now: float, weights: PolicyWeights) -> float:
    """Minutes waited, counted ``priority_ageing_multiplier`` times over for an elderly or disabled
    customer: their priority grows faster while they wait (the hard cap still counts real
    minutes, so it protects everyone alike)."""
    waited = max(0.0, now - ticket.arrived_at)
    if ticket.priority_class in (PriorityClass.ELDERLY, PriorityClass.DISABILITY):
        return waited * weights.priority_ageing_multiplier
    return waited


def service_level_bonus(ticket: WaitingTicket, now: float, weights: PolicyWeights) -> float:
    """Points for a ticket about to pass the branch's service level (say 15 minutes): calling it
    now keeps one more customer within it. Past the level the bonus is gone (the hard cap then
    bounds the wait), so a short backlog is worked off without letting everyone slip over."""
    if not weights.service_level_weight:
        return 0.0
    waited = now - ticket.arrived_at
    level = weights.service_level_minutes
    near = level - weights.service_level_window_minutes <= waited < level
    return weights.service_level_weight if near else 0.0


def ticket_score(
    ticket: WaitingTicket,
    now: float,
    weights: PolicyWeights,
    service_times: ServiceTimeModel | None = None,
) -> float:
    score = (weights.ageing_per_minute * aged_wait(ticket, now, weights)
             + class_weight(ticket, now, weights) + ticket.boost)
    score += service_level_bonus(ticket, now, weights)
    if service_times is not None and weights.short_job_weight:
        expected = service_times.expected(ticket.service_code, ticket.channel)
        shorter_by = max(0.0, weights.short_job_reference_minutes - expected)
        score += weights.short_job_weight * shorter_by
    return score


def pick_next(
    counter: CounterState,
    waiting: Iterable[WaitingTicket],
    now: float,
    weights: PolicyWeights,
    service_times: ServiceTimeModel | None = None,
) -> TicketId | None:
    ticket = pick_next_ticket(counter, waiting, now, weights, service_times)
    return None if ticket is None else ticket.id


def pick_next_ticket(
    counter: CounterState,
    waiting: Iterable[WaitingTicket],
    now: float,
    weights: PolicyWeights,
    service_times: ServiceTimeModel | None = None,
) -> WaitingTicket | None:
    """``pick_next`` returning the ticket itself (the estimator and simulator need it)."""
    if not counter.open:
        return None
    cap = weights.max_wait_minutes
    servable = [
        ticket for ticket in waiting
        if counter.can_serve(ticket, overdue=now - ticket.arrived_at > cap,
                             language_waived=weights.language_waived(ticket, now))
    ]
    if counter.specialties:
        # A specialist desk (wealth, VIP room) serves its own customers first and helps with
        # the general queue only when none are waiting.
        own = [ticket for ticket in servable if ticket.service_code in counter.specialties]
        servable = own or servable
    if counter.work_profile is not None:
        servable = _by_work_profile(counter, servable, now, cap)
    elif counter.primary_queue is not None:
        servable = _primary_first(counter.primary_queue, servable, now, cap)
    best: WaitingTicket | None = None
    best_key: tuple[int, float, float] | None = None
    for ticket in servable:
        waited = now - ticket.arrived_at
        if waited > cap:
            # Past the hard cap: above every score, longest-waiting first.
            key = (1, waited, -ticket.arrived_at)
        else:
            key = (0, ticket_score(ticket, now, weights, service_times), -ticket.arrived_at)
        if best_key is None or key > best_key:
            best, best_key = ticket, key
    return best


def _primary_first(queue: str, servable: list[WaitingTicket], now: float,
                   cap: float) -> list[WaitingTicket]:
    """A counter with a primary queue (a VIP room teller: V) calls from it first, as the ticket
    printer does; a ticket past the hard cap anywhere still comes first."""
    if any(now - t.arrived_at > cap for t in servable):
        return servable
    return [t for t in servable if t.queue_prefix == queue] or servable


def _by_work_profile(counter: CounterState, servable: list[WaitingTicket], now: float,
                     cap: float) -> list[WaitingTicket]:
    """The tickets the counter's work profile lets it call now: those of its queues, past the
    hard cap first, else those of the queue the profile chooses. A ticket transferred to this
    very counter is its own queue's business and stays callable."""
    profile = counter.work_profile
    assert profile is not None
    mine = [t for t in servable if t.queue_prefix in profile.queues or t.counter_id == counter.id]
    overdue = [t for t in mine if now - t.arrived_at > cap]
    if overdue:
        return overdue
    direct = [t for t in mine if t.counter_id == counter.id]
    if direct:
        return direct
    queue = profile.choose_queue(frozenset(t.queue_prefix for t in mine), counter.calls_by_queue)
    return [t for t in mine if t.queue_prefix == queue]


def pick_fifo_ticket(counter: CounterState, waiting: Iterable[WaitingTicket]) -> WaitingTicket | None:
    """A plain ticket printer: the oldest ticket among the queues the counter calls from (its
    primary queue, if it has one, before the others; within its work profile's choice of queue
    when it has one), skipping services it has no skill for. The simulator's baselines."""
    if not counter.open:
        return None
    candidates = [t for t in waiting if t.queue_prefix in counter.queue_prefixes and counter.can_serve(t)]
    profile = counter.work_profile
    if profile is not None:
        # The counter's work profile chooses the queue, as it does for pick_next (no hard cap:
        # a ticket printer has none).
        mine = [t for t in candidates if t.queue_prefix in profile.queues or t.counter_id == counter.id]
        queue = profile.choose_queue(frozenset(t.queue_prefix for t in mine), counter.calls_by_queue)
        candidates = [t for t in mine if t.queue_prefix == queue or t.counter_id == counter.id]
    best_primary: WaitingTicket | None = None
    best_other: WaitingTicket | None = None
    for ticket in candidates:
        if ticket.queue_prefix == counter.primary_queue:
            if best_primary is None or ticket.arrived_at < best_primary.arrived_at:
                best_primary = ticket
        elif best_other is None or ticket.arrived_at < best_other.arrived_at:
            best_other = ticket
    return best_primary or best_other
