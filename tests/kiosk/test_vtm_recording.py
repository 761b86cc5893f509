"""The video teller across networks without a browser: each end's ICE configuration with its own
short-lived coturn credential, the customer's consent to the dual recording (双录), the chunked
upload stored with its SHA-256, retention with legal hold, and who may download a recording."""

import base64
import datetime as dt
import hashlib
import hmac

import pytest

from branches.roles import Role
from compliance.evidence import EvidenceFilters, evidence_bundle
from compliance.models import AuditEvent, RecordingReference
from kiosk import conf
from kiosk.models import RecordingConsent, RecordingStatus, VtmRecording
from kiosk.recording import recordings_delete_expired
from tests.factories import make_staff
from tests.kiosk.test_vtm import waiting_call  # noqa: F401 (fixture)

WEBM = b"\x1a\x45\xdf\xa3" + b"recorded call " * 100


def post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def recording_url(call, recording=None) -> str:
    """The upload address of `recording`, or of the call's newest recording (as the console
    learns it from the start)."""
    recording = recording or VtmRecording.objects.filter(vtm=call).order_by("-started_at", "-id").first()
    return f"/api/kiosk/vtm/{call.public_id}/recording/{recording.public_id}/"


def put_chunk(client, call, seq, data, recording=None):
    return client.put(f"{recording_url(call, recording)}chunks/{seq}/", data,
                      content_type="application/octet-stream")


def finish(client, call, recording=None):
    return post(client, f"{recording_url(call, recording)}finish/")


@pytest.fixture
def turn(settings):
    settings.WEBRTC_STUN_URLS = ["stun:turn.bank.example:3478"]
    settings.WEBRTC_TURN_URLS = ["turn:turn.bank.example:3478?transport=udp"]
    settings.WEBRTC_TURN_SECRET = "coturn-static-auth-secret"
    settings.WEBRTC_TURN_TTL_SECONDS = 600
    settings.WEBRTC_ICE_TRANSPORT_POLICY = "relay"
    return settings


@pytest.fixture
def call(waiting_call):  # noqa: F811
    return waiting_call


@pytest.fixture
def answered(client, call, remote_teller):
    client.force_login(remote_teller)
    assert post(client, f"/api/kiosk/vtm/{call.public_id}/accept/").status_code == 200
    return client


def consent(vtm, call, value=True):
    return post(vtm, f"/api/kiosk/vtm/{call.public_id}/consent/", {"consent": value})


def stored_recording(client, call) -> VtmRecording:
    assert post(client, f"/api/kiosk/vtm/{call.public_id}/recording/").status_code == 201
    assert put_chunk(client, call, 1, WEBM[:500]).status_code == 200
    assert put_chunk(client, call, 2, WEBM[500:]).status_code == 200
    response = finish(client, call)
    assert response.status_code == 200, response.content
    return VtmRecording.objects.get(vtm=call)


def test_the_turn_credential_is_corturns_rest_scheme():
    username, password = conf.turn_credential("s3cret", "vtm-1-kiosk", ttl=600, now=1_700_000_000)
    assert username == "1700000600:vtm-1-kiosk"
    expected = base64.b64encode(hmac.new(b"s3cret", username.encode(), hashlib.sha1).digest()).decode()
    assert password == expected


def test_each_end_of_a_call_gets_its_own_ice_configuration_from_the_server(
        turn, vtm, answered, call, clock):
    kiosk_side = vtm.get(f"/api/kiosk/vtm/{call.public_id}/ice/").json()
    teller_side = answered.get(f"/api/kiosk/vtm/{call.public_id}/teller-ice/").json()
    for config, side in ((kiosk_side, "kiosk"), (teller_side, "teller")):
        assert config["iceTransportPolicy"] == "relay"
        stun, relay = config["iceServers"]
        assert stun == {"urls": ["stun:turn.bank.example:3478"]}
        assert relay["urls"] == ["turn:turn.bank.example:3478?transport=udp"]
        expiry, user = relay["username"].split(":")
        assert user == f"vtm-{call.public_id}-{side}"
        assert int(expiry) == int(clock.now().timestamp()) + 600
    assert "coturn-static-auth-secret" not in str(kiosk_side)


def test_another_machine_or_a_counter_teller_gets_no_ice_configuration(turn, kiosk, call, branch, client):
    assert kiosk.get(f"/api/kiosk/vtm/{call.public_id}/ice/").status_code == 404
    client.force_login(make_staff(Role.TELLER, branch, username="counter"))
    assert client.get(f"/api/kiosk/vtm/{call.public_id}/teller-ice/").status_code == 404


def test_the_customers_consent_is_recorded_once_and_audited(vtm, call):
    assert consent(vtm, call).status_code == 200
    call.refresh_from_db()
    assert call.recording_consent == RecordingConsent.GIVEN and call.recording_consent_at
    assert AuditEvent.objects.get(action="vtm.recording_consent").after == {"consent": "given"}
    again = consent(vtm, call, False)
    assert again.status_code == 400 and "consent" in again.json()["errors"]


def test_without_consent_nothing_is_recorded_and_the_teller_is_told_why(vtm, answered, call):
    consent(vtm, call, False)
    response = post(answered, f"/api/kiosk/vtm/{call.public_id}/recording/")
    assert response.status_code == 400 and "recording_consent" in response.json()["errors"]
    assert not VtmRecording.objects.exists()
    page = answered.get(f"/kiosk/remote-teller/{call.public_id}/").content.decode()
    assert 'data-consent="refused"' in page and "不能在本次通话中办结" in page


def test_a_consented_recording_is_stored_whole_with_its_hash_audited_and_listed_as_evidence(
        vtm, answered, call, settings, tmp_path, branch):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    consent(vtm, call)
    recording = stored_recording(answered, call)
    assert recording.status == RecordingStatus.STORED and recording.chunks == 2
    assert recording.sha256 == hashlib.sha256(WEBM).hexdigest() and recording.size == len(WEBM)
    with recording.file.open("rb") as stored:
        assert stored.read() == WEBM
    assert not (tmp_path / "vtm-recordings" / "parts" / str(recording.public_id)).exists() or not any(
        (tmp_path / "vtm-recordings" / "parts" / str(recording.public_id)).iterdir())
    assert recording.retain_until - recording.stored_at == dt.timedelta(days=conf.recording_retention_days())
    assert AuditEvent.objects.get(action="vtm.recording_stored").after["sha256"] == recording.sha256
    call.refresh_from_db()
    reference = RecordingReference.objects.get(external_id=recording.reference)
    assert reference.service_record_ref == call.record.ref

    officer = make_staff(Role.COMPLIANCE_OFFICER, None, username="officer")
    import io
    import json
    import zipfile
    bundle = zipfile.ZipFile(io.BytesIO(evidence_bundle(user=officer, filters=EvidenceFilters())))
    listed = json.loads(bundle.read("evidence.json"))["recordings"]
    assert [(r["recording_id"], r["sha256"]) for r in listed] == [(recording.reference, recording.sha256)]


def test_slices_arrive_in_order_and_a_retried_slice_replaces_itself(vtm, answered, call):
    consent(vtm, call)
    post(answered, f"/api/kiosk/vtm/{call.public_id}/recording/")
    assert put_chunk(answered, call, 2, b"late").status_code == 400
    assert put_chunk(answered, call, 1, b"first try").status_code == 200
    assert put_chunk(answered, call, 1, WEBM).status_code == 200
    finish(answered, call)
    recording = VtmRecording.objects.get()
    assert recording.chunks == 1 and recording.sha256 == hashlib.sha256(WEBM).hexdigest()


def test_only_compliance_officers_download_a_recording_and_each_download_is_audited(
        vtm, answered, call, branch, client):
    consent(vtm, call)
    recording = stored_recording(answered, call)
    url = f"/api/kiosk/recordings/{recording.public_id}/file/"
    assert answered.get(url).status_code == 403  # the teller who recorded it
    client.force_login(make_staff(Role.BRANCH_ADMIN, branch, username="admin2"))
    assert client.get(url).status_code == 403
    client.force_login(make_staff(Role.COMPLIANCE_OFFICER, None, username="officer"))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == WEBM
    assert AuditEvent.objects.filter(action="vtm.recording_download").count() == 1


def test_expired_recordings_are_deleted_unless_held(vtm, answered, call, clock, client):
    consent(vtm, call)
    recording = stored_recording(answered, call)
    officer = make_staff(Role.COMPLIANCE_OFFICER, None, username="officer")
    client.force_login(officer)
    hold = f"/api/kiosk/recordings/{recording.public_id}/hold/"
    assert post(client, hold, {"hold": True}).status_code == 400  # a hold needs its reason
    assert post(client, hold, {"hold": True, "reason": "客户投诉调查"}).status_code == 200

    later = recording.retain_until + dt.timedelta(days=1)
    assert recordings_delete_expired(now=later) == []
    assert recording.file.storage.exists(recording.file.name)

    assert post(client, hold, {"hold": False}).status_code == 200
    assert [r.pk for r in recordings_delete_expired(now=later)] == [recording.pk]
    recording.refresh_from_db()
    assert recording.status == RecordingStatus.DELETED and not recording.file
    deleted = AuditEvent.objects.get(action="vtm.recording_deleted")
    assert deleted.after["sha256"] == recording.sha256 and deleted.after["reason"] == "retention"
    assert recordings_delete_expired(now=later) == []


def test_recordings_within_their_retention_stay(vtm, answered, call):
    consent(vtm, call)
    recording = stored_recording(answered, call)
    assert recordings_delete_expired(now=recording.retain_until - dt.timedelta(seconds=1)) == []
