"""Wait estimates: simulate the current queue forward over the open counters and their skills."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import replace

from .overtaking import recent_samples, with_overtaking
from .scoring import pick_fifo_ticket, pick_next_ticket, ticket_score
from .service_times import ServiceTimeModel
from .types import CounterState, PolicyWeights, PriorityClass, TicketId, WaitingTicket


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

    Runs the same call-next rule as the counters (``fifo`` for the simulator's baseline) over the
    tickets waiting now, then adds the expected delay from later arrivals with a higher score,
    at the rate such tickets arrived lately (``overtaking``; not for ``fifo``, where nobody
    overtakes).
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
    counters = list(counters)
    result = _forward_called(remaining, counters, service_times, now, weights, fifo=fifo,
                             stop_at=stop_at)
    samples = [] if fifo else recent_samples(remaining, now, weights, service_times)
    if samples:
        for ticket in remaining:
            wait = result.get(ticket.id)
            if wait is not None and (stop_at is _NOT_GIVEN or ticket.id == stop_at):
                result[ticket.id] = with_overtaking(ticket, wait, samples, counters, now, weights,
                                                    service_times)
    return result


def _forward_called(waiting, counters, service_times, now, weights, *, fifo, stop_at):
    """Minutes until each ticket is called with no further arrivals."""
    remaining = list(waiting)
    result: dict[TicketId, float | None] = {ticket.id: None for ticket in remaining}
    free_at = []
    for index, counter in enumerate(counters):
        first = _first_call(counter, now)
        if first is not None:
            # A closed counter known to open later calls from then on.
            free_at.append((first, index, counter if counter.open else replace(counter, open=True)))
    heapq.heapify(free_at)
    if not free_at:
        return result
    picker = None if fifo else _Picker(remaining, now, weights, service_times)
    while free_at and remaining:
        at, index, counter = heapq.heappop(free_at)
        if fifo:
            ticket = pick_fifo_ticket(counter, remaining)
        else:
            ticket = picker.pick(counter, at)
        if ticket is None:
            # Nothing it can serve now; without new arrivals, only a language preference
            # reaching its bound makes a ticket servable later.
            later = _next_language_waiver(picker.remaining() if picker else remaining, at, weights)
            later = None if later is None else counter.on_duty_from(later)
            if later is not None:
                heapq.heappush(free_at, (later, index, counter))
            continue
        result[ticket.id] = at - now
        if ticket.id == stop_at:
            break
        if fifo:
            remaining.remove(ticket)
        else:
            picker.remove(ticket)
            if not picker.left:
                break
        busy = service_times.expected(ticket.service_code, counter.kind)
        # A teller finishes the customer at hand, then calls again only while on duty.
        following = counter.on_duty_from(at + busy)
        if following is not None:
            heapq.heappush(free_at, (following, index, counter))
    return result


def _first_call(counter: CounterState, now: float) -> float | None:
    """When the counter can first call a ticket; None if not today."""
    free = max(now, counter.busy_until or now)
    if counter.hours is None:
        return free if counter.open else None
    if counter.open and counter.on_duty_from(now) != now:
        # Signed in outside its known hours (working through a break): the hours are not being
        # followed, so it calls now and keeps to them afterwards.
        return free
    if not counter.open:
        # Closed now: it comes back at its next period, not one that should have started.
        later = [(start, end) for start, end in counter.hours if start > now]
        return max(free, later[0][0]) if later else None
    return counter.on_duty_from(free)


def _next_language_waiver(tickets, at: float, weights: PolicyWeights) -> float | None:
    bound = weights.language_wait_minutes
    if bound is None:
        return None
    times = [t.arrived_at + bound for t in tickets if t.language is not None and t.arrived_at + bound > at]
    return min(times, default=None)


class _Picker:
    """``pick_next_ticket`` over a shrinking set of tickets, without rescoring them all per call.

    Ageing is linear in time and the same for every ticket, so between two tickets the order of
    scores never changes as time passes — except for appointment windows that open later (their
    weight starts then) and for the hard cap. The picker therefore sorts the tickets once by
    score and once by arrival: the best ticket is the oldest servable one past the cap, else the
    first servable one in score order, compared with the few "dynamic" tickets (an appointment
    window still to open, an arrival after ``now``) scored exactly. Specialist desks use the plain
    rule. Same result as ``pick_next_ticket``; O(n log n) for a whole forward simulation instead
    of O(n^2) when counters can serve most tickets.
    """

    def __init__(self, tickets, now, weights, service_times):
        self.weights = weights
        self.service_times = service_times
        self.order = {id(ticket): index for index, ticket in enumerate(tickets)}
        self.removed: set[int] = set()
        self.left = len(tickets)
        self.tickets = tickets
        static, self.dynamic = [], []
        for index, ticket in enumerate(tickets):
            window = ticket.appointment_window
            later_window = (ticket.priority_class == PriorityClass.APPOINTMENT and window is not None
                            and window[0] > now)
            # A ticket whose priority ages faster than the others' is scored afresh each time.
            ages_faster = (weights.priority_ageing_multiplier != 1.0 and ticket.priority_class
                           in (PriorityClass.ELDERLY, PriorityClass.DISABILITY))
            # So is one that may still enter or leave the service-level window.
            near_level = (weights.service_level_weight != 0.0
                          and now - ticket.arrived_at < weights.service_level_minutes)
            if later_window or ages_faster or near_level or ticket.arrived_at > now:
                self.dynamic.append(ticket)
            else:
                # Every static ticket's score grows by the same ageing from `now` on.
                score = ticket_score(ticket, now, weights, service_times)
                static.append((-score, ticket.arrived_at, index, ticket))
        # Both lists are kept reversed (best last) so called tickets pop off the end.
        static.sort(key=lambda row: row[:3], reverse=True)
        self.by_score = [row[3] for row in static]
        self.by_arrival = sorted(tickets, key=lambda t: (t.arrived_at, self.order[id(t)]),
                                 reverse=True)

    def remaining(self):
        return [t for t in self.tickets if id(t) not in self.removed]

    def remove(self, ticket) -> None:
        self.removed.add(id(ticket))
        self.left -= 1
        self.dynamic = [other for other in self.dynamic if other is not ticket]

    def _live(self, tickets):
        """The tickets not yet called, in order; drops called ones from the front for good."""
        removed = self.removed
        while tickets and id(tickets[-1]) in removed:
            tickets.pop()
        return (ticket for ticket in reversed(tickets) if id(ticket) not in removed)

    def pick(self, counter, at):
        if not counter.open:
            return None
        if counter.specialties or counter.work_profile is not None or counter.primary_queue:
            # The general rule; the fast path below knows neither kind of preference.
            return pick_next_ticket(counter, [t for t in self.tickets if id(t) not in self.removed],
                                    at, self.weights, self.service_times)
        cap = self.weights.max_wait_minutes
        # Past the hard cap: longest-waiting first (arrival order, then input order).
        for ticket in self._live(self.by_arrival):
            if not at - ticket.arrived_at > cap:
                break
            if counter.can_serve(ticket, overdue=True):
                return ticket
        waived = self.weights.language_waived
        best, best_key = None, None
        for ticket in self._live(self.by_score):
            if at - ticket.arrived_at > cap or not counter.can_serve(
                    ticket, language_waived=waived(ticket, at)):
                continue
            best = ticket
            best_key = (ticket_score(ticket, at, self.weights, self.service_times),
                        -ticket.arrived_at, -self.order[id(ticket)])
            break
        for ticket in self.dynamic:
            if at - ticket.arrived_at > cap or not counter.can_serve(
                    ticket, language_waived=waived(ticket, at)):
                continue
            key = (ticket_score(ticket, at, self.weights, self.service_times),
                   -ticket.arrived_at, -self.order[id(ticket)])
            if best_key is None or key > best_key:
                best, best_key = ticket, key
        return best
