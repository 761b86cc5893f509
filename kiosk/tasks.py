from celery import shared_task

from kiosk.recording import recordings_delete_expired
from kiosk.services import devices_mark_silent


@shared_task
def scan_silent_devices() -> None:
    """Beat: kiosks and VTMs that stopped sending heartbeats go offline on the dashboard."""
    devices_mark_silent()


@shared_task
def delete_expired_recordings() -> int:
    """Beat (daily): dual recordings past their retention date go, unless under legal hold."""
    return len(recordings_delete_expired())
