"""A month of past days at the demo branch, so insights, the staffing forecast and ratings show
real figures straight after ``seed_demo`` (issue #22, item 7).

Each past day's customers come from one of the branch simulator's realistic days
(bench/simulate/scenarios: an ordinary day, a month-end day, a pension day on the 15th) with
the simulator's own draws: arrival times, services, segment, patience, handling times. They are
then played through the live services in time order, the clock moved to each moment:
``ticket_issue`` routes and quotes, ``ticket_call_next`` lets the live engine choose whom each
counter calls, ``ticket_start_serving``/``ticket_finish`` or ``ticket_no_show``, ``ticket_cancel``
for a customer whose patience ran out, kiosk sessions through ``ticket_self_serve``. Visit ratings
and a few complaints go through the service desk's services. Every write is audited by the
service that makes it. ``scale`` thins each day (a share of the simulated customers) so a month
stays quick enough for ``make run``.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
import time
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from branches.models import Branch, Device, ServicePoint, ServiceType, Zone
from core import worker_heartbeat as heartbeat
from customers.models import Customer
from insights.demo_bookings import Bookings
from queueing import services as queue
from queueing.engine import Channel as EngineChannel
from queueing.engine.simulation import draw_day, load_scenario
from queueing.models import Channel, Ticket, TicketStatus
from servicedesk.models import Channel as DeskChannel
from servicedesk.models import WorkOrderKind
from servicedesk.services import visit_survey_answer, visit_survey_invite, work_order_create

DEMO_BRANCH = "BJ001"
SCENARIOS = Path(settings.BASE_DIR) / "bench" / "simulate" / "scenarios"
# The demo branch's counters and who staffs them (branches/demo.py).
STAFF = {"01": "teller1", "02": "teller2", "03": "teller3", "04": "teller4", "05": "teller5",
         "06": "wealth1"}
# A thinned day is staffed in proportion (or the tellers would sit idle and nobody wait): the
# VIP counter first (its teller serves every counter service), then wealth, cash, non-cash.
STAFFING_ORDER = ("05", "06", "01", "03", "02", "04")
# The simulator's services as the demo catalog's (branches/demo.py): (counter, kiosk) codes.
SERVICES = {
    "cash": ("CASH_DEPOSIT", "CASH_DEPOSIT"), "cash_large": ("CASH_WITHDRAWAL", None),
    "pension_cash": ("CASH_WITHDRAWAL", None), "bill_payment": ("BILL_PAYMENT", "BILL_PAYMENT"),
    "transfer": ("TRANSFER", "TRANSFER"), "passbook": ("STATEMENT_PRINT", "STATEMENT_PRINT"),
    "card_services": ("CARD_REPLACEMENT", "CARD_LOSS"), "account_change": ("PROFILE_UPDATE", None),
    "loan_service": ("CONSUMER_LOAN", None), "wealth": ("WEALTH_PRODUCT", None),
}
RATED_SHARE = 0.3  # of finished visits with a known customer, a rating comes back
COMPLAINTS = [
    "排队时间太长，叫号屏显示的等待时间不准。",
    "柜台只开了两个窗口，午休时间等了很久。",
    "自助机取号后一直没有叫到我，工作人员也没有解释。",
    "大堂经理态度不好，没有告诉我该去哪个窗口。",
]


@dataclass
class MonthResult:
    days: int
    tickets: int
    seconds: float


def scenario_for(day: dt.date) -> str:
    """Pension day on the 15th, month-end on the last two days of a month, else ordinary."""
    if day.day == 15:
        return "pension_day"
    if (day + dt.timedelta(days=2)).month != day.month:
        return "month_end_day"
    return "ordinary_day"


def seed_month(*, days: int, scale: float, stdout=None, today: dt.date | None = None) -> MonthResult:
    """Play ``days`` past days (oldest first, up to yesterday) at the demo branch, then roll
    them up for insights."""
    import time_machine  # moves the clock the services read; a dev and demo dependency


    started = time.perf_counter()
    branch = Branch.objects.filter(code=DEMO_BRANCH).first()
    if branch is None or not SCENARIOS.exists():
        return MonthResult(0, 0, 0.0)
    zone = ZoneInfo(branch.timezone)
    today = today or timezone.localdate(timezone=zone)
    play = _Player(branch, scale=scale)
    scenarios = {}
    tickets = 0
    beat_before = cache.get(heartbeat.KEY)
    with time_machine.travel(dt.datetime.now(dt.UTC), tick=False) as clock:
        for offset in range(days, 0, -1):
            day = today - dt.timedelta(days=offset)
            hours = branch.opening_hours.filter(weekday=day.weekday()).first()
            if hours is None:
                continue
            name = scenario_for(day)
            scenario = scenarios.get(name) or scenarios.setdefault(
                name, load_scenario(SCENARIOS / f"{name}.json"))
            opens = dt.datetime.combine(day, hours.opens, tzinfo=zone)
            closes = dt.datetime.combine(day, hours.closes, tzinfo=zone)
            arrivals, booked_no_shows = draw_day(scenario, seed=day.toordinal())
            rng = random.Random(day.toordinal())  # noqa: S311 - demo data
            kept = [a for a in arrivals if rng.random() < scale
                    and opens + dt.timedelta(minutes=a.at) < closes - dt.timedelta(minutes=10)]
            no_shows = sum(rng.random() < scale for _ in range(booked_no_shows))
            play.bookings.book_day(kept, no_shows, opens, scenario, rng)
            tickets += play.day(clock, opens, closes, kept, rng)
    if cache.get(heartbeat.KEY) != beat_before:
        # An in-process worker beat while the clock stood in the past: /readyz would take that
        # beat for a dead worker. It is alive now.
        heartbeat.worker_heartbeat_write()
    if days:
        from insights.services import rollup_day

        for offset in range(days, 0, -1):
            rollup_day(branch=branch, day=today - dt.timedelta(days=offset))
    seconds = time.perf_counter() - started
    if stdout is not None:
        stdout.write(f"insights: {days} past days played at {DEMO_BRANCH} through the services "
                     f"({tickets} tickets, {seconds:.0f} s)\n")
    return MonthResult(days, tickets, seconds)


class _Player:
    """One branch's counters, kiosks and demo customers, replaying days through the services."""

    def __init__(self, branch: Branch, *, scale: float = 1.0):
        self.branch = branch
        users = get_user_model().objects.in_bulk(STAFF.values(), field_name="username")
        points = ServicePoint.objects.filter(branch=branch, kind=ServicePoint.Kind.COUNTER)
        staffed = sorted((p for p in points if STAFF.get(p.code) in users),
                         key=lambda p: STAFFING_ORDER.index(p.code))
        on_duty = max(1, round(len(staffed) * min(1.0, scale)))
        self.counters = [(p, users[STAFF[p.code]]) for p in staffed[:on_duty]]
        self.kiosks = list(Device.objects.filter(service_point__branch=branch,
                                                 service_point__kind=ServicePoint.Kind.KIOSK)
                           .select_related("service_point").order_by("pk"))
        codes = {code for pair in SERVICES.values() for code in pair if code}
        self.types = ServiceType.objects.in_bulk(codes, field_name="code")
        self.customers = list(Customer.objects.order_by("pk")[:60])
        # The queues a counter on duty calls from (an empty work profile: every queue). A thinned
        # day staffs the VIP counter alone, whose profile leaves out S: a customer who asked for
        # a passbook print or bill payment at a counter was never called and gave up (about
        # 17 % of a day's customers). They use a kiosk instead when one is free.
        profiles = [set(point.work_queues) for point, _ in self.counters]
        self.counter_queues = None if any(not q for q in profiles) else set().union(*profiles)
        self.zone_prefix = dict(Zone.objects.filter(branch=branch).values_list("kind", "ticket_prefix"))
        self.complainer = next(iter(u for _, u in self.counters), None)
        self.bookings = Bookings(branch, self.types, self.customers, SERVICES)

    def day(self, clock, opens, closes, arrivals, rng) -> int:
        clock.move_to(opens)
        for point, teller in self.counters:
            queue.counter_open(actor=teller, counter=point)
        events: list = []
        order = itertools.count()
        busy: dict[int, Ticket | None] = {point.pk: None for point, _ in self.counters}
        kiosk_free = dict.fromkeys(d.pk for d in self.kiosks)
        visit = {}
        for arrival in arrivals:
            heapq.heappush(events, (opens + dt.timedelta(minutes=arrival.at), next(order),
                                    "arrive", arrival))
        issued = 0
        while events:
            moment, _, kind, payload = heapq.heappop(events)
            clock.move_to(max(moment, timezone.now()))
            if kind == "arrive":
                device = next((d for d in self.kiosks if kiosk_free[d.pk] is None), None)
                ticket = self._arrive(payload, rng, events, order, kiosk=device is not None)
                if ticket is None:
                    continue
                issued += 1
                visit[ticket.pk] = payload
                if ticket.channel == Channel.KIOSK:
                    queue.ticket_self_serve(ticket=ticket, device=device)
                    kiosk_free[device.pk] = ticket.pk
                    minutes = payload.durations.get(EngineChannel.KIOSK, 3.0)
                    heapq.heappush(events, (timezone.now() + dt.timedelta(minutes=minutes),
                                            next(order), "kiosk_done", (device, ticket)))
                elif payload.patience is not None:
                    heapq.heappush(events, (timezone.now() + dt.timedelta(minutes=payload.patience),
                                            next(order), "renege", ticket))
            elif kind == "kiosk_done":
                device, ticket = payload
                queue.ticket_finish(actor=None, ticket=ticket)
                kiosk_free[device.pk] = None
            elif kind == "renege":
                payload.refresh_from_db(fields=["status"])
                if payload.status == TicketStatus.WAITING:
                    queue.ticket_cancel(ticket=payload)
            elif kind == "finish":
                point, teller, ticket = payload
                queue.ticket_finish(actor=teller, ticket=ticket)
                busy[point.pk] = None
                self._rate(ticket, rng)
            self._call(events, order, busy, visit, rng)
        clock.move_to(max(closes, timezone.now()))
        # Nobody on duty could serve what is left: those customers went home.
        for ticket in Ticket.objects.filter(branch=self.branch, status=TicketStatus.WAITING):
            queue.ticket_cancel(ticket=ticket)
        for point, teller in self.counters:
            queue.counter_close(actor=teller, counter=point)
        self.bookings.close_day(timezone.now())
        if rng.random() < 0.35 and self.customers:
            self._complain(rng)
        return issued

    def _arrive(self, arrival, rng, events, order, *, kiosk: bool) -> Ticket | None:
        """A booked customer checks in (an early one comes back when check-in opens, a lapsed
        one walks in); everyone else takes a ticket."""
        if arrival.booked:
            checked_in = self.bookings.check_in(arrival, timezone.now())
            if isinstance(checked_in, dt.datetime):
                heapq.heappush(events, (checked_in, next(order), "arrive", arrival))
                return None
            if checked_in is not None:
                return checked_in
        return self._issue(arrival, rng, kiosk=kiosk)

    def _issue(self, arrival, rng, *, kiosk: bool) -> Ticket | None:
        """A kiosk when one is free and the customer takes it (the simulator's draw), else a
        counter ticket routed and quoted by the live engine."""
        counter_code, kiosk_code = SERVICES[arrival.service]
        counter_type = self.types.get(counter_code)
        uncalled = (self.counter_queues is not None and counter_type is not None
                    and self.zone_prefix.get(counter_type.zone_kind) not in self.counter_queues)
        to_kiosk = kiosk and kiosk_code is not None and (arrival.choice < 0.25 or uncalled)
        service_type = self.types.get(kiosk_code) if to_kiosk else counter_type
        if service_type is None:
            return None
        customer = rng.choice(self.customers) if self.customers and rng.random() < 0.4 else None
        try:
            return queue.ticket_issue(issue=queue.IssueRequest(
                branch=self.branch, service_type=service_type, source="kiosk",
                customer=customer,
                channel=Channel.KIOSK if to_kiosk else Channel.COUNTER,
                enforce_hours=False))
        except ValidationError:
            return None

    def _call(self, events, order, busy, visit, rng) -> None:
        if not Ticket.objects.filter(branch=self.branch, status=TicketStatus.WAITING).exists():
            return
        for point, teller in self.counters:
            if busy[point.pk] is not None:
                continue
            ticket = queue.ticket_call_next(actor=teller, counter=point)
            if ticket is None:
                continue
            arrival = visit.get(ticket.pk)
            if arrival is not None and arrival.no_show:
                queue.ticket_no_show(actor=teller, ticket=ticket)
                continue
            queue.ticket_start_serving(actor=teller, ticket=ticket)
            minutes = (arrival.durations.get(EngineChannel.COUNTER)
                       if arrival is not None else None) or ticket.service_type.target_minutes
            busy[point.pk] = ticket
            heapq.heappush(events, (timezone.now() + dt.timedelta(minutes=minutes), next(order),
                                    "finish", (point, teller, ticket)))

    def _rate(self, ticket: Ticket, rng) -> None:
        if ticket.customer_id is None or rng.random() >= RATED_SHARE:
            return

        survey = visit_survey_invite(visit_ref=f"demo-{ticket.pk}", branch=self.branch,
                                     customer=ticket.customer, service_name=str(ticket.service_type),
                                     ticket_number=ticket.number)
        waited = (ticket.actual_wait_seconds or 0) / 60
        score = 5 if waited < 5 else 4 if waited < 12 else rng.choice([2, 3, 4])
        visit_survey_answer(survey=survey, score=score)

    def _complain(self, rng) -> None:
        work_order_create(actor=None, kind=WorkOrderKind.COMPLAINT, channel=DeskChannel.COUNTER,
                          branch=self.branch, description=rng.choice(COMPLAINTS),
                          customer=rng.choice(self.customers))

