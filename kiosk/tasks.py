from celery import shared_task

from kiosk.recording import recordings_delete_expired, recordings_finish_abandoned
from kiosk.services import devices_mark_silent


@shared_task
def scan_silent_devices() -> None:
    """Beat: kiosks and VTMs that stopped sending heartbeats go offline on the dashboard."""
    devices_mark_silent()


@shared_task
def delete_expired_recordings() -> int:
    """Beat (daily): dual recordings past their retention date go, unless under legal hold."""
    return len(recordings_delete_expired())


@shared_task
def finish_abandoned_recordings() -> int:
    """Beat (every 15 minutes): recordings whose teller console vanished mid-call are stored."""
    return len(recordings_finish_abandoned())
