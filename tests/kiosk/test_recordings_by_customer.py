"""A compliance officer finds a customer's dual recordings (双录) by their whole ID number or mobile
phone, on the page and through the API: matched against the stored value, the number never shown
unmasked nor put in an address, the branch scope kept, the search audited."""

import datetime as dt

import pytest

from branches.roles import Role
from compliance.models import AuditEvent
from kiosk.models import VtmRecording, VtmSession
from tests.factories import make_customer, make_staff, resident_id
from tests.kiosk.test_recordings_page import _older_calls
from tests.kiosk.test_vtm import waiting_call  # noqa: F401 (fixture)
from tests.kiosk.test_vtm_recording import answered, call  # noqa: F401 (fixtures)

PHONE, ID_NUMBER = "13912345678", resident_id(serial=109)  # 11010119900307109X


@pytest.fixture
def calls(answered, waiting_call, branch, other_branch):  # noqa: F811
    """Three recorded calls: two of the customer (one in another branch), one of someone else."""
    waiting_call.refresh_from_db()  # answered by the remote teller
    customer = make_customer(branch=branch, phone=PHONE, id_number=ID_NUMBER, name="李四")
    someone = make_customer(branch=branch, name="王五")
    start = waiting_call.requested_at
    mine, elsewhere, theirs = _older_calls(waiting_call, 3, start=start - dt.timedelta(hours=1))
    VtmSession.objects.filter(pk=mine.vtm_id).update(customer=customer)
    VtmSession.objects.filter(pk=elsewhere.vtm_id).update(customer=customer, branch=other_branch)
    VtmSession.objects.filter(pk=theirs.vtm_id).update(customer=someone)
    return mine, elsewhere, theirs


@pytest.fixture
def officer(client, branch):
    client.force_login(make_staff(Role.COMPLIANCE_OFFICER, branch, username="officer"))
    return client


def rows(page: str) -> list[str]:
    return [part.split('"')[0] for part in page.split('<tr id="recording-')[1:]]


@pytest.mark.parametrize("typed", [PHONE, "139 1234 5678", "+86 139-1234-5678", ID_NUMBER,
                                   ID_NUMBER.lower()])
def test_the_officer_finds_the_customers_recordings_by_a_whole_number(calls, officer, typed):
    mine, _elsewhere, _theirs = calls
    response = officer.post("/kiosk/recordings/customer/", {"customer": typed})
    assert response.status_code == 302
    address = response["Location"]
    assert PHONE not in address and ID_NUMBER not in address
    page = officer.get(address).content.decode()
    assert rows(page) == [str(mine.public_id)]  # the other branch's and the other customer's are not listed
    assert PHONE not in page and ID_NUMBER not in page
    assert "139****5678" in page or "1101**********109X" in page
    assert "李*" in page


def test_part_of_a_number_is_refused_and_finds_nothing(calls, officer):
    response = officer.post("/kiosk/recordings/customer/", {"customer": "5678"})
    assert response.status_code == 400
    assert "完整" in response.content.decode()
    assert not AuditEvent.objects.filter(action="vtm.recording_search").exists()


def test_a_wrong_check_digit_is_told(calls, officer):
    response = officer.post("/kiosk/recordings/customer/", {"customer": ID_NUMBER[:-1] + "5"})
    assert response.status_code == 400 and "校验位" in response.content.decode()


def test_an_unknown_number_lists_nothing_and_the_search_is_audited_masked(calls, officer):
    page = officer.get(officer.post("/kiosk/recordings/customer/", {"customer": "13800000000"})["Location"])
    assert rows(page.content.decode()) == []
    audit = AuditEvent.objects.get(action="vtm.recording_search")
    assert audit.after == {"customer": "138****0000", "found": 0} and audit.actor_name == "officer"


def test_a_tampered_search_shows_nothing(calls, officer):
    page = officer.get("/kiosk/recordings/?customer=eyJpZHMiOlsxLDIsM119:forged").content.decode()
    assert rows(page) == [] and "重新输入" in page


def test_the_day_filter_keeps_the_customer(calls, officer):
    mine, _elsewhere, _theirs = calls
    address = officer.post("/kiosk/recordings/customer/", {"customer": PHONE})["Location"]
    page = officer.get(f"{address}&status=stored").content.decode()
    assert rows(page) == []  # mine is "nothing recorded"
    page = officer.get(f"{address}&status=empty").content.decode()
    assert rows(page) == [str(mine.public_id)]


def test_the_api_finds_them_in_the_officers_branches_only(calls, officer, other_branch, client):
    mine, elsewhere, _theirs = calls
    answer = officer.post("/api/kiosk/recordings/search/", {"customer": ID_NUMBER},
                          content_type="application/json")
    assert answer.status_code == 200
    assert [row["recording"] for row in answer.json()] == [str(mine.public_id)]
    assert answer.json()[0]["customer"] == "李*" and ID_NUMBER not in answer.content.decode()
    client.force_login(make_staff(Role.COMPLIANCE_OFFICER, other_branch, username="elsewhere"))
    there = client.post("/api/kiosk/recordings/search/", {"customer": PHONE}, content_type="application/json")
    assert [row["recording"] for row in there.json()] == [str(elsewhere.public_id)]
    bad = client.post("/api/kiosk/recordings/search/", {"customer": "1234"}, content_type="application/json")
    assert bad.status_code == 400 and "customer" in bad.json()["errors"]


def test_only_compliance_officers_search(calls, client, branch):
    client.force_login(make_staff(Role.TELLER, branch, username="teller1"))
    assert client.post("/kiosk/recordings/customer/", {"customer": PHONE}).status_code == 403
    api = client.post("/api/kiosk/recordings/search/", {"customer": PHONE}, content_type="application/json")
    assert api.status_code == 403
    assert not AuditEvent.objects.filter(action="vtm.recording_search").exists()
    assert VtmRecording.objects.count() == 3
