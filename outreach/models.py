"""Home visits (上门服务) for customers who cannot come to the branch."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Eligibility(models.TextChoices):
    AGE = "age", pgettext_lazy("home visit eligibility", "Elderly")
    DISABILITY = "disability", pgettext_lazy("home visit eligibility", "Disability")
    BEDRIDDEN = "bedridden", pgettext_lazy("home visit eligibility", "Bedridden or seriously ill")


class RequestChannel(models.TextChoices):
    PHONE = "phone", _("Customer's phone")
    STAFF = "staff", _("Branch staff")


class VisitStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("At the customer's home")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class IdentityMethod(models.TextChoices):
    ID_CARD_READER = "id_card_reader", _("ID card read by the card reader")
    FACE = "face", _("Face compared with the ID card photo")
    DOCUMENT = "document", _("ID document checked by both staff")


class HomeVisit(models.Model):
    branch = models.ForeignKey(
        "branches.Branch", on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="home_visits", verbose_name=_("customer")
    )
    service_type = models.ForeignKey(
        "branches.ServiceType", on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    eligibility = models.CharField(max_length=12, choices=Eligibility.choices, verbose_name=_("eligible as"))
    reason = models.TextField(blank=True, verbose_name=_("reason"))
    address = models.CharField(max_length=200, verbose_name=pgettext_lazy("place", "address"))
    channel = models.CharField(
        max_length=8, choices=RequestChannel.choices, verbose_name=_("requested through")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(default=timezone.now, verbose_name=_("requested at"))
    due_by = models.DateTimeField(verbose_name=_("visit due by"))
    work_order = models.ForeignKey(
        "servicedesk.WorkOrder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("work order"),
    )
    status = models.CharField(
        max_length=12, choices=VisitStatus.choices, default=VisitStatus.REQUESTED, verbose_name=_("status")
    )
    scheduled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("visit time"))
    lead_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead staff"),
    )
    second_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second staff"),
    )
    identity_method = models.CharField(
        max_length=16, choices=IdentityMethod.choices, blank=True, verbose_name=_("identity checked by")
    )
    identity_verified_at = models.DateTimeField(null=True, blank=True, verbose_name=_("identity checked at"))
    signature_sha256 = models.CharField(max_length=64, blank=True, verbose_name=_("signature SHA-256"))
    service_record = models.ForeignKey(
        "counter.ServiceRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service record"),
    )
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))
    cancelled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("cancelled at"))
    cancel_reason = models.CharField(max_length=200, blank=True, verbose_name=_("why cancelled"))

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["due_by"]
        constraints = [
            # The two-person rule, in the database too: two different people go.
            models.CheckConstraint(
                condition=Q(lead_staff__isnull=True)
                | Q(second_staff__isnull=True)
                | ~Q(lead_staff=F("second_staff")),
                name="outreach_two_distinct_staff",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["requested", "cancelled"])
                | (
                    Q(lead_staff__isnull=False)
                    & Q(second_staff__isnull=False)
                    & Q(scheduled_at__isnull=False)
                ),
                name="outreach_scheduled_has_two_staff",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed")
                | (~Q(signature_sha256="") & Q(service_record__isnull=False)),
                name="outreach_completed_is_signed_and_recorded",
            ),
            models.CheckConstraint(
                condition=Q(eligibility="age") | ~Q(reason=""), name="outreach_flag_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.customer.masked_name} {self.get_status_display()}"


class PhotoKind(models.TextChoices):
    ID_DOCUMENT = "id_document", _("ID document")
    SCENE = "scene", _("Customer with staff")
    PAPERWORK = "paperwork", _("Signed paperwork")


class HomeVisitPhoto(models.Model):
    visit = models.ForeignKey(
        HomeVisit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("home visit")
    )
    kind = models.CharField(max_length=12, choices=PhotoKind.choices, verbose_name=_("kind"))
    image = models.FileField(upload_to="outreach/visits/%Y/%m/", verbose_name=_("photo"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("taken by")
    )
    taken_at = models.DateTimeField(default=timezone.now, verbose_name=_("taken at"))

    class Meta:
        verbose_name = _("home visit photo")
        verbose_name_plural = _("home visit photos")
        ordering = ["taken_at", "pk"]

    def __str__(self) -> str:
        return f"{self.visit} · {self.get_kind_display()}"


# --- post-sale monitoring of wealth products --------------------------------------------------------


class WealthProduct(models.Model):
    """A wealth-management product the bank sold, with its risk level (R1–R5)."""

    code = models.CharField(max_length=40, unique=True, verbose_name=_("product code"))
    name = models.CharField(max_length=120, verbose_name=_("name"))
    risk_level = models.CharField(max_length=2, verbose_name=_("product risk level"))

    class Meta:
        verbose_name = _("wealth product")
        verbose_name_plural = _("wealth products")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Holding(models.Model):
    """A customer's purchase of a product, watched after the sale. ``alert_armed`` is the
    once-per-crossing guard: a fall past the threshold disarms it (one alert), a recovery above
    the threshold arms it again."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    branch = models.ForeignKey(
        "branches.Branch", on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    product = models.ForeignKey(
        WealthProduct, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("product")
    )
    wealth_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("wealth manager")
    )
    purchased_on = models.DateField(verbose_name=_("purchased on"))
    purchase_nav = models.DecimalField(max_digits=12, decimal_places=4, verbose_name=_("NAV at purchase"))
    units = models.DecimalField(max_digits=16, decimal_places=2, verbose_name=_("units"))
    alert_armed = models.BooleanField(default=True, verbose_name=_("alert armed"))
    closed_on = models.DateField(null=True, blank=True, verbose_name=_("sold on"))

    class Meta:
        verbose_name = _("holding")
        verbose_name_plural = _("holdings")
        constraints = [
            models.CheckConstraint(condition=Q(purchase_nav__gt=0), name="outreach_purchase_nav_positive")
        ]

    def __str__(self) -> str:
        return f"{self.product.code} {self.customer.masked_name}"


class NavPrice(models.Model):
    product = models.ForeignKey(
        WealthProduct, on_delete=models.CASCADE, related_name="prices", verbose_name=_("product")
    )
    day = models.DateField(verbose_name=_("date"))
    nav = models.DecimalField(max_digits=12, decimal_places=4, verbose_name=_("NAV"))

    class Meta:
        verbose_name = _("net asset value")
        verbose_name_plural = _("net asset values")
        constraints = [
            models.UniqueConstraint(fields=["product", "day"], name="outreach_one_nav_a_day"),
            models.CheckConstraint(condition=Q(nav__gt=0), name="outreach_nav_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.day:%Y-%m-%d} {self.nav}"


class DropAlert(models.Model):
    """One crossing of the fall threshold by one holding: the wealth manager's task (a work order)
    and the customer's notice."""

    holding = models.ForeignKey(
        Holding, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("holding")
    )
    day = models.DateField(verbose_name=_("NAV date"))
    nav = models.DecimalField(max_digits=12, decimal_places=4, verbose_name=_("NAV"))
    fall_percent = models.DecimalField(max_digits=6, decimal_places=2, verbose_name=_("fall (%)"))
    still_suitable = models.BooleanField(verbose_name=_("still suitable"))
    suitability_note = models.CharField(max_length=200, blank=True, verbose_name=_("suitability"))
    work_order = models.ForeignKey(
        "servicedesk.WorkOrder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("work order"),
    )
    notified_at = models.DateTimeField(null=True, blank=True, verbose_name=_("customer told at"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("fall alert")
        verbose_name_plural = _("fall alerts")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["holding", "day"], name="outreach_one_alert_a_day")]

    def __str__(self) -> str:
        return f"{self.holding} {self.day:%Y-%m-%d} −{self.fall_percent}%"
