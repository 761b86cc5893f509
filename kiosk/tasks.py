from celery import shared_task

from kiosk.services import devices_mark_silent


@shared_task
def scan_silent_devices() -> None:
    """Beat: kiosks and VTMs that stopped sending heartbeats go offline on the dashboard."""
    devices_mark_silent()
