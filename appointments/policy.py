"""Booking policy: the numbers a bank tunes, with defaults, overridable in settings.APPOINTMENTS.

``APPOINTMENTS = {"walk_in_share": 0.4, "no_show_limit": 2}`` in settings (or the
``APPOINTMENTS_*`` environment variables read there) changes them for every branch.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta

from django.conf import settings

from appointments.slots import SlotRules


@dataclass(frozen=True)
class Policy:
    slot_minutes: int = 30
    # Share of counter time kept for walk-in customers.
    walk_in_share: float = 0.5
    lead_time_minutes: int = 60
    horizon_days: int = 14
    # A customer may hold this many booked (future) appointments at once.
    max_active_per_customer: int = 3
    # Reschedule and cancel are possible until this long before the slot.
    change_cutoff_minutes: int = 120
    # Check-in opens this long before the slot; before that the customer is told when to come back.
    checkin_opens_minutes: int = 60
    # The appointment priority applies from this long before the slot ...
    priority_before_minutes: int = 15
    # ... until this long after its start (grace). Later arrivals get normal walk-in priority.
    grace_minutes: int = 10
    # A booked appointment nobody checked in for is a no-show this long after its start.
    no_show_after_minutes: int = 60
    # Customers with this many no-shows within no_show_window_days may not book for a while.
    no_show_limit: int = 3
    no_show_window_days: int = 90
    # Reminders: the day before at this hour (local time), and this long before the slot.
    day_before_hour: int = 18
    soon_before_minutes: int = 90
    # The "leave now" hint goes out this long before the slot (a typical trip to the branch) and
    # carries the live wait at the branch.
    leave_now_minutes: int = 40
    # One-time sign-in codes.
    otp_ttl_minutes: int = 5
    otp_per_phone_per_hour: int = 5
    otp_per_ip_per_hour: int = 20
    otp_max_attempts: int = 5

    def slot_rules(self, *, service_minutes: int) -> SlotRules:
        return SlotRules(
            slot_minutes=self.slot_minutes,
            service_minutes=max(1, service_minutes),
            walk_in_share=self.walk_in_share,
            lead_time=timedelta(minutes=self.lead_time_minutes),
            horizon_days=self.horizon_days,
        )

    def change_deadline(self, start: datetime) -> datetime:
        return start - timedelta(minutes=self.change_cutoff_minutes)

    def checkin_opens(self, start: datetime) -> datetime:
        return start - timedelta(minutes=self.checkin_opens_minutes)

    def priority_window(self, start: datetime) -> tuple[datetime, datetime]:
        return start - timedelta(minutes=self.priority_before_minutes), start + timedelta(
            minutes=self.grace_minutes
        )

    def no_show_at(self, start: datetime) -> datetime:
        return start + timedelta(minutes=self.no_show_after_minutes)


def policy() -> Policy:
    overrides = getattr(settings, "APPOINTMENTS", {}) or {}
    known = {f.name for f in fields(Policy)}
    unknown = set(overrides) - known
    if unknown:
        raise ValueError(f"unknown APPOINTMENTS settings: {sorted(unknown)}")
    return replace(Policy(), **overrides)
