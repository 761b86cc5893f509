"""A real Celery worker for the reminder fault test (run as a subprocess, never imported by pytest).

Its SMS gateway (SMS_BACKEND=__main__.FileSMSGateway) writes a line to REMINDER_ATTEMPTS when a
send begins and one to REMINDER_OUTBOX when the gateway has accepted the message; with
REMINDER_SEND_PAUSE the gateway answers that many seconds late, so the test can kill the worker
in the middle of a send. REMINDER_VISIBILITY_TIMEOUT shortens how long Redis keeps an
unacknowledged message before another worker may take it (in production it is the broker's
default, an hour: a reminder is due hours ahead, and an hour late is still in time for most).
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

# This worker runs no face tasks; skipping the face-model check saves seconds of start-up.
worker_init.disconnect(check_models_on_worker_start)

PAUSE = float(os.environ.get("REMINDER_SEND_PAUSE", "0"))


class FileSMSGateway:
    def send(self, to: str, body: str) -> None:
        with open(os.environ["REMINDER_ATTEMPTS"], "a") as attempts:
            attempts.write(f"{to}\n")
        time.sleep(PAUSE)  # the gateway's answer, late
        with open(os.environ["REMINDER_OUTBOX"], "a") as outbox:
            outbox.write(f"{to}\t{' '.join(body.split())}\n")


if __name__ == "__main__":
    app.conf.broker_transport_options = {
        "visibility_timeout": float(os.environ.get("REMINDER_VISIBILITY_TIMEOUT", "4")),
        # Look for abandoned messages every second (kombu's default: about every 100 s).
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    app.worker_main(["worker", "--pool=prefork", "--concurrency=1", "--loglevel=WARNING",
                     "-Q", os.environ["REMINDER_QUEUE"], "--without-mingle", "--without-gossip",
                     "--without-heartbeat", "-n", f"reminderfault{os.getpid()}@%h"])
