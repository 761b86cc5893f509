"""Daily roll-ups of the branch's operational data. Dashboards read only these tables, so a page
over a year of tickets sums a few thousand rows instead of scanning millions of tickets.

Every row is derived: `insights.services.rollup_day` deletes and rebuilds the rows of one branch
and day, so recomputing a day replaces it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Upper bounds (minutes) of the wait histogram buckets; the last bucket is open-ended.
WAIT_BUCKETS = (5, 10, 15, 20, 30, 45, 60)
WAIT_BUCKET_FIELDS = [f"wait_lt{m}" for m in WAIT_BUCKETS] + ["wait_ge60"]


class TicketFlow(models.Model):
    """Sums over tickets, additive across any grouping (hour, service, branch, period)."""

    arrivals = models.PositiveIntegerField(default=0, verbose_name=_("arrivals"))
    served = models.PositiveIntegerField(default=0, verbose_name=_("served"))
    no_shows = models.PositiveIntegerField(default=0, verbose_name=_("no-shows"))
    cancelled = models.PositiveIntegerField(default=0, verbose_name=_("cancelled"))
    # Left during service: not served, not a no-show either.
    left = models.PositiveIntegerField(default=0, verbose_name=_("left"))
    appointment_arrivals = models.PositiveIntegerField(default=0, verbose_name=_("appointment arrivals"))
    waited = models.PositiveIntegerField(default=0, verbose_name=_("waited"))
    wait_seconds = models.BigIntegerField(default=0, verbose_name=_("wait seconds"))
    wait_lt5 = models.PositiveIntegerField(default=0, verbose_name=_("waits under 5 min"))
    wait_lt10 = models.PositiveIntegerField(default=0, verbose_name=_("waits under 10 min"))
    wait_lt15 = models.PositiveIntegerField(default=0, verbose_name=_("waits under 15 min"))
    wait_lt20 = models.PositiveIntegerField(default=0, verbose_name=_("waits under 20 min"))
    wait_lt30 = models.PositiveIntegerField(default=0, verbose_name=_("waits under 30 min"))
    wait_lt45 = models.PositiveIntegerField(default=0, verbose_name=_("waits under 45 min"))
    wait_lt60 = models.PositiveIntegerField(default=0, verbose_name=_("waits under 60 min"))
    wait_ge60 = models.PositiveIntegerField(default=0, verbose_name=_("waits of 60 min or more"))
    quoted = models.PositiveIntegerField(default=0, verbose_name=_("quoted"))
    quote_error_seconds = models.BigIntegerField(default=0, verbose_name=_("quote error seconds"))
    handled = models.PositiveIntegerField(default=0, verbose_name=_("handled"))
    handling_seconds = models.BigIntegerField(default=0, verbose_name=_("handling seconds"))
    target_seconds = models.BigIntegerField(default=0, verbose_name=_("target seconds"))

    class Meta:
        abstract = True


class HourlyStat(TicketFlow):
    """Tickets of one branch, business day, hour of issue (branch local time) and service."""

    branch = models.ForeignKey("branches.Branch", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("branch"))
    date = models.DateField(verbose_name=_("date"))
    hour = models.PositiveSmallIntegerField(verbose_name=_("hour"))
    service_type = models.ForeignKey("branches.ServiceType", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("service type"))
    zone_kind = models.CharField(max_length=20, verbose_name=_("zone kind"))

    class Meta:
        verbose_name = _("hourly figure")
        verbose_name_plural = _("hourly figures")
        constraints = [
            models.UniqueConstraint(fields=["branch", "date", "hour", "service_type"],
                                    name="insights_hourly_unique"),
            models.CheckConstraint(condition=models.Q(hour__lte=23), name="insights_hourly_hour"),
        ]
        indexes = [models.Index(fields=["branch", "date"], name="insights_hourly_branch_day")]

    def __str__(self) -> str:
        return f"{self.branch.code} {self.date:%Y-%m-%d} {self.hour:02d}:00 {self.service_type}"


class RosterHourStat(models.Model):
    """Counters staffed in one hour against the counters the hour's arrivals needed (Erlang C)."""

    branch = models.ForeignKey("branches.Branch", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("branch"))
    date = models.DateField(verbose_name=_("date"))
    hour = models.PositiveSmallIntegerField(verbose_name=_("hour"))
    staffed_seconds = models.PositiveIntegerField(default=0, verbose_name=_("staffed seconds"))
    busy_seconds = models.PositiveIntegerField(default=0, verbose_name=_("busy seconds"))
    counters_needed = models.PositiveSmallIntegerField(default=0, verbose_name=_("counters needed"))

    class Meta:
        verbose_name = _("roster hour figure")
        verbose_name_plural = _("roster hour figures")
        constraints = [
            models.UniqueConstraint(fields=["branch", "date", "hour"], name="insights_roster_unique"),
            models.CheckConstraint(condition=models.Q(hour__lte=23), name="insights_roster_hour"),
        ]

    def __str__(self) -> str:
        return f"{self.branch.code} {self.date:%Y-%m-%d} {self.hour:02d}:00"


class TellerDayStat(models.Model):
    """What one teller served of one service on one day."""

    branch = models.ForeignKey("branches.Branch", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("branch"))
    date = models.DateField(verbose_name=_("date"))
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("teller"))
    service_type = models.ForeignKey("branches.ServiceType", on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("service type"))
    zone_kind = models.CharField(max_length=20, verbose_name=_("zone kind"))
    served = models.PositiveIntegerField(default=0, verbose_name=_("served"))
    handled = models.PositiveIntegerField(default=0, verbose_name=_("handled"))
    handling_seconds = models.BigIntegerField(default=0, verbose_name=_("handling seconds"))
    target_seconds = models.BigIntegerField(default=0, verbose_name=_("target seconds"))

    class Meta:
        verbose_name = _("teller day figure")
        verbose_name_plural = _("teller day figures")
        constraints = [
            models.UniqueConstraint(fields=["branch", "date", "teller", "service_type"],
                                    name="insights_teller_unique"),
        ]
        indexes = [models.Index(fields=["branch", "date"], name="insights_teller_branch_day")]

    def __str__(self) -> str:
        return f"{self.branch.code} {self.date:%Y-%m-%d} {self.teller} {self.service_type}"


class TellerPresence(models.Model):
    """Seconds one teller had a counter open on one day (the utilisation denominator)."""

    branch = models.ForeignKey("branches.Branch", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("branch"))
    date = models.DateField(verbose_name=_("date"))
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("teller"))
    staffed_seconds = models.PositiveIntegerField(default=0, verbose_name=_("staffed seconds"))

    class Meta:
        verbose_name = _("teller presence")
        verbose_name_plural = _("teller presences")
        constraints = [
            models.UniqueConstraint(fields=["branch", "date", "teller"], name="insights_presence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.branch.code} {self.date:%Y-%m-%d} {self.teller}"


class BranchDayStat(TicketFlow):
    """Everything about one branch and day in one row: the head-office view reads only this."""

    branch = models.ForeignKey("branches.Branch", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("branch"))
    date = models.DateField(verbose_name=_("date"))
    staffed_seconds = models.BigIntegerField(default=0, verbose_name=_("staffed seconds"))
    busy_seconds = models.BigIntegerField(default=0, verbose_name=_("busy seconds"))
    counter_hours_needed = models.PositiveIntegerField(default=0, verbose_name=_("counter hours needed"))
    understaffed_hours = models.PositiveSmallIntegerField(default=0, verbose_name=_("understaffed hours"))
    appointments = models.PositiveIntegerField(default=0, verbose_name=_("appointments"))
    appointments_checked_in = models.PositiveIntegerField(default=0,
                                                          verbose_name=_("appointments checked in"))
    appointments_on_time = models.PositiveIntegerField(default=0, verbose_name=_("appointments on time"))
    appointments_no_show = models.PositiveIntegerField(default=0, verbose_name=_("appointments not shown"))
    complaints = models.PositiveIntegerField(default=0, verbose_name=_("complaints"))
    sla_due = models.PositiveIntegerField(default=0, verbose_name=_("SLA due"))
    sla_met = models.PositiveIntegerField(default=0, verbose_name=_("SLA met"))
    surveys = models.PositiveIntegerField(default=0, verbose_name=_("surveys"))
    survey_score_sum = models.PositiveIntegerField(default=0, verbose_name=_("survey score sum"))
    promoters = models.PositiveIntegerField(default=0, verbose_name=_("promoters"))
    detractors = models.PositiveIntegerField(default=0, verbose_name=_("detractors"))
    # Ratings of service visits (1–5, offered on the e-receipt), apart from the 0–10 ones above.
    visit_surveys = models.PositiveIntegerField(default=0, verbose_name=_("visit surveys"))
    visit_score_sum = models.PositiveIntegerField(default=0, verbose_name=_("visit score sum"))
    visit_low_scores = models.PositiveIntegerField(default=0, verbose_name=_("visit low scores"))
    compliance_records = models.PositiveIntegerField(default=0, verbose_name=_("compliance records"))
    compliance_covered = models.PositiveIntegerField(default=0, verbose_name=_("compliance covered"))
    computed_at = models.DateTimeField(auto_now=True, verbose_name=_("computed at"))

    class Meta:
        verbose_name = _("branch day figure")
        verbose_name_plural = _("branch day figures")
        constraints = [
            models.UniqueConstraint(fields=["branch", "date"], name="insights_branch_day_unique"),
        ]
        indexes = [models.Index(fields=["date", "branch"], name="insights_day_branch")]

    def __str__(self) -> str:
        return f"{self.branch.code} {self.date:%Y-%m-%d}"


class StarMetric(models.TextChoices):
    SERVED = "served", _("Customers served")
    HANDLING = "handling", _("Handling time against target")
    VERIFICATION = "verification", _("Verification rate")
    RATING = "rating", _("Mean customer rating")
    COMPLAINTS = "complaints", _("Complaints per 100 served")


# Metrics where a smaller figure earns more stars.
LOWER_IS_BETTER = frozenset({StarMetric.HANDLING, StarMetric.COMPLAINTS})


class StarRule(models.Model):
    """Head office's thresholds for one metric of the monthly star rating (docs/insights.md).

    A teller earns one star on the metric, plus one for each threshold reached: `two` … `five`
    stars. For handling time (actual ÷ target) and complaints a threshold is reached at or below
    it, for the others at or above it. The overall rating is the weighted mean, rounded."""

    metric = models.CharField(_("metric"), max_length=20, choices=StarMetric.choices, unique=True)
    two = models.FloatField(_("2 stars"))
    three = models.FloatField(_("3 stars"))
    four = models.FloatField(_("4 stars"))
    five = models.FloatField(_("5 stars"))
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("star rating rule")
        verbose_name_plural = _("star rating rules")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(two__lte=models.F("three"), three__lte=models.F("four"),
                                    four__lte=models.F("five"))
                           | models.Q(two__gte=models.F("three"), three__gte=models.F("four"),
                                      four__gte=models.F("five"))),
                name="insights_star_thresholds_monotonic",
            ),
        ]

    def __str__(self):
        return self.metric

    @property
    def thresholds(self) -> list[float]:
        return [self.two, self.three, self.four, self.five]


# The starting rule set (docs/insights.md), seeded by migration 0004 and used for any metric whose
# row is missing: metric → (2, 3, 4, 5 stars, weight).
DEFAULT_STAR_RULES = {
    StarMetric.SERVED: (150, 250, 350, 450, 1),
    StarMetric.HANDLING: (1.5, 1.25, 1.0, 0.85, 1),
    StarMetric.VERIFICATION: (0.8, 0.9, 0.95, 0.99, 1),
    StarMetric.RATING: (3.5, 4.0, 4.5, 4.8, 2),
    StarMetric.COMPLAINTS: (3.0, 2.0, 1.0, 0.5, 2),
}


def default_star_rule(metric: str) -> StarRule:
    two, three, four, five, weight = DEFAULT_STAR_RULES[metric]
    return StarRule(metric=metric, two=two, three=three, four=four, five=five, weight=weight)


def current_star_rules() -> list[StarRule]:
    """Head office's rules, one per metric in StarMetric order; a missing row is its default."""
    stored = {r.metric: r for r in StarRule.objects.all()}
    return [stored.get(m) or default_star_rule(m) for m in StarMetric.values]


class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Roster(models.Model):
    """Who works at which counter in each half-hour of one branch day (docs/rosters.md).

    Generated from the staffing forecast (insights.rosters), edited by the branch's managers,
    published for the tellers. Slots are half-hour indexes from local midnight (19 = 09:30)."""

    branch = models.ForeignKey("branches.Branch", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("branch"))
    date = models.DateField(verbose_name=_("date"))
    status = models.CharField(_("status"), max_length=10, choices=RosterStatus.choices,
                              default=RosterStatus.DRAFT)
    # The forecast the roster was made for, per slot: {"slot": {"needed": n, "zones": [...]}}.
    forecast = models.JSONField(_("forecast"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+", verbose_name=_("published by"))

    class Meta:
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")
        constraints = [models.UniqueConstraint(fields=["branch", "date"], name="insights_roster_day")]

    def __str__(self):
        return f"{self.branch_id} {self.date}"


class SlotKind(models.TextChoices):
    COUNTER = "counter", _("At a counter")
    BREAK = "break", _("Break")


class RosterSlot(models.Model):
    """One teller in one half-hour: at a counter, or on a break. No row: not at a counter."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="slots",
                               verbose_name=_("roster"))
    slot = models.PositiveSmallIntegerField(_("half-hour"))
    teller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("teller"))
    kind = models.CharField(_("kind"), max_length=10, choices=SlotKind.choices)
    counter = models.ForeignKey("branches.ServicePoint", on_delete=models.CASCADE, null=True,
                                blank=True, related_name="+", verbose_name=_("counter"))

    class Meta:
        verbose_name = _("roster half-hour")
        verbose_name_plural = _("roster half-hours")
        ordering = ["roster", "teller", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["roster", "slot", "teller"], name="insights_slot_teller"),
            models.UniqueConstraint(fields=["roster", "slot", "counter"], name="insights_slot_counter"),
            models.CheckConstraint(condition=models.Q(slot__lte=47), name="insights_slot_in_day"),
            models.CheckConstraint(
                condition=(models.Q(kind="counter", counter__isnull=False)
                           | models.Q(kind="break", counter__isnull=True)),
                name="insights_slot_counter_iff_work"),
        ]

    def __str__(self) -> str:
        return f"{self.roster} · {self.teller} · {self.get_kind_display()}"


class RosterGapAlert(models.Model):
    """The day-ahead check found tomorrow's roster short of tomorrow's forecast (one per day)."""

    branch = models.ForeignKey("branches.Branch", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("branch"))
    date = models.DateField(verbose_name=_("date"))
    raised_at = models.DateTimeField(_("raised"))
    gaps = models.JSONField(_("gaps"), default=list)

    class Meta:
        verbose_name = _("roster gap alert")
        verbose_name_plural = _("roster gap alerts")
        constraints = [models.UniqueConstraint(fields=["branch", "date"], name="insights_gap_alert_day")]

    def __str__(self) -> str:
        return f"{self.branch} · {self.date:%Y-%m-%d} · {self._meta.verbose_name}"
