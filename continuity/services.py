"""Every write of the fraud emergency path: open a case, identify its customer, send the freeze
and the dispute hold to core banking (exactly once), watch the two clocks and escalate."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Device, StaffProfile
from branches.roles import Role
from compliance.audit import audit_record
from continuity.corebanking import CoreRefused, CoreUnavailable, core_banking
from continuity.models import (
    FREEZE_WITHIN,
    HOLD_WITHIN,
    CoreOperation,
    CoreRequest,
    CoreRequestStatus,
    FraudCase,
    FraudCaseStatus,
    FraudChannel,
)
from core.live import groups, push
from core.notifications import notify
from customers.models import Customer
from knowledge.hooks import CARD_FREEZE_AFTER_IDENTITY, CARD_FREEZE_SENT, HandoffTaken
from servicedesk.services import handoff_parties

OPEN_REQUEST = (CoreRequestStatus.QUEUED, CoreRequestStatus.RETRYING)


def _after_commit(task_name: str, *args, countdown: float = 0) -> None:
    from continuity import tasks

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.apply_async(args=args, countdown=countdown), robust=True)


def _new_ref() -> str:
    return "FR" + secrets.token_hex(4).upper()


def _snapshot(case: FraudCase) -> dict:
    return {
        "status": case.status,
        "customer": case.customer_id,
        "frozen_at": case.frozen_at,
        "held_at": case.held_at,
        "escalation_level": case.escalation_level,
    }


def _push_case(case: FraudCase) -> None:
    payload = {"ref": case.ref, "status": case.status, "status_label": str(case.get_status_display())}
    push(groups.staff(case.branch.code), "fraud.case", payload)
    customer = case.customer
    if customer is not None and customer.user_id:
        push(groups.user(customer.user_id), "fraud.case", payload)


# Opening a case ------------------------------------------------------------------------------------


def _checked_report(description: str, channel: str, amount: Decimal | None) -> str:
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Say briefly what happened.")})
    if channel not in FraudChannel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    if amount is not None and amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    return description


def _core_requests(case: FraudCase, *, waiting: bool, now) -> list[CoreRequest]:
    """The card freeze and the dispute hold; without a known customer they wait for staff to
    identify who reported."""
    return [
        CoreRequest.objects.create(
            case=case,
            operation=operation,
            status=CoreRequestStatus.WAITING if waiting else CoreRequestStatus.QUEUED,
            next_attempt_at=None if waiting else now,
        )
        for operation in (CoreOperation.FREEZE_CARD, CoreOperation.DISPUTE_HOLD)
    ]


def fraud_case_open(
    *,
    actor,
    branch: Branch,
    channel: str,
    description: str,
    customer: Customer | None = None,
    amount: Decimal | None = None,
    device: Device | None = None,
    work_order_number: str = "",
    assistant_exchange_id: int | None = None,
) -> FraudCase:
    """Open a fraud case. With the customer known the card freeze and the dispute hold go to core
    banking at once; without, the branch's staff are alerted to identify the customer first."""
    description = _checked_report(description, channel, amount)
    now = timezone.now()
    with transaction.atomic():
        case = FraudCase.objects.create(
            ref=_new_ref(),
            branch=branch,
            customer=customer,
            channel=channel,
            status=FraudCaseStatus.FREEZING if customer else FraudCaseStatus.NEEDS_CUSTOMER,
            description=description[:1000],
            amount=amount,
            device=device,
            reported_by=actor if getattr(actor, "is_authenticated", False) else None,
            work_order_number=work_order_number,
            assistant_exchange_id=assistant_exchange_id,
            reported_at=now,
            freeze_due_at=now + FREEZE_WITHIN,
            hold_due_at=now + HOLD_WITHIN,
        )
        waiting = customer is None
        requests = _core_requests(case, waiting=waiting, now=now)
        audit_record(
            actor=actor,
            action="continuity.fraud_case.open",
            obj=case,
            branch=branch,
            customer=customer,
            device=device,
            after=_snapshot(case) | {"channel": channel},
            summary=f"{case.ref} {channel}",
        )
        _alert_staff(case, level=0)
        _push_case(case)
        if waiting:
            return case
        _inform(case, "received")
        for request in requests:
            _after_commit("send_core_request", request.pk)
    return case


def fraud_case_from_handoff(handoff) -> HandoffTaken | None:
    """The FAQ assistant's hand-off hook: a fraud hand-off also opens a fraud case (the work order is
    opened by the service desk's own handler; the case finds its number through the exchange)."""
    if handoff.reason != "fraud":
        return None
    device, customer, branch, actor = handoff_parties(handoff)
    if branch is None:
        return None
    case = fraud_case_open(
        actor=actor,
        branch=branch,
        customer=customer,
        device=device,
        description=handoff.question,
        channel=FraudChannel.KIOSK if handoff.channel == "kiosk" else FraudChannel.ASSISTANT,
        assistant_exchange_id=handoff.exchange_id,
    )
    # The assistant tells the customer what happens now instead of "freeze it in the app".
    sent = case.status != FraudCaseStatus.NEEDS_CUSTOMER
    return HandoffTaken(actions=(CARD_FREEZE_SENT if sent else CARD_FREEZE_AFTER_IDENTITY,))


def fraud_case_identify(*, actor, case: FraudCase, customer: Customer) -> FraudCase:
    """Staff who checked the customer's ID attach them to a case opened without one; the freeze
    and the hold then go out (their clocks started when the case was reported)."""
    with transaction.atomic():
        case = FraudCase.objects.select_for_update(of=("self",)).select_related("branch").get(pk=case.pk)
        if case.customer_id is not None:
            raise ValidationError(_("This case already has its customer."))
        before = _snapshot(case)
        case.customer, case.status = customer, FraudCaseStatus.FREEZING
        case.save(update_fields=["customer", "status"])
        now = timezone.now()
        _inform(case, "received")
        # The freeze first: it is the one on the one-hour clock.
        for request in case.core_requests.filter(status=CoreRequestStatus.WAITING).order_by("-operation"):
            request.status, request.next_attempt_at = CoreRequestStatus.QUEUED, now
            request.save(update_fields=["status", "next_attempt_at"])
            _after_commit("send_core_request", request.pk)
        audit_record(
            actor=actor,
            action="continuity.fraud_case.identify",
            obj=case,
            branch=case.branch,
            customer=customer,
            before=before,
            after=_snapshot(case),
            summary=case.ref,
        )
        _push_case(case)
    return case


# Core banking, exactly once ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    outcome: str  # "confirmed" | "retry" | "refused" | "nothing to do"
    retry_in: float = 0.0


def backoff_seconds(attempts: int) -> float:
    """Exponential: base, 2×base, 4×base … capped (attempts counts the failed tries so far)."""
    base, cap = settings.CORE_BANKING_RETRY_BASE_SECONDS, settings.CORE_BANKING_RETRY_MAX_SECONDS
    return float(min(cap, base * 2 ** max(0, attempts - 1)))


def core_request_attempt(*, request_id: int) -> Attempt:
    """Send one request to core banking under its idempotency key and record the answer.

    Safe to run twice or concurrently: a confirmed request is never sent again, and a repeat that
    reaches core banking is answered from its key without a second freeze.
    """
    with transaction.atomic():
        request = (
            CoreRequest.objects.select_for_update(of=("self",))
            .select_related("case__branch", "case__customer")
            .get(pk=request_id)
        )
        customer = request.case.customer
        if request.status not in OPEN_REQUEST or customer is None:
            # Without a customer a request waits for staff to identify who reported (never sent).
            return Attempt("nothing to do")
        request.attempts += 1
        request.save(update_fields=["attempts"])
        case = request.case
        audit_record(
            actor=None,
            action="continuity.core_request.attempt",
            obj=request,
            branch=case.branch,
            customer=case.customer_id,
            after={
                "operation": request.operation,
                "attempt": request.attempts,
                "key": str(request.idempotency_key),
            },
            summary=f"{case.ref} {request.operation} #{request.attempts}",
        )
    # The call runs outside any transaction: no row lock is held while core banking takes its time.
    adapter = core_banking()
    key = str(request.idempotency_key)
    try:
        if request.operation == CoreOperation.FREEZE_CARD:
            reply = adapter.freeze_card(
                idempotency_key=key, customer_no=customer.customer_no, reason=case.description[:200]
            )
        else:
            reply = adapter.dispute_hold(
                idempotency_key=key,
                customer_no=customer.customer_no,
                amount=case.amount,
                description=case.description[:500],
            )
    except CoreUnavailable as error:
        return _record_failure(request_id, str(error), refused=False)
    except CoreRefused as error:
        return _record_failure(request_id, str(error), refused=True)
    return _record_confirmation(request_id, reply.reference, replayed=reply.replayed)


def _record_confirmation(request_id: int, reference: str, *, replayed: bool) -> Attempt:
    with transaction.atomic():
        request = (CoreRequest.objects.select_for_update(of=("self",))
            .select_related("case__branch").get(pk=request_id))
        if request.status == CoreRequestStatus.CONFIRMED:
            return Attempt("nothing to do")
        now = timezone.now()
        request.status, request.confirmed_at, request.core_reference = (
            CoreRequestStatus.CONFIRMED,
            now,
            reference,
        )
        request.next_attempt_at, request.last_error = None, ""
        request.save(
            update_fields=["status", "confirmed_at", "core_reference", "next_attempt_at", "last_error"]
        )
        case = (
            FraudCase.objects.select_for_update(of=("self",))
                .select_related("branch", "customer").get(pk=request.case_id)
        )
        before = _snapshot(case)
        if request.operation == CoreOperation.FREEZE_CARD:
            case.frozen_at = now
        else:
            case.held_at = now
        case.status = _status_of(case)
        case.save(update_fields=["frozen_at", "held_at", "status"])
        audit_record(
            actor=None,
            action="continuity.core_request.confirm",
            obj=request,
            branch=case.branch,
            customer=case.customer_id,
            before=before,
            after=_snapshot(case) | {"reference": reference, "replayed": replayed},
            summary=f"{case.ref} {request.operation} {reference}",
        )
        _push_case(case)
        _inform(case, "frozen" if request.operation == CoreOperation.FREEZE_CARD else "held")
    return Attempt("confirmed")


def _status_of(case: FraudCase) -> str:
    if case.frozen_at and case.held_at:
        return FraudCaseStatus.HELD
    if case.frozen_at:
        return FraudCaseStatus.FROZEN
    return FraudCaseStatus.FREEZING


def _record_failure(request_id: int, error: str, *, refused: bool) -> Attempt:
    with transaction.atomic():
        request = (CoreRequest.objects.select_for_update(of=("self",))
            .select_related("case__branch").get(pk=request_id))
        if request.status not in OPEN_REQUEST:
            return Attempt("nothing to do")
        case = request.case
        request.last_error = error[:300]
        if refused:
            request.status, request.next_attempt_at = CoreRequestStatus.REFUSED, None
            case.status = FraudCaseStatus.REFUSED
            case.save(update_fields=["status"])
        else:
            delay = backoff_seconds(request.attempts)
            request.status = CoreRequestStatus.RETRYING
            request.next_attempt_at = timezone.now() + dt.timedelta(seconds=delay)
        request.save(update_fields=["status", "next_attempt_at", "last_error"])
        audit_record(
            actor=None,
            action="continuity.core_request.refused" if refused else "continuity.core_request.fail",
            obj=request,
            branch=case.branch,
            customer=case.customer_id,
            after={
                "operation": request.operation,
                "attempt": request.attempts,
                "error": error[:200],
                "next_attempt_at": request.next_attempt_at,
            },
            summary=f"{case.ref} {request.operation} #{request.attempts}",
        )
        if refused:
            _alert_staff(case, level=1)
            _push_case(case)
            return Attempt("refused")
    return Attempt("retry", retry_in=delay)


def core_request_resend(*, actor, core_request: CoreRequest) -> CoreRequest:
    """Staff send a refused request again once the cause is fixed, under the same idempotency key."""
    with transaction.atomic():
        request = (
            CoreRequest.objects.select_for_update(of=("self",))
                .select_related("case__branch").get(pk=core_request.pk)
        )
        if request.status != CoreRequestStatus.REFUSED:
            raise ValidationError(_("Only a refused request can be sent again."))
        request.status, request.next_attempt_at = CoreRequestStatus.QUEUED, timezone.now()
        request.save(update_fields=["status", "next_attempt_at"])
        case = request.case
        case.status = _status_of(case)
        case.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="continuity.core_request.resend",
            obj=request,
            branch=case.branch,
            customer=case.customer_id,
            summary=f"{case.ref} {request.operation}",
        )
        _after_commit("send_core_request", request.pk)
        _push_case(case)
    return request


# Clocks and escalation --------------------------------------------------------------------------------


def fraud_clocks_watch(*, now: dt.datetime | None = None) -> int:
    """Beat, every minute: send again what a lost task left due, and escalate cases whose freeze
    or hold clock is at risk (level 1: the branch) or breached (level 2: head office)."""
    now = now or timezone.now()
    overdue = CoreRequest.objects.filter(
        status__in=OPEN_REQUEST, next_attempt_at__lte=now - dt.timedelta(seconds=30)
    )
    for request_id in overdue.values_list("pk", flat=True):
        transaction.on_commit(partial(_send_later, request_id), robust=True)
    escalated = 0
    open_cases = FraudCase.objects.filter(held_at__isnull=True, escalation_level__lt=2).select_related(
        "branch", "customer"
    )
    for case in open_cases:
        states = {
            case.clock_state(CoreOperation.FREEZE_CARD, now),
            case.clock_state(CoreOperation.DISPUTE_HOLD, now),
        }
        level = 2 if "breached" in states else 1 if "at_risk" in states else 0
        if level > case.escalation_level:
            fraud_case_escalate(case=case, level=level)
            escalated += 1
    return escalated


def _send_later(request_id: int) -> None:
    from continuity.tasks import send_core_request

    send_core_request.delay(request_id)


def fraud_case_escalate(*, case: FraudCase, level: int) -> FraudCase:
    with transaction.atomic():
        case = (FraudCase.objects.select_for_update(of=("self",))
            .select_related("branch", "customer").get(pk=case.pk))
        if case.escalation_level >= level:
            return case
        before = _snapshot(case)
        case.escalation_level = level
        case.save(update_fields=["escalation_level"])
        audit_record(
            actor=None,
            action="continuity.fraud_case.escalate",
            obj=case,
            branch=case.branch,
            customer=case.customer_id,
            before=before,
            after=_snapshot(case),
            summary=f"{case.ref} level {level}",
        )
        _alert_staff(case, level=level)
        _push_case(case)
    return case


def staff_to_alert(branch, level: int) -> list:
    """Who hears of an escalation: the lobby manager; from level 1 the branch manager too; from
    level 2 head office as well."""
    roles = [Role.LOBBY_MANAGER] if level == 0 else [Role.LOBBY_MANAGER, Role.BRANCH_ADMIN]
    people = StaffProfile.objects.filter(role__in=roles, branch=branch, user__is_active=True)
    if level >= 2:
        people = people | StaffProfile.objects.filter(role=Role.HEAD_OFFICE_ADMIN, user__is_active=True)
    return [profile.user for profile in people.select_related("user")]


ALERTS = {
    0: _("Fraud reported (%(ref)s): see the customer now; the card freeze is due by %(due)s."),
    1: _(
        "Fraud case %(ref)s is at risk: the card freeze or dispute hold is not confirmed yet "
        "(freeze due %(due)s)."
    ),
    2: _(
        "Fraud case %(ref)s is overdue: the card freeze or dispute hold missed its deadline "
        "(freeze due %(due)s)."
    ),
}


def _alert_staff(case: FraudCase, *, level: int) -> None:
    local_due = timezone.localtime(case.freeze_due_at, case.branch.tz)
    text = str(ALERTS[level]) % {"ref": case.ref, "due": local_due.strftime("%H:%M")}
    url = f"/continuity/fraud/{case.ref}/"
    for user in staff_to_alert(case.branch, level):
        push(groups.user(user.pk), "toast", {"text": text, "url": url})
        if level and user.email:
            transaction.on_commit(partial(_email, user.email, text), robust=True)


def _email(to: str, text: str) -> None:
    notify(channel="email", to=to, subject=text[:80], body=text)


# Telling the customer -----------------------------------------------------------------------------------

CUSTOMER_MESSAGES = {
    "received": _("We received your fraud report %(ref)s and are freezing your cards now."),
    "frozen": _("Your cards are frozen (%(ref)s). We are placing a hold on the disputed amount."),
    "held": _("The disputed amount is on hold (%(ref)s). A colleague will contact you about the next steps."),
}


def _inform(case: FraudCase, step: str) -> None:
    if case.customer_id:
        _after_commit("inform_customer", case.pk, step)


def fraud_customer_inform(*, case_id: int, step: str) -> bool:
    """Send the customer the SMS for `step` (after commit, from a task); recorded in the audit."""
    case = FraudCase.objects.select_related("customer", "branch").get(pk=case_id)
    customer = case.customer
    if customer is None or not customer.phone or step not in CUSTOMER_MESSAGES:
        return False
    with translation.override(customer.preferred_language):
        body = str(CUSTOMER_MESSAGES[step]) % {"ref": case.ref}
    notify(channel="sms", to=customer.phone, subject=case.ref, body=body)
    with transaction.atomic():
        audit_record(
            actor=None,
            action="continuity.fraud_case.inform",
            obj=case,
            branch=case.branch,
            customer=customer,
            after={"step": step, "to": customer.masked_phone},
            summary=f"{case.ref} {step}",
        )
    return True
