from django.db import models
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One append-only entry of the audit trail.

    Events are hash-chained: `hash` covers this event's content and `prev_hash`, the hash of the
    event before it, so an edited, deleted or reordered event breaks the chain (`audit_verify`).
    Each branch has a chain of its own (`chain` is its code; "" for events without a branch), and
    `seq` is the event's position in its chain. `scheme` says how `hash` was computed (1: plain
    SHA-256, the events written before the keyed chain; 2: HMAC-SHA256 with AUDIT_CHAIN_KEY).
    Identifiers are copied, not foreign keys, so the trail outlives the objects it speaks of.
    """

    chain = models.CharField(_("chain"), max_length=20, blank=True, default="")
    seq = models.PositiveBigIntegerField(_("sequence"))
    scheme = models.PositiveSmallIntegerField(_("hash scheme"), default=2)
    created_at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.PositiveBigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=40, blank=True)
    device_id = models.PositiveBigIntegerField(_("device id"), null=True, blank=True)
    branch_code = models.CharField(_("branch"), max_length=20, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    customer_id = models.PositiveBigIntegerField(_("customer id"), null=True, blank=True,
                                                 db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64, verbose_name=_("prev hash"))
    hash = models.CharField(max_length=64, unique=True, verbose_name=_("hash"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_seq_per_chain")]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("audit events are append-only")


class AuditChainHead(models.Model):
    """A chain's tip, one row per chain. Locking it serialises appends to that chain only (a
    branch's writes never wait on another branch's), and its count and hash reveal events
    deleted from the end of the chain."""
    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    chain = models.CharField(max_length=20, unique=True, default="", verbose_name=_("chain"))
    last_seq = models.PositiveBigIntegerField(default=0, verbose_name=_("last seq"))
    last_hash = models.CharField(max_length=64, default="0" * 64, verbose_name=_("last hash"))

    def __str__(self) -> str:
        return f"{self.chain or '—'} #{self.last_seq}"


# --- compliance controls (helper "comp", issue 8) ------------------------------------------------
# Rule settings, disclosure scripts, recordings, cooling-off, rule evaluations and maker-checker.
# Identifiers of higher apps (branch, customer, service record) are copied as plain values.


import json  # noqa: E402
from decimal import Decimal, InvalidOperation  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402

from compliance.fields import EncryptedTextField  # noqa: E402
from compliance.rules.engine import Outcome  # noqa: E402


def _positive_number(value) -> bool:
    try:
        return Decimal(str(value)) > 0
    except (InvalidOperation, ValueError):
        return False


def _rule_title(rule) -> str:
    return rule.title_zh_hans if (get_language() or "").startswith("zh") else rule.title_en


def _rule_choices():
    from compliance.rules.engine import RULES

    # The rule's own title in the reader's language (an English title showed on Chinese pages).
    return [(code, lazy(_rule_title, str)(rule)) for code, rule in sorted(RULES.items())]


class RuleSetting(models.Model):
    """A compliance officer's setting for one rule, scoped to branch / service / product.

    Blank scope fields match everything; the most specific matching row wins. A row naming a
    service also adds the rule to that service."""

    rule = models.CharField(_("rule"), max_length=40, choices=_rule_choices)
    branch_code = models.CharField(_("branch code"), max_length=20, blank=True)
    service_code = models.CharField(_("service code"), max_length=40, blank=True)
    product_code = models.CharField(_("product code"), max_length=40, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    severity = models.CharField(_("when not met"), max_length=10, default=Outcome.BLOCK,
                                choices=[(Outcome.BLOCK, _("Block")), (Outcome.WARN, _("Warn"))])
    overridable = models.BooleanField(_("block may be overridden (four eyes)"), default=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True,
                              help_text=_('e.g. {"threshold": "50000"} or {"elderly_age": 65}'))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("rule setting")
        verbose_name_plural = _("rule settings")
        constraints = [
            models.UniqueConstraint(fields=["rule", "branch_code", "service_code", "product_code"],
                                    name="rulesetting_one_per_scope"),
        ]

    def __str__(self):
        scope = "/".join(filter(None, [self.branch_code, self.service_code, self.product_code]))
        return f"{self.rule} @ {scope or '*'}"

    def clean(self):
        from compliance.rules.engine import RULES

        rule = RULES.get(self.rule)
        params = self.params if isinstance(self.params, dict) else None
        if rule is None or params is None:
            raise ValidationError({"params": _("Enter an object such as {\"threshold\": \"50000\"}.")})
        errors = []
        for key, value in params.items():
            if key not in rule.defaults:
                errors.append(_("Unknown parameter %(key)s; this rule knows: %(known)s") % {
                    "key": key, "known": ", ".join(rule.defaults) or "—"})
            elif not _positive_number(value):
                errors.append(_("%(key)s must be a positive number.") % {"key": key})
        if errors:
            raise ValidationError({"params": errors})

    @property
    def specificity(self) -> int:
        return (4 if self.product_code else 0) + (2 if self.service_code else 0) + (
            1 if self.branch_code else 0)


class DisclosureScript(models.Model):
    """A mandatory disclosure text (e.g. "past performance does not represent future returns")."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title_zh_hans = models.CharField(_("title (Chinese)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=120)
    service_codes = models.JSONField(_("service codes"), default=list, blank=True)
    product_codes = models.JSONField(_("product codes"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("disclosure script")
        verbose_name_plural = _("disclosure scripts")

    def __str__(self):
        return self.code

    def current_version(self):
        return self.versions.order_by("-version").first()


class DisclosureScriptVersion(models.Model):
    script = models.ForeignKey(DisclosureScript, on_delete=models.PROTECT, related_name="versions",
                               verbose_name=_("script"))
    version = models.PositiveIntegerField(_("version"))
    text_zh_hans = models.TextField(_("text (Chinese)"))
    text_en = models.TextField(_("text (English)"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        ordering = ["script", "-version"]
        verbose_name = _("disclosure script version")
        verbose_name_plural = _("disclosure script versions")
        constraints = [models.UniqueConstraint(fields=["script", "version"],
                                               name="disclosure_version_unique")]

    def __str__(self):
        return f"{self.script.code} v{self.version}"


class DisclosureConfirmation(models.Model):
    script_version = models.ForeignKey(DisclosureScriptVersion, on_delete=models.PROTECT,
                                       related_name="confirmations", verbose_name=_("script version"))
    service_record_ref = models.CharField(_("service record"), max_length=80, db_index=True)
    customer_id = models.PositiveBigIntegerField(_("customer id"), null=True, blank=True)
    branch_code = models.CharField(_("branch code"), max_length=20, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("recorded by"))
    device_id = models.PositiveBigIntegerField(_("device id"), null=True, blank=True)

    class Meta:
        verbose_name = _("disclosure confirmation")
        verbose_name_plural = _("disclosure confirmations")
        constraints = [models.UniqueConstraint(fields=["service_record_ref", "script_version"],
                                               name="disclosure_confirmed_once")]

    def __str__(self) -> str:
        confirmed = timezone.localtime(self.confirmed_at)
        return f"{self.script_version} · {self.service_record_ref} · {confirmed:%Y-%m-%d %H:%M}"


class RecordingReference(models.Model):
    """A dual-recording (双录) session held by the external recording system."""

    service_record_ref = models.CharField(_("service record"), max_length=80, db_index=True)
    external_id = models.CharField(_("recording id"), max_length=120)
    customer_id = models.PositiveBigIntegerField(_("customer id"), null=True, blank=True)
    branch_code = models.CharField(_("branch code"), max_length=20, blank=True)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"))
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("attached by"))
    attached_at = models.DateTimeField(_("attached at"))

    class Meta:
        verbose_name = _("recording reference")
        verbose_name_plural = _("recording references")
        constraints = [
            models.CheckConstraint(condition=models.Q(ended_at__gt=models.F("started_at")),
                                   name="recording_ends_after_start"),
            models.UniqueConstraint(fields=["service_record_ref", "external_id"],
                                    name="recording_attached_once"),
        ]

    def __str__(self):
        return self.external_id

    @property
    def seconds(self) -> int:
        return int((self.ended_at - self.started_at).total_seconds())


class StepConfirmation(models.Model):
    """A step a rule asked for, done: elderly-customer confirmation, due-diligence answers, ..."""

    service_record_ref = models.CharField(_("service record"), max_length=80, db_index=True)
    step = models.CharField(_("step"), max_length=40)
    customer_id = models.PositiveBigIntegerField(_("customer id"), null=True, blank=True)
    branch_code = models.CharField(_("branch code"), max_length=20, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("confirmed by"))
    device_id = models.PositiveBigIntegerField(_("device id"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"))

    class Meta:
        verbose_name = _("step confirmation")
        verbose_name_plural = _("step confirmations")
        constraints = [models.UniqueConstraint(fields=["service_record_ref", "step"],
                                               name="step_confirmed_once")]

    def __str__(self):
        return f"{self.service_record_ref} {self.step}"


class CoolingOffStatus(models.TextChoices):
    OPEN = "open", _("Within cooling-off period")
    CANCELLED = "cancelled", _("Cancelled by the customer")


class CoolingOff(models.Model):
    service_record_ref = models.CharField(_("service record"), max_length=80, unique=True)
    customer_id = models.PositiveBigIntegerField(_("customer id"), db_index=True)
    branch_code = models.CharField(_("branch code"), max_length=20, blank=True)
    product_code = models.CharField(_("product code"), max_length=40, blank=True)
    sold_at = models.DateTimeField(_("sold at"))
    deadline = models.DateTimeField(_("cancel before"))
    status = models.CharField(_("status"), max_length=10, choices=CoolingOffStatus.choices,
                              default=CoolingOffStatus.OPEN)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cooling-off period")
        verbose_name_plural = _("cooling-off periods")
        constraints = [
            models.CheckConstraint(condition=models.Q(deadline__gt=models.F("sold_at")),
                                   name="cooling_off_deadline_after_sale"),
            models.CheckConstraint(
                condition=models.Q(status="open", cancelled_at__isnull=True)
                | models.Q(status="cancelled", cancelled_at__isnull=False),
                name="cooling_off_cancelled_has_time"),
        ]

    def __str__(self):
        return (f"{self.service_record_ref} · {self._meta.get_field('deadline').verbose_name} "
                f"{timezone.localtime(self.deadline):%Y-%m-%d %H:%M}")


class RuleEvaluation(models.Model):
    """One run of the checks for a service record, as it was shown to the staff member."""

    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("staff member"))
    device_id = models.PositiveBigIntegerField(_("device id"), null=True, blank=True)
    branch_code = models.CharField(_("branch code"), max_length=20, db_index=True)
    customer_id = models.PositiveBigIntegerField(_("customer id"), null=True, blank=True,
                                                 db_index=True)
    service_record_ref = models.CharField(_("service record"), max_length=80, db_index=True)
    service_code = models.CharField(_("business type"), max_length=40, db_index=True)
    product_code = models.CharField(_("product code"), max_length=40, blank=True)
    product_risk_level = models.CharField(_("product risk level"), max_length=2, blank=True)
    outcome = models.CharField(_("worst outcome"), max_length=10, choices=Outcome.choices)
    required_rules = models.JSONField(_("rules required"), default=list)
    results = models.JSONField(_("results"), default=list)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rule evaluation")
        verbose_name_plural = _("rule evaluations")

    def __str__(self):
        return f"{self.service_record_ref} {self.outcome}"


class CheckRecord(models.Model):
    """One rule's outcome within an evaluation (counted by the dashboard)."""

    evaluation = models.ForeignKey(RuleEvaluation, on_delete=models.CASCADE, related_name="checks",
                                   verbose_name=_("evaluation"))
    rule = models.CharField(_("rule"), max_length=40, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        constraints = [models.UniqueConstraint(fields=["evaluation", "rule"],
                                               name="check_once_per_evaluation")]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.rule} · {self.get_outcome_display()}"


class ChangeKind(models.TextChoices):
    CUSTOMER_INFO = "customer_info", _("Customer information change")
    RULE_OVERRIDE = "rule_override", _("Rule override")
    LIMIT_CHANGE = "limit_change", _("Limit change")
    PII_REVEAL = "pii_reveal", _("Full reveal of personal data")
    CALENDAR_SCHEDULE = "calendar_schedule", _("Official calendar of a year")
    FEE_CHANGE = "fee_change", _("Fee change")
    LEDGER_REENTRY = "ledger_reentry", _("Paper ledger re-entry")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved and applied")
    REJECTED = "rejected", _("Rejected")
    STALE = "stale", _("Failed: the record changed since the request")


class ChangeRequest(models.Model):
    """Maker-checker: one user asks, another with the checker permission decides."""

    kind = models.CharField(_("kind"), max_length=20, choices=ChangeKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=ChangeStatus.choices,
                              default=ChangeStatus.PENDING, db_index=True)
    target_label = models.CharField(_("record type"), max_length=80)
    target_id = models.CharField(_("record"), max_length=120)
    branch_code = models.CharField(_("branch code"), max_length=20, blank=True, db_index=True)
    customer_id = models.PositiveBigIntegerField(_("customer id"), null=True, blank=True,
                                                 db_index=True)
    maker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("requested by"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # before/after may hold personal data: stored encrypted, as one JSON document
    payload = EncryptedTextField(_("before and after"), default="{}")
    target_hash = models.CharField(max_length=64, verbose_name=_("target hash"))
    created_at = models.DateTimeField(_("requested at"), db_index=True)
    checker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("rejection reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        permissions = [("approve_changerequest", _("Can approve or reject change requests"))]
        constraints = [
            models.UniqueConstraint(fields=["kind", "target_label", "target_id"],
                                    condition=models.Q(status="pending"),
                                    name="changerequest_one_pending_per_record"),
            models.CheckConstraint(condition=~models.Q(checker=models.F("maker")),
                                   name="changerequest_checker_is_not_maker"),
            models.CheckConstraint(condition=~models.Q(status="rejected", decision_note=""),
                                   name="changerequest_rejection_has_reason"),
            models.CheckConstraint(condition=~models.Q(kind="rule_override", reason=""),
                                   name="changerequest_override_has_reason"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.target_label}:{self.target_id}"

    @property
    def before(self) -> dict:
        return json.loads(self.payload or "{}").get("before", {})

    @property
    def after(self) -> dict:
        return json.loads(self.payload or "{}").get("after", {})
