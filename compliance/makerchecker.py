"""Maker-checker (four eyes): one user asks for a change, another who holds the checker
permission approves it, and the change applies only if the record is as the maker saw it.

Compliance cannot import the apps that own the records, so each of them registers an applier
for its kind of change: `register_applier(kind, "app.model", apply_fn, snapshot_fn)`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance import hooks
from compliance.audit import audit_record
from compliance.models import ChangeKind, ChangeRequest, ChangeStatus, RuleEvaluation, RuleSetting
from compliance.rules.engine import Outcome

CHECKER_PERMISSION = "compliance.approve_changerequest"
OVERRIDE_LABEL = "compliance.ruleoverride"
REVEAL_MINUTES = 30
# Kinds whose request makes no sense without the maker saying why.
REASON_REQUIRED = {ChangeKind.RULE_OVERRIDE, ChangeKind.LIMIT_CHANGE, ChangeKind.PII_REVEAL}


class StaleChangeRequest(Exception):
    """The record changed after the request was made; nothing was applied."""


class ChangeRequestClosed(Exception):
    """The request was already decided."""


@dataclass(frozen=True)
class Applier:
    kind: str
    target_label: str
    apply: Callable  # apply(target, after: dict, *, actor) -> None
    snapshot: Callable  # snapshot(target) -> dict (JSON-safe current values)
    load: Callable[[str], object]  # load(target_id) -> target
    mask: Callable[[str, object], str] | None = None  # mask(field, value) for display and audit
    scope: Callable | None = None  # scope(target) -> (branch_code, customer_id)
    validate: Callable | None = None  # validate(target, after) raises ValidationError


_appliers: dict[tuple[str, str], Applier] = {}


def _load_model(label: str) -> Callable[[str], object]:
    def load(target_id: str):
        return apps.get_model(label)._default_manager.get(pk=target_id)

    return load


def register_applier(
    kind: str,
    target_model_label: str,
    apply_fn: Callable,
    snapshot_fn: Callable,
    *,
    load_fn: Callable[[str], object] | None = None,
    mask_fn: Callable[[str, object], str] | None = None,
    scope_fn: Callable | None = None,
    validate_fn: Callable | None = None,
) -> None:
    """Register how a kind of change is applied to a model (idempotent: the last one wins).

    snapshot_fn(target) -> dict of current JSON-safe values (the "before", and the staleness hash);
    apply_fn(target, after, *, actor) performs the change; mask_fn(field, value) -> str masks
    personal data in the diff and the audit trail; scope_fn(target) -> (branch_code, customer_id);
    validate_fn(target, after) refuses a bad request when it is made rather than when approved.
    """
    label = target_model_label.lower()
    _appliers[(str(kind), label)] = Applier(
        str(kind), label, apply_fn, snapshot_fn, load_fn or _load_model(label), mask_fn, scope_fn,
        validate_fn,
    )


def applier_for(kind: str, target_label: str) -> Applier:
    try:
        return _appliers[(str(kind), target_label.lower())]
    except KeyError:
        raise ValidationError(_("This kind of change cannot be requested for this record.")) from None


def snapshot_hash(snapshot: dict) -> str:
    encoded = json.dumps(snapshot, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


@dataclass(frozen=True)
class DiffRow:
    field: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def change_request_diff(change: ChangeRequest, *, masked: bool = True) -> list[DiffRow]:
    """The readable diff a checker sees: one row per field the maker wants to change."""
    applier = _appliers.get((change.kind, change.target_label))
    mask = applier.mask if (applier and applier.mask and masked) else None
    before, after = change.before, change.after

    def show(field, value):
        if value is None or value == "":
            return "—"
        return mask(field, value) if mask else str(value)

    fields = list(after) + [field for field in before if field not in after]
    return [DiffRow(field, show(field, before.get(field)), show(field, after.get(field)))
            for field in fields]


def _masked(change_values: dict, applier: Applier) -> dict:
    if not applier.mask:
        return change_values
    return {key: applier.mask(key, value) for key, value in change_values.items()}


def change_request_create(
    *,
    maker,
    kind: str,
    after: dict,
    target=None,
    target_label: str = "",
    target_id: str = "",
    reason: str = "",
    branch_code: str = "",
    customer_id: int | None = None,
) -> ChangeRequest:
    """Record a pending request. `target` is a model instance, or give label and id."""
    if target is not None:
        target_label, target_id = target._meta.label_lower, str(target.pk)
    applier = applier_for(kind, target_label)
    reason = (reason or "").strip()
    if kind in REASON_REQUIRED and not reason:
        raise ValidationError({"reason": _("Give a reason for this request.")})
    with transaction.atomic():
        if target is None:
            target = applier.load(target_id)
        if applier.scope is not None:
            branch_code, customer_id = applier.scope(target)
        if applier.validate is not None:
            applier.validate(target, after)
        snapshot = applier.snapshot(target)
        before = {field: snapshot.get(field) for field in after}
        if kind == ChangeKind.CUSTOMER_INFO and before == after:
            raise ValidationError(_("The request changes nothing."))
        change = ChangeRequest(
            kind=kind, target_label=target_label, target_id=target_id, branch_code=branch_code,
            customer_id=customer_id, maker=maker, reason=reason[:300],
            payload=json.dumps({"before": before, "after": after}, default=str, ensure_ascii=False),
            target_hash=snapshot_hash(snapshot), created_at=timezone.now(),
        )
        try:
            with transaction.atomic():
                change.save(force_insert=True)
        except IntegrityError:
            raise ValidationError(
                _("A request for this record is already waiting for approval.")) from None
        audit_record(actor=maker, action="changerequest.create", obj=change, branch=branch_code,
                     customer=customer_id, before=_masked(before, applier),
                     after=_masked(after, applier),
                     summary=f"{kind} {target_label}:{target_id} {reason}")
    return change


def can_check(user, change: ChangeRequest) -> bool:
    if not (user.is_authenticated and user.has_perm(CHECKER_PERMISSION)):
        return False
    branches = hooks.branch_codes_for(user)
    return branches is None or not change.branch_code or change.branch_code in branches


def _lock_pending(request_id: int) -> ChangeRequest:
    change = ChangeRequest.objects.select_for_update().get(pk=request_id)
    if change.status != ChangeStatus.PENDING:
        raise ChangeRequestClosed(_("This request has already been decided."))
    return change


def _refuse_unless_checker(checker, change: ChangeRequest) -> None:
    if checker.pk == change.maker_id:
        raise PermissionDenied(_("You cannot decide on your own request: another person must."))
    if not can_check(checker, change):
        raise PermissionDenied(_("You may not approve requests for this record."))


def change_request_approve(*, checker, request_id: int) -> ChangeRequest:
    """Apply the change if the record is unchanged since the request; else close it as stale."""
    with transaction.atomic():
        change = _lock_pending(request_id)
        _refuse_unless_checker(checker, change)
        applier = applier_for(change.kind, change.target_label)
        target = applier.load(change.target_id)
        stale = snapshot_hash(applier.snapshot(target)) != change.target_hash
        change.status = ChangeStatus.STALE if stale else ChangeStatus.APPROVED
        change.checker, change.decided_at = checker, timezone.now()
        change.save(update_fields=["status", "checker", "decided_at"])
        if not stale:
            applier.apply(target, change.after, actor=checker)
        audit_record(actor=checker, action=f"changerequest.{change.status}", obj=change,
                     branch=change.branch_code, customer=change.customer_id,
                     before=_masked(change.before, applier), after=_masked(change.after, applier),
                     summary=f"{change.kind} {change.target_label}:{change.target_id}")
    if stale:
        raise StaleChangeRequest(
            _("The record changed after this request was made; nothing was applied. "
              "Ask the requester to submit it again."))
    return change


def change_request_reject(*, checker, request_id: int, reason: str) -> ChangeRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the rejection.")})
    with transaction.atomic():
        change = _lock_pending(request_id)
        _refuse_unless_checker(checker, change)
        change.status, change.decision_note = ChangeStatus.REJECTED, reason[:300]
        change.checker, change.decided_at = checker, timezone.now()
        change.save(update_fields=["status", "decision_note", "checker", "decided_at"])
        audit_record(actor=checker, action="changerequest.rejected", obj=change,
                     branch=change.branch_code, customer=change.customer_id,
                     summary=f"{change.kind} {change.target_label}:{change.target_id}: {reason}")
    return change


def change_requests_for_user(user) -> models.QuerySet[ChangeRequest]:
    """The requests a staff member may see: those of their branches (all, for network roles)."""
    changes = ChangeRequest.objects.select_related("maker", "checker")
    branches = hooks.branch_codes_for(user)
    if branches is None:
        return changes
    return changes.filter(models.Q(branch_code__in=branches) | models.Q(branch_code=""))


# --- rule overrides ------------------------------------------------------------------------------
# The target is "<service record ref>#<rule>"; its snapshot is that rule's latest result, so a
# request made against one block goes stale if the checks were re-run and the block changed.


@dataclass(frozen=True)
class OverrideTarget:
    pk: str
    service_record_ref: str
    rule: str


def _override_load(target_id: str) -> OverrideTarget:
    ref, _sep, rule = target_id.rpartition("#")
    return OverrideTarget(target_id, ref, rule)


def _latest_result(ref: str, rule: str) -> dict | None:
    evaluation = RuleEvaluation.objects.filter(service_record_ref=ref).order_by("-created_at",
                                                                             "-id").first()
    if evaluation is None:
        return None
    return next((result for result in evaluation.results if result["rule"] == rule), None)


def _override_snapshot(target: OverrideTarget) -> dict:
    result = _latest_result(target.service_record_ref, target.rule) or {}
    return {"outcome": result.get("outcome"), "reason_en": result.get("reason_en")}


def _override_apply(target: OverrideTarget, after: dict, *, actor) -> None:
    """Approval itself is the override: approved_overrides() reads approved requests."""


register_applier(ChangeKind.RULE_OVERRIDE, OVERRIDE_LABEL, _override_apply, _override_snapshot,
                 load_fn=_override_load)


def override_request(
    *, maker, branch_code: str, customer_id: int | None, service_record_ref: str, rule: str,
    reason: str,
) -> ChangeRequest:
    """Ask a second person to let a blocked step finish despite `rule`'s block."""
    result = _latest_result(service_record_ref, rule)
    if result is None or result["outcome"] != Outcome.BLOCK:
        raise ValidationError(_("There is no block of this rule to override."))
    if not result.get("overridable", True):
        raise ValidationError(_("This rule's block cannot be overridden."))
    return change_request_create(
        maker=maker, kind=ChangeKind.RULE_OVERRIDE, target_label=OVERRIDE_LABEL,
        target_id=f"{service_record_ref}#{rule}", reason=reason, branch_code=branch_code,
        customer_id=customer_id, after={"outcome": "overridden", "reason_en": result["reason_en"]},
    )


def approved_overrides(service_record_ref: str) -> set[str]:
    """Rule codes whose block a checker has let through for this service record."""
    target_ids = ChangeRequest.objects.filter(
        kind=ChangeKind.RULE_OVERRIDE, target_label=OVERRIDE_LABEL, status=ChangeStatus.APPROVED,
        target_id__startswith=f"{service_record_ref}#",
    ).values_list("target_id", flat=True)
    return {target_id.rpartition("#")[2] for target_id in target_ids}


# --- full reveal of personal data ----------------------------------------------------------------

def reveal_granted(*, user, customer_id: int, fields: Iterable[str] = ()) -> bool:
    """Whether `user` holds an approved reveal of this customer's data from the last 30 min."""
    since = timezone.now() - timedelta(minutes=REVEAL_MINUTES)
    grants = ChangeRequest.objects.filter(
        kind=ChangeKind.PII_REVEAL, status=ChangeStatus.APPROVED, maker=user,
        customer_id=customer_id, decided_at__gte=since,
    )
    wanted = set(fields)
    return any(wanted <= set(grant.after.get("fields", [])) for grant in grants)


# --- limit changes: a rule's thresholds (e.g. the large-cash amount) under four eyes -------------

_LIMIT_FIELDS = ("params", "enabled", "severity", "overridable")


def _limit_snapshot(setting: RuleSetting) -> dict:
    return {field: getattr(setting, field) for field in _LIMIT_FIELDS}


def _limit_validate(setting: RuleSetting, after: dict) -> None:
    unknown = set(after) - set(_LIMIT_FIELDS)
    if unknown:
        raise ValidationError(_("Only the parameters, on/off, block-or-warn and overridable can "
                                "change."))
    candidate = RuleSetting(**{**_limit_snapshot(setting), **after, "rule": setting.rule})
    candidate.clean()


def _limit_apply(setting: RuleSetting, after: dict, *, actor) -> None:
    from compliance.services import rule_setting_save

    for field, value in after.items():
        setattr(setting, field, value)
    rule_setting_save(actor=actor, setting=setting)


register_applier(ChangeKind.LIMIT_CHANGE, "compliance.rulesetting", _limit_apply, _limit_snapshot,
                 validate_fn=_limit_validate,
                 scope_fn=lambda setting: (setting.branch_code, None))
