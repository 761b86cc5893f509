from celery import shared_task

from compliance.checkpoints import audit_checkpoint


@shared_task(name="compliance.audit_checkpoint")
def write_audit_checkpoint() -> None:
    audit_checkpoint()
