"""Every stored slice of a dual recording (双录) is in the audit trail with its number, size and
SHA-256 — in one event per 15 slices (30 s of recording), the rest when the recording is stored."""

import hashlib

from compliance.models import AuditEvent
from kiosk.models import VtmRecording
from kiosk.recording import SLICES_PER_AUDIT
from tests.kiosk.test_vtm import waiting_call  # noqa: F401 (fixture)
from tests.kiosk.test_vtm_recording import (  # noqa: F401 (fixtures)
    answered,
    call,
    consent,
    finish,
    post,
    put_chunk,
)


def slices_audited():
    return [entry for event in AuditEvent.objects.filter(action="vtm.recording_slices").order_by("seq")
            for entry in event.after["slices"]]


def test_each_slice_is_audited_with_its_number_size_and_hash(vtm, answered, call):  # noqa: F811
    consent(vtm, call)
    assert post(answered, f"/api/kiosk/vtm/{call.public_id}/recording/").status_code == 201
    data = {seq: f"slice {seq} ".encode() * seq for seq in range(1, SLICES_PER_AUDIT + 2)}
    for seq in range(1, SLICES_PER_AUDIT + 1):
        assert put_chunk(answered, call, seq, data[seq]).status_code == 200
    assert AuditEvent.objects.filter(action="vtm.recording_slices").count() == 1
    assert [entry["seq"] for entry in slices_audited()] == list(range(1, SLICES_PER_AUDIT + 1))

    last = SLICES_PER_AUDIT + 1
    put_chunk(answered, call, last, data[last])
    assert AuditEvent.objects.filter(action="vtm.recording_slices").count() == 1  # not yet
    assert finish(answered, call).status_code == 200
    events = list(AuditEvent.objects.filter(action__in=["vtm.recording_slices", "vtm.recording_stored"])
                  .order_by("seq").values_list("action", flat=True))
    assert events == ["vtm.recording_slices", "vtm.recording_slices", "vtm.recording_stored"]
    assert slices_audited() == [{"seq": seq, "bytes": len(data[seq]),
                                 "sha256": hashlib.sha256(data[seq]).hexdigest()} for seq in data]
    recording = VtmRecording.objects.get(vtm=call)
    assert recording.size == sum(len(chunk) for chunk in data.values()) and recording.unaudited_slices == []


def test_a_replaced_slice_is_audited_again_with_its_new_hash(vtm, answered, call):  # noqa: F811
    consent(vtm, call)
    post(answered, f"/api/kiosk/vtm/{call.public_id}/recording/")
    put_chunk(answered, call, 1, b"first try")
    put_chunk(answered, call, 1, b"second try")  # the console retried the upload
    finish(answered, call)
    assert slices_audited() == [
        {"seq": 1, "bytes": 9, "sha256": hashlib.sha256(b"first try").hexdigest()},
        {"seq": 1, "bytes": 10, "sha256": hashlib.sha256(b"second try").hexdigest()}]
    recording = VtmRecording.objects.get(vtm=call)
    assert recording.sha256 == hashlib.sha256(b"second try").hexdigest()


def test_a_refused_slice_leaves_no_audit(vtm, answered, call):  # noqa: F811
    consent(vtm, call)
    post(answered, f"/api/kiosk/vtm/{call.public_id}/recording/")
    assert put_chunk(answered, call, 2, b"gap").status_code == 400
    assert put_chunk(answered, call, 1, b"").status_code == 400
    assert VtmRecording.objects.get(vtm=call).unaudited_slices == []
