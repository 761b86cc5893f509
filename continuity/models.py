"""Service continuity: the fraud emergency path (card freeze, dispute hold) to core banking."""

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compliance.fields import EncryptedTextField
from core.pii import mask_id_number, mask_name
from counter.models import Outcome

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
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="fraud_cases",
                               verbose_name=_("branch"))
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, null=True, blank=True, related_name="fraud_cases",
        verbose_name=_("customer"),
    )
    channel = models.CharField(_("reported at"), max_length=12, choices=FraudChannel.choices)
    status = models.CharField(_("status"), max_length=16, choices=FraudCaseStatus.choices)
    description = models.TextField(_("what happened"), max_length=1000)
    amount = models.DecimalField(
        _("amount taken (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("reported by"),
    )
    device = models.ForeignKey(
        "branches.Device", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("device"),
    )
    work_order_number = models.CharField(_("work order"), max_length=40, blank=True)
    assistant_exchange_id = models.BigIntegerField(_("assistant exchange"), null=True, blank=True)
    reported_at = models.DateTimeField(_("reported"))
    freeze_due_at = models.DateTimeField(_("freeze due"))
    hold_due_at = models.DateTimeField(_("dispute hold due"))
    frozen_at = models.DateTimeField(_("card frozen"), null=True, blank=True)
    held_at = models.DateTimeField(_("dispute hold placed"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("fraud case")
        verbose_name_plural = _("fraud cases")
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

    case = models.ForeignKey(FraudCase, on_delete=models.PROTECT, related_name="core_requests",
                             verbose_name=_("case"))
    operation = models.CharField(_("operation"), max_length=16, choices=CoreOperation.choices)
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=CoreRequestStatus.choices)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    core_reference = models.CharField(_("core banking reference"), max_length=60, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["case", "operation"]
        verbose_name = _("core banking request")
        verbose_name_plural = _("core banking requests")
        constraints = [
            models.UniqueConstraint(fields=["case", "operation"], name="corerequest_one_per_operation"),
            models.CheckConstraint(
                condition=Q(status="confirmed", confirmed_at__isnull=False)
                | (~Q(status="confirmed") & Q(confirmed_at__isnull=True)),
                name="corerequest_confirmed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.ref} {self.get_operation_display()}"


# Emergency plans ----------------------------------------------------------------------------------


class IncidentLevel(models.IntegerChoices):
    I = 1, _("Level I (particularly serious)")  # noqa: E741 - the standard's own numbering
    II = 2, _("Level II (serious)")
    III = 3, _("Level III (major)")
    IV = 4, _("Level IV (general)")


class PlaybookKind(models.TextChoices):
    SYSTEM_FAILURE = "system_failure", _("System failure")
    FIRE = "fire", _("Fire")
    ROBBERY = "robbery", _("Robbery")
    CROWDING = "crowding", _("Crowding")
    HEALTH = "health", _("Customer health emergency")
    FRAUD = "fraud", _("Fraud in progress")


class Ticketing(models.TextChoices):
    NORMAL = "normal", _("Tickets as usual")
    LIMITED = "limited", _("Tickets limited")
    PAUSED = "paused", _("Tickets paused")


class Playbook(models.Model):
    """A branch emergency plan: what the lobby is told, what happens to ticketing, the checklist.
    Seeded for the six incident kinds; head office and branch admins edit them."""

    kind = models.CharField(_("incident"), max_length=20, choices=PlaybookKind.choices, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=IncidentLevel.choices)
    lobby_message_zh = models.CharField(_("lobby message (Chinese)"), max_length=200)
    lobby_message_en = models.CharField(_("lobby message (English)"), max_length=200)
    ticketing = models.CharField(_("ticketing"), max_length=10, choices=Ticketing.choices)
    ticket_limit = models.PositiveIntegerField(
        _("most tickets waiting"), default=0, help_text=_("Only when tickets are limited.")
    )
    notify_head_office = models.BooleanField(_("notify head office"), default=True)
    steps = models.JSONField(_("checklist"), default=list)  # [{"text": str, "minutes": int}]
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["level", "kind"]
        verbose_name = _("emergency plan")
        verbose_name_plural = _("Emergency plans")

    def __str__(self) -> str:
        return str(self.get_kind_display())


class IncidentStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("incident status", "Active")
    CLOSED = "closed", pgettext_lazy("incident status", "Closed")


class Incident(models.Model):
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="incidents",
                               verbose_name=_("branch"))
    kind = models.CharField(_("incident"), max_length=20, choices=PlaybookKind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=IncidentLevel.choices)
    status = models.CharField(_("status"), max_length=10, choices=IncidentStatus.choices)
    lobby_message_zh = models.CharField(_("lobby message (Chinese)"), max_length=200)
    lobby_message_en = models.CharField(_("lobby message (English)"), max_length=200)
    ticketing = models.CharField(_("ticketing"), max_length=10, choices=Ticketing.choices)
    ticket_limit = models.PositiveIntegerField(_("most tickets waiting"), default=0)
    activated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("activated by"))
    activated_at = models.DateTimeField(_("activated"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    summary = models.TextField(_("what happened and what was done"), blank=True, max_length=4000)

    class Meta:
        ordering = ["-activated_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.UniqueConstraint(
                fields=["branch"], condition=Q(status="active"), name="incident_one_active_per_branch"
            ),
            models.CheckConstraint(
                condition=Q(status="active", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="incident_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch.code} {self.get_kind_display()} {self.activated_at:%Y-%m-%d %H:%M}"


class IncidentStep(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="steps",
                                 verbose_name=_("incident"))
    position = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("step"), max_length=300)
    due_at = models.DateTimeField(_("due"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("done by"),
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["incident", "position"]
        verbose_name = _("incident step")
        verbose_name_plural = _("incident steps")
        constraints = [models.UniqueConstraint(fields=["incident", "position"], name="incidentstep_position")]

    def __str__(self) -> str:
        return f"{self.incident} #{self.position}"


class OfflineNumberBlock(models.Model):
    """Ticket numbers a kiosk reserved in advance, to issue while the server is unreachable. Taken
    from the queue's own day sequence, so no online ticket ever gets one of them."""

    device = models.ForeignKey("branches.Device", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("device"))
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    business_date = models.DateField(_("business date"))
    prefix = models.CharField(_("queue"), max_length=2)
    first = models.PositiveIntegerField(_("first number"))
    last = models.PositiveIntegerField(_("last number"))
    reserved_at = models.DateTimeField(_("reserved at"), default=timezone.now)

    class Meta:
        ordering = ["reserved_at", "id"]
        verbose_name = _("offline number block")
        verbose_name_plural = _("offline number blocks")
        constraints = [
            models.CheckConstraint(condition=Q(first__gte=1) & Q(last__gte=models.F("first")),
                                   name="continuity_block_range_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}{self.first:03d}–{self.prefix}{self.last:03d}"


class OfflineTicket(models.Model):
    """A ticket a kiosk issued offline from its block, synced once: the kiosk's key is unique, and
    so is the number within its block."""

    key = models.UUIDField(_("idempotency key"), unique=True)
    block = models.ForeignKey(OfflineNumberBlock, on_delete=models.PROTECT, related_name="tickets",
                              verbose_name=_("offline number block"))
    sequence = models.PositiveIntegerField(_("sequence"))
    ticket = models.OneToOneField("queueing.Ticket", on_delete=models.CASCADE, related_name="offline",
                                  verbose_name=_("ticket"))
    issued_offline_at = models.DateTimeField(_("issued offline at"))
    synced_at = models.DateTimeField(_("synced at"), default=timezone.now)

    class Meta:
        ordering = ["issued_offline_at", "id"]
        verbose_name = _("offline ticket")
        verbose_name_plural = _("offline tickets")
        constraints = [
            models.UniqueConstraint(fields=["block", "sequence"], name="continuity_offline_number_once"),
        ]

    def __str__(self) -> str:
        return str(self.ticket)


# The offline ledger ---------------------------------------------------------------------------------

# An amount above this, recorded while nobody could check it online, waits for the lobby manager
# (the large-cash threshold: 50,000 yuan).
LEDGER_AMOUNT_LIMIT = Decimal("50000.00")
# The standard: a manual ledger is re-entered and reconciled within 24 hours; past that the lobby
# manager is alerted, and once more this long after, the branch manager and head office.
RECONCILE_WITHIN = dt.timedelta(hours=24)
ESCALATE_AFTER = dt.timedelta(hours=4)


class LedgerSource(models.TextChoices):
    CONSOLE = "console", _("Teller console offline")
    PAPER = "paper", _("Paper slip re-entered")


class LedgerStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Waiting for a second person's approval")
    CONFLICT = "conflict", _("Conflict: the lobby manager decides")
    RECONCILED = "reconciled", _("Reconciled")
    REJECTED = "rejected", _("Rejected")


OPEN_LEDGER = (LedgerStatus.AWAITING_APPROVAL, LedgerStatus.CONFLICT)


class LedgerConflict(models.TextChoices):
    TICKET_UNKNOWN = "ticket_unknown", _("No such ticket that day")
    TICKET_CLOSED = "ticket_closed", _("The ticket was meanwhile served, cancelled or closed")
    CUSTOMER_UNKNOWN = "customer_unknown", _("No customer with this ID number")
    CUSTOMER_MISMATCH = "customer_mismatch", _("The customer does not match the ticket's")
    AMOUNT_OVER_LIMIT = "amount_over_limit", _("The amount is over the offline limit")


class LedgerEntry(models.Model):
    """One service recorded while the system was down (offline at the console, or on paper and
    re-entered), synced once under the device's key, then reconciled into a service record."""

    key = models.UUIDField(_("idempotency key"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=LedgerSource.choices)
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    counter = models.ForeignKey("branches.ServicePoint", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("counter"))
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("teller"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("entered by"))
    ticket_number = models.CharField(_("ticket"), max_length=8, blank=True)
    ticket = models.ForeignKey("queueing.Ticket", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("ticket"))
    customer_name = EncryptedTextField(_("customer's name"), blank=True, default="")
    customer_id_number = EncryptedTextField(_("customer's ID number"), blank=True, default="")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", verbose_name=_("customer"))
    service_type = models.ForeignKey("branches.ServiceType", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("service"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    outcome_reason = models.CharField(_("reason"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2, null=True,
                                 blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    served_at = models.DateTimeField(_("served (offline time)"))
    recorded_at = models.DateTimeField(_("written in the ledger (offline time)"))
    synced_at = models.DateTimeField(_("synced"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=LedgerStatus.choices)
    conflicts = models.JSONField(_("conflicts"), default=list, blank=True)
    service_record = models.OneToOneField("counter.ServiceRecord", on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="offline_entry",
                                          verbose_name=_("service record"))
    change_request_id = models.BigIntegerField(_("change request"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.CharField(_("reason for the decision"), max_length=300, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)

    class Meta:
        ordering = ["served_at", "id"]
        verbose_name = _("offline ledger entry")
        verbose_name_plural = _("offline ledger entries")
        indexes = [models.Index(fields=["branch", "status"], name="ledger_branch_status")]
        constraints = [
            models.CheckConstraint(condition=~Q(status="reconciled") | Q(service_record__isnull=False),
                                   name="ledger_reconciled_has_record"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(decision_reason=""),
                                   name="ledger_rejected_has_reason"),
            models.CheckConstraint(condition=~Q(outcome="not_done") | ~Q(outcome_reason=""),
                                   name="ledger_not_done_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.branch_id}/{self.counter_id} {self.served_at:%Y-%m-%d %H:%M}"

    @property
    def masked_customer_name(self) -> str:
        return mask_name(self.customer_name)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.customer_id_number)

    @property
    def conflict_labels(self) -> list[str]:
        labels = dict(LedgerConflict.choices)
        return [str(labels[code]) for code in self.conflicts if code in labels]

    def overdue_level(self, now: dt.datetime) -> int:
        """0 in time, 1 past 24 hours unreconciled (lobby manager), 2 past that by ESCALATE_AFTER."""
        if self.status not in OPEN_LEDGER or now < self.served_at + RECONCILE_WITHIN:
            return 0
        return 2 if now >= self.served_at + RECONCILE_WITHIN + ESCALATE_AFTER else 1
