"""Service-quality checklists (versioned), inspections and mystery-shopper visits scored against
one version, and the corrective actions their failed items raise."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


def _english() -> bool:
    return (get_language() or "").startswith("en")


class Section(models.TextChoices):
    """The parts of the branch service standards a checklist follows."""

    GREETING = "greeting", _("Greeting and etiquette")
    ENVIRONMENT = "environment", _("Branch environment")
    PROCESS = "process", _("Service process")
    COMPLIANCE = "compliance", _("Compliance")
    SPECIAL_GROUPS = "special_groups", _("Special groups")


class Checklist(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)

    class Meta:
        verbose_name = pgettext_lazy("quality", "checklist")
        verbose_name_plural = pgettext_lazy("quality", "checklists")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if _english() and self.name_en else self.name_zh_hans


class ChecklistVersion(models.Model):
    """An edit publishes a new version; inspections keep the version they were scored on."""

    checklist = models.ForeignKey(
        Checklist,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=pgettext_lazy("quality", "checklist"),
    )
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    note = models.CharField(_("what changed"), max_length=200, blank=True)

    class Meta:
        ordering = ["checklist", "-number"]
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        constraints = [
            models.UniqueConstraint(fields=["checklist", "number"], name="quality_one_number_per_version")
        ]

    def __str__(self):
        return f"{self.checklist} v{self.number}"


class ChecklistItem(models.Model):
    version = models.ForeignKey(
        ChecklistVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("version")
    )
    # Stable across versions: scores of one item are compared over time by its code.
    code = models.SlugField(_("code"), max_length=40)
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    text_zh_hans = models.CharField(_("text (Chinese)"), max_length=200)
    text_en = models.CharField(_("text (English)"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"))
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["version", "sort", "code"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="quality_item_code_once_per_version"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=10), name="quality_item_weight_1_to_10"
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return self.text_en if _english() and self.text_en else self.text_zh_hans


class Kind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    MYSTERY_SHOP = "mystery_shop", _("Mystery-shopper visit")


class Status(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    CANCELLED = "cancelled", _("Cancelled")


class Inspection(models.Model):
    branch = models.ForeignKey(
        "branches.Branch", on_delete=models.PROTECT, related_name="inspections", verbose_name=_("branch")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    checklist_version = models.ForeignKey(
        ChecklistVersion,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("checklist version"),
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quality_inspections",
        verbose_name=_("inspector"),
    )
    scheduled_for = models.DateField(_("scheduled for"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("scheduled by")
    )
    created_at = models.DateTimeField(_("created at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Percent of the weighted points of the items that applied (NA items left out).
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_for", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="submitted", submitted_at__isnull=False, score__isnull=False)
                | (~Q(status="submitted") & Q(submitted_at__isnull=True)),
                name="quality_submitted_has_time_and_score",
            ),
        ]
        indexes = [models.Index(fields=["branch", "status", "submitted_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.branch.code} {self.scheduled_for:%Y-%m-%d}"

    @property
    def locked(self) -> bool:
        return self.status in (Status.SUBMITTED, Status.CANCELLED)


class Result(models.TextChoices):
    PASS = "pass", _("Pass")
    PARTIAL = "partial", _("Partly")
    FAIL = "fail", _("Fail")
    NA = "na", _("Not applicable")


CREDIT = {Result.PASS: Decimal("1"), Result.PARTIAL: Decimal("0.5"), Result.FAIL: Decimal("0")}


class Answer(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="answers", verbose_name=_("inspection")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="answers", verbose_name=_("item")
    )
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    photo = models.ImageField(_("photo"), upload_to="quality/%Y/%m/", blank=True)
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        ordering = ["item__sort", "item__code"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="quality_one_answer_per_item")
        ]

    def __str__(self):
        return f"{self.item.code}: {self.result}"


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("corrective action", "Open")
    CLOSED = "closed", _("Closed")


class CorrectiveAction(models.Model):
    answer = models.OneToOneField(
        Answer, on_delete=models.PROTECT, related_name="action", verbose_name=_("failed item")
    )
    branch = models.ForeignKey(
        "branches.Branch", on_delete=models.PROTECT, related_name="quality_actions", verbose_name=_("branch")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quality_actions",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"))
    due_at = models.DateTimeField(_("due"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    evidence = models.CharField(_("evidence"), max_length=500, blank=True)
    evidence_photo = models.ImageField(_("evidence photo"), upload_to="quality/evidence/%Y/%m/", blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False) & ~Q(evidence=""),
                name="quality_closed_action_has_evidence",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self):
        return f"{self.branch.code} {self.answer.item.code}"

    def overdue(self, now) -> bool:
        return self.status == ActionStatus.OPEN and self.due_at < now
