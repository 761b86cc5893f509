"""After a counter service the e-receipt asks the customer to rate the visit; a low score opens a
follow-up work order for customer service, with its SLA clock running."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from branches.models import Department, FormSchema
from branches.roles import Role
from compliance.models import AuditEvent
from counter.models import PrefilledForm
from servicedesk.models import Channel, VisitSurvey, WorkOrder, WorkOrderKind
from servicedesk.services import visit_survey_invite
from tests.counter.schemas import ACCOUNT_OPENING, GOOD_VALUES, VALID_ID
from tests.counter.test_receipt_and_measures import finish_one
from tests.factories import make_counter, make_staff


@pytest.fixture
def customer_service(branch, migration_data):
    department = Department.objects.create(
        code="BJ901-CS", kind=Department.Kind.CUSTOMER_SERVICE, name_zh_hans="客户服务部",
        name_en="Customer service", branch=branch,
    )
    staff = make_staff(Role.DEPARTMENT_STAFF, branch, username="cs1", department=department)
    return department, staff


@pytest.fixture
def receipt(clock, client, teller, branch, service_type, ticket):
    client.force_login(teller)
    point = make_counter(branch, "05", zone_kind="non_cash", services=[service_type])
    record = finish_one(client, point, ticket)
    client.logout()  # the customer opens the receipt link on their own phone
    return record.receipt


def survey_url(survey):
    return reverse("servicedesk:visit-survey", args=[survey.token])


def api_url(survey):
    return reverse("servicedesk:api-visit-survey-answer", args=[survey.token])


def answer(client, survey, **data):
    return client.post(survey_url(survey), data, HTTP_HX_REQUEST="true")


def test_a_finished_service_invites_a_rating_on_the_receipt_page(client, receipt):
    page = client.get(reverse("counter:receipt", args=[receipt.public_token])).content.decode()
    survey = VisitSurvey.objects.get(visit_ref=receipt.record.ref)
    assert survey_url(survey) in page
    assert 'type="radio"' in page and 'name="score"' in page and 'value="5"' in page
    assert '<label for="visit-survey-comment">' in page
    assert "非常不满意" in page and "非常满意" in page  # each score in words, not only stars
    assert survey.receipt_number == receipt.number and survey.ticket_number == receipt.record.ticket.number


def test_the_receipt_sms_asks_for_the_rating(clock, client, teller, branch, service_type, ticket, capsys,
                                             django_capture_on_commit_callbacks):
    client.force_login(teller)
    point = make_counter(branch, "05", zone_kind="non_cash", services=[service_type])
    with django_capture_on_commit_callbacks(execute=True):
        finish_one(client, point, ticket)
    sms = capsys.readouterr().out
    assert "评价" in sms


def test_the_receipt_page_with_its_survey_shows_no_unmasked_personal_data(
    clock, client, teller, branch, service_type, ticket, customer
):
    # As in the demo data, the schema forgot to mark the name and the address as personal data.
    careless = [{**spec, "pii": False} for spec in ACCOUNT_OPENING]
    FormSchema.objects.create(service_type=service_type, version=2, fields=careless)
    client.post(reverse("counter:ticket-form-start", args=[ticket.public_token]))
    form = PrefilledForm.objects.get(ticket=ticket)
    client.post(
        reverse("counter:ticket-form", args=[ticket.public_token, form.public_id]),
        {**GOOD_VALUES, "address": "北京市西城区金融大街1号", "action": "submit"},
    )
    client.force_login(teller)
    record = finish_one(client, make_counter(branch, "05", zone_kind="non_cash", services=[service_type]),
                        ticket)
    client.logout()
    page = client.get(reverse("counter:receipt", args=[record.receipt.public_token])).content.decode()
    assert 'data-testid="visit-survey"' in page
    for secret in ["张三丰", VALID_ID, "13812345678", "金融大街1号", customer.name, customer.phone,
                   customer.id_number]:
        assert secret not in page
    assert "张**" in page and "1101**********002X" in page and "138****5678" in page


def test_a_score_of_1_opens_one_follow_up_for_customer_service_with_its_sla(
    client, receipt, customer, customer_service
):
    department, staff = customer_service
    survey = VisitSurvey.objects.get(visit_ref=receipt.record.ref)
    response = answer(client, survey, score="1", comment="等了太久，请回电 13812345678")
    assert response.status_code == 200
    assert "我们的同事会与您联系" in response.content.decode()
    follow_up = WorkOrder.objects.get(customer=customer)
    assert (follow_up.kind, follow_up.channel) == (WorkOrderKind.FOLLOW_UP, Channel.SURVEY)
    assert follow_up.department == department and follow_up.assignee == staff
    assert follow_up.category.code == "branch.visit.low_score"
    assert follow_up.first_response_due and follow_up.resolution_due > follow_up.received_at
    assert receipt.record.ticket.number in follow_up.description
    assert "138****5678" in follow_up.description and "13812345678" not in follow_up.description
    survey.refresh_from_db()
    assert survey.follow_up == follow_up and survey.score == 1
    assert AuditEvent.objects.filter(action="visit_survey.answer").count() == 1


def test_the_department_finds_the_follow_up_in_its_queue(client, receipt, customer_service):
    _, staff = customer_service
    answer(client, VisitSurvey.objects.get(visit_ref=receipt.record.ref), score="2")
    client.force_login(staff)
    follow_up = WorkOrder.objects.get(kind=WorkOrderKind.FOLLOW_UP)
    assert follow_up.number in client.get(reverse("servicedesk:queue")).content.decode()
    detail = client.get(reverse("servicedesk:work-order", args=[follow_up.pk])).content.decode()
    assert "2/5" in detail and receipt.number in detail


def test_a_score_of_5_is_recorded_without_a_work_order(client, receipt, customer_service):
    survey = VisitSurvey.objects.get(visit_ref=receipt.record.ref)
    response = answer(client, survey, score="5", comment="很好")
    assert response.status_code == 200 and 'data-testid="visit-survey-thanks"' in response.content.decode()
    survey.refresh_from_db()
    assert survey.score == 5 and survey.follow_up is None
    assert not WorkOrder.objects.exists()


def test_a_plain_post_returns_to_the_receipt(client, receipt):
    survey = VisitSurvey.objects.get(visit_ref=receipt.record.ref)
    receipt_path = reverse("counter:receipt", args=[receipt.public_token])
    response = client.post(survey_url(survey), {"score": "4", "next": receipt_path})
    assert response.status_code == 302 and response["Location"] == receipt_path
    assert 'data-testid="visit-survey-thanks"' in client.get(receipt_path).content.decode()


def test_a_second_answer_is_refused_and_changes_nothing(client, receipt, customer_service):
    survey = VisitSurvey.objects.get(visit_ref=receipt.record.ref)
    answer(client, survey, score="4")
    response = answer(client, survey, score="1", comment="改主意了")
    assert response.status_code == 409
    api = client.post(api_url(survey), {"score": 1}, content_type="application/json",
                      HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 409 and api.json()["detail"] == "This survey was already answered. Thank you!"
    survey.refresh_from_db()
    assert survey.score == 4 and survey.comment == "" and not WorkOrder.objects.exists()


def test_an_expired_survey_refuses_an_answer(clock, client, receipt, settings):
    settings.SERVICEDESK_VISIT_SURVEY = {"valid_days": 3}
    survey = VisitSurvey.objects.get(visit_ref=receipt.record.ref)
    clock.shift(dt.timedelta(days=8))  # the default 7 days were fixed at the invitation
    response = answer(client, survey, score="1")
    assert response.status_code == 410 and "过期" in response.content.decode()
    assert client.post(api_url(survey), {"score": 1}, content_type="application/json").status_code == 410
    survey.refresh_from_db()
    assert survey.answered_at is None and not WorkOrder.objects.exists()


def test_a_bad_score_is_a_400_with_the_field_message(client, receipt):
    survey = VisitSurvey.objects.get(visit_ref=receipt.record.ref)
    response = answer(client, survey, score="9")
    assert response.status_code == 400 and "请选择 1 到 5 分" in response.content.decode()
    api = client.post(api_url(survey), {"score": 0}, content_type="application/json",
                      HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 400 and api.json()["errors"] == {"score": ["Choose a score from 1 to 5."]}
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_the_api_records_a_rating_and_names_the_follow_up(client, receipt, customer_service):
    survey = VisitSurvey.objects.get(visit_ref=receipt.record.ref)
    response = client.post(api_url(survey), {"score": 2, "comment": "柜台太慢"},
                           content_type="application/json")
    assert response.status_code == 200
    assert response.json()["follow_up"] == WorkOrder.objects.get().number


def test_an_unknown_token_is_not_found(client, db):
    assert client.get("/sd/visit-survey/nope/").status_code == 404
    assert client.post("/api/sd/visit-surveys/nope/", {"score": 5}).status_code == 404


def test_the_follow_up_threshold_is_a_setting(client, receipt, settings, customer_service):
    settings.SERVICEDESK_VISIT_SURVEY = {"follow_up_at_most": 3}
    answer(client, VisitSurvey.objects.get(visit_ref=receipt.record.ref), score="3")
    assert WorkOrder.objects.filter(kind=WorkOrderKind.FOLLOW_UP).count() == 1


def test_one_visit_has_one_survey(receipt):
    record = receipt.record
    again = visit_survey_invite(visit_ref=record.ref, branch=record.branch, service_name="x")
    assert VisitSurvey.objects.filter(visit_ref=record.ref).count() == 1 and again.service_name != "x"
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitSurvey.objects.create(visit_ref=record.ref, branch=record.branch, service_name="x",
                                   expires_at=again.expires_at)


def test_the_answer_api_is_in_the_openapi_schema(client, teller):
    client.force_login(teller)
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/sd/visit-surveys/{token}/" in schema
