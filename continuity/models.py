"""Service continuity: the fraud emergency path (card freeze, dispute hold) to core banking."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The bank's standard: a fraud case gets its card frozen within an hour and a dispute hold within
# three days, round the clock (not on business hours: thieves do not keep them).
FREEZE_WITHIN = dt.timedelta(hours=1)
HOLD_WITHIN = dt.timedelta(days=3)
# A clock is at risk, and escalated, once this share of its time has gone without confirmation.
AT_RISK_SHARE = 0.5


class FraudChannel(models.TextChoices):
    ASSISTANT = "assistant", pgettext_lazy("fraud reported at", "FAQ assistant")
    KIOSK = "kiosk", pgettext_lazy("fraud reported at", "Self-service kiosk")
    COUNTER = "counter", pgettext_lazy("fraud reported at", "Teller console")
    PHONE = "phone", pgettext_lazy("fraud reported at", "Customer's phone")


class FraudCaseStatus(models.TextChoices):
    NEEDS_CUSTOMER = "needs_customer", _("Waiting for staff to identify the customer")
    FREEZING = "freezing", _("Card freeze sent to core banking")
    FROZEN = "frozen", _("Card frozen, dispute hold pending")
    HELD = "held", _("Card frozen and dispute hold placed")
    REFUSED = "refused", _("Core banking refused: staff are handling it")


class FraudCase(models.Model):
    """A customer's report of fraud in progress, from any surface, and its two clocks."""

    ref = models.CharField(_("case"), max_length=16, unique=True)
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="fraud_cases")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, null=True, blank=True, related_name="fraud_cases"
    )
    channel = models.CharField(_("reported at"), max_length=12, choices=FraudChannel.choices)
    status = models.CharField(_("status"), max_length=16, choices=FraudCaseStatus.choices)
    description = models.TextField(_("what happened"), max_length=1000)
    amount = models.DecimalField(
        _("amount taken (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    device = models.ForeignKey(
        "branches.Device", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    work_order_number = models.CharField(_("work order"), max_length=40, blank=True)
    assistant_exchange_id = models.BigIntegerField(null=True, blank=True)
    reported_at = models.DateTimeField(_("reported"))
    freeze_due_at = models.DateTimeField(_("freeze due"))
    hold_due_at = models.DateTimeField(_("dispute hold due"))
    frozen_at = models.DateTimeField(_("card frozen"), null=True, blank=True)
    held_at = models.DateTimeField(_("dispute hold placed"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)

    class Meta:
        ordering = ["-reported_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(frozen_at__isnull=True) | Q(customer__isnull=False),
                name="fraudcase_frozen_needs_customer",
            ),
            models.CheckConstraint(
                condition=Q(held_at__isnull=True) | Q(customer__isnull=False),
                name="fraudcase_held_needs_customer",
            ),
        ]
        indexes = [models.Index(fields=["branch", "reported_at"], name="fraudcase_branch_reported")]

    def __str__(self) -> str:
        return self.ref

    @property
    def is_open(self) -> bool:
        return self.held_at is None

    def clock_state(self, operation: str, now: dt.datetime) -> str:
        """ "done", "breached", "at_risk" or "running" for the freeze or the hold clock."""
        done, due, span = (
            (self.frozen_at, self.freeze_due_at, FREEZE_WITHIN)
            if operation == CoreOperation.FREEZE_CARD
            else (self.held_at, self.hold_due_at, HOLD_WITHIN)
        )
        if done is not None:
            return "done"
        if now >= due:
            return "breached"
        if now >= due - span * (1 - AT_RISK_SHARE):
            return "at_risk"
        return "running"


class CoreOperation(models.TextChoices):
    FREEZE_CARD = "freeze_card", _("Card freeze")
    DISPUTE_HOLD = "dispute_hold", _("Dispute hold")


class CoreRequestStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for the customer to be identified")
    QUEUED = "queued", _("Queued")
    RETRYING = "retrying", _("Retrying after a failure")
    CONFIRMED = "confirmed", _("Confirmed by core banking")
    REFUSED = "refused", _("Refused by core banking")


class CoreRequest(models.Model):
    """One operation asked of core banking, sent under one idempotency key however often it is
    retried: core banking applies it at most once, and we record its confirmation exactly once."""

    case = models.ForeignKey(FraudCase, on_delete=models.PROTECT, related_name="core_requests")
    operation = models.CharField(_("operation"), max_length=16, choices=CoreOperation.choices)
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=CoreRequestStatus.choices)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    core_reference = models.CharField(_("core banking reference"), max_length=60, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["case", "operation"]
        constraints = [
            models.UniqueConstraint(fields=["case", "operation"], name="corerequest_one_per_operation"),
            models.CheckConstraint(
                condition=Q(status="confirmed", confirmed_at__isnull=False)
                | (~Q(status="confirmed") & Q(confirmed_at__isnull=True)),
                name="corerequest_confirmed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.ref} {self.operation}"
