"""The compliance officer's page of dual recordings: listed with the customer masked, downloaded
and held with a reason (audited); other staff get 403."""

import datetime as dt
import uuid
import zoneinfo

import pytest

from branches.roles import Role
from compliance.models import AuditEvent
from kiosk.models import RecordingStatus, VtmRecording, VtmSession, VtmStatus
from kiosk.views_recordings import PAGE_SIZE
from tests.factories import make_customer, make_staff
from tests.kiosk.test_vtm import waiting_call  # noqa: F401 (fixture)
from tests.kiosk.test_vtm_recording import (  # noqa: F401 (fixtures)
    WEBM,
    answered,
    call,
    consent,
    stored_recording,
)


@pytest.fixture
def recording(vtm, answered, call):  # noqa: F811
    consent(vtm, call)
    return stored_recording(answered, call)


@pytest.fixture
def officer(client, branch):
    client.force_login(make_staff(Role.COMPLIANCE_OFFICER, branch, username="officer"))
    return client


def test_the_officer_sees_the_stored_recording_with_the_customer_masked(recording, officer, branch):
    customer = make_customer(branch=branch, phone="13912345678", id_number="110101199003071234")
    recording.vtm.customer = customer
    recording.vtm.save(update_fields=["customer"])
    page = officer.get("/kiosk/recordings/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "双录录像" in text and f'title="{recording.sha256}"' in text and recording.sha256[:12] in text
    assert customer.masked_name in text and "张三丰" not in text
    assert "110101199003071234" not in text and "13912345678" not in text
    assert f"/kiosk/recordings/{recording.public_id}/download/" in text
    assert 'href="/kiosk/recordings/"' in text  # in the navigation


def test_a_teller_gets_403(recording, client, branch):
    client.force_login(make_staff(Role.TELLER, branch, username="counter"))
    assert client.get("/kiosk/recordings/").status_code == 403
    assert client.post(f"/kiosk/recordings/{recording.public_id}/hold/",
                       {"hold": "1", "reason": "x"}).status_code == 403


def test_a_hold_without_reason_is_refused_and_changes_nothing(recording, officer):
    response = officer.post(f"/kiosk/recordings/{recording.public_id}/hold/", {"hold": "1", "reason": " "})
    assert response.status_code == 400 and "请说明保全该录像的原因" in response.content.decode()
    recording.refresh_from_db()
    assert not recording.legal_hold and not AuditEvent.objects.filter(action="vtm.recording_hold").exists()


def test_a_hold_with_reason_is_audited_and_released_again(recording, officer):
    url = f"/kiosk/recordings/{recording.public_id}/hold/"
    assert officer.post(url, {"hold": "1", "reason": "客户投诉"}).status_code == 302
    recording.refresh_from_db()
    assert recording.legal_hold and recording.legal_hold_reason == "客户投诉"
    assert AuditEvent.objects.get(action="vtm.recording_hold").after["reason"] == "客户投诉"
    assert "客户投诉" in officer.get("/kiosk/recordings/").content.decode()
    assert officer.post(url, {"hold": "0"}).status_code == 302
    assert not VtmRecording.objects.get().legal_hold
    assert AuditEvent.objects.filter(action="vtm.recording_release").count() == 1


def test_the_download_is_audited(recording, officer):
    response = officer.get(f"/kiosk/recordings/{recording.public_id}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == WEBM
    assert AuditEvent.objects.filter(action="vtm.recording_download").count() == 1


def test_recordings_of_another_branch_are_not_listed(recording, client, other_branch):
    client.force_login(make_staff(Role.COMPLIANCE_OFFICER, other_branch, username="elsewhere"))
    assert recording.sha256[:12] not in client.get("/kiosk/recordings/").content.decode()
    assert client.get(f"/kiosk/recordings/{recording.public_id}/download/").status_code == 404


def test_another_branchs_officer_cannot_download_or_hold_through_the_api(recording, client, other_branch):
    client.force_login(make_staff(Role.COMPLIANCE_OFFICER, other_branch, username="elsewhere"))
    api = f"/api/kiosk/recordings/{recording.public_id}"
    assert client.get(f"{api}/file/").status_code == 403
    answer = client.post(f"{api}/hold/", {"hold": True, "reason": "dispute"}, content_type="application/json")
    assert answer.status_code == 403
    recording.refresh_from_db()
    assert not recording.legal_hold
    assert not AuditEvent.objects.filter(action__in=("vtm.recording_download", "vtm.recording_hold")).exists()


def _older_calls(model: VtmSession, count: int, *, start: dt.datetime) -> list[VtmRecording]:
    """`count` more recorded calls like `model`'s, one a day going back from `start`."""
    made = []
    for days in range(count):
        session = VtmSession.objects.get(pk=model.pk)
        session.pk, session.public_id, session.status = None, uuid.uuid4(), VtmStatus.FINISHED
        session.save()
        made.append(VtmRecording.objects.create(vtm=session, status=RecordingStatus.EMPTY,
                                                started_at=start - dt.timedelta(days=days)))
    return made


def test_an_older_recording_is_found_by_its_day_in_branch_time_and_by_paging(recording, officer):
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    # 23:30 in Beijing is still the 10th there, already 15:30 on the 10th in UTC — and the 11th's
    # 00:30 in Beijing is the 10th in UTC: the day is the branch's.
    late = dt.datetime(2026, 3, 10, 23, 30, tzinfo=shanghai)
    older = _older_calls(recording.vtm, PAGE_SIZE + 5, start=late + dt.timedelta(hours=1))
    older[0].started_at = late + dt.timedelta(hours=1)  # 00:30 on the 11th, Beijing
    older[1].started_at = late                          # 23:30 on the 10th, Beijing
    VtmRecording.objects.bulk_update(older[:2], ["started_at"])

    first = officer.get("/kiosk/recordings/").content.decode()
    assert recording.sha256[:12] in first and f'id="recording-{older[-1].public_id}"' not in first
    assert "第 1 页，共 2 页" in first and 'rel="next" href="?page=2"' in first
    last = officer.get("/kiosk/recordings/?page=2").content.decode()
    assert f'id="recording-{older[-1].public_id}"' in last and 'rel="prev"' in last

    day = officer.get("/kiosk/recordings/?day=2026-03-10").content.decode()
    assert f'id="recording-{older[1].public_id}"' in day
    assert f'id="recording-{older[0].public_id}"' not in day
    assert f'id="recording-{older[2].public_id}"' not in day  # 23:30 on the 9th
    both = officer.get("/kiosk/recordings/?day=2026-03-10&status=stored").content.decode()
    assert '<tr id="recording-' not in both and "没有符合条件的录像" in both
    stored = officer.get("/kiosk/recordings/?status=stored").content.decode()
    assert stored.count('<tr id="recording-') == 1 and recording.sha256[:12] in stored


def test_a_bad_day_is_told_and_the_list_stays(recording, officer):
    page = officer.get("/kiosk/recordings/?day=2026-13-45")
    assert page.status_code == 200
    text = page.content.decode()
    assert "有效的日期" in text and recording.sha256[:12] in text


def test_a_recording_is_found_by_its_calls_ticket_number_and_day(recording, officer):
    number = recording.vtm.ticket.number
    found = officer.get(f"/kiosk/recordings/?ticket={number.lower()}").content.decode()
    assert found.count('<tr id="recording-') == 1 and recording.sha256[:12] in found
    other = officer.get("/kiosk/recordings/?ticket=Z999").content.decode()
    assert '<tr id="recording-' not in other and "没有符合条件的录像" in other
