"""The REST API: same services, same access rules, 4xx on bad input with nothing changed."""

import pytest
from django.urls import reverse

from servicedesk.models import Category, Status, WorkOrder
from tests.factories import make_customer_user

pytestmark = pytest.mark.django_db


def _create(client, **data):
    data.setdefault("kind", "request")
    data.setdefault("description", "客户汇往美国的款项一周未到，请协查")
    return client.post(reverse("servicedesk:api-work-order-create"), data, content_type="application/json")


def test_staff_create_a_request_and_get_deadlines_and_reasons(client, teller, fx_staff):
    client.force_login(teller)
    response = _create(client)
    assert response.status_code == 201
    body = response.json()
    assert body["category"] == "fx.remit.not_arrived"
    assert body["suggested_confidence"] > 0
    assert body["assignee"] == "fxstaff"
    assert body["assignment_reason"].startswith("分派原因")
    assert {c["target"] for c in body["clocks"]} == {"first_response", "resolution"}


def test_bad_input_is_a_400_and_creates_nothing(client, teller):
    client.force_login(teller)
    response = _create(client, kind="gossip", description="")
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"kind", "description"}
    assert not WorkOrder.objects.exists()


def test_customer_creates_only_their_own_complaint_and_sees_no_internal_fields(
    client, customer_user, fx_staff
):
    client.force_login(customer_user)
    response = _create(client, kind="request", customer_no="C000001")
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "complaint"
    assert "assignment_reason" not in body and "emotion_score" not in body
    assert WorkOrder.objects.get().customer == customer_user.customer


def test_transition_and_comment_through_the_api(client, teller, fx_staff):
    client.force_login(teller)
    pk = _create(client).json()["id"]
    client.force_login(fx_staff)
    url = reverse("servicedesk:api-work-order-transition", args=[pk])
    assert (
        client.post(url, {"action": "wait", "text": "请提供回单"}, content_type="application/json").json()[
            "status"
        ]
        == Status.WAITING_CUSTOMER
    )
    assert client.post(url, {"action": "close"}, content_type="application/json").status_code == 400
    comment = reverse("servicedesk:api-work-order-comment", args=[pk])
    assert client.post(comment, {"body": "已收到"}, content_type="application/json").status_code == 201


def test_categorize_rejects_a_non_detail_category(client, teller, fx_staff):
    client.force_login(teller)
    pk = _create(client).json()["id"]
    url = reverse("servicedesk:api-work-order-categorize", args=[pk])
    assert client.post(url, {"category": "fx"}, content_type="application/json").status_code == 400
    response = client.post(url, {"category": "fx.remit.returned"}, content_type="application/json")
    assert response.json()["category_confirmed"] is True


def test_list_shows_a_customer_only_their_work_orders(client, branch, teller, fx_staff, customer_user):
    other = make_customer_user(branch=branch)
    for user in (customer_user, other):
        client.force_login(user)
        _create(client)
    client.force_login(customer_user)
    listed = client.get(reverse("servicedesk:api-work-orders")).json()["results"]
    assert len(listed) == 1


def test_survey_api_needs_only_the_token(client, db):
    response = client.post(
        reverse("servicedesk:api-survey-answer", args=["missing"]),
        {"score": 3},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_classify_suggests_and_scores(client, teller):
    client.force_login(teller)
    response = client.post(
        reverse("servicedesk:api-classify"),
        {"text": "家人住院急用钱，理财赎回一直不到账"},
        content_type="application/json",
    )
    body = response.json()
    assert body["category"] == "wealth.returns.redemption"
    assert body["raises_priority"] is True


def test_schema_documents_the_service_desk(client, teller):
    client.force_login(teller)
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/sd/work-orders/create/" in schema
    assert Category.objects.exists()
