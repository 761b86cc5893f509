"""Corrective actions: a failed item gets an owner (the branch's manager unless reassigned) and a
deadline; overdue ones are escalated by beat; the owner closes theirs with evidence."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import StaffProfile
from branches.roles import Role
from compliance.audit import audit_record
from core.live import groups, push
from quality.access import may_manage_action
from quality.models import ActionStatus, Answer, CorrectiveAction, Inspection
from quality.photos import check_photo


def sla() -> dt.timedelta:
    """How long the owner has to put a failed item right (QUALITY_ACTION_SLA_DAYS, 7 by default)."""
    return dt.timedelta(days=getattr(settings, "QUALITY_ACTION_SLA_DAYS", 7))


def _default_owner(branch_id: int):
    profile = (
        StaffProfile.objects.filter(branch_id=branch_id, role=Role.BRANCH_ADMIN)
        .select_related("user")
        .order_by("employee_no")
        .first()
    )
    return profile.user if profile else None


def _toast(user_id: int | None, text: str, action: CorrectiveAction) -> None:
    if user_id is not None:
        push(groups.user(user_id), "toast", {"text": text, "url": f"/quality/actions/{action.pk}/"})


def actions_open_for(inspection: Inspection, failed: list[Answer]) -> list[CorrectiveAction]:
    """Inside inspection_submit's transaction: one open action per failed answer."""
    if not failed:
        return []
    now = timezone.now()
    owner = _default_owner(inspection.branch_id)
    actions = [
        CorrectiveAction.objects.create(
            answer=answer, branch_id=inspection.branch_id, owner=owner, created_at=now, due_at=now + sla()
        )
        for answer in failed
    ]
    if owner is not None:
        _toast(
            owner.pk,
            _("%(count)s corrective actions are waiting for you.") % {"count": len(actions)},
            actions[0],
        )
    return actions


def _locked(action: CorrectiveAction) -> CorrectiveAction:
    return CorrectiveAction.objects.select_for_update().get(pk=action.pk)


def corrective_action_close(
    *, actor, action: CorrectiveAction, evidence: str, photo=None
) -> CorrectiveAction:
    if not (action.owner_id == actor.pk or may_manage_action(actor, action)):
        raise PermissionDenied(_("Only the owner or the branch's manager closes this action."))
    evidence = evidence.strip()
    errors: dict[str, list[str]] = {}
    if not evidence:
        errors["evidence"] = [_("Describe what was done to put it right.")]
    elif len(evidence) > 500:
        errors["evidence"] = [_("Keep the evidence under 500 characters.")]
    if photo is not None:
        try:
            check_photo(photo, "evidence_photo")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(action)
        if locked.status != ActionStatus.OPEN:
            raise ValidationError({"__all__": [_("This action is already closed.")]})
        locked.status, locked.evidence = ActionStatus.CLOSED, evidence
        locked.closed_at, locked.closed_by = timezone.now(), actor
        fields = ["status", "evidence", "closed_at", "closed_by"]
        if photo is not None:
            locked.evidence_photo.save(getattr(photo, "name", "evidence.jpg"), photo, save=False)
            fields.append("evidence_photo")
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="quality.action.close",
            obj=locked,
            branch=action.branch,
            after={
                "evidence": evidence[:200],
                "photo": bool(locked.evidence_photo),
                "late": locked.closed_at > locked.due_at,
            },
        )
    return locked


def corrective_action_assign(*, actor, action: CorrectiveAction, owner) -> CorrectiveAction:
    if not may_manage_action(actor, action):
        raise PermissionDenied(_("Only the branch's manager or head office reassigns actions."))
    if not StaffProfile.objects.filter(user=owner, branch_id=action.branch_id).exists():
        raise ValidationError({"owner": [_("Choose someone who works at this branch.")]})
    with transaction.atomic():
        locked = _locked(action)
        if locked.status != ActionStatus.OPEN:
            raise ValidationError({"__all__": [_("This action is already closed.")]})
        before = locked.owner_id
        locked.owner = owner
        locked.save(update_fields=["owner"])
        audit_record(
            actor=actor,
            action="quality.action.assign",
            obj=locked,
            branch=action.branch,
            before={"owner": before},
            after={"owner": owner.pk},
        )
        _toast(owner.pk, _("A corrective action was assigned to you."), locked)
    return locked


def corrective_action_reopen(*, actor, action: CorrectiveAction, reason: str) -> CorrectiveAction:
    """The evidence did not convince: open again with a fresh deadline."""
    if not may_manage_action(actor, action):
        raise PermissionDenied(_("Only the branch's manager or head office reopens actions."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the evidence is not enough.")]})
    with transaction.atomic():
        locked = _locked(action)
        if locked.status != ActionStatus.CLOSED:
            raise ValidationError({"__all__": [_("This action is still open.")]})
        now = timezone.now()
        locked.status, locked.closed_at, locked.closed_by = ActionStatus.OPEN, None, None
        locked.due_at, locked.escalated_at = now + sla(), None
        locked.save(update_fields=["status", "closed_at", "closed_by", "due_at", "escalated_at"])
        audit_record(
            actor=actor,
            action="quality.action.reopen",
            obj=locked,
            branch=action.branch,
            after={"reason": reason.strip()[:200], "due_at": locked.due_at.isoformat()},
        )
        _toast(locked.owner_id, _("A corrective action was reopened."), locked)
    return locked


def corrective_actions_escalate(*, now: dt.datetime | None = None) -> int:
    """Beat: open actions past their deadline are escalated once (to head office's list and a
    notice to the owner). Running it again changes nothing."""
    now = now or timezone.now()
    due = list(
        CorrectiveAction.objects.filter(
            status=ActionStatus.OPEN, due_at__lt=now, escalated_at__isnull=True
        ).values_list("pk", flat=True)
    )
    escalated = 0
    for pk in due:
        with transaction.atomic():
            action = (
                CorrectiveAction.objects.select_for_update(of=("self",))
                .select_related("branch")
                .filter(pk=pk, status=ActionStatus.OPEN, escalated_at__isnull=True)
                .first()
            )
            if action is None:
                continue
            action.escalated_at = now
            action.save(update_fields=["escalated_at"])
            audit_record(
                actor=None,
                action="quality.action.escalate",
                obj=action,
                branch=action.branch,
                after={"due_at": action.due_at.isoformat(), "owner": action.owner_id},
            )
            _toast(
                action.owner_id, _("A corrective action is overdue and was escalated to head office."), action
            )
            escalated += 1
    return escalated
