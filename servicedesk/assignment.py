"""Who should work on a work order: problem type × customer value × staff skills and load.

Every choice carries the reasons it was made, shown to staff as "assigned because ...".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from branches.models import ServiceType, StaffProfile
from branches.roles import Role
from customers.models import Customer
from servicedesk.models import ACTIVE_STATUSES, StaffSkill, WorkOrder

# Business lines of the category tree and the service-type categories whose skills cover them.
SERVICE_SKILLS = {
    "card": {ServiceType.Category.CARD},
    "loan": {ServiceType.Category.LOAN},
    "wealth": {ServiceType.Category.WEALTH},
    "fx": {ServiceType.Category.FX, ServiceType.Category.REMITTANCE},
    "digital": {ServiceType.Category.ACCOUNT, ServiceType.Category.TRANSFER},
}
HANDLER_ROLES = (Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD)
# Skills dominate, then seniority for high-value customers; load breaks ties until someone is full.
SKILL_WEIGHT = 10
SENIORITY_WEIGHT = 3
LOAD_PENALTY = 0.5
CAPACITY = 8
HIGH_VALUE_TIER = Customer.VipTier.PLATINUM


@dataclass
class Candidate:
    user: Any  # an instance of get_user_model()
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)

    def explain(self) -> str:
        return "; ".join(self.reasons)


def _candidates(work_order: WorkOrder):
    profiles = StaffProfile.objects.filter(role__in=HANDLER_ROLES, user__is_active=True)
    if work_order.department_id:
        profiles = profiles.filter(department=work_order.department_id)
    else:
        profiles = profiles.filter(branch=work_order.branch_id)
    # Department heads take work only when nobody else in the department can.
    staff = profiles.filter(role=Role.DEPARTMENT_STAFF)
    return (staff if staff.exists() else profiles).select_related("user")


def _ancestor(category, level: int):
    while category.level > level and category.parent is not None:
        category = category.parent
    return category


def _score_skills(candidate: Candidate, category, own: set[str], profile) -> None:
    if category is None:
        return
    if category.problem_type_code in own or category.code in own:
        candidate.score += 3 * SKILL_WEIGHT
        candidate.reasons.append(_("handles %(type)s") % {"type": _ancestor(category, 2).name})
    elif category.business_line_code in own:
        candidate.score += 2 * SKILL_WEIGHT
        candidate.reasons.append(_("works in %(line)s") % {"line": _ancestor(category, 1).name})
    elif SERVICE_SKILLS.get(category.business_line_code, set()) & {s.category for s in profile.skills.all()}:
        candidate.score += SKILL_WEIGHT
        candidate.reasons.append(_("has counter skills for this business line"))


def _score_seniority(candidate: Candidate, tier: int, profile) -> None:
    if tier < HIGH_VALUE_TIER:
        return
    if profile.seniority == StaffProfile.Seniority.SENIOR:
        candidate.score += 2 * SENIORITY_WEIGHT
        candidate.reasons.append(
            _("senior staff for a %(tier)s customer") % {"tier": Customer.VipTier(tier).label}
        )
    else:
        candidate.score -= SENIORITY_WEIGHT


def rank_candidates(work_order: WorkOrder) -> list[Candidate]:
    profiles = list(_candidates(work_order).prefetch_related("skills"))
    if not profiles:
        return []
    user_ids = [p.user_id for p in profiles]
    loads = dict(
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .annotate(n=Count("assigned_work_orders", filter=Q(assigned_work_orders__status__in=ACTIVE_STATUSES)))
        .values_list("pk", "n")
    )
    skills: dict[int, set[str]] = {}
    for user_id, code in StaffSkill.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "category__code"
    ):
        skills.setdefault(user_id, set()).add(code)

    category = work_order.category
    tier = work_order.customer.vip_tier if work_order.customer_id else 0
    ranked = []
    for profile in profiles:
        candidate = Candidate(user=profile.user)
        load = loads.get(profile.user_id, 0)
        if load >= CAPACITY:
            # Full: skills and seniority do not count, so the work goes to whoever has room.
            candidate.reasons.append(_("at capacity (%(n)d open work orders)") % {"n": load})
        else:
            _score_skills(candidate, category, skills.get(profile.user_id, set()), profile)
            _score_seniority(candidate, tier, profile)
            candidate.reasons.append(_("%(n)d open work orders") % {"n": load})
        candidate.score -= LOAD_PENALTY * load
        ranked.append(candidate)
    # Ties go to the lower load, then to the longest-serving profile (stable, explainable).
    ranked.sort(key=lambda c: (-c.score, loads.get(c.user.pk, 0), c.user.pk))
    return ranked


def choose_assignee(work_order: WorkOrder) -> Candidate | None:
    ranked = rank_candidates(work_order)
    return ranked[0] if ranked else None
