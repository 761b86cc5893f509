"""The customer's pre-filled copy of a business form: start, save, photos, linking, verification."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from compliance.audit import audit_record
from core.live import groups, push
from counter import (
    formschema,
    images,
    ocr,
)
from counter.models import (
    FieldVerification,
    FormAttachment,
    FormSource,
    FormStatus,
    PrefilledForm,
    RecordStatus,
    ServiceRecord,
    VerificationOutcome,
)
from counter.services.common import FormInvalid, _branch_of, _dumps


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
