"""Roll-up writes. Roll-ups are derived data, rebuilt from the tickets, counter sessions,
appointments, work orders and compliance evaluations of one branch and day; they are not business
events, so they leave no audit record (the sources already have theirs)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from appointments.models import Appointment, AppointmentStatus, CheckInTiming
from branches.models import Branch
from compliance import hooks as compliance_hooks
from compliance.audit import audit_record
from compliance.evidence import uncovered_records
from insights import staffing
from insights.models import (
    WAIT_BUCKET_FIELDS,
    WAIT_BUCKETS,
    BranchDayStat,
    HourlyStat,
    RosterHourStat,
    StarRule,
    TellerDayStat,
    TellerPresence,
    default_star_rule,
)
from queueing.models import Channel, CounterSession, Source, Ticket, TicketStatus
from servicedesk.models import Survey, VisitSurvey, WorkOrder, WorkOrderKind
from servicedesk.services import visit_survey_policy

ROLLUP_MODELS = (HourlyStat, RosterHourStat, TellerDayStat, TellerPresence, BranchDayStat)
FLOW_FIELDS = ["arrivals", "served", "no_shows", "cancelled", "left", "appointment_arrivals", "waited",
               "wait_seconds", *WAIT_BUCKET_FIELDS, "quoted", "quote_error_seconds", "handled",
               "handling_seconds", "target_seconds"]


def day_window(branch: Branch, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(branch.timezone))
    return start, start + dt.timedelta(days=1)


def wait_bucket(seconds: int) -> str:
    minutes = seconds / 60
    for upper, name in zip(WAIT_BUCKETS, WAIT_BUCKET_FIELDS, strict=False):
        if minutes < upper:
            return name
    return WAIT_BUCKET_FIELDS[-1]


def _wait_seconds(ticket: Ticket) -> int | None:
    if ticket.actual_wait_seconds is not None:
        return ticket.actual_wait_seconds
    if ticket.first_called_at:
        return max(0, int((ticket.first_called_at - ticket.issued_at).total_seconds()))
    return None


def _add_ticket(flow: dict, ticket: Ticket) -> None:
    flow["arrivals"] += 1
    flow["served"] += ticket.status == TicketStatus.DONE
    flow["no_shows"] += ticket.status == TicketStatus.NO_SHOW
    flow["cancelled"] += ticket.status == TicketStatus.CANCELLED
    flow["left"] += ticket.status == TicketStatus.LEFT
    flow["appointment_arrivals"] += ticket.source == Source.APPOINTMENT
    wait = _wait_seconds(ticket)
    if wait is not None:
        flow["waited"] += 1
        flow["wait_seconds"] += wait
        flow[wait_bucket(wait)] += 1
        if ticket.quoted_wait_seconds is not None:
            flow["quoted"] += 1
            flow["quote_error_seconds"] += abs(ticket.quoted_wait_seconds - wait)
    handling = ticket.handling_seconds
    if handling is not None:
        flow["handled"] += 1
        flow["handling_seconds"] += handling
        flow["target_seconds"] += ticket.service_type.target_minutes * 60


def _hour_overlaps(start: dt.datetime, end: dt.datetime, window_start: dt.datetime):
    """Yield (hour, seconds) of [start, end) inside the day that begins at ``window_start``."""
    day_end = window_start + dt.timedelta(days=1)
    start, end = max(start, window_start), min(end, day_end)
    while start < end:
        hour = int((start - window_start).total_seconds() // 3600)
        hour_end = window_start + dt.timedelta(hours=hour + 1)
        upto = min(end, hour_end)
        yield hour, int((upto - start).total_seconds())
        start = upto


def _flow() -> dict:
    return dict.fromkeys(FLOW_FIELDS, 0)


def _ticket_rows(branch, day, window_start):
    tickets = (Ticket.objects.filter(branch=branch, business_date=day)
               .select_related("service_type").order_by())
    hourly: dict[tuple, dict] = defaultdict(_flow)
    tellers: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(
        ["served", "handled", "handling_seconds", "target_seconds"], 0))
    busy: dict[int, int] = defaultdict(int)
    counter_hour: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # arrivals, handled, seconds
    for ticket in tickets:
        local = ticket.issued_at.astimezone(window_start.tzinfo)
        _add_ticket(hourly[(local.hour, ticket.service_type)], ticket)
        handling = ticket.handling_seconds
        if ticket.channel == Channel.COUNTER:
            counter_hour[local.hour][0] += 1
            if handling is not None:
                counter_hour[local.hour][1] += 1
                counter_hour[local.hour][2] += handling
        if handling is not None:
            for hour, seconds in _hour_overlaps(ticket.serving_started_at, ticket.finished_at,
                                                window_start):
                busy[hour] += seconds
        if ticket.served_by_id and ticket.status == TicketStatus.DONE:
            row = tellers[(ticket.served_by_id, ticket.service_type)]
            row["served"] += 1
            if handling is not None:
                row["handled"] += 1
                row["handling_seconds"] += handling
                row["target_seconds"] += ticket.service_type.target_minutes * 60
    return hourly, tellers, busy, counter_hour


def _staffed(branch, window_start, now):
    window_end = window_start + dt.timedelta(days=1)
    sessions = CounterSession.objects.filter(
        counter__branch=branch, opened_at__lt=window_end
    ).filter(Q(closed_at__isnull=True) | Q(closed_at__gt=window_start)).order_by()
    per_hour: dict[int, int] = defaultdict(int)
    per_teller: dict[int, int] = defaultdict(int)
    for session in sessions:
        end = session.closed_at or min(now, window_end)
        for hour, seconds in _hour_overlaps(session.opened_at, end, window_start):
            per_hour[hour] += seconds
            per_teller[session.teller_id] += seconds
    return per_hour, per_teller


def _needed(counter_hour: dict[int, list[int]]) -> dict[int, int]:
    arrivals = sum(v[0] for v in counter_hour.values())
    handled = sum(v[1] for v in counter_hour.values())
    day_mean = sum(v[2] for v in counter_hour.values()) / handled / 60 if handled else 0
    needed = {}
    for hour, (count, hour_handled, seconds) in counter_hour.items():
        mean = seconds / hour_handled / 60 if hour_handled >= 3 else day_mean
        needed[hour] = staffing.counters_for(arrivals_per_hour=count, handling_minutes=mean)
    return needed if arrivals else {}


def _appointment_counts(branch, start, end) -> dict:
    due = Appointment.objects.filter(branch=branch, start__gte=start, start__lt=end).exclude(
        status=AppointmentStatus.CANCELLED)
    checked_in = due.filter(checked_in_at__isnull=False)
    return {
        "appointments": due.count(),
        "appointments_checked_in": checked_in.count(),
        "appointments_on_time": checked_in.filter(
            checkin_timing__in=[CheckInTiming.EARLY, CheckInTiming.ON_TIME]).count(),
        "appointments_no_show": due.filter(status=AppointmentStatus.NO_SHOW).count(),
    }


def _servicedesk_counts(branch, start, end) -> dict:
    resolved = WorkOrder.objects.filter(branch=branch, resolved_at__gte=start, resolved_at__lt=end,
                                        resolution_due__isnull=False)
    surveys = [score for score in Survey.objects.filter(
        work_order__branch=branch, answered_at__gte=start, answered_at__lt=end, score__isnull=False,
    ).values_list("score", flat=True) if score is not None]
    return {
        "complaints": WorkOrder.objects.filter(branch=branch, kind=WorkOrderKind.COMPLAINT,
                                               received_at__gte=start, received_at__lt=end).count(),
        "sla_due": resolved.count(),
        "sla_met": sum(1 for wo in resolved.only("resolved_at", "resolution_due")
                       if wo.resolved_at and wo.resolution_due and wo.resolved_at <= wo.resolution_due),
        "surveys": len(surveys),
        "survey_score_sum": sum(surveys),
        "promoters": sum(1 for s in surveys if s >= 9),
        "detractors": sum(1 for s in surveys if s <= 6),
    }


def _visit_survey_counts(branch, start, end) -> dict:
    """Visit ratings (1–5) answered that day; "low" is a score that opens a follow-up work order
    under the service desk's policy at the time of the roll-up."""
    scores = [score for score in VisitSurvey.objects.filter(
        branch=branch, answered_at__gte=start, answered_at__lt=end, score__isnull=False,
    ).values_list("score", flat=True) if score is not None]
    low = visit_survey_policy().follow_up_at_most
    return {"visit_surveys": len(scores), "visit_score_sum": sum(scores),
            "visit_low_scores": sum(1 for s in scores if s <= low)}


def _compliance_counts(branch, start, end) -> dict:
    records = compliance_hooks.service_records(start=start, end=end, branch_codes={branch.code})
    if not records:
        return {"compliance_records": 0, "compliance_covered": 0}
    return {"compliance_records": len(records),
            "compliance_covered": len(records) - len(uncovered_records(records))}


@transaction.atomic
def rollup_day(*, branch: Branch, day: dt.date, now: dt.datetime | None = None) -> BranchDayStat:
    """Rebuild every roll-up row of ``branch`` on ``day`` from the source data (idempotent)."""
    now = now or dt.datetime.now(dt.UTC)
    start, end = day_window(branch, day)
    for model in ROLLUP_MODELS:
        model.objects.filter(branch=branch, date=day).delete()
    hourly, tellers, busy, counter_hour = _ticket_rows(branch, day, start)
    staffed, presence = _staffed(branch, start, now)
    needed = _needed(counter_hour)
    HourlyStat.objects.bulk_create(
        HourlyStat(branch=branch, date=day, hour=hour, service_type=service,
                   zone_kind=service.zone_kind, **flow)
        for (hour, service), flow in hourly.items())
    hours = sorted(set(staffed) | set(busy) | set(needed))
    RosterHourStat.objects.bulk_create(
        RosterHourStat(branch=branch, date=day, hour=hour, staffed_seconds=staffed.get(hour, 0),
                       busy_seconds=busy.get(hour, 0), counters_needed=needed.get(hour, 0))
        for hour in hours)
    TellerDayStat.objects.bulk_create(
        TellerDayStat(branch=branch, date=day, teller_id=teller_id, service_type=service,
                      zone_kind=service.zone_kind, **row)
        for (teller_id, service), row in tellers.items())
    TellerPresence.objects.bulk_create(
        TellerPresence(branch=branch, date=day, teller_id=teller_id, staffed_seconds=seconds)
        for teller_id, seconds in presence.items())
    totals = _flow()
    for flow in hourly.values():
        for name in FLOW_FIELDS:
            totals[name] += flow[name]
    understaffed = sum(1 for hour in hours if staffing.verdict(
        open_counters=staffed.get(hour, 0) / 3600, needed=needed.get(hour, 0)) == "under")
    return BranchDayStat.objects.create(
        branch=branch, date=day, **totals,
        staffed_seconds=sum(staffed.values()), busy_seconds=sum(busy.values()),
        counter_hours_needed=sum(needed.values()), understaffed_hours=understaffed,
        **_appointment_counts(branch, start, end), **_servicedesk_counts(branch, start, end),
        **_visit_survey_counts(branch, start, end),
        **_compliance_counts(branch, start, end),
    )


def rollup_recent(*, days: int = 2, today: dt.date | None = None, branches=None) -> int:
    """Recompute the last ``days`` days (today included) for every active branch (or ``branches``)."""
    count = 0
    branches = Branch.objects.filter(is_active=True) if branches is None else branches
    for branch in branches.order_by("pk"):
        local_today = today or dt.datetime.now(ZoneInfo(branch.timezone)).date()
        for offset in range(days):
            rollup_day(branch=branch, day=local_today - dt.timedelta(days=offset))
            count += 1
    return count


def star_rule_update(*, actor, metric: str, two: float, three: float, four: float, five: float,
                     weight: int, now: dt.datetime | None = None) -> StarRule:
    """Head office changes one metric's star thresholds; the change is audited before and after.
    The thresholds must run one way (rising for more-is-better metrics, falling for the others).
    A metric without a stored rule (a wiped table) starts from its default."""
    values = {"two": two, "three": three, "four": four, "five": five, "weight": weight}
    with transaction.atomic():
        rule = StarRule.objects.select_for_update().filter(metric=metric).first() or default_star_rule(metric)
        before = {name: getattr(rule, name) for name in values}
        if rule.pk is not None and before == values:
            return rule
        for name, value in values.items():
            setattr(rule, name, value)
        rule.updated_at = now or timezone.now()
        rule.save()
        audit_record(actor=actor, action="insights.star_rule.update", obj=rule, before=before,
                     after={"metric": rule.metric, **values})
    return rule
