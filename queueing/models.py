"""Tickets, their numbering, counter states and the branch's queueing policy."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.fields import EncryptedTextField


class Source(models.TextChoices):
    KIOSK = "kiosk", _("Kiosk")
    REMOTE = "remote", _("Remote (phone)")
    APPOINTMENT = "appointment", _("Appointment check-in")
    FACE = "face", _("Face greeting")
    WALK_IN = "walk_in", _("Walk-in (lobby manager)")


class Channel(models.TextChoices):
    COUNTER = "counter", _("Counter")
    KIOSK = "kiosk", _("Self-service kiosk")
    VTM = "vtm", _("Video teller (VTM)")


class PriorityClass(models.TextChoices):
    NORMAL = "normal", _("Normal")
    VIP = "vip", _("VIP")
    ELDERLY = "elderly", _("Elderly")
    DISABILITY = "disability", _("Disability")
    APPOINTMENT = "appointment", _("Appointment")


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    PARKED = "parked", _("Parked")
    DONE = "done", _("Done")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")
    # The customer walked away during service: not served, counted with the abandonments.
    LEFT = "left", _("Customer left")


ACTIVE_STATUSES = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.PARKED)


def _public_token() -> str:
    return secrets.token_urlsafe(24)


class TicketSequence(models.Model):
    """The last number given out per branch, business day and queue prefix.

    Issuing locks this row (SELECT ... FOR UPDATE) in the same transaction as the ticket insert, so
    numbers are gap-free (a rolled-back issue rolls the counter back too) and serial per queue."""

    branch = models.ForeignKey("branches.Branch", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("branch"))
    business_date = models.DateField(verbose_name=_("business date"))
    prefix = models.CharField(max_length=2, verbose_name=_("prefix"))
    last_value = models.PositiveIntegerField(default=0, verbose_name=_("last value"))

    class Meta:
        verbose_name = _("ticket sequence")
        verbose_name_plural = _("ticket sequences")
        constraints = [
            models.UniqueConstraint(fields=["branch", "business_date", "prefix"],
                                    name="queueing_sequence_unique_per_day_prefix"),
        ]

    def __str__(self) -> str:
        return f"{self.branch.code} {self.business_date:%Y-%m-%d} {self.prefix}{self.last_value:03d}"


class TicketQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def waiting(self):
        return self.filter(status=TicketStatus.WAITING)

    def of_day(self, branch, business_date):
        return self.filter(branch=branch, business_date=business_date)


class Ticket(models.Model):
    branch = models.ForeignKey("branches.Branch", on_delete=models.PROTECT, related_name="tickets",
                               verbose_name=_("branch"))
    business_date = models.DateField(_("business date"))
    # The number's prefix never changes; `queue` is where the ticket waits now (a transfer moves it).
    prefix = models.CharField(max_length=2, verbose_name=_("prefix"))
    sequence = models.PositiveIntegerField(verbose_name=_("sequence"))
    queue = models.CharField(_("queue"), max_length=2)
    number = models.CharField(_("number"), max_length=8)
    status = models.CharField(_("status"), max_length=12, choices=TicketStatus.choices,
                              default=TicketStatus.WAITING)
    service_type = models.ForeignKey("branches.ServiceType", on_delete=models.PROTECT,
                                     related_name="tickets", verbose_name=_("service"))
    customer = models.ForeignKey("customers.Customer", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="tickets",
                                 verbose_name=_("customer"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices,
                               default=Channel.COUNTER)
    priority_class = models.CharField(_("priority"), max_length=12,
                                      choices=PriorityClass.choices,
                                      default=PriorityClass.NORMAL)
    vip_tier = models.PositiveSmallIntegerField(default=0, verbose_name=_("VIP tier"))
    appointment_window_start = models.DateTimeField(null=True, blank=True,
                                                    verbose_name=_("appointment window start"))
    appointment_window_end = models.DateTimeField(null=True, blank=True,
                                                  verbose_name=_("appointment window end"))
    boost = models.FloatField(_("priority boost (minutes)"), default=0)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    language_required = models.CharField(max_length=10, blank=True, verbose_name=_("language required"))
    routing_reasons = models.JSONField(default=list, blank=True, verbose_name=_("routing reasons"))
    device = models.ForeignKey("branches.Device", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+", verbose_name=_("device"))
    public_token = models.CharField(max_length=64, unique=True, default=_public_token,
                                    editable=False, verbose_name=_("public token"))
    # A transfer to one counter: only that counter may call it.
    target_counter = models.ForeignKey("branches.ServicePoint", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+",
                                       verbose_name=_("target counter"))
    counter = models.ForeignKey("branches.ServicePoint", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="tickets",
                                verbose_name=_("counter"))
    served_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+", verbose_name=_("served by"))
    recall_count = models.PositiveSmallIntegerField(default=0, verbose_name=_("recall count"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    # Ordering time: the issue time, kept through a transfer unless the teller resets it.
    queued_at = models.DateTimeField(default=timezone.now, verbose_name=_("queued at"))
    first_called_at = models.DateTimeField(null=True, blank=True, verbose_name=_("first called at"))
    called_at = models.DateTimeField(null=True, blank=True, verbose_name=_("called at"))
    serving_started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("serving started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    parked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("parked at"))
    no_show_at = models.DateTimeField(null=True, blank=True, verbose_name=_("no-show at"))
    left_at = models.DateTimeField(null=True, blank=True, verbose_name=_("left at"))
    cancelled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("cancelled at"))

    quoted_wait_seconds = models.PositiveIntegerField(null=True, blank=True,
                                                      verbose_name=_("quoted wait seconds"))
    estimated_wait_seconds = models.PositiveIntegerField(null=True, blank=True,
                                                         verbose_name=_("estimated wait seconds"))
    position = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("position"))
    # Why the position last went up (someone went ahead): shown on the customer's ticket page.
    position_reason = models.CharField(max_length=20, blank=True, verbose_name=_("position reason"))
    actual_wait_seconds = models.PositiveIntegerField(null=True, blank=True,
                                                      verbose_name=_("actual wait seconds"))

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["issued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "business_date", "number"],
                                    name="queueing_ticket_number_unique_per_day"),
            models.UniqueConstraint(fields=["branch", "business_date", "prefix", "sequence"],
                                    name="queueing_ticket_sequence_unique_per_day"),
            models.CheckConstraint(condition=Q(sequence__gte=1),
                                   name="queueing_ticket_sequence_positive"),
        ]
        indexes = [
            models.Index(fields=["branch", "status"], name="queueing_ticket_branch_status"),
            models.Index(fields=["branch", "business_date"], name="queueing_ticket_branch_day"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def handling_seconds(self) -> int | None:
        if self.serving_started_at and self.finished_at:
            return int((self.finished_at - self.serving_started_at).total_seconds())
        return None


class TicketEventKind(models.TextChoices):
    ISSUED = "issued", _("Issued")
    CALLED = "called", _("Called")
    RECALLED = "recalled", _("Recalled")
    SERVING = "serving", _("Service started")
    DONE = "done", _("Finished")
    NO_SHOW = "no_show", _("No-show")
    REQUEUED = "requeued", _("Re-queued")
    TRANSFERRED = "transferred", _("Transferred")
    PARKED = "parked", _("Parked")
    RESUMED = "resumed", _("Back in the queue")
    PRIORITISED = "prioritised", _("Prioritised")
    CANCELLED = "cancelled", _("Cancelled")
    LEFT = "left", _("Customer left")
    NOTICE = "notice", _("Turn-near notice")


class TicketEvent(models.Model):
    """Every step of a ticket with its time: the ticket's own history (the audit trail has the who)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events",
                               verbose_name=_("ticket"))
    kind = models.CharField(max_length=12, choices=TicketEventKind.choices, verbose_name=_("kind"))
    at = models.DateTimeField(default=timezone.now, verbose_name=_("at"))
    counter = models.ForeignKey("branches.ServicePoint", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+", verbose_name=_("counter"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+", verbose_name=_("actor"))
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket} {self.get_kind_display()} {timezone.localtime(self.at):%H:%M:%S}"


class CounterSessionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(closed_at__isnull=True)


class CounterSession(models.Model):
    """A teller at a counter (or VTM) from opening to closing it. The counter's open / paused /
    closed state itself is `ServicePoint.status`; the session says who serves there."""

    counter = models.ForeignKey("branches.ServicePoint", on_delete=models.CASCADE,
                                related_name="queue_sessions", verbose_name=_("counter"))
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="counter_sessions", verbose_name=_("teller"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = CounterSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("counter session")
        verbose_name_plural = _("counter sessions")
        ordering = ["-opened_at"]
        constraints = [
            # A teller serves from one counter at a time, and a counter has one teller.
            models.UniqueConstraint(fields=["teller"], condition=Q(closed_at__isnull=True),
                                    name="queueing_one_open_counter_per_teller"),
            models.UniqueConstraint(fields=["counter"], condition=Q(closed_at__isnull=True),
                                    name="queueing_one_teller_per_open_counter"),
        ]

    def __str__(self) -> str:
        return f"{self.counter} {self.teller}"


class NoticeKind(models.TextChoices):
    POSITION = "position", _("About this many customers before me")
    MINUTES = "minutes", _("About this many minutes of waiting left")


class NoticeChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class NoticeOutcome(models.TextChoices):
    SENT = "sent", _("Sent")
    QUIET = "quiet", _("Not sent: quiet hours")
    FAILED = "failed", _("Not sent: the gateway refused it")


class TurnNoticeChoice(models.Model):
    """What the customer asked for on their ticket page: a notice when about `threshold`
    customers (or minutes) are left before their turn, by SMS or e-mail."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="notice_choice",
                                  verbose_name=_("ticket"))
    kind = models.CharField(_("notify me when"), max_length=8, choices=NoticeKind.choices)
    threshold = models.PositiveSmallIntegerField(_("threshold"))
    channel = models.CharField(_("channel"), max_length=8, choices=NoticeChannel.choices)
    # Given on the page when the ticket has no customer with this contact (a kiosk walk-in).
    address = EncryptedTextField(_("address"), blank=True)
    chosen_at = models.DateTimeField(_("chosen at"), default=timezone.now)

    class Meta:
        verbose_name = _("turn-near notice choice")
        verbose_name_plural = _("turn-near notice choices")
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gte=1),
                                   name="queueing_notice_choice_threshold_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} · {self.get_kind_display()} {self.threshold} · {self.get_channel_display()}"


class TurnNotice(models.Model):
    """One turn-near notice, sent (or held back) at most once per ticket, kind and threshold:
    the unique constraint is what makes it once, whatever number of refreshes or retries."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="notices",
                               verbose_name=_("ticket"))
    kind = models.CharField(_("notify me when"), max_length=8, choices=NoticeKind.choices)
    threshold = models.PositiveSmallIntegerField(_("threshold"))
    channel = models.CharField(_("channel"), max_length=8, choices=NoticeChannel.choices)
    outcome = models.CharField(_("outcome"), max_length=8, choices=NoticeOutcome.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    position = models.PositiveIntegerField(_("position in the queue"), null=True, blank=True)
    estimated_wait_seconds = models.PositiveIntegerField(_("estimated wait (seconds)"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("turn-near notice")
        verbose_name_plural = _("turn-near notices")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind", "threshold"],
                                    name="queueing_turn_notice_once"),
        ]

    def __str__(self) -> str:
        return (f"{self.ticket} · {self.get_channel_display()} · {self.get_outcome_display()} · "
                f"{timezone.localtime(self.at):%H:%M}")
