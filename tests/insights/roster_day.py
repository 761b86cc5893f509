"""A realistic branch day for the roster tests: the simulator's ordinary Tuesday
(bench/simulate/scenarios/ordinary_day.json: ~230 customers from 09:00 to 17:00, a late-morning and
a mid-afternoon peak) at a branch laid out like the demo branch: two cash counters, two non-cash,
a VIP counter that does everything and a wealth desk."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from branches.roles import Role
from insights import rosters
from insights.models import HourlyStat
from tests.factories import make_branch, make_counter, make_service_type, make_staff

DAY = dt.date(2026, 3, 3)  # a Tuesday, no holiday
TZ = ZoneInfo("Asia/Shanghai")
SCENARIO = json.loads((Path(settings.BASE_DIR) / "bench" / "simulate" / "scenarios" / "ordinary_day.json")
                      .read_text(encoding="utf-8"))
NAMES = {"teller1": ("王", "芳"), "teller2": ("李", "娜"), "teller3": ("张", "伟"), "teller4": ("刘", "洋"),
         "teller5": ("陈", "静"), "wealth1": ("赵", "敏")}
ZONE_OF_QUEUE = {"A": "cash", "B": "non_cash", "V": "vip", "W": "wealth"}


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def scenario_mix() -> tuple[float, dict[str, float]]:
    """Mean counter handling minutes and each zone's share of the customers."""
    services = SCENARIO["services"]
    total = sum(s["share"] for s in services)
    minutes = sum(s["share"] * s["duration"]["counter"]["mean"] for s in services) / total
    shares: dict[str, float] = {}
    for s in services:
        zone = ZONE_OF_QUEUE[s["queue_prefix"]]
        shares[zone] = shares.get(zone, 0) + s["share"] / total
    return minutes, shares


def scenario_demand() -> list[rosters.SlotDemand]:
    minutes, shares = scenario_mix()
    return rosters.demand_from_profile(opens=dt.time(9),
                                       arrivals_per_half_hour=SCENARIO["arrivals_per_half_hour"],
                                       handling_minutes=minutes, zone_shares=shares)


class Day:
    """The branch, its counters by code, its staff by name and its services by zone."""

    def __init__(self, *, floaters: int = 1):
        self.branch = make_branch("RS001")
        self.services = {zone: [make_service_type(zone_kind=zone) for _ in range(2)]
                         for zone in ("cash", "non_cash", "wealth")}
        cash, non_cash, wealth = (self.services[z] for z in ("cash", "non_cash", "wealth"))
        everything = cash + non_cash + wealth
        self.counters = {
            "01": make_counter(self.branch, "01", zone_kind="cash", services=cash),
            "02": make_counter(self.branch, "02", zone_kind="cash", services=cash),
            "03": make_counter(self.branch, "03", zone_kind="non_cash", services=non_cash),
            "04": make_counter(self.branch, "04", zone_kind="non_cash", services=non_cash),
            "05": make_counter(self.branch, "05", zone_kind="vip", services=everything),
            "06": make_counter(self.branch, "06", zone_kind="wealth", services=wealth),
        }
        skills = {"teller1": cash, "teller2": cash + non_cash, "teller3": non_cash, "teller4": non_cash,
                  "teller5": everything, "wealth1": wealth}
        skills.update({f"floater{n}": cash + non_cash for n in range(1, floaters + 1)})
        self.staff = {}
        for name, skill in skills.items():
            role = Role.WEALTH_MANAGER if name.startswith("wealth") else Role.TELLER
            user = make_staff(role, self.branch, username=name, skills=skill)
            user.last_name, user.first_name = NAMES.get(name, ("周", f"浮{name[-1]}"))
            user.save(update_fields=["last_name", "first_name"])
            self.staff[name] = user

    def seed_history(self, day: dt.date = DAY, weeks: int = 4) -> None:
        """The scenario's hours on the same weekday of the ``weeks`` weeks before ``day``."""
        minutes, shares = scenario_mix()
        halves = SCENARIO["arrivals_per_half_hour"]
        rows = []
        for week in range(1, weeks + 1):
            date = day - dt.timedelta(weeks=week)
            for index in range(0, len(halves), 2):
                hour_arrivals = halves[index] + halves[index + 1]
                for zone, share in shares.items():
                    count = round(hour_arrivals * share)
                    rows.append(HourlyStat(branch=self.branch, date=date, hour=9 + index // 2,
                                           service_type=self.services[zone][0], zone_kind=zone,
                                           arrivals=count, handled=count,
                                           handling_seconds=round(count * minutes * 60)))
        HourlyStat.objects.bulk_create(rows)
