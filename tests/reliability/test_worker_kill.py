"""Fault test: a real Celery worker on Redis dies in the middle of sending an appointment reminder
(the SMS gateway has not answered yet); after a restart every reminder has been sent exactly once
(acks_late redelivers the task; the reminder's sent time commits with the send)."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from appointments.models import Appointment
from appointments.services import appointment_book
from branchsvc.celery import app as celery_app
from tests.appointments.conftest import (  # noqa: F401 (fixtures)
    appt_branch,
    at,
    deposit,
    frozen,
)
from tests.factories import make_customer_user

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("reminder_worker.py")
QUEUE = "reminder-fault-test"
CUSTOMERS = 3
DEADLINE = 60.0  # s: the whole test


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(tmp_path: Path, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER)], cwd=ROOT, start_new_session=True,  # kill takes the pool too
        env={**os.environ, "DATABASE_URL": _database_url(), "REMINDER_QUEUE": QUEUE,
             "SMS_BACKEND": "__main__.FileSMSGateway", "NOTIFICATION_BACKENDS": "sms",
             "REMINDER_ATTEMPTS": str(tmp_path / "attempts"), "REMINDER_OUTBOX": str(tmp_path / "outbox"),
             **env},
        stdout=(tmp_path / "worker.log").open("a"), stderr=subprocess.STDOUT)


def _kill(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def _wait_for(condition, deadline: float) -> bool:
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)  # polling a file the worker writes
    return False


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_still_sends_each_reminder_exactly_once(
        require_service, tmp_path, appt_branch, deposit, frozen):  # noqa: F811
    require_service("postgres")
    require_service("redis")
    broker = redis.Redis.from_url(settings.REDIS_URL)
    broker.delete(QUEUE, "unacked", "unacked_index")
    phones = [f"1391234{n:04d}" for n in range(CUSTOMERS)]
    appointments = [appointment_book(actor=user, customer=user.customer, branch=appt_branch,
                                     service_type=deposit, start=at(hour, day=dt.date(2025, 10, 10)))
                    for hour, user in zip((10, 11, 14), (make_customer_user(branch=appt_branch, phone=phone)
                                             for phone in phones), strict=True)]
    deadline = time.monotonic() + DEADLINE
    attempts, outbox = tmp_path / "attempts", tmp_path / "outbox"

    worker = _start_worker(tmp_path, REMINDER_SEND_PAUSE="30")
    try:
        for appointment in appointments:
            celery_app.send_task("appointments.tasks.send_appointment_reminder",
                                 args=[appointment.pk, "day_before"], queue=QUEUE)
        began = _wait_for(lambda: _lines(attempts), deadline)
        assert began, "the worker never began a send:\n" + (tmp_path / "worker.log").read_text()[-3000:]
    finally:
        _kill(worker)  # while the gateway has not answered
    assert _lines(outbox) == []

    restarted = _start_worker(tmp_path)
    try:
        finished = _wait_for(lambda: len(_lines(outbox)) >= CUSTOMERS, deadline)
        # The same reminder queued again (the beat scan ran twice) must not send again.
        celery_app.send_task("appointments.tasks.send_appointment_reminder",
                             args=[appointments[0].pk, "day_before"], queue=QUEUE)
        broker_empty = _wait_for(lambda: not broker.llen(QUEUE) and not broker.hlen("unacked"),
                                 deadline)
    finally:
        _kill(restarted)
    sent = [line.split("\t")[0] for line in _lines(outbox)]
    assert finished, f"{len(sent)} of {CUSTOMERS} reminders sent:\n" + (
        tmp_path / "worker.log").read_text()[-3000:]
    assert broker_empty
    assert sorted(sent) == sorted(phones), "a reminder was lost or sent twice"
    for appointment in Appointment.objects.filter(pk__in=[a.pk for a in appointments]):
        assert appointment.reminded_day_before_at is not None
        assert appointment.code_display in next(
            line for line in _lines(outbox) if line.startswith(appointment.customer.phone))


@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_reminders_again_after_postgres_restarts(
        require_service, postgres_outage, tmp_path, appt_branch, deposit, frozen):  # noqa: F811
    require_service("redis")
    broker = redis.Redis.from_url(settings.REDIS_URL)
    broker.delete(QUEUE, "unacked", "unacked_index")
    phones = ["13912350000", "13912350001"]
    before, after = [appointment_book(actor=user, customer=user.customer, branch=appt_branch,
                                      service_type=deposit, start=at(hour, day=dt.date(2025, 10, 10)))
                     for hour, user in zip((10, 11), (make_customer_user(branch=appt_branch, phone=phone)
                                                      for phone in phones), strict=True)]
    deadline = time.monotonic() + DEADLINE
    outbox = tmp_path / "outbox"

    worker = _start_worker(tmp_path)
    try:
        celery_app.send_task("appointments.tasks.send_appointment_reminder",
                             args=[before.pk, "day_before"], queue=QUEUE)
        first = _wait_for(lambda: len(_lines(outbox)) == 1, deadline)
        postgres_outage()  # the worker's database connections die with the server
        # ... and this process's: its pool may also hold connections of threads earlier tests
        # left behind, so the audit check after the test starts from a new pool.
        postgres_outage.forget_dead_connections(pools=True)
        celery_app.send_task("appointments.tasks.send_appointment_reminder",
                             args=[after.pk, "day_before"], queue=QUEUE)
        second = _wait_for(lambda: len(_lines(outbox)) == 2, deadline)
    finally:
        _kill(worker)
    log = (tmp_path / "worker.log").read_text()[-3000:]
    assert first, "the worker sent nothing before the restart:\n" + log
    assert second, "the worker sent nothing after the restart:\n" + log
    assert [line.split("\t")[0] for line in _lines(outbox)] == phones
