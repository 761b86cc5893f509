"""Helpers shared by the service-desk services: staff lookups, notifications, live pushes."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.cache import cache
from django.db import transaction
from redis import RedisError

from branches.access import user_role
from branches.models import StaffProfile
from branches.roles import STAFF_ROLES, Role
from core.live import groups, push
from servicedesk.models import (
    Escalation,
    Notification,
    WorkOrder,
)

logger = logging.getLogger(__name__)
REOPEN_WINDOW = dt.timedelta(days=7)
# Set while a delivery run is queued and has not started reading the outbox; see _queue_delivery.
DELIVERY_QUEUED = "servicedesk:notification-delivery-queued"
# A queued run that never starts (a lost message) holds the flag no longer than this; the SLA
# scan also empties the outbox every run.
DELIVERY_QUEUED_SECONDS = 120
FOLLOW_UP_BELOW = 8
EXTENSION_APPROVERS = frozenset({Role.DEPARTMENT_HEAD, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN})


def _is_staff(user) -> bool:
    return user is not None and user_role(user) in STAFF_ROLES


def _after_commit_task(name: str, *args) -> None:
    from servicedesk import tasks

    task = getattr(tasks, name)
    transaction.on_commit(lambda: task.delay(*args))


def _snapshot(work_order: WorkOrder) -> dict:
    return {
        "number": work_order.number,
        "status": work_order.status,
        "priority": work_order.priority,
        "assignee": work_order.assignee_id,
        "category": work_order.category.code if work_order.category else None,
    }


def _push_changed(work_order: WorkOrder, event: str) -> None:
    payload = {"number": work_order.number, "status": work_order.status, "id": work_order.pk}
    push(groups.staff(work_order.branch.code), event, payload)
    customer = work_order.customer
    if customer is not None and customer.user_id:
        push(groups.user(customer.user_id), event, payload)


# Notifications ----------------------------------------------------------------------------------


def _notify_staff(*, users, work_order: WorkOrder, text: str, escalation: Escalation | None = None) -> int:
    """In-app notification and websocket toast now; email from the outbox after commit."""
    created = 0
    for user in {u.pk: u for u in users if u is not None}.values():
        Notification.objects.create(user=user, work_order=work_order, escalation=escalation, text=text[:300])
        push(
            groups.user(user.pk),
            "toast",
            {"text": text, "work_order": work_order.number, "url": f"/sd/work-orders/{work_order.pk}/"},
        )
        created += 1
    if created:
        _queue_delivery()
    return created


def _queue_delivery() -> None:
    """After commit, queue one delivery run unless one is already queued and not yet reading.

    Each run empties the whole outbox, so a burst (a scan escalating 180 work orders) needs one
    run, not one per notification. The run clears the flag before it reads the outbox
    (`notifications_deliver_queued`): a notification committed before the clear is read by that
    run, one committed after it finds the flag gone and queues the next run. Nothing waits for
    a run that has already read."""

    def queue() -> None:
        from servicedesk import tasks

        try:
            first = cache.add(DELIVERY_QUEUED, True, timeout=DELIVERY_QUEUED_SECONDS)
        except (RedisError, OSError):
            logger.warning("delivery flag unavailable; queueing a run anyway", exc_info=True)
            first = True
        if first:
            tasks.deliver_notifications.delay()

    transaction.on_commit(queue)


def _staff_with(role: Role, **filters):
    return [
        p.user
        for p in StaffProfile.objects.filter(role=role, user__is_active=True, **filters).select_related(
            "user"
        )
    ]


def _department_heads(work_order: WorkOrder) -> list:
    if work_order.department is None:
        return _staff_with(Role.BRANCH_ADMIN, branch=work_order.branch_id)
    if work_order.department.head is not None:
        return [work_order.department.head]
    return _staff_with(Role.DEPARTMENT_HEAD, department=work_order.department_id)
