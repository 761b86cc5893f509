"""Scheduling and scoring inspections and mystery-shopper visits. A submitted inspection is
locked: its answers, score and checklist version never change again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Branch
from compliance.audit import audit_record
from quality.access import inspectable_branches, is_head_office, is_inspector, is_mystery_shopper
from quality.models import Answer, Checklist, ChecklistItem, Inspection, Kind, Result, Status
from quality.photos import check_photo
from quality.scoring import weighted_score
from quality.services.actions import actions_open_for
from quality.services.checklists import checklist_current
from quality.standards import STANDARD_CODE


@dataclass
class Mark:
    """What the inspector entered for one item; `photo` is an uploaded file or None."""

    result: str = ""
    note: str = ""
    photo: object = None


def inspection_schedule(
    *, actor, branch: Branch, kind: str, inspector, scheduled_for: dt.date, checklist: Checklist | None = None
) -> Inspection:
    if not inspectable_branches(actor).filter(pk=branch.pk).exists():
        raise PermissionDenied(_("You may not schedule inspections of this branch."))
    errors: dict[str, list[str]] = {}
    if kind == Kind.MYSTERY_SHOP:
        if not is_head_office(actor):
            raise PermissionDenied(_("Only head office sends mystery shoppers."))
        if not is_mystery_shopper(inspector):
            errors["inspector"] = [_("Choose a mystery-shopper account for a mystery-shopper visit.")]
    elif kind == Kind.INSPECTION:
        if not (is_inspector(inspector) and inspectable_branches(inspector).filter(pk=branch.pk).exists()):
            errors["inspector"] = [_("Choose an inspector who may inspect this branch.")]
    else:
        errors["kind"] = [_("Choose an inspection or a mystery-shopper visit.")]
    if scheduled_for < timezone.localdate():
        errors["scheduled_for"] = [_("Schedule it for today or a later day.")]
    checklist = checklist or Checklist.objects.filter(code=STANDARD_CODE).first()
    version = checklist_current(checklist) if checklist else None
    if version is None:
        errors["checklist"] = [_("There is no published checklist yet.")]
    if errors or version is None:
        raise ValidationError(errors)
    with transaction.atomic():
        inspection = Inspection.objects.create(
            branch=branch,
            kind=kind,
            checklist_version=version,
            inspector=inspector,
            scheduled_for=scheduled_for,
            scheduled_by=actor,
            created_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="quality.inspection.schedule",
            obj=inspection,
            branch=branch,
            after={
                "kind": kind,
                "inspector": inspector.pk,
                "scheduled_for": scheduled_for.isoformat(),
                "checklist_version": version.pk,
            },
        )
    return inspection


def _check_open(actor, inspection: Inspection) -> None:
    if inspection.inspector_id != actor.pk:
        raise PermissionDenied(_("Only the assigned inspector scores this inspection."))
    if inspection.locked:
        raise ValidationError(
            {"__all__": [_("This inspection is submitted or cancelled and can no longer change.")]}
        )


def _check_marks(items: dict[int, ChecklistItem], marks: dict[int, Mark]) -> None:
    errors: dict[str, list[str]] = {}
    for item_id, mark in marks.items():
        if item_id not in items:
            errors.setdefault("__all__", []).append(_("An answer is for an item not on this checklist."))
            continue
        if mark.result and mark.result not in Result.values:
            errors[f"result-{item_id}"] = [_("Choose pass, partly, fail or not applicable.")]
        if len(mark.note) > 500:
            errors[f"note-{item_id}"] = [_("Keep the note under 500 characters.")]
        if mark.photo is not None:
            try:
                check_photo(mark.photo, f"photo-{item_id}")
            except ValidationError as error:
                for key, messages in error.message_dict.items():
                    errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def inspection_save(*, actor, inspection: Inspection, marks: dict[int, Mark]) -> Inspection:
    """Store what the inspector entered so far (results, notes, photos); nothing when any is wrong."""
    _check_open(actor, inspection)
    items = {item.pk: item for item in inspection.checklist_version.items.all()}
    _check_marks(items, marks)
    now = timezone.now()
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        _check_open(actor, locked)
        existing = {a.item_id: a for a in locked.answers.all()}
        changed = []
        for item_id, mark in marks.items():
            answer = existing.get(item_id)
            if not mark.result and answer is None:
                continue
            answer = answer or Answer(inspection=locked, item=items[item_id], answered_at=now)
            answer.result = mark.result or answer.result
            answer.note = mark.note.strip()
            answer.answered_at = now
            if mark.photo is not None:
                answer.photo.save(getattr(mark.photo, "name", "photo.jpg"), mark.photo, save=False)
            answer.save()
            changed.append(
                {"item": items[item_id].code, "result": answer.result, "photo": bool(answer.photo)}
            )
        if locked.status == Status.SCHEDULED and changed:
            locked.status = Status.IN_PROGRESS
            locked.save(update_fields=["status"])
        if changed:
            audit_record(
                actor=actor,
                action="quality.inspection.score",
                obj=locked,
                branch=locked.branch,
                after={"answers": changed},
            )
    return locked


def inspection_submit(*, actor, inspection: Inspection) -> Inspection:
    """Lock the inspection with its score; every failed item raises a corrective action."""
    _check_open(actor, inspection)
    with transaction.atomic():
        locked = (
            Inspection.objects.select_for_update(of=("self",)).select_related("branch").get(pk=inspection.pk)
        )
        _check_open(actor, locked)
        answers = {a.item_id: a for a in locked.answers.select_related("item")}
        items = list(locked.checklist_version.items.all())
        missing = [item for item in items if item.pk not in answers]
        errors: dict[str, list[str]] = {}
        if missing:
            errors["__all__"] = [
                _("Score every item before submitting: %(count)s left.") % {"count": len(missing)}
            ]
            for item in missing:
                errors[f"result-{item.pk}"] = [_("Not scored yet.")]
        for answer in answers.values():
            if answer.result == Result.FAIL and not answer.note:
                errors[f"note-{answer.item_id}"] = [_("Say what was wrong: a failed item needs a note.")]
        if errors:
            raise ValidationError(errors)
        locked.score = weighted_score((a.result, a.item.weight) for a in answers.values())
        if locked.score is None:
            raise ValidationError(
                {"__all__": [_("Every item is marked not applicable: there is nothing to score.")]}
            )
        locked.status = Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["score", "status", "submitted_at"])
        failed = [a for a in answers.values() if a.result == Result.FAIL]
        actions = actions_open_for(locked, failed)
        audit_record(
            actor=actor,
            action="quality.inspection.submit",
            obj=locked,
            branch=locked.branch,
            after={
                "score": str(locked.score),
                "failed": [a.item.code for a in failed],
                "actions": [a.pk for a in actions],
            },
        )
    return locked


def inspection_cancel(*, actor, inspection: Inspection, reason: str) -> Inspection:
    if not (inspection.scheduled_by_id == actor.pk or is_head_office(actor)):
        raise PermissionDenied(_("Only whoever scheduled it, or head office, may cancel an inspection."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the inspection is cancelled.")]})
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if locked.locked:
            raise ValidationError(
                {"__all__": [_("This inspection is submitted or cancelled and can no longer change.")]}
            )
        locked.status = Status.CANCELLED
        locked.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="quality.inspection.cancel",
            obj=locked,
            branch=locked.branch,
            after={"reason": reason.strip()[:200]},
        )
    return locked
