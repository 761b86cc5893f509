"""Service-desk figures for a period: complaints per branch and per 10,000 served, repeat rate,
handling time, SLA attainment per target, top categories, survey scores."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import Avg, Count, DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q, Value
from django.utils.translation import gettext as _

from branches.access import staff_branches
from branches.models import Branch
from servicedesk.hooks import served_counts
from servicedesk.models import Category, Survey, WorkOrder, WorkOrderKind

REPEAT_WINDOW = dt.timedelta(days=90)


@dataclass
class BranchRow:
    code: str
    name: str
    complaints: int
    served: int | None

    @property
    def per_10k(self) -> float | None:
        return round(self.complaints / self.served * 10_000, 1) if self.served else None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _repeat_complaint_rate(complaints) -> float | None:
    """Complaints by a customer who had complained within REPEAT_WINDOW before, over complaints
    with a known customer."""
    with_customer = complaints.filter(customer__isnull=False)
    earlier = WorkOrder.objects.filter(
        kind=WorkOrderKind.COMPLAINT,
        customer_id=OuterRef("customer_id"),
        received_at__lt=OuterRef("received_at"),
        received_at__gte=ExpressionWrapper(
            OuterRef("received_at") - Value(REPEAT_WINDOW), output_field=DateTimeField()
        ),
    )
    return _rate(with_customer.filter(Exists(earlier)).count(), with_customer.count())


def build(*, branches, start: dt.datetime, end: dt.datetime) -> dict:
    branches = list(branches)
    in_period = WorkOrder.objects.filter(branch__in=branches, received_at__gte=start, received_at__lt=end)
    complaints = in_period.filter(kind=WorkOrderKind.COMPLAINT)
    per_branch = dict(
        complaints.values("branch_id").annotate(n=Count("pk")).order_by().values_list("branch_id", "n")
    )
    served = served_counts([b.pk for b in branches], start, end)
    rows = [BranchRow(b.code, b.name, per_branch.get(b.pk, 0), served.get(b.pk)) for b in branches]


    resolved = in_period.filter(resolved_at__isnull=False)
    durations = [
        (wo.resolved_at - wo.received_at).total_seconds()
        for wo in resolved.only("resolved_at", "received_at")
    ]
    first = in_period.filter(first_response_due__isnull=False, first_responded_at__isnull=False)
    resolution = resolved.filter(resolution_due__isnull=False)
    top = (
        complaints.filter(category__isnull=False)
        .values("category_id")
        .annotate(n=Count("pk"))
        .order_by("-n")[:10]
    )
    names = {c.pk: c for c in Category.objects.filter(pk__in=[t["category_id"] for t in top])}
    surveys = Survey.objects.filter(work_order__in=in_period, answered_at__isnull=False)
    survey_stats = surveys.aggregate(avg=Avg("score"), n=Count("pk"), low=Count("pk", filter=Q(score__lt=8)))
    auto = in_period.filter(auto_assigned=True)
    return {
        "start": start,
        "end": end,
        "branches": rows,
        "complaints": complaints.count(),
        "repeat_complaint_rate": _repeat_complaint_rate(complaints),
        "mean_handling_hours": round(sum(durations) / len(durations) / 3600, 1) if durations else None,
        "sla": {
            "first_response": _rate(
                first.filter(first_responded_at__lte=F("first_response_due")).count(), first.count()
            ),
            "resolution": _rate(
                resolution.filter(resolved_at__lte=F("resolution_due")).count(), resolution.count()
            ),
        },
        "top_categories": [(names[t["category_id"]].path(), t["n"]) for t in top],
        "survey": {
            "average": round(survey_stats["avg"], 1) if survey_stats["avg"] is not None else None,
            "answered": survey_stats["n"],
            "below_8": survey_stats["low"],
        },
        "reassigned_after_auto": _rate(auto.filter(reassigned_after_auto=True).count(), auto.count()),
    }


def as_csv(report: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Branch"), _("Complaints"), _("Customers served"), _("Complaints per 10,000 served")])
    for row in report["branches"]:
        writer.writerow(
            [
                f"{row.code} {row.name}",
                row.complaints,
                row.served if row.served is not None else "",
                row.per_10k if row.per_10k is not None else "",
            ]
        )
    writer.writerow([])
    writer.writerow([_("Measure"), _("Value")])
    writer.writerow([_("Repeat-complaint rate"), report["repeat_complaint_rate"]])
    writer.writerow([_("Mean handling time (hours)"), report["mean_handling_hours"]])
    writer.writerow([_("First response on time"), report["sla"]["first_response"]])
    writer.writerow([_("Resolution on time"), report["sla"]["resolution"]])
    writer.writerow([_("Average survey score"), report["survey"]["average"]])
    writer.writerow([_("Surveys answered"), report["survey"]["answered"]])
    writer.writerow([_("Share reassigned after auto-assignment"), report["reassigned_after_auto"]])
    writer.writerow([])
    writer.writerow([_("Top categories"), _("Complaints")])
    writer.writerows(report["top_categories"])
    return out.getvalue()


def branches_for_report(user):
    return staff_branches(user).order_by("code") if user else Branch.objects.none()
