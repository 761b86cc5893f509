"""Celery tasks: thin and idempotent, they call services."""

from celery import shared_task

from branches.calendar_services import calendar_horizon_alert


@shared_task
def check_calendar_horizon() -> bool:
    """Beat, daily: warn head office before the confirmed official calendar runs out."""
    return calendar_horizon_alert()
