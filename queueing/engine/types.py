"""The queueing engine's inputs and outputs.

Plain frozen dataclasses, no Django. Times are float **minutes** on one clock chosen by the
caller (production: minutes since the branch's opening of the day, see ``minutes_since``; the
simulator: minutes since its start). Identifiers (ticket, counter) are whatever the caller uses
(int primary keys or strings); the engine only compares them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .service_times import ServiceTimeModel


class Channel(StrEnum):
    KIOSK = "kiosk"  # self-service terminal: the customer serves themselves
    VTM = "vtm"  # video teller machine: a remote teller over video
    COUNTER = "counter"


class Complexity(StrEnum):
    INSTANT = "instant"  # a few minutes, often possible at a kiosk
    COMPLEX = "complex"  # needs a teller (counter or VTM)
    SPECIAL = "special"  # needs a specialist counter (wealth, loans, ...)


class PriorityClass(StrEnum):
    """The label a ticket is routed with; its weight comes from ``PolicyWeights``."""

    NORMAL = "normal"
    VIP = "vip"
    ELDERLY = "elderly"
    DISABILITY = "disability"
    APPOINTMENT = "appointment"


class ProfileMode(StrEnum):
    """How a work profile shares a counter between its queues."""

    ORDER = "order"  # the first listed queue holding a ticket the counter may serve
    RATIO = "ratio"  # the queue furthest below its share of the counter's calls today


@dataclass(frozen=True)
class WorkProfile:
    """Which queues a counter serves and in which order or ratio (a Qmatic-style work profile).

    ``queues`` are queue prefixes (A cash, B non-cash, W wealth, V VIP, ...). ``ratios`` go with
    ``queues`` in RATIO mode, e.g. queues ("A", "B") with ratios (2, 1): two A calls for each B.
    Within the chosen queue the usual score decides; tickets past the branch's hard cap in any of
    the profile's queues still come first, so no profile can starve a queue it serves."""

    queues: tuple[str, ...]
    mode: ProfileMode = ProfileMode.ORDER
    ratios: tuple[float, ...] = ()

    def __post_init__(self):
        if self.mode == ProfileMode.RATIO and len(self.ratios) != len(self.queues):
            raise ValueError("a ratio work profile needs one ratio per queue")
        if any(r < 0 for r in self.ratios):
            raise ValueError("work profile ratios must not be negative")

    def choose_queue(self, candidates: frozenset[str], calls: Mapping[str, int]) -> str | None:
        """The queue to call from, among ``candidates`` (queues with a callable ticket), given
        the counter's calls per queue so far today."""
        listed = [q for q in self.queues if q in candidates]
        if not listed:
            return None
        if self.mode == ProfileMode.ORDER:
            return listed[0]
        share = dict(zip(self.queues, self.ratios, strict=True))
        total_share = sum(share[q] for q in listed) or 1.0
        total_calls = sum(calls.get(q, 0) for q in listed) + 1
        # Largest deficit against the target share; ties go to the earlier-listed queue.
        return max(listed, key=lambda q: (share[q] / total_share - calls.get(q, 0) / total_calls,
                                          -listed.index(q)))


class Reason(StrEnum):
    """Why a recommendation was made: codes the UI translates."""

    SELF_SERVICE_FASTER = "self_service_faster"
    SELF_SERVICE_ONLY = "self_service_only"
    NEEDS_TELLER = "needs_teller"
    VTM_FASTER = "vtm_faster"
    SPECIALIST_COUNTER = "specialist_counter"
    VIP = "vip"
    ELDERLY = "elderly"
    DISABILITY = "disability"
    APPOINTMENT_ON_TIME = "appointment_on_time"
    APPOINTMENT_EARLY = "appointment_early"
    APPOINTMENT_LATE = "appointment_late"
    LANGUAGE = "language"
    NO_OPEN_CHANNEL = "no_open_channel"


TicketId = Hashable
CounterId = Hashable


@dataclass(frozen=True)
class ServiceProfile:
    """A service type as the engine sees it (from ``branches.ServiceType``)."""

    code: str
    complexity: Complexity
    target_minutes: float  # catalog handling time at a counter: the prior for learned times
    channels: frozenset[Channel]  # channels allowed to serve it
    queue_prefix: str = "A"  # counter queue, e.g. A cash, B non-cash, W wealth
    zone_kind: str = ""
    needs_appointment: bool = False
    # Catalog handling time on other channels (kiosk, VTM) when it differs from the counter's.
    channel_minutes: Mapping[Channel, float] = field(default_factory=dict)

    def target_on(self, channel: Channel) -> float:
        return self.channel_minutes.get(channel, self.target_minutes)


@dataclass(frozen=True)
class CustomerProfile:
    segment: str = "mass"  # free label (mass, affluent, private, ...), used for reporting
    vip_tier: int = 0  # 0 = not VIP, 1..3
    age: int | None = None
    needs: frozenset[str] = frozenset()  # e.g. {"wheelchair", "hearing", "visual"}: disability
    language: str = "zh-hans"


@dataclass(frozen=True)
class AppointmentInfo:
    """The check-in window of the customer's booked slot."""

    window_start: float
    window_end: float


@dataclass(frozen=True)
class WaitingTicket:
    id: TicketId
    service_code: str
    channel: Channel
    queue_prefix: str
    priority_class: PriorityClass
    arrived_at: float  # minutes; a transfer keeps the original arrival unless told otherwise
    vip_tier: int = 0
    appointment_window: tuple[float, float] | None = None  # set only for on-time check-ins
    language: str | None = None  # set only when the customer needs a counter speaking it
    boost: float = 0.0  # extra score points a lobby manager gave ("prioritise")
    counter_id: CounterId | None = None  # transferred to one counter: only it may call it


@dataclass(frozen=True)
class CounterState:
    id: CounterId
    kind: Channel
    skills: frozenset[str]  # service codes it can serve
    languages: frozenset[str] = frozenset({"zh-hans"})
    open: bool = True
    busy_until: float | None = None  # expected end of the current service; None = free now
    # Services this counter is dedicated to (wealth desk): it calls them before anything else.
    specialties: frozenset[str] = frozenset()
    # Plain ticket-printer configuration, used only by the simulator's "fifo" baseline: the
    # queues it calls from (oldest ticket first) and an optional primary queue served before them.
    queue_prefixes: tuple[str, ...] = ()
    primary_queue: str | None = None
    # The counter's work profile (live branch and simulator alike); None = every queue it has
    # skills for, on score alone. ``calls_by_queue``: its calls per queue today (RATIO mode).
    work_profile: WorkProfile | None = None
    calls_by_queue: Mapping[str, int] = field(default_factory=dict)
    # Its known hours from now on today, in order (engine minutes): the roster's lunch break and
    # end of shift end a period, a return from lunch or a later shift starts one. The last may
    # end at ``math.inf``: a teller on duty at closing serves everyone still holding a ticket.
    # None = not known: an open counter stays open and a closed one stays closed.
    hours: tuple[tuple[float, float], ...] | None = None

    def on_duty_from(self, at: float) -> float | None:
        """The first moment from ``at`` on when, by its known hours, it calls a ticket; None
        when its hours today are over."""
        if self.hours is None:
            return at
        for start, end in self.hours:
            if at < end:
                return max(at, start)
        return None

    def duty_minutes(self, start: float, end: float) -> float:
        """Minutes of ``[start, end]`` it is open for calls (its known hours, else ``open``)."""
        if self.hours is None:
            return end - start if self.open else 0.0
        return sum(max(0.0, min(end, e) - max(start, s)) for s, e in self.hours)

    def can_serve(self, ticket: WaitingTicket, *, overdue: bool = False,
                  language_waived: bool = False) -> bool:
        """``overdue``: the ticket is past the branch's maximum wait. Then any skilled teller
        beats a longer wait: its language stops being required, and a counter may call a
        customer queueing for a kiosk or VTM over to it. ``language_waived``: the ticket has
        waited its language preference's bound (``PolicyWeights.language_wait_minutes``)."""
        if ticket.channel != self.kind and not (overdue and self.kind == Channel.COUNTER):
            return False
        return (
            ticket.service_code in self.skills
            and (overdue or language_waived or ticket.language is None
                 or ticket.language in self.languages)
            and (ticket.counter_id is None or ticket.counter_id == self.id)
        )


@dataclass(frozen=True)
class PolicyWeights:
    """Branch settings of the routing and call-next policy (scores are in minute-equivalents:
    a weight of 10 is worth as much as having waited 10 minutes longer at ageing 1.0)."""

    ageing_per_minute: float = 1.0
    vip_weight: float = 6.0  # per VIP tier
    elderly_weight: float = 40.0
    disability_weight: float = 45.0
    # Priority ageing: an elderly or disabled customer's wait counts this many times over in the
    # score, so their priority grows while they wait instead of being a fixed head start (their
    # mean wait stays at or below the mass mean; the hard cap still bounds everyone's wait).
    priority_ageing_multiplier: float = 2.0
    # Above the service-level bonus: a customer on time for a booked slot goes first.
    appointment_weight: float = 45.0
    # Short services first (less total waiting), bounded by ageing and the hard cap.
    short_job_weight: float = 8.0  # points per minute of expected service below the reference
    short_job_reference_minutes: float = 12.0
    max_wait_minutes: float = 22.0  # hard cap: past it a ticket is called first
    # Service level: a ticket in the last ``service_level_window_minutes`` before it has waited
    # ``service_level_minutes`` gets ``service_level_weight`` points, so the counters keep one more
    # customer within the level instead of letting a backlog slip over it together (p95 of the
    # simulated pension day; the hard cap above still bounds the longest wait).
    service_level_minutes: float = 15.0
    service_level_window_minutes: float = 5.0
    service_level_weight: float = 30.0
    long_wait_alert_minutes: float = 15.0
    elderly_age: int = 65
    vip_queue_min_tier: int = 2  # tier from which a VIP gets the V queue
    vip_queue_prefix: str = "V"
    kiosk_queue_prefix: str = "S"
    vtm_queue_prefix: str = "T"
    self_service_for_elderly: bool = False  # recommend kiosks to elderly customers first?
    # A kiosk/VTM is recommended when it finishes the customer at least this much sooner ...
    channel_switch_margin_minutes: float = 0.5
    # ... or when it finishes them at most this much later, for a kiosk always and for the VTM
    # while at most one teller is free: it keeps the tellers for those who need one (lower mean
    # wait on simulated branch days, docs/queueing-engine.md).
    self_service_slack_minutes: float = 3.0
    default_language: str = "zh-hans"
    # How long a language (or accessibility) preference waits for a matching teller before any
    # skilled counter calls the ticket; None: only the hard cap lifts it.
    language_wait_minutes: float | None = None
    # Quotes count later arrivals who will be called first, at the rate tickets arrived in this
    # many past minutes (engine/overtaking.py); 0 quotes from the waiting tickets alone.
    overtaking_window_minutes: float = 15.0

    def language_waived(self, ticket: WaitingTicket, now: float) -> bool:
        bound = self.language_wait_minutes
        return ticket.language is not None and bound is not None and now - ticket.arrived_at >= bound


@dataclass(frozen=True)
class Recommendation:
    channel: Channel
    queue_prefix: str
    priority_class: PriorityClass
    estimated_wait_minutes: float | None  # None: no open channel can serve it now
    reasons: tuple[Reason, ...] = ()
    language_required: str | None = None
    alternative: Recommendation | None = None


@dataclass(frozen=True)
class LiveState:
    """What routing needs to know about the branch right now."""

    now: float
    waiting: tuple[WaitingTicket, ...]
    counters: tuple[CounterState, ...]  # counters, kiosks and VTMs
    service_times: ServiceTimeModel


def minutes_since(epoch: datetime, moment: datetime) -> float:
    """Production's clock: aware datetimes to engine minutes."""
    return (moment - epoch).total_seconds() / 60.0
