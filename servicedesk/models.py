import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.models import Branch, Department, Localized
from customers.models import Customer


class Category(Localized):
    """One node of the three-level tree: business line → problem type → detail."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    , verbose_name=_("parent"))
    level = models.PositiveSmallIntegerField(_("level"))
    department_kind = models.CharField(
        _("handling department kind"),
        max_length=20,
        choices=Department.Kind.choices,
        blank=True,
        help_text=_("The kind of department that usually handles this category."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("work order category")
        verbose_name_plural = _("work order categories")
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="category_level_1_to_3"),
        ]

    def path(self) -> str:
        nodes, node = [], self
        while node is not None:
            nodes.append(node.name)
            node = node.parent
        return " › ".join(reversed(nodes))

    @property
    def problem_type_code(self) -> str:
        return ".".join(self.code.split(".")[:2])

    @property
    def business_line_code(self) -> str:
        return self.code.split(".")[0]


class WorkOrderKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REQUEST = "request", _("Cross-department request")
    FOLLOW_UP = "follow_up", _("Follow-up visit")
    IMPROVEMENT = "improvement", _("Improvement action")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    MAJOR = "major", _("Major (emergency handling)")


PRIORITY_RANK = {Priority.MAJOR: 0, Priority.URGENT: 1, Priority.NORMAL: 2, Priority.LOW: 3}


class Channel(models.TextChoices):
    COUNTER = "counter", _("Counter")
    LOBBY = "lobby", _("Lobby manager")
    PHONE = "phone", _("Phone")
    LETTER = "letter", _("Letter")
    WEB = "web", _("Customer web page")
    KIOSK = "kiosk", _("Kiosk")
    FAQ = "faq", _("FAQ assistant")
    SURVEY = "survey", _("Satisfaction survey")
    STAFF = "staff", _("Staff")


class Status(models.TextChoices):
    OPEN = "open", pgettext_lazy("work order status", "Open")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_CUSTOMER = "waiting_customer", _("Waiting for customer")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged into another")


ACTIVE_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.WAITING_CUSTOMER)


class WorkOrderQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def with_relations(self):
        return self.select_related(
            "category", "customer", "branch", "department", "assignee", "owner", "sla_policy"
        )


class WorkOrder(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=WorkOrderKind.choices)
    channel = models.CharField(_("received through"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    complex_case = models.BooleanField(_("complex case"), default=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("category"),
    )
    category_confirmed = models.BooleanField(_("category confirmed by staff"), default=False)
    suggested_category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    , verbose_name=_("suggested category"))
    suggested_confidence = models.FloatField(_("classifier confidence"), null=True, blank=True)
    emotion_score = models.FloatField(_("emotion score"), default=0)
    emotion_words = models.JSONField(_("emotion and urgency words"), default=list, blank=True)
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("customer"),
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="work_orders", verbose_name=_("branch")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("department"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_work_orders",
        verbose_name=_("assignee"),
    )
    assignment_reason = models.TextField(_("why assigned"), blank=True)
    auto_assigned = models.BooleanField(default=False, verbose_name=_("auto assigned"))
    reassigned_after_auto = models.BooleanField(default=False, verbose_name=_("reassigned after auto"))
    # The first responder owns the work order until it is closed, whoever does the work.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_work_orders",
        verbose_name=_("first-responder owner"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    , verbose_name=_("created by"))
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("follows up on"),
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    , verbose_name=_("merged into"))
    sla_policy = models.ForeignKey(
        "SLAPolicy", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    , verbose_name=_("SLA policy"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    first_responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    last_customer_update_at = models.DateTimeField(_("last customer update"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0, verbose_name=_("reopen count"))
    extended_at = models.DateTimeField(_("deadline extended"), null=True, blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    , verbose_name=_("extension approved by"))
    # Deadlines are recomputed by the service layer at every change and by the scan; kept here so
    # queues sort by urgency in the database.
    first_response_due = models.DateTimeField(null=True, blank=True, verbose_name=_("first response due"))
    next_update_due = models.DateTimeField(null=True, blank=True, verbose_name=_("next update due"))
    resolution_due = models.DateTimeField(null=True, blank=True, verbose_name=_("resolution due"))
    regulatory_due = models.DateTimeField(null=True, blank=True, verbose_name=_("regulatory due"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = WorkOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        indexes = [
            models.Index(fields=["status", "resolution_due"]),
            models.Index(fields=["department", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="merged_work_order_names_its_survivor",
            ),
            models.CheckConstraint(
                condition=Q(extended_at__isnull=True) | Q(extension_approved_by__isnull=False),
                name="extension_needs_an_approver",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def priority_rank(self) -> int:
        return PRIORITY_RANK[Priority(self.priority)]


class ClockPause(models.Model):
    """A span during which SLA clocks stop: waiting for the customer, or resolved until reopened."""

    class Reason(models.TextChoices):
        WAITING_CUSTOMER = "waiting_customer", _("Waiting for customer")
        RESOLVED = "resolved", _("Resolved (until reopened)")

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="pauses",
                                   verbose_name=_("work order"))
    reason = models.CharField(max_length=20, choices=Reason.choices, verbose_name=_("reason"))
    started_at = models.DateTimeField(verbose_name=_("started at"))
    ended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ended at"))

    class Meta:
        verbose_name = _("clock pause")
        verbose_name_plural = _("clock pauses")
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["work_order"],
                condition=Q(ended_at__isnull=True),
                name="one_open_pause_per_work_order",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="pause_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_order} {self.get_reason_display()}"


class Update(models.Model):
    """A note on a work order: internal (staff only) or visible to the customer."""

    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Internal note")
        CUSTOMER = "customer", _("Update to the customer")

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="updates",
                                   verbose_name=_("work order"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    , verbose_name=_("author"))
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("work order update")
        verbose_name_plural = _("work order updates")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        at = timezone.localtime(self.created_at)
        return f"{self.work_order} {self.get_visibility_display()} {at:%Y-%m-%d %H:%M}"


def attachment_path(instance, filename: str) -> str:
    return f"servicedesk/{instance.work_order_id}/{secrets.token_hex(8)}-{filename[-80:]}"


class Attachment(models.Model):
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="attachments",
                                   verbose_name=_("work order"))
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(max_length=200, verbose_name=_("name"))
    customer_visible = models.BooleanField(_("visible to the customer"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    , verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(default=timezone.now, verbose_name=_("uploaded at"))

    class Meta:
        verbose_name = _("work order attachment")
        verbose_name_plural = _("work order attachments")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self.work_order} · {self._meta.verbose_name} {self.name}"


class SLAPolicy(Localized):
    """Selects work orders (blank criteria match anything) and sets their targets.

    Policies are tried by `order`; the first that matches applies.
    """

    class Clock(models.TextChoices):
        BUSINESS = "business", _("Business hours")
        CALENDAR = "calendar", _("Calendar hours")

    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    work_order_kind = models.CharField(
        _("work order type"), max_length=20, choices=WorkOrderKind.choices, blank=True
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    complex_case = models.BooleanField(_("complex cases"), null=True, blank=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Matches this category and those below it."),
        verbose_name=_("category"),
    )
    first_response_minutes = models.PositiveIntegerField(_("first response (business minutes)"))
    update_cadence_hours = models.PositiveIntegerField(
        _("customer update at least every (hours)"), null=True, blank=True
    )
    resolution_minutes = models.PositiveIntegerField(_("resolution (minutes)"))
    resolution_clock = models.CharField(
        _("resolution counted in"), max_length=10, choices=Clock.choices, default=Clock.BUSINESS
    )
    warn_percent = models.PositiveSmallIntegerField(_("warning at (percent of a target)"), default=80)
    branch_head_percent = models.PositiveSmallIntegerField(
        _("branch head escalation at (percent)"), default=150
    )
    head_office_percent = models.PositiveSmallIntegerField(
        _("head office escalation at (percent)"), default=200
    )
    escalate_at_once = models.BooleanField(_("alert heads at once (emergency handling)"), default=False)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(warn_percent__gt=0, warn_percent__lt=100), name="sla_warns_before_breach"
            ),
            models.CheckConstraint(
                condition=Q(branch_head_percent__gte=100)
                & Q(head_office_percent__gte=models.F("branch_head_percent")),
                name="sla_escalation_levels_in_order",
            ),
        ]

    def matches(self, work_order: WorkOrder) -> bool:
        if self.work_order_kind and self.work_order_kind != work_order.kind:
            return False
        if self.priority and self.priority != work_order.priority:
            return False
        if self.complex_case is not None and self.complex_case != work_order.complex_case:
            return False
        if self.category_id:
            code = work_order.category.code if work_order.category else ""
            return code == self.category.code or code.startswith(self.category.code + ".")
        return True


class Target(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    UPDATE = "update", _("Customer update")
    RESOLUTION = "resolution", _("Resolution")
    EMERGENCY = "emergency", _("Emergency handling")


class Level(models.IntegerChoices):
    WARNING = 0, pgettext_lazy("SLA escalation level", "Warning")
    DEPARTMENT_HEAD = 1, _("Department head")
    BRANCH_HEAD = 2, _("Branch head")
    HEAD_OFFICE = 3, _("Head office")


class Escalation(models.Model):
    """One warning or escalation of one deadline. The unique constraint is the exactly-once guard:
    a scan that runs twice, or is retried after a worker dies, cannot insert it again."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="escalations",
                                   verbose_name=_("work order"))
    target = models.CharField(_("target"), max_length=20, choices=Target.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    due_at = models.DateTimeField(_("deadline"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["work_order", "target", "level", "due_at"],
                name="one_escalation_per_deadline_and_level",
            ),
        ]

    def __str__(self):
        return f"{self.get_target_display()} · {self.get_level_display()} · {self.pk}"


class Notification(models.Model):
    """In-app notification to a staff member; also the outbox for email delivery."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="servicedesk_notifications"
    , verbose_name=_("user"))
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="notifications",
                                   verbose_name=_("work order"))
    escalation = models.ForeignKey(
        Escalation, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    , verbose_name=_("escalation"))
    text = models.CharField(max_length=300, verbose_name=_("text"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered at"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["escalation", "user"], name="one_notification_per_escalation_and_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_order} {self.user}"


class StaffSkill(models.Model):
    """A staff member's competence for a business line or problem type of work orders."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="servicedesk_skills"
    , verbose_name=_("user"))
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="skilled_staff",
                                 verbose_name=_("category"))

    class Meta:
        verbose_name = _("staff skill")
        verbose_name_plural = _("staff skills")
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="unique_staff_skill")]

    def __str__(self) -> str:
        return f"{self.user} {self.category}"


def survey_token() -> str:
    return secrets.token_urlsafe(16)


class Survey(models.Model):
    SURVEY_WINDOW = dt.timedelta(hours=24)

    work_order = models.OneToOneField(WorkOrder, on_delete=models.CASCADE, related_name="survey",
                                      verbose_name=_("work order"))
    token = models.CharField(max_length=40, unique=True, default=survey_token, verbose_name=_("token"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    score = models.PositiveSmallIntegerField(_("score (0–10)"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("answered at"))
    follow_up = models.OneToOneField(
        WorkOrder, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    , verbose_name=_("follow up"))

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=10), name="survey_score_0_to_10"
            )
        ]

    def __str__(self) -> str:
        return f"{self.work_order} {self._meta.verbose_name}"


class VisitSurvey(models.Model):
    """The rating a customer gives one service visit (a counter service), offered on its e-receipt.

    Apps above the service desk name the visit by a reference string (`counter.ServiceRecord:42`),
    as compliance does; the unique reference is the one-answer-per-visit guard. Scores are the five
    levels of the counter evaluators customers know (1 very dissatisfied … 5 very satisfied)."""

    class Score(models.IntegerChoices):
        VERY_DISSATISFIED = 1, _("Very dissatisfied")
        DISSATISFIED = 2, _("Dissatisfied")
        NEUTRAL = 3, _("Neither satisfied nor dissatisfied")
        SATISFIED = 4, _("Satisfied")
        VERY_SATISFIED = 5, _("Very satisfied")

    token = models.CharField(max_length=40, unique=True, default=survey_token, verbose_name=_("token"))
    visit_ref = models.CharField(_("service visit"), max_length=80, unique=True)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("branch"))
    customer = models.ForeignKey(
        Customer, on_delete=models.SET_NULL, null=True, blank=True, related_name="visit_surveys"
    , verbose_name=_("customer"))
    service_name = models.CharField(_("service"), max_length=100)
    ticket_number = models.CharField(_("ticket"), max_length=20, blank=True)
    receipt_number = models.CharField(_("receipt"), max_length=40, blank=True)
    invited_at = models.DateTimeField(default=timezone.now, verbose_name=_("invited at"))
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    score = models.PositiveSmallIntegerField(_("score (1–5)"), choices=Score.choices, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("answered at"))
    follow_up = models.OneToOneField(
        WorkOrder, on_delete=models.SET_NULL, null=True, blank=True, related_name="visit_survey"
    , verbose_name=_("follow up"))

    class Meta:
        ordering = ["-invited_at", "-id"]
        verbose_name = _("visit survey")
        verbose_name_plural = _("visit surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="visit_survey_score_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True, answered_at__isnull=True)
                | Q(score__isnull=False, answered_at__isnull=False),
                name="visit_survey_answer_has_score_and_time",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("invited_at")), name="visit_survey_expires_after_invite"
            ),
        ]

    def __str__(self):
        return self.visit_ref

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at


class ClassifierModel(models.Model):
    """A trained classifier; the newest one is used."""

    trained_at = models.DateTimeField(default=timezone.now, verbose_name=_("trained at"))
    samples = models.PositiveIntegerField(verbose_name=_("samples"))
    corrections = models.PositiveIntegerField(default=0, verbose_name=_("corrections"))
    data = models.BinaryField(verbose_name=_("data"))

    class Meta:
        verbose_name = _("classifier model")
        verbose_name_plural = _("classifier models")
        ordering = ["-trained_at", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {timezone.localtime(self.trained_at):%Y-%m-%d %H:%M}"
