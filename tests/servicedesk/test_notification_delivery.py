"""The notification outbox is emptied by queued delivery runs: one run per burst, not one per
notification, and a notification that arrives while a run is going is still delivered."""

import pytest
import time_machine
from django.core.cache import cache

from servicedesk import services, tasks
from servicedesk.models import Category, Channel, Notification, WorkOrderKind
from servicedesk.services.common import DELIVERY_QUEUED
from tests.servicedesk.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_runs(monkeypatch):
    """Delivery runs go to a list, as to a broker whose worker is busy, instead of running."""
    runs = []
    monkeypatch.setattr(tasks.deliver_notifications, "delay", lambda: runs.append("deliver"))
    cache.delete(DELIVERY_QUEUED)
    yield runs
    cache.delete(DELIVERY_QUEUED)


def _requests(branch, actor, count):
    with time_machine.travel(at("2026-03-09T09:00"), tick=False):
        return [services.work_order_create(
            actor=actor, kind=WorkOrderKind.REQUEST, channel=Channel.STAFF, branch=branch,
            category=Category.objects.get(code="fx.remit.not_arrived"),
            description="客户汇往美国的款项一周未到，请协查") for _ in range(count)]


def _run_queued(runs) -> None:
    while runs:
        runs.pop()
        tasks.deliver_notifications()


def test_a_burst_of_escalations_queues_one_delivery_run_that_delivers_them_all(
        branch, teller, fx_staff, queued_runs, django_capture_on_commit_callbacks):
    _requests(branch, teller, 20)
    with time_machine.travel(at("2026-03-09T13:12"), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert services.sla_scan() >= 20  # a transaction per work order, each notifying two
    assert Notification.objects.filter(escalation__isnull=False).count() >= 40
    assert queued_runs == ["deliver"]
    _run_queued(queued_runs)
    assert not Notification.objects.filter(delivered_at__isnull=True).exists()


def test_a_notification_made_while_a_run_delivers_is_delivered_by_the_next_run(
        branch, teller, fx_staff, queued_runs, monkeypatch, django_capture_on_commit_callbacks):
    first, late = _requests(branch, teller, 2)
    deliver = services.notifications_deliver

    def a_warning_arrives_after_the_run_read_the_outbox(**kwargs):
        sent = deliver(**kwargs)
        if late.pk not in arrived:
            arrived.add(late.pk)
            with django_capture_on_commit_callbacks(execute=True):
                services.work_order_check_sla(work_order_id=late.pk, now=at("2026-03-09T13:12"))
        return sent

    arrived: set[int] = set()
    monkeypatch.setattr(services.escalation, "notifications_deliver",
                        a_warning_arrives_after_the_run_read_the_outbox)
    with django_capture_on_commit_callbacks(execute=True):
        services.work_order_check_sla(work_order_id=first.pk, now=at("2026-03-09T13:12"))
    assert queued_runs == ["deliver"]
    queued_runs.pop()
    tasks.deliver_notifications()
    late_warnings = Notification.objects.filter(work_order=late, escalation__isnull=False)
    assert late_warnings.exists() and not late_warnings.filter(delivered_at__isnull=False).exists()
    assert queued_runs == ["deliver"]  # the late warning queued its own run
    _run_queued(queued_runs)
    assert not Notification.objects.filter(delivered_at__isnull=True).exists()


def test_a_delivery_run_empties_an_outbox_longer_than_one_batch(branch, teller, fx_staff):
    _requests(branch, teller, 3)
    with time_machine.travel(at("2026-03-09T13:12"), tick=False):
        services.sla_scan()
    assert Notification.objects.filter(delivered_at__isnull=True).count() >= 6
    assert services.notifications_deliver(batch=2) >= 6
    assert not Notification.objects.filter(delivered_at__isnull=True).exists()
