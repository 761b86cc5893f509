"""A customer's personal calendar feed: every appointment and class they hold, one ICS URL.

The URL carries a random token (192 bits); only its SHA-256 is stored, so a database reader cannot
rebuild the URL, and revoking the token stops the feed at once. A new token revokes the old one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from appointments.ics import CalendarEvent, calendar_feed
from appointments.models import (
    Appointment,
    AppointmentStatus,
    CalendarFeed,
    GroupParticipant,
    GroupSessionStatus,
    ParticipantStatus,
)
from compliance.audit import audit_record
from customers.models import Customer

# Cancelled appointments stay in the feed this long (as STATUS:CANCELLED) so subscribed calendars
# remove them; older history is left out.
PAST_DAYS = 30


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def live_feed(customer: Customer) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(customer=customer, revoked_at__isnull=True).first()


@transaction.atomic
def calendar_feed_create(*, actor, customer: Customer, now: dt.datetime | None = None) -> str:
    """A new secret token for the customer's feed (the old one stops working); returns the token."""
    now = now or timezone.now()
    _revoke(customer=customer, now=now)
    token = secrets.token_urlsafe(24)
    feed = CalendarFeed.objects.create(customer=customer, token_digest=_digest(token), created_at=now)
    audit_record(actor=actor, action="calendar_feed.create", obj=feed, customer=customer)
    return token


@transaction.atomic
def calendar_feed_revoke(*, actor, customer: Customer, now: dt.datetime | None = None) -> bool:
    feed = _revoke(customer=customer, now=now or timezone.now())
    if feed is not None:
        audit_record(actor=actor, action="calendar_feed.revoke", obj=feed, customer=customer)
    return feed is not None


def _revoke(*, customer: Customer, now: dt.datetime) -> CalendarFeed | None:
    feed = (
        CalendarFeed.objects.select_for_update(of=("self",))
        .filter(customer=customer, revoked_at__isnull=True)
        .first()
    )
    if feed is not None:
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at"])
    return feed


def feed_customer(token: str) -> Customer | None:
    """The customer whose live feed ``token`` opens, or None (unknown or revoked)."""
    feed = (
        CalendarFeed.objects.select_related("customer")
        .filter(token_digest=_digest(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None:
        return None
    # Only the time of the last fetch: a subscribed calendar polls often, so no audit row each time.
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())
    return feed.customer


def feed_url(token: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("appointments:feed", args=[token])


def feed_file(customer: Customer, *, now: dt.datetime | None = None) -> bytes:
    now = now or timezone.now()
    since = now - dt.timedelta(days=PAST_DAYS)
    with translation.override(customer.preferred_language or settings.LANGUAGE_CODE):
        events = _appointment_events(customer, since) + _class_events(customer, since)
        name = _("My bank appointments")
    return calendar_feed(sorted(events, key=lambda e: e.start), stamp=now, name=name)


def _appointment_events(customer: Customer, since: dt.datetime) -> list[CalendarEvent]:
    rows = (
        Appointment.objects.with_related()
        .filter(customer=customer, start__gte=since)
        .exclude(status=AppointmentStatus.NO_SHOW)
    )
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    return [
        CalendarEvent(
            uid=f"appointment-{a.code}@branchsvc",
            start=a.start,
            end=a.end,
            summary=f"{a.service_type.name} · {a.branch.name}",
            location=a.branch.localized("address") or a.branch.name,
            description=_("Booking code: %(code)s. Check in at the kiosk with this code or its QR code.")
            % {"code": a.code_display},
            url=base + reverse("appointments:detail", args=[a.code]),
            cancelled=a.status == AppointmentStatus.CANCELLED,
            sequence=a.reschedule_count + (1 if a.status == AppointmentStatus.CANCELLED else 0),
        )
        for a in rows
    ]


def _class_events(customer: Customer, since: dt.datetime) -> list[CalendarEvent]:
    rows = GroupParticipant.objects.select_related("session", "session__branch").filter(
        customer=customer, session__start__gte=since, status=ParticipantStatus.JOINED
    )
    return [
        CalendarEvent(
            uid=f"group-session-{p.session_id}@branchsvc",
            start=p.session.start,
            end=p.session.end,
            summary=f"{p.session.title} · {p.session.branch.name}",
            location=p.session.location or p.session.branch.name,
            description=p.session.description,
            cancelled=p.session.status == GroupSessionStatus.CANCELLED,
            sequence=1 if p.session.status == GroupSessionStatus.CANCELLED else 0,
        )
        for p in rows
    ]
