"""The customer withdraws their agreement to the dual recording (双录) during the call: recording
stops at once, what was recorded while they agreed is stored, nothing more is accepted, and the
teller's console and the compliance page say so."""

import hashlib

from branches.roles import Role
from compliance.models import AuditEvent
from kiosk.models import RecordingConsent, RecordingStatus, VtmRecording
from tests.factories import make_staff
from tests.kiosk.test_vtm import waiting_call  # noqa: F401 (fixture)
from tests.kiosk.test_vtm_recording import (  # noqa: F401 (fixtures)
    WEBM,
    answered,
    call,
    consent,
    finish,
    post,
    put_chunk,
)


def withdraw(device, session):
    return post(device, f"/api/kiosk/vtm/{session.public_id}/consent/withdraw/")


def test_withdrawing_mid_call_stores_what_was_recorded_and_accepts_nothing_more(vtm, answered, call):  # noqa: F811
    consent(vtm, call)
    assert post(answered, f"/api/kiosk/vtm/{call.public_id}/recording/").status_code == 201
    assert put_chunk(answered, call, 1, WEBM[:500]).status_code == 200

    response = withdraw(vtm, call)
    assert response.status_code == 200 and response.json()["recording_consent"] == "withdrawn"
    recording = VtmRecording.objects.get(vtm=call)
    assert recording.status == RecordingStatus.STORED and not recording.incomplete
    assert recording.sha256 == hashlib.sha256(WEBM[:500]).hexdigest() and recording.size == 500
    stored = AuditEvent.objects.get(action="vtm.recording_stored")
    assert stored.after["reason"] == "consent withdrawn" and stored.after["chunks"] == 1
    assert AuditEvent.objects.filter(action="vtm.recording_consent", after__consent="withdrawn").count() == 1

    # The console's slice still in flight, its finish and a new start are refused.
    assert put_chunk(answered, call, 2, WEBM[500:]).status_code == 400
    assert finish(answered, call).status_code == 400
    again = post(answered, f"/api/kiosk/vtm/{call.public_id}/recording/")
    assert again.status_code == 400 and "recording_consent" in again.json()["errors"]
    recording.refresh_from_db()
    assert recording.size == 500 and recording.chunks == 1

    page = answered.get(f"/kiosk/remote-teller/{call.public_id}/").content.decode()
    assert 'data-consent="withdrawn"' in page and "撤回了录音录像（双录）同意" in page


def test_withdrawing_before_anything_was_recorded_records_nothing(vtm, answered, call):  # noqa: F811
    consent(vtm, call)
    assert post(answered, f"/api/kiosk/vtm/{call.public_id}/recording/").status_code == 201
    assert withdraw(vtm, call).status_code == 200
    recording = VtmRecording.objects.get(vtm=call)
    assert recording.status == RecordingStatus.EMPTY and not recording.file
    assert AuditEvent.objects.get(action="vtm.recording_empty").after["reason"] == "consent withdrawn"


def test_there_is_nothing_to_withdraw_without_an_agreement(vtm, answered, call):  # noqa: F811
    first = withdraw(vtm, call)
    assert first.status_code == 400 and "consent" in first.json()["errors"]
    consent(vtm, call, False)
    assert withdraw(vtm, call).status_code == 400
    call.refresh_from_db()
    assert call.recording_consent == RecordingConsent.REFUSED
    assert not AuditEvent.objects.filter(action="vtm.recording_consent", after__consent="withdrawn").exists()


def test_only_the_customers_own_machine_withdraws(vtm, kiosk, answered, call):  # noqa: F811
    consent(vtm, call)
    assert withdraw(kiosk, call).status_code == 404
    assert withdraw(answered, call).status_code in (401, 403)
    call.refresh_from_db()
    assert call.recording_consent == RecordingConsent.GIVEN


def test_the_compliance_page_marks_a_recording_stopped_by_the_customer(vtm, answered, call, client, branch):  # noqa: F811
    consent(vtm, call)
    post(answered, f"/api/kiosk/vtm/{call.public_id}/recording/")
    put_chunk(answered, call, 1, WEBM)
    withdraw(vtm, call)
    client.force_login(make_staff(Role.COMPLIANCE_OFFICER, branch, username="officer"))
    page = client.get("/kiosk/recordings/").content.decode()
    assert "已停止：客户撤回同意" in page and 'data-testid="consent-withdrawn"' in page
