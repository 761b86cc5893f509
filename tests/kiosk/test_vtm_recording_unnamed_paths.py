"""The previous release's upload paths did not name the recording. A console of that release still
records a call with one agreement through them; once the customer agreed again (two recordings),
an upload that does not say which recording it belongs to is refused instead of landing in either."""

import hashlib

from kiosk.models import RecordingStatus, VtmRecording
from tests.kiosk.test_vtm import waiting_call  # noqa: F401 (fixture)
from tests.kiosk.test_vtm_consent_again import ask_again, start
from tests.kiosk.test_vtm_consent_withdrawal import withdraw
from tests.kiosk.test_vtm_recording import WEBM, answered, call, consent, post  # noqa: F401 (fixtures)


def unnamed_chunk(client, call, seq, data):  # noqa: F811
    return client.put(f"/api/kiosk/vtm/{call.public_id}/recording/chunks/{seq}/", data,
                      content_type="application/octet-stream")


def unnamed_finish(client, call):  # noqa: F811
    return post(client, f"/api/kiosk/vtm/{call.public_id}/recording/finish/")


def test_a_console_of_the_previous_release_still_records_a_call(vtm, answered, call):  # noqa: F811
    consent(vtm, call)
    recording = start(answered, call)
    assert unnamed_chunk(answered, call, 1, WEBM[:500]).status_code == 200
    assert unnamed_chunk(answered, call, 2, WEBM[500:]).status_code == 200
    assert unnamed_finish(answered, call).status_code == 200
    recording.refresh_from_db()
    assert recording.status == RecordingStatus.STORED and recording.sha256 == hashlib.sha256(WEBM).hexdigest()


def test_with_two_recordings_an_unnamed_upload_lands_in_neither(vtm, answered, call):  # noqa: F811
    consent(vtm, call)
    first = start(answered, call)
    assert unnamed_chunk(answered, call, 1, WEBM[:500]).status_code == 200
    withdraw(vtm, call)
    ask_again(answered, call)
    consent(vtm, call)
    second = start(answered, call)

    refused = unnamed_chunk(answered, call, 1, WEBM[500:])
    assert refused.status_code == 400 and "recording" in refused.json()["errors"]
    assert unnamed_finish(answered, call).status_code == 400
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.chunks, second.chunks) == (1, 0)
    assert VtmRecording.objects.filter(vtm=call, status=RecordingStatus.RECORDING).get() == second


def test_an_unnamed_upload_before_any_recording_is_refused(vtm, answered, call):  # noqa: F811
    consent(vtm, call)
    assert unnamed_chunk(answered, call, 1, WEBM[:500]).status_code == 400
