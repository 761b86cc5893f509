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

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_type = models.ForeignKey(
        "branches.ServiceType", on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    schema = models.ForeignKey("branches.FormSchema", on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="prefilled_forms"
    )
    branch = models.ForeignKey(
        "branches.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ticket = models.ForeignKey(
        "queueing.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="prefilled_forms"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=FormStatus.choices, default=FormStatus.DRAFT
    )
    source = models.CharField(_("source"), max_length=12, choices=FormSource.choices)
    values_json = EncryptedTextField(default="", blank=True)
    # What the customer handed in, kept unchanged once submitted; `values_json` then becomes the
    # verified copy the teller corrects.
    submitted_json = EncryptedTextField(default="", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
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

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    form = models.ForeignKey(PrefilledForm, on_delete=models.CASCADE, related_name="attachments")
    field_name = models.CharField(max_length=60)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = EncryptedBinaryField()
    created_at = models.DateTimeField(default=timezone.now)


class VerificationOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CORRECTED = "corrected", _("Corrected")
    # A supervisor let the service finish without the teller's check of this field (with a reason).
    OVERRIDDEN = "overridden", _("Overridden by a supervisor")


class FieldVerification(models.Model):
    """The teller's check of one field: confirmed as filled, or corrected (with the old value)."""

    form = models.ForeignKey(PrefilledForm, on_delete=models.CASCADE, related_name="verifications")
    field_name = models.CharField(max_length=60)
    outcome = models.CharField(max_length=10, choices=VerificationOutcome.choices)
    old_value = EncryptedTextField(blank=True, default="")
    new_value = EncryptedTextField(blank=True, default="")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="overridden") | ~Q(reason=""),
                name="counter_override_has_reason",
            ),
        ]


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
    ticket = models.ForeignKey("queueing.Ticket", on_delete=models.PROTECT, related_name="service_records")
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="+")
    counter = models.ForeignKey("branches.ServicePoint", on_delete=models.PROTECT, related_name="+")
    teller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_records"
    )
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="service_records"
    )
    service_type = models.ForeignKey("branches.ServiceType", on_delete=models.PROTECT, related_name="+")
    form = models.ForeignKey(
        PrefilledForm, null=True, blank=True, on_delete=models.SET_NULL, related_name="service_records"
    )
    had_prefilled_form = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=RecordStatus.choices, default=RecordStatus.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    handling_seconds = models.PositiveIntegerField(null=True, blank=True)
    form_as_filled = EncryptedTextField(blank=True, default="")
    form_as_verified = EncryptedTextField(blank=True, default="")
    corrections = models.PositiveSmallIntegerField(default=0)
    # Pre-filled fields finished without the teller's check: overridden by a supervisor, or left
    # open on a service that was not done. A form counts as verified only when both are 0.
    fields_overridden = models.PositiveSmallIntegerField(default=0)
    fields_unverified = models.PositiveSmallIntegerField(default=0)
    current_step = models.CharField(max_length=20, choices=Step.choices, default=Step.IDENTIFY)
    exceptions = models.JSONField(default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_reason = models.CharField(_("reason"), max_length=300, blank=True)
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)
    # 代办: the person at the counter acts for the form's holder (their own name, ID and relationship).
    agent_name = models.CharField(_("agent's name"), max_length=100, blank=True)
    agent_id_number = EncryptedTextField(_("agent's ID number"), blank=True, default="")
    agent_relationship = models.CharField(
        _("relationship"), max_length=12, choices=AgentRelationship.choices, blank=True
    )
    signature_requested = models.BooleanField(default=False)
    signature_png = EncryptedBinaryField(null=True, blank=True)
    signature_sha256 = models.CharField(max_length=64, blank=True)
    compliance_results = models.JSONField(default=list, blank=True)
    simulated = models.BooleanField(default=False, help_text="seeded demo data, not a real service")

    class Meta:
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
        from core.pii import mask_id_number

        return mask_id_number(self.agent_id_number)

    @property
    def masked_agent_name(self) -> str:
        from core.pii import mask_name

        return mask_name(self.agent_name)

    @property
    def verified_values(self) -> dict:
        return _json_or_empty(self.form_as_verified)

    @property
    def filled_values(self) -> dict:
        return _json_or_empty(self.form_as_filled)


class StepTiming(models.Model):
    record = models.ForeignKey(ServiceRecord, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=20, choices=Step.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
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


def _receipt_token() -> str:
    return secrets.token_urlsafe(24)


class Receipt(models.Model):
    """The e-receipt: masked content (JSON) rendered as HTML or PDF, and the PDF kept as issued."""

    record = models.OneToOneField(ServiceRecord, on_delete=models.PROTECT, related_name="receipt")
    number = models.CharField(max_length=32, unique=True)
    public_token = models.CharField(max_length=64, unique=True, default=_receipt_token, editable=False)
    content = models.JSONField()
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(default=timezone.now)
    sent_to = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return self.number
