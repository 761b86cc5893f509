from celery import shared_task


@shared_task(acks_late=True, reject_on_worker_lost=True)
def receipt_send(receipt_id: int) -> None:
    from counter.services import receipt_notify

    receipt_notify(receipt_id=receipt_id)
