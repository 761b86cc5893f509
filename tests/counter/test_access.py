"""Who may open a pre-filled form, a customer, a service record and a counter: every role."""

import pytest
from django.urls import reverse

from branches.roles import Role
from counter.models import FormSource
from counter.services import form_start
from tests.factories import make_counter, make_customer, make_staff

# staff of `branch` (or network roles) reading a form that reached `branch`
FORM_READERS = {
    Role.TELLER,
    Role.WEALTH_MANAGER,
    Role.LOBBY_MANAGER,
    Role.BRANCH_ADMIN,
    Role.COMPLIANCE_OFFICER,
    Role.HEAD_OFFICE_ADMIN,
}


@pytest.fixture
def form(db, ticket, service_type):
    from django.db import transaction

    with transaction.atomic():
        return form_start(actor=None, service_type=service_type, source=FormSource.CUSTOMER, ticket=ticket)


def status_for(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize("role", [*Role, None])
def test_each_role_may_open_a_branch_form_only_as_allowed(client, users_by_role, form, role):
    status = status_for(client, users_by_role[role], reverse("counter:my-form", args=[form.public_id]))
    if role is None:
        assert status == 302  # to the sign-in page
    else:
        assert status == (200 if role in FORM_READERS else 404)


def test_a_teller_cannot_open_a_form_of_another_branch(client, other_branch, form):
    stranger = make_staff(Role.TELLER, other_branch)
    assert status_for(client, stranger, reverse("counter:my-form", args=[form.public_id])) == 404


def test_a_customer_opens_only_their_own_form(client, customer, form):
    from tests.factories import make_customer_user

    owner = make_customer_user(customer)
    assert status_for(client, owner, reverse("counter:my-form", args=[form.public_id])) == 200
    client.logout()
    assert status_for(client, make_customer_user(), reverse("counter:my-form", args=[form.public_id])) == 404


def test_a_lobby_manager_may_read_but_not_change_a_form(client, lobby_manager, form):
    client.force_login(lobby_manager)
    response = client.post(
        reverse("counter:my-form", args=[form.public_id]), {"full_name": "X", "action": "draft"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", [*Role, None])
def test_each_role_may_open_a_customer_of_the_branch_only_as_allowed(client, users_by_role, customer, role):
    status = status_for(client, users_by_role[role], reverse("counter:customer-detail", args=[customer.pk]))
    if role is None:
        assert status == 302
    elif role in FORM_READERS:
        assert status == 200
    else:
        assert status in (403, 404)


def test_a_teller_cannot_open_a_customer_of_another_branch(client, branch, other_branch):
    stranger = make_staff(Role.TELLER, other_branch)
    customer = make_customer(branch=branch)
    assert status_for(client, stranger, reverse("counter:customer-detail", args=[customer.pk])) == 404


def test_the_customer_panel_masks_identity(client, teller, customer):
    client.force_login(teller)
    page = client.get(reverse("counter:customer-detail", args=[customer.pk])).content.decode()
    assert "张**" in page and "138****5678" in page and "13812345678" not in page


def test_a_teller_cannot_open_the_console_of_another_branch(client, other_branch, teller):
    point = make_counter(other_branch, "09")
    client.force_login(teller)
    assert client.get(reverse("counter:console", args=[point.pk])).status_code == 404
    assert client.post(reverse("counter:console-action", args=[point.pk, "open"])).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.LOBBY_MANAGER, Role.BRANCH_ADMIN, Role.COMPLIANCE_OFFICER, Role.CUSTOMER]
)
def test_only_tellers_and_wealth_managers_work_the_console(client, users_by_role, branch, role):
    point = make_counter(branch, "08")
    client.force_login(users_by_role[role])
    assert client.post(reverse("counter:console-action", args=[point.pk, "open"])).status_code == 403


def test_a_service_record_of_another_branch_is_not_found(
    client, other_branch, teller, branch, service_type, ticket
):
    from django.utils import timezone

    from counter.models import ServiceRecord

    point = make_counter(branch, "05")
    record = ServiceRecord.objects.create(
        ticket=ticket,
        branch=branch,
        counter=point,
        teller=teller,
        service_type=service_type,
        started_at=timezone.now(),
    )
    client.force_login(teller)
    assert client.get(reverse("counter:record-detail", args=[record.pk])).status_code == 200
    client.force_login(make_staff(Role.TELLER, other_branch))
    assert client.get(reverse("counter:record-detail", args=[record.pk])).status_code == 404


@pytest.mark.parametrize("role", [*Role, None])
def test_only_the_branchs_lobby_manager_or_admin_may_override_unchecked_fields(
    client, users_by_role, branch, service_type, ticket, teller, role
):
    from counter.models import ServiceRecord

    point = make_counter(branch, "05", zone_kind="non_cash", services=[service_type])
    record = ServiceRecord.objects.create(
        ticket=ticket, branch=branch, counter=point, teller=teller, service_type=service_type
    )
    if users_by_role[role] is not None:
        client.force_login(users_by_role[role])
    status = client.post(reverse("counter:record-override", args=[record.pk]), {"reason": "x"}).status_code
    if role in (Role.LOBBY_MANAGER, Role.BRANCH_ADMIN):
        assert status == 400  # allowed in, but this record has nothing to override
    elif role is None:
        assert status == 302
    else:
        assert status in (403, 404)


def test_a_lobby_manager_of_another_branch_cannot_open_the_override(
    client, other_branch, branch, service_type, ticket, teller
):
    from counter.models import ServiceRecord

    point = make_counter(branch, "05", zone_kind="non_cash", services=[service_type])
    record = ServiceRecord.objects.create(
        ticket=ticket, branch=branch, counter=point, teller=teller, service_type=service_type
    )
    client.force_login(make_staff(Role.LOBBY_MANAGER, other_branch))
    response = client.post(reverse("counter:record-override", args=[record.pk]), {"reason": "x"})
    assert response.status_code == 404
