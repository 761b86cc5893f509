"""Celery tasks: thin, idempotent, safe to retry (the services hold the guards)."""

from celery import shared_task

from servicedesk import services

# acks_late + reject_on_worker_lost: a worker that dies mid-scan leaves the message on the broker,
# so another worker runs the scan again; the unique escalation rows make the rerun harmless.
RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(name="servicedesk.tasks.sla_scan", **RELIABLE)
def sla_scan() -> int:
    created = services.sla_scan()
    services.notifications_deliver()
    services.surveys_send_pending()
    return created


@shared_task(name="servicedesk.tasks.deliver_notifications", **RELIABLE)
def deliver_notifications() -> int:
    return services.notifications_deliver_queued()


@shared_task(name="servicedesk.tasks.send_survey", **RELIABLE)
def send_survey(survey_id: int) -> bool:
    return services.survey_send(survey_id=survey_id)


@shared_task(name="servicedesk.tasks.notify_customer_update")
def notify_customer_update(update_id: int) -> None:
    services.customer_update_send(update_id=update_id)


@shared_task(name="servicedesk.tasks.retrain_classifier", **RELIABLE)
def retrain_classifier() -> int:
    return services.classifier_retrain().pk
