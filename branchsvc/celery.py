import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branchsvc.settings")

app = Celery("branchsvc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Packages inside apps that hold tasks of their own.
app.autodiscover_tasks(lambda: ["customers.face"])


def _add_worker_heartbeat():
    from core.worker_heartbeat import WorkerHeartbeat

    app.steps["worker"].add(WorkerHeartbeat)


_add_worker_heartbeat()


@app.on_after_finalize.connect
def _collect_beat_schedules(sender, **kwargs):
    """Each app may declare `beat.py` with SCHEDULE = {name: {"task": ..., "schedule": ...}}."""
    from core.apps_registry import project_modules

    schedule = dict(sender.conf.beat_schedule or {})
    for module in project_modules("beat"):
        schedule.update(getattr(module, "SCHEDULE", {}))
    sender.conf.beat_schedule = schedule


@worker_process_init.connect
def _forget_inherited_connection_pools(**kwargs):
    """A prefork child inherits the parent's PostgreSQL pool, whose sockets the parent still uses
    and whose maintenance threads did not survive the fork: drop it (without closing the parent's
    connections) so the child opens a pool of its own on first use."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    DatabaseWrapper._connection_pools.clear()
