"""SLA warnings and escalations (exactly once per deadline and level), and the notification outbox."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from redis import RedisError

from branches.roles import Role
from compliance.audit import audit_record
from core.live import groups, push
from core.notifications import notify
from servicedesk import sla
from servicedesk.models import (
    ACTIVE_STATUSES,
    Escalation,
    Level,
    Notification,
    Target,
    WorkOrder,
)
from servicedesk.services.common import (
    DELIVERY_QUEUED,
    _department_heads,
    _notify_staff,
    _staff_with,
)

logger = logging.getLogger(__name__)


def escalation_recipients(work_order: WorkOrder, level: Level) -> list:
    if level == Level.WARNING:
        return [work_order.assignee, work_order.owner]
    if level == Level.DEPARTMENT_HEAD:
        return _department_heads(work_order)
    if level == Level.BRANCH_HEAD:
        return _staff_with(Role.BRANCH_ADMIN, branch=work_order.branch_id)
    return _staff_with(Role.HEAD_OFFICE_ADMIN)


def _escalation_text(work_order: WorkOrder, target: Target, level: Level) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        if level == Level.WARNING:
            return gettext("Work order %(number)s: 80%% of the %(target)s time is used") % {
                "number": work_order.number,
                "target": target.label,
            }
        if target == Target.EMERGENCY:
            return gettext("Major complaint %(number)s needs emergency handling") % {
                "number": work_order.number
            }
        return gettext("Work order %(number)s breached its %(target)s deadline (escalated to %(level)s)") % {
            "number": work_order.number,
            "target": target.label,
            "level": level.label,
        }


def _escalate(
    *, work_order: WorkOrder, target: Target, level: Level, due_at: dt.datetime
) -> Escalation | None:
    """Record one escalation and notify its recipients, unless it was already recorded."""
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                work_order=work_order, target=target, level=level, due_at=due_at
            )
    except IntegrityError:
        return None
    _notify_staff(
        users=escalation_recipients(work_order, level),
        work_order=work_order,
        text=_escalation_text(work_order, target, level),
        escalation=escalation,
    )
    audit_record(
        actor=None,
        action="work_order.escalate",
        obj=work_order,
        branch=work_order.branch,
        customer=work_order.customer_id,
        after={"target": target.value, "level": int(level), "due_at": due_at.isoformat()},
    )
    push(
        groups.staff(work_order.branch.code),
        "work_order.escalated",
        {"number": work_order.number, "target": target.value, "level": int(level)},
    )
    return escalation


# SLA scan ---------------------------------------------------------------------------------------


@transaction.atomic
def work_order_check_sla(*, work_order_id: int, now: dt.datetime, calendar=None) -> int:
    """Warn and escalate one work order's clocks; returns the escalations recorded now."""
    work_order = WorkOrder.objects.select_for_update(of=("self",)).with_relations().get(pk=work_order_id)
    if work_order.status not in ACTIVE_STATUSES or work_order.sla_policy is None:
        return 0
    pauses = sla.pauses_of(work_order)
    created = 0
    for clock in sla.clocks(work_order, calendar=calendar):
        due = clock.effective_due
        if due is None:
            continue
        for level in sla.levels_reached(
            clock.fraction_used(now, pauses), work_order.sla_policy, clock.target
        ):
            created += (
                _escalate(work_order=work_order, target=clock.target, level=level, due_at=due) is not None
            )
    fields = sla.refresh_deadlines(work_order, calendar=calendar)
    work_order.save(update_fields=fields)
    return created


def sla_scan(*, now: dt.datetime | None = None) -> int:
    """Check every open work order. Safe to run twice or concurrently: each escalation row is
    unique per deadline and level, so nobody is notified twice."""
    now = now or timezone.now()
    calendar = sla.business_calendar()
    ids = list(WorkOrder.objects.active().filter(sla_policy__isnull=False).values_list("pk", flat=True))
    return sum(work_order_check_sla(work_order_id=pk, now=now, calendar=calendar) for pk in ids)


def notifications_deliver_queued() -> int:
    """The queued run (`common._queue_delivery`): let the next notification queue a run of its
    own, then empty the outbox."""
    try:
        cache.delete(DELIVERY_QUEUED)
    except (RedisError, OSError):  # the flag expires by itself
        logger.warning("delivery flag not cleared", exc_info=True)
    return notifications_deliver()


def notifications_deliver(*, batch: int = 100) -> int:
    """Email every undelivered notification (the outbox), `batch` rows per transaction; a retry
    after a crash may repeat an email, never lose one."""
    sent = 0
    while True:
        delivered = _deliver_batch(batch)
        sent += delivered
        if delivered < batch:
            return sent


def _deliver_batch(batch: int) -> int:
    sent = 0
    with transaction.atomic():
        pending = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(delivered_at__isnull=True)
            .select_related("user", "work_order")[:batch]
        )
        for notification in pending:
            if notification.user.email:
                notify(
                    channel="email",
                    to=notification.user.email,
                    subject=f"[{notification.work_order.number}] {notification.text[:60]}",
                    body=notification.text,
                )
            notification.delivered_at = timezone.now()
            notification.save(update_fields=["delivered_at"])
            sent += 1
    return sent


@transaction.atomic
def notification_read(*, user, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
