"""Booked customers of a demo day come as real appointments (docs/queueing-engine.md, Demo month).

The simulator's day (``draw_day``) gives the customers who booked a slot and came (``booked``,
with the check-in window of their slot, early or late as the scenario's punctuality says) and the
number who booked and did not come. Each is booked the day before through ``appointment_book`` in
the demo branch's own slot nearest the scenario's; a customer who came checks in on arrival through
``appointment_check_in`` (which issues the ticket, with appointment priority when on time), one who
is early waits for check-in to open, one past the no-show time takes a walk-in ticket; the others
are marked no-shows at the end of the day (``appointment_mark_no_shows``). Every write is the
services' own, audited.
"""

from __future__ import annotations

import datetime as dt

from appointments.capacity import generated_slots
from appointments.models import Appointment
from appointments.policy import policy
from appointments.services import (
    BookingError,
    CheckInError,
    appointment_book,
    appointment_check_in,
    appointment_mark_no_shows,
)
from queueing.models import Ticket


class Bookings:
    """One demo branch's appointments, booked and checked in as the simulated day says."""

    def __init__(self, branch, types: dict, customers: list, services: dict):
        self.branch = branch
        self.types = types  # ServiceType by code
        self.customers = customers
        self.services = services  # simulator service -> (counter code, kiosk code)
        self.booked: dict[int, Appointment] = {}  # by arrival id
        self.no_shows = 0

    def book_day(self, arrivals, no_shows: int, opens: dt.datetime, scenario, rng) -> None:
        """Book, the day before, every booked arrival's slot and ``no_shows`` more."""
        book = scenario.appointment_book
        if book is None or not self.customers:
            return
        the_day_before = opens - dt.timedelta(days=1)
        for arrival in arrivals:
            if arrival.booked and arrival.appointment is not None:
                slot = arrival.appointment.window_start + book.check_in_before_minutes
                appointment = self._book(arrival.service, opens + dt.timedelta(minutes=slot),
                                         the_day_before, rng)
                if appointment is not None:
                    self.booked[arrival.id] = appointment
        services = list(book.services)
        for _ in range(no_shows if services else 0):
            minute = rng.uniform(book.first_slot, book.last_slot or scenario.day_minutes - 60)
            if self._book(rng.choice(services), opens + dt.timedelta(minutes=minute),
                          the_day_before, rng) is not None:
                self.no_shows += 1

    def _book(self, service: str, wanted: dt.datetime, now: dt.datetime, rng) -> Appointment | None:
        service_type = self.types.get(self.services.get(service, (None, None))[0])
        if service_type is None:
            return None
        day = wanted.astimezone(self.branch.tz).date()
        slots = generated_slots(branch=self.branch, service_type=service_type, now=now, day=day)
        if not slots:
            return None
        nearest = min(slots, key=lambda slot: abs((slot.start - wanted).total_seconds()))
        try:
            return appointment_book(actor=None, customer=rng.choice(self.customers),
                                    branch=self.branch, service_type=service_type,
                                    start=nearest.start, now=now)
        except BookingError:
            return None  # the slot is full or the customer may not book: they walk in

    def check_in(self, arrival, now: dt.datetime) -> Ticket | dt.datetime | None:
        """The booked customer's ticket; the moment check-in opens when they are early; None when
        they have no appointment or it has lapsed (they take a walk-in ticket)."""
        appointment = self.booked.get(arrival.id)
        if appointment is None:
            return None
        try:
            return appointment_check_in(appointment=appointment, now=now).ticket
        except CheckInError as refused:
            if refused.code == "too_early":
                return policy().checkin_opens(appointment.start)
            self.booked.pop(arrival.id)
            return None

    def close_day(self, closes: dt.datetime) -> int:
        """Booked customers who never came are no-shows once their slot has lapsed."""
        return appointment_mark_no_shows(
            now=closes + dt.timedelta(minutes=policy().no_show_after_minutes))
