"""Opening work orders from every entry point and changing them: assignment, category, notes,
waiting for the customer, resolving, closing, reopening, merging, extending, attachments."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from branches.access import user_role
from branches.models import Branch, Department, Device
from branches.roles import Role
from compliance.audit import audit_record
from customers.models import Customer
from servicedesk import sla
from servicedesk.assignment import choose_assignee
from servicedesk.models import (
    ACTIVE_STATUSES,
    Attachment,
    Category,
    Channel,
    ClockPause,
    Level,
    Priority,
    Status,
    Survey,
    Target,
    Update,
    WorkOrder,
    WorkOrderKind,
)
from servicedesk.services.common import (
    EXTENSION_APPROVERS,
    REOPEN_WINDOW,
    _after_commit_task,
    _department_heads,
    _is_staff,
    _notify_staff,
    _push_changed,
    _snapshot,
    _staff_with,
)
from servicedesk.services.escalation import (
    _escalate,
)
from servicedesk.services.intake import Reading, WorkOrderRequest, read_request
from servicedesk.uploads import read_checked

# Creation ---------------------------------------------------------------------------------------


def department_for(category: Category | None, branch: Branch) -> Department | None:
    """The branch's department of the kind handling the category, else the head-office one."""
    kind = ""
    while category is not None and not kind:
        kind, category = category.department_kind, category.parent
    return department_of_kind(kind, branch) if kind else None


def department_of_kind(kind: str, branch: Branch) -> Department | None:
    """The branch's own department of this kind, else the head-office one."""
    departments = Department.objects.filter(kind=kind)
    return departments.filter(branch=branch).first() or departments.filter(branch__isnull=True).first()


def work_order_create(*, actor, request: WorkOrderRequest | None = None, **fields) -> WorkOrder:
    """Open a work order: `request=WorkOrderRequest(...)`, or its fields as keywords.

    `actor` is the signed-in user (staff or customer) or None for a device or the system. Without a
    `category` the text is classified (the suggestion is kept with its confidence until staff
    confirm or correct it); the text is always scored for emotion and urgency. Both happen before
    the transaction, so the rows it locks are held only for the writes. Assignment is automatic,
    with its reasons, unless `assignee` is given.
    """
    request = request or WorkOrderRequest(**fields)
    reading = read_request(actor, request)
    with transaction.atomic():
        work_order = _create(actor, request, reading)
        _after_create(actor, request, reading, work_order)
    return work_order


def _create(actor, request: WorkOrderRequest, reading: Reading) -> WorkOrder:
    now = timezone.now()
    work_order = WorkOrder.objects.create(
        number=uuid.uuid4().hex[:20],
        kind=request.kind,
        channel=request.channel,
        priority=reading.priority,
        complex_case=request.complex_case,
        title=(request.title or reading.description)[:200].strip(),
        description=reading.description,
        category=reading.category,
        category_confirmed=reading.confirmed,
        suggested_category=reading.suggested,
        suggested_confidence=reading.confidence,
        emotion_score=reading.emotion.score,
        emotion_words=list(reading.emotion.words),
        customer=request.customer,
        branch=request.branch,
        department=request.department or department_for(reading.category, request.branch),
        owner=actor if _is_staff(actor) else None,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        parent=request.parent,
        received_at=now,
    )
    work_order.number = f"WO{timezone.localtime(now):%Y%m%d}-{work_order.pk:05d}"
    _assign(work_order, assignee=request.assignee)
    work_order.sla_policy = sla.policy_for(work_order)
    changed = sla.refresh_deadlines(work_order)
    work_order.save(update_fields=["number", "assignee", "assignment_reason", "auto_assigned", "owner",
                                   "sla_policy", *changed])
    audit_record(actor=actor if work_order.created_by else None, action="work_order.create",
                 obj=work_order, branch=request.branch, customer=request.customer,
                 after=_snapshot(work_order), device=request.device)
    return work_order


def _after_create(actor, request: WorkOrderRequest, reading: Reading, work_order: WorkOrder) -> None:
    for file in request.attachments:
        attachment_add(actor=actor, work_order=work_order, file=file, customer_visible=True)
    if work_order.assignee is not None and work_order.assignee != actor:
        _notify_staff(
            users=[work_order.assignee],
            work_order=work_order,
            text=gettext("Work order %(number)s was assigned to you") % {"number": work_order.number},
        )
    if reading.strong_emotion:
        _alert_emotion(work_order, reading.emotion.words)
    if work_order.sla_policy is not None and work_order.sla_policy.escalate_at_once:
        for level in (Level.DEPARTMENT_HEAD, Level.BRANCH_HEAD):
            _escalate(work_order=work_order, target=Target.EMERGENCY, level=level,
                      due_at=work_order.received_at)
    _push_changed(work_order, "work_order.created")


HANDOFF_KINDS = {"complaint": WorkOrderKind.COMPLAINT}


def handoff_parties(handoff) -> tuple[Device | None, Customer | None, Branch | None, object]:
    """Who and where an assistant hand-off comes from: (device, customer, branch, signed-in user).
    The branch is the device's, else the one named, else the customer's home branch, else the
    first active one (None only without any branch)."""
    device = (
        Device.objects.select_related("branch").filter(pk=handoff.device_id).first()
        if handoff.device_id
        else None
    )
    customer = Customer.objects.filter(pk=handoff.customer_id).first() if handoff.customer_id else None
    branch = (
        (device.branch if device else None)
        or Branch.objects.filter(code=handoff.branch_code).first()
        or (customer.home_branch if customer else None)
        or Branch.objects.filter(is_active=True).order_by("code").first()
    )
    user = get_user_model().objects.filter(pk=handoff.user_id).first() if handoff.user_id else None
    return device, customer, branch, user


def work_order_from_handoff(handoff) -> str | None:
    """Open a work order for a hand-off from the FAQ assistant; returns its number.

    Takes any object with the fields of `knowledge.hooks.Handoff` (servicedesk may not import
    knowledge): knowledge registers it with `register_handoff(work_order_from_handoff)`.
    """

    device, customer, branch, user = handoff_parties(handoff)
    if branch is None:
        return None
    lines = [turn.get("text", "") for turn in handoff.conversation] or [handoff.question]
    work_order = work_order_create(
        actor=user,
        kind=HANDOFF_KINDS.get(handoff.reason, WorkOrderKind.REQUEST),
        channel=Channel.KIOSK if handoff.channel == "kiosk" else Channel.FAQ,
        branch=branch,
        title=handoff.question,
        description="\n".join(line for line in lines if line),
        customer=customer,
        priority=Priority.URGENT if handoff.urgent else None,
        device=device,
    )
    return work_order.number


def _alert_emotion(work_order: WorkOrder, words) -> None:
    text = gettext("Complaint %(number)s shows strong emotion or urgency: %(words)s") % {
        "number": work_order.number,
        "words": "、".join(words),
    }
    lobby_managers = _staff_with(Role.LOBBY_MANAGER, branch=work_order.branch_id)
    _notify_staff(users=[*lobby_managers, *_department_heads(work_order)], work_order=work_order, text=text)


def _assign(work_order: WorkOrder, *, assignee=None) -> None:
    if assignee is not None:
        work_order.assignee = assignee
        work_order.assignment_reason = gettext("assigned by hand")
    else:
        choice = choose_assignee(work_order)
        if choice is not None:
            work_order.assignee = choice.user
            work_order.assignment_reason = gettext("assigned because: %(why)s") % {"why": choice.explain()}
            work_order.auto_assigned = True
    # Whoever receives it first owns it until it is closed.
    work_order.owner = work_order.owner or work_order.assignee


# Changes by staff and customers -----------------------------------------------------------------


def _require_active(work_order: WorkOrder) -> None:
    if work_order.status not in ACTIVE_STATUSES:
        raise ValidationError(_("This work order is no longer open."))


def _lock(work_order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.select_for_update(of=("self",)).with_relations().get(pk=work_order.pk)


def _save(work_order: WorkOrder, fields: list[str]) -> None:
    fields = [*fields, *sla.refresh_deadlines(work_order), "updated_at"]
    work_order.save(update_fields=sorted(set(fields)))


@transaction.atomic
def work_order_assign(*, actor, work_order: WorkOrder, assignee, reason: str = "") -> WorkOrder:
    work_order = _lock(work_order)
    _require_active(work_order)
    if not _is_staff(assignee):
        raise ValidationError({"assignee": _("Only staff can be assigned.")})
    before = _snapshot(work_order)
    if work_order.auto_assigned and assignee != work_order.assignee:
        work_order.reassigned_after_auto = True
    work_order.assignee = assignee
    work_order.assignment_reason = reason or gettext("assigned by hand")
    _save(work_order, ["assignee", "assignment_reason", "reassigned_after_auto"])
    audit_record(
        actor=actor,
        action="work_order.assign",
        obj=work_order,
        branch=work_order.branch,
        customer=work_order.customer_id,
        before=before,
        after=_snapshot(work_order),
    )
    _notify_staff(
        users=[assignee],
        work_order=work_order,
        text=gettext("Work order %(number)s was assigned to you") % {"number": work_order.number},
    )
    _push_changed(work_order, "work_order.updated")
    return work_order


@transaction.atomic
def work_order_categorize(*, actor, work_order: WorkOrder, category: Category) -> WorkOrder:
    """Staff confirm or correct the category; confirmed categories train the next classifier."""
    work_order = _lock(work_order)
    if category.level != 3:
        raise ValidationError({"category": _("Choose a detail category (third level).")})
    before = _snapshot(work_order)
    work_order.category = category
    work_order.category_confirmed = True
    work_order.sla_policy = sla.policy_for(work_order)
    _save(work_order, ["category", "category_confirmed", "sla_policy"])
    audit_record(
        actor=actor,
        action="work_order.categorize",
        obj=work_order,
        branch=work_order.branch,
        before=before,
        after=_snapshot(work_order),
    )
    return work_order


@transaction.atomic
def work_order_comment(*, actor, work_order: WorkOrder, body: str, customer_visible: bool) -> Update:
    """An internal note or an update to the customer. Customers' own comments are always visible
    and end a wait for the customer."""
    work_order = _lock(work_order)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write something.")})
    if work_order.status == Status.MERGED:
        raise ValidationError(_("This work order was merged; comment on the one it was merged into."))
    staff = _is_staff(actor)
    visible = customer_visible or not staff
    now = timezone.now()
    update = Update.objects.create(
        work_order=work_order,
        author=actor,
        body=body,
        created_at=now,
        visibility=Update.Visibility.CUSTOMER if visible else Update.Visibility.INTERNAL,
    )
    fields = []
    if (
        staff
        and work_order.first_responded_at is None
        and (visible or work_order.kind != WorkOrderKind.COMPLAINT)
    ):
        work_order.first_responded_at = now
        fields.append("first_responded_at")
    if staff and visible:
        work_order.last_customer_update_at = now
        fields.append("last_customer_update_at")
    if staff and work_order.status == Status.OPEN:
        work_order.status = Status.IN_PROGRESS
        fields.append("status")
    if not staff and work_order.status == Status.WAITING_CUSTOMER:
        _end_pause(work_order, now)
        work_order.status = Status.IN_PROGRESS
        fields.append("status")
    _save(work_order, fields)
    audit_record(
        actor=actor,
        action="work_order.comment",
        obj=work_order,
        branch=work_order.branch,
        customer=work_order.customer_id,
        after={"visibility": update.visibility, "update": update.pk},
    )
    if visible and staff:
        _after_commit_task("notify_customer_update", update.pk)
    if not staff and work_order.assignee is not None:
        _notify_staff(
            users=[work_order.assignee, work_order.owner],
            work_order=work_order,
            text=gettext("The customer replied on %(number)s") % {"number": work_order.number},
        )
    _push_changed(work_order, "work_order.updated")
    return update


def _end_pause(work_order: WorkOrder, now: dt.datetime) -> None:
    ClockPause.objects.filter(work_order=work_order, ended_at__isnull=True).update(ended_at=now)


def _change_status(
    *, actor, work_order: WorkOrder, status: Status, action: str, fields=(), note: str = ""
) -> WorkOrder:
    before = _snapshot(work_order)
    work_order.status = status
    _save(work_order, ["status", *fields])
    if note:
        Update.objects.create(
            work_order=work_order, author=actor, body=note, visibility=Update.Visibility.CUSTOMER
        )
    audit_record(
        actor=actor,
        action=action,
        obj=work_order,
        branch=work_order.branch,
        customer=work_order.customer_id,
        before=before,
        after=_snapshot(work_order),
    )
    _push_changed(work_order, "work_order.updated")
    return work_order


@transaction.atomic
def work_order_wait_for_customer(*, actor, work_order: WorkOrder, message: str) -> WorkOrder:
    """Ask the customer for something; the SLA clocks stop until they answer or staff resume."""
    work_order = _lock(work_order)
    if work_order.status not in (Status.OPEN, Status.IN_PROGRESS):
        raise ValidationError(_("Only an open work order can wait for the customer."))
    if not message.strip():
        raise ValidationError({"message": _("Tell the customer what is needed.")})
    now = timezone.now()
    ClockPause.objects.create(
        work_order=work_order, reason=ClockPause.Reason.WAITING_CUSTOMER, started_at=now
    )
    work_order.last_customer_update_at = now
    work_order.first_responded_at = work_order.first_responded_at or now
    return _change_status(
        actor=actor,
        work_order=work_order,
        status=Status.WAITING_CUSTOMER,
        action="work_order.wait_for_customer",
        note=message.strip(),
        fields=["last_customer_update_at", "first_responded_at"],
    )


@transaction.atomic
def work_order_resume(*, actor, work_order: WorkOrder) -> WorkOrder:
    work_order = _lock(work_order)
    if work_order.status != Status.WAITING_CUSTOMER:
        raise ValidationError(_("This work order is not waiting for the customer."))
    _end_pause(work_order, timezone.now())
    return _change_status(
        actor=actor, work_order=work_order, status=Status.IN_PROGRESS, action="work_order.resume"
    )


@transaction.atomic
def work_order_resolve(*, actor, work_order: WorkOrder, resolution: str) -> WorkOrder:
    work_order = _lock(work_order)
    _require_active(work_order)
    if not resolution.strip():
        raise ValidationError({"resolution": _("Tell the customer how it was resolved.")})
    now = timezone.now()
    _end_pause(work_order, now)
    ClockPause.objects.create(work_order=work_order, reason=ClockPause.Reason.RESOLVED, started_at=now)
    work_order.resolved_at = now
    work_order.last_customer_update_at = now
    work_order.first_responded_at = work_order.first_responded_at or now
    return _change_status(
        actor=actor,
        work_order=work_order,
        status=Status.RESOLVED,
        action="work_order.resolve",
        note=resolution.strip(),
        fields=["resolved_at", "last_customer_update_at", "first_responded_at"],
    )


@transaction.atomic
def work_order_close(*, actor, work_order: WorkOrder) -> WorkOrder:
    """Close a resolved work order; its customer gets a satisfaction survey at once."""
    work_order = _lock(work_order)
    if work_order.status != Status.RESOLVED:
        raise ValidationError(_("Resolve the work order before closing it."))
    work_order.closed_at = timezone.now()
    _change_status(
        actor=actor,
        work_order=work_order,
        status=Status.CLOSED,
        action="work_order.close",
        fields=["closed_at"],
    )
    if work_order.customer_id and work_order.kind in (
        WorkOrderKind.COMPLAINT,
        WorkOrderKind.REQUEST,
        WorkOrderKind.FOLLOW_UP,
    ):
        survey, created = Survey.objects.get_or_create(work_order=work_order)
        if created:
            _after_commit_task("send_survey", survey.pk)
    return work_order


@transaction.atomic
def work_order_reopen(*, actor, work_order: WorkOrder, reason: str) -> WorkOrder:
    """Reopen within the window after resolution; the clocks continue where they stopped."""
    work_order = _lock(work_order)
    if work_order.status not in (Status.RESOLVED, Status.CLOSED):
        raise ValidationError(_("Only a resolved or closed work order can be reopened."))
    now = timezone.now()
    if work_order.resolved_at is None or now - work_order.resolved_at > REOPEN_WINDOW:
        raise ValidationError(_("It is too late to reopen this work order; please open a new one."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it is reopened.")})
    _end_pause(work_order, now)
    work_order.resolved_at = None
    work_order.closed_at = None
    work_order.reopen_count += 1
    Update.objects.create(
        work_order=work_order, author=actor, body=reason.strip(), visibility=Update.Visibility.CUSTOMER
    )
    return _change_status(
        actor=actor,
        work_order=work_order,
        status=Status.IN_PROGRESS,
        action="work_order.reopen",
        fields=["resolved_at", "closed_at", "reopen_count"],
    )


@transaction.atomic
def work_order_merge(*, actor, duplicate: WorkOrder, into: WorkOrder) -> WorkOrder:
    duplicate, into = _lock(duplicate), _lock(into)
    if duplicate.pk == into.pk or into.status == Status.MERGED:
        raise ValidationError(_("Choose another, open work order to merge into."))
    _require_active(duplicate)
    if duplicate.customer_id and into.customer_id and duplicate.customer_id != into.customer_id:
        raise ValidationError(_("Only work orders of the same customer can be merged."))
    _end_pause(duplicate, timezone.now())
    duplicate.merged_into = into
    Update.objects.create(
        work_order=into,
        author=actor,
        visibility=Update.Visibility.INTERNAL,
        body=gettext("Merged duplicate %(number)s: %(text)s")
        % {"number": duplicate.number, "text": duplicate.description[:500]},
    )
    return _change_status(
        actor=actor,
        work_order=duplicate,
        status=Status.MERGED,
        action="work_order.merge",
        fields=["merged_into"],
    )


@transaction.atomic
def work_order_extend(*, actor, work_order: WorkOrder, reason: str) -> WorkOrder:
    """Approve the one 30-day extension of a complex complaint's regulatory deadline."""
    work_order = _lock(work_order)
    _require_active(work_order)
    if work_order.kind != WorkOrderKind.COMPLAINT or not work_order.complex_case:
        raise ValidationError(_("Only a complex complaint can be extended."))
    if work_order.extended_at is not None:
        raise ValidationError(_("The deadline was already extended once."))
    if user_role(actor) not in EXTENSION_APPROVERS or actor == work_order.owner:
        raise ValidationError(_("The extension needs the approval of a head other than the owner."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    work_order.extended_at = timezone.now()
    work_order.extension_approved_by = actor
    Update.objects.create(
        work_order=work_order,
        author=actor,
        visibility=Update.Visibility.INTERNAL,
        body=gettext("Deadline extended by 30 days: %(reason)s") % {"reason": reason.strip()},
    )
    return _change_status(
        actor=actor,
        work_order=work_order,
        status=Status(work_order.status),
        action="work_order.extend",
        fields=["extended_at", "extension_approved_by"],
    )


@transaction.atomic
def attachment_add(*, actor, work_order: WorkOrder, file, customer_visible: bool) -> Attachment:
    if file.size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        raise ValidationError({"file": _("The file is too large.")})
    if not read_checked(file):
        raise ValidationError({"file": _("The file's content is not a JPG, PNG or PDF as its name says, "
                                         "or the picture is too large to open.")})
    attachment = Attachment.objects.create(
        work_order=work_order,
        file=file,
        name=file.name[:200],
        customer_visible=customer_visible or not _is_staff(actor),
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        action="work_order.attach",
        obj=work_order,
        branch=work_order.branch,
        customer=work_order.customer_id,
        after={"attachment": attachment.pk, "name": attachment.name},
    )
    return attachment
