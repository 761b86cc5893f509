"""Half-hour rosters from the Erlang C staffing forecast (docs/rosters.md).

Read side and planning only: the forecast of one branch day by half-hour, the planner that turns it
into counter assignments with staggered lunch breaks, and the checks that compare a roster with the
forecast. Writes are in insights.roster_services."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Sum

from branches.models import Branch, ServicePoint, StaffProfile, Zone
from branches.people import person_name
from branches.roles import Role
from insights import staffing
from insights.models import HourlyStat

SLOT_MINUTES = 30
# The lunch rule: a break of 30 to 60 minutes that starts and ends between 11:00 and 14:00, for
# everyone whose day at the branch is longer than six hours.
BREAK_WINDOW = (22, 28)  # slots 11:00 … 13:30 (the last one ends at 14:00)
BREAK_SLOTS = 2  # 60 minutes, planned first
MIN_BREAK_SLOTS = 1  # 30 minutes, when a full hour would leave the counters short
MAX_BREAK_SLOTS = 2
LONG_DAY_SLOTS = 12  # a day of more than 6 hours at the branch earns the lunch break
# A zone whose queue expects at least this many customers an hour needs a counter of its own.
ZONE_MIN_ARRIVALS = 1.0
ROSTER_ROLES = (Role.TELLER, Role.WEALTH_MANAGER)


def slot_label(slot: int) -> str:
    minutes = slot * SLOT_MINUTES
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def slot_start(day: dt.date, slot: int, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz) + dt.timedelta(minutes=slot * SLOT_MINUTES)


def _slot_of(moment: dt.time) -> int:
    return (moment.hour * 60 + moment.minute) // SLOT_MINUTES


def open_slots(periods: Iterable[tuple[dt.time, dt.time]]) -> list[int]:
    """Half-hours that start while the branch is open (09:00–17:00 → 18 … 33)."""
    slots: list[int] = []
    for opens, closes in periods:
        first = -(-(opens.hour * 60 + opens.minute) // SLOT_MINUTES)
        end = 48 if closes >= dt.time(23, 59) else -(-(closes.hour * 60 + closes.minute) // SLOT_MINUTES)
        slots.extend(range(first, end))
    return sorted(set(slots))


@dataclass(frozen=True)
class SlotDemand:
    slot: int
    arrivals_per_hour: float
    handling_minutes: float
    needed: int
    zones: frozenset[str] = frozenset()


def _demand(slot, rate, minutes, zone_rates: dict[str, float]) -> SlotDemand:
    needed = staffing.counters_for(arrivals_per_hour=rate, handling_minutes=minutes)
    zones = frozenset(z for z, r in zone_rates.items()
                      if r >= ZONE_MIN_ARRIVALS and z != Zone.Kind.SELF_SERVICE)
    return SlotDemand(slot, rate, minutes, needed, zones)


def demand_from_profile(*, opens: dt.time, arrivals_per_half_hour: list[float], handling_minutes: float,
                        zone_shares: dict[str, float]) -> list[SlotDemand]:
    """The forecast of a day described by its arrivals per half-hour (bench/simulate/scenarios)."""
    first = _slot_of(opens)
    result = []
    for offset, count in enumerate(arrivals_per_half_hour):
        rate = count * 60 / SLOT_MINUTES
        result.append(_demand(first + offset, rate, handling_minutes,
                              {z: rate * share for z, share in zone_shares.items()}))
    return result


def forecast_day(*, branch: Branch, day: dt.date, weeks: int = 4) -> list[SlotDemand]:
    """The half-hours of ``day`` with the counters Erlang C asks for, from the same weekday over
    the ``weeks`` weeks before it (each half-hour takes its hour's mean arrivals and handling)."""
    slots = open_slots(branch.hours_on(day))
    days = [day - dt.timedelta(weeks=w) for w in range(1, weeks + 1)]
    stats = HourlyStat.objects.filter(branch=branch, date__in=days)
    seen = stats.values("date").distinct().count()
    if not slots or not seen:
        return []
    rows = list(stats.values("hour", "zone_kind").annotate(
        arrivals=Sum("arrivals"), handled=Sum("handled"), seconds=Sum("handling_seconds")).order_by())
    handled = sum(r["handled"] or 0 for r in rows)
    overall = sum(r["seconds"] or 0 for r in rows) / handled / 60 if handled else 0
    hours: dict[int, dict] = defaultdict(lambda: {"arrivals": 0, "handled": 0, "seconds": 0, "zones": {}})
    for r in rows:
        hour = hours[r["hour"]]
        hour["arrivals"] += r["arrivals"] or 0
        hour["handled"] += r["handled"] or 0
        hour["seconds"] += r["seconds"] or 0
        hour["zones"][r["zone_kind"]] = hour["zones"].get(r["zone_kind"], 0) + (r["arrivals"] or 0) / seen
    result = []
    for slot in slots:
        hour = hours.get(slot // 2)
        if hour is None:
            result.append(SlotDemand(slot, 0, overall, 0))
            continue
        minutes = hour["seconds"] / hour["handled"] / 60 if hour["handled"] >= 3 else overall
        result.append(_demand(slot, hour["arrivals"] / seen, minutes, hour["zones"]))
    return result


@dataclass(frozen=True)
class Counter:
    id: int
    code: str
    zone_kind: str
    services: frozenset[int]


@dataclass(frozen=True)
class Teller:
    id: int
    name: str
    skills: frozenset[int]


def can_staff(teller: Teller, counter: Counter) -> bool:
    """A teller may sit at a counter whose every service is among the teller's skills."""
    return counter.services <= teller.skills


def branch_counters(branch: Branch) -> list[Counter]:
    points = (ServicePoint.objects.filter(branch=branch, kind=ServicePoint.Kind.COUNTER)
              .select_related("zone").prefetch_related("service_types").order_by("code"))
    return [Counter(p.pk, p.code, p.zone.kind, frozenset(s.pk for s in p.service_types.all()))
            for p in points]


def branch_tellers(branch: Branch) -> list[Teller]:
    profiles = (StaffProfile.objects.filter(branch=branch, role__in=ROSTER_ROLES, user__is_active=True)
                .select_related("user").prefetch_related("skills").order_by("employee_no"))
    return [Teller(p.user_id, person_name(p.user), frozenset(s.pk for s in p.skills.all()))
            for p in profiles]


@dataclass
class Plan:
    breaks: dict[int, list[int]] = field(default_factory=dict)  # teller → break slots
    work: dict[tuple[int, int], int] = field(default_factory=dict)  # (teller, slot) → counter


def _needs_lunch(slots: list[int]) -> bool:
    window = set(range(*BREAK_WINDOW))
    return len(slots) > LONG_DAY_SLOTS and window <= set(slots)


def _place_break(on_break: dict[int, int], spare: dict[int, int]) -> list[int]:
    """The lunch break that keeps the most counters covered: a full hour where the spare tellers
    allow it, else half an hour, staggered against the breaks already placed."""
    best: tuple | None = None
    for length in (BREAK_SLOTS, MIN_BREAK_SLOTS):
        for start in range(BREAK_WINDOW[0], BREAK_WINDOW[1] - length + 1):
            covered = range(start, start + length)
            margin = min(spare[s] - on_break[s] - 1 for s in covered)
            key = (margin >= 0, margin, -sum(on_break[s] for s in covered), -start)
            if best is None or key > best[0]:
                best = (key, list(covered))
        if best is not None and best[0][0]:
            break
    assert best is not None
    return best[1]


def plan_breaks(*, demand: list[SlotDemand], tellers: list[Teller]) -> dict[int, list[int]]:
    slots = [d.slot for d in demand]
    if not _needs_lunch(slots):
        return {}
    spare = {d.slot: len(tellers) - d.needed for d in demand}
    on_break: dict[int, int] = defaultdict(int)
    breaks = {}
    for teller in tellers:
        breaks[teller.id] = _place_break(on_break, spare)
        for s in breaks[teller.id]:
            on_break[s] += 1
    return breaks


def _pick(free: list[Teller], counters: list[Counter], taken: set[int], previous: dict[int, int],
          eligible: dict[int, int]) -> tuple[Teller, Counter] | None:
    pairs = [(t, c) for t in free for c in counters if c.id not in taken and can_staff(t, c)]
    if not pairs:
        return None
    # The teller with the fewest counters they can staff goes first, so a versatile teller is left
    # for the counter nobody else can take; among equals, whoever stays where they were.
    return min(pairs, key=lambda p: (eligible[p[0].id], previous.get(p[0].id) != p[1].id, p[0].id,
                                     p[1].code))


def _break_options() -> list[list[int]]:
    return [list(range(start, start + length)) for length in (BREAK_SLOTS, MIN_BREAK_SLOTS)
            for start in range(BREAK_WINDOW[0], BREAK_WINDOW[1] - length + 1)]


def _score(plan: Plan, demand: list[SlotDemand], counters: list[Counter]) -> tuple[int, int]:
    zone = {c.id: c.zone_kind for c in counters}
    staffed: dict[int, list[str]] = defaultdict(list)
    for (_teller, slot), counter in plan.work.items():
        staffed[slot].append(zone[counter])
    # Fewest gaps first, then the longest breaks.
    return len(coverage_gaps(demand=demand, staffed=staffed)), -sum(len(b) for b in plan.breaks.values())


def plan_day(*, demand: list[SlotDemand], tellers: list[Teller], counters: list[Counter]) -> Plan:
    """The staggered breaks first (greedy on head-count), then moved one teller at a time while
    that closes a gap the tellers' skills left (a few rounds: the day has only 11 options each)."""
    best = _assign(demand, tellers, counters, plan_breaks(demand=demand, tellers=tellers))
    score = _score(best, demand, counters)
    for _round in range(3):
        improved = False
        for teller in [t for t in tellers if t.id in best.breaks]:
            for option in _break_options():
                plan = _assign(demand, tellers, counters, {**best.breaks, teller.id: option})
                if (new := _score(plan, demand, counters)) < score:
                    best, score, improved = plan, new, True
        if not improved or score[0] == 0 and -score[1] == BREAK_SLOTS * len(best.breaks):
            break
    return best


def _assign(demand: list[SlotDemand], tellers: list[Teller], counters: list[Counter],
            breaks: dict[int, list[int]]) -> Plan:
    """Counters for each half-hour: first one for each zone that needs its own, then up to the
    Erlang C count, never past the tellers free of their break."""
    plan = Plan(breaks=breaks)
    eligible = {t.id: sum(can_staff(t, c) for c in counters) for t in tellers}
    previous: dict[int, int] = {}
    for d in demand:
        free = [t for t in tellers if d.slot not in plan.breaks.get(t.id, [])]
        taken: set[int] = set()
        current: dict[int, int] = {}
        wanted = [[c for c in counters if c.zone_kind == zone] for zone in sorted(d.zones)]
        wanted += [counters] * max(0, d.needed - len(wanted))
        for options in wanted:
            if len(current) >= max(d.needed, len(d.zones)):
                break
            pair = _pick(free, options, taken, previous, eligible)
            if pair is None:
                continue
            teller, counter = pair
            free.remove(teller)
            taken.add(counter.id)
            current[teller.id] = counter.id
        for teller_id, counter_id in current.items():
            plan.work[(teller_id, d.slot)] = counter_id
        previous = current
    return plan


@dataclass(frozen=True)
class Gap:
    slot: int
    kind: str  # "short": fewer counters than needed; "zone": a zone without its counter
    needed: int = 0
    rostered: int = 0
    zone: str = ""


def coverage_gaps(*, demand: list[SlotDemand], staffed: dict[int, list[str]]) -> list[Gap]:
    """Where the counters staffed in a half-hour (their zone kinds) miss the forecast."""
    gaps = []
    for d in demand:
        zones = staffed.get(d.slot, [])
        if len(zones) < d.needed:
            gaps.append(Gap(d.slot, "short", d.needed, len(zones)))
        gaps.extend(Gap(d.slot, "zone", d.needed, len(zones), zone) for zone in sorted(d.zones)
                    if zone not in zones)
    return gaps


def break_problems(*, slots: list[int], breaks: list[int], at_counter: list[int]) -> list[str]:
    """What breaks the lunch rule for one teller's day, as message keys (see roster_services)."""
    problems = []
    runs: list[list[int]] = []
    for s in sorted(breaks):
        if runs and runs[-1][-1] == s - 1:
            runs[-1].append(s)
        else:
            runs.append([s])
    if any(s < BREAK_WINDOW[0] or s >= BREAK_WINDOW[1] for s in breaks):
        problems.append("outside")
    if any(len(run) > MAX_BREAK_SLOTS for run in runs):
        problems.append("too_long")
    if _needs_lunch(slots) and len(at_counter) > LONG_DAY_SLOTS and not breaks:
        problems.append("missing")
    return problems
