"""Group sessions (classes): staff hold them, customers join, a full class refuses clearly or puts
the customer on the waiting list, and a freed place goes to the first waiting customer."""

import datetime as dt
import threading

import pytest
from django.db import connection

from appointments import groups
from appointments.models import GroupParticipant, GroupSession, ParticipantStatus
from branches.roles import Role
from compliance.models import AuditEvent
from tests.appointments.conftest import THURSDAY_8AM, at
from tests.factories import make_customer_user, make_staff

TOMORROW = dt.date(2025, 10, 10)


@pytest.fixture
def sms(monkeypatch):
    sent = []
    monkeypatch.setattr(groups, "notify", lambda **kw: sent.append(kw))
    return sent


@pytest.fixture
def anti_fraud(appt_branch):
    return groups.group_session_create(
        actor=None,
        branch=appt_branch,
        title="防诈骗讲座",
        start=at(14, day=TOMORROW),
        end=at(15, day=TOMORROW),
        capacity=2,
        waitlist_limit=1,
        location="二楼会议室",
    )


def join(client, session, **body):
    return client.post(
        f"/api/v1/appointments/classes/{session.pk}/join/", body, content_type="application/json"
    )


@pytest.mark.usefixtures("frozen")
def test_staff_open_a_class_and_customers_see_its_places(client, appt_branch, customer):
    client.force_login(make_staff(Role.LOBBY_MANAGER, appt_branch))
    response = client.post(
        "/api/v1/appointments/classes/",
        {
            "branch": appt_branch.code,
            "title": "Anti-fraud class",
            "capacity": 20,
            "start": at(14, day=TOMORROW).isoformat(),
            "end": at(15, day=TOMORROW).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert AuditEvent.objects.filter(action="group_session.create").exists()
    client.force_login(customer.user)
    listed = client.get("/api/v1/appointments/classes/").json()
    assert [(s["title"], s["free"]) for s in listed["results"]] == [("Anti-fraud class", 20)]
    assert "Anti-fraud class" in client.get("/appointments/classes/").content.decode()


@pytest.mark.usefixtures("frozen")
def test_customers_cannot_open_classes(client, appt_branch, customer):
    client.force_login(customer.user)
    response = client.post(
        "/api/v1/appointments/classes/",
        {
            "branch": appt_branch.code,
            "title": "x",
            "capacity": 2,
            "start": at(14, day=TOMORROW).isoformat(),
            "end": at(15, day=TOMORROW).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 403


@pytest.mark.usefixtures("frozen")
def test_a_full_class_refuses_clearly_in_chinese(client, appt_branch, anti_fraud):
    for _ in range(2):
        client.force_login(make_customer_user(branch=appt_branch))
        assert join(client, anti_fraud, waitlist=False).status_code == 201
    client.force_login(make_customer_user(branch=appt_branch))
    response = client.post(
        f"/api/v1/appointments/classes/{anti_fraud.pk}/join/",
        {"waitlist": False},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "full"
    assert response.json()["detail"] == "抱歉，此课程已满员，请选择其他日期。"
    anti_fraud.refresh_from_db()
    assert anti_fraud.joined == 2


@pytest.mark.usefixtures("frozen")
def test_the_waiting_list_moves_up_when_a_place_frees_and_the_customer_is_told(
    client, appt_branch, anti_fraud, sms, django_capture_on_commit_callbacks
):
    first, second, third = (make_customer_user(branch=appt_branch).customer for _ in range(3))
    for person in (first, second):
        groups.group_session_join(actor=person.user, session=anti_fraud, customer=person)
    client.force_login(third.user)
    waiting = join(client, anti_fraud)
    assert waiting.status_code == 201
    assert waiting.json() == {"session": anti_fraud.pk, "status": "waitlisted", "waiting_position": 1}
    # The waiting list (1 place) is full too now.
    client.force_login(make_customer_user(branch=appt_branch))
    assert join(client, anti_fraud).json()["code"] == "full"

    client.force_login(first.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/appointments/classes/{anti_fraud.pk}/leave/").status_code == 204
    assert GroupParticipant.objects.get(customer=third).status == ParticipantStatus.JOINED
    anti_fraud.refresh_from_db()
    assert anti_fraud.joined == 2
    assert len(sms) == 1 and "防诈骗讲座" in sms[0]["body"]
    assert AuditEvent.objects.filter(action="group_session.move_up").count() == 1


@pytest.mark.usefixtures("frozen")
def test_joining_twice_is_refused(client, customer, anti_fraud):
    client.force_login(customer.user)
    assert join(client, anti_fraud).status_code == 201
    second = join(client, anti_fraud)
    assert second.status_code == 409 and second.json()["code"] == "already_joined"


@pytest.mark.usefixtures("frozen")
def test_staff_cancel_a_class_and_everyone_in_it_is_told(
    client, appt_branch, anti_fraud, sms, django_capture_on_commit_callbacks
):
    for _ in range(2):
        person = make_customer_user(branch=appt_branch).customer
        groups.group_session_join(actor=None, session=anti_fraud, customer=person)
    client.force_login(make_staff(Role.TELLER, appt_branch))
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/appointments/classes/{anti_fraud.pk}/cancel/", follow=True)
    assert page.status_code == 200
    assert len(sms) == 2
    anti_fraud.refresh_from_db()
    assert anti_fraud.status == "cancelled"


@pytest.mark.usefixtures("frozen")
def test_the_customer_page_joins_and_shows_the_full_message(client, appt_branch, anti_fraud):
    for _ in range(2):
        person = make_customer_user(branch=appt_branch).customer
        groups.group_session_join(actor=None, session=anti_fraud, customer=person)
    client.force_login(make_customer_user(branch=appt_branch))
    page = client.get("/appointments/classes/").content.decode()
    assert "加入候补" in page  # Join the waiting list
    page = client.post(f"/appointments/classes/{anti_fraud.pk}/join/", follow=True).content.decode()
    assert "抱歉，此课程已满员" in page  # Sorry, this class is full.


@pytest.mark.django_db(transaction=True)
def test_customers_racing_for_the_last_place_get_exactly_one(require_service, appt_branch):
    require_service("postgres")
    import time_machine

    with time_machine.travel(THURSDAY_8AM, tick=False):
        session = GroupSession.objects.create(
            branch=appt_branch,
            title="Class",
            start=at(14, day=TOMORROW),
            end=at(15, day=TOMORROW),
            capacity=1,
            waitlist_limit=0,
        )
        racers = [make_customer_user(branch=appt_branch).customer for _ in range(4)]
        barrier = threading.Barrier(len(racers))
        outcomes: list = []

        def race(person):
            try:
                barrier.wait()
                groups.group_session_join(
                    actor=None, session=GroupSession.objects.get(pk=session.pk), customer=person
                )
                outcomes.append("joined")
            except groups.GroupError as refused:
                outcomes.append(refused.code)
            finally:
                connection.close()

        threads = [threading.Thread(target=race, args=(p,)) for p in racers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert sorted(outcomes) == ["full", "full", "full", "joined"]
    session.refresh_from_db()
    assert session.joined == 1
    assert GroupParticipant.objects.filter(status=ParticipantStatus.JOINED).count() == 1
