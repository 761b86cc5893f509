"""One branch day as SimPy processes: the door, the counters, kiosks and VTMs, the floor staff.

Policies (``POLICIES``):
- ``smart``: production code end to end (``recommend_route``, ``pick_next_ticket``, quotes from
  the same estimator);
- ``fifo``: a plain ticket printer; every counter may call exactly the tickets it may call under
  smart (same skills, languages, work profile), oldest first, its primary queue first;
- ``fifo_greeter``: the ticket printer plus a floor greeter who sends customers with a simple
  (instant) kiosk-capable task to the kiosks, with the same acceptance as smart's recommendation;
- ``routing_only`` / ``calling_only``: smart routing with printer calling and the reverse, to
  show where the gain comes from.

The day always ends: a counter with nothing it may call waits for a change (an arrival, a ticket
coming back from a failed kiosk, its hours, a ticket passing the hard cap) and SimPy stops when
no change is left; whoever still holds a ticket then is reported as stranded. A hard stop
``MAX_OVERTIME_MINUTES`` after closing backs this up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import simpy

from ..calibration import QuoteCalibration
from ..estimate import estimate_wait
from ..routing import queue_prefix_for, recommend_route, ticket_priority
from ..scoring import pick_fifo_ticket, pick_next_ticket
from ..types import (
    Channel,
    Complexity,
    CounterState,
    LiveState,
    PriorityClass,
    ServiceProfile,
    TicketId,
    WaitingTicket,
)
from .arrivals import Arrival, is_elderly, warm_service_times
from .scenario import Point, Scenario, Segment

BASELINES = ("fifo", "fifo_greeter")
POLICIES = ("smart", *BASELINES)
# Half-way policies that show where the gain comes from.
ABLATIONS = ("routing_only", "calling_only")
MACHINES = (Channel.KIOSK, Channel.VTM)
MAX_OVERTIME_MINUTES = 12 * 60.0
# Smart keeps a customer with a need for a counter equipped for it when one should be free within
# this many minutes of their arrival; otherwise, or after that, any counter may call them (3 minutes
# cost disabled customers more waiting than the 30 % longer service elsewhere saved).
ACCESSIBLE_HOLD_MINUTES = 1.0


@dataclass
class Visit:
    """One customer's stay, as the report needs it."""

    arrival: Arrival
    channel: Channel
    quote: float | None
    ticket_since: float  # when the current ticket was issued
    waited: float = 0.0  # minutes holding a ticket, over every ticket of the visit
    first_wait: float | None = None  # until the first call: what the quote promised
    called_at: float | None = None
    point: str | None = None
    outcome: str = "waiting"  # served | no_show | reneged | balked | stranded
    kiosk_failed: bool = False


class Branch:
    def __init__(self, env: simpy.Environment, scenario: Scenario, policy: str, seed: int):
        self.env = env
        self.scenario = scenario
        self.policy = policy
        self.smart_routing = policy in ("smart", "routing_only")
        self.smart_calling = policy in ("smart", "calling_only")
        self.greeter = policy == "fifo_greeter"
        self.weights = scenario.weights
        self.service_times = warm_service_times(scenario, seed)
        self.waiting: list[WaitingTicket] = []
        self.calibration = QuoteCalibration()  # smart's quotes correct their measured optimism
        # Keyed like the engine's tickets (TicketId); the simulator's ids are the arrivals' ints.
        self.raw_quotes: dict[TicketId, float | None] = {}
        self.visits: dict[TicketId, Visit] = {}
        self.busy_until: dict[str, float | None] = {point.id: None for point in scenario.points}
        self.busy_minutes: dict[str, float] = {point.id: 0.0 for point in scenario.points}
        self.services: list[tuple[str, float, float]] = []  # (point id, start, end)
        self.calls_by_queue: dict[str, dict[str, int]] = {point.id: {} for point in scenario.points}
        self.segments = {segment.name: segment for segment in scenario.segments}
        # Every queue a ticket can be in: the ticket printer's counters may call from all of
        # them, so they have exactly the permissions smart gives (skills, languages, profile).
        self.all_queues = tuple(
            sorted(
                {service.queue_prefix for service in scenario.services.values()}
                | {
                    self.weights.vip_queue_prefix,
                    self.weights.kiosk_queue_prefix,
                    self.weights.vtm_queue_prefix,
                }
                | {queue for point in scenario.points for queue in point.queues}
            )
        )
        self.floor = simpy.Resource(env, capacity=scenario.floor_staff) if scenario.floor_staff else None
        self.mismatches = {"language": 0, "accessibility": 0}  # services at a point not suited
        self.authorisations = 0
        self.floor_staff_wait = 0.0  # minutes kiosks waited for a floor staff member
        self.any_accessible = any(point.accessibility for point in scenario.points)
        self.arrivals_done = False
        self.last_activity = 0.0  # the last arrival or end of a service: when the day really ended
        self.no_shows = 0
        self.wakeup = env.event()

    # -- the lobby ------------------------------------------------------------------------------

    def state_of(self, point: Point) -> CounterState:
        busy = self.busy_until[point.id]
        return CounterState(
            id=point.id,
            kind=point.kind,
            skills=point.skills,
            languages=point.languages,
            open=self.is_open(point),
            busy_until=None if busy is None else max(busy, self.env.now),
            specialties=point.specialties,
            queue_prefixes=point.queues if self.smart_calling else self.all_queues,
            primary_queue=point.primary_queue,
            work_profile=point.work_profile,
            calls_by_queue=dict(self.calls_by_queue[point.id]),
            hours=self.hours_ahead(point),
        )

    def hours_ahead(self, point: Point) -> tuple[tuple[float, float], ...]:
        """The point's hours from now on, as its roster tells the live branch: lunch breaks and
        an early end are known; a point on duty at closing serves everyone still waiting."""
        day = self.scenario.day_minutes
        return tuple(
            (start, math.inf if end >= day else end) for start, end in point.hours
            if end > self.env.now or end >= day
        )

    def counter_states(self) -> tuple[CounterState, ...]:
        return tuple(self.state_of(point) for point in self.scenario.points)

    def is_open(self, point: Point) -> bool:
        now = self.env.now
        if any(start <= now < end for start, end in point.hours):
            return True
        # After closing time the tellers still on duty serve everyone already holding a ticket.
        last_end = max(end for _, end in point.hours)
        return now >= self.scenario.day_minutes and last_end >= self.scenario.day_minutes

    def segment(self, arrival: Arrival) -> Segment:
        return self.segments[arrival.segment]

    def notify(self) -> None:
        wakeup, self.wakeup = self.wakeup, self.env.event()
        wakeup.succeed()

    # -- the door -------------------------------------------------------------------------------

    def arrive(self, arrival: Arrival) -> None:
        self.last_activity = self.env.now
        if self.balks(arrival):
            self.visits[arrival.id] = Visit(arrival, Channel.COUNTER, None, self.env.now, outcome="balked")
            return
        if self.smart_routing:
            ticket, quote = self.route_smart(arrival)
        else:
            ticket, quote = self.route_printer(arrival)
        self.waiting.append(ticket)
        self.visits[arrival.id] = Visit(arrival, ticket.channel, quote, self.env.now)
        if arrival.patience is not None:
            self.env.process(self.renege(arrival, arrival.patience))
        self.notify()

    def balks(self, arrival: Arrival) -> bool:
        balking = self.scenario.balking
        if balking is None or arrival.booked:
            return False
        extra = len(self.waiting) - balking.lobby_length
        return extra > 0 and arrival.balk_draw < min(balking.max_probability, balking.per_extra * extra)

    def renege(self, arrival: Arrival, patience: float):
        yield self.env.timeout(patience)
        visit = self.visits[arrival.id]
        ticket = next((t for t in self.waiting if t.id == arrival.id), None)
        if ticket is not None and visit.called_at is None:
            self.waiting.remove(ticket)
            visit.waited += self.env.now - visit.ticket_since
            visit.outcome = "reneged"

    def live_state(self) -> LiveState:
        return LiveState(
            now=self.env.now,
            waiting=tuple(self.waiting),
            counters=self.counter_states(),
            service_times=self.service_times,
        )

    def route_smart(
        self, arrival: Arrival, *, counter_only: bool = False
    ) -> tuple[WaitingTicket, float | None]:
        service = self.scenario.services[arrival.service]
        live = self.live_state()
        if counter_only:
            service = replace(service, channels=frozenset({Channel.COUNTER}))
        route = recommend_route(service, arrival.customer, arrival.appointment, live, self.weights)
        declines = arrival.choice >= self.segment(arrival).acceptance
        if route.channel in MACHINES and Channel.COUNTER in service.channels and declines:
            # The customer declines the machine and asks for a teller.
            teller_only = replace(service, channels=frozenset({Channel.COUNTER}))
            route = recommend_route(teller_only, arrival.customer, arrival.appointment, live, self.weights)
        window = None
        if route.priority_class == PriorityClass.APPOINTMENT and arrival.appointment:
            window = (arrival.appointment.window_start, arrival.appointment.window_end)
        ticket = WaitingTicket(
            id=arrival.id,
            service_code=service.code,
            channel=route.channel,
            queue_prefix=route.queue_prefix,
            priority_class=route.priority_class,
            # A customer sent back from a failed kiosk keeps their place in time (a transfer).
            arrived_at=arrival.at if counter_only else self.env.now,
            vip_tier=arrival.customer.vip_tier,
            appointment_window=window,
            language=route.language_required,
        )
        quote = route.estimated_wait_minutes
        if not counter_only:
            self.raw_quotes[arrival.id] = quote
            quote = self.calibration.adjust(route.channel, quote)
        return ticket, quote

    def route_printer(
        self, arrival: Arrival, *, counter_only: bool = False
    ) -> tuple[WaitingTicket, float | None]:
        service = self.scenario.services[arrival.service]
        channel = self.printer_channel(arrival, service, counter_only)
        priority_class, _ = ticket_priority(arrival.customer, arrival.appointment, self.env.now, self.weights)
        window = None
        if priority_class == PriorityClass.APPOINTMENT and arrival.appointment:
            window = (arrival.appointment.window_start, arrival.appointment.window_end)
        ticket = WaitingTicket(
            id=arrival.id,
            service_code=service.code,
            channel=channel,
            queue_prefix=queue_prefix_for(channel, service, arrival.customer, self.weights),
            priority_class=priority_class,
            arrived_at=self.env.now,
            vip_tier=arrival.customer.vip_tier,
            appointment_window=window,
        )
        # The printer itself shows "N waiting"; the same estimator with its rule flatters it.
        quote = estimate_wait(
            ticket.id,
            (*self.waiting, ticket),
            self.counter_states(),
            self.service_times,
            self.env.now,
            self.weights,
            fifo=not self.smart_calling,
        )
        return ticket, quote

    def printer_channel(self, arrival: Arrival, service: ServiceProfile, counter_only: bool) -> Channel:
        if counter_only:
            return Channel.COUNTER
        segment = self.segment(arrival)
        machines = [c for c in MACHINES if c in service.channels and self.any_open(c, service)]
        if Channel.COUNTER not in service.channels:
            return machines[0] if machines else next(iter(service.channels))
        if self.greeter and Channel.KIOSK in machines and self.greeter_offers(arrival, service):
            if arrival.choice < segment.acceptance:
                return Channel.KIOSK
            return Channel.COUNTER
        if machines and arrival.choice < segment.self_service_share:
            return machines[0]
        return Channel.COUNTER

    def greeter_offers(self, arrival: Arrival, service: ServiceProfile) -> bool:
        """The greeter suggests a kiosk for simple tasks, not to those smart keeps at a teller."""
        keeps_teller = (arrival.customer.needs or is_elderly(self.scenario, arrival.customer)) and not (
            self.weights.self_service_for_elderly
        )
        return service.complexity == Complexity.INSTANT and not keeps_teller

    def any_open(self, channel: Channel, service: ServiceProfile) -> bool:
        return any(
            point.kind == channel and service.code in point.skills and self.is_open(point)
            for point in self.scenario.points
        )

    # -- processes ------------------------------------------------------------------------------

    def arrivals(self, arrivals: list[Arrival]):
        for arrival in arrivals:
            yield self.env.timeout(max(0.0, arrival.at - self.env.now))
            self.arrive(arrival)
        self.arrivals_done = True
        self.notify()

    def counter(self, point: Point):
        env = self.env
        while True:
            if not self.is_open(point):
                reopen = [start for start, _ in point.hours if start > env.now]
                if not reopen and env.now >= self.scenario.day_minutes:
                    return  # off duty for the day
                yield env.timeout((min(reopen) if reopen else self.scenario.day_minutes) - env.now)
                continue
            ticket = self.pick(point)
            if ticket is None:
                change = self.next_change(point)
                # With no change in sight only an event can give it work; when none is left
                # either, SimPy runs out of events and the day ends.
                yield self.wakeup if change is None else self.wakeup | env.timeout(change)
                continue
            yield from self.serve(point, ticket)

    def pick(self, point: Point) -> WaitingTicket | None:
        state = self.state_of(point)
        visible = [t for t in self.waiting if self.may_call(point, t)]
        if self.smart_calling:
            return pick_next_ticket(state, visible, self.env.now, self.weights, self.service_times)
        return pick_fifo_ticket(state, visible)

    def may_call(self, point: Point, ticket: WaitingTicket) -> bool:
        """Smart knows the customer's needs: a counter not equipped for them leaves them to one
        that is, as long as such a counter should be free within a few minutes of their arrival.
        The printer knows nothing about the customer."""
        if not self.smart_calling or not self.any_accessible:
            return True
        needs = self.visits[ticket.id].arrival.customer.needs
        if not needs or needs <= point.accessibility or point.kind != Channel.COUNTER:
            return True
        free_by = ticket.arrived_at + ACCESSIBLE_HOLD_MINUTES
        return self.env.now > free_by or not any(
            needs <= other.accessibility
            and self.is_open(other)
            and (self.busy_until[other.id] or 0.0) <= free_by
            for other in self.scenario.points
            if other.kind == Channel.COUNTER
        )

    def serve(self, point: Point, ticket: WaitingTicket):
        env = self.env
        self.waiting.remove(ticket)
        calls = self.calls_by_queue[point.id]
        calls[ticket.queue_prefix] = calls.get(ticket.queue_prefix, 0) + 1
        visit = self.visits[ticket.id]
        visit.waited += env.now - visit.ticket_since
        if visit.first_wait is None:
            visit.first_wait = env.now - visit.arrival.at
            raw = self.raw_quotes.get(ticket.id)
            if raw is not None:
                self.calibration.record(ticket.channel, quoted=raw, waited=visit.first_wait)
        visit.called_at, visit.point = env.now, point.id
        arrival = visit.arrival
        if arrival.no_show and point.kind == Channel.COUNTER:
            self.no_shows += 1
            visit.outcome = "no_show"
            yield env.timeout(self.scenario.recall_minutes)
            self.last_activity = env.now
            return
        minutes = self.handling_minutes(point, ticket, arrival)
        self.busy_until[point.id] = env.now + self.service_times.expected(ticket.service_code, point.kind)
        started = env.now
        if point.kind == Channel.KIOSK and self.needs_authorisation(ticket):
            yield from self.authorise()
        fails = (
            point.kind == Channel.KIOSK
            and arrival.kiosk_fails
            and Channel.COUNTER in self.scenario.durations[arrival.service]
        )
        if fails:
            # Arrivals draw kiosk_fails only when the scenario has a kiosk_failure.
            assert self.scenario.kiosk_failure is not None
            yield env.timeout(minutes * self.scenario.kiosk_failure.time_share)
        else:
            yield env.timeout(minutes)
        self.busy_until[point.id] = None
        self.busy_minutes[point.id] += env.now - started
        self.services.append((point.id, started, env.now))
        self.last_activity = env.now
        if fails:
            self.back_to_a_counter(visit)
            return
        visit.outcome = "served"
        self.service_times.record(ticket.service_code, point.kind, minutes)

    def handling_minutes(self, point: Point, ticket: WaitingTicket, arrival: Arrival) -> float:
        # A kiosk/VTM customer called over to a counter after the cap takes a counter's time.
        minutes = arrival.durations.get(point.kind, arrival.durations[ticket.channel])
        customer = arrival.customer
        if point.kind != Channel.KIOSK and customer.language not in point.languages:
            self.mismatches["language"] += 1
            minutes *= self.scenario.multiplier("language_mismatch")
        if customer.needs and point.kind == Channel.COUNTER and not customer.needs <= point.accessibility:
            self.mismatches["accessibility"] += 1
            minutes *= self.scenario.multiplier("accessibility_mismatch")
        return minutes

    def needs_authorisation(self, ticket: WaitingTicket) -> bool:
        authorisation = self.scenario.authorisation
        return (
            authorisation is not None
            and self.floor is not None
            and ticket.service_code in authorisation.services
        )

    def authorise(self):
        """The kiosk waits for a free floor staff member, who checks and authorises."""
        asked = self.env.now
        with self.floor.request() as request:
            yield request
            self.authorisations += 1
            self.floor_staff_wait += self.env.now - asked
            yield self.env.timeout(self.scenario.authorisation.duration.mean)

    def back_to_a_counter(self, visit: Visit) -> None:
        visit.kiosk_failed = True
        if self.smart_routing:
            ticket, _ = self.route_smart(visit.arrival, counter_only=True)
        else:
            ticket, _ = self.route_printer(visit.arrival, counter_only=True)
        visit.channel, visit.ticket_since, visit.called_at = Channel.COUNTER, self.env.now, None
        self.waiting.append(ticket)
        self.notify()

    def next_change(self, point: Point) -> float | None:
        """Minutes until this counter must look again without being woken: its opening hours
        change, or a waiting ticket passes the cap (and so may become its to call)."""
        now = self.env.now
        edges = [t for hours in point.hours for t in hours if t > now]
        if self.smart_calling:
            cap = self.weights.max_wait_minutes
            edges += [t.arrived_at + cap + 1e-6 for t in self.waiting if t.arrived_at + cap + 1e-6 > now]
        if now < self.scenario.day_minutes:
            edges.append(self.scenario.day_minutes)
        return min(edges) - now if edges else None

    def strand_the_rest(self) -> None:
        for ticket in self.waiting:
            visit = self.visits[ticket.id]
            visit.waited += self.env.now - visit.ticket_since
            visit.outcome = "stranded"
