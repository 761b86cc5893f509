"""Deciding on offline ledger entries: the lobby manager's accept or reject of a conflict, the
paper slip's maker-checker (compliance's change request, kind "ledger_reentry": the maker cannot
approve their own), and the watch that escalates anything not reconciled within 24 hours."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.roles import Role
from compliance.audit import audit_record
from compliance.makerchecker import (
    change_request_approve,
    change_request_create,
    change_request_reject,
    register_applier,
)
from compliance.models import ChangeKind, ChangeRequest, ChangeStatus
from continuity.ledger import Slip, _new_entry, _reconcile, _settle, offline_times
from continuity.models import OPEN_LEDGER, LedgerEntry, LedgerSource, LedgerStatus
from continuity.services import staff_to_alert
from core.live import groups, push
from queueing.alerts import Level, alert_raise
from queueing.payloads import both_format

DECIDERS = frozenset({Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN})


def _lock(entry: LedgerEntry) -> LedgerEntry:
    return (LedgerEntry.objects.select_for_update(of=("self",))
            .select_related("branch", "counter", "teller", "service_type").get(pk=entry.pk))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason for the decision.")]})
    return reason[:300]


def _decided(entry: LedgerEntry, *, actor, reason: str) -> None:
    entry.decided_by, entry.decided_at, entry.decision_reason = actor, timezone.now(), reason


@transaction.atomic
def ledger_conflict_accept(*, actor, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """The lobby manager accepts a conflicting entry as written: it becomes a service record."""
    reason = _reason(reason)
    entry = _lock(entry)
    if entry.status != LedgerStatus.CONFLICT:
        raise ValidationError(_("This entry has already been decided."))
    _decided(entry, actor=actor, reason=reason)
    audit_record(actor=actor, action="continuity.ledger_entry.accept", obj=entry, branch=entry.branch,
                 customer=entry.customer_id, after={**offline_times(entry), "reason": reason})
    _reconcile(entry, actor=actor)
    return entry


@transaction.atomic
def ledger_conflict_reject(*, actor, entry: LedgerEntry, reason: str) -> LedgerEntry:
    """The lobby manager rejects a conflicting entry (a duplicate, a mistake): no service record."""
    reason = _reason(reason)
    entry = _lock(entry)
    if entry.status != LedgerStatus.CONFLICT:
        raise ValidationError(_("This entry has already been decided."))
    _decided(entry, actor=actor, reason=reason)
    entry.status = LedgerStatus.REJECTED
    entry.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(actor=actor, action="continuity.ledger_entry.reject", obj=entry, branch=entry.branch,
                 customer=entry.customer_id, after={**offline_times(entry), "reason": reason})
    return entry


# Paper slips: maker-checker ---------------------------------------------------------------------------


def _snapshot(entry: LedgerEntry) -> dict:
    return {"status": entry.status, "service": entry.service_type.code, "outcome": entry.outcome,
            "amount": str(entry.amount) if entry.amount is not None else "",
            "served_at": entry.served_at.isoformat(), "ticket": entry.ticket_number,
            "customer_id_number": entry.masked_id_number, "teller": entry.teller.get_username()}


def _apply(entry: LedgerEntry, after: dict, *, actor) -> None:
    """The checker approved the slip: it is checked like a console entry and reconciled."""
    entry = _lock(entry)
    audit_record(actor=actor, action="continuity.ledger_entry.approved", obj=entry,
                 branch=entry.branch, customer=entry.customer_id, after=offline_times(entry))
    _settle(entry, actor=actor)


def _scope(entry: LedgerEntry) -> tuple[str, None]:
    return entry.branch.code, None


register_applier(ChangeKind.LEDGER_REENTRY, "continuity.ledgerentry", _apply, _snapshot,
                 load_fn=lambda pk: LedgerEntry.objects.select_related(
                     "branch", "counter", "teller", "service_type").get(pk=pk),
                 scope_fn=_scope)


@transaction.atomic
def ledger_paper_enter(*, maker, slip: Slip) -> LedgerEntry:
    """Re-enter a paper slip of a full outage; it waits for a second person's approval."""
    made = _new_entry(slip, source=LedgerSource.PAPER, entered_by=maker,
                      status=LedgerStatus.AWAITING_APPROVAL)
    # As stored (UTC times, two-place amounts): the checker's approval compares this snapshot.
    entry = _lock(made)
    change = change_request_create(maker=maker, kind=ChangeKind.LEDGER_REENTRY, target=entry,
                                   after={"status": "approved"},
                                   reason=str(_("Paper ledger slip re-entered")))
    entry.change_request_id = change.pk
    entry.save(update_fields=["change_request_id"])
    audit_record(actor=maker, action="continuity.ledger_entry.paper", obj=entry, branch=entry.branch,
                 after=offline_times(entry))
    return entry


def ledger_paper_approve(*, checker, entry: LedgerEntry) -> LedgerEntry:
    if entry.status != LedgerStatus.AWAITING_APPROVAL or entry.change_request_id is None:
        raise ValidationError(_("This entry has already been decided."))
    change_request_approve(checker=checker, request_id=entry.change_request_id)
    return LedgerEntry.objects.get(pk=entry.pk)


@transaction.atomic
def ledger_paper_reject(*, checker, entry: LedgerEntry, reason: str) -> LedgerEntry:
    reason = _reason(reason)
    entry = _lock(entry)
    if entry.status != LedgerStatus.AWAITING_APPROVAL or entry.change_request_id is None:
        raise ValidationError(_("This entry has already been decided."))
    change_request_reject(checker=checker, request_id=entry.change_request_id, reason=reason)
    _settle_rejected(entry, checker=checker, reason=reason)
    return entry


def _settle_rejected(entry: LedgerEntry, *, checker, reason: str) -> None:
    _decided(entry, actor=checker, reason=reason)
    entry.status = LedgerStatus.REJECTED
    entry.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(actor=checker, action="continuity.ledger_entry.reject", obj=entry,
                 branch=entry.branch, after={**offline_times(entry), "reason": reason})


def may_check(user, entry: LedgerEntry) -> bool:
    """A second person with the checker permission; never the one who entered the slip."""
    return user.pk != entry.entered_by_id and user.has_perm("compliance.approve_changerequest")


def refuse_unless_checker(user, entry: LedgerEntry) -> None:
    if not may_check(user, entry):
        raise PermissionDenied(_("You cannot decide on your own request: another person must."))


# Not reconciled within 24 hours ---------------------------------------------------------------------

OVERDUE = {
    1: _("Offline ledger entries of %(branch)s are not reconciled after 24 hours: %(count)d."),
    2: _("Escalated: offline ledger entries of %(branch)s are still not reconciled: %(count)d."),
}


def ledger_overdue_watch(*, now: dt.datetime | None = None) -> int:
    """Beat: raise each entry's escalation to what its age calls for, once per level. Level 1
    tells the lobby manager, level 2 the branch manager and head office as well."""
    now = now or timezone.now()
    _close_rejected_paper()
    raised = 0
    entries = (LedgerEntry.objects.filter(status__in=OPEN_LEDGER, escalation_level__lt=2)
               .select_related("branch", "counter", "teller", "service_type"))
    for entry in entries:
        level = entry.overdue_level(now)
        if level > entry.escalation_level:
            _escalate(entry, level=level)
            raised += 1
    return raised


@transaction.atomic
def _escalate(entry: LedgerEntry, *, level: int) -> None:
    entry = _lock(entry)
    if entry.escalation_level >= level:
        return
    entry.escalation_level = level
    entry.save(update_fields=["escalation_level"])
    audit_record(actor=None, action="continuity.ledger_entry.escalate", obj=entry, branch=entry.branch,
                 after={**offline_times(entry), "level": level})
    count = LedgerEntry.objects.filter(branch=entry.branch, status__in=OPEN_LEDGER).count()
    text = both_format(OVERDUE[level], branch=entry.branch.name, count=count)
    alert_raise(branch=entry.branch, kind="offline_ledger_overdue",
                level=Level.CRITICAL if level == 2 else Level.WARNING, text=text)
    # Level 1 is the lobby manager's alone; level 2 adds the branch manager and head office.
    for user in staff_to_alert(entry.branch, 0 if level == 1 else 2):
        push(groups.user(user.pk), "toast", {"text": text["zh-hans"], "url": "/continuity/ledger/"})


def _close_rejected_paper() -> None:
    """A slip rejected on compliance's approvals page is rejected here too."""
    waiting = LedgerEntry.objects.filter(status=LedgerStatus.AWAITING_APPROVAL,
                                         change_request_id__isnull=False)
    rejected = ChangeRequest.objects.filter(pk__in=waiting.values("change_request_id"),
                                            status=ChangeStatus.REJECTED).select_related("checker")
    for change in rejected:
        with transaction.atomic():
            entry = _lock(waiting.get(change_request_id=change.pk))
            if entry.status == LedgerStatus.AWAITING_APPROVAL:
                _settle_rejected(entry, checker=change.checker, reason=change.decision_note)
