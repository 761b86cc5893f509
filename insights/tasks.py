from celery import shared_task

from insights import roster_services, services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def rollup_recent(days: int = 2) -> None:
    # Yesterday is recomputed too: late closes and no-show marking land after midnight.
    services.rollup_recent(days=days)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def check_tomorrow_rosters() -> int:
    return roster_services.roster_check_tomorrow()
