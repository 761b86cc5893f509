"""Home visits: eligibility, the SLA clock, the two-person rule, the checklist, and the business
recorded as at a counter."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from branches.roles import Role
from compliance.models import AuditEvent
from counter.models import RecordStatus, ServiceRecord
from outreach.models import HomeVisit, VisitStatus
from servicedesk.models import Status
from tests.factories import make_branch, make_customer_user, make_staff
from tests.outreach.conftest import photo_bytes, signature_data_url

BEIJING = dt.timezone(dt.timedelta(hours=8))
pytestmark = pytest.mark.usefixtures("clock")


def request_visit(client, branch, service, **extra):
    body = {
        "branch": branch.code,
        "service_type": service.code,
        "eligibility": "age",
        "address": "北京市海淀区某某路1号",
        **extra,
    }
    return client.post("/api/v1/outreach/home-visits/", body, content_type="application/json")


def schedule(client, visit_id, a, b, when=None):
    when = when or dt.datetime(2026, 12, 9, 10, 0, tzinfo=BEIJING)
    return client.post(
        f"/api/v1/outreach/home-visits/{visit_id}/schedule/",
        {"scheduled_at": when.isoformat(), "lead_staff": a.pk, "second_staff": b.pk},
        content_type="application/json",
    )


@pytest.fixture
def requested(client, branch, pension, elderly):
    client.force_login(elderly.user)
    response = request_visit(client, branch, pension)
    assert response.status_code == 201, response.json()
    return HomeVisit.objects.get(pk=response.json()["id"])


@pytest.fixture
def scheduled(client, requested, staff):
    client.force_login(staff["manager"])
    assert schedule(client, requested.pk, staff["a"], staff["b"]).status_code == 200
    requested.refresh_from_db()
    return requested


def test_an_elderly_customer_asks_from_the_phone_and_the_sla_clock_starts(requested):
    # Requested Monday 10:00: due by the close of the 3rd working day after, Thursday 17:00.
    assert requested.due_by == dt.datetime(2026, 12, 10, 17, 0, tzinfo=BEIJING)
    assert requested.channel == "phone"
    work_order = requested.work_order
    assert work_order.sla_policy.name_en == "Home visit (3 working days)"
    assert work_order.resolution_due is not None
    assert AuditEvent.objects.filter(action="home_visit.request").count() == 1


def test_a_younger_customer_qualifies_only_with_a_flag_and_its_reason(client, branch, pension):
    client.force_login(make_customer_user(branch=branch, birth_date=dt.date(1980, 1, 1)))
    refused = request_visit(client, branch, pension, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert refused.status_code == 400
    assert "eligibility" in refused.json()["errors"]
    no_reason = request_visit(client, branch, pension, eligibility="bedridden")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    assert (
        request_visit(client, branch, pension, eligibility="bedridden", reason="中风后卧床").status_code
        == 201
    )


def test_the_age_threshold_is_a_setting(client, branch, pension, settings):
    settings.OUTREACH = {"min_age": 60}
    client.force_login(make_customer_user(branch=branch, birth_date=dt.date(1964, 1, 1)))
    assert request_visit(client, branch, pension).status_code == 201


def test_staff_record_a_request_for_a_customer_by_phone(client, branch, pension, elderly, staff):
    client.force_login(staff["a"])
    response = request_visit(client, branch, pension, customer_phone="13900001111")
    assert response.status_code == 201
    assert HomeVisit.objects.get().channel == "staff"


def test_one_open_visit_per_customer(client, requested, branch, pension):
    response = request_visit(client, branch, pension)
    assert response.status_code == 409


def test_the_two_person_rule(client, branch, requested, staff):
    client.force_login(staff["manager"])
    same = schedule(client, requested.pk, staff["a"], staff["a"])
    assert same.status_code == 400 and "second_staff" in same.json()["errors"]
    elsewhere = make_staff(Role.TELLER, make_branch("SH777"))
    assert schedule(client, requested.pk, staff["a"], elsewhere).status_code == 400
    assert schedule(client, requested.pk, staff["a"], staff["b"]).status_code == 200
    requested.refresh_from_db()
    assert requested.status == VisitStatus.SCHEDULED


def test_the_staff_who_recorded_the_request_cannot_visit(client, branch, pension, elderly, staff):
    client.force_login(staff["a"])
    visit_id = request_visit(client, branch, pension, customer_phone="13900001111").json()["id"]
    client.force_login(staff["manager"])
    refused = schedule(client, visit_id, staff["a"], staff["b"])
    assert refused.status_code == 400 and "lead_staff" in refused.json()["errors"]


def test_a_teller_cannot_schedule(client, requested, staff):
    client.force_login(staff["a"])
    assert schedule(client, requested.pk, staff["a"], staff["b"]).status_code == 404


def test_only_the_two_visitors_fill_the_checklist(client, scheduled, staff):
    client.force_login(staff["manager"])
    response = client.post(f"/api/v1/outreach/home-visits/{scheduled.pk}/start/")
    assert response.status_code == 409


def _visit_until_signature(client, visit, staff):
    client.force_login(staff["a"])
    assert client.post(f"/api/v1/outreach/home-visits/{visit.pk}/start/").status_code == 200
    client.force_login(staff["b"])  # either of the two fills a step
    assert (
        client.post(
            f"/api/v1/outreach/home-visits/{visit.pk}/identity/",
            {"method": "id_card_reader", "both_present": True},
            content_type="application/json",
        ).status_code
        == 200
    )
    upload = SimpleUploadedFile("id.jpg", photo_bytes(), content_type="image/jpeg")
    assert (
        client.post(
            f"/api/v1/outreach/home-visits/{visit.pk}/photos/", {"kind": "id_document", "photo": upload}
        ).status_code
        == 201
    )


def test_a_blank_signature_changes_nothing(client, scheduled, staff):
    _visit_until_signature(client, scheduled, staff)
    blank = signature_data_url(drawn=False)  # an untouched canvas
    response = client.post(
        f"/api/v1/outreach/home-visits/{scheduled.pk}/complete/",
        {"signature": blank},
        content_type="application/json",
    )
    assert response.status_code == 400 and "signature" in response.json()["errors"]
    scheduled.refresh_from_db()
    assert scheduled.status == VisitStatus.IN_PROGRESS
    assert ServiceRecord.objects.count() == 0


def test_signed_visit_is_recorded_as_a_counter_service_and_closes_the_sla(client, scheduled, staff):
    _visit_until_signature(client, scheduled, staff)
    response = client.post(
        f"/api/v1/outreach/home-visits/{scheduled.pk}/complete/",
        {"signature": signature_data_url()},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    scheduled.refresh_from_db()
    assert scheduled.status == VisitStatus.COMPLETED
    record = ServiceRecord.objects.get()
    assert record.status == RecordStatus.FINISHED and record.outcome == "done"
    assert record.customer == scheduled.customer and record.teller == staff["b"]
    assert record.signature_sha256 == scheduled.signature_sha256 != ""
    assert record.counter.code == "HOME"
    scheduled.work_order.refresh_from_db()
    assert scheduled.work_order.status == Status.RESOLVED
    assert AuditEvent.objects.filter(action="home_visit.complete").count() == 1
    assert scheduled.photos.count() == 1


def test_completing_needs_identity_and_a_photo_first(client, scheduled, staff):
    client.force_login(staff["a"])
    client.post(f"/api/v1/outreach/home-visits/{scheduled.pk}/start/")
    response = client.post(
        f"/api/v1/outreach/home-visits/{scheduled.pk}/complete/",
        {"signature": signature_data_url()},
        content_type="application/json",
    )
    assert response.status_code == 400 and "identity" in response.json()["errors"]


def test_the_customer_cancels_with_a_reason(client, requested, elderly):
    response = client.post(
        f"/api/v1/outreach/home-visits/{requested.pk}/cancel/",
        {"reason": "家人陪同去网点"},
        content_type="application/json",
    )
    assert response.status_code == 200
    requested.work_order.refresh_from_db()
    assert requested.work_order.status == Status.RESOLVED


def test_an_overdue_request_escalates_through_the_service_desk(clock, requested):
    from servicedesk.models import Escalation
    from servicedesk.services import sla_scan

    clock.move_to("2026-12-14 10:00")  # past Thursday's deadline, and more
    assert sla_scan() > 0
    assert Escalation.objects.filter(work_order=requested.work_order).exists()


def test_another_customer_cannot_see_the_visit(client, requested, branch):
    client.force_login(make_customer_user(branch=branch))
    assert client.get(f"/api/v1/outreach/home-visits/{requested.pk}/").status_code == 404
