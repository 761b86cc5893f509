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
    # Set when the appointment is one occurrence of a recurring series (cancellable singly or all).
    series = models.ForeignKey("AppointmentSeries", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="occurrences", verbose_name=_("series"))

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

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on:%Y-%m-%d}"


class SuggestionDismissal(models.Model):
    """The customer switched a suggestion rule off ("don't show this again")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    rule = models.CharField(max_length=40, verbose_name=_("rule"))

    class Meta:
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")
        constraints = [models.UniqueConstraint(fields=["user", "rule"], name="appt_dismissal_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self._meta.verbose_name}"


class SeriesRule(models.TextChoices):
    NTH_WORKING_DAY = "nth_working_day", _("On the Nth working day of each month")
    WEEKLY = "weekly", _("Every week on the same weekday")


class AppointmentSeries(models.Model):
    """A recurring booking (e.g. monthly pension collection). Each occurrence is a real
    ``Appointment`` that took its own place in its slot; dates the branch could not take are kept
    in ``skipped`` with the reason, so the customer sees them."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("customer"))
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    service_type = models.ForeignKey("branches.ServiceType", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("service type"))
    rule = models.CharField(max_length=20, choices=SeriesRule.choices, verbose_name=_("repeats"))
    nth = models.PositiveSmallIntegerField(default=1, verbose_name=_("working day of the month"))
    first_day = models.DateField(verbose_name=_("first day"))
    time_of_day = models.TimeField(verbose_name=_("time"))
    count = models.PositiveSmallIntegerField(verbose_name=_("occurrences"))
    mode = models.CharField(max_length=16, choices=ServiceMode.choices, default=ServiceMode.STAFF,
                            verbose_name=_("mode"))
    skipped = models.JSONField(default=list, blank=True, verbose_name=_("dates not booked"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    cancelled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("cancelled at"))

    class Meta:
        verbose_name = _("appointment series")
        verbose_name_plural = _("appointment series")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1, count__lte=24), name="appt_series_count"),
            models.CheckConstraint(condition=Q(nth__gte=1, nth__lte=10), name="appt_series_nth"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} {self.time_of_day:%H:%M} x{self.count}"


class GroupSessionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("group session", "Open")
    CANCELLED = "cancelled", _("Cancelled")


class GroupSession(models.Model):
    """A class staff hold at a branch for several customers (e.g. an anti-fraud class).

    ``joined`` counts the places taken; the CHECK keeps it within ``capacity`` whatever a caller
    does, and joining locks the row so two customers racing for the last place cannot both win."""

    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("branch"))
    title = models.CharField(max_length=120, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    location = models.CharField(max_length=120, blank=True, verbose_name=_("room"))
    start = models.DateTimeField(verbose_name=_("start"))
    end = models.DateTimeField(verbose_name=_("end"))
    capacity = models.PositiveSmallIntegerField(verbose_name=_("places"))
    waitlist_limit = models.PositiveSmallIntegerField(default=10, verbose_name=_("waiting list places"))
    joined = models.PositiveSmallIntegerField(default=0, verbose_name=_("places taken"))
    status = models.CharField(max_length=12, choices=GroupSessionStatus.choices,
                              default=GroupSessionStatus.OPEN, verbose_name=_("status"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(joined__lte=F("capacity")), name="appt_group_not_overfull"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="appt_group_has_places"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="appt_group_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.start:%Y-%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.joined)


class ParticipantStatus(models.TextChoices):
    JOINED = "joined", _("Joined")
    WAITLISTED = "waitlisted", _("On the waiting list")
    LEFT = "left", _("Left")


class GroupParticipant(models.Model):
    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="participants",
                                verbose_name=_("group session"))
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("customer"))
    status = models.CharField(max_length=12, choices=ParticipantStatus.choices, verbose_name=_("status"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    left_at = models.DateTimeField(null=True, blank=True, verbose_name=_("left at"))

    class Meta:
        verbose_name = _("group session participant")
        verbose_name_plural = _("group session participants")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "customer"],
                condition=~Q(status="left"),
                name="appt_group_one_place_per_customer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.get_status_display()}"


class CalendarFeed(models.Model):
    """A customer's personal calendar subscription. The URL carries a random token; only its digest
    is stored, so the URL is shown once. Revoking stops it at once; a new one replaces it."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("customer"))
    token_digest = models.CharField(max_length=64, unique=True, verbose_name=_("token digest"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))
    last_fetched_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last fetched at"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(fields=["customer"], condition=Q(revoked_at__isnull=True),
                                    name="appt_one_live_feed_per_customer"),
        ]

    def __str__(self) -> str:
        text = f"{self._meta.verbose_name} {timezone.localtime(self.created_at):%Y-%m-%d}"
        if self.revoked_at is None:
            return text
        revoked = self._meta.get_field("revoked_at").verbose_name
        return f"{text} · {revoked} {timezone.localtime(self.revoked_at):%Y-%m-%d}"
