import datetime as dt

import pytest
from django.db import connection

from branches.roles import Role
from compliance.models import AuditEvent
from tests.factories import make_customer, make_staff, resident_id

ID_NUMBER = resident_id()


@pytest.fixture
def customer(branch):
    return make_customer(branch=branch, phone="13812345678", id_number=ID_NUMBER)


def _raw_columns(customer) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM customers_customer WHERE id = %s", [customer.pk])
        return cursor.fetchone()


def test_id_and_phone_numbers_are_encrypted_in_the_database(customer):
    raw_id, raw_phone = _raw_columns(customer)
    assert ID_NUMBER not in raw_id and ID_NUMBER[-4:] not in raw_id
    assert "13812345678" not in raw_phone
    customer.refresh_from_db()
    assert customer.id_number == ID_NUMBER


def test_customers_can_be_found_by_phone_and_id_without_decrypting_every_row(customer):
    from customers.models import Customer

    assert Customer.objects.by_phone("138 1234 5678").get() == customer
    assert Customer.objects.by_id_number(ID_NUMBER.lower()).get() == customer


def test_staff_see_masked_numbers_in_the_api(client, customer, teller):
    client.force_login(teller)
    body = client.get(f"/api/customers/{customer.pk}/").json()
    assert body["id_number"] == ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]
    assert body["phone"] == "138****5678"
    assert ID_NUMBER not in str(body) and "13812345678" not in str(body)


def test_staff_can_search_customers_by_full_phone_number(client, customer, teller):
    client.force_login(teller)
    body = client.get("/api/customers/", {"q": "13812345678"}).json()
    assert [row["customer_no"] for row in body] == [customer.customer_no]


def test_compliance_officer_reveals_with_a_reason_and_it_is_audited(client, customer,
                                                                     compliance_officer):
    client.force_login(compliance_officer)
    response = client.post(f"/api/customers/{customer.pk}/reveal/",
                           {"field": "id_number", "reason": "监管调阅 2026-118"},
                           content_type="application/json")
    assert response.status_code == 200
    assert response.json()["value"] == ID_NUMBER
    event = AuditEvent.objects.get(action="customer.reveal")
    assert (event.actor_id, event.customer_id, event.role) == (
        compliance_officer.pk, customer.pk, Role.COMPLIANCE_OFFICER)
    assert event.after == {"field": "id_number", "reason": "监管调阅 2026-118"}
    assert ID_NUMBER not in str(event.after)


def test_reveal_without_a_reason_is_refused_and_not_audited(client, customer, compliance_officer):
    client.force_login(compliance_officer)
    response = client.post(f"/api/customers/{customer.pk}/reveal/",
                           {"field": "phone", "reason": " "}, content_type="application/json")
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    assert not AuditEvent.objects.filter(action="customer.reveal").exists()


def test_a_teller_without_the_reveal_permission_cannot_reveal(client, customer, teller):
    client.force_login(teller)
    response = client.post(f"/api/customers/{customer.pk}/reveal/",
                           {"field": "phone", "reason": "customer asked"},
                           content_type="application/json")
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="customer.reveal").exists()


def test_a_teller_cannot_open_a_customer_of_another_branch(client, other_branch, teller):
    stranger = make_customer(branch=other_branch)
    client.force_login(teller)
    assert client.get(f"/api/customers/{stranger.pk}/").status_code == 404


def test_customer_sees_only_themself(client, customer_user, branch):
    client.force_login(customer_user)
    me = client.get("/api/me/").json()
    assert me["customer_no"] == customer_user.customer.customer_no
    other = make_customer(branch=branch)
    assert client.get(f"/api/customers/{other.pk}/").status_code == 403


@pytest.mark.parametrize("day", ["2026-12-07", "2028-02-29"])  # a leap day has no 65th birthday
def test_elderly_is_derived_from_birth_date(branch, clock, day):
    clock.move_to(f"{day}T03:00")
    today = clock.today()
    try:
        birthday = today.replace(year=today.year - 65)
    except ValueError:  # born on 28 February 1963, 65 since yesterday
        birthday = today.replace(year=today.year - 65, day=28)
    turning_65 = make_customer(branch=branch, birth_date=birthday)
    almost = make_customer(branch=branch, birth_date=birthday + dt.timedelta(days=1))
    assert turning_65.is_elderly and not almost.is_elderly


def test_masks_for_display():
    from core.pii import mask_account, mask_name, mask_phone

    assert mask_phone("+8613812345678") == "138****5678"
    assert mask_account("6222021234567890128") == "6222***********0128"
    assert mask_name("张三丰") == "张**"
    assert mask_name("Emma Wilson") == "E*** W*****"


def test_a_staff_member_of_the_second_branch_sees_only_that_branch(client, customer, other_branch):
    teller_there = make_staff(Role.TELLER, other_branch)
    client.force_login(teller_there)
    assert client.get("/api/customers/").json() == []


def test_dumped_data_carries_ciphertext_and_loads_back(customer):
    from django.core import serializers

    dumped = serializers.serialize("json", [customer])
    assert ID_NUMBER not in dumped and "13812345678" not in dumped
    assert "enc:" in dumped
    (restored,) = serializers.deserialize("json", dumped)
    assert restored.object.id_number == ID_NUMBER and restored.object.phone == "13812345678"
