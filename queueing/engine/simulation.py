"""A branch day as a discrete-event simulation (SimPy), driving the production engine.

The "smart" policy routes every arrival with ``recommend_route``, counters call with
``pick_next_ticket`` and quotes come from the same estimator production uses. The "fifo" policy
is a plain ticket printer: one queue per prefix, first come first served, each counter calling
from the queues it is configured for (its primary queue first), customers choosing a kiosk only on
their own initiative. Both policies see identical arrivals, customers and service durations for a
given seed. The scenario format is documented in docs/queueing-engine.md.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import simpy

from .estimate import estimate_wait
from .routing import queue_prefix_for, recommend_route, ticket_priority
from .scoring import pick_fifo_ticket, pick_next_ticket
from .service_times import ServiceTimeModel
from .types import (
    AppointmentInfo,
    Channel,
    Complexity,
    CounterState,
    CustomerProfile,
    LiveState,
    PolicyWeights,
    PriorityClass,
    ServiceProfile,
    WaitingTicket,
)

POLICIES = ("smart", "fifo")
# Half-way policies that show where the gain comes from: smart routing with ticket-printer calling,
# and ticket-printer routing with smart calling.
ABLATIONS = ("routing_only", "calling_only")
MACHINES = (Channel.KIOSK, Channel.VTM)


@dataclass(frozen=True)
class Duration:
    mean: float
    cv: float = 0.5  # coefficient of variation of the lognormal

    def draw(self, rng: np.random.Generator) -> float:
        sigma2 = math.log(1 + self.cv**2)
        mu = math.log(self.mean) - sigma2 / 2
        return float(rng.lognormal(mu, math.sqrt(sigma2)))


@dataclass(frozen=True)
class Segment:
    name: str
    share: float
    vip_tier: int = 0
    age: tuple[int, int] = (25, 64)
    needs_share: float = 0.0  # share with a disability need
    self_service_share: float = 0.2  # fifo: chooses a kiosk/VTM on their own
    acceptance: float = 0.8  # smart: follows a kiosk/VTM recommendation
    mix: dict[str, float] = field(default_factory=dict)  # service mix override


@dataclass(frozen=True)
class Point:
    """A counter, kiosk or VTM of the scenario."""

    id: str
    kind: Channel
    skills: frozenset[str]
    queues: tuple[str, ...]
    primary_queue: str | None
    languages: frozenset[str]
    specialties: frozenset[str]
    hours: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    day_minutes: float
    arrivals_per_hour: tuple[float, ...]
    services: dict[str, ServiceProfile]
    durations: dict[str, dict[Channel, Duration]]
    mix: dict[str, float]
    segments: tuple[Segment, ...]
    points: tuple[Point, ...]
    weights: PolicyWeights
    appointment_share: float = 0.0  # of customers whose service allows appointments
    appointment_punctual: float = 0.85
    no_show_rate: float = 0.0
    recall_minutes: float = 1.5  # a teller's time lost calling a no-show
    language_shares: dict[str, float] = field(default_factory=dict)
    history_samples: int = 40  # previous days' services per service/channel the model starts with


@dataclass(frozen=True)
class Arrival:
    id: int
    at: float
    service: str
    segment: str
    customer: CustomerProfile
    appointment: AppointmentInfo | None
    durations: dict[Channel, float]
    choice: float  # one uniform draw: self-service on own initiative / accepting a recommendation
    no_show: bool


def load_scenario(path: str | Path) -> Scenario:
    return scenario_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def scenario_from_dict(data: dict[str, Any]) -> Scenario:
    services: dict[str, ServiceProfile] = {}
    durations: dict[str, dict[Channel, Duration]] = {}
    mix: dict[str, float] = {}
    for item in data["services"]:
        channel_durations = {Channel(channel): Duration(**spec) for channel, spec in item["duration"].items()}
        services[item["code"]] = ServiceProfile(
            code=item["code"],
            complexity=Complexity(item["complexity"]),
            target_minutes=item["target_minutes"],
            channels=frozenset(channel_durations),
            queue_prefix=item.get("queue_prefix", "A"),
            needs_appointment=item.get("appointments", False),
            channel_minutes={
                Channel(channel): minutes
                for channel, minutes in item.get("channel_target_minutes", {}).items()
            },
        )
        durations[item["code"]] = channel_durations
        mix[item["code"]] = item["share"]
    segments = tuple(
        Segment(**{**segment, "age": tuple(segment.get("age", (25, 64)))}) for segment in data["segments"]
    )
    skill_sets = data.get("skill_sets", {})
    points = []
    for item in data["points"]:
        skills = item["skills"]
        skills = skill_sets[skills] if isinstance(skills, str) else skills
        for number in range(item.get("count", 1)):
            suffix = str(number + 1) if item.get("count", 1) > 1 else ""
            points.append(
                Point(
                    id=item["id"] + suffix,
                    kind=Channel(item["kind"]),
                    skills=frozenset(skills),
                    queues=tuple(item.get("queues", ())),
                    primary_queue=item.get("primary_queue"),
                    languages=frozenset(item.get("languages", ["zh-hans"])),
                    specialties=frozenset(item.get("specialties", ())),
                    hours=tuple(tuple(h) for h in item.get("hours", [[0, data["day_minutes"]]])),
                )
            )
    known = {f.name for f in fields(PolicyWeights)}
    weights = PolicyWeights(**{k: v for k, v in data.get("weights", {}).items() if k in known})
    return Scenario(
        name=data["name"],
        description=data.get("description", ""),
        day_minutes=data["day_minutes"],
        arrivals_per_hour=tuple(data["arrivals_per_hour"]),
        services=services,
        durations=durations,
        mix=mix,
        segments=segments,
        points=tuple(points),
        weights=weights,
        appointment_share=data.get("appointment_share", 0.0),
        appointment_punctual=data.get("appointment_punctual", 0.85),
        no_show_rate=data.get("no_show_rate", 0.0),
        recall_minutes=data.get("recall_minutes", 1.5),
        language_shares=data.get("language_shares", {}),
        history_samples=data.get("history_samples", 40),
    )


def generate_arrivals(scenario: Scenario, seed: int, hours: float | None = None) -> list[Arrival]:
    """The day's customers: a non-homogeneous Poisson process, hour by hour."""
    rng = np.random.default_rng(seed)
    end = scenario.day_minutes if hours is None else min(scenario.day_minutes, hours * 60)
    times: list[float] = []
    for hour, rate in enumerate(scenario.arrivals_per_hour):
        start = hour * 60.0
        if start >= end:
            break
        length = min(60.0, end - start)
        count = rng.poisson(rate * length / 60.0)
        times.extend(start + rng.uniform(0, length, count))
    times.sort()
    segment_shares = np.array([segment.share for segment in scenario.segments])
    segment_shares = segment_shares / segment_shares.sum()
    languages = list(scenario.language_shares)
    arrivals = []
    for index, at in enumerate(times):
        segment = scenario.segments[rng.choice(len(scenario.segments), p=segment_shares)]
        mix = {**scenario.mix, **segment.mix}
        codes = list(mix)
        weights = np.array([mix[code] for code in codes], dtype=float)
        service = codes[rng.choice(len(codes), p=weights / weights.sum())]
        language = "zh-hans"
        draw = rng.uniform()
        for code in languages:
            draw -= scenario.language_shares[code]
            if draw < 0:
                language = code
                break
        customer = CustomerProfile(
            segment=segment.name,
            vip_tier=segment.vip_tier,
            age=int(rng.integers(segment.age[0], segment.age[1] + 1)),
            needs=frozenset({"mobility"}) if rng.uniform() < segment.needs_share else frozenset(),
            language=language,
        )
        appointment = None
        booked = rng.uniform() < scenario.appointment_share
        punctual = rng.uniform() < scenario.appointment_punctual
        if booked and scenario.services[service].needs_appointment:
            # The check-in window runs from 10 minutes before the slot to 5 after it.
            slot = at + (rng.uniform(-5, 10) if punctual else -rng.uniform(10, 30))
            appointment = AppointmentInfo(window_start=slot - 10, window_end=slot + 5)
        arrivals.append(
            Arrival(
                id=index,
                at=float(at),
                service=service,
                segment=segment.name,
                customer=customer,
                appointment=appointment,
                durations={
                    channel: duration.draw(rng) for channel, duration in scenario.durations[service].items()
                },
                choice=float(rng.uniform()),
                no_show=bool(rng.uniform() < scenario.no_show_rate),
            )
        )
    return arrivals


def warm_service_times(scenario: Scenario, seed: int) -> ServiceTimeModel:
    """Previous days' history, from the same distributions (the model keeps learning)."""
    rng = np.random.default_rng(seed + 1_000_003)
    model = ServiceTimeModel(scenario.services)
    for code, channel_durations in scenario.durations.items():
        for channel, duration in channel_durations.items():
            for _ in range(scenario.history_samples):
                model.record(code, channel, duration.draw(rng))
    return model


@dataclass
class _Served:
    arrival: Arrival
    channel: Channel
    quote: float | None
    called_at: float | None = None


class _Branch:
    def __init__(self, env: simpy.Environment, scenario: Scenario, policy: str, seed: int):
        self.env = env
        self.scenario = scenario
        self.policy = policy
        self.smart_routing = policy in ("smart", "routing_only")
        self.smart_calling = policy in ("smart", "calling_only")
        self.weights = scenario.weights
        self.service_times = warm_service_times(scenario, seed)
        self.waiting: list[WaitingTicket] = []
        self.records: dict[int, _Served] = {}
        self.busy_until: dict[str, float | None] = {point.id: None for point in scenario.points}
        self.busy_minutes: dict[str, float] = {point.id: 0.0 for point in scenario.points}
        self.arrivals_done = False
        self.no_shows = 0
        self.wakeup = env.event()

    # -- the lobby ------------------------------------------------------------------------------

    def counter_states(self) -> tuple[CounterState, ...]:
        now = self.env.now
        states = []
        for point in self.scenario.points:
            busy = self.busy_until[point.id]
            states.append(
                CounterState(
                    id=point.id,
                    kind=point.kind,
                    skills=point.skills,
                    languages=point.languages,
                    open=self.is_open(point),
                    busy_until=None if busy is None else max(busy, now),
                    specialties=point.specialties,
                    queue_prefixes=point.queues,
                    primary_queue=point.primary_queue,
                )
            )
        return tuple(states)

    def is_open(self, point: Point) -> bool:
        now = self.env.now
        if any(start <= now < end for start, end in point.hours):
            return True
        # After closing time the tellers still on duty serve everyone already holding a ticket.
        last_end = max(end for _, end in point.hours)
        return now >= self.scenario.day_minutes and last_end >= self.scenario.day_minutes

    def arrive(self, arrival: Arrival) -> None:
        if self.smart_routing:
            ticket, quote = self.route_smart(arrival)
        else:
            ticket, quote = self.route_fifo(arrival)
        self.waiting.append(ticket)
        self.records[arrival.id] = _Served(arrival, ticket.channel, quote)
        wakeup, self.wakeup = self.wakeup, self.env.event()
        wakeup.succeed()

    def route_smart(self, arrival: Arrival) -> tuple[WaitingTicket, float | None]:
        service = self.scenario.services[arrival.service]
        live = LiveState(
            now=self.env.now,
            waiting=tuple(self.waiting),
            counters=self.counter_states(),
            service_times=self.service_times,
        )
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
            arrived_at=self.env.now,
            vip_tier=arrival.customer.vip_tier,
            appointment_window=window,
            language=route.language_required,
        )
        return ticket, route.estimated_wait_minutes

    def route_fifo(self, arrival: Arrival) -> tuple[WaitingTicket, float | None]:
        service = self.scenario.services[arrival.service]
        segment = self.segment(arrival)
        channel = Channel.COUNTER if Channel.COUNTER in service.channels else None
        machines = [c for c in MACHINES if c in service.channels and self.any_open(c, service)]
        if machines and (channel is None or arrival.choice < segment.self_service_share):
            channel = machines[0]
        channel = channel or Channel.COUNTER
        priority_class, _ = ticket_priority(arrival.customer, arrival.appointment, self.env.now, self.weights)
        ticket = WaitingTicket(
            id=arrival.id,
            service_code=service.code,
            channel=channel,
            queue_prefix=queue_prefix_for(channel, service, arrival.customer, self.weights),
            priority_class=priority_class,
            arrived_at=self.env.now,
            vip_tier=arrival.customer.vip_tier,
        )
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

    def any_open(self, channel: Channel, service: ServiceProfile) -> bool:
        return any(
            point.kind == channel and service.code in point.skills and self.is_open(point)
            for point in self.scenario.points
        )

    def segment(self, arrival: Arrival) -> Segment:
        return next(s for s in self.scenario.segments if s.name == arrival.segment)

    # -- processes ------------------------------------------------------------------------------

    def arrivals(self, arrivals: list[Arrival]):
        for arrival in arrivals:
            yield self.env.timeout(max(0.0, arrival.at - self.env.now))
            self.arrive(arrival)
        self.arrivals_done = True
        wakeup, self.wakeup = self.wakeup, self.env.event()
        wakeup.succeed()

    def counter(self, point: Point):
        env = self.env
        while True:
            if not self.is_open(point):
                reopen = [start for start, _ in point.hours if start > env.now]
                if not reopen and env.now >= self.scenario.day_minutes:
                    return
                yield env.timeout((min(reopen) if reopen else self.scenario.day_minutes) - env.now)
                continue
            state = next(s for s in self.counter_states() if s.id == point.id)
            if self.smart_calling:
                ticket = pick_next_ticket(state, self.waiting, env.now, self.weights, self.service_times)
            else:
                ticket = pick_fifo_ticket(state, self.waiting)
            if ticket is None:
                # With no more arrivals, a counter that could not take even an overdue ticket
                # never will: leave, so a service nobody is skilled for cannot stall the day.
                if self.arrivals_done and not any(state.can_serve(t, overdue=True) for t in self.waiting):
                    return
                yield self.wakeup | env.timeout(self.next_change(point))
                continue
            self.waiting.remove(ticket)
            record = self.records[ticket.id]
            record.called_at = env.now
            arrival = record.arrival
            if arrival.no_show and point.kind == Channel.COUNTER:
                self.no_shows += 1
                yield env.timeout(self.scenario.recall_minutes)
                continue
            # A kiosk/VTM customer called over to a counter after the cap takes a counter's time.
            minutes = arrival.durations.get(point.kind, arrival.durations[ticket.channel])
            expected = self.service_times.expected(ticket.service_code, point.kind)
            self.busy_until[point.id] = env.now + expected
            yield env.timeout(minutes)
            self.busy_until[point.id] = None
            self.busy_minutes[point.id] += minutes
            self.service_times.record(ticket.service_code, point.kind, minutes)

    def next_change(self, point: Point) -> float:
        """Minutes until this counter must look again: its opening hours change, or a waiting
        ticket passes the cap (and so may become its to call)."""
        now = self.env.now
        edges = [t for hours in point.hours for t in hours if t > now]
        if self.smart_calling:
            cap = self.weights.max_wait_minutes
            edges += [t.arrived_at + cap + 1e-6 for t in self.waiting if t.arrived_at + cap >= now]
        edges.append(self.scenario.day_minutes if now < self.scenario.day_minutes else now + 60)
        return min(edges) - now


def simulate(scenario: Scenario, *, policy: str, seed: int, hours: float | None = None) -> dict[str, Any]:
    if policy not in POLICIES + ABLATIONS:
        raise ValueError(f"policy must be one of {POLICIES + ABLATIONS}")
    arrivals = generate_arrivals(scenario, seed, hours)
    env = simpy.Environment()
    branch = _Branch(env, scenario, policy, seed)
    env.process(branch.arrivals(arrivals))
    for point in scenario.points:
        env.process(branch.counter(point))
    env.run()
    return _report(scenario, branch, policy, seed, arrivals, env.now)


def compare(
    scenario: Scenario, *, seed: int, hours: float | None = None, ablation: bool = False
) -> dict[str, Any]:
    smart = simulate(scenario, policy="smart", seed=seed, hours=hours)
    fifo = simulate(scenario, policy="fifo", seed=seed, hours=hours)
    extra = {}
    if ablation:
        for policy in ABLATIONS:
            report = simulate(scenario, policy=policy, seed=seed, hours=hours)
            extra[policy] = {
                "wait": report["wait"],
                "mean_wait_lower_pct": _pct_lower(fifo["wait"]["mean"], report["wait"]["mean"]),
            }
    s, f = smart["wait"], fifo["wait"]
    vip = smart["per_segment"].get("vip", {}).get("mean")
    return {
        "scenario": scenario.name,
        "seed": seed,
        "smart": smart,
        "fifo": fifo,
        "improvement": {
            "mean_wait_lower_pct": _pct_lower(f["mean"], s["mean"]),
            "p95_wait_lower_pct": _pct_lower(f["p95"], s["p95"]),
            "max_wait_lower_pct": _pct_lower(f["max"], s["max"]),
        },
        "targets": {
            "mean_wait_at_least_40pct_lower": _pct_lower(f["mean"], s["mean"]) >= 40,
            "p95_at_most_15_min": s["p95"] <= 15,
            "nobody_over_30_min": s["max"] <= 30,
            "vip_mean_at_most_3_min": vip is not None and vip <= 3,
            "estimate_mae_at_most_2_min": smart["estimate_mae_minutes"] <= 2,
        },
        **({"ablation": extra} if ablation else {}),
    }


def _pct_lower(before: float, after: float) -> float:
    return round(100.0 * (before - after) / before, 1) if before else 0.0


def _report(scenario, branch, policy, seed, arrivals, ended_at) -> dict[str, Any]:
    served = [r for r in branch.records.values() if r.called_at is not None]
    shown = [r for r in served if not (r.arrival.no_show and r.channel == Channel.COUNTER)]
    waits = np.array([r.called_at - r.arrival.at for r in shown])
    errors = np.array([abs(r.quote - (r.called_at - r.arrival.at)) for r in shown if r.quote is not None])
    bias = [r.quote - (r.called_at - r.arrival.at) for r in shown if r.quote is not None]
    per_segment = {}
    for segment in scenario.segments:
        group = np.array([r.called_at - r.arrival.at for r in shown if r.arrival.segment == segment.name])
        per_segment[segment.name] = _summary(group)
    appointments = np.array([r.called_at - r.arrival.at for r in shown if r.arrival.appointment is not None])
    per_channel = {}
    for channel in Channel:
        group = np.array([r.called_at - r.arrival.at for r in shown if r.channel == channel])
        per_channel[channel.value] = _summary(group)
    utilisation = {}
    for channel in Channel:
        points = [p for p in scenario.points if p.kind == channel]
        open_minutes = sum(_open_minutes(p, scenario.day_minutes, ended_at) for p in points)
        busy = sum(branch.busy_minutes[p.id] for p in points)
        if open_minutes:
            utilisation[channel.value] = round(busy / open_minutes, 3)
    return {
        "scenario": scenario.name,
        "policy": policy,
        "seed": seed,
        "customers": len(arrivals),
        "served": len(shown),
        "no_shows": branch.no_shows,
        "unserved": len(branch.records) - len(served),
        "wait": {
            **_summary(waits),
            "within_15_min_pct": round(100.0 * float(np.mean(waits <= 15)), 1) if len(waits) else 0,
        },
        "per_segment": per_segment,
        "appointments": _summary(appointments),
        "per_channel": per_channel,
        "utilisation": utilisation,
        "estimate_mae_minutes": round(float(errors.mean()), 2) if len(errors) else 0.0,
        "estimate_bias_minutes": round(float(np.mean(bias)), 2) if bias else 0.0,
        "day_ended_at_minute": round(ended_at, 1),
    }


def _open_minutes(point: Point, day_minutes: float, ended_at: float) -> float:
    minutes = sum(min(end, day_minutes) - start for start, end in point.hours)
    if max(end for _, end in point.hours) >= day_minutes:
        minutes += max(0.0, ended_at - day_minutes)  # still serving the queue after closing
    return minutes


def _summary(waits: np.ndarray) -> dict[str, float]:
    if not len(waits):
        return {"count": 0}
    return {
        "count": int(len(waits)),
        "mean": round(float(waits.mean()), 2),
        "p50": round(float(np.percentile(waits, 50)), 2),
        "p95": round(float(np.percentile(waits, 95)), 2),
        "max": round(float(waits.max()), 2),
    }


def with_weights(scenario: Scenario, **overrides: Any) -> Scenario:
    return replace(scenario, weights=replace(scenario.weights, **overrides))
