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
    , verbose_name=_("service point"))
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

    branch = models.ForeignKey("branches.Branch", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("branch"))
    service_type = models.ForeignKey("branches.ServiceType", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("service type"))
    start = models.DateTimeField(verbose_name=_("start"))
    end = models.DateTimeField(verbose_name=_("end"))
    capacity = models.PositiveIntegerField(verbose_name=_("capacity"))
    booked = models.PositiveIntegerField(default=0, verbose_name=_("booked"))

    class Meta:
        verbose_name = _("slot capacity")
        verbose_name_plural = _("slot capacities")
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
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="appointments",
                               verbose_name=_("branch"))
    service_type = models.ForeignKey(
        "branches.ServiceType", on_delete=models.PROTECT, related_name="appointments"
    , verbose_name=_("service type"))
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="appointments",
                                 verbose_name=_("customer"))
    slot = models.ForeignKey(SlotCapacity, on_delete=models.PROTECT, related_name="appointments",
                             verbose_name=_("slot"))
    start = models.DateTimeField(verbose_name=_("start"))
    end = models.DateTimeField(verbose_name=_("end"))
    mode = models.CharField(max_length=16, choices=ServiceMode.choices, default=ServiceMode.STAFF,
                            verbose_name=_("mode"))
    status = models.CharField(
        max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    , verbose_name=_("status"))
    code = models.CharField(max_length=codes.LENGTH, unique=True, editable=False, verbose_name=_("code"))
    # The customer's pre-filled copy of the service's form, filled while booking.
    prefilled_form = models.ForeignKey(
        "counter.PrefilledForm", on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    , verbose_name=_("prefilled form"))
    # The queue ticket issued at check-in.
    ticket = models.OneToOneField(
        "queueing.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="appointment"
    , verbose_name=_("ticket"))
    checkin_timing = models.CharField(max_length=8, choices=CheckInTiming.choices, blank=True,
                                      verbose_name=_("checkin timing"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    checked_in_at = models.DateTimeField(null=True, blank=True, verbose_name=_("checked in at"))
    cancelled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("cancelled at"))
    no_show_at = models.DateTimeField(null=True, blank=True, verbose_name=_("no-show at"))
    # Sent-once guards: a reminder task claims the row by setting these with a conditional UPDATE.
    reminded_day_before_at = models.DateTimeField(null=True, blank=True,
                                                  verbose_name=_("reminded day before at"))
    reminded_soon_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reminded soon at"))
    leave_now_sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("leave now sent at"))
    reschedule_count = models.PositiveSmallIntegerField(default=0, verbose_name=_("reschedule count"))

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
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

    phone_digest = models.CharField(max_length=128, db_index=True, verbose_name=_("phone digest"))
    code_hash = models.CharField(max_length=128, verbose_name=_("code hash"))
    ip = models.GenericIPAddressField(null=True, blank=True, verbose_name=_("IP address"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("created at"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("used at"))

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [models.Index(fields=["ip", "created_at"], name="appt_signin_ip_created")]


class CustomerFactKind(models.TextChoices):
    DEPOSIT_MATURITY = "deposit_maturity", _("Time deposit matures")


class CustomerFact(models.Model):
    """A dated fact about a customer delivered by another system (e.g. core banking's list of
    maturing time deposits), used only for booking suggestions. Loaded with
    ``appointments.services.customer_fact_record`` or the ``load_customer_facts`` command."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("customer"))
    kind = models.CharField(max_length=32, choices=CustomerFactKind.choices, verbose_name=_("kind"))
    label = models.CharField(max_length=100, blank=True, verbose_name=_("label"))
    due_on = models.DateField(verbose_name=_("due on"))
    source_ref = models.CharField(max_length=64, blank=True, verbose_name=_("source ref"))

    class Meta:
        verbose_name = _("customer fact")
        verbose_name_plural = _("customer facts")
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "kind", "source_ref", "due_on"], name="appt_fact_unique"
            ),
        ]


class SuggestionDismissal(models.Model):
    """The customer switched a suggestion rule off ("don't show this again")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    rule = models.CharField(max_length=40, verbose_name=_("rule"))

    class Meta:
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")
        constraints = [models.UniqueConstraint(fields=["user", "rule"], name="appt_dismissal_unique")]
