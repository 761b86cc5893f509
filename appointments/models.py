from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from appointments import codes


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", pgettext_lazy("appointment status", "No-show")
    COMPLETED = "completed", _("Completed")


class ServiceMode(models.TextChoices):
    SELF_SERVICE = "self_service", _("Self-service (kiosk)")
    STAFF = "staff", _("With a teller")


class CheckInTiming(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class CounterBreak(models.Model):
    """A daily break of one counter (e.g. a teller's lunch rota) during which it takes no
    appointments. Branch-wide breaks are already in the opening hours."""

    service_point = models.ForeignKey(
        "branches.ServicePoint", on_delete=models.CASCADE, related_name="appointment_breaks"
    )
    start = models.TimeField(_("break starts"))
    end = models.TimeField(_("break ends"))

    class Meta:
        verbose_name = _("counter break")
        verbose_name_plural = _("counter breaks")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="appt_break_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.service_point_id} {self.start:%H:%M}-{self.end:%H:%M}"


class SlotCapacity(models.Model):
    """How many appointments a branch takes for one service in one slot, and how many are booked.

    The CHECK constraint is what makes two customers racing for the last place safe: booking is a
    conditional ``UPDATE ... SET booked = booked + 1 WHERE booked < capacity``, and even a buggy
    caller cannot push ``booked`` above ``capacity``.
    """

    branch = models.ForeignKey("branches.Branch", on_delete=models.CASCADE, related_name="+")
    service_type = models.ForeignKey("branches.ServiceType", on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    capacity = models.PositiveIntegerField()
    booked = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["branch", "service_type", "start"], name="appt_slot_unique"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="appt_slot_not_overbooked"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="appt_slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} {self.booked}/{self.capacity}"


class AppointmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=AppointmentStatus.BOOKED)

    def upcoming(self, now=None):
        return self.active().filter(start__gte=now or timezone.now())

    def with_related(self):
        return self.select_related("branch", "service_type", "customer")


class Appointment(models.Model):
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="appointments")
    service_type = models.ForeignKey(
        "branches.ServiceType", on_delete=models.PROTECT, related_name="appointments"
    )
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="appointments")
    slot = models.ForeignKey(SlotCapacity, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateTimeField()
    end = models.DateTimeField()
    mode = models.CharField(max_length=16, choices=ServiceMode.choices, default=ServiceMode.STAFF)
    status = models.CharField(
        max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    code = models.CharField(max_length=codes.LENGTH, unique=True, editable=False)
    # The customer's pre-filled copy of the service's form, filled while booking.
    prefilled_form = models.ForeignKey(
        "counter.PrefilledForm", on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    # The queue ticket issued at check-in.
    ticket = models.OneToOneField(
        "queueing.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="appointment"
    )
    checkin_timing = models.CharField(max_length=8, choices=CheckInTiming.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    no_show_at = models.DateTimeField(null=True, blank=True)
    # Sent-once guards: a reminder task claims the row by setting these with a conditional UPDATE.
    reminded_day_before_at = models.DateTimeField(null=True, blank=True)
    reminded_soon_at = models.DateTimeField(null=True, blank=True)
    leave_now_sent_at = models.DateTimeField(null=True, blank=True)
    reschedule_count = models.PositiveSmallIntegerField(default=0)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["branch", "start"], name="appt_branch_start"),
            models.Index(fields=["customer", "status"], name="appt_customer_status"),
            models.Index(fields=["status", "start"], name="appt_status_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="appt_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(status="checked_in") | Q(checked_in_at__isnull=False),
                name="appt_checked_in_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{codes.display(self.code)} {self.start:%Y-%m-%d %H:%M}"

    @property
    def code_display(self) -> str:
        return codes.display(self.code)


class SignInCode(models.Model):
    """A one-time sign-in code sent by SMS. Neither the phone nor the code is stored in clear."""

    phone_digest = models.CharField(max_length=128, db_index=True)
    code_hash = models.CharField(max_length=128)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["ip", "created_at"], name="appt_signin_ip_created")]


class CustomerFactKind(models.TextChoices):
    DEPOSIT_MATURITY = "deposit_maturity", _("Time deposit matures")


class CustomerFact(models.Model):
    """A dated fact about a customer delivered by another system (e.g. core banking's list of
    maturing time deposits), used only for booking suggestions. Loaded with
    ``appointments.services.customer_fact_record`` or the ``load_customer_facts`` command."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=CustomerFactKind.choices)
    label = models.CharField(max_length=100, blank=True)
    due_on = models.DateField()
    source_ref = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "kind", "source_ref", "due_on"], name="appt_fact_unique"
            ),
        ]


class SuggestionDismissal(models.Model):
    """The customer switched a suggestion rule off ("don't show this again")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "rule"], name="appt_dismissal_unique")]
