import datetime as dt
import hashlib
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.calendar import DayKind, day_kind
from branches.people import person_name
from branches.roles import NETWORK_ROLES, Role
from core.i18n import english


class Localized(models.Model):
    """Content with `<field>_zh_hans` and `<field>_en` columns; `localized(field)` picks the
    active language — English for the languages content is not written in (a Japanese or Korean
    customer reads the English name) — and falls back to Chinese."""

    class Meta:
        abstract = True

    def localized(self, field: str) -> str:
        suffix = "en" if english() else "zh_hans"
        return getattr(self, f"{field}_{suffix}") or getattr(self, f"{field}_zh_hans")

    @property
    def name(self) -> str:
        return self.localized("name")

    def __str__(self):
        return self.name


class Branch(Localized):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=50, blank=True)
    address_zh_hans = models.CharField(_("address (Chinese)"), max_length=200, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=200, blank=True)
    timezone = models.CharField(_("time zone"), max_length=50, default="Asia/Shanghai")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True,
                                   blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True,
                                    blank=True)
    phone = models.CharField(_("branch phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(
        _("demo branch"), default=False,
        help_text=_("Open around the clock every day, holidays included, so the system can be "
                    "tried at any hour. Never set for a real branch."))
    queue_settings = models.JSONField(
        _("queue settings"), default=dict, blank=True,
        help_text=_("Routing and call-next weights, remote ticket limits; see the queueing docs."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def address(self) -> str:
        return self.localized("address")

    def local_now(self) -> dt.datetime:
        return timezone.now().astimezone(self.tz)

    def hours_on(self, day: dt.date) -> list[tuple[dt.time, dt.time]]:
        """Opening periods on `day` (the lunch break splits the day in two)."""
        if self.is_demo:
            return [(dt.time(0), dt.time.max)]
        override = self.calendar_exceptions.filter(date=day).first()
        if override is not None:
            if override.kind == CalendarException.Kind.CLOSED:
                return []
            if override.kind == CalendarException.Kind.SPECIAL_HOURS:
                return [(override.opens, override.closes)]
        kind = day_kind(day, branch=self)
        if kind == DayKind.HOLIDAY:
            return []
        # A make-up working day keeps the hours of a regular working day (Monday's).
        weekday = 0 if kind == DayKind.MAKEUP_WORKDAY else day.weekday()
        hours = self.opening_hours.filter(weekday=weekday).first()
        return hours.periods() if hours else []

    def is_open_at(self, moment: dt.datetime) -> bool:
        local = moment.astimezone(self.tz)
        return any(start <= local.time() < end for start, end in self.hours_on(local.date()))


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="opening_hours",
                               verbose_name=_("branch"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    break_start = models.TimeField(_("break starts"), null=True, blank=True)
    break_end = models.TimeField(_("break ends"), null=True, blank=True)

    class Meta:
        ordering = ["branch", "weekday"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.UniqueConstraint(fields=["branch", "weekday"], name="one_opening_hours_per_day"),
            models.CheckConstraint(condition=Q(opens__lt=models.F("closes")),
                                   name="opening_hours_opens_before_closes"),
            models.CheckConstraint(
                condition=Q(break_start__isnull=True, break_end__isnull=True)
                | Q(break_start__lt=models.F("break_end"), break_start__gt=models.F("opens"),
                    break_end__lt=models.F("closes")),
                name="opening_hours_break_inside_day"),
        ]

    def __str__(self):
        return f"{self.branch.code} {self.get_weekday_display()} {self.opens}-{self.closes}"

    def periods(self) -> list[tuple[dt.time, dt.time]]:
        if self.break_start and self.break_end:
            return [(self.opens, self.break_start), (self.break_end, self.closes)]
        return [(self.opens, self.closes)]


class CalendarException(models.Model):
    """One branch closed, or open with special hours, on one day. Which days are holidays or
    make-up working days is the official calendar's business (ScheduleDay)."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Branch closed")
        SPECIAL_HOURS = "special_hours", _("Special opening hours")

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE,
                               related_name="calendar_exceptions", verbose_name=_("branch"))
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        constraints = [
            models.UniqueConstraint(fields=["branch", "date"], name="one_exception_per_branch_day"),
            models.CheckConstraint(
                condition=~Q(kind="special_hours")
                | Q(opens__isnull=False, closes__isnull=False, opens__lt=models.F("closes")),
                name="special_hours_have_hours"),
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


class ScheduleYear(models.Model):
    """Whether head office has confirmed a year's official schedule (the State Council's notice,
    with its make-up working days). Until then the year is provisional: rule-based holidays."""

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", _("Provisional (rule-based holidays)")
        CONFIRMED = "confirmed", _("Confirmed (official schedule)")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.PROVISIONAL)
    source = models.CharField(_("source"), max_length=200, blank=True,
                              help_text=_("The notice the schedule comes from."))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+", verbose_name=_("confirmed by"))
    # The branch-local date head office was last warned that this year is not confirmed yet.
    alerted_on = models.DateField(_("last horizon alert"), null=True, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("schedule year")
        verbose_name_plural = _("schedule years")

    def __str__(self):
        return f"{self.year} {self.get_status_display()}"


class ScheduleDay(models.Model):
    """One day of the official calendar head office keeps: a holiday or a make-up working day,
    for the whole network, one region (Branch.region) or one branch."""

    class Kind(models.TextChoices):
        HOLIDAY = DayKind.HOLIDAY.value, _("Public holiday")
        MAKEUP_WORKDAY = DayKind.MAKEUP_WORKDAY.value, _("Make-up working day")

    class Scope(models.TextChoices):
        NATIONAL = "national", _("National")
        REGION = "region", _("Region")
        BRANCH = "branch", _("Branch")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices,
                             default=Scope.NATIONAL)
    region = models.CharField(_("region"), max_length=50, blank=True)
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="schedule_days", verbose_name=_("branch"))

    class Meta:
        ordering = ["date", "scope"]
        verbose_name = _("official calendar day")
        verbose_name_plural = _("official calendar days")
        constraints = [
            models.UniqueConstraint(fields=["date"], condition=Q(scope="national"),
                                    name="one_national_schedule_day"),
            models.UniqueConstraint(fields=["date", "region"], condition=Q(scope="region"),
                                    name="one_region_schedule_day"),
            models.UniqueConstraint(fields=["date", "branch"], condition=Q(scope="branch"),
                                    name="one_branch_schedule_day"),
            models.CheckConstraint(
                condition=Q(scope="national", region="", branch__isnull=True)
                | Q(scope="region", branch__isnull=True) & ~Q(region="")
                | Q(scope="branch", region="", branch__isnull=False),
                name="schedule_day_scope_matches"),
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"


class Zone(Localized):
    class Kind(models.TextChoices):
        CASH = "cash", _("Cash")
        NON_CASH = "non_cash", _("Non-cash")
        VIP = "vip", _("VIP")
        WEALTH = "wealth", _("Wealth")
        SELF_SERVICE = "self_service", _("Self-service")

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="zones",
                               verbose_name=_("branch"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50, blank=True)
    ticket_prefix = models.CharField(_("ticket prefix"), max_length=1)

    class Meta:
        ordering = ["branch", "ticket_prefix"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        constraints = [
            models.UniqueConstraint(fields=["branch", "kind"], name="one_zone_per_kind"),
            models.UniqueConstraint(fields=["branch", "ticket_prefix"], name="unique_zone_prefix"),
        ]


class ServiceType(Localized):
    class Category(models.TextChoices):
        DEPOSIT = "deposit", _("Deposits and withdrawals")
        TRANSFER = "transfer", _("Transfers")
        CARD = "card", _("Cards")
        ACCOUNT = "account", _("Accounts")
        WEALTH = "wealth", _("Wealth management")
        LOAN = "loan", _("Loans")
        FX = "fx", _("Foreign exchange")
        REMITTANCE = "remittance", _("Cross-border remittance")
        OTHER = "other", _("Other")

    class Complexity(models.TextChoices):
        INSTANT = "instant", _("Instant (≤ 5 min)")
        COMPLEX = "complex", _("Complex (≤ 15 min)")
        SPECIAL = "special", _("Special (≥ 30 min)")

    class RiskLevel(models.TextChoices):
        R1 = "R1", "R1"
        R2 = "R2", "R2"
        R3 = "R3", "R3"
        R4 = "R4", "R4"
        R5 = "R5", "R5"

    code = models.CharField(_("code"), max_length=30, unique=True)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    description_zh_hans = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    complexity = models.CharField(_("complexity class"), max_length=10, choices=Complexity.choices)
    target_minutes = models.PositiveSmallIntegerField(_("target minutes"))
    allow_kiosk = models.BooleanField(_("can be done at a kiosk"), default=False)
    allow_vtm = models.BooleanField(_("can be done at a video teller"), default=False)
    allow_counter = models.BooleanField(_("can be done at a counter"), default=True)
    zone_kind = models.CharField(_("queue zone"), max_length=20, choices=Zone.Kind.choices)
    risk_level = models.CharField(_("product risk level"), max_length=2,
                                  choices=RiskLevel.choices, blank=True)
    needs_appointment = models.BooleanField(_("needs an appointment"), default=False)
    keywords = models.CharField(_("search keywords"), max_length=200, blank=True)
    icon = models.CharField(_("icon"), max_length=40, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")
        constraints = [
            models.CheckConstraint(
                condition=Q(complexity="instant", target_minutes__lte=5)
                | Q(complexity="complex", target_minutes__lte=15)
                | Q(complexity="special", target_minutes__gte=30),
                name="target_minutes_fit_complexity"),
            models.CheckConstraint(condition=Q(allow_kiosk=True) | Q(allow_vtm=True)
                                   | Q(allow_counter=True), name="service_has_a_channel"),
        ]

    @property
    def allowed_channels(self) -> frozenset[str]:
        flags = {"kiosk": self.allow_kiosk, "vtm": self.allow_vtm, "counter": self.allow_counter}
        return frozenset(name for name, allowed in flags.items() if allowed)

    @property
    def description(self) -> str:
        return self.localized("description")

    def current_form_schema(self) -> "FormSchema | None":
        return self.form_schemas.order_by("-version").first()


class FormSchema(models.Model):
    """One version of a service's business form. Versions are never edited: a change is a new
    version, and every pre-filled copy keeps the version it was filled on."""

    service_type = models.ForeignKey(ServiceType, on_delete=models.PROTECT,
                                     related_name="form_schemas", verbose_name=_("service type"))
    version = models.PositiveIntegerField(_("version"))
    fields = models.JSONField(_("fields"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["service_type", "-version"]
        verbose_name = _("form schema")
        verbose_name_plural = _("form schemas")
        constraints = [models.UniqueConstraint(fields=["service_type", "version"],
                                               name="unique_form_schema_version")]

    def __str__(self):
        return f"{self.service_type.code} v{self.version}"


class WorkMode(models.TextChoices):
    ORDER = "order", _("In order")
    RATIO = "ratio", _("By ratio")


class ServicePoint(models.Model):
    class Kind(models.TextChoices):
        COUNTER = "counter", _("Counter")
        KIOSK = "kiosk", _("Kiosk")
        VTM = "vtm", _("Video teller (VTM)")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="service_points",
                               verbose_name=_("branch"))
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="service_points",
                             verbose_name=_("zone"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=10)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.CLOSED)
    pause_reason = models.CharField(_("pause reason"), max_length=200, blank=True)
    service_types = models.ManyToManyField(ServiceType, blank=True, related_name="service_points",
                                           verbose_name=_("services it can serve"))
    capabilities = models.JSONField(
        _("capabilities"), default=dict, blank=True,
        help_text=_('Device capabilities, e.g. {"camera": true, "printer": true}.'))
    # The counter's work profile: the queues (ticket prefixes) it calls from, in order or by
    # ratio. Empty: its own zone's queue, then every queue its skills cover, on score alone.
    # Set through queueing.services.counter_set_work_profile.
    work_queues = models.JSONField(_("queues served"), default=list, blank=True)
    work_mode = models.CharField(_("calling order"), max_length=8, choices=WorkMode.choices,
                                 default=WorkMode.ORDER)
    work_ratios = models.JSONField(_("queue ratios"), default=list, blank=True)

    class Meta:
        ordering = ["branch", "kind", "code"]
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        constraints = [models.UniqueConstraint(fields=["branch", "code"],
                                               name="unique_service_point_code")]

    def __str__(self):
        return f"{self.branch.code}/{self.code}"

    @property
    def name(self) -> str:
        suffix = "en" if english() else "zh_hans"
        return getattr(self, f"name_{suffix}") or self.name_zh_hans


class Department(Localized):
    class Kind(models.TextChoices):
        CREDIT = "credit", _("Credit")
        FX = "fx", _("Foreign exchange")
        WEALTH = "wealth", _("Wealth management")
        RISK_COMPLIANCE = "risk_compliance", _("Risk and compliance")
        CUSTOMER_SERVICE = "customer_service", _("Customer service")
        OPERATIONS = "operations", _("Operations")
        RETAIL = "retail", _("Retail banking")

    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="departments",
                               help_text=_("Empty for a head-office department."), verbose_name=_("branch"))
    head = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="headed_departments", verbose_name=_("head"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class StaffProfile(models.Model):
    class Seniority(models.TextChoices):
        JUNIOR = "junior", _("Junior")
        SENIOR = "senior", _("Senior")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="staff_profile", verbose_name=_("user"))
    employee_no = models.CharField(_("employee number"), max_length=20, unique=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="staff", verbose_name=_("branch"))
    department = models.ForeignKey(Department, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="staff", verbose_name=_("department"))
    skills = models.ManyToManyField(ServiceType, blank=True, related_name="skilled_staff",
                                    verbose_name=_("skills"))
    languages = models.JSONField(_("languages"), default=list, blank=True)
    seniority = models.CharField(_("seniority"), max_length=10, choices=Seniority.choices,
                                 default=Seniority.JUNIOR)
    is_remote_teller = models.BooleanField(_("serves video tellers"), default=False)
    sign_language = models.BooleanField(_("answers sign-language video calls"), default=False)

    class Meta:
        ordering = ["employee_no"]
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(branch__isnull=False) | Q(role__in=sorted(r.value for r in NETWORK_ROLES)),
                name="branch_staff_have_a_branch"),
            models.CheckConstraint(condition=~Q(role=Role.CUSTOMER.value),
                                   name="customers_have_no_staff_profile"),
        ]

    def __str__(self):
        return f"{self.employee_no} {person_name(self.user)}"


class DeviceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, branch__is_active=True)

    def by_token(self, token: str) -> "Device | None":
        if not token or len(token) > 200:
            return None
        return self.active().select_related("branch", "service_point").filter(
            token_hash=Device.hash_token(token)).first()


class Device(models.Model):
    class Kind(models.TextChoices):
        KIOSK = "kiosk", _("Kiosk")
        VTM = "vtm", _("Video teller (VTM)")
        LOBBY_SCREEN = "lobby_screen", _("Lobby screen")
        ENTRANCE_CAMERA = "entrance_camera", _("Entrance camera")

    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="devices",
                               verbose_name=_("branch"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    service_point = models.ForeignKey(ServicePoint, on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="devices", verbose_name=_("service point"))
    token_prefix = models.CharField(_("token prefix"), max_length=12)
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("token hash"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("revoked by"))
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        ordering = ["branch", "kind", "name"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")

    def __str__(self):
        return f"{self.branch.code}/{self.name}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ApiScope(models.TextChoices):
    """What an integration's API client may do: a family of endpoints, read (GET) or write."""

    QUEUE_READ = "queue:read", _("Queues: read")
    QUEUE_WRITE = "queue:write", _("Queues: issue, call and serve tickets")
    COUNTER_READ = "counter:read", _("Counters: read")
    COUNTER_WRITE = "counter:write", _("Counters: write")
    APPOINTMENTS_READ = "appointments:read", _("Appointments: read")
    APPOINTMENTS_WRITE = "appointments:write", _("Appointments: write")
    KNOWLEDGE_READ = "knowledge:read", _("Knowledge: read")
    KNOWLEDGE_WRITE = "knowledge:write", _("Knowledge: write")
    SERVICEDESK_READ = "servicedesk:read", _("Service desk: read")
    SERVICEDESK_WRITE = "servicedesk:write", _("Service desk: open and update work orders")
    CUSTOMERS_READ = "customers:read", _("Customers: read (masked)")
    BRANCHES_READ = "branches:read", _("Branches and catalogue: read")
    AUDIT_READ = "audit:read", _("Audit trail: read")


class ApiClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiClient(models.Model):
    """A machine-to-machine client (core banking, CRM, a data warehouse): its key authenticates
    as the client's own technical account, which holds a role and a branch like a staff member,
    and its scopes limit which endpoint families it may use. The key is shown once; only its
    hash is stored."""

    name = models.CharField(_("name"), max_length=100)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="api_client", verbose_name=_("technical account"))
    scopes = models.JSONField(_("scopes"), default=list)
    key_prefix = models.CharField(_("key prefix"), max_length=12, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("revoked by"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")

    def __str__(self):
        return self.name

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


from branches.floorplans import FloorMarker, FloorPlan  # noqa: E402, F401 - the floor plan's models
