"""Celery tasks: thin and idempotent, they load by id and call services."""

from celery import shared_task

from appointments import services


@shared_task
def scan_reminders() -> int:
    """Beat: queue each reminder whose time has come. Queuing one twice sends it once."""
    due = services.reminders_due()
    for appointment_id, kind in due:
        send_appointment_reminder.delay(appointment_id, kind)
    return len(due)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_appointment_reminder(appointment_id: int, kind: str) -> bool:
    return services.appointment_remind(appointment_id=appointment_id, kind=kind)


@shared_task
def mark_no_shows() -> int:
    return services.appointment_mark_no_shows()
