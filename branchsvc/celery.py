import os
from importlib import import_module

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branchsvc.settings")

app = Celery("branchsvc")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Packages inside apps that hold tasks of their own.
app.autodiscover_tasks(lambda: ["customers.face"])


@app.on_after_finalize.connect
def _collect_beat_schedules(sender, **kwargs):
    """Each app may declare `beat.py` with SCHEDULE = {name: {"task": ..., "schedule": ...}}."""
    from django.apps import apps

    schedule = dict(sender.conf.beat_schedule or {})
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.beat")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.beat":
                raise
            continue
        schedule.update(module.SCHEDULE)
    sender.conf.beat_schedule = schedule
