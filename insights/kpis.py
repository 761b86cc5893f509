"""Every indicator, defined once: its name, what it means, its unit and how it is computed from the
summed roll-up columns (`totals`, a dict of column -> sum over any set of roll-up rows). Pages, CSV
exports and docs/insights.md all read this list."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from insights.models import WAIT_BUCKET_FIELDS, WAIT_BUCKETS

WAIT_TARGET_MINUTES = 15
SERVICE_LEVEL_TARGET = 0.8  # staffing: 80 % of customers called within the wait target

Totals = Mapping[str, float]


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def wait_quantile(totals: Totals, q: float) -> float | None:
    """Minutes below which a share ``q`` of waits fall, interpolated inside the histogram bucket
    (roll-ups keep buckets, not every wait, so any period can be summed)."""
    counts = [totals.get(name, 0) or 0 for name in WAIT_BUCKET_FIELDS]
    total = sum(counts)
    if not total:
        return None
    rank, seen, lower = q * total, 0, 0.0
    uppers = [*WAIT_BUCKETS, WAIT_BUCKETS[-1] * 1.5]
    for count, upper in zip(counts, uppers, strict=True):
        if count and seen + count >= rank:
            return lower + (upper - lower) * (rank - seen) / count
        seen += count
        lower = upper
    return float(uppers[-1])


def within_target(totals: Totals) -> float | None:
    fields = [f"wait_lt{m}" for m in WAIT_BUCKETS if m <= WAIT_TARGET_MINUTES]
    return _ratio(sum(totals.get(f, 0) or 0 for f in fields), totals.get("waited", 0))


def nps(totals: Totals) -> float | None:
    surveys = totals.get("surveys", 0)
    if not surveys:
        return None
    return 100 * (totals.get("promoters", 0) - totals.get("detractors", 0)) / surveys


@dataclass(frozen=True)
class KPI:
    key: str
    label: str
    unit: str
    definition: str
    compute: Callable[[Totals], float | None]
    # Which way is good, for colouring: 1 higher is better, -1 lower is better, 0 neither.
    better: int = 0

    def value(self, totals: Totals) -> float | None:
        return self.compute(totals)


def _t(totals: Totals, name: str) -> float:
    return totals.get(name, 0) or 0


KPIS: list[KPI] = [
    KPI("arrivals", _("Arrivals"), _("tickets"),
        _("Tickets issued (kiosk, phone, appointment check-in, lobby)."),
        lambda t: _t(t, "arrivals")),
    KPI("served", _("Served"), pgettext_lazy("unit after a number", "customers"),
        _("Tickets finished at a counter, kiosk or video teller."),
        lambda t: _t(t, "served"), better=1),
    KPI("abandonment_rate", _("Abandonment rate"), "%",
        _("Tickets that ended as no-show, cancelled or with the customer leaving during service, "
          "over arrivals."),
        lambda t: _ratio(_t(t, "no_shows") + _t(t, "cancelled") + _t(t, "left"), _t(t, "arrivals")),
        better=-1),
    KPI("left_during_service", _("Left during service"), "%",
        _("Customers who walked away while being served, over arrivals (not counted as served)."),
        lambda t: _ratio(_t(t, "left"), _t(t, "arrivals")), better=-1),
    KPI("mean_wait", _("Mean wait"), _("min"),
        _("Mean minutes from issue to first call, over called tickets."),
        lambda t: _ratio(_t(t, "wait_seconds") / 60, _t(t, "waited")), better=-1),
    KPI("p90_wait", _("90th percentile wait"), _("min"),
        _("Wait that 90 % of called tickets did not exceed (interpolated in 5–15 minute buckets)."),
        lambda t: wait_quantile(t, 0.9), better=-1),
    KPI("within_target", _("Called within 15 min"), "%",
        _("Share of called tickets whose wait was under the 15-minute target."),
        within_target, better=1),
    KPI("mean_handling", _("Mean handling time"), _("min"),
        _("Mean minutes from service start to finish."),
        lambda t: _ratio(_t(t, "handling_seconds") / 60, _t(t, "handled"))),
    KPI("handling_vs_target", _("Handling time vs target"), "%",
        _("Handling minutes over the services' complexity target minutes for the same tickets "
          "(100 % = on target)."),
        lambda t: _ratio(_t(t, "handling_seconds"), _t(t, "target_seconds")), better=-1),
    KPI("utilisation", _("Teller utilisation"), "%",
        _("Seconds spent serving over seconds a counter was open with a teller."),
        lambda t: _ratio(_t(t, "busy_seconds"), _t(t, "staffed_seconds")), better=1),
    KPI("counters_open_vs_needed", _("Counters open vs needed"), "%",
        _("Counter-hours staffed over counter-hours Erlang C needed for each hour's arrivals "
          "(80 % called within 15 minutes)."),
        lambda t: _ratio(_t(t, "staffed_seconds") / 3600, _t(t, "counter_hours_needed"))),
    KPI("appointment_share", _("Appointment share"), "%",
        _("Tickets from appointment check-ins over arrivals."),
        lambda t: _ratio(_t(t, "appointment_arrivals"), _t(t, "arrivals"))),
    KPI("appointment_no_show", _("Appointment no-show rate"), "%",
        _("Appointments marked no-show over appointments due that day (cancelled ones excluded)."),
        lambda t: _ratio(_t(t, "appointments_no_show"), _t(t, "appointments")), better=-1),
    KPI("punctuality", _("Appointment punctuality"), "%",
        _("Check-ins on time over check-ins."),
        lambda t: _ratio(_t(t, "appointments_on_time"), _t(t, "appointments_checked_in")), better=1),
    KPI("wait_estimate_mae", _("Wait-estimate error (MAE)"), _("min"),
        _("Mean absolute difference between the wait quoted at issue and the actual wait."),
        lambda t: _ratio(_t(t, "quote_error_seconds") / 60, _t(t, "quoted")), better=-1),
    KPI("complaints_per_10k", _("Complaints per 10,000 served"), _("per 10,000"),
        _("Complaint work orders received, per 10,000 customers served."),
        lambda t: _ratio(10_000 * _t(t, "complaints"), _t(t, "served")), better=-1),
    KPI("sla_attainment", _("SLA attainment"), "%",
        _("Work orders resolved by their resolution deadline over those resolved with a deadline."),
        lambda t: _ratio(_t(t, "sla_met"), _t(t, "sla_due")), better=1),
    KPI("survey_score", _("Survey score"), _("0–10"),
        _("Mean satisfaction survey score."),
        lambda t: _ratio(_t(t, "survey_score_sum"), _t(t, "surveys")), better=1),
    KPI("nps", _("Net promoter score"), _("points"),
        _("Per cent of scores 9–10 minus per cent of scores 0–6."),
        nps, better=1),
    KPI("visit_rating", _("Visit rating"), _("1–5"),
        _("Mean rating customers gave their counter visits on the e-receipt (1 very dissatisfied "
          "… 5 very satisfied), over the visits rated that day."),
        lambda t: _ratio(_t(t, "visit_score_sum"), _t(t, "visit_surveys")), better=1),
    KPI("visits_rated", _("Visits rated"), _("ratings"),
        _("Visit ratings answered (the count behind the visit rating)."),
        lambda t: _t(t, "visit_surveys")),
    KPI("visit_low_share", _("Low visit ratings"), "%",
        _("Visit ratings low enough to open a follow-up work order (at most 2 of 5 unless the "
          "survey settings say otherwise), over visit ratings."),
        lambda t: _ratio(_t(t, "visit_low_scores"), _t(t, "visit_surveys")), better=-1),
    KPI("compliance_coverage", _("Compliance coverage"), "%",
        _("Service records that ran every compliance rule their service requires (target 100 %)."),
        lambda t: _ratio(_t(t, "compliance_covered"), _t(t, "compliance_records")), better=1),
]

BY_KEY = {kpi.key: kpi for kpi in KPIS}
# KPIs that need only ticket-flow columns (available per hour, zone, service).
FLOW_KPIS = ["arrivals", "served", "abandonment_rate", "left_during_service", "mean_wait",
             "p90_wait", "within_target", "mean_handling", "handling_vs_target", "appointment_share",
             "wait_estimate_mae"]
TELLER_KPIS = ["served", "mean_handling", "handling_vs_target", "utilisation"]


def evaluate(totals: Totals, keys: list[str] | None = None) -> list[tuple[KPI, float | None]]:
    chosen = [BY_KEY[k] for k in keys] if keys else KPIS
    return [(kpi, kpi.value(totals)) for kpi in chosen]


def display(kpi: KPI, value: float | None) -> str:
    if value is None:
        return "–"
    if kpi.unit == "%":
        return f"{value * 100:.1f} %"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"
