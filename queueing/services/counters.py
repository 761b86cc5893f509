"""Opening, pausing and closing counters, and their work profiles."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import ServicePoint, WorkMode
from branches.people import person_name
from compliance.audit import audit_record
from core.live import groups, push
from queueing.errors import TicketStateError
from queueing.models import (
    CounterSession,
    Ticket,
)
from queueing.services.common import CURRENT, _is_manager, _lock_counter, request_refresh
from queueing.state import (
    VTM_PREFIX,
    zone_prefixes,
)

# --- counters -----------------------------------------------------------------------------

def _publish_counter(point: ServicePoint) -> None:
    push(groups.staff(point.branch.code), "counter.updated",
         {"id": point.pk, "code": point.code, "status": point.status,
          "pause_reason": point.pause_reason})
    push(groups.counter(point.pk), "counter.updated",
         {"id": point.pk, "status": point.status, "pause_reason": point.pause_reason})
    request_refresh(point.branch)


def _audit_counter(point: ServicePoint, actor, action: str, before: str, **after) -> None:
    audit_record(actor=actor, action=f"counter.{action}", obj=point, branch=point.branch,
                 before={"status": before}, after={"status": point.status, **after})


def _may_operate(point: ServicePoint, actor, session: CounterSession | None) -> None:
    if _is_manager(actor) or (session is not None and session.teller_id == actor.pk):
        return
    raise TicketStateError(_("Counter %(counter)s is open for another teller.")
                           % {"counter": point.name}, code="counter_other_teller")


@transaction.atomic
def counter_open(*, actor, counter: ServicePoint, teller=None) -> ServicePoint:
    """Open a counter (or a paused one again) for `teller` (the actor by default; a lobby
    manager may open it for a colleague). A teller has one counter open at a time."""
    point = _lock_counter(counter)
    teller = teller or actor
    if point.kind == ServicePoint.Kind.KIOSK:
        raise ValidationError({"counter": [_("A kiosk is not a counter.")]})
    if teller != actor and not _is_manager(actor):
        raise ValidationError({"teller": [_("Only a lobby manager opens a counter for a colleague.")]})
    profile = getattr(teller, "staff_profile", None)
    if profile is None or profile.branch_id != point.branch_id:
        raise ValidationError({"teller": [_("The teller does not work at this branch.")]})
    session = CounterSession.objects.current().filter(counter=point).first()
    if session is not None and session.teller_id != teller.pk:
        raise TicketStateError(_("Counter %(counter)s is open for another teller.")
                               % {"counter": point.name}, code="counter_other_teller")
    elsewhere = CounterSession.objects.current().filter(teller=teller).exclude(counter=point)
    if elsewhere.exists():
        raise TicketStateError(_("%(teller)s already has counter %(counter)s open; close it first.")
                               % {"teller": person_name(teller),
                                  "counter": elsewhere.first().counter.name},
                               code="teller_has_counter")
    before = point.status
    if session is None:
        try:
            with transaction.atomic():
                CounterSession.objects.create(counter=point, teller=teller)
        except IntegrityError:
            raise TicketStateError(_("The counter or the teller was just opened elsewhere."),
                                   code="teller_has_counter") from None
    point.status = ServicePoint.Status.OPEN
    point.pause_reason = ""
    point.save(update_fields=["status", "pause_reason"])
    _audit_counter(point, actor, "open", before, teller=teller.pk)
    _publish_counter(point)
    return point


@transaction.atomic
def counter_pause(*, actor, counter: ServicePoint, reason: str) -> ServicePoint:
    point = _lock_counter(counter)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the counter pauses.")]})
    session = CounterSession.objects.current().filter(counter=point).first()
    if point.status != ServicePoint.Status.OPEN:
        raise TicketStateError(_("Counter %(counter)s is not open.") % {"counter": point.name},
                               code="counter_closed")
    _may_operate(point, actor, session)
    busy = Ticket.objects.filter(counter=point, status__in=CURRENT).first()
    if busy is not None:
        raise TicketStateError(_("Finish ticket %(number)s first.") % {"number": busy.number},
                               code="counter_busy")
    point.status = ServicePoint.Status.PAUSED
    point.pause_reason = reason[:200]
    point.save(update_fields=["status", "pause_reason"])
    _audit_counter(point, actor, "pause", ServicePoint.Status.OPEN, reason=point.pause_reason)
    _publish_counter(point)
    return point


@transaction.atomic
def counter_close(*, actor, counter: ServicePoint) -> ServicePoint:
    point = _lock_counter(counter)
    session = CounterSession.objects.current().filter(counter=point).first()
    if point.status == ServicePoint.Status.CLOSED and session is None:
        return point
    _may_operate(point, actor, session)
    busy = Ticket.objects.filter(counter=point, status__in=CURRENT).first()
    if busy is not None:
        raise TicketStateError(_("Finish ticket %(number)s first.") % {"number": busy.number},
                               code="counter_busy")
    before = point.status
    if session is not None:
        session.closed_at = timezone.now()
        session.save(update_fields=["closed_at"])
    point.status = ServicePoint.Status.CLOSED
    point.pause_reason = ""
    point.save(update_fields=["status", "pause_reason"])
    _audit_counter(point, actor, "close", before)
    _publish_counter(point)
    return point


def _profile_dict(point: ServicePoint) -> dict:
    return {"queues": list(point.work_queues), "mode": point.work_mode,
            "ratios": list(point.work_ratios)}


@transaction.atomic
def counter_set_work_profile(*, actor, counter: ServicePoint, queues: list[str],
                             mode: str = WorkMode.ORDER,
                             ratios: list[float] | None = None) -> ServicePoint:
    """Which queues a counter calls from, in order or by ratio (branch admin, lobby manager).
    No queues: back to every queue its skills cover, on score alone."""
    if not _is_manager(actor):
        raise PermissionDenied
    point = _lock_counter(counter)
    if point.kind == ServicePoint.Kind.KIOSK:
        raise ValidationError({"counter": [_("A kiosk is not a counter.")]})
    known = {*zone_prefixes(point.branch).values(), VTM_PREFIX}
    queues = [q.strip().upper() for q in queues if q and q.strip()]
    errors: dict[str, list] = {}
    unknown = sorted(set(queues) - known)
    if unknown:
        errors["queues"] = [_("Unknown queue: %(queues)s.") % {"queues": ", ".join(unknown)}]
    elif len(set(queues)) != len(queues):
        errors["queues"] = [_("List each queue once.")]
    if mode not in WorkMode.values:
        errors["mode"] = [_("Choose in order or by ratio.")]
    ratios = [float(r) for r in ratios or []] if mode == WorkMode.RATIO else []
    if mode == WorkMode.RATIO and queues and (
            len(ratios) != len(queues) or any(r < 0 for r in ratios) or not any(ratios)):
        errors["ratios"] = [_("Give one ratio (0 or more, not all 0) per queue.")]
    if errors:
        raise ValidationError(errors)
    before = _profile_dict(point)
    point.work_queues, point.work_mode, point.work_ratios = queues, mode, ratios
    point.save(update_fields=["work_queues", "work_mode", "work_ratios"])
    audit_record(actor=actor, action="counter.work_profile", obj=point, branch=point.branch,
                 before=before, after=_profile_dict(point))
    _publish_counter(point)
    return point
