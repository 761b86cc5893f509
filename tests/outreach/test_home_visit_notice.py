"""The customer who asked for a home visit is told by SMS when it is scheduled, in their language."""

import pytest

from compliance.models import AuditEvent
from outreach.models import HomeVisit
from outreach.services import visits
from tests.outreach.test_home_visits import request_visit, schedule

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def requested(client, branch, pension, elderly):
    client.force_login(elderly.user)
    return HomeVisit.objects.get(pk=request_visit(client, branch, pension).json()["id"])


@pytest.fixture
def sms(monkeypatch):
    sent = []
    monkeypatch.setattr(visits, "notify", lambda **message: sent.append(message))
    return sent


def test_scheduling_tells_the_customer_the_time_once(
    client, requested, staff, elderly, sms, django_capture_on_commit_callbacks
):
    client.force_login(staff["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        assert schedule(client, requested.pk, staff["a"], staff["b"]).status_code == 200
    assert len(sms) == 1 and sms[0]["to"] == elderly.phone
    assert "2026-12-09 10:00" in sms[0]["body"] or "2026年12月9日" in sms[0]["body"]
    assert "两名工作人员" in sms[0]["body"]
    assert AuditEvent.objects.filter(action="home_visit.customer_notice").count() == 1


def test_an_english_speaking_customer_is_told_in_english(
    client, requested, staff, elderly, sms, django_capture_on_commit_callbacks
):
    elderly.preferred_language = "en"
    elderly.save(update_fields=["preferred_language"])
    client.force_login(staff["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        schedule(client, requested.pk, staff["a"], staff["b"])
    assert "Your home visit is booked" in sms[0]["body"]


def test_a_refused_schedule_tells_nobody(client, requested, staff, sms, django_capture_on_commit_callbacks):
    client.force_login(staff["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        assert schedule(client, requested.pk, staff["a"], staff["a"]).status_code == 400
    assert sms == []
