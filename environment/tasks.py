from celery import shared_task

from environment.services import sensors_mark_silent


@shared_task
def scan_silent_sensors() -> None:
    """Beat: sensors that stopped reporting raise an alert on their branch's dashboard."""
    sensors_mark_silent()
