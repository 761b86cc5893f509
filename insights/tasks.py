from celery import shared_task

from insights import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def rollup_recent(days: int = 2) -> None:
    # Yesterday is recomputed too: late closes and no-show marking land after midnight.
    services.rollup_recent(days=days)
