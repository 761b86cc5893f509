"""A customer who refused or stopped the dual recording (双录) agrees again in the same call when the
teller asks (the product needs it): a new agreement, a new recording; what was recorded before stays
as it was, and only the new recording accepts slices."""

import hashlib

from django.utils import translation

from branches.roles import Role
from compliance.models import AuditEvent
from kiosk.models import RecordingConsent, RecordingStatus, VtmConsentEvent, VtmRecording
from tests.factories import make_staff
from tests.kiosk.test_vtm import waiting_call  # noqa: F401 (fixture)
from tests.kiosk.test_vtm_consent_withdrawal import withdraw
from tests.kiosk.test_vtm_recording import (  # noqa: F401 (fixtures)
    WEBM,
    answered,
    call,
    consent,
    finish,
    post,
    put_chunk,
)


def ask_again(client, call):  # noqa: F811
    return post(client, f"/api/kiosk/vtm/{call.public_id}/consent/ask/")


def start(client, call) -> VtmRecording:  # noqa: F811
    response = post(client, f"/api/kiosk/vtm/{call.public_id}/recording/")
    assert response.status_code == 201, response.content
    return VtmRecording.objects.get(public_id=response.json()["recording"])


def test_after_a_withdrawal_a_new_agreement_starts_a_new_recording(vtm, answered, call):  # noqa: F811
    consent(vtm, call)
    first = start(answered, call)
    assert put_chunk(answered, call, 1, WEBM[:500], first).status_code == 200
    withdraw(vtm, call)

    asked = ask_again(answered, call)
    assert asked.status_code == 200 and asked.json()["recording_consent"] == "requested"
    assert post(answered, f"/api/kiosk/vtm/{call.public_id}/recording/").status_code == 400  # not yet
    assert consent(vtm, call).json()["recording_consent"] == "given"
    second = start(answered, call)
    assert second != first and start(answered, call) == second  # a repeated start is the same one

    # The withdrawn recording's late slice and finish are still refused; the new one records.
    assert put_chunk(answered, call, 2, WEBM[500:], first).status_code == 400
    assert finish(answered, call, first).status_code == 400
    assert put_chunk(answered, call, 1, WEBM[500:], second).status_code == 200
    assert finish(answered, call, second).status_code == 200

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == RecordingStatus.STORED
    assert first.size == 500 and first.sha256 == hashlib.sha256(WEBM[:500]).hexdigest() and first.withdrawn_at
    assert second.sha256 == hashlib.sha256(WEBM[500:]).hexdigest() and second.withdrawn_at is None
    history = list(VtmConsentEvent.objects.filter(vtm=call).values_list("consent", flat=True))
    assert history == ["given", "withdrawn", "requested", "given"]
    assert first.consent.consent == second.consent.consent == "given" and first.consent != second.consent
    requested = AuditEvent.objects.get(action="vtm.recording_consent_requested")
    assert requested.actor_name == "remote" and requested.after == {"consent": "requested"}
    assert AuditEvent.objects.filter(action="vtm.recording_start").count() == 2


def test_after_a_refusal_the_customer_may_refuse_again(vtm, answered, call):  # noqa: F811
    consent(vtm, call, False)
    assert consent(vtm, call, True).status_code == 400  # no second answer unless the teller asks
    assert ask_again(answered, call).status_code == 200
    assert consent(vtm, call, False).json()["recording_consent"] == "refused"
    assert consent(vtm, call, True).status_code == 400
    call.refresh_from_db()
    assert call.recording_consent == RecordingConsent.REFUSED and not VtmRecording.objects.exists()
    assert list(VtmConsentEvent.objects.filter(vtm=call).values_list("consent", flat=True)) == [
        "refused", "requested", "refused"]


def test_the_teller_asks_again_only_after_a_refusal_or_withdrawal(vtm, answered, call):  # noqa: F811
    first = ask_again(answered, call)  # not answered yet: the statement is still on the screen
    assert first.status_code == 400 and "consent" in first.json()["errors"]
    consent(vtm, call)
    assert ask_again(answered, call).status_code == 400  # agreed already
    assert not AuditEvent.objects.filter(action="vtm.recording_consent_requested").exists()


def test_only_the_teller_in_the_call_asks_again(vtm, answered, call, branch):  # noqa: F811
    consent(vtm, call, False)
    answered.force_login(make_staff(Role.TELLER, branch, username="other", is_remote_teller=True))
    assert ask_again(answered, call).status_code in (400, 403, 404)
    assert ask_again(vtm, call).status_code in (401, 403)
    call.refresh_from_db()
    assert call.recording_consent == RecordingConsent.REFUSED


def test_the_compliance_page_shows_both_recordings_with_the_calls_consent_history(
        vtm, answered, call, client, branch):  # noqa: F811
    consent(vtm, call)
    first = start(answered, call)
    put_chunk(answered, call, 1, WEBM, first)
    withdraw(vtm, call)
    ask_again(answered, call)
    consent(vtm, call)
    second = start(answered, call)
    put_chunk(answered, call, 1, WEBM, second)
    finish(answered, call, second)

    client.force_login(make_staff(Role.COMPLIANCE_OFFICER, branch, username="officer"))
    page = client.get("/kiosk/recordings/").content.decode()
    assert f"recording-{first.public_id}" in page and f"recording-{second.public_id}" in page
    assert page.count('data-testid="consent-withdrawn"') == 1  # only the first was stopped
    history = page[page.index(f"recording-{second.public_id}"):]
    history = history[history.index('data-testid="consent-history"'):history.index("</ol>")]
    steps = ["同意录音录像", "通话中撤回同意", "柜员请客户重新同意", "同意录音录像"]
    positions = [history.index(steps[0])]
    for step in steps[1:]:
        positions.append(history.index(step, positions[-1] + 1))
    assert "本段录像" in history[positions[-1]:]  # the agreement this recording belongs to


def test_the_new_texts_are_translated_for_the_kiosk_languages():
    texts = {
        "The teller asks whether you agree to the recording now: the business you want needs it. "
        "What was recorded before stays as it was.": ("ja", "ko", "zh-hans"),
        "Ask the customer to agree to the recording again": ("en", "zh-hans"),
    }
    for text, languages in texts.items():
        for language in languages:
            with translation.override(language):
                translated = translation.gettext(text)
            assert (translated == text) == (language == "en"), (language, text)


def test_only_the_recording_under_a_standing_agreement_is_the_sales_dual_recording(
        vtm, answered, call):  # noqa: F811
    from compliance.models import RecordingReference

    consent(vtm, call)
    first = start(answered, call)
    assert put_chunk(answered, call, 1, WEBM[:500], first).status_code == 200
    withdraw(vtm, call)
    first.refresh_from_db()
    # Kept (stored, on the compliance page), but not the evidence the dual_recording rule reads.
    assert first.status == RecordingStatus.STORED
    assert not RecordingReference.objects.filter(external_id=first.reference).exists()

    ask_again(answered, call)
    consent(vtm, call)
    second = start(answered, call)
    assert put_chunk(answered, call, 1, WEBM, second).status_code == 200
    assert finish(answered, call, second).status_code == 200
    second.refresh_from_db()
    call.refresh_from_db()
    attached = RecordingReference.objects.get()
    assert attached.external_id == second.reference and attached.service_record_ref == call.record.ref
