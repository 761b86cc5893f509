"""Generate branch history for the insights benchmark and roll it up.

    .venv/bin/python bench/insights/generate.py --branches 50 --days 365 --rollups-only
    .venv/bin/python bench/insights/generate.py --branches 3 --days 28      # tickets, then rollup_day

Arrivals follow a bank branch's day: a morning peak around 10:00, a lunch dip, an afternoon peak
around 15:00; Mondays and the days after holidays are busier, Sundays quieter; branches differ in
size. Full mode bulk-inserts tickets and counter sessions (the roll-up sources) and runs the real
`rollup_day`; `--rollups-only` writes the roll-up rows straight from the same model (numpy), which
is how a year × 50 branches fits in minutes. Prints JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from zoneinfo import ZoneInfo

import numpy as np
from common import setup

HOURS = list(range(9, 17))
HOUR_WEIGHT = np.array([0.9, 1.5, 1.3, 0.8, 0.7, 1.2, 1.4, 1.0])
WEEKDAY_FACTOR = {1: 1.3, 2: 1.05, 3: 1.0, 4: 1.0, 5: 1.15, 6: 0.7, 7: 0.45}
SERVICES = [  # code, zone, complexity target minutes, mean handling minutes, share
    ("BENCH_DEPOSIT", "cash", 5, 4.5, 0.35),
    ("BENCH_TRANSFER", "non_cash", 8, 7.0, 0.25),
    ("BENCH_CARD", "non_cash", 15, 14.0, 0.15),
    ("BENCH_WEALTH", "wealth", 30, 27.0, 0.10),
    ("BENCH_SELF", "self_service", 3, 3.0, 0.15),
]
ZONES = [("cash", "A"), ("non_cash", "B"), ("vip", "V"), ("wealth", "W"), ("self_service", "S")]
REGIONS = ["华北", "华东", "华南", "西部", "东北"]
BUCKETS = [0, 5, 10, 15, 20, 30, 45, 60, 10_000]


def make_fixtures(n_branches: int):
    from branches.models import Branch, ServiceType, Zone

    services = []
    for code, zone, target, _mean, _share in SERVICES:
        service, _ = ServiceType.objects.get_or_create(
            code=code,
            defaults={
                "name_zh_hans": code,
                "name_en": code,
                "category": "deposit",
                "complexity": "instant" if target <= 5 else "complex" if target <= 15 else "special",
                "target_minutes": target,
                "zone_kind": zone,
            },
        )
        services.append(service)
    branches = []
    for i in range(n_branches):
        branch, created = Branch.objects.get_or_create(
            code=f"BENCH{i + 1:03d}",
            defaults={
                "name_zh_hans": f"基准支行{i + 1}",
                "name_en": f"Bench branch {i + 1}",
                "region": REGIONS[i % len(REGIONS)],
            },
        )
        if created:
            Zone.objects.bulk_create(
                Zone(branch=branch, kind=k, name_zh_hans=k, name_en=k, ticket_prefix=p) for k, p in ZONES
            )
        branches.append(branch)
    return branches, services


def day_counts(rng, size: float, day: dt.date) -> np.ndarray:
    """Arrivals per hour (rows) and service (columns) for one branch and day."""
    mean = size * WEEKDAY_FACTOR[day.isoweekday()] * HOUR_WEIGHT[:, None] * np.array([s[4] for s in SERVICES])
    return rng.poisson(mean)


WAIT_FIELDS = [
    "wait_lt5",
    "wait_lt10",
    "wait_lt15",
    "wait_lt20",
    "wait_lt30",
    "wait_lt45",
    "wait_lt60",
    "wait_ge60",
]


def service_hour_row(rng, n: int, h_index: int, s_index: int) -> dict:
    """One service's counts in one hour for `n` arrivals: waits, no-shows, quotes and handling."""
    mean_handling = SERVICES[s_index][3]
    handling = rng.gamma(4, mean_handling / 4, n) * 60
    waits = rng.exponential(6 * (0.5 + HOUR_WEIGHT[h_index]), n) * 60
    no_show = rng.random(n) < 0.04
    cancelled = rng.random(n) < 0.03
    called = ~cancelled
    served = called & ~no_show
    quoted = waits[called] * rng.normal(1, 0.25, called.sum())
    hist, _ = np.histogram(waits[called] / 60, bins=BUCKETS)
    return {
        "arrivals": n,
        "served": int(served.sum()),
        "no_shows": int((no_show & called).sum()),
        "cancelled": int(cancelled.sum()),
        "appointment_arrivals": int((rng.random(n) < 0.12).sum()),
        "waited": int(called.sum()),
        "wait_seconds": int(waits[called].sum()),
        **{f: int(v) for f, v in zip(WAIT_FIELDS, hist, strict=True)},
        "quoted": int(called.sum()),
        "quote_error_seconds": int(np.abs(quoted - waits[called]).sum()),
        "handled": int(served.sum()),
        "handling_seconds": int(handling[served].sum()),
        "target_seconds": int(served.sum()) * SERVICES[s_index][2] * 60,
    }


def roster_hour(rng, branch, day, hour: int, arrivals: int, handling_seconds: float):
    """The counters an hour needed for its arrivals, and the counters open (one more or fewer)."""
    from insights.models import RosterHourStat
    from insights.staffing import counters_for

    served_in_hour = max(1, arrivals)
    needed = counters_for(arrivals_per_hour=arrivals, handling_minutes=handling_seconds / served_in_hour / 60)
    open_counters = max(1, needed + int(rng.integers(-1, 2)))
    return RosterHourStat(
        branch=branch,
        date=day,
        hour=hour,
        staffed_seconds=open_counters * 3600,
        busy_seconds=int(handling_seconds),
        counters_needed=needed,
    )


def branch_day_row(rng, branch, day, day_totals: dict, roster: list):
    """The day's totals, with appointments, complaints, SLAs, surveys and compliance drawn around them."""
    from insights.models import BranchDayStat

    served = day_totals.get("served", 0)
    surveys = int(served * 0.05)
    scores = rng.choice(11, surveys, p=[0.01, 0.01, 0.01, 0.02, 0.02, 0.03, 0.05, 0.1, 0.2, 0.25, 0.3])
    appointments = day_totals.get("appointment_arrivals", 0) + int(rng.integers(0, 4))
    records = int(served * 0.3)
    day_row = BranchDayStat(
        branch=branch,
        date=day,
        **day_totals,
        staffed_seconds=sum(r.staffed_seconds for r in roster),
        busy_seconds=sum(r.busy_seconds for r in roster),
        counter_hours_needed=sum(r.counters_needed for r in roster),
        understaffed_hours=sum(1 for r in roster if r.staffed_seconds / 3600 < r.counters_needed - 0.5),
        appointments=appointments,
        appointments_checked_in=day_totals.get("appointment_arrivals", 0),
        appointments_on_time=int(day_totals.get("appointment_arrivals", 0) * 0.85),
        appointments_no_show=appointments - day_totals.get("appointment_arrivals", 0),
        complaints=int(rng.poisson(served / 2500)),
        sla_due=int(rng.poisson(1)),
        sla_met=0,
        surveys=surveys,
        survey_score_sum=int(scores.sum()),
        promoters=int((scores >= 9).sum()),
        detractors=int((scores <= 6).sum()),
        compliance_records=records,
        compliance_covered=records - int(rng.binomial(records, 0.01)) if records else 0,
    )
    day_row.sla_met = int(rng.binomial(day_row.sla_due, 0.9))
    return day_row


def rollup_rows(rng, branch, services, day, counts):
    from insights.models import HourlyStat

    hourly, roster = [], []
    day_totals: dict[str, int] = {}
    for h_index, hour in enumerate(HOURS):
        hour_arrivals, hour_handling = 0, 0.0
        for s_index, service in enumerate(services):
            n = int(counts[h_index, s_index])
            if not n:
                continue
            row = service_hour_row(rng, n, h_index, s_index)
            hourly.append(
                HourlyStat(
                    branch=branch,
                    date=day,
                    hour=hour,
                    service_type=service,
                    zone_kind=service.zone_kind,
                    **row,
                )
            )
            for k, v in row.items():
                day_totals[k] = day_totals.get(k, 0) + v
            hour_arrivals += n
            hour_handling += row["handling_seconds"]
        roster.append(roster_hour(rng, branch, day, hour, hour_arrivals, hour_handling))
    return hourly, roster, branch_day_row(rng, branch, day, day_totals, roster)


def write_rollups(rng, branches, services, days):
    from django.db import transaction

    from insights.models import BranchDayStat, HourlyStat, RosterHourStat

    for branch in branches:
        size = float(rng.uniform(6, 30))
        hourly, roster, daily = [], [], []
        for day in days:
            h, r, d = rollup_rows(rng, branch, services, day, day_counts(rng, size, day))
            hourly += h
            roster += r
            daily.append(d)
        with transaction.atomic():
            for model in (HourlyStat, RosterHourStat, BranchDayStat):
                model.objects.filter(branch=branch, date__in=days).delete()
            HourlyStat.objects.bulk_create(hourly, batch_size=5000)
            RosterHourStat.objects.bulk_create(roster, batch_size=5000)
            BranchDayStat.objects.bulk_create(daily, batch_size=5000)


def bench_counters(branch) -> tuple[list, list]:
    """Counters B1-B6 of the branch's cash zone, and a teller for each."""
    from django.contrib.auth import get_user_model

    from branches.models import ServicePoint

    user_model = get_user_model()
    zone = branch.zones.get(kind="cash")
    counters = [
        ServicePoint.objects.get_or_create(
            branch=branch,
            code=f"B{i}",
            defaults={
                "zone": zone,
                "kind": "counter",
                "name_zh_hans": f"{i}号窗口",
                "name_en": f"Counter {i}",
            },
        )[0]
        for i in range(1, 7)
    ]
    tellers = [user_model.objects.get_or_create(username=f"bench-{branch.code}-{i}")[0] for i in range(1, 7)]
    return counters, tellers


def one_ticket(rng, branch, day, tz, at: tuple[int, int, int], service, seq: int, counters, tellers):
    """Ticket A<seq> of a service issued in an hour (`at` = hour index, hour, service index)."""
    from queueing.models import Source, Ticket, TicketStatus

    h_index, hour, s_index = at
    issued = dt.datetime.combine(day, dt.time(hour), tzinfo=tz) + dt.timedelta(
        seconds=float(rng.uniform(0, 3600))
    )
    wait = dt.timedelta(minutes=float(rng.exponential(6 * (0.5 + HOUR_WEIGHT[h_index]))))
    handling = dt.timedelta(minutes=float(rng.gamma(4, SERVICES[s_index][3] / 4)))
    roll = rng.random()
    status = (
        TicketStatus.CANCELLED if roll < 0.03 else TicketStatus.NO_SHOW if roll < 0.07 else TicketStatus.DONE
    )
    called = issued + wait if status != TicketStatus.CANCELLED else None
    done = status == TicketStatus.DONE
    k = seq % len(counters)
    return Ticket(
        branch=branch,
        business_date=day,
        prefix="A",
        sequence=seq,
        queue="A",
        number=f"A{seq:04d}",
        status=status,
        service_type=service,
        source=Source.KIOSK,
        issued_at=issued,
        queued_at=issued,
        first_called_at=called,
        called_at=called,
        serving_started_at=called if done else None,
        finished_at=called + handling if done else None,
        quoted_wait_seconds=int(wait.total_seconds() * rng.normal(1, 0.25)) if called else None,
        actual_wait_seconds=int(wait.total_seconds()) if called else None,
        counter=counters[k] if done else None,
        served_by=tellers[k] if done else None,
    )


def write_tickets(rng, branches, services, days):
    """Real source rows (tickets and counter sessions), then the real roll-up."""
    from django.db import transaction

    from insights.services import rollup_day
    from queueing.models import CounterSession, Ticket

    for branch in branches:
        tz = ZoneInfo(branch.timezone)
        counters, tellers = bench_counters(branch)
        size = float(rng.uniform(6, 30))
        for day in days:
            counts = day_counts(rng, size, day)
            tickets, sessions, seq = [], [], 0
            for h_index, hour in enumerate(HOURS):
                for s_index, service in enumerate(services):
                    for _ in range(int(counts[h_index, s_index])):
                        seq += 1
                        tickets.append(
                            one_ticket(
                                rng,
                                branch,
                                day,
                                tz,
                                (h_index, hour, s_index),
                                service,
                                seq,
                                counters,
                                tellers,
                            )
                        )
            open_at = dt.datetime.combine(day, dt.time(8, 50), tzinfo=tz)
            for counter, teller in zip(counters[:4], tellers[:4], strict=True):
                sessions.append(
                    CounterSession(
                        counter=counter,
                        teller=teller,
                        opened_at=open_at,
                        closed_at=open_at + dt.timedelta(hours=8, minutes=20),
                    )
                )
            with transaction.atomic():
                Ticket.objects.filter(branch=branch, business_date=day).delete()
                Ticket.objects.bulk_create(tickets, batch_size=2000)
                CounterSession.objects.bulk_create(sessions)
            rollup_day(branch=branch, day=day)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--branches", type=int, default=50)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--until", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--rollups-only", action="store_true")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    setup()
    from django.utils import timezone

    from insights.models import BranchDayStat, HourlyStat

    rng = np.random.default_rng(args.seed)
    until = args.until or timezone.localdate()
    days = [until - dt.timedelta(days=i) for i in range(args.days)][::-1]
    started = time.perf_counter()
    branches, services = make_fixtures(args.branches)
    (write_rollups if args.rollups_only else write_tickets)(rng, branches, services, days)
    print(
        json.dumps(
            {
                "branches": args.branches,
                "days": args.days,
                "mode": "rollups-only" if args.rollups_only else "tickets",
                "branch_day_rows": BranchDayStat.objects.count(),
                "hourly_rows": HourlyStat.objects.count(),
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
