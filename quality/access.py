"""Who may schedule, score, read and follow up which inspections (built on branches.access).

- head-office admins: every branch; they edit checklists and send mystery shoppers;
- quality inspectors (the group, on a staff profile): the branches their profile sees;
- branch admins (branch managers): inspect their own branch and follow up its actions;
- mystery shoppers (the group, no staff profile): only the visits assigned to them;
- owners of corrective actions: their own actions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from branches.access import staff_branches, user_role
from branches.models import Branch
from branches.roles import STAFF_ROLES, Role
from quality.models import CorrectiveAction, Inspection, Kind
from quality.roles import QualityRole


def _in_group(user, name: str) -> bool:
    cache = "_quality_groups"
    if not hasattr(user, cache):
        setattr(
            user, cache, set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
        )
    return name in getattr(user, cache)


def is_mystery_shopper(user) -> bool:
    return user.is_authenticated and user_role(user) is None and _in_group(user, QualityRole.MYSTERY_SHOPPER)


def is_head_office(user) -> bool:
    return user_role(user) == Role.HEAD_OFFICE_ADMIN


def is_inspector(user) -> bool:
    role = user_role(user)
    return role in (Role.HEAD_OFFICE_ADMIN, Role.BRANCH_ADMIN) or (
        role is not None and role != Role.CUSTOMER and _in_group(user, QualityRole.INSPECTOR)
    )


def quality_role(user) -> QualityRole | None:
    """The quality group the person holds, to show them in what capacity they are here."""
    if is_mystery_shopper(user):
        return QualityRole.MYSTERY_SHOPPER
    if is_inspector(user) and _in_group(user, QualityRole.INSPECTOR):
        return QualityRole.INSPECTOR
    return None


def is_staff(user) -> bool:
    return user_role(user) in STAFF_ROLES


def inspectable_branches(user) -> QuerySet[Branch]:
    return staff_branches(user) if is_inspector(user) else Branch.objects.none()


def visible_inspections(user) -> QuerySet[Inspection]:
    """Inspectors see their branches' inspections (mystery-shopper visits once submitted, so a
    branch manager never learns one is coming); a mystery shopper sees their own visits."""
    rows = Inspection.objects.select_related("branch", "inspector", "checklist_version__checklist")
    if is_mystery_shopper(user):
        return rows.filter(inspector=user, kind=Kind.MYSTERY_SHOP)
    if not is_inspector(user):
        return rows.none()
    rows = rows.filter(branch__in=inspectable_branches(user))
    if is_head_office(user):
        return rows
    return rows.filter(Q(kind=Kind.INSPECTION) | Q(status="submitted") | Q(inspector=user))


def inspection_for_user(user, pk: int, *, score: bool = False) -> Inspection:
    """The inspection if the user may see it; with score=True only its own inspector may."""
    inspection = get_object_or_404(visible_inspections(user), pk=pk)
    if score and inspection.inspector_id != user.pk:
        raise PermissionDenied
    return inspection


def visible_actions(user) -> QuerySet[CorrectiveAction]:
    rows = CorrectiveAction.objects.select_related("branch", "owner", "answer__item", "answer__inspection")
    if not user.is_authenticated:
        return rows.none()
    if is_inspector(user):
        return rows.filter(Q(branch__in=inspectable_branches(user)) | Q(owner=user))
    return rows.filter(owner=user)


def action_for_user(user, pk: int) -> CorrectiveAction:
    return get_object_or_404(visible_actions(user), pk=pk)


def may_manage_action(user, action: CorrectiveAction) -> bool:
    """Reassign, reopen: the branch's manager or head office, never only the owner."""
    return is_inspector(user) and inspectable_branches(user).filter(pk=action.branch_id).exists()
