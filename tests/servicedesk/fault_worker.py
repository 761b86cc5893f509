"""A real Celery worker for the escalation fault test (run as a subprocess, never imported by pytest).

With SD_FAULT_PAUSE set, every escalation lingers inside its work order's transaction, so the
test can kill the worker in the middle of escalating. SD_VISIBILITY_TIMEOUT shortens how long
Redis keeps an unacknowledged message before another worker may take it.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branchsvc.settings")

import django  # noqa: E402

django.setup()

from celery.signals import worker_init  # noqa: E402

from branchsvc.celery import app  # noqa: E402
from customers.face.tasks import check_models_on_worker_start  # noqa: E402
from servicedesk.services import escalation  # noqa: E402

# This worker runs no face tasks; skipping the face-model check saves seconds of start-up.
worker_init.disconnect(check_models_on_worker_start)

pause = float(os.environ.get("SD_FAULT_PAUSE", "0"))
if pause:
    escalate = escalation._escalate

    def lingering_escalate(**kwargs):
        escalation = escalate(**kwargs)
        time.sleep(pause)
        return escalation

    escalation._escalate = lingering_escalate

app.conf.broker_transport_options = {
    "visibility_timeout": float(os.environ.get("SD_VISIBILITY_TIMEOUT", "4")),
    # Look for abandoned messages every second (kombu's default: about every 100 s), or a worker
    # restarted inside the visibility timeout never gets the killed task back in time.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
app.worker_main(
    [
        "worker",
        "--pool=prefork",
        "--concurrency=1",
        "--loglevel=" + os.environ.get("SD_LOGLEVEL", "WARNING"),
        "-Q",
        os.environ["SD_QUEUE"],
        "--without-mingle",
        "--without-gossip",
        "--without-heartbeat",
        "-n",
        f"sdfault{os.getpid()}@%h",
    ]
)
