"""The branch as the queueing engine sees it: Django rows turned into the engine's dataclasses.

Read-only. `services.py` and the live payloads call `branch_snapshot`; the engine itself
(`queueing/engine/`) never touches the database.
"""

import datetime as dt
import threading
import time
from dataclasses import dataclass, replace
from functools import cached_property
from typing import NamedTuple

from django.db.models import BooleanField, Case, Count, F, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from branches.models import ServicePoint, ServiceType, Zone
from queueing import engine
from queueing.config import BranchConfig, Catalogue, catalogue, configuration
from queueing.duty import counter_hours
from queueing.models import CounterSession, Ticket, TicketStatus
from queueing.policy import QueueSettings, settings_for

DEFAULT_PREFIXES = {
    Zone.Kind.CASH: "A",
    Zone.Kind.NON_CASH: "B",
    Zone.Kind.VIP: "V",
    Zone.Kind.WEALTH: "W",
    Zone.Kind.SELF_SERVICE: "S",
}
VTM_PREFIX = "T"
HISTORY_DAYS = 28
_SERVICE_TIME_TTL = 60.0
_service_time_cache: dict[int, tuple[float, engine.ServiceTimeModel]] = {}
_cache_lock = threading.Lock()


def business_date(branch, moment: dt.datetime | None = None) -> dt.date:
    return (moment or timezone.now()).astimezone(branch.tz).date()


def day_epoch(branch, day: dt.date) -> dt.datetime:
    """The engine's clock starts at the branch's local midnight of the business day."""
    return dt.datetime.combine(day, dt.time(), tzinfo=branch.tz)


def minutes_at(branch, day: dt.date, moment: dt.datetime | None) -> float | None:
    if moment is None:
        return None
    return engine.minutes_since(day_epoch(branch, day), moment)


def zone_prefixes(branch, config: BranchConfig | None = None) -> dict[str, str]:
    prefixes = dict(DEFAULT_PREFIXES)
    prefixes.update((config or configuration(branch)[0]).prefixes)
    return prefixes


def service_profile(service_type: ServiceType, prefixes: dict[str, str]) -> engine.ServiceProfile:
    return engine.ServiceProfile(
        code=service_type.code,
        complexity=engine.Complexity(service_type.complexity),
        target_minutes=float(service_type.target_minutes),
        channels=frozenset(engine.Channel(c) for c in service_type.allowed_channels),
        queue_prefix=prefixes.get(service_type.zone_kind, "A"),
        zone_kind=service_type.zone_kind,
        needs_appointment=service_type.needs_appointment,
    )


def customer_profile(customer, language: str = "") -> engine.CustomerProfile:
    if customer is None:
        return engine.CustomerProfile(language=language or "zh-hans")
    return engine.CustomerProfile(
        segment=customer.segment,
        vip_tier=customer.vip_tier,
        age=customer.age,
        # An interpreter is a language need, not a reason to route as disability.
        needs=frozenset(need for need in customer.needs if need != "interpreter"),
        language=language or customer.preferred_language,
    )


def service_times(branch) -> engine.ServiceTimeModel:
    """Learned handling times from the branch's recent finished tickets, cached for a minute."""
    with _cache_lock:
        cached = _service_time_cache.get(branch.pk)
        if cached and time.monotonic() - cached[0] < _SERVICE_TIME_TTL:
            return cached[1]
    prefixes = zone_prefixes(branch)
    catalog = {s.code: service_profile(s, prefixes) for s in catalogue().services.values()}
    since = timezone.now() - dt.timedelta(days=HISTORY_DAYS)
    rows = (Ticket.objects.filter(branch=branch, status=TicketStatus.DONE, finished_at__gte=since,
                                  serving_started_at__isnull=False)
            .order_by("finished_at").values_list("service_type__code", "channel",
                                                 "serving_started_at", "finished_at"))
    samples = [(code, engine.Channel(channel), (end - start).total_seconds() / 60.0)
               for code, channel, start, end in rows.iterator()]
    model = engine.ServiceTimeModel.from_history(catalog, samples)
    with _cache_lock:
        _service_time_cache[branch.pk] = (time.monotonic(), model)
    return model


def forget_service_times(branch=None) -> None:
    with _cache_lock:
        if branch is None:
            _service_time_cache.clear()
        else:
            _service_time_cache.pop(branch.pk, None)


class WaitingRow(NamedTuple):
    """A waiting ticket as the request path reads it: the engine's fields only, no model."""

    pk: int
    queue: str
    channel: str
    priority_class: str
    queued_at: dt.datetime
    vip_tier: int
    appointment_window_start: dt.datetime | None
    appointment_window_end: dt.datetime | None
    language_required: str
    boost: float
    target_counter_id: int | None
    service_code: str
    estimated_wait_seconds: int | None


class CurrentRow(NamedTuple):
    """The ticket called to or served at a counter, as the request path reads it."""

    pk: int
    counter_id: int
    number: str
    channel: str
    called_at: dt.datetime
    serving_started_at: dt.datetime | None
    service_code: str


CURRENT_FIELDS = ("id", "counter_id", "number", "channel", "called_at", "serving_started_at",
                  "service_type__code")


def waiting_ticket(ticket: "Ticket | WaitingRow", epoch: dt.datetime) -> engine.WaitingTicket:
    """The engine's view of a waiting ticket; `epoch` is the business day's `day_epoch`, worked
    out once per snapshot rather than three times per ticket (same minutes)."""
    window = None
    if ticket.appointment_window_start and ticket.appointment_window_end:
        window = (engine.minutes_since(epoch, ticket.appointment_window_start),
                  engine.minutes_since(epoch, ticket.appointment_window_end))
    code = ticket.service_code if isinstance(ticket, WaitingRow) else ticket.service_type.code
    return engine.WaitingTicket(
        id=ticket.pk,
        service_code=code,
        channel=engine.Channel(ticket.channel),
        queue_prefix=ticket.queue,
        priority_class=engine.PriorityClass(ticket.priority_class),
        arrived_at=engine.minutes_since(epoch, ticket.queued_at),
        vip_tier=ticket.vip_tier,
        appointment_window=window,
        language=ticket.language_required or None,
        boost=ticket.boost,
        counter_id=ticket.target_counter_id,
    )


@dataclass
class BranchSnapshot:
    """Everything the engine needs about one branch right now, plus the rows it came from."""

    branch: object
    now: dt.datetime
    day: dt.date
    settings: QueueSettings
    weights: engine.PolicyWeights
    prefixes: dict[str, str]
    points: list[ServicePoint]
    sessions: dict[int, CounterSession]  # by counter id
    current: dict[int, Ticket] | dict[int, CurrentRow]  # by counter id; CurrentRow when light
    waiting: list[Ticket] | list[WaitingRow]  # WaitingRow when light
    live: engine.LiveState
    config: BranchConfig | None = None
    zone_names: dict[str, dict[str, str]] | None = None  # by ticket prefix (queueing.config)

    @cached_property
    def quoting(self) -> engine.LiveState:
        """``live`` with the counters' known hours today (queueing.duty): what a quote needs.
        Only the paths that quote read them (issuing, the estimate refresh); they are kept with
        the branch's configuration, so they cost queries only after it changed."""
        opening = self.config.hours_on(self.branch, self.day) if self.config else []
        if self.config is None or not opening:
            return self.live
        duty = self.config.duty_on(self.branch, self.day)
        counters = tuple(
            counter if counter.kind == engine.Channel.KIOSK else replace(counter, hours=counter_hours(
                opening=opening, duty=duty.get(counter.id), is_open=counter.open, now=self.live.now))
            for counter in self.live.counters)
        return replace(self.live, counters=counters)

    @property
    def minutes_now(self) -> float:
        return minutes_at(self.branch, self.day, self.now)

    def counter_state(self, point_id: int) -> engine.CounterState | None:
        return next((c for c in self.live.counters if c.id == point_id), None)

    def estimates(self) -> dict[int, float | None]:
        live = self.quoting
        return engine.estimate_waits(live.waiting, live.counters, live.service_times, live.now,
                                     self.weights)


def _skills(point: ServicePoint, session: CounterSession | None, all_codes: frozenset,
            teller_skills: dict[int, frozenset[str]]) -> frozenset:
    # Empty lists mean "everything": a counter with no configured services takes all, and a
    # teller with no recorded skills is limited by the counter only.
    skills = frozenset(s.code for s in point.service_types.all()) or all_codes
    profile = getattr(session.teller, "staff_profile", None) if session else None
    if profile is not None and teller_skills.get(profile.pk):
        skills &= teller_skills[profile.pk]
    return skills


def _languages(session: CounterSession | None) -> frozenset:
    profile = getattr(session.teller, "staff_profile", None) if session else None
    languages = frozenset(profile.languages or ()) if profile is not None else frozenset()
    return languages or frozenset({"zh-hans"})


def work_profile(point: ServicePoint) -> engine.WorkProfile | None:
    """The counter's configured work profile; None (every queue its skills cover) when unset."""
    queues = tuple(point.work_queues or ())
    if not queues:
        return None
    mode = engine.ProfileMode(point.work_mode or engine.ProfileMode.ORDER)
    ratios = tuple(float(r) for r in point.work_ratios or ()) if mode == engine.ProfileMode.RATIO else ()
    return engine.WorkProfile(queues=queues, mode=mode, ratios=ratios)


def calls_by_queue(branch, day: dt.date) -> dict[int, dict[str, int]]:
    """Today's calls per counter and queue (the queue the ticket was called from)."""
    rows = (Ticket.objects.of_day(branch, day).filter(counter__isnull=False,
                                                      first_called_at__isnull=False)
            .values_list("counter_id", "queue").annotate(n=Count("pk")).order_by())
    result: dict[int, dict[str, int]] = {}
    for counter_id, queue, count in rows:
        result.setdefault(counter_id, {})[queue] = count
    return result


# What the engine reads of a waiting ticket: the request path (issue, call next) loads only these,
# and the estimate it last had (the new ticket's place in line is counted from it).
ENGINE_FIELDS = ("id", "queue", "channel", "priority_class", "queued_at", "vip_tier",
                 "appointment_window_start", "appointment_window_end", "language_required",
                 "boost", "target_counter_id", "service_type__code", "estimated_wait_seconds")


def call_candidates(branch, day: dt.date, now: dt.datetime):
    """The waiting tickets call-next can choose among: the longest-waiting ticket of each group
    of tickets the engine cannot tell apart but by their wait (same queue, channel, service,
    priority class, VIP tier, boost, language, target counter, and appointment window open or
    not). Within such a group an older ticket scores at least as high and is servable whenever a
    younger one is (the hard cap and the language bound only lift with waiting), so the engine's
    pick among these is its pick among all; the list keeps the waiting list's order."""
    window_later = Case(When(appointment_window_start__gt=now, appointment_window_end__isnull=False,
                             then=Value(True)), default=Value(False), output_field=BooleanField())
    first = Window(RowNumber(), partition_by=[
        F("queue"), F("channel"), F("service_type_id"), F("priority_class"), F("vip_tier"),
        F("boost"), F("language_required"), F("target_counter_id"), window_later],
        order_by=[F("queued_at").asc(), F("id").asc()])
    rows = (Ticket.objects.of_day(branch, day).waiting().annotate(first=first).filter(first=1)
            .order_by("queued_at", "id").values_list(*ENGINE_FIELDS))
    return [WaitingRow(*row) for row in rows]


def _sessions(branch, catalogue: Catalogue):
    sessions = {s.counter_id: s for s in CounterSession.objects.current()
                .filter(counter__branch=branch).select_related("teller__staff_profile")}
    profiles = {s.teller.staff_profile.pk for s in sessions.values()
                if getattr(s.teller, "staff_profile", None) is not None}
    return sessions, catalogue.teller_skills(profiles) if profiles else {}


def _waiting_and_current_rows(branch, day: dt.date) -> tuple[list[WaitingRow], dict[int, CurrentRow]]:
    """The waiting rows (in line order) and the current rows by counter, in one query: issuing
    needs both, and each statement costs the request more in Django than in PostgreSQL."""
    extra = ("status", "counter_id", "number", "called_at", "serving_started_at")
    rows = (Ticket.objects.of_day(branch, day)
            .filter(status__in=[TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING])
            .order_by("queued_at", "id").values_list(*ENGINE_FIELDS, *extra))
    size = len(ENGINE_FIELDS)
    code_at = ENGINE_FIELDS.index("service_type__code")
    waiting, current = [], {}
    for row in rows:
        status, counter_id, number, called_at, started_at = row[size:]
        if status == TicketStatus.WAITING:
            waiting.append(WaitingRow(*row[:size]))
        else:
            current[counter_id] = CurrentRow(row[0], counter_id, number, row[2], called_at,
                                             started_at, row[code_at])
    return waiting, current


def _current(branch, day: dt.date, light: bool) -> dict:
    live = Ticket.objects.of_day(branch, day).filter(
        status__in=[TicketStatus.CALLED, TicketStatus.SERVING])
    if light:
        return {row[1]: CurrentRow(*row) for row in live.values_list(*CURRENT_FIELDS)}
    return {t.counter_id: t for t in live.select_related("service_type", "customer", "served_by")}


def _busy_until(ticket, times, branch, day, clock_now) -> float | None:
    if ticket is None:
        return None
    started = ticket.serving_started_at or ticket.called_at
    code = ticket.service_code if isinstance(ticket, CurrentRow) else ticket.service_type.code
    expected = times.expected(code, engine.Channel(ticket.channel))
    # An overrunning service is expected to end soon, not in the past.
    return max(minutes_at(branch, day, started) + expected, clock_now + 0.5)


def branch_snapshot(branch, *, now: dt.datetime | None = None, light: bool = False,
                    candidates: bool = False) -> BranchSnapshot:
    """`light`: the waiting and current tickets are rows of the engine's fields, not models
    (issuing and calling need no more; the estimate refresh and the pages load them whole);
    `candidates`: only `call_candidates` of the waiting list (call-next)."""
    now = now or timezone.now()
    day = business_date(branch, now)
    settings = settings_for(branch)
    config, services = configuration(branch)
    prefixes = zone_prefixes(branch, config)
    weights = settings.weights(vip_prefix=prefixes[Zone.Kind.VIP],
                               kiosk_prefix=prefixes[Zone.Kind.SELF_SERVICE])
    points = config.points
    sessions, teller_skills = _sessions(branch, services)
    waiting: list
    current: dict
    if candidates:
        current = _current(branch, day, light=True)
        waiting = call_candidates(branch, day, now)
    elif light:
        waiting, current = _waiting_and_current_rows(branch, day)
    else:
        current = _current(branch, day, light=False)
        waiting = list(Ticket.objects.of_day(branch, day).waiting().order_by("queued_at", "id")
                       .select_related("service_type", "customer"))
    times = service_times(branch)
    all_codes = frozenset(times.catalog)
    clock_now = minutes_at(branch, day, now)
    # Calls per queue matter only to a work profile's ratios.
    calls = calls_by_queue(branch, day) if any(p.work_queues for p in points) else {}
    counters = []
    for point in points:
        session = sessions.get(point.pk)
        is_open = point.status == ServicePoint.Status.OPEN and (
            point.kind == ServicePoint.Kind.KIOSK or session is not None)
        profile = work_profile(point)
        counters.append(engine.CounterState(
            id=point.pk, kind=engine.Channel(point.kind),
            skills=_skills(point, session, all_codes, teller_skills),
            languages=_languages(session), open=is_open,
            busy_until=_busy_until(current.get(point.pk), times, branch, day, clock_now),
            queue_prefixes=profile.queues if profile else (point.zone.ticket_prefix,),
            work_profile=profile, calls_by_queue=calls.get(point.pk, {})))
    epoch = day_epoch(branch, day)
    live = engine.LiveState(now=clock_now,
                            waiting=tuple(waiting_ticket(t, epoch) for t in waiting),
                            counters=tuple(counters), service_times=times)
    return BranchSnapshot(branch=branch, now=now, day=day, settings=settings, weights=weights,
                          prefixes=prefixes, points=points, sessions=sessions, current=current,
                          waiting=waiting, live=live, config=config,
                          zone_names=config.zone_names)
