from celery import shared_task

from quality.services import corrective_actions_escalate


@shared_task
def escalate_overdue_actions() -> int:
    """Beat: corrective actions past their deadline are escalated once."""
    return corrective_actions_escalate()
