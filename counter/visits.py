"""Service lines of a visit, changed in place at the counter (never sent back to the queue).

A visit is the ticket; each line is a ServiceRecord with its own service, form, counter, timers
and outcome. One line is served at a time; lines added wait as `planned` and start, in the order
added, when the line before them is finished (also at another counter after a transfer).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.live import groups, push
from counter import formschema
from counter.models import RecordStatus, ServiceRecord, StepTiming
from counter.services import (
    FormInvalid,
    line_form,
    next_planned_line,
    start_line,
)
from counter.services.common import _audit_service

OPEN = (RecordStatus.PLANNED, RecordStatus.IN_PROGRESS)


def visit_lines(ticket) -> list[ServiceRecord]:
    return list(
        ServiceRecord.objects.filter(ticket=ticket)
        .exclude(status=RecordStatus.REMOVED)
        .select_related("service_type", "counter")
        .order_by("id")
    )


def _locked(record: ServiceRecord) -> ServiceRecord:
    return (
        ServiceRecord.objects.select_for_update(of=("self",))
        .select_related("ticket", "service_type", "counter", "branch")
        .get(pk=record.pk)
    )


def _refuse(message_key: str):
    raise FormInvalid({"service_type": [str(formschema.MESSAGES[message_key])]})


@transaction.atomic
def visit_add_line(*, actor, record: ServiceRecord, service_type) -> ServiceRecord:
    """Add a service to the visit being served (e.g. a deposit, then a card replacement)."""
    record = _locked(record)
    if record.status != RecordStatus.IN_PROGRESS:
        _refuse("already_finished")
    if not service_type.is_active:
        _refuse("bad_choice")
    line = ServiceRecord.objects.create(
        ticket=record.ticket,
        branch=record.branch,
        counter=record.counter,
        teller=actor,
        customer=record.customer,
        service_type=service_type,
        status=RecordStatus.PLANNED,
        **line_form(record.ticket, service_type),
    )
    _audit_service(
        line,
        actor=actor,
        action="visit.line_added",
        after={"ticket": record.ticket.number, "service": service_type.code},
    )
    _push(line)
    return line


@transaction.atomic
def visit_change_line(*, actor, record: ServiceRecord, service_type) -> ServiceRecord:
    """The customer needs another service than the one the line was opened for: change it in place.
    The line keeps its counter and timer; the new service brings its own form (if the customer
    filled one), and the signature and agent given for the old service go."""
    record = _locked(record)
    if record.status not in OPEN:
        _refuse("already_finished")
    if not service_type.is_active or service_type == record.service_type:
        _refuse("bad_choice")
    before = record.service_type.code
    for name, value in line_form(record.ticket, service_type).items():
        setattr(record, name, value)
    record.service_type = service_type
    record.signature_requested, record.signature_png, record.signature_sha256 = False, None, ""
    record.agent_name = record.agent_id_number = record.agent_relationship = ""
    record.save(
        update_fields=[
            "service_type",
            "form",
            "had_prefilled_form",
            "form_as_filled",
            "signature_requested",
            "signature_png",
            "signature_sha256",
            "agent_name",
            "agent_id_number",
            "agent_relationship",
        ]
    )
    _audit_service(
        record,
        actor=actor,
        action="visit.line_changed",
        before={"service": before},
        after={"service": service_type.code},
    )
    _push(record)
    return record


@transaction.atomic
def visit_remove_line(*, actor, record: ServiceRecord) -> ServiceRecord:
    """Drop a line the customer no longer needs. The line being served may go only when another
    line follows (it then starts); the visit's last line is finished as not done instead."""
    record = _locked(record)
    if record.status not in OPEN:
        _refuse("already_finished")
    following = next_planned_line(record.ticket) if record.status == RecordStatus.IN_PROGRESS else None
    if record.status == RecordStatus.IN_PROGRESS and following is None:
        _refuse("last_line")
    now = timezone.now()
    StepTiming.objects.filter(record=record, ended_at__isnull=True).update(ended_at=now)
    record.status, record.finished_at = RecordStatus.REMOVED, now
    record.save(update_fields=["status", "finished_at"])
    _audit_service(
        record, actor=actor, action="visit.line_removed", after={"service": record.service_type.code}
    )
    if following is not None:
        start_line(actor=actor, record=following, counter=record.counter)
    _push(record)
    return record


def _push(record: ServiceRecord) -> None:
    push(groups.counter(record.counter_id), "form.changed", {"line": record.pk})
