"""Every write of the counter app: pre-filled forms, their verification, service records, receipts."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from branchsvc.live import groups, push
from compliance.audit import audit_record
from compliance.checks import CheckResult, Facts, blocking, run_checks
from counter import (
    forms_ui,
    formschema,
    hooks,
    identity,
    images,
    ocr,
    playbook,
    receipts,
    surveys,
    tasks,
    verification,
)
from counter.models import (
    AgentRelationship,
    ExceptionKind,
    FieldVerification,
    FormAttachment,
    FormSource,
    FormStatus,
    Outcome,
    PrefilledForm,
    Receipt,
    RecordStatus,
    ServiceRecord,
    Step,
    StepTiming,
    VerificationOutcome,
)
from counter.receipt_pdf import render_pdf


class FormInvalid(Exception):
    """Bad input for a form: `errors` maps field name to translated messages; nothing was changed."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("form invalid")
        self.errors = errors


def _dumps(values: dict) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True)


def _branch_of(form: PrefilledForm):
    return form.branch or (form.ticket.branch if form.ticket_id else None)


def latest_schema(service_type):
    from branches.models import FormSchema

    schema = FormSchema.objects.filter(service_type=service_type).order_by("-version").first()
    if schema is None:
        raise FormInvalid({"service_type": [str(formschema.MESSAGES["no_schema"])]})
    return schema


@transaction.atomic
def form_start(
    *, actor, service_type, source: FormSource, customer=None, ticket=None, branch=None, device=None
) -> PrefilledForm:
    """A new, empty draft on the service's current schema version."""
    if ticket is not None:
        branch, customer = ticket.branch, customer or ticket.customer
    form = PrefilledForm.objects.create(
        service_type=service_type,
        schema=latest_schema(service_type),
        customer=customer,
        branch=branch,
        ticket=ticket,
        source=source,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="form.start",
        obj=form,
        branch=branch,
        customer=customer,
        device=device,
        after={"service": service_type.code, "schema_version": form.schema.version, "source": source},
    )
    return form


@transaction.atomic
def form_save(*, actor, form: PrefilledForm, values: dict, submit: bool, device=None) -> formschema.Result:
    """Save what was typed as a draft, or submit it.

    A draft keeps everything typed (invalid values too, so nothing is lost) and reports the
    problems; a submission with problems raises FormInvalid and changes nothing."""
    form = PrefilledForm.objects.select_for_update().get(pk=form.pk)
    if form.status != FormStatus.DRAFT:
        raise FormInvalid({"__all__": [str(formschema.MESSAGES["already_submitted"])]})
    merged = {**form.values, **{k: v for k, v in values.items() if v is not None}}
    result = formschema.validate(form.fields, merged, mode="submit" if submit else "draft")
    if submit and not result.ok:
        raise FormInvalid(result.errors_by_field())
    now = timezone.now()
    form.updated_at = now
    if submit:
        form.values_json = form.submitted_json = _dumps(result.cleaned)
        form.status, form.submitted_at = FormStatus.SUBMITTED, now
        form.save(update_fields=["values_json", "submitted_json", "status", "submitted_at", "updated_at"])
    else:
        form.values_json = _dumps({k: v for k, v in merged.items() if not formschema.is_empty(v)})
        form.save(update_fields=["values_json", "updated_at"])
    audit_record(
        actor=actor,
        action="form.submit" if submit else "form.save_draft",
        obj=form,
        branch=_branch_of(form),
        customer=form.customer_id,
        device=device,
        after={
            "fields": sorted(result.cleaned),
            "masked": formschema.masked_values(form.fields, result.cleaned),
        },
    )
    _push_form_changed(form)
    return result


def _audit_service(
    record: ServiceRecord, *, actor, action: str, after: dict | None = None, before: dict | None = None
) -> None:
    audit_record(
        actor=actor, action=action, obj=record, branch=record.branch, customer=record.customer_id,
        before=before, after=after,
    )


def _push_form_changed(form: PrefilledForm) -> None:
    if form.ticket_id and form.ticket.counter_id:
        push(groups.counter(form.ticket.counter_id), "form.changed", {"form": str(form.public_id)})


@transaction.atomic
def form_attach_photo(
    *, actor, form: PrefilledForm, field_name: str, data: bytes, device=None
) -> tuple[FormAttachment, list[ocr.Proposal]]:
    """Store a document photo for a field and return OCR proposals (never saved unconfirmed)."""
    if form.status != FormStatus.DRAFT:
        raise FormInvalid({field_name: [str(formschema.MESSAGES["already_submitted"])]})
    field = next((f for f in formschema.parse(form.fields) if f.name == field_name), None)
    if field is None or field.type != "document_photo":
        raise FormInvalid({field_name: [str(formschema.MESSAGES["unknown_field"])]})
    try:
        checked = images.check_photo(data, max_bytes=formschema.photo_max_bytes(field))
    except images.ImageProblem as problem:
        raise FormInvalid({field_name: [problem.message]}) from None
    attachment = FormAttachment.objects.create(
        form=form,
        field_name=field_name,
        content_type=checked.content_type,
        size=len(data),
        sha256=checked.sha256,
        data=data,
    )
    form = PrefilledForm.objects.select_for_update().get(pk=form.pk)
    values = form.values | {field_name: {"attachment": str(attachment.public_id), "sha256": checked.sha256}}
    form.values_json, form.updated_at = _dumps(values), timezone.now()
    form.save(update_fields=["values_json", "updated_at"])
    audit_record(
        actor=actor,
        action="form.photo_upload",
        obj=form,
        branch=_branch_of(form),
        customer=form.customer_id,
        device=device,
        after={"field": field_name, "sha256": checked.sha256, "bytes": len(data)},
    )
    proposals = []
    if field.spec.get("ocr") and ocr.available():
        proposals = ocr.propose(form.fields, ocr.read_text(data))
    return attachment, proposals


@transaction.atomic
def form_link_ticket(*, actor, form: PrefilledForm, ticket, device=None) -> PrefilledForm:
    """Attach a form (e.g. filled with an appointment) to the ticket it will be served on."""
    form.ticket, form.branch = ticket, ticket.branch
    form.customer = form.customer or ticket.customer
    form.updated_at = timezone.now()
    form.save(update_fields=["ticket", "branch", "customer", "updated_at"])
    audit_record(
        actor=actor,
        action="form.link_ticket",
        obj=form,
        branch=ticket.branch,
        customer=form.customer_id,
        device=device,
        after={"ticket": ticket.number},
    )
    return form


@transaction.atomic
def form_verify_field(
    *, actor, form: PrefilledForm, field_name: str, corrected_value=None
) -> FieldVerification:
    """The teller confirms a field as filled, or corrects it; a correction keeps the old value."""
    form = PrefilledForm.objects.select_for_update().get(pk=form.pk)
    if form.status == FormStatus.VERIFIED:  # the service is finished; its record keeps this copy
        raise FormInvalid({field_name: [str(formschema.MESSAGES["already_finished"])]})
    field = next((f for f in formschema.parse(form.fields) if f.name == field_name), None)
    if field is None:
        raise FormInvalid({field_name: [str(formschema.MESSAGES["unknown_field"])]})
    old = form.values.get(field_name)
    new = old
    if corrected_value is not None and not formschema.is_empty(corrected_value):
        try:
            new = formschema.clean_value(field, corrected_value)
        except formschema.FieldProblem as problem:
            raise FormInvalid({field_name: [problem.error(field_name).message]}) from None
    outcome = VerificationOutcome.CONFIRMED if new == old else VerificationOutcome.CORRECTED
    verification = FieldVerification.objects.create(
        form=form,
        field_name=field_name,
        outcome=outcome,
        by=actor,
        old_value=_dumps({"v": old}),
        new_value=_dumps({"v": new}),
    )
    if outcome == VerificationOutcome.CORRECTED:
        form.values_json, form.updated_at = _dumps(form.values | {field_name: new}), timezone.now()
        form.save(update_fields=["values_json", "updated_at"])
    audit_record(
        actor=actor,
        action=f"form.field_{outcome}",
        obj=form,
        branch=_branch_of(form),
        customer=form.customer_id,
        before={"field": field_name, "value": formschema.mask_value(field, old)},
        after={"field": field_name, "value": formschema.mask_value(field, new)},
    )
    return verification


# --- service records ---------------------------------------------------------------------------


def _form_for_ticket(ticket, service_type=None) -> PrefilledForm | None:
    """The ticket's own form (for this service line's service); else the customer's latest
    submitted form for this service not yet served."""
    service_type = service_type or ticket.service_type
    # not a form an open line of this visit already holds (a transferred line's form travels on)
    held = ServiceRecord.objects.filter(
        ticket=ticket, status__in=(RecordStatus.PLANNED, RecordStatus.IN_PROGRESS), form__isnull=False
    ).values("form_id")
    own = PrefilledForm.objects.filter(ticket=ticket).exclude(status=FormStatus.VERIFIED).exclude(pk__in=held)
    if service_type != ticket.service_type:
        own = own.filter(service_type=service_type)
    form = own.order_by("-updated_at").first()
    if form is None and ticket.customer_id:
        form = (
            PrefilledForm.objects.filter(
                customer_id=ticket.customer_id,
                service_type=service_type,
                status=FormStatus.SUBMITTED,
                ticket__isnull=True,
            )
            .order_by("-submitted_at")
            .first()
        )
    return form


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


def _form_fact(record: ServiceRecord, fact: str):
    """A form field marked `"fact": "<name>"` feeds that compliance fact; without a mark, the
    form's first money field is the amount."""
    if record.form is None:
        return None
    fields = record.form.fields
    marked = [spec for spec in fields if spec.get("fact") == fact]
    if not marked and fact == "amount":
        marked = [spec for spec in fields if spec["type"] == "money"]
    return record.form.values.get(marked[0]["name"]) if marked else None


def compliance_facts(record: ServiceRecord) -> Facts:
    from compliance.services import confirmed_disclosures, confirmed_steps, recording_for

    customer, today = record.customer, timezone.localdate()
    assessment = customer.current_risk_assessment() if customer else None
    # "First assessment in person" speaks of the customer's earliest assessment, not the latest:
    # a renewal done online is fine once the first one was face to face.
    first = customer.risk_assessments.order_by("assessed_on", "id").first() if customer else None
    steps = confirmed_steps(record.ref)
    amount = _form_fact(record, "amount")
    id_expires_on, id_checked = _id_expiry_fact(record)
    recording = recording_for(record.ref)
    return Facts(
        today=today,
        now=timezone.now(),
        customer_risk_level=assessment.level if assessment else None,
        assessment_date=assessment.assessed_on if assessment else None,
        assessment_expires_on=assessment.expires_on if assessment else None,
        first_assessment_in_person=first.in_person if first else None,
        elderly_confirmed="elderly_confirmation" in steps,
        cdd_answered="cdd_questions" in steps,
        customer_age=customer.age if customer else None,
        amount=_decimal_or_none(amount),
        has_appointment=record.ticket.source == "appointment",
        id_expires_on=id_expires_on,
        id_checked=id_checked,
        disclosures_confirmed=confirmed_disclosures(record.ref),
        recording_ref=getattr(recording, "external_id", None),
        recording_seconds=_recording_seconds(recording),
    )


def _id_expiry_fact(record: ServiceRecord) -> tuple[date | None, bool]:
    """The ID's expiry and whether anyone read it: a customer identified with an ID on file, or the
    form's expiry field checked by the teller. A customer's own typing is used but not "read"."""
    customer = record.customer
    on_file = customer is not None and bool(customer.id_number or customer.id_expiry)
    typed = _date_or_none(_form_fact(record, "id_expires_on"))
    if typed is None:
        return (customer.id_expiry if customer else None), on_file
    name = next(s["name"] for s in record.form.fields if s.get("fact") == "id_expires_on")
    checked = verification.field_states(record).get(name) in verification.CHECKED
    return typed, on_file or checked


def _decimal_or_none(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value else None
    except InvalidOperation:  # a draft may still hold what was typed
        return None


def _date_or_none(value) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _recording_seconds(recording) -> int | None:
    if recording is None or not getattr(recording, "ended_at", None):
        return None
    return int((recording.ended_at - recording.started_at).total_seconds())


def compliance_results(record: ServiceRecord) -> list[CheckResult]:
    from compliance.checks import ruleset_for

    service = record.service_type
    config = ruleset_for(branch_code=record.branch.code, service_code=service.code)
    return run_checks(
        service_code=service.code,
        product_risk_level=service.risk_level or None,
        facts=compliance_facts(record),
        config=config,
    )


def compliance_blocks(record: ServiceRecord, results: list[CheckResult]) -> list[CheckResult]:
    from compliance.checks import approved_overrides

    return blocking(results, overridden=approved_overrides(record.ref))


def record_finish(
    *, actor, record: ServiceRecord, outcome: str, reason: str = "", referred_to: str = ""
) -> Receipt | None:
    """Finish the service: compliance blocks and a missing signature stop a 'done'; the form is
    frozen as verified, the ticket is finished, the e-receipt is issued and sent after commit.

    The compliance evaluation is committed first, on its own: a refused finish must still leave
    the block on record (the dashboard counts it, an override request refers to it)."""
    results = _evaluate_for_finish(actor=actor, record=record)
    return _finish(
        actor=actor, record=record, results=results, outcome=outcome, reason=reason, referred_to=referred_to
    )


@transaction.atomic
def _evaluate_for_finish(*, actor, record: ServiceRecord) -> list[CheckResult]:
    from compliance.checks import record_evaluation

    record = ServiceRecord.objects.select_related("ticket", "branch", "service_type", "customer", "form").get(
        pk=record.pk
    )
    results = compliance_results(record)
    record_evaluation(
        actor=actor,
        branch_code=record.branch.code,
        customer_id=record.customer_id,
        service_record_ref=record.ref,
        service_code=record.service_type.code,
        results=results,
    )
    return results


@transaction.atomic
def _finish(
    *, actor, record: ServiceRecord, results: list[CheckResult], outcome: str, reason: str, referred_to: str
) -> Receipt | None:
    from queueing import services as queueing

    record = (
        ServiceRecord.objects.select_for_update(of=("self",))
        .select_related("ticket", "branch", "service_type", "customer", "form", "counter")
        .get(pk=record.pk)
    )
    errors = _finish_errors(record, outcome, reason, referred_to)
    if outcome == Outcome.DONE and not errors:
        errors.update(_unchecked_field_errors(record))
        if identity.check(record).blocks:
            errors["identity"] = [str(formschema.MESSAGES["identity_mismatch"])]
    if outcome == Outcome.DONE and compliance_blocks(record, results):
        errors.setdefault("outcome", []).append(str(formschema.MESSAGES["compliance_block"]))
    if errors:
        raise FormInvalid(errors)
    now = timezone.now()
    _freeze_form(actor=actor, record=record, now=now)
    StepTiming.objects.filter(record=record, ended_at__isnull=True).update(ended_at=now)
    record.status, record.finished_at, record.outcome = RecordStatus.FINISHED, now, outcome
    record.outcome_reason, record.referred_to = reason.strip(), referred_to.strip()
    record.handling_seconds = int((now - record.started_at).total_seconds())
    record.compliance_results = [r.to_dict() for r in results]
    record.save(
        update_fields=[
            "status",
            "finished_at",
            "outcome",
            "outcome_reason",
            "referred_to",
            "handling_seconds",
            "compliance_results",
            "form_as_verified",
            "corrections",
            "fields_overridden",
            "fields_unverified",
        ]
    )
    _open_cooling_off(actor=actor, record=record, results=results, outcome=outcome)
    following = next_planned_line(record.ticket)
    if following is not None:  # the visit goes on at this counter with its next service line
        for callback in hooks.service_finished:
            callback(record)
        _audit_service(record, actor=actor, action="service.finish", after=_finish_audit(record, None))
        start_line(actor=actor, record=following, counter=record.counter)
        push(groups.counter(record.counter_id), "form.changed", {"line": following.pk})
        return None
    queueing.ticket_finish(actor=actor, ticket=record.ticket)
    receipt = _receipt_issue(record=record, now=now)
    surveys.invite(record=record, receipt=receipt)
    for callback in hooks.service_finished:
        callback(record)
    _audit_service(record, actor=actor, action="service.finish", after=_finish_audit(record, receipt))
    push(groups.ticket(record.ticket.public_token), "counter.receipt", {"receipt": receipt.public_token})
    transaction.on_commit(lambda: tasks.receipt_send.delay(receipt.pk))
    return receipt


def _finish_audit(record: ServiceRecord, receipt: Receipt | None) -> dict:
    return {
        "outcome": record.outcome,
        "receipt": receipt.number if receipt else None,
        "handling_seconds": record.handling_seconds,
        "corrections": record.corrections,
        "fields_overridden": record.fields_overridden,
        "fields_unverified": record.fields_unverified,
        "signature_sha256": record.signature_sha256,
        "receipt_pdf_sha256": receipt.pdf_sha256 if receipt else None,
    }


def _open_cooling_off(*, actor, record: ServiceRecord, results: list[CheckResult], outcome: str):
    """A completed wealth sale starts its cooling-off period; the customer may cancel inside it."""
    from compliance.services import cooling_off_open

    rule = next((result for result in results if result.rule == "cooling_off"), None)
    if rule is None or outcome != Outcome.DONE or record.customer_id is None:
        return
    values = record.form.values if record.form else {}
    product = values.get("product_code") or values.get("fund_code") or record.service_type.code
    cooling_off_open(
        actor=actor,
        customer_id=record.customer_id,
        branch_code=record.branch.code,
        service_record_ref=record.ref,
        product_code=product,
        sold_at=record.finished_at,
        hours=int(rule.data.get("hours", 24)),
    )


def _finish_errors(record, outcome, reason, referred_to) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if record.status != RecordStatus.IN_PROGRESS:
        errors["outcome"] = [str(formschema.MESSAGES["already_finished"])]
    elif outcome not in Outcome.values:
        errors["outcome"] = [str(formschema.MESSAGES["bad_choice"])]
    elif outcome == Outcome.NOT_DONE and not reason.strip():
        errors["reason"] = [str(formschema.MESSAGES["required"])]
    elif outcome == Outcome.REFERRED and not referred_to.strip():
        errors["referred_to"] = [str(formschema.MESSAGES["required"])]
    elif outcome == Outcome.DONE and not record.signature_sha256:
        errors["signature"] = [str(formschema.MESSAGES["signature_missing"])]
    return errors


def _unchecked_field_errors(record: ServiceRecord) -> dict[str, list[str]]:
    """A service is not done while a pre-filled field is neither confirmed nor corrected."""
    pending = verification.pending_fields(record)
    if not pending:
        return {}
    labels = verification.field_labels(record, pending, forms_ui.language())
    message = formschema.MESSAGES["fields_unchecked"] % {"count": len(pending), "fields": "、".join(labels)}
    errors = {"verification": [str(message)]}
    errors.update({f"form.{name}": [str(verification.PENDING_MESSAGE)] for name in pending})
    return errors


def _freeze_form(*, actor, record: ServiceRecord, now) -> None:
    tally = verification.counts(verification.field_states(record))
    record.corrections = tally[VerificationOutcome.CORRECTED]
    record.fields_overridden = tally[VerificationOutcome.OVERRIDDEN]
    record.fields_unverified = tally[verification.UNVERIFIED]
    if record.form is None:
        return
    form = record.form
    record.form_as_verified = form.values_json
    if form.status != FormStatus.VERIFIED:
        form.status, form.verified_at, form.verified_by = FormStatus.VERIFIED, now, actor
        form.submitted_at = form.submitted_at or now
        form.save(update_fields=["status", "verified_at", "verified_by", "submitted_at"])


def _receipt_issue(*, record: ServiceRecord, now) -> Receipt:
    number = f"R{now.astimezone(record.branch.tz):%Y%m%d}-{record.branch.code}-{record.pk:06d}"
    content = receipts.receipt_content(record, number=number, language=record.ticket.language)
    pdf = render_pdf(receipts.pdf_content(content, signature_png=record.signature_png))
    return Receipt.objects.create(
        record=record,
        number=number,
        content=content,
        pdf=pdf,
        pdf_sha256=images.sha256_hex(pdf),
        issued_at=now,
    )


@transaction.atomic
def receipt_notify(*, receipt_id: int) -> Receipt:
    """Send the receipt link by SMS and email once (a retried task sends nothing twice)."""
    from branchsvc.notifications import notify

    receipt = (
        Receipt.objects.select_for_update(of=("self",)).select_related("record__customer").get(pk=receipt_id)
    )
    customer = receipt.record.customer
    if receipt.sent_to or customer is None:
        return receipt
    subject, body = receipts.notification_text(receipt, survey=surveys.for_receipt(receipt) is not None)
    sent = []
    for channel, to in (("sms", customer.phone), ("email", customer.email)):
        if to:
            notify(channel=channel, to=to, subject=subject, body=body)
            sent.append(channel)
    receipt.sent_to = sent
    receipt.save(update_fields=["sent_to"])
    audit_record(
        actor=None,
        action="receipt.sent",
        obj=receipt,
        branch=receipt.record.branch,
        customer=customer.pk,
        after={"channels": sent},
    )
    return receipt
