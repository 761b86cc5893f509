"""Celery workers say they are alive, so readiness can tell when none is.

Every running worker (the embedded profile's in-process worker too) writes the time to the cache
every WORKER_HEARTBEAT_SECONDS from its own timer; `/readyz` fails when the newest heartbeat is
older than WORKER_HEARTBEAT_MAX_AGE, because then nothing sends reminders, marks no-shows or
escalates work orders.
"""

import logging
import time

from celery import bootsteps
from django.conf import settings
from django.core.cache import cache

log = logging.getLogger("branchsvc.worker_heartbeat")
KEY = "celery:worker-heartbeat"


class NoRecentWorkerHeartbeat(Exception):
    pass


def worker_heartbeat_write() -> None:
    try:
        cache.set(KEY, time.time(), timeout=None)
    except Exception:  # noqa: BLE001 - a missed beat shows in readiness, not as a worker crash
        log.exception("worker heartbeat not written")


def check_worker_heartbeat() -> None:
    beat = cache.get(KEY)
    if beat is None or time.time() - beat > settings.WORKER_HEARTBEAT_MAX_AGE:
        raise NoRecentWorkerHeartbeat


class WorkerHeartbeat(bootsteps.StartStopStep):
    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.beating = None

    def start(self, worker):
        worker_heartbeat_write()
        self.beating = worker.timer.call_repeatedly(settings.WORKER_HEARTBEAT_SECONDS,
                                                    worker_heartbeat_write)

    def stop(self, worker):
        if self.beating is not None:
            self.beating.cancel()
