"""Every write of the queueing app: issuing tickets, their lifecycle, and counters.

Each function owns its transaction, records a TicketEvent and an audit event, and pushes live
events after commit: a masked call to the lobby group, the full ticket to the staff group, the
customer's own view to the ticket group. Bad input raises `ValidationError` (HTTP 400); a step
the ticket or counter is not ready for raises `TicketStateError` (HTTP 409). Nothing is changed
in either case.
"""

import datetime as dt
import math
from dataclasses import replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.access import user_role
from branches.models import ServicePoint, WorkMode
from branches.people import person_name
from branches.roles import Role
from branchsvc.live import groups, push
from compliance.audit import audit_record
from queueing import engine, payloads
from queueing.alerts import Level, alert_raise, recent_alerts
from queueing.errors import TicketStateError
from queueing.models import (
    Channel,
    CounterSession,
    PriorityClass,
    Source,
    Ticket,
    TicketEvent,
    TicketEventKind,
    TicketSequence,
    TicketStatus,
)
from queueing.policy import settings_for
from queueing.state import (
    VTM_PREFIX,
    branch_snapshot,
    business_date,
    customer_profile,
    service_profile,
    zone_prefixes,
)

MANAGER_ROLES = frozenset({Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.HEAD_OFFICE_ADMIN})
CURRENT = (TicketStatus.CALLED, TicketStatus.SERVING)
# Sources that are not backed by an appointment: they may not take a by-appointment service.
WALK_IN_SOURCES = frozenset({Source.KIOSK, Source.REMOTE, Source.WALK_IN})
# An appointment checked in without its window counts as on time for this long.
DEFAULT_APPOINTMENT_WINDOW = dt.timedelta(minutes=15)


# --- helpers ------------------------------------------------------------------------------

def _record(ticket: Ticket, kind: str, *, actor=None, counter=None, device=None,
            before: str = "", **data) -> None:
    TicketEvent.objects.create(ticket=ticket, kind=kind, at=timezone.now(), counter=counter,
                               actor=actor if getattr(actor, "is_authenticated", False) else None,
                               data=data)
    audit_record(actor=actor, action=f"ticket.{kind}", obj=ticket, branch=ticket.branch,
                 customer=ticket.customer_id, device=device,
                 before={"status": before} if before else None,
                 after={"status": ticket.status, "number": ticket.number, **data})


def _publish(ticket: Ticket, event: str, *, lobby: bool = False) -> None:
    """Push the ticket's new state to everyone watching it, then refresh the branch's estimates."""
    code = ticket.branch.code
    full = payloads.staff_ticket(ticket)
    payloads.forget_lobby_state(code)
    if lobby:
        push(groups.lobby(code), "ticket.called", payloads.lobby_call(ticket))
    push(groups.staff(code), event, full)
    push(groups.ticket(ticket.public_token), "ticket.updated", payloads.ticket_page(ticket))
    if ticket.counter_id:
        push(groups.counter(ticket.counter_id), event, full)
    request_refresh(ticket.branch)


def request_refresh(branch) -> None:
    from queueing.tasks import schedule_refresh

    branch_id = branch.pk
    transaction.on_commit(lambda: schedule_refresh(branch_id))


def _require_status(ticket: Ticket, *allowed: str) -> None:
    if ticket.status not in allowed:
        raise TicketStateError(
            _("Ticket %(number)s is %(status)s; this step is not possible now.")
            % {"number": ticket.number, "status": ticket.get_status_display()},
            code="ticket_state")


def _lock(ticket: Ticket) -> Ticket:
    return (Ticket.objects.select_for_update(of=("self",))
            .select_related("branch", "service_type", "customer", "counter").get(pk=ticket.pk))


def _lock_counter(counter: ServicePoint) -> ServicePoint:
    return ServicePoint.objects.select_for_update(of=("self",)).select_related(
        "branch", "zone").get(pk=counter.pk)


def _is_manager(actor) -> bool:
    return user_role(actor) in MANAGER_ROLES


def _require_session(point: ServicePoint, actor, session: CounterSession | None) -> None:
    """The counter is open and `actor` is the teller working it."""
    if point.status != ServicePoint.Status.OPEN or session is None:
        raise TicketStateError(_("Counter %(counter)s is not open.") % {"counter": point.name},
                               code="counter_closed")
    if session.teller_id != actor.pk:
        raise TicketStateError(_("Counter %(counter)s is open for another teller.")
                               % {"counter": point.name}, code="counter_other_teller")


def _require_own_ticket(ticket: Ticket, actor) -> None:
    """A teller works the tickets at their own counter; managers may step in anywhere."""
    if _is_manager(actor):
        return
    at_counter = ticket.counter_id and CounterSession.objects.current().filter(
        counter_id=ticket.counter_id, teller=actor).exists()
    if not at_counter:
        raise TicketStateError(_("Ticket %(number)s is not at your counter.")
                               % {"number": ticket.number}, code="not_your_ticket")


def _next_number(*, branch, day: dt.date, prefix: str) -> tuple[int, str]:
    """Take the next number of a queue. The sequence row stays locked until the ticket commits,
    so concurrent kiosks wait for each other and a rolled-back issue leaves no gap."""
    TicketSequence.objects.bulk_create(
        [TicketSequence(branch=branch, business_date=day, prefix=prefix)], ignore_conflicts=True)
    sequence = TicketSequence.objects.select_for_update().get(branch=branch, business_date=day,
                                                              prefix=prefix)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return sequence.last_value, f"{prefix}{sequence.last_value:03d}"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def _check_remote(*, branch, customer, location, arrival_minutes, now) -> None:
    settings = settings_for(branch)
    if customer is None:
        raise ValidationError({"customer": [_("Sign in to take a remote ticket.")]})
    if location is not None and branch.latitude is not None and branch.longitude is not None:
        km = distance_km(float(location[0]), float(location[1]),
                         float(branch.latitude), float(branch.longitude))
        if km > settings.remote_max_distance_km:
            raise ValidationError({"location": [
                _("You are %(km).1f km from the branch; remote tickets are for customers within "
                  "%(max).1f km.") % {"km": km, "max": settings.remote_max_distance_km}]})
    elif arrival_minutes is None:
        raise ValidationError({"location": [
            _("Share your location or tell us when you will arrive.")]})
    elif arrival_minutes > settings.remote_max_arrival_minutes:
        raise ValidationError({"arrival_minutes": [
            _("Remote tickets are for customers arriving within %(max)d minutes.")
            % {"max": settings.remote_max_arrival_minutes}]})
    day = business_date(branch, now)
    mine = Ticket.objects.filter(customer=customer, source=Source.REMOTE, business_date=day)
    active = mine.active().filter(branch=branch).first()
    if active is not None:
        raise ValidationError({"customer": [
            _("You already have ticket %(number)s at this branch.") % {"number": active.number}]})
    if mine.count() >= settings.remote_per_customer_per_day:
        raise ValidationError({"customer": [
            _("You have taken %(count)d remote tickets today, the most allowed.")
            % {"count": settings.remote_per_customer_per_day}]})


# --- routing and issuing ------------------------------------------------------------------

def _appointment(snapshot, *, appointment_priority, appointment_window):
    if appointment_window is None and appointment_priority:
        appointment_window = (snapshot.now - dt.timedelta(minutes=1),
                              snapshot.now + DEFAULT_APPOINTMENT_WINDOW)
    if appointment_window is None:
        return None, None
    minutes = [engine.minutes_since(engine_epoch(snapshot), moment) for moment in appointment_window]
    return engine.AppointmentInfo(window_start=minutes[0], window_end=minutes[1]), appointment_window


def engine_epoch(snapshot) -> dt.datetime:
    return dt.datetime.combine(snapshot.day, dt.time(), tzinfo=snapshot.branch.tz)


def ticket_recommend(*, branch, service_type, customer=None, appointment_priority: bool = False,
                     appointment_window: tuple[dt.datetime, dt.datetime] | None = None,
                     language: str = "") -> engine.Recommendation:
    """Where this customer should go for this service and how long it would take (read-only):
    the kiosk shows it with its alternative before issuing."""
    snapshot = branch_snapshot(branch)
    appointment, _window = _appointment(snapshot, appointment_priority=appointment_priority,
                                        appointment_window=appointment_window)
    return engine.recommend_route(service_profile(service_type, snapshot.prefixes),
                                  customer_profile(customer, language), appointment,
                                  snapshot.live, snapshot.weights)


def _choose_channel(recommendation, *, channel: str | None, service_type, prefixes, customer,
                    weights) -> engine.Recommendation:
    if not channel or channel == recommendation.channel:
        return recommendation
    alternative = recommendation.alternative
    if alternative is not None and alternative.channel == channel:
        return alternative
    if channel not in service_type.allowed_channels:
        raise ValidationError({"channel": [_("This service cannot be done there.")]})
    prefix = {engine.Channel.KIOSK: prefixes["self_service"],
              engine.Channel.VTM: VTM_PREFIX}.get(channel)
    if prefix is None:
        vip = customer is not None and customer.vip_tier >= weights.vip_queue_min_tier
        prefix = weights.vip_queue_prefix if vip else prefixes.get(service_type.zone_kind, "A")
    return replace(recommendation, channel=engine.Channel(channel), queue_prefix=prefix,
                   estimated_wait_minutes=None, alternative=None)


@transaction.atomic
def ticket_issue(*, branch, service_type, source: str, customer=None, device=None, actor=None,
                 appointment_priority: bool = False,
                 appointment_window: tuple[dt.datetime, dt.datetime] | None = None,
                 language: str = "", channel: str | None = None,
                 location: tuple[float, float] | None = None, arrival_minutes: int | None = None,
                 enforce_hours: bool = True) -> Ticket:
    """Issue a ticket, routed by the branch's policy, with a quoted wait.

    `source` is a `Source`; `channel` overrides the recommendation (the customer took the
    alternative); `location`/`arrival_minutes` are checked for remote tickets only."""
    now = timezone.now()
    if source not in Source.values:
        raise ValidationError({"source": [_("Unknown ticket source.")]})
    if not service_type.is_active:
        raise ValidationError({"service_type": [_("This service is not offered.")]})
    if not branch.is_active or (enforce_hours and not branch.is_open_at(now)):
        raise ValidationError({"branch": [_("The branch is closed now.")]})
    if service_type.needs_appointment and source in WALK_IN_SOURCES:
        raise ValidationError({"service_type": [
            _("%(service)s needs an appointment: please book one, then check in with it.")
            % {"service": service_type}]})
    if source == Source.REMOTE:
        _check_remote(branch=branch, customer=customer, location=location,
                      arrival_minutes=arrival_minutes, now=now)
    snapshot = branch_snapshot(branch, now=now, light=True)
    appointment, window = _appointment(snapshot, appointment_priority=appointment_priority,
                                       appointment_window=appointment_window)
    recommendation = engine.recommend_route(
        service_profile(service_type, snapshot.prefixes), customer_profile(customer, language),
        appointment, snapshot.live, snapshot.weights)
    chosen = _choose_channel(recommendation, channel=channel, service_type=service_type,
                             prefixes=snapshot.prefixes, customer=customer,
                             weights=snapshot.weights)
    sequence, number = _next_number(branch=branch, day=snapshot.day, prefix=chosen.queue_prefix)
    quoted = chosen.estimated_wait_minutes
    ticket = Ticket.objects.create(
        branch=branch, business_date=snapshot.day, prefix=chosen.queue_prefix, sequence=sequence,
        number=number, queue=chosen.queue_prefix, service_type=service_type, customer=customer,
        source=source, channel=chosen.channel.value, priority_class=chosen.priority_class.value,
        vip_tier=customer.vip_tier if customer else 0,
        language=language or (customer.preferred_language if customer else "zh-hans"),
        language_required=chosen.language_required or "",
        routing_reasons=[reason.value for reason in chosen.reasons], device=device,
        appointment_window_start=window[0] if window else None,
        appointment_window_end=window[1] if window else None,
        issued_at=now, queued_at=now,
        quoted_wait_seconds=None if quoted is None else round(quoted * 60),
        estimated_wait_seconds=None if quoted is None else round(quoted * 60),
        position=_issue_position(snapshot, chosen),
    )
    _record(ticket, TicketEventKind.ISSUED, actor=actor, device=device, source=source,
            queue=ticket.queue, quoted_wait_minutes=quoted)
    _publish(ticket, "ticket.issued")
    _alert_arrival(ticket)
    return ticket


def _issue_position(snapshot, chosen: engine.Recommendation) -> int:
    """The new ticket's place in line as the refresh will count it: behind everyone on its
    channel expected to be called no later than its quoted wait."""
    ahead = Ticket.objects.of_day(snapshot.branch, snapshot.day).waiting().filter(
        channel=chosen.channel.value)
    if chosen.estimated_wait_minutes is not None:
        ahead = ahead.filter(estimated_wait_seconds__lte=round(chosen.estimated_wait_minutes * 60))
    return 1 + ahead.count()


def _alert_arrival(ticket: Ticket) -> None:
    if ticket.priority_class == PriorityClass.APPOINTMENT:
        text = _("Appointment customer %(name)s arrived: ticket %(number)s, %(service)s.")
    elif ticket.vip_tier > 0:
        text = _("VIP customer %(name)s arrived: ticket %(number)s, %(service)s.")
    else:
        return
    name = ticket.customer.masked_name if ticket.customer_id else ""
    alert_raise(branch=ticket.branch, kind="vip_arrived" if ticket.vip_tier else
                "appointment_arrived", level=Level.INFO, ticket=ticket.number,
                text=payloads.both_format(text, name=name, number=ticket.number,
                                  service=ticket.service_type))


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


@transaction.atomic
def ticket_call_next(*, actor, counter: ServicePoint) -> Ticket | None:
    """Call the best waiting ticket this counter can serve (priority with ageing, hard cap on
    the longest wait); None when nobody is waiting for it."""
    point = _lock_counter(counter)
    snapshot = branch_snapshot(point.branch, lock_waiting=True, light=True)
    _require_free(point, actor, session=snapshot.sessions.get(point.pk),
                  busy=snapshot.current.get(point.pk))
    ticket_id = engine.pick_next(snapshot.counter_state(point.pk), snapshot.live.waiting,
                                 snapshot.live.now, snapshot.weights, snapshot.live.service_times)
    if ticket_id is None:
        return None
    # Locked with the other waiting tickets above; now load it whole for the payloads.
    ticket = Ticket.objects.select_related("service_type", "customer").get(pk=ticket_id)
    ticket.branch = point.branch
    return _call(ticket, point=point, actor=actor, now=snapshot.now, kind=TicketEventKind.CALLED)


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
    ticket = _lock(ticket)
    _require_status(ticket, before)
    if actor is not None:
        _require_own_ticket(ticket, actor)
    ticket.status = after
    setattr(ticket, stamp, timezone.now())
    ticket.save(update_fields=["status", stamp])
    extra = {key: value(ticket) for key, value in data.items()}
    _record(ticket, kind, actor=actor, counter=ticket.counter, before=before, **extra)
    _publish(ticket, f"ticket.{kind}")
    return ticket


@transaction.atomic
def ticket_start_serving(*, actor, ticket: Ticket) -> Ticket:
    return _advance(ticket, actor=actor, before=TicketStatus.CALLED, after=TicketStatus.SERVING,
                    stamp="serving_started_at", kind=TicketEventKind.SERVING)


@transaction.atomic
def ticket_finish(*, actor, ticket: Ticket) -> Ticket:
    return _advance(ticket, actor=actor, before=TicketStatus.SERVING, after=TicketStatus.DONE,
                    stamp="finished_at", kind=TicketEventKind.DONE,
                    handling_seconds=lambda t: t.handling_seconds)


@transaction.atomic
def ticket_customer_left(*, actor, ticket: Ticket, note: str = "") -> Ticket:
    """The customer walked away during service: a terminal state of its own, never counted as
    served (a called customer who never came is a no-show instead)."""
    from queueing import callbacks

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
    for callback in callbacks.ticket_left:
        callback(ticket, actor)
    _publish(ticket, "ticket.left")
    return ticket


@transaction.atomic
def ticket_no_show(*, actor, ticket: Ticket) -> Ticket:
    """The called customer did not come. `actor` is None when the no-show scan marks it."""
    return _advance(ticket, actor=actor, before=TicketStatus.CALLED, after=TicketStatus.NO_SHOW,
                    stamp="no_show_at", kind=TicketEventKind.NO_SHOW,
                    recalls=lambda t: t.recall_count)


@transaction.atomic
def ticket_requeue(*, actor, ticket: Ticket, keep_arrival: bool = False) -> Ticket:
    """A customer who missed their call came back: back in the queue, at the end unless
    `keep_arrival`."""
    ticket = _lock(ticket)
    _require_status(ticket, TicketStatus.NO_SHOW)
    if ticket.business_date != business_date(ticket.branch):
        raise TicketStateError(_("Only today's tickets can go back into the queue."),
                               code="ticket_expired")
    ticket.status = TicketStatus.WAITING
    ticket.recall_count = 0
    ticket.no_show_at = None
    if not keep_arrival:
        ticket.queued_at = timezone.now()
    ticket.save(update_fields=["status", "recall_count", "no_show_at", "queued_at"])
    _record(ticket, TicketEventKind.REQUEUED, actor=actor, before=TicketStatus.NO_SHOW,
            keep_arrival=keep_arrival)
    _publish(ticket, "ticket.requeued")
    return ticket


@transaction.atomic
def ticket_transfer(*, actor, ticket: Ticket, service_type=None, queue: str = "",
                    counter: ServicePoint | None = None, keep_arrival: bool = True,
                    note: str = "") -> Ticket:
    """Send a ticket to another queue, service or counter. It keeps its number and (unless the
    teller chooses otherwise) its original arrival time, so it is not punished for the move."""
    ticket = _lock(ticket)
    _require_status(ticket, TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING,
                    TicketStatus.PARKED)
    if ticket.status in CURRENT:
        _require_own_ticket(ticket, actor)
    if not (service_type or queue or counter):
        raise ValidationError({"queue": [_("Choose a queue, a service or a counter.")]})
    prefixes = zone_prefixes(ticket.branch)
    if counter is not None:
        if counter.branch_id != ticket.branch_id or counter.kind == ServicePoint.Kind.KIOSK:
            raise ValidationError({"counter": [_("Choose a counter of this branch.")]})
        target_queue, channel = counter.zone.ticket_prefix, counter.kind
    elif queue:
        if queue not in {*prefixes.values(), VTM_PREFIX}:
            raise ValidationError({"queue": [_("Unknown queue.")]})
        target_queue = queue
        channel = {VTM_PREFIX: "vtm", prefixes["self_service"]: "kiosk"}.get(queue, "counter")
    else:
        target_queue, channel = prefixes.get(service_type.zone_kind, "A"), "counter"
    if service_type is not None and not service_type.is_active:
        raise ValidationError({"service_type": [_("This service is not offered.")]})
    before = ticket.status
    from_counter = ticket.counter if before in CURRENT or before == TicketStatus.PARKED else None
    ticket.status = TicketStatus.WAITING
    ticket.service_type = service_type or ticket.service_type
    ticket.queue, ticket.channel = target_queue, channel
    ticket.target_counter = counter
    ticket.counter = None
    ticket.recall_count = 0
    ticket.note = note[:200]
    # A new place in a new line, and the ticket page says why it changed.
    ticket.position, ticket.position_reason = None, "rerouted"
    if not keep_arrival:
        ticket.queued_at = timezone.now()
    ticket.save(update_fields=["status", "service_type", "queue", "channel", "target_counter",
                               "counter", "recall_count", "note", "queued_at", "position",
                               "position_reason"])
    _record(ticket, TicketEventKind.TRANSFERRED, actor=actor, counter=from_counter,
            before=before, queue=target_queue,
            service=ticket.service_type.code, to_counter=counter.code if counter else "",
            keep_arrival=keep_arrival, note=ticket.note)
    _publish(ticket, "ticket.transferred")
    return ticket


def transferred_from(ticket: Ticket) -> ServicePoint | None:
    """The counter that last sent this ticket on (where "transfer back" returns it)."""
    event = (TicketEvent.objects.filter(ticket=ticket, kind=TicketEventKind.TRANSFERRED,
                                        counter__isnull=False)
             .select_related("counter__zone").order_by("-at", "-id").first())
    return event.counter if event else None


@transaction.atomic
def ticket_transfer_back(*, actor, ticket: Ticket, note: str = "") -> Ticket:
    """Send a transferred ticket back to the counter it came from, keeping its arrival time."""
    origin = transferred_from(ticket)
    if origin is None:
        raise ValidationError({"ticket": [_("This ticket was not transferred from a counter.")]})
    return ticket_transfer(actor=actor, ticket=ticket, counter=origin, keep_arrival=True,
                           note=note)


@transaction.atomic
def ticket_park(*, actor, ticket: Ticket, note: str = "") -> Ticket:
    """Set a ticket aside (the customer went to fetch a document); the counter is free again."""
    ticket = _lock(ticket)
    _require_status(ticket, TicketStatus.CALLED, TicketStatus.SERVING)
    _require_own_ticket(ticket, actor)
    before = ticket.status
    ticket.status = TicketStatus.PARKED
    ticket.parked_at = timezone.now()
    ticket.note = note[:200]
    ticket.save(update_fields=["status", "parked_at", "note"])
    _record(ticket, TicketEventKind.PARKED, actor=actor, counter=ticket.counter, before=before,
            note=ticket.note)
    _publish(ticket, "ticket.parked")
    return ticket


@transaction.atomic
def ticket_resume(*, actor, ticket: Ticket) -> Ticket:
    """A parked ticket goes back into its queue with its original arrival time."""
    ticket = _lock(ticket)
    _require_status(ticket, TicketStatus.PARKED)
    ticket.status = TicketStatus.WAITING
    ticket.save(update_fields=["status"])
    _record(ticket, TicketEventKind.RESUMED, actor=actor, before=TicketStatus.PARKED)
    _publish(ticket, "ticket.resumed")
    return ticket


@transaction.atomic
def ticket_prioritise(*, actor, ticket: Ticket, boost_minutes: float) -> Ticket:
    """A lobby manager moves a waiting ticket up, as if it had waited `boost_minutes` longer."""
    ticket = _lock(ticket)
    _require_status(ticket, TicketStatus.WAITING)
    if not 0 <= boost_minutes <= 240:
        raise ValidationError({"boost_minutes": [_("Give between 0 and 240 minutes.")]})
    before = ticket.boost
    ticket.boost = float(boost_minutes)
    ticket.save(update_fields=["boost"])
    _record(ticket, TicketEventKind.PRIORITISED, actor=actor, boost_before=before,
            boost=ticket.boost)
    _publish(ticket, "ticket.prioritised")
    return ticket


@transaction.atomic
def ticket_cancel(*, ticket: Ticket, actor=None) -> Ticket:
    """The customer (from their ticket page, `actor` None) or staff cancel a ticket not yet
    being served."""
    ticket = _lock(ticket)
    _require_status(ticket, TicketStatus.WAITING, TicketStatus.PARKED, TicketStatus.CALLED)
    before = ticket.status
    ticket.status = TicketStatus.CANCELLED
    ticket.cancelled_at = timezone.now()
    ticket.position = None
    ticket.save(update_fields=["status", "cancelled_at", "position"])
    _record(ticket, TicketEventKind.CANCELLED, actor=actor, before=before,
            by="staff" if actor is not None else "customer")
    _publish(ticket, "ticket.cancelled")
    return ticket


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


# --- estimates, alerts and no-shows (Celery) ---------------------------------------------

def positions_for(waiting: list[Ticket], estimates: dict) -> dict[int, int]:
    """Place in line per channel, in the order the engine expects to call them."""
    positions: dict[int, int] = {}
    by_channel: dict[str, list[Ticket]] = {}
    for ticket in waiting:
        by_channel.setdefault(ticket.channel, []).append(ticket)
    for tickets in by_channel.values():
        tickets.sort(key=lambda t: (estimates.get(t.pk) is None, estimates.get(t.pk) or 0,
                                    t.queued_at, t.pk))
        positions.update({t.pk: index for index, t in enumerate(tickets, start=1)})
    return positions


def stable_positions(waiting: list[Ticket], estimates: dict) -> dict[int, tuple[int, str]]:
    """Each waiting ticket's place in line and, when it went back, why. A place only goes back
    for a reason the customer is shown: a later customer with priority went ahead ("priority"),
    a customer who had stepped away came back ahead ("returned"), or the ticket itself was
    re-routed ("rerouted"). Anything else (estimates shuffling) keeps the earlier place."""
    computed = positions_for(waiting, estimates)
    by_channel: dict[str, list[Ticket]] = {}
    for ticket in waiting:
        by_channel.setdefault(ticket.channel, []).append(ticket)
    result = {}
    for ticket in waiting:
        new, old = computed[ticket.pk], ticket.position
        if old is None:
            result[ticket.pk] = (new, ticket.position_reason)
            continue
        if new <= old:
            result[ticket.pk] = (new, "" if new < old else ticket.position_reason)
            continue
        ahead = [other for other in by_channel[ticket.channel] if computed[other.pk] < new]
        later = [other for other in ahead if other.queued_at > ticket.queued_at]
        returned = [other for other in ahead if other.position is None]
        if later:
            result[ticket.pk] = (new, "priority")
        elif returned:
            result[ticket.pk] = (new, "returned")
        else:
            result[ticket.pk] = (old, ticket.position_reason)
    return result


@transaction.atomic
def queue_refresh(*, branch) -> None:
    """Recompute every waiting ticket's estimate and position, store and push what changed,
    and raise the dashboard's alerts (long waits, idle counters, rising estimates). The stored
    values are the one estimate every surface shows (`payloads.stored_estimates`)."""
    from queueing import scans

    snapshot = branch_snapshot(branch)
    estimates = snapshot.estimates()
    positions = stable_positions(snapshot.waiting, estimates)
    changed, before = [], {}
    for ticket in snapshot.waiting:
        minutes = estimates.get(ticket.pk)
        seconds = None if minutes is None else round(minutes * 60)
        row = (seconds, *positions[ticket.pk])
        current = (ticket.estimated_wait_seconds, ticket.position, ticket.position_reason)
        if row != current:
            before[ticket.pk] = current
            ticket.estimated_wait_seconds, ticket.position, ticket.position_reason = row
            changed.append(ticket)
    if changed:
        # Estimates are advice, refreshed again at the next change: rows another transaction
        # holds (a call locking the queue, a concurrent refresh) are skipped, not waited for, so
        # a refresh never deadlocks with a call or with another refresh.
        free = set(Ticket.objects.filter(pk__in=[ticket.pk for ticket in changed])
                   .select_for_update(skip_locked=True).values_list("pk", flat=True))
        for ticket in changed:
            if ticket.pk not in free:
                (ticket.estimated_wait_seconds, ticket.position,
                 ticket.position_reason) = before[ticket.pk]
        changed = [ticket for ticket in changed if ticket.pk in free]
        Ticket.objects.bulk_update(changed, ["estimated_wait_seconds", "position",
                                             "position_reason"])
    for ticket in changed:
        ticket.branch = branch
        push(groups.ticket(ticket.public_token), "ticket.updated", payloads.ticket_page(ticket))
    shown = payloads.stored_estimates(snapshot)
    scans.raise_alerts(snapshot, shown)
    payloads.forget_lobby_state(branch.code)
    push(groups.lobby(branch.code), "queue.state",
         {"queues": payloads.queue_summaries(snapshot, shown)})
    push(groups.staff(branch.code), "queue.state",
         payloads.staff_state(snapshot, shown, alerts=recent_alerts(branch)))


def ticket_mark_no_shows(*, branch, now: dt.datetime | None = None) -> list[Ticket]:
    """Called tickets whose recalls are used up and whose last call is older than the branch's
    `no_show_after_seconds` become no-shows (0 turns this off)."""
    settings = settings_for(branch)
    if not settings.no_show_after_seconds:
        return []
    now = now or timezone.now()
    overdue = Ticket.objects.filter(
        branch=branch, status=TicketStatus.CALLED, recall_count__gte=settings.recall_limit,
        called_at__lte=now - dt.timedelta(seconds=settings.no_show_after_seconds))
    marked = []
    for ticket in overdue:
        try:
            marked.append(ticket_no_show(actor=None, ticket=ticket))
        except TicketStateError:
            continue  # served or cancelled meanwhile
    return marked
