"""What the counter does when the queue reports a ticket step (registered in `CounterConfig.ready`).

Kept apart from `counter/services.py`: the queue's `ticket_customer_left` owns the transaction and
the ticket's audit event; this only closes the counter's own record inside it.
"""

from django.utils import timezone
from django.utils.translation import gettext

from compliance.audit import audit_record
from counter.models import Outcome, RecordStatus, ServiceRecord, StepTiming


def close_record_customer_left(ticket, actor) -> None:
    """The customer walked away: the open service record ends as not done, no receipt."""
    record = (ServiceRecord.objects.select_for_update()
              .filter(ticket=ticket, status=RecordStatus.IN_PROGRESS).select_related("branch").first())
    if record is None:
        return
    now = timezone.now()
    StepTiming.objects.filter(record=record, ended_at__isnull=True).update(ended_at=now)
    record.status, record.outcome, record.finished_at = RecordStatus.FINISHED, Outcome.NOT_DONE, now
    record.outcome_reason = gettext("The customer left during service.")
    record.handling_seconds = int((now - record.started_at).total_seconds())
    record.save(update_fields=["status", "outcome", "finished_at", "outcome_reason",
                               "handling_seconds"])
    audit_record(actor=actor, action="service.customer_left", obj=record, branch=record.branch,
                 customer=record.customer_id, after={"outcome": record.outcome})
