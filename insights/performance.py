"""Per-teller performance for a period, and the monthly star rating (docs/insights.md).

Computed on request from the rows the work left behind, not from the daily roll-ups: the roll-ups
have no verification, rating or complaint per teller, and a month of one branch is a few thousand
service records. Who may see whose figures is decided here too (`tellers_visible_to`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, Sum

from branches.access import user_role
from branches.models import Branch
from branches.roles import Role
from counter.models import FieldVerification, RecordStatus, ServiceRecord, VerificationOutcome
from insights.models import LOWER_IS_BETTER, StarMetric, StarRule, current_star_rules
from insights.services import day_window
from queueing.models import TicketEvent, TicketEventKind
from servicedesk.models import VisitSurvey

MANAGER_ROLES = (Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN)


@dataclass
class Figures:
    teller: object
    served: int = 0
    handling_seconds: int = 0  # of the finished service lines with a handling time
    target_seconds: int = 0  # their service types' targets, summed the same way
    lines: int = 0
    fields_checked: int = 0  # confirmed or corrected by the teller
    fields_total: int = 0  # … plus those a supervisor let through unchecked
    ratings: int = 0
    rating_mean: float | None = None
    complaints: int = 0
    no_shows: int = 0
    stars: dict = field(default_factory=dict)
    overall: int | None = None

    @property
    def mean_handling_minutes(self) -> float | None:
        return self.handling_seconds / self.lines / 60 if self.lines else None

    @property
    def mean_target_minutes(self) -> float | None:
        return self.target_seconds / self.lines / 60 if self.lines else None

    @property
    def handling_ratio(self) -> float | None:
        return self.handling_seconds / self.target_seconds if self.target_seconds else None

    @property
    def verification_rate(self) -> float | None:
        return self.fields_checked / self.fields_total if self.fields_total else None

    @property
    def complaints_per_100(self) -> float | None:
        return 100 * self.complaints / self.served if self.served else None

    def metric(self, metric: str) -> float | None:
        return {
            StarMetric.SERVED: self.served,
            StarMetric.HANDLING: self.handling_ratio,
            StarMetric.VERIFICATION: self.verification_rate,
            StarMetric.RATING: self.rating_mean if self.ratings else None,
            StarMetric.COMPLAINTS: self.complaints_per_100,
        }[metric]


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def tellers_visible_to(user, branch: Branch):
    """The users whose figures `user` may see at `branch`: a teller only themself; a lobby manager
    or branch admin the branch's tellers (their own branch only); head office any branch's."""
    role = user_role(user)
    users = get_user_model().objects.filter(is_active=True)
    if role == Role.TELLER:
        if user.staff_profile.branch_id != branch.pk:
            raise PermissionDenied
        return users.filter(pk=user.pk)
    if role not in MANAGER_ROLES:
        raise PermissionDenied
    if role != Role.HEAD_OFFICE_ADMIN and user.staff_profile.branch_id != branch.pk:
        raise PermissionDenied
    return users.filter(staff_profile__branch=branch, staff_profile__role=Role.TELLER).order_by("username")


def figures(*, branch: Branch, tellers, start: dt.date, end: dt.date) -> list[Figures]:
    """The figures of `tellers` at `branch` for the local days start … end (inclusive)."""
    since, _ = day_window(branch, start)
    _, until = day_window(branch, end)
    result = {u.pk: Figures(teller=u) for u in tellers}
    ids = list(result)
    records = ServiceRecord.objects.filter(branch=branch, teller_id__in=ids, status=RecordStatus.FINISHED,
                                           finished_at__gte=since, finished_at__lt=until)
    for row in records.values("teller_id").annotate(served=Count("ticket_id", distinct=True)):
        result[row["teller_id"]].served = row["served"]
    timed = records.filter(handling_seconds__isnull=False).values("teller_id").annotate(
        lines=Count("id"), handling=Sum("handling_seconds"),
        target=Sum(F("service_type__target_minutes") * 60))
    for row in timed:
        f = result[row["teller_id"]]
        f.lines, f.handling_seconds, f.target_seconds = row["lines"], row["handling"], row["target"]
    checks = FieldVerification.objects.filter(form__in=records.exclude(form=None).values("form"))
    for row in checks.values("form__service_records__teller_id").annotate(
            total=Count("id", distinct=True),
            checked=Count("id", distinct=True, filter=~Q(outcome=VerificationOutcome.OVERRIDDEN))):
        f = result.get(row["form__service_records__teller_id"])
        if f is not None:
            f.fields_total, f.fields_checked = row["total"], row["checked"]
    refs = {f"counter.ServiceRecord:{pk}": teller for pk, teller in records.values_list("pk", "teller_id")}
    surveys = VisitSurvey.objects.filter(visit_ref__in=refs)
    scores: dict[int, list[int]] = {}
    for ref, score, follow_up in surveys.values_list("visit_ref", "score", "follow_up_id"):
        f = result[refs[ref]]
        if score is not None:
            scores.setdefault(f.teller.pk, []).append(score)
        if follow_up is not None:
            f.complaints += 1
    for pk, values in scores.items():
        result[pk].ratings, result[pk].rating_mean = len(values), sum(values) / len(values)
    no_shows = TicketEvent.objects.filter(kind=TicketEventKind.NO_SHOW, actor_id__in=ids,
                                          ticket__branch=branch, at__gte=since, at__lt=until)
    for row in no_shows.values("actor_id").annotate(n=Count("id")):
        result[row["actor_id"]].no_shows = row["n"]
    return list(result.values())


def metric_stars(rule: StarRule, value: float | None) -> int | None:
    """1 star, plus one for each threshold reached; None without a figure to judge."""
    if value is None:
        return None
    lower = rule.metric in LOWER_IS_BETTER
    return 1 + sum(1 for t in rule.thresholds if (value <= t if lower else value >= t))


def rate(figs: list[Figures], rules=None) -> list[Figures]:
    """Fill each teller's stars per metric and overall (weighted mean of the judged metrics)."""
    rules = list(rules if rules is not None else current_star_rules())
    for f in figs:
        weighted = weights = 0
        for rule in rules:
            # A month without a customer served (leave, training) is not rated at all.
            stars = metric_stars(rule, f.metric(rule.metric)) if f.served else None
            f.stars[rule.metric] = stars
            if stars is not None and rule.weight:
                weighted += stars * rule.weight
                weights += rule.weight
        f.overall = int(weighted / weights + 0.5) if weights else None
    return figs


def monthly(*, branch: Branch, tellers, month: dt.date) -> list[Figures]:
    start, end = month_bounds(month)
    return rate(figures(branch=branch, tellers=tellers, start=start, end=end))

