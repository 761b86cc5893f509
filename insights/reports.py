"""Read side: sums of roll-up rows for a period, grouped the way each page drills down."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.db.models.functions import ExtractIsoWeekDay, TruncMonth, TruncWeek

from branches.models import Branch, ServiceType
from branches.people import person_name
from insights import kpis, staffing
from insights.models import (
    WAIT_BUCKET_FIELDS,
    BranchDayStat,
    HourlyStat,
    RosterHourStat,
    TellerDayStat,
    TellerPresence,
)
from insights.services import FLOW_FIELDS

DAY_FIELDS = [f.name for f in BranchDayStat._meta.get_fields()
              if f.get_internal_type() in {"PositiveIntegerField", "BigIntegerField",
                                           "PositiveSmallIntegerField"}]
TELLER_FIELDS = ["served", "handled", "handling_seconds", "target_seconds"]
GRAINS = ("day", "week", "month")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    grain: str = "day"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass
class Row:
    key: object
    label: str
    totals: dict
    values: list = field(default_factory=list)
    code: str = ""


def _sums(queryset, fields, *group):
    aggregates = {name: Sum(name) for name in fields}
    if group:
        return queryset.values(*group).annotate(**aggregates).order_by(*group)
    return queryset.aggregate(**aggregates)


def _clean(totals: dict) -> dict:
    return {k: (v or 0) for k, v in totals.items()}


def _rows(groups, key: str, labels: dict, kpi_keys: list[str]) -> list[Row]:
    rows = []
    for group in groups:
        totals = _clean({k: v for k, v in group.items() if k != key})
        rows.append(Row(group[key], labels.get(group[key], str(group[key])), totals,
                        kpis.evaluate(totals, kpi_keys)))
    return rows


def network(*, period: Period, region: str | None = None) -> dict:
    """Head office: totals, one row per region (or per branch inside ``region``; "-" stands for
    branches without a region), and the trend. One query per branch sums, regions and totals are
    added up here (50 rows), which is cheaper than joining branches in SQL."""
    days = BranchDayStat.objects.filter(date__range=(period.start, period.end))
    branches = Branch.objects.all()
    if region is not None:
        branches = branches.filter(region="" if region == "-" else region)
        days = days.filter(branch__in=branches)
    info = {b.pk: b for b in branches.only("pk", "code", "region", "name_zh_hans", "name_en")}
    per_branch = [(info[g["branch_id"]], _clean(g)) for g in _sums(days, DAY_FIELDS, "branch_id")
                  if g["branch_id"] in info]
    keys = [k.key for k in kpis.KPIS]
    if region is None:
        groups: dict[str, dict] = {}
        for branch, sums in per_branch:
            _add(groups.setdefault(branch.region, {}), sums)
        rows = [Row(name, name, sums, kpis.evaluate(sums, keys)) for name, sums in sorted(groups.items())]
    else:
        rows = [Row(b.pk, f"{b.code} {b.name}", sums, kpis.evaluate(sums, keys), code=b.code)
                for b, sums in sorted(per_branch, key=lambda pair: pair[0].code)]
    totals: dict = {}
    for _branch, sums in per_branch:
        _add(totals, sums)
    totals = {name: totals.get(name, 0) for name in DAY_FIELDS}
    return {"totals": totals, "kpis": kpis.evaluate(totals), "rows": rows,
            "trend": trend(days, period)}


def _add(into: dict, sums: dict) -> None:
    for name in DAY_FIELDS:
        into[name] = into.get(name, 0) + sums.get(name, 0)


def trend(days, period: Period) -> list[Row]:
    fields = ["arrivals", "served", "waited", "wait_seconds", *WAIT_BUCKET_FIELDS]
    if period.grain == "day":
        groups, key = _sums(days, fields, "date"), "date"
    else:
        trunc = TruncWeek if period.grain == "week" else TruncMonth
        groups, key = _sums(days.annotate(bucket=trunc("date")), fields, "bucket"), "bucket"
    return [Row(g[key], g[key].isoformat() if hasattr(g[key], "isoformat") else str(g[key]),
                _clean({k: v for k, v in g.items() if k != key}),
                kpis.evaluate(_clean(g), ["arrivals", "served", "mean_wait", "within_target"]))
            for g in groups]


def branch_detail(*, branch: Branch, period: Period, zone: str | None = None,
                  service: ServiceType | None = None) -> dict:
    hourly = HourlyStat.objects.filter(branch=branch, date__range=(period.start, period.end))
    tellers = TellerDayStat.objects.filter(branch=branch, date__range=(period.start, period.end))
    if zone:
        hourly, tellers = hourly.filter(zone_kind=zone), tellers.filter(zone_kind=zone)
    if service:
        hourly, tellers = hourly.filter(service_type=service), tellers.filter(service_type=service)
    days = BranchDayStat.objects.filter(branch=branch, date__range=(period.start, period.end))
    flow_totals = _clean(_sums(hourly, FLOW_FIELDS))
    if zone or service:
        totals, kpi_keys = flow_totals, kpis.FLOW_KPIS
    else:
        totals, kpi_keys = _clean(_sums(days, DAY_FIELDS)), [k.key for k in kpis.KPIS]
    names = {s.pk: s.name for s in ServiceType.objects.all()}
    zones = {z.kind: z.name for z in branch.zones.all()}
    return {
        "totals": totals,
        "kpis": kpis.evaluate(totals, kpi_keys),
        "zones": _rows(_sums(hourly, FLOW_FIELDS, "zone_kind"), "zone_kind", zones, kpis.FLOW_KPIS),
        "services": _rows(_sums(hourly, FLOW_FIELDS, "service_type_id"), "service_type_id", names,
                          kpis.FLOW_KPIS),
        "tellers": teller_rows(branch, period, tellers),
        "hours": _rows(_sums(hourly, FLOW_FIELDS, "hour"), "hour",
                       {h: f"{h:02d}:00" for h in range(24)}, kpis.FLOW_KPIS),
        "heatmap": heatmap(hourly),
        "wait_histogram": [(name, flow_totals[name]) for name in WAIT_BUCKET_FIELDS],
        "trend": trend(days, period),
    }


def teller_rows(branch, period, tellers) -> list[Row]:
    from django.contrib.auth import get_user_model

    groups = list(_sums(tellers, TELLER_FIELDS, "teller_id"))
    presence = dict(TellerPresence.objects.filter(
        branch=branch, date__range=(period.start, period.end),
        teller_id__in=[g["teller_id"] for g in groups],
    ).values("teller_id").annotate(s=Sum("staffed_seconds")).values_list("teller_id", "s"))
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=[g["teller_id"] for g in groups])}
    rows = []
    for group in groups:
        totals = _clean({k: v for k, v in group.items() if k != "teller_id"})
        totals["busy_seconds"] = totals["handling_seconds"]
        totals["staffed_seconds"] = presence.get(group["teller_id"], 0)
        user = users[group["teller_id"]]
        rows.append(Row(user.pk, person_name(user), totals,
                        kpis.evaluate(totals, kpis.TELLER_KPIS)))
    return rows


def heatmap(hourly) -> dict:
    """Mean arrivals per weekday (1 = Monday) and hour, over the days of that weekday that had
    tickets (a quiet hour on such a day counts as zero, a closed day does not count)."""
    with_weekday = hourly.annotate(weekday=ExtractIsoWeekDay("date"))
    open_days = dict(with_weekday.values("weekday").annotate(n=Count("date", distinct=True))
                     .order_by().values_list("weekday", "n"))
    cells = with_weekday.values("weekday", "hour").annotate(n=Sum("arrivals")).order_by()
    grid = {(c["weekday"], c["hour"]): c["n"] / open_days[c["weekday"]] for c in cells}
    hours = sorted({h for _, h in grid}) or list(range(9, 17))
    return {"hours": hours, "grid": grid, "max": max(grid.values(), default=0)}


@dataclass
class StaffingHour:
    hour: int
    arrivals: float
    handling_minutes: float
    recommended: int
    open_counters: float
    verdict: str


def staffing_forecast(*, branch: Branch, weekday: int, until: dt.date, weeks: int = 4) -> list[StaffingHour]:
    """Counters per hour for ``weekday`` (1 = Monday) from the last ``weeks`` weeks up to
    ``until``: mean arrivals and handling per hour → Erlang C → beside the mean counters open."""
    start = until - dt.timedelta(weeks=weeks)
    days = [start + dt.timedelta(days=i) for i in range((until - start).days + 1)]
    days = [d for d in days if d.isoweekday() == weekday]
    hourly = _sums(HourlyStat.objects.filter(branch=branch, date__in=days), FLOW_FIELDS, "hour")
    roster = {r["hour"]: r["staffed_seconds"] for r in
              _sums(RosterHourStat.objects.filter(branch=branch, date__in=days), ["staffed_seconds"], "hour")}
    seen = HourlyStat.objects.filter(branch=branch, date__in=days).values("date").distinct().count()
    if not seen:
        return []
    all_handled = sum(h["handled"] or 0 for h in hourly)
    overall = (sum(h["handling_seconds"] or 0 for h in hourly) / all_handled / 60) if all_handled else 0
    result = []
    for hour in sorted({h["hour"] for h in hourly} | set(roster)):
        row = next((h for h in hourly if h["hour"] == hour), None) or {}
        arrivals = (row.get("arrivals") or 0) / seen
        handled = row.get("handled") or 0
        minutes = (row["handling_seconds"] / handled / 60) if handled >= 3 else overall
        needed = staffing.counters_for(arrivals_per_hour=arrivals, handling_minutes=minutes)
        open_counters = (roster.get(hour) or 0) / 3600 / seen
        result.append(StaffingHour(hour, arrivals, minutes, needed, open_counters,
                                   staffing.verdict(open_counters=open_counters, needed=needed)))
    return result
