"""A recording whose teller console vanished mid-call (closed tab, crashed PC) does not stay
"recording" forever: the beat stores what was received, marked incomplete, with its hash."""

import datetime as dt
import hashlib

from compliance.models import AuditEvent, RecordingReference
from kiosk.models import RecordingStatus, VtmRecording, VtmStatus
from kiosk.recording import recordings_finish_abandoned
from tests.kiosk.test_vtm import waiting_call  # noqa: F401 (fixture)
from tests.kiosk.test_vtm_recording import WEBM, answered, call, consent, finish, post, put_chunk  # noqa: F401


def test_a_recording_left_by_a_vanished_console_is_stored_with_its_hash_marked_incomplete(
        vtm, answered, call, clock):  # noqa: F811
    consent(vtm, call)
    assert post(answered, f"/api/kiosk/vtm/{call.public_id}/recording/").status_code == 201
    assert put_chunk(answered, call, 1, WEBM[:500]).status_code == 200
    assert put_chunk(answered, call, 2, WEBM[500:]).status_code == 200
    clock.shift(minutes=10)
    assert recordings_finish_abandoned() == []  # the console may only be slow
    assert VtmRecording.objects.get().status == RecordingStatus.RECORDING

    clock.shift(minutes=25)
    [recording] = recordings_finish_abandoned()
    recording.refresh_from_db()
    assert recording.status == RecordingStatus.STORED and recording.incomplete
    assert recording.sha256 == hashlib.sha256(WEBM).hexdigest() and recording.size == len(WEBM)
    with recording.file.open("rb") as stored:
        assert stored.read() == WEBM
    audit = AuditEvent.objects.get(action="vtm.recording_stored")
    assert audit.actor_id is None and audit.after["incomplete"] is True
    assert audit.after["sha256"] == recording.sha256
    call.refresh_from_db()
    reference = RecordingReference.objects.get(external_id=recording.reference)
    assert reference.service_record_ref == call.record.ref
    assert recordings_finish_abandoned() == []  # once


def test_a_call_that_ended_is_stored_after_a_short_grace(vtm, answered, call, clock):  # noqa: F811
    consent(vtm, call)
    post(answered, f"/api/kiosk/vtm/{call.public_id}/recording/")
    put_chunk(answered, call, 1, WEBM)
    call.refresh_from_db()
    call.status, call.ended_at = VtmStatus.FINISHED, clock.now()
    call.save(update_fields=["status", "ended_at"])
    assert recordings_finish_abandoned() == []  # the console may still be sending its last slice
    clock.shift(minutes=3)
    [recording] = recordings_finish_abandoned()
    assert recording.status == RecordingStatus.STORED and recording.incomplete


def test_nothing_recorded_is_not_left_recording(vtm, answered, call, clock):  # noqa: F811
    consent(vtm, call)
    post(answered, f"/api/kiosk/vtm/{call.public_id}/recording/")
    clock.shift(minutes=31)
    recordings_finish_abandoned()
    recording = VtmRecording.objects.get()
    assert recording.status == RecordingStatus.EMPTY and not recording.sha256
    audit = AuditEvent.objects.get(action="vtm.recording_empty")
    assert audit.actor_id is None and audit.after == {"chunks": 0, "incomplete": True}
    assert finish(answered, call).status_code == 400


def test_a_recording_finished_by_the_console_is_complete(vtm, answered, call, clock):  # noqa: F811
    consent(vtm, call)
    post(answered, f"/api/kiosk/vtm/{call.public_id}/recording/")
    put_chunk(answered, call, 1, WEBM)
    assert finish(answered, call).status_code == 200
    clock.shift(hours=1)
    assert recordings_finish_abandoned() == []
    recording = VtmRecording.objects.get()
    assert not recording.incomplete and "incomplete" not in AuditEvent.objects.get(
        action="vtm.recording_stored").after
    assert isinstance(recording.last_chunk_at, dt.datetime)
