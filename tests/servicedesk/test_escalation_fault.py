"""Fault test: a real worker on Redis dies while escalating; after a restart every breach is
escalated exactly once (acks_late + the unique escalation rows)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import time_machine
from django.conf import settings
from django.db import connection

from branchsvc.celery import app as celery_app
from compliance.models import AuditEvent
from servicedesk import services
from servicedesk.models import Category, Channel, Escalation, Notification, WorkOrderKind
from tests.servicedesk.conftest import at

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("fault_worker.py")
QUEUE = "servicedesk-fault-test"
ORDERS = 6
# Per breached request: first response warning + department head; resolution warning + three levels.
PER_ORDER = 6
DEADLINE = 55.0


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(log: Path, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _database_url(), "SD_QUEUE": QUEUE, **env},
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so the kill takes the pool child too
    )


def _kill(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def _wait_for(condition, deadline: float) -> bool:
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_escalation_escalates_each_breach_exactly_once(
    require_service, tmp_path, branch, teller, fx_staff, fx_head, branch_admin, head_office_admin
):
    require_service("postgres")
    require_service("redis")
    broker = redis.Redis.from_url(settings.REDIS_URL)
    broker.delete(QUEUE, "unacked", "unacked_index")
    with time_machine.travel(at("2026-03-02T09:00"), tick=False):
        for _ in range(ORDERS):
            services.work_order_create(
                actor=teller,
                kind=WorkOrderKind.REQUEST,
                channel=Channel.STAFF,
                branch=branch,
                description="客户汇款未到账，请协查",
                category=Category.objects.get(code="fx.remit.not_arrived"),
            )
    expected = ORDERS * PER_ORDER
    deadline = time.monotonic() + DEADLINE

    log = tmp_path / "worker.log"
    worker = _start_worker(log, SD_FAULT_PAUSE="0.5")
    try:
        celery_app.send_task("servicedesk.tasks.sla_scan", queue=QUEUE)
        started = _wait_for(lambda: Escalation.objects.count() >= 3, deadline)
        assert started, "the worker never escalated:\n" + log.read_text()[-3000:]
    finally:
        _kill(worker)
    done_when_killed = Escalation.objects.count()
    assert 0 < done_when_killed < expected

    restarted = _start_worker(log)
    try:
        finished = _wait_for(lambda: Escalation.objects.count() >= expected, deadline)
    finally:
        _kill(restarted)
    assert finished, f"{Escalation.objects.count()} of {expected} escalations:\n" + log.read_text()[-3000:]
    assert Escalation.objects.count() == expected
    assert AuditEvent.objects.filter(action="work_order.escalate").count() == expected
    assert Notification.objects.filter(user=fx_head, escalation__isnull=False).count() == ORDERS * 2
    assert Notification.objects.filter(user=head_office_admin).count() == ORDERS
