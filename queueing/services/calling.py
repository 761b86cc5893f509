"""Calling a ticket to a counter and serving it: call next, call, recall, start, finish, no-show."""

import datetime as dt
import functools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import ServicePoint
from queueing import engine, hooks
from queueing.access import locked_just_here, still_locked
from queueing.errors import TicketStateError
from queueing.models import (
    Channel,
    CounterSession,
    Ticket,
    TicketEventKind,
    TicketStatus,
)
from queueing.policy import settings_for
from queueing.services.common import (
    CURRENT,
    _is_manager,
    _lock,
    _lock_counter,
    _publish,
    _record,
    _require_own_ticket,
    _require_session,
    _require_status,
)
from queueing.state import (
    branch_snapshot,
)

_CALL_ATTEMPTS = 5


def _step_atomic(func):
    """`transaction.atomic`, without the savepoint when the view read the ticket or counter
    locked in the `locking()` block the step runs straight in (queueing.access): an error ends
    that block anyway, and the savepoint and its release were two more statements per step."""

    @functools.wraps(func)
    def step(**kwargs):
        locked = kwargs.get("ticket") or kwargs.get("counter")
        with transaction.atomic(savepoint=not locked_just_here(locked)):
            return func(**kwargs)

    return step


# --- calling ------------------------------------------------------------------------------

def _call(ticket: Ticket, *, point: ServicePoint, actor, now: dt.datetime, kind: str,
          teller=None) -> Ticket:
    before = ticket.status
    ticket.status = TicketStatus.CALLED
    ticket.counter = point
    ticket.served_by = teller or actor
    ticket.called_at = now
    if ticket.first_called_at is None:
        ticket.first_called_at = now
        ticket.actual_wait_seconds = int((now - ticket.issued_at).total_seconds())
    ticket.recall_count = 0
    ticket.position, ticket.position_reason = None, ""
    ticket.estimated_wait_seconds = 0
    ticket.save(update_fields=["status", "counter", "served_by", "called_at", "first_called_at",
                               "actual_wait_seconds", "recall_count", "position",
                               "position_reason", "estimated_wait_seconds"])
    _record(ticket, kind, actor=actor, counter=point, before=before, counter_code=point.code)
    _publish(ticket, "ticket.called", lobby=True)
    return ticket


def _require_free(point: ServicePoint, actor, *, session, busy) -> None:
    """The counter is open, worked by `actor`, and has nobody at it."""
    _require_session(point, actor, session)
    if busy is not None:
        raise TicketStateError(_("Finish ticket %(number)s first.") % {"number": busy.number},
                               code="counter_busy")


@_step_atomic
def ticket_call_next(*, actor, counter: ServicePoint) -> Ticket | None:
    """Call the best waiting ticket this counter can serve (priority with ageing, hard cap on
    the longest wait); None when nobody is waiting for it."""
    point = counter if still_locked(counter) else _lock_counter(counter)
    for _attempt in range(_CALL_ATTEMPTS):
        snapshot = branch_snapshot(point.branch, candidates=True)
        _require_free(point, actor, session=snapshot.sessions.get(point.pk),
                      busy=snapshot.current.get(point.pk))
        state = snapshot.counter_state(point.pk)
        assert state is not None  # _require_free: the counter is open, so it has a state
        ticket_id = engine.pick_next(state, snapshot.live.waiting, snapshot.live.now,
                                     snapshot.weights, snapshot.live.service_times)
        if ticket_id is None:
            return None
        # Only the chosen ticket is locked; another counter that called it first leaves it no
        # longer waiting (PostgreSQL re-reads a row it waited for), so choose again.
        ticket = (Ticket.objects.select_for_update(of=("self",))
                  .select_related("service_type", "customer")
                  .filter(pk=ticket_id, status=TicketStatus.WAITING).first())
        if ticket is not None:
            ticket.branch = point.branch
            return _call(ticket, point=point, actor=actor, now=snapshot.now,
                         kind=TicketEventKind.CALLED)
    raise TicketStateError(_("Other counters are calling the same customers; try again."),
                           code="call_contended")


def counter_has_skill(point: ServicePoint, session: CounterSession | None, service_type) -> bool:
    """The counter offers the service and its teller has the skill (empty lists mean all)."""
    offered = {s.pk for s in point.service_types.all()}
    profile = getattr(session.teller, "staff_profile", None) if session else None
    skills = {s.pk for s in profile.skills.all()} if profile is not None else set()
    return (not offered or service_type.pk in offered) and (not skills or service_type.pk in skills)


@transaction.atomic
def ticket_call(*, actor, counter: ServicePoint, ticket: Ticket) -> Ticket:
    """Call one chosen ticket (waiting or parked) to this counter, out of turn: the teller
    working it, or a lobby manager sending the customer to a staffed, free counter."""
    point = _lock_counter(counter)
    ticket = _lock(ticket)
    if ticket.branch_id != point.branch_id:
        raise ValidationError({"ticket": [_("This ticket belongs to another branch.")]})
    _require_status(ticket, TicketStatus.WAITING, TicketStatus.PARKED)
    session = CounterSession.objects.current().filter(counter=point).first()
    busy = Ticket.objects.filter(counter=point, status__in=CURRENT).first()
    teller = actor
    if _is_manager(actor) and session is not None and session.teller_id != actor.pk:
        teller = session.teller
    _require_free(point, teller, session=session, busy=busy)
    if not counter_has_skill(point, session, ticket.service_type):
        raise ValidationError({"counter": [
            _("Counter %(counter)s cannot do %(service)s.")
            % {"counter": point.name, "service": ticket.service_type}]})
    return _call(ticket, point=point, actor=actor, now=timezone.now(), kind=TicketEventKind.CALLED,
                 teller=teller)


@transaction.atomic
def ticket_self_serve(*, ticket: Ticket, device) -> Ticket:
    """A customer starts a self-service ticket at a kiosk (the kiosk's device says so): it goes
    straight to serving there; `ticket_finish(actor=None, ...)` ends it."""
    ticket = _lock(ticket)
    point = getattr(device, "service_point", None)
    if point is None or point.kind != ServicePoint.Kind.KIOSK or point.branch_id != ticket.branch_id:
        raise ValidationError({"device": [_("This device is not a kiosk of this branch.")]})
    _require_status(ticket, TicketStatus.WAITING)
    if ticket.channel != Channel.KIOSK:
        raise ValidationError({"ticket": [_("This ticket waits for a teller, not a kiosk.")]})
    now = timezone.now()
    ticket.status = TicketStatus.SERVING
    ticket.counter = point
    ticket.called_at = ticket.first_called_at = ticket.serving_started_at = now
    ticket.actual_wait_seconds = int((now - ticket.issued_at).total_seconds())
    ticket.position, ticket.estimated_wait_seconds = None, 0
    ticket.save(update_fields=["status", "counter", "called_at", "first_called_at",
                               "serving_started_at", "actual_wait_seconds", "position",
                               "estimated_wait_seconds"])
    _record(ticket, TicketEventKind.SERVING, counter=point, device=device,
            before=TicketStatus.WAITING, kiosk=point.code)
    _publish(ticket, "ticket.serving")
    return ticket


@transaction.atomic
def ticket_recall(*, actor, ticket: Ticket) -> Ticket:
    """Announce the called ticket again; after the branch's recall limit only no-show is left."""
    ticket = _lock(ticket)
    _require_status(ticket, TicketStatus.CALLED)
    _require_own_ticket(ticket, actor)
    limit = settings_for(ticket.branch).recall_limit
    if ticket.recall_count >= limit:
        raise TicketStateError(_("Ticket %(number)s was recalled %(count)d times already; mark it "
                                 "as a no-show.") % {"number": ticket.number, "count": limit},
                               code="recall_limit")
    ticket.recall_count += 1
    ticket.called_at = timezone.now()
    ticket.save(update_fields=["recall_count", "called_at"])
    _record(ticket, TicketEventKind.RECALLED, actor=actor, counter=ticket.counter,
            recall=ticket.recall_count)
    _publish(ticket, "ticket.recalled", lobby=True)
    return ticket


def _advance(ticket: Ticket, *, actor, before: str, after: str, stamp: str, kind: str,
             **data) -> Ticket:
    """One plain step at the counter: lock, check state and counter, stamp the time, publish."""
    ticket, at_counter = _relock(ticket, actor)
    _require_status(ticket, before)
    if actor is not None and not at_counter and not _is_manager(actor):
        raise TicketStateError(_("Ticket %(number)s is not at your counter.")
                               % {"number": ticket.number}, code="not_your_ticket")
    ticket.status = after
    setattr(ticket, stamp, timezone.now())
    ticket.save(update_fields=["status", stamp])
    extra = {key: value(ticket) for key, value in data.items()}
    _record(ticket, kind, actor=actor, counter=ticket.counter, before=before, **extra)
    _publish(ticket, f"ticket.{kind}")
    return ticket


_STATE = ("status", "counter_id", "recall_count", "called_at", "serving_started_at",
          "finished_at", "no_show_at", "first_called_at", "position", "estimated_wait_seconds")


def _relock(ticket: Ticket, actor) -> tuple[Ticket, bool]:
    """Lock the ticket the caller loaded (with its branch, service and counter) and re-read only
    what a concurrent step may have changed, with whether `actor` works at its counter: one
    query instead of loading the ticket again and asking about the counter apart. A ticket the
    view loaded locked for `actor` in a transaction still open (`queueing.access.ticket_to_work`)
    is read already."""
    if still_locked(ticket) and getattr(ticket, "worked_by", None) == getattr(actor, "pk", None):
        return ticket, bool(getattr(ticket, "user_at_counter"))  # noqa: B009 - an annotation
    at_counter = Exists(CounterSession.objects.current().filter(
        counter_id=OuterRef("counter_id"), teller_id=getattr(actor, "pk", None)))
    row = (Ticket.objects.select_for_update(of=("self",)).filter(pk=ticket.pk)
           .annotate(at_counter=at_counter).values(*_STATE, "at_counter").first())
    if row is None or row["counter_id"] != ticket.counter_id or "branch" not in ticket._state.fields_cache:
        fresh = _lock(ticket)  # moved to another counter meanwhile (or loaded bare): reload it
        return fresh, bool(row and row["at_counter"])
    for name in _STATE:
        setattr(ticket, name, row[name])
    return ticket, bool(row["at_counter"])


@_step_atomic
def ticket_start_serving(*, actor, ticket: Ticket) -> Ticket:
    return _advance(ticket, actor=actor, before=TicketStatus.CALLED, after=TicketStatus.SERVING,
                    stamp="serving_started_at", kind=TicketEventKind.SERVING)


@_step_atomic
def ticket_finish(*, actor, ticket: Ticket) -> Ticket:
    return _advance(ticket, actor=actor, before=TicketStatus.SERVING, after=TicketStatus.DONE,
                    stamp="finished_at", kind=TicketEventKind.DONE,
                    handling_seconds=lambda t: t.handling_seconds)


@transaction.atomic
def ticket_customer_left(*, actor, ticket: Ticket, note: str = "") -> Ticket:
    """The customer walked away during service: a terminal state of its own, never counted as
    served (a called customer who never came is a no-show instead)."""
    ticket = _lock(ticket)
    _require_status(ticket, TicketStatus.SERVING)
    _require_own_ticket(ticket, actor)
    before = ticket.status
    ticket.status = TicketStatus.LEFT
    ticket.left_at = timezone.now()
    ticket.note = (note or ticket.note)[:200]
    ticket.save(update_fields=["status", "left_at", "note"])
    _record(ticket, TicketEventKind.LEFT, actor=actor, counter=ticket.counter, before=before,
            note=note[:200])
    for callback in hooks.ticket_left:
        callback(ticket, actor)
    _publish(ticket, "ticket.left")
    return ticket


@_step_atomic
def ticket_no_show(*, actor, ticket: Ticket) -> Ticket:
    """The called customer did not come. `actor` is None when the no-show scan marks it."""
    return _advance(ticket, actor=actor, before=TicketStatus.CALLED, after=TicketStatus.NO_SHOW,
                    stamp="no_show_at", kind=TicketEventKind.NO_SHOW,
                    recalls=lambda t: t.recall_count)
