"""Thin tasks: load by id, call the service. acks_late + reject_on_worker_lost: a worker killed
mid-send leaves the message on the broker, and the idempotency key makes the resend harmless."""

from celery import shared_task

from continuity import services
from continuity.ledger_review import ledger_overdue_watch

RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(name="continuity.tasks.send_core_request", bind=True, max_retries=None, **RELIABLE)
def send_core_request(self, request_id: int) -> str:
    attempt = services.core_request_attempt(request_id=request_id)
    if attempt.outcome == "retry":
        raise self.retry(countdown=attempt.retry_in)
    return attempt.outcome


@shared_task(name="continuity.tasks.inform_customer", **RELIABLE)
def inform_customer(case_id: int, step: str) -> bool:
    return services.fraud_customer_inform(case_id=case_id, step=step)


@shared_task(name="continuity.tasks.watch_clocks", **RELIABLE)
def watch_clocks() -> int:
    return services.fraud_clocks_watch()


@shared_task(name="continuity.tasks.watch_ledger", **RELIABLE)
def watch_ledger() -> int:
    return ledger_overdue_watch()
