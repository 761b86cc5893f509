"""Who may see, change and check in appointments, for every role."""

import pytest

from appointments.services import appointment_book
from branches.roles import Role
from tests.appointments.conftest import at
from tests.factories import make_customer_user, make_staff

pytestmark = pytest.mark.usefixtures("frozen")

BRANCH_SERVICE = {Role.TELLER, Role.WEALTH_MANAGER, Role.LOBBY_MANAGER, Role.BRANCH_ADMIN}


@pytest.fixture
def booked(appt_branch, deposit, customer):
    return appointment_book(
        actor=customer.user, customer=customer, branch=appt_branch, service_type=deposit, start=at(14)
    )


@pytest.fixture
def people(appt_branch, customer, other_branch):
    """One user per role; branch staff work at the appointment's branch."""
    people = {
        role: make_staff(
            role,
            appt_branch
            if role
            not in {
                Role.COMPLIANCE_OFFICER,
                Role.DEPARTMENT_STAFF,
                Role.DEPARTMENT_HEAD,
                Role.HEAD_OFFICE_ADMIN,
            }
            else None,
        )
        for role in Role
        if role != Role.CUSTOMER
    }
    people[Role.CUSTOMER] = customer.user
    people["other customer"] = make_customer_user(branch=appt_branch)
    people["teller of another branch"] = make_staff(Role.TELLER, other_branch)
    return people


SEES = {
    Role.CUSTOMER,
    *BRANCH_SERVICE,
    Role.COMPLIANCE_OFFICER,
    Role.DEPARTMENT_STAFF,
    Role.DEPARTMENT_HEAD,
    Role.HEAD_OFFICE_ADMIN,
}
CHANGES = {Role.CUSTOMER, *BRANCH_SERVICE}


@pytest.mark.parametrize("who", [*Role, "other customer", "teller of another branch"])
def test_who_sees_an_appointment(client, people, booked, who):
    client.force_login(people[who])

    status = client.get(f"/api/appointments/{booked.code}/").status_code

    assert status == (200 if who in SEES else 404)


@pytest.mark.parametrize("who", [*Role, "other customer", "teller of another branch"])
def test_who_may_cancel_an_appointment(client, people, booked, who):
    client.force_login(people[who])

    status = client.post(f"/api/appointments/{booked.code}/cancel/").status_code

    assert status == (200 if who in CHANGES else 404)


@pytest.mark.parametrize("who", [*Role, "teller of another branch"])
def test_who_sees_todays_list_and_checks_customers_in(client, people, booked, who):
    client.force_login(people[who])

    listed = client.get("/api/appointments/today/")
    page = client.get("/appointments/today/")

    if who in BRANCH_SERVICE:
        assert listed.status_code == 200 and [row["code"] for row in listed.json()] == [booked.code]
        assert page.status_code == 200 and booked.customer.masked_name in page.content.decode()
        assert booked.customer.name not in page.content.decode()
    elif who == "teller of another branch":
        assert listed.json() == []
    else:
        assert listed.status_code == 403
        assert page.status_code in (302, 403)


def test_visitors_are_sent_to_the_phone_sign_in(client, booked):
    response = client.get(f"/appointments/{booked.code}/")

    assert response.status_code == 302 and response["Location"].startswith("/me/login/")
    assert client.get("/api/appointments/mine/").status_code == 401


def test_staff_may_open_the_customer_of_an_appointment_at_their_branch_today(people, booked, appt_branch):
    from customers.access import customer_branch_ids

    assert appt_branch.pk in customer_branch_ids(booked.customer)


def test_the_lobby_manager_checks_a_customer_in_from_todays_list(client, people, booked, frozen):
    from appointments.models import Appointment

    client.force_login(people[Role.LOBBY_MANAGER])
    frozen.move_to(at(13, 58))

    listed = client.get("/appointments/today/").content.decode()
    response = client.post(f"/appointments/check-in/?branch={booked.branch.code}", {"code": booked.code})

    assert f'value="{booked.code}"' in listed
    ticket = Appointment.objects.get(pk=booked.pk).ticket
    assert ticket.number in response.content.decode()
    assert ticket.number in client.get("/appointments/today/").content.decode()
