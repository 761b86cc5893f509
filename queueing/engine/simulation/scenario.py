"""Scenario files: JSON validated against ``scenario.schema.json``, loaded into frozen dataclasses.

Every field added after the first format is optional and, when absent, keeps the first format's
behaviour, so older scenario files load and run unchanged. The fields are documented in the
schema itself and in docs/queueing-engine.md.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np

from ..types import Channel, Complexity, PolicyWeights, ProfileMode, ServiceProfile, WorkProfile

SCHEMA_PATH = Path(__file__).with_name("scenario.schema.json")


class ScenarioError(ValueError):
    """A scenario file that does not follow the schema; the message names the field."""


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
    needs: tuple[str, ...] = ("mobility",)  # the kinds of need of that share, one drawn each
    self_service_share: float = 0.2  # ticket printer: chooses a kiosk/VTM on their own
    acceptance: float = 0.8  # follows a kiosk/VTM recommendation (smart, greeter)
    mix: dict[str, float] = field(default_factory=dict)  # service mix override
    patience_minutes: float | None = None  # overrides the scenario's mean patience


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
    accessibility: frozenset[str] = frozenset()  # needs it is equipped for (wheelchair, hearing)
    work_profile: WorkProfile | None = None


@dataclass(frozen=True)
class Patience:
    """How long a customer waits before giving up (reneging), lognormal per customer."""

    mean: float
    cv: float = 0.5
    lunch_factor: float = 1.0  # patience of customers arriving in the lunch window, relative


@dataclass(frozen=True)
class Balking:
    """A customer who sees more than ``lobby_length`` people waiting may turn round at the door:
    with probability ``per_extra`` per extra person, at most ``max_probability``."""

    lobby_length: int
    per_extra: float = 0.04
    max_probability: float = 0.5


@dataclass(frozen=True)
class KioskFailure:
    """A kiosk session that fails (card reader, ID check, a service the machine refuses) sends
    the customer to a counter after ``time_share`` of the session."""

    rate: float
    elderly_rate: float | None = None
    time_share: float = 0.6


@dataclass(frozen=True)
class Authorisation:
    """Kiosk services a floor staff member must authorise (ID check, large amounts)."""

    services: frozenset[str]
    duration: Duration


@dataclass(frozen=True)
class AppointmentBook:
    """Booked slots: bookings per slot, punctuality, grace period and no-shows."""

    slot_minutes: float = 30.0
    per_slot: float = 1.0  # mean bookings per slot (Poisson)
    first_slot: float = 0.0
    last_slot: float | None = None  # default: the last slot that ends by closing
    early_mean_minutes: float = 3.0  # arrival before the slot on average (negative = late)
    punctuality_sd_minutes: float = 6.0
    check_in_before_minutes: float = 10.0  # the check-in window opens this long before the slot
    grace_minutes: float = 10.0  # ... and closes this long after it: later = walk-in priority
    no_show_rate: float = 0.1
    services: tuple[str, ...] = ()  # default: the services marked "appointments"


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    day_minutes: float
    # (start, end, arrivals per minute) pieces from opening, from hourly or half-hourly rates.
    arrival_profile: tuple[tuple[float, float, float], ...]
    services: dict[str, ServiceProfile]
    durations: dict[str, dict[Channel, Duration]]
    mix: dict[str, float]
    segments: tuple[Segment, ...]
    points: tuple[Point, ...]
    weights: PolicyWeights
    appointment_share: float = 0.0  # of walk-ins whose service allows appointments
    appointment_punctual: float = 0.85
    no_show_rate: float = 0.0
    recall_minutes: float = 1.5  # a teller's time lost calling a no-show
    language_shares: dict[str, float] = field(default_factory=dict)
    history_samples: int = 40  # previous days' services per service/channel the model starts with
    # Later additions; the defaults are the first format's behaviour.
    segment_mix_over_day: tuple[tuple[float, dict[str, float]], ...] = ()
    door_queue: float = 0.0  # mean number of customers waiting at the door at opening
    door_queue_spread_minutes: float = 3.0
    lunch: tuple[float, float] | None = None  # the lunch window (patience, staff breaks)
    patience: Patience | None = None
    balking: Balking | None = None
    time_multipliers: dict[str, float] = field(default_factory=dict)
    kiosk_failure: KioskFailure | None = None
    floor_staff: int = 0
    authorisation: Authorisation | None = None
    appointment_book: AppointmentBook | None = None
    stress_case: bool = False

    @property
    def arrivals_per_hour(self) -> tuple[float, ...]:
        """Hourly rates (the first format's field), for reports."""
        hours = math.ceil(self.day_minutes / 60)
        return tuple(
            round(
                sum(
                    rate * max(0.0, min(end, h * 60 + 60) - max(start, h * 60))
                    for start, end, rate in self.arrival_profile
                ),
                2,
            )
            for h in range(hours)
        )

    def multiplier(self, name: str) -> float:
        return self.time_multipliers.get(name, 1.0)


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate(data: Any) -> None:
    """Raise ``ScenarioError`` naming the first offending field (e.g. ``points[3].kind``)."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: (len(e.absolute_path), str(e.path)))
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors)
    where = _field_path(error.absolute_path) or "(top level)"
    raise ScenarioError(f"{where}: {error.message}")


def _field_path(path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_scenario(path: str | Path) -> Scenario:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ScenarioError(f"{path}: not JSON: {error}") from error
    try:
        return scenario_from_dict(data)
    except ScenarioError as error:
        raise ScenarioError(f"{Path(path).name}: {error}") from error


def scenario_from_dict(data: dict[str, Any]) -> Scenario:
    validate(data)
    services, durations, mix = _services(data["services"])
    day = float(data["day_minutes"])
    _check_references(data, services)
    book = data.get("appointment_book")
    return Scenario(
        name=data["name"],
        description=data.get("description", ""),
        day_minutes=day,
        arrival_profile=_arrival_profile(data, day),
        services=services,
        durations=durations,
        mix=mix,
        segments=tuple(_segment(item) for item in data["segments"]),
        points=tuple(_points(data, day)),
        weights=_weights(data.get("weights", {})),
        appointment_share=data.get("appointment_share", 0.0),
        appointment_punctual=data.get("appointment_punctual", 0.85),
        no_show_rate=data.get("no_show_rate", 0.0),
        recall_minutes=data.get("recall_minutes", 1.5),
        language_shares=data.get("language_shares", {}),
        history_samples=data.get("history_samples", 40),
        segment_mix_over_day=tuple(
            (float(item["from_minute"]), dict(item["shares"]))
            for item in data.get("segment_mix_over_day", ())
        ),
        door_queue=data.get("door_queue", {}).get("mean", 0.0),
        door_queue_spread_minutes=data.get("door_queue", {}).get("spread_minutes", 3.0),
        lunch=tuple(data["lunch"]) if "lunch" in data else None,
        patience=Patience(**data["patience"]) if "patience" in data else None,
        balking=Balking(**data["balking"]) if "balking" in data else None,
        time_multipliers=data.get("time_multipliers", {}),
        kiosk_failure=KioskFailure(**data["kiosk_failure"]) if "kiosk_failure" in data else None,
        floor_staff=data.get("floor_staff", 0),
        authorisation=Authorisation(
            services=frozenset(data["authorisation"]["services"]),
            duration=Duration(**data["authorisation"].get("duration", {"mean": 1.5, "cv": 0.5})),
        )
        if "authorisation" in data
        else None,
        appointment_book=_appointment_book(book, services) if book is not None else None,
        stress_case=data.get("stress_case", False),
    )


def _services(items):
    services: dict[str, ServiceProfile] = {}
    durations: dict[str, dict[Channel, Duration]] = {}
    mix: dict[str, float] = {}
    for item in items:
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
    return services, durations, mix


def _check_references(data, services) -> None:
    """What a schema cannot say: names that must refer to something defined elsewhere."""
    skill_sets = data.get("skill_sets", {})
    for index, item in enumerate(data["points"]):
        skills = item["skills"]
        if isinstance(skills, str) and skills not in skill_sets:
            raise ScenarioError(f"points[{index}].skills: no skill set named {skills!r}")
        for code in skill_sets.get(skills, []) if isinstance(skills, str) else skills:
            if code not in services:
                raise ScenarioError(f"points[{index}].skills: unknown service {code!r}")
    names = {segment["name"] for segment in data["segments"]}
    for index, period in enumerate(data.get("segment_mix_over_day", ())):
        for name in period["shares"]:
            if name not in names:
                raise ScenarioError(f"segment_mix_over_day[{index}].shares: unknown segment {name!r}")
    for index, segment in enumerate(data["segments"]):
        for code in segment.get("mix", {}):
            if code not in services:
                raise ScenarioError(f"segments[{index}].mix: unknown service {code!r}")
    for code in data.get("authorisation", {}).get("services", ()):
        if code not in services:
            raise ScenarioError(f"authorisation.services: unknown service {code!r}")


def _arrival_profile(data, day: float) -> tuple[tuple[float, float, float], ...]:
    if "arrivals_per_half_hour" in data:
        rates, length = data["arrivals_per_half_hour"], 30.0
        per_minute = [rate / 30.0 for rate in rates]  # arrivals in each 30 minutes
    else:
        rates, length = data["arrivals_per_hour"], 60.0
        per_minute = [rate / 60.0 for rate in rates]
    pieces = []
    for index, rate in enumerate(per_minute):
        start = index * length
        if start >= day:
            break
        pieces.append((start, min(start + length, day), rate))
    return tuple(pieces)


def _segment(item) -> Segment:
    values = {**item, "age": tuple(item.get("age", (25, 64)))}
    if "needs" in values:
        values["needs"] = tuple(values["needs"])
    return Segment(**values)


def _points(data, day: float):
    skill_sets = data.get("skill_sets", {})
    for index, item in enumerate(data["points"]):
        skills = item["skills"]
        skills = skill_sets[skills] if isinstance(skills, str) else skills
        hours = [tuple(h) for h in item.get("hours", [[0, day]])]
        if "lunch" in item:
            hours = _without(hours, tuple(item["lunch"]))
        profile = _work_profile(item, index)
        count = item.get("count", 1)
        for number in range(count):
            yield Point(
                id=item["id"] + (str(number + 1) if count > 1 else ""),
                kind=Channel(item["kind"]),
                skills=frozenset(skills),
                queues=tuple(item.get("queues", ())),
                primary_queue=item.get("primary_queue"),
                languages=frozenset(item.get("languages", ["zh-hans"])),
                specialties=frozenset(item.get("specialties", ())),
                hours=tuple(hours),
                accessibility=frozenset(item.get("accessibility", ())),
                work_profile=profile,
            )


def _work_profile(item, index) -> WorkProfile | None:
    profile = item.get("work_profile")
    if profile is None:
        return None
    try:
        return WorkProfile(
            queues=tuple(profile["queues"]),
            mode=ProfileMode(profile.get("mode", "order")),
            ratios=tuple(profile.get("ratios", ())),
        )
    except ValueError as error:
        raise ScenarioError(f"points[{index}].work_profile: {error}") from error


def _without(hours, gap):
    """Opening hours minus a break (a counter's lunch)."""
    result = []
    for start, end in hours:
        if gap[1] <= start or gap[0] >= end:
            result.append((start, end))
            continue
        if start < gap[0]:
            result.append((start, gap[0]))
        if gap[1] < end:
            result.append((gap[1], end))
    return result


def _weights(overrides) -> PolicyWeights:
    known = {f.name for f in fields(PolicyWeights)}
    return PolicyWeights(**{k: v for k, v in overrides.items() if k in known})


def _appointment_book(book, services) -> AppointmentBook:
    values = dict(book)
    default = tuple(code for code, service in services.items() if service.needs_appointment)
    values["services"] = tuple(values.get("services", default))
    for code in values["services"]:
        if code not in services:
            raise ScenarioError(f"appointment_book.services: unknown service {code!r}")
    return AppointmentBook(**values)


def with_weights(scenario: Scenario, **overrides: Any) -> Scenario:
    return replace(scenario, weights=replace(scenario.weights, **overrides))
