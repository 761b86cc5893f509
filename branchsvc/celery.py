import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branchsvc.settings")

app = Celery("branchsvc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Packages inside apps that hold tasks of their own.
app.autodiscover_tasks(lambda: ["customers.face"])


def _add_worker_heartbeat():
    from branchsvc.heartbeat import WorkerHeartbeat

    app.steps["worker"].add(WorkerHeartbeat)


_add_worker_heartbeat()


@app.on_after_finalize.connect
def _collect_beat_schedules(sender, **kwargs):
    """Each app may declare `beat.py` with SCHEDULE = {name: {"task": ..., "schedule": ...}}."""
    from branchsvc.apps_registry import project_modules

    schedule = dict(sender.conf.beat_schedule or {})
    for module in project_modules("beat"):
        schedule.update(getattr(module, "SCHEDULE", {}))
    sender.conf.beat_schedule = schedule
