"""Pre-filled forms and their verification, service records, e-receipts."""

import json
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.fields import EncryptedBinaryField, EncryptedTextField
from core.pii import mask_id_number, mask_name


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")


class FormSource(models.TextChoices):
    CUSTOMER = "customer", _("Customer's browser")
    KIOSK = "kiosk", _("Kiosk")
    TELLER = "teller", _("Teller")
    APPOINTMENT = "appointment", _("Appointment booking")


def _json_or_empty(text: str) -> dict:
    return json.loads(text) if text else {}


class PrefilledForm(models.Model):
    """A customer's copy of a service's business form, filled on one schema version.

    The values (which include personal data) are kept as one encrypted JSON document.
    `appointments` links its bookings to a form by its own foreign key (it sits above counter)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    service_type = models.ForeignKey(
        "branches.ServiceType", on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    schema = models.ForeignKey("branches.FormSchema", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("schema"))
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="prefilled_forms"
    , verbose_name=_("customer"))
    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    , verbose_name=_("branch"))
    ticket = models.ForeignKey(
        "queueing.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="prefilled_forms"
    , verbose_name=_("ticket"))
    status = models.CharField(
        _("status"), max_length=10, choices=FormStatus.choices, default=FormStatus.DRAFT
    )
    source = models.CharField(_("source"), max_length=12, choices=FormSource.choices)
    values_json = EncryptedTextField(default="", blank=True, verbose_name=_("values"))
    # What the customer handed in, kept unchanged once submitted; `values_json` then becomes the
    # verified copy the teller corrects.
    submitted_json = EncryptedTextField(default="", blank=True, verbose_name=_("submitted values"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    , verbose_name=_("created by"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    updated_at = models.DateTimeField(default=timezone.now, verbose_name=_("updated at"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    verified_at = models.DateTimeField(null=True, blank=True, verbose_name=_("verified at"))
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    , verbose_name=_("verified by"))

    class Meta:
        verbose_name = _("pre-filled form")
        verbose_name_plural = _("pre-filled forms")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="counter_form_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False),
                name="counter_form_verified_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type} #{self.pk}"

    @property
    def values(self) -> dict:
        return _json_or_empty(self.values_json)

    @property
    def submitted_values(self) -> dict:
        return _json_or_empty(self.submitted_json)

    @property
    def fields(self) -> list[dict]:
        return self.schema.fields


class FormAttachment(models.Model):
    """A document photo uploaded for a form field, encrypted at rest."""
    class Meta:
        verbose_name = _("form attachment")
        verbose_name_plural = _("form attachments")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, verbose_name=_("public id"))
    form = models.ForeignKey(PrefilledForm, on_delete=models.CASCADE, related_name="attachments",
                             verbose_name=_("form"))
    field_name = models.CharField(max_length=60, verbose_name=_("field name"))
    content_type = models.CharField(max_length=40, verbose_name=_("content type"))
    size = models.PositiveIntegerField(verbose_name=_("size"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256"))
    data = EncryptedBinaryField(verbose_name=_("data"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    def __str__(self) -> str:
        return f"{self.form} · {self._meta.verbose_name} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"


class VerificationOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CORRECTED = "corrected", _("Corrected")
    # A supervisor let the service finish without the teller's check of this field (with a reason).
    OVERRIDDEN = "overridden", _("Overridden by a supervisor")


class FieldVerification(models.Model):
    """The teller's check of one field: confirmed as filled, or corrected (with the old value)."""

    form = models.ForeignKey(PrefilledForm, on_delete=models.CASCADE, related_name="verifications",
                             verbose_name=_("form"))
    field_name = models.CharField(max_length=60, verbose_name=_("field name"))
    outcome = models.CharField(max_length=10, choices=VerificationOutcome.choices, verbose_name=_("outcome"))
    old_value = EncryptedTextField(blank=True, default="", verbose_name=_("old value"))
    new_value = EncryptedTextField(blank=True, default="", verbose_name=_("new value"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("by"))
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("field verification")
        verbose_name_plural = _("field verifications")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="overridden") | ~Q(reason=""),
                name="counter_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form} · {self.get_outcome_display()} · {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


class Outcome(models.TextChoices):
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not done")
    REFERRED = "referred", _("Referred")


class Step(models.TextChoices):
    IDENTIFY = "identify", _("Identify the customer")
    CONFIRM_NEED = "confirm_need", _("Confirm the need")
    REVIEW_DOCUMENTS = "review_documents", _("Review documents")
    OPERATE = "operate", _("Operate")
    HAND_OVER = "hand_over", _("Hand over the receipt")


class ExceptionKind(models.TextChoices):
    EXPIRED_ID = "expired_id", _("Expired ID")
    MISMATCH = "mismatch", _("Information mismatch")
    MISSING_DOCUMENT = "missing_document", _("Missing document")


class AgentRelationship(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    RELATIVE = "relative", _("Other relative")
    GUARDIAN = "guardian", _("Guardian")
    AUTHORISED = "authorised", _("Authorised by power of attorney")


class RecordStatus(models.TextChoices):
    # A visit (ticket) holds one or more service lines; one is served at a time.
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")
    REMOVED = "removed", _("Removed")


class ServiceRecord(models.Model):
    """One service line of a visit at a counter (its service, form, timers, outcome), kept for later
    retrieval. A visit is the ticket: several lines when the customer has several needs."""

    # A parked ticket keeps its record; a transferred one closes it (referred) and opens another.
    ticket = models.ForeignKey("queueing.Ticket", on_delete=models.PROTECT, related_name="service_records",
                               verbose_name=_("ticket"))
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    counter = models.ForeignKey("branches.ServicePoint", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("counter"))
    teller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_records"
    , verbose_name=_("teller"))
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="service_records"
    , verbose_name=_("customer"))
    service_type = models.ForeignKey("branches.ServiceType", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("service type"))
    form = models.ForeignKey(
        PrefilledForm, null=True, blank=True, on_delete=models.SET_NULL, related_name="service_records"
    , verbose_name=_("form"))
    had_prefilled_form = models.BooleanField(default=False, verbose_name=_("had prefilled form"))
    status = models.CharField(max_length=12, choices=RecordStatus.choices, default=RecordStatus.IN_PROGRESS,
                              verbose_name=_("status"))
    started_at = models.DateTimeField(default=timezone.now, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    handling_seconds = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("handling seconds"))
    form_as_filled = EncryptedTextField(blank=True, default="", verbose_name=_("form as filled"))
    form_as_verified = EncryptedTextField(blank=True, default="", verbose_name=_("form as verified"))
    corrections = models.PositiveSmallIntegerField(default=0, verbose_name=_("corrections"))
    # Pre-filled fields finished without the teller's check: overridden by a supervisor, or left
    # open on a service that was not done. A form counts as verified only when both are 0.
    fields_overridden = models.PositiveSmallIntegerField(default=0, verbose_name=_("fields overridden"))
    fields_unverified = models.PositiveSmallIntegerField(default=0, verbose_name=_("fields unverified"))
    current_step = models.CharField(max_length=20, choices=Step.choices, default=Step.IDENTIFY,
                                    verbose_name=_("current step"))
    exceptions = models.JSONField(default=list, blank=True, verbose_name=_("exceptions"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_reason = models.CharField(_("reason"), max_length=300, blank=True)
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    # 代办: the person at the counter acts for the form's holder (their own name, ID and relationship).
    agent_name = models.CharField(_("agent's name"), max_length=100, blank=True)
    agent_id_number = EncryptedTextField(_("agent's ID number"), blank=True, default="")
    agent_relationship = models.CharField(
        _("relationship"), max_length=12, choices=AgentRelationship.choices, blank=True
    )
    signature_requested = models.BooleanField(default=False, verbose_name=_("signature requested"))
    signature_png = EncryptedBinaryField(null=True, blank=True, verbose_name=_("signature image"))
    signature_sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("signature SHA-256"))
    compliance_results = models.JSONField(default=list, blank=True, verbose_name=_("compliance results"))
    simulated = models.BooleanField(default=False, help_text="seeded demo data, not a real service",
                                    verbose_name=_("simulated"))

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["teller", "started_at"], name="counter_record_teller_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(status="in_progress"),
                name="counter_record_one_open_per_ticket",
            ),
            models.CheckConstraint(
                condition=~Q(status="finished") | (Q(finished_at__isnull=False) & ~Q(outcome="")),
                name="counter_record_finished_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="not_done") | ~Q(outcome_reason=""),
                name="counter_record_not_done_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="referred") | ~Q(referred_to=""),
                name="counter_record_referred_has_target",
            ),
            models.CheckConstraint(
                condition=Q(agent_name="", agent_relationship="")
                | (~Q(agent_name="") & ~Q(agent_relationship="")),
                name="counter_record_agent_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} / {self.service_type}"

    @property
    def ref(self) -> str:
        """The stable reference compliance uses for evaluations, overrides and evidence."""
        return f"counter.ServiceRecord:{self.pk}"

    @property
    def masked_agent_id_number(self) -> str:
        return mask_id_number(self.agent_id_number)

    @property
    def masked_agent_name(self) -> str:
        return mask_name(self.agent_name)

    @property
    def verified_values(self) -> dict:
        return _json_or_empty(self.form_as_verified)

    @property
    def filled_values(self) -> dict:
        return _json_or_empty(self.form_as_filled)


class StepTiming(models.Model):
    record = models.ForeignKey(ServiceRecord, on_delete=models.CASCADE, related_name="steps",
                               verbose_name=_("record"))
    step = models.CharField(max_length=20, choices=Step.choices, verbose_name=_("step"))
    started_at = models.DateTimeField(verbose_name=_("started at"))
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ended at"))

    class Meta:
        verbose_name = _("step timing")
        verbose_name_plural = _("step timings")
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["record", "step"], name="counter_step_once_per_record"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="counter_step_ends_after_start",
            ),
        ]

    @property
    def seconds(self) -> int | None:
        return int((self.ended_at - self.started_at).total_seconds()) if self.ended_at else None

    def __str__(self) -> str:
        return f"{self.record} · {self.get_step_display()}"


def _receipt_token() -> str:
    return secrets.token_urlsafe(24)


class Receipt(models.Model):
    """The e-receipt: masked content (JSON) rendered as HTML or PDF, and the PDF kept as issued."""
    class Meta:
        verbose_name = _("e-receipt")
        verbose_name_plural = _("e-receipts")

    record = models.OneToOneField(ServiceRecord, on_delete=models.PROTECT, related_name="receipt",
                                  verbose_name=_("record"))
    number = models.CharField(max_length=32, unique=True, verbose_name=_("number"))
    public_token = models.CharField(max_length=64, unique=True, default=_receipt_token, editable=False,
                                    verbose_name=_("public token"))
    content = models.JSONField(verbose_name=_("content"))
    pdf = models.BinaryField(verbose_name=_("PDF"))
    pdf_sha256 = models.CharField(max_length=64, verbose_name=_("PDF SHA-256"))
    issued_at = models.DateTimeField(default=timezone.now, verbose_name=_("issued at"))
    sent_to = models.JSONField(default=list, blank=True, verbose_name=_("sent to"))

    def __str__(self) -> str:
        return self.number
