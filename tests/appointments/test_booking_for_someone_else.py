"""A signed-in customer who books with a form in another person's name is told what that means."""

import pytest

from branches.models import FormSchema
from tests.factories import make_counter, make_service_type, resident_id

pytestmark = pytest.mark.usefixtures("frozen")

IDENTITY_FORM = [
    {"name": "full_name", "type": "text", "required": True, "label": {"zh-hans": "姓名", "en": "Name"}},
    {
        "name": "id_number",
        "type": "resident_id",
        "required": True,
        "pii": True,
        "label": {"zh-hans": "身份证号码", "en": "ID number"},
    },
]


@pytest.fixture
def card_replacement(appt_branch):
    service = make_service_type("CARD_REPLACEMENT", name_zh_hans="补办银行卡")
    FormSchema.objects.create(service_type=service, version=1, fields=IDENTITY_FORM)
    make_counter(appt_branch, "03", services=[service])
    return service


def _review_after_filling(client, branch, service, **values):
    client.post(
        f"/appointments/book/{branch.code}/{service.code}/", {"slot": "20251009T1030", "mode": "staff"}
    )
    client.post("/appointments/book/form/", values)
    return client.get("/appointments/book/review/").content.decode()


def test_a_form_in_another_persons_name_is_flagged_before_booking(
    client, customer, appt_branch, card_replacement
):
    client.force_login(customer.user)
    page = _review_after_filling(
        client, appt_branch, card_replacement, full_name="张伟", id_number=resident_id(serial=451)
    )
    assert 'data-testid="form-for-someone-else"' in page and "代办" in page


def test_the_customers_own_form_books_without_a_warning(client, customer, appt_branch, card_replacement):
    client.force_login(customer.user)
    page = _review_after_filling(
        client, appt_branch, card_replacement, full_name=customer.name, id_number=customer.id_number
    )
    assert "补办银行卡" in page and 'data-testid="form-for-someone-else"' not in page
