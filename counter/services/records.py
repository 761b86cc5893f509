"""Service records at the counter: begin, lines, steps, exceptions, signature, agent, overrides."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from compliance.audit import audit_record
from core.live import groups, push
from counter import (
    formschema,
    identity,
    images,
    playbook,
    verification,
)
from counter.models import (
    AgentRelationship,
    ExceptionKind,
    FieldVerification,
    FormSource,
    FormStatus,
    Outcome,
    PrefilledForm,
    RecordStatus,
    ServiceRecord,
    Step,
    StepTiming,
    VerificationOutcome,
)
from counter.services.common import FormInvalid, _audit_service, _dumps
from counter.services.forms import _form_for_ticket, form_start


@transaction.atomic
def service_start(*, actor, ticket, counter) -> ServiceRecord:
    """The called customer is at the counter: the ticket is being served and its record opens."""
    from queueing import services as queueing

    ticket = queueing.ticket_start_serving(actor=actor, ticket=ticket)
    return record_begin(actor=actor, ticket=ticket, counter=counter)


@transaction.atomic
def service_transfer(*, actor, ticket, note: str = "", queue: str = "", counter=None):
    """Send the customer on (another queue, counter or colleague); an open record ends as referred."""
    from queueing import services as queueing

    record = (
        ServiceRecord.objects.select_for_update()
        .filter(ticket=ticket, status=RecordStatus.IN_PROGRESS)
        .first()
    )
    ticket = queueing.ticket_transfer(actor=actor, ticket=ticket, queue=queue, counter=counter, note=note)
    if record is not None:
        now = timezone.now()
        StepTiming.objects.filter(record=record, ended_at__isnull=True).update(ended_at=now)
        record.status, record.outcome, record.finished_at = RecordStatus.FINISHED, Outcome.REFERRED, now
        record.referred_to = (counter.code if counter else queue) + (f": {note}" if note else "")
        record.handling_seconds = int((now - record.started_at).total_seconds())
        record.save(update_fields=["status", "outcome", "finished_at", "referred_to", "handling_seconds"])
        _audit_service(
            record, actor=actor, action="service.transfer", after={"referred_to": record.referred_to}
        )
    return ticket


@transaction.atomic
def record_begin(*, actor, ticket, counter) -> ServiceRecord:
    """Open the service record for a ticket now served; a parked ticket's record continues."""
    record = (
        ServiceRecord.objects.select_for_update()
        .filter(ticket=ticket, status=RecordStatus.IN_PROGRESS)
        .first()
    )
    if record is not None:
        if (record.teller_id, record.counter_id) != (actor.pk, counter.pk):
            record.teller, record.counter = actor, counter
            record.save(update_fields=["teller", "counter"])
        return record
    planned = next_planned_line(ticket)
    if planned is not None:  # lines added before a transfer travel with the visit
        return start_line(actor=actor, record=planned, counter=counter)
    now = timezone.now()
    record = ServiceRecord.objects.create(
        ticket=ticket,
        branch=ticket.branch,
        counter=counter,
        teller=actor,
        customer=ticket.customer,
        service_type=ticket.service_type,
        started_at=now,
        **line_form(ticket, ticket.service_type),
    )
    StepTiming.objects.create(record=record, step=Step.IDENTIFY, started_at=now)
    audit_record(
        actor=actor,
        action="service.begin",
        obj=record,
        branch=ticket.branch,
        customer=ticket.customer_id,
        after={
            "ticket": ticket.number,
            "counter": counter.code,
            "prefilled_form": str(record.form.public_id) if record.form else None,
        },
    )
    return record


def line_form(ticket, service_type) -> dict:
    """The form a service line starts with (linked to the visit's ticket), as record fields."""
    form = _form_for_ticket(ticket, service_type)
    if form is not None and form.ticket_id is None:
        form.ticket, form.branch = ticket, ticket.branch
        form.save(update_fields=["ticket", "branch"])
    return {
        "form": form,
        "had_prefilled_form": form is not None and form.status == FormStatus.SUBMITTED,
        "form_as_filled": _dumps(form.submitted_values or form.values) if form else "",
    }


def next_planned_line(ticket) -> ServiceRecord | None:
    return ServiceRecord.objects.filter(ticket=ticket, status=RecordStatus.PLANNED).order_by("id").first()


def start_line(*, actor, record: ServiceRecord, counter) -> ServiceRecord:
    """The next service line of the visit starts now, at this counter, with its own timers."""
    now = timezone.now()
    record.status, record.started_at, record.teller, record.counter = (
        RecordStatus.IN_PROGRESS, now, actor, counter
    )
    record.save(update_fields=["status", "started_at", "teller", "counter"])
    StepTiming.objects.create(record=record, step=Step.IDENTIFY, started_at=now)
    _audit_service(record, actor=actor, action="service.line_started",
                   after={"service": record.service_type.code, "counter": counter.code})
    return record


@transaction.atomic
def record_start_form(*, actor, record: ServiceRecord) -> PrefilledForm:
    """No pre-filled copy: the teller fills the form at the counter (the way it was done before)."""
    record = ServiceRecord.objects.select_for_update(of=("self",)).select_related("ticket").get(pk=record.pk)
    if record.form_id is not None:
        return record.form
    form = form_start(
        actor=actor, service_type=record.service_type, source=FormSource.TELLER, ticket=record.ticket
    )
    record.form = form
    record.save(update_fields=["form"])
    return form


@transaction.atomic
def record_step(*, actor, record: ServiceRecord, step: str) -> ServiceRecord:
    """Move to a standard step; the current step's time ends now."""
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    if step not in Step.values or record.status != RecordStatus.IN_PROGRESS:
        raise FormInvalid({"step": [str(formschema.MESSAGES["bad_step"])]})
    now = timezone.now()
    StepTiming.objects.filter(record=record, ended_at__isnull=True).update(ended_at=now)
    StepTiming.objects.get_or_create(record=record, step=step, defaults={"started_at": now})
    record.current_step = step
    record.save(update_fields=["current_step"])
    _audit_service(record, actor=actor, action="service.step", after={"step": step})
    return record


@transaction.atomic
def record_exception(
    *, actor, record: ServiceRecord, kind: str, action: str, note: str = ""
) -> ServiceRecord:
    """Note an exception (expired ID, mismatch, missing document) and what the teller did about it."""
    if kind not in ExceptionKind.values or action not in playbook.ACTIONS:
        raise FormInvalid({"kind": [str(formschema.MESSAGES["bad_exception"])]})
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    entry = {"kind": kind, "action": action, "note": note[:300], "at": timezone.now().isoformat()}
    record.exceptions = [*record.exceptions, entry]
    record.save(update_fields=["exceptions"])
    _audit_service(record, actor=actor, action="service.exception", after=entry)
    return record


@transaction.atomic
def record_request_signature(*, actor, record: ServiceRecord) -> ServiceRecord:
    """Show the signature pad on the customer's ticket page."""
    record = ServiceRecord.objects.select_for_update(of=("self",)).select_related("ticket").get(pk=record.pk)
    if record.status != RecordStatus.IN_PROGRESS:
        raise FormInvalid({"signature": [str(formschema.MESSAGES["already_finished"])]})
    record.signature_requested = True
    record.save(update_fields=["signature_requested"])
    _audit_service(record, actor=actor, action="service.signature_requested")
    # The customer's ticket pages switch to the signing view (the link is the ticket's counter page).
    token = record.ticket.public_token
    push(
        groups.ticket(token),
        "counter.signature_requested",
        {"url": reverse("counter:ticket-home", args=[token])},
    )
    return record


@transaction.atomic
def record_sign(*, actor, record: ServiceRecord, data_url: str) -> ServiceRecord:
    """Store the customer's signature (PNG from the pad); its SHA-256 goes to the audit trail."""
    try:
        checked = images.check_signature(data_url)
    except images.ImageProblem as problem:
        raise FormInvalid({"signature": [problem.message]}) from None
    record = ServiceRecord.objects.select_for_update(of=("self",)).select_related("ticket").get(pk=record.pk)
    if record.status != RecordStatus.IN_PROGRESS:
        raise FormInvalid({"signature": [str(formschema.MESSAGES["already_finished"])]})
    record.signature_png, record.signature_sha256 = checked.data, checked.sha256
    record.save(update_fields=["signature_png", "signature_sha256"])
    _audit_service(
        record,
        actor=actor,
        action="service.signed",
        after={"signature_sha256": checked.sha256, "bytes": len(checked.data)},
    )
    push(groups.counter(record.counter_id), "counter.signed", {"record": record.pk})
    push(groups.ticket(record.ticket.public_token), "counter.signed", {})
    return record


@transaction.atomic
def record_ask_override(*, actor, record: ServiceRecord) -> int:
    """The teller cannot check some pre-filled fields: the branch's lobby managers and admins get a
    toast linking to the service record, where they may override. Returns how many were asked."""
    from branches.models import StaffProfile
    from counter.access import SUPERVISOR_ROLES

    record = ServiceRecord.objects.select_related("ticket", "counter", "form").get(pk=record.pk)
    pending = verification.pending_fields(record)
    if record.status != RecordStatus.IN_PROGRESS or not pending:
        raise FormInvalid({"reason": [str(formschema.MESSAGES["nothing_to_override"])]})
    supervisors = StaffProfile.objects.filter(branch=record.branch_id, role__in=SUPERVISOR_ROLES)
    text = str(formschema.MESSAGES["override_asked"]) % {
        "ticket": record.ticket.number, "counter": record.counter.name, "count": len(pending)
    }
    url = reverse("counter:record-detail", args=[record.pk])
    user_ids = list(supervisors.values_list("user_id", flat=True))
    for user_id in user_ids:
        push(groups.user(user_id), "toast", {"text": text, "url": url})
    _audit_service(record, actor=actor, action="service.override_asked", after={"fields": pending})
    return len(user_ids)


@transaction.atomic
def record_override_verification(*, actor, record: ServiceRecord, reason: str) -> ServiceRecord:
    """A supervisor lets the service finish although some pre-filled fields were not checked.

    Each open field is marked overridden (by whom, why); the receipt and the KPIs say so."""
    from branches.access import user_role
    from counter.access import SUPERVISOR_ROLES

    if user_role(actor) not in SUPERVISOR_ROLES:
        raise PermissionDenied
    locked = ServiceRecord.objects.select_for_update(of=("self",)).select_related("form", "ticket")
    record = locked.get(pk=record.pk)
    if record.status != RecordStatus.IN_PROGRESS:
        raise FormInvalid({"reason": [str(formschema.MESSAGES["already_finished"])]})
    if not reason.strip():
        raise FormInvalid({"reason": [str(formschema.MESSAGES["required"])]})
    pending = verification.pending_fields(record)
    if not pending:
        raise FormInvalid({"reason": [str(formschema.MESSAGES["nothing_to_override"])]})
    values = record.form.values
    for name in pending:
        FieldVerification.objects.create(
            form=record.form,
            field_name=name,
            outcome=VerificationOutcome.OVERRIDDEN,
            by=actor,
            old_value=_dumps({"v": values.get(name)}),
            new_value=_dumps({"v": values.get(name)}),
            reason=reason.strip()[:300],
        )
    _audit_service(
        record,
        actor=actor,
        action="service.verification_override",
        after={"fields": pending, "reason": reason.strip()[:300], "teller": record.teller_id},
    )
    push(groups.counter(record.counter_id), "form.changed", {"form": str(record.form.public_id)})
    return record


@transaction.atomic
def record_agent(
    *, actor, record: ServiceRecord, name: str, id_number: str, relationship: str
) -> ServiceRecord:
    """The person at the counter acts for the form's holder (代办): their own name, ID and relationship."""
    record = ServiceRecord.objects.select_for_update(of=("self",)).select_related("form").get(pk=record.pk)
    errors = _agent_errors(record, name, id_number, relationship)
    if errors:
        raise FormInvalid(errors)
    record.agent_name = " ".join(name.split())
    record.agent_id_number = id_number.strip().upper()
    record.agent_relationship = relationship
    record.save(update_fields=["agent_name", "agent_id_number", "agent_relationship"])
    _audit_service(
        record,
        actor=actor,
        action="service.agent",
        after={
            "agent_name": record.masked_agent_name,
            "agent_id_number": record.masked_agent_id_number,
            "relationship": relationship,
        },
    )
    return record


def _agent_errors(record: ServiceRecord, name: str, id_number: str, relationship: str) -> dict:
    from customers.validators import validate_resident_id

    errors: dict[str, list[str]] = {}
    if record.status != RecordStatus.IN_PROGRESS:
        return {"agent_name": [str(formschema.MESSAGES["already_finished"])]}
    if not name.strip():
        errors["agent_name"] = [str(formschema.MESSAGES["required"])]
    if relationship not in AgentRelationship.values:
        errors["agent_relationship"] = [str(formschema.MESSAGES["bad_choice"])]
    try:
        validate_resident_id(id_number.strip().upper())
    except ValidationError as problem:
        errors["agent_id_number"] = problem.messages
    else:
        if id_number.strip().upper() == identity.form_identity(record.form)[1]:
            errors["agent_id_number"] = [str(formschema.MESSAGES["agent_is_holder"])]
    return errors
