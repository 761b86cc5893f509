"""Celery tasks: thin and idempotent, they call services."""

from celery import shared_task

from core.notifications import notify
from knowledge import services


@shared_task
def publish_scheduled() -> int:
    """Beat: publish approved versions whose publishing time has come."""
    return services.version_publish_due()


@shared_task
def scan_review_clock() -> dict:
    """Beat: warn before and escalate after a review's 24-hour clock runs out."""
    return services.review_clock_scan()


@shared_task
def scan_periodic_reviews() -> int:
    """Beat: remind the owners of articles whose periodic review date is near."""
    return services.periodic_review_scan()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_staff_email(recipients: list[str], subject: str, body: str) -> None:
    for to in recipients:
        notify(channel="email", to=to, subject=subject, body=body)
