"""Two customers racing for the last place in a slot: exactly one wins (PostgreSQL)."""

import threading

import pytest
import time_machine
from django.db import connection

from appointments.models import Appointment, SlotCapacity
from appointments.services import BookingError, appointment_book
from tests.appointments.conftest import THURSDAY_8AM, at
from tests.factories import make_customer_user


@pytest.mark.django_db(transaction=True)
@time_machine.travel(THURSDAY_8AM, tick=False)
def test_two_customers_racing_for_the_last_place_one_wins_and_one_is_offered_other_times(
    require_service, appt_branch, deposit, customer
):
    require_service("postgres")
    racers = [make_customer_user(branch=appt_branch).customer for _ in range(4)]
    # One place left in the 10:30 slot (capacity 2).
    appointment_book(
        actor=customer.user, customer=customer, branch=appt_branch, service_type=deposit, start=at(10, 30)
    )
    barrier = threading.Barrier(len(racers))
    outcomes: list = []

    def race(person):
        try:
            barrier.wait()
            appointment_book(
                actor=person.user, customer=person, branch=appt_branch, service_type=deposit, start=at(10, 30)
            )
            outcomes.append("booked")
        except BookingError as refused:
            outcomes.append([slot.start for slot in refused.alternatives])
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=race, args=(person,)) for person in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("booked") == 1
    assert [o for o in outcomes if o != "booked"] == [[at(11), at(11, 30), at(13)]] * 3
    assert SlotCapacity.objects.get(start=at(10, 30)).booked == 2
    assert Appointment.objects.filter(start=at(10, 30)).count() == 2


@pytest.mark.django_db
def test_the_database_refuses_more_bookings_than_places(appt_branch, deposit):
    from django.db import IntegrityError, transaction

    slot = SlotCapacity.objects.create(
        branch=appt_branch, service_type=deposit, start=at(10), end=at(10, 30), capacity=1, booked=1
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        SlotCapacity.objects.filter(pk=slot.pk).update(booked=2)
