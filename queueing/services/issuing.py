"""Issuing tickets: numbering, remote-ticket checks, the channel recommendation."""

import datetime as dt
import math
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, Device, ServiceType
from customers.models import Customer
from queueing import engine, payloads
from queueing.alerts import Level, alert_raise
from queueing.config import configuration
from queueing.issue_checks import issue_refusal
from queueing.models import (
    PriorityClass,
    Source,
    Ticket,
    TicketEventKind,
    TicketSequence,
)
from queueing.policy import settings_for
from queueing.services.common import DEFAULT_APPOINTMENT_WINDOW, WALK_IN_SOURCES, _publish, _record
from queueing.state import (
    VTM_PREFIX,
    branch_snapshot,
    business_date,
    customer_profile,
    service_profile,
)


def _next_number(*, branch, day: dt.date, prefix: str) -> tuple[int, str]:
    value = take_numbers(branch=branch, day=day, prefix=prefix)
    return value, f"{prefix}{value:03d}"


def take_numbers(*, branch, day: dt.date, prefix: str, size: int = 1) -> int:
    """Take the next `size` numbers of a queue in one statement (an upsert that returns the last
    one; it was an insert, a locking select and an update) and return the last. The upsert keeps
    the sequence row locked until the ticket commits, so concurrent kiosks wait for each other and
    a rolled-back issue leaves no gap. PostgreSQL and SQLite (3.35+) both speak this form. A kiosk's
    offline block (continuity.offline) takes `size` numbers at once, so no ticket ever shares one."""
    table = connection.ops.quote_name(TicketSequence._meta.db_table)
    # The table name is the model's own, never input; the values are parameters.
    statement = (f"INSERT INTO {table} (branch_id, business_date, prefix, last_value) "  # noqa: S608
                 "VALUES (%s, %s, %s, %s) ON CONFLICT (branch_id, business_date, prefix) "
                 f"DO UPDATE SET last_value = {table}.last_value + %s RETURNING last_value")
    with connection.cursor() as cursor:
        cursor.execute(statement, [branch.pk, day, prefix, size, size])
        return cursor.fetchone()[0]


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
                                  snapshot.quoting, snapshot.weights)


def _choose_channel(recommendation, *, channel: str | None, service_type, prefixes, customer,
                    weights) -> engine.Recommendation:
    if not channel or channel == recommendation.channel:
        return recommendation
    alternative = recommendation.alternative
    if alternative is not None and alternative.channel == channel:
        return alternative
    if channel not in service_type.allowed_channels:
        raise ValidationError({"channel": [_("This service cannot be done there.")]})
    prefix_of: dict[str, str] = {engine.Channel.KIOSK: prefixes["self_service"],
                                 engine.Channel.VTM: VTM_PREFIX}
    prefix = prefix_of.get(channel)
    if prefix is None:
        vip = customer is not None and customer.vip_tier >= weights.vip_queue_min_tier
        prefix = weights.vip_queue_prefix if vip else prefixes.get(service_type.zone_kind, "A")
    return replace(recommendation, channel=engine.Channel(channel), queue_prefix=prefix,
                   estimated_wait_minutes=None, alternative=None)


@dataclass(frozen=True, kw_only=True)
class IssueRequest:
    """What a ticket is issued for: who, for which service, from where, and how it may be routed.

    `source` is a `Source`; `channel` overrides the recommendation (the customer took the
    alternative); `location`/`arrival_minutes` are checked for remote tickets only;
    `enforce_hours=False` issues outside opening hours (a demo, an offline kiosk's sync)."""

    branch: Branch
    service_type: ServiceType
    source: str
    customer: Customer | None = None
    device: Device | None = None
    actor: object = None
    appointment_priority: bool = False
    appointment_window: tuple[dt.datetime, dt.datetime] | None = None
    language: str = ""
    channel: str | None = None
    location: tuple[float, float] | None = None
    arrival_minutes: int | None = None
    enforce_hours: bool = True


@transaction.atomic
def ticket_issue(*, issue: IssueRequest) -> Ticket:
    """Issue a ticket, routed by the branch's policy, with a quoted wait."""
    branch, service_type, source = issue.branch, issue.service_type, issue.source
    customer, device, language = issue.customer, issue.device, issue.language
    now = timezone.now()
    if source not in Source.values:
        raise ValidationError({"source": [_("Unknown ticket source.")]})
    if not service_type.is_active:
        raise ValidationError({"service_type": [_("This service is not offered.")]})
    open_now = configuration(branch)[0].is_open_at(branch, now)
    if not branch.is_active or (issue.enforce_hours and not open_now):
        raise ValidationError({"branch": [_("The branch is closed now.")]})
    if refusal := issue_refusal(branch=branch, source=source):  # an emergency plan (continuity)
        raise ValidationError({"branch": [refusal]})
    if service_type.needs_appointment and source in WALK_IN_SOURCES:
        raise ValidationError({"service_type": [
            _("%(service)s needs an appointment: please book one, then check in with it.")
            % {"service": service_type}]})
    if source == Source.REMOTE:
        _check_remote(branch=branch, customer=customer, location=issue.location,
                      arrival_minutes=issue.arrival_minutes, now=now)
    snapshot = branch_snapshot(branch, now=now, light=True)
    appointment, window = _appointment(snapshot, appointment_priority=issue.appointment_priority,
                                       appointment_window=issue.appointment_window)
    recommendation = engine.recommend_route(
        service_profile(service_type, snapshot.prefixes), customer_profile(customer, language),
        appointment, snapshot.quoting, snapshot.weights)
    chosen = _choose_channel(recommendation, channel=issue.channel, service_type=service_type,
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
    _record(ticket, TicketEventKind.ISSUED, actor=issue.actor, device=device, source=source,
            queue=ticket.queue, quoted_wait_minutes=quoted)
    _publish(ticket, "ticket.issued")
    _alert_arrival(ticket)
    return ticket


def _issue_position(snapshot, chosen: engine.Recommendation) -> int:
    """The new ticket's place in line as the refresh will count it: behind everyone on its
    channel expected to be called no later than its quoted wait (counted from the waiting rows
    the snapshot already read)."""
    quoted = chosen.estimated_wait_minutes
    limit = None if quoted is None else round(quoted * 60)
    return 1 + sum(1 for row in snapshot.waiting if row.channel == chosen.channel.value and (
        limit is None or (row.estimated_wait_seconds is not None
                          and row.estimated_wait_seconds <= limit)))


def _alert_arrival(ticket: Ticket) -> None:
    if ticket.priority_class == PriorityClass.APPOINTMENT:
        text = _("Appointment customer %(name)s arrived: ticket %(number)s, %(service)s.")
    elif ticket.vip_tier > 0:
        text = _("VIP customer %(name)s arrived: ticket %(number)s, %(service)s.")
    else:
        return
    name = ticket.customer.masked_name if ticket.customer is not None else ""
    alert_raise(branch=ticket.branch, kind="vip_arrived" if ticket.vip_tier else
                "appointment_arrived", level=Level.INFO, ticket=ticket.number,
                text=payloads.both_format(text, name=name, number=ticket.number,
                                  service=ticket.service_type))
