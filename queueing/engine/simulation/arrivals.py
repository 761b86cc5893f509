"""The day's customers, drawn once per seed so every policy sees exactly the same people."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..service_times import ServiceTimeModel
from ..types import AppointmentInfo, Channel, CustomerProfile
from .scenario import Scenario, Segment

DEFAULT_LANGUAGE = "zh-hans"


@dataclass(frozen=True)
class Arrival:
    id: int
    at: float
    service: str
    segment: str
    customer: CustomerProfile
    appointment: AppointmentInfo | None
    durations: dict[Channel, float]  # with the customer's own multipliers (age, needs)
    choice: float  # one uniform draw: self-service on own initiative / accepting a recommendation
    no_show: bool
    patience: float | None = None  # minutes from arrival before giving up; None = never
    balk_draw: float = 1.0  # compared with the balking probability at the door
    kiosk_fails: bool = False  # a kiosk session of this customer would fail
    booked: bool = False  # came for a booked slot (appointment_book)


def generate_arrivals(scenario: Scenario, seed: int, hours: float | None = None) -> list[Arrival]:
    return draw_day(scenario, seed, hours)[0]


def draw_day(scenario: Scenario, seed: int, hours: float | None = None) -> tuple[list[Arrival], int]:
    """The customers who come, and how many booked customers did not.

    Walk-ins (a non-homogeneous Poisson process), the queue at the door and booked slots.

    The first format's draws come from one generator in the first format's order, so an older
    scenario gives the same customers as before; every later feature draws from its own stream.
    """
    rng = np.random.default_rng(seed)
    extra = np.random.default_rng((seed, 20))
    end = scenario.day_minutes if hours is None else min(scenario.day_minutes, hours * 60)
    times: list[float] = []
    for start, stop, rate in scenario.arrival_profile:
        if start >= end:
            break
        length = min(stop, end) - start
        count = rng.poisson(rate * length)
        times.extend(start + rng.uniform(0, length, count))
    times.extend(extra.uniform(0, scenario.door_queue_spread_minutes, extra.poisson(scenario.door_queue)))
    times.sort()
    people = [_customer(scenario, rng, extra, float(at)) for at in times]
    booked, no_shows = _booked(scenario, extra, end)
    people = sorted(people + booked, key=lambda person: person.at)
    return [_numbered(person, index) for index, person in enumerate(people)], no_shows


def _numbered(person: Arrival, index: int) -> Arrival:
    return Arrival(**{**person.__dict__, "id": index})


def _segment_at(scenario: Scenario, at: float, rng: np.random.Generator) -> Segment:
    shares = {segment.name: segment.share for segment in scenario.segments}
    for start, period in scenario.segment_mix_over_day:
        if at >= start:
            shares = {name: period.get(name, 0.0) for name in shares}
    weights = np.array(list(shares.values()), dtype=float)
    return scenario.segments[rng.choice(len(weights), p=weights / weights.sum())]


def _customer(scenario, rng, extra, at, *, service=None, appointment=None, booked=False) -> Arrival:
    segment = _segment_at(scenario, at, rng)
    mix = {**scenario.mix, **segment.mix}
    if service is None:
        codes = list(mix)
        weights = np.array([mix[code] for code in codes], dtype=float)
        service = codes[rng.choice(len(codes), p=weights / weights.sum())]
    language = DEFAULT_LANGUAGE
    draw = rng.uniform()
    for code, share in scenario.language_shares.items():
        draw -= share
        if draw < 0:
            language = code
            break
    age = int(rng.integers(segment.age[0], segment.age[1] + 1))
    has_need = rng.uniform() < segment.needs_share
    customer = CustomerProfile(
        segment=segment.name,
        vip_tier=segment.vip_tier,
        age=age,
        needs=frozenset({segment.needs[int(extra.integers(len(segment.needs)))]})
        if has_need
        else frozenset(),
        language=language,
    )
    walk_in_booked = rng.uniform() < scenario.appointment_share
    punctual = rng.uniform() < scenario.appointment_punctual
    if not booked and walk_in_booked and scenario.services[service].needs_appointment:
        # The first format: the check-in window runs from 10 minutes before the slot to 5 after.
        slot = at + (rng.uniform(-5, 10) if punctual else -rng.uniform(10, 30))
        appointment = AppointmentInfo(window_start=slot - 10, window_end=slot + 5)
    durations = {channel: duration.draw(rng) for channel, duration in scenario.durations[service].items()}
    choice = float(rng.uniform())
    no_show = bool(rng.uniform() < scenario.no_show_rate)
    return Arrival(
        id=-1,
        at=at,
        service=service,
        segment=segment.name,
        customer=customer,
        appointment=appointment,
        durations=_personal(scenario, customer, durations),
        choice=choice,
        no_show=no_show,
        patience=_patience(scenario, segment, at, extra),
        balk_draw=float(extra.uniform()),
        kiosk_fails=_kiosk_fails(scenario, customer, extra),
        booked=booked,
    )


def is_elderly(scenario: Scenario, customer: CustomerProfile) -> bool:
    return customer.age is not None and customer.age >= scenario.weights.elderly_age


def _personal(scenario: Scenario, customer: CustomerProfile, durations: dict[Channel, float]):
    """Older customers and customers with a need take longer, at a kiosk even more so."""
    factor = 1.0
    if is_elderly(scenario, customer):
        factor *= scenario.multiplier("elderly")
    if customer.needs:
        factor *= scenario.multiplier("needs")
    personal = {channel: minutes * factor for channel, minutes in durations.items()}
    if Channel.KIOSK in personal and is_elderly(scenario, customer):
        personal[Channel.KIOSK] *= scenario.multiplier("elderly_at_kiosk")
    return personal


def _patience(scenario: Scenario, segment: Segment, at: float, extra) -> float | None:
    patience = scenario.patience
    if patience is None:
        return None
    mean = segment.patience_minutes or patience.mean
    lunch = scenario.lunch
    if lunch is not None and lunch[0] <= at < lunch[1]:
        mean *= patience.lunch_factor
    sigma2 = np.log(1 + patience.cv**2)
    return float(extra.lognormal(np.log(mean) - sigma2 / 2, np.sqrt(sigma2)))


def _kiosk_fails(scenario: Scenario, customer: CustomerProfile, extra) -> bool:
    failure = scenario.kiosk_failure
    draw = float(extra.uniform())  # drawn always, so the stream does not depend on the rate
    if failure is None:
        return False
    rate = failure.rate
    if is_elderly(scenario, customer) and failure.elderly_rate is not None:
        rate = failure.elderly_rate
    return draw < rate


def _booked(scenario: Scenario, extra, end: float) -> tuple[list[Arrival], int]:
    """Customers with a booked slot, and the number of no-shows (drawn, they never come)."""
    book = scenario.appointment_book
    if book is None or not book.services:
        return [], 0
    last = book.last_slot if book.last_slot is not None else scenario.day_minutes - book.slot_minutes
    shares = np.array([scenario.mix[code] or 1e-9 for code in book.services])
    people, no_shows = [], 0
    slot = book.first_slot
    while slot <= last and slot < end:
        for _ in range(extra.poisson(book.per_slot)):
            service = book.services[int(extra.choice(len(shares), p=shares / shares.sum()))]
            at = slot - extra.normal(book.early_mean_minutes, book.punctuality_sd_minutes)
            if extra.uniform() < book.no_show_rate:
                no_shows += 1
                continue
            window = AppointmentInfo(
                window_start=slot - book.check_in_before_minutes, window_end=slot + book.grace_minutes
            )
            people.append(
                _customer(
                    scenario,
                    extra,
                    extra,
                    float(max(0.0, at)),
                    service=service,
                    appointment=window,
                    booked=True,
                )
            )
        slot += book.slot_minutes
    return people, no_shows


def warm_service_times(scenario: Scenario, seed: int) -> ServiceTimeModel:
    """Previous days' history, from the same distributions and the same customers' multipliers
    (the model keeps learning during the day)."""
    rng = np.random.default_rng(seed + 1_000_003)
    model = ServiceTimeModel(scenario.services)
    elderly, needs = _shares_of_elderly_and_needs(scenario)
    personal = bool(scenario.time_multipliers)
    for code, channel_durations in scenario.durations.items():
        for channel, duration in channel_durations.items():
            for _ in range(scenario.history_samples):
                minutes = duration.draw(rng)
                if personal:
                    old, need = rng.uniform() < elderly, rng.uniform() < needs
                    minutes *= (scenario.multiplier("elderly") if old else 1.0) * (
                        scenario.multiplier("needs") if need else 1.0
                    )
                    if old and channel == Channel.KIOSK:
                        minutes *= scenario.multiplier("elderly_at_kiosk")
                model.record(code, channel, minutes)
    return model


def _shares_of_elderly_and_needs(scenario: Scenario) -> tuple[float, float]:
    total = sum(segment.share for segment in scenario.segments) or 1.0
    elderly = needs = 0.0
    threshold = scenario.weights.elderly_age
    for segment in scenario.segments:
        low, high = segment.age
        old = max(0, high - max(low, threshold) + 1) / (high - low + 1)
        elderly += segment.share / total * old
        needs += segment.share / total * segment.needs_share
    return elderly, needs
