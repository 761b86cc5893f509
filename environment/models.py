"""Environment sensors of a branch, their readings kept as per-minute aggregates, the branch's
thresholds and the alerts they raise."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from environment.kinds import SPECS, Kind, format_value


class Sensor(models.Model):
    """A device that publishes readings to `<prefix>/<branch code>/<key>`."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="sensors",
                               verbose_name=_("branch"))
    key = models.SlugField(_("sensor key"), max_length=40,
                           help_text=_("The last part of the MQTT topic the sensor publishes to."))
    kind = models.CharField(_("measures"), max_length=20, choices=Kind.choices)
    location = models.CharField(_("location"), max_length=60, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    last_seen_at = models.DateTimeField(_("last reading at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["branch__code", "kind", "key"]
        constraints = [models.UniqueConstraint(fields=["branch", "key"], name="sensor_key_unique_in_branch")]
        verbose_name = _("environment sensor")
        verbose_name_plural = _("environment sensors")

    def __str__(self):
        return f"{self.branch.code}/{self.key}"

    @property
    def spec(self):
        return SPECS[self.kind]


class Threshold(models.Model):
    """A branch's comfortable range for one kind; without a row the standard's default applies."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="environment_thresholds",
                               verbose_name=_("branch"))
    kind = models.CharField(_("measures"), max_length=20, choices=Kind.choices)
    low = models.DecimalField(_("lowest"), max_digits=9, decimal_places=2, null=True, blank=True)
    high = models.DecimalField(_("highest"), max_digits=9, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("environment threshold")
        verbose_name_plural = _("environment thresholds")
        constraints = [
            models.UniqueConstraint(fields=["branch", "kind"], name="threshold_one_per_kind"),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lt=F("high")),
                name="threshold_low_below_high"),
        ]

    def __str__(self) -> str:
        return f"{self.branch} · {self.get_kind_display()}"


class ReadingMinute(models.Model):
    """Every reading of one sensor in one minute, folded into count, sum, min, max and last: a
    sensor sending every few seconds costs one row a minute."""

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="minutes",
                               verbose_name=_("sensor"))
    minute = models.DateTimeField(_("minute"))
    count = models.PositiveIntegerField(_("readings"))
    total = models.FloatField(_("sum"))
    low = models.FloatField(_("lowest"))
    high = models.FloatField(_("highest"))
    last = models.FloatField(_("last reading"))

    class Meta:
        verbose_name = _("sensor reading (per minute)")
        verbose_name_plural = _("sensor readings (per minute)")
        constraints = [
            models.UniqueConstraint(fields=["sensor", "minute"], name="reading_minute_unique"),
            models.CheckConstraint(condition=Q(count__gt=0) & Q(low__lte=F("high")),
                                   name="reading_minute_sane"),
        ]

    @property
    def mean(self) -> float:
        return self.total / self.count

    def __str__(self) -> str:
        return f"{self.sensor} {timezone.localtime(self.minute):%Y-%m-%d %H:%M}"


class AlertKind(models.TextChoices):
    TOO_HIGH = "too_high", _("Above the threshold")
    TOO_LOW = "too_low", _("Below the threshold")
    SILENT = "silent", _("Sensor silent")


_TEXTS = {
    AlertKind.TOO_HIGH: _("%(sensor)s at %(location)s reads %(value)s %(unit)s, above %(limit)s."),
    AlertKind.TOO_LOW: _("%(sensor)s at %(location)s reads %(value)s %(unit)s, below %(limit)s."),
    AlertKind.SILENT: _("Sensor %(sensor)s at %(location)s has sent nothing since %(since)s: check it."),
}


class SensorAlert(models.Model):
    """Raised when a reading leaves the branch's range or a sensor stops reporting; resolved when
    it comes back; acknowledged by a person whether or not it has resolved."""

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="sensor_alerts",
                               verbose_name=_("branch"))
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="alerts",
                               verbose_name=_("sensor"))
    kind = models.CharField(_("alert"), max_length=20, choices=AlertKind.choices)
    value = models.FloatField(_("value"), null=True, blank=True)
    limit = models.DecimalField(_("limit"), max_digits=9, decimal_places=2, null=True, blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("acknowledged by"))

    class Meta:
        verbose_name = _("sensor alert")
        verbose_name_plural = _("sensor alerts")
        ordering = ["-raised_at"]
        constraints = [
            # One alert per sensor and kind stays active until the condition clears.
            models.UniqueConstraint(fields=["sensor", "kind"], condition=Q(resolved_at__isnull=True),
                                    name="sensor_alert_one_active"),
        ]
        indexes = [models.Index(fields=["branch", "raised_at"])]

    @property
    def text(self) -> str:
        """The alert as a sentence in the active language, times in the branch's."""
        sensor = self.sensor
        since = sensor.last_seen_at or sensor.created_at
        return str(_TEXTS[self.kind]) % {
            "sensor": sensor.get_kind_display(), "location": sensor.location or sensor.key,
            "value": format_value(sensor.kind, self.value), "unit": sensor.spec.label,
            "limit": "" if self.limit is None else f"{self.limit.normalize():f}",
            "since": since.astimezone(sensor.branch.tz).strftime("%H:%M")}

    def __str__(self) -> str:
        raised = timezone.localtime(self.raised_at)
        return f"{self.sensor} · {self.get_kind_display()} · {raised:%Y-%m-%d %H:%M}"
