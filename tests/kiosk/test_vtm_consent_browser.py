"""In Chromium: the customer agrees to the dual recording (双录) at the VTM, the teller's console
records, then the customer touches 停止录像 — the kiosk says the recording stopped and what that
means, the console stops recording and says why, and what was recorded before is stored."""

import pytest

from compliance.models import AuditEvent
from kiosk.models import RecordingConsent, RecordingStatus, VtmRecording, VtmSession
from tests.browser import screenshot
from tests.kiosk.test_kiosk_browser import begin, kiosk_page, open_branch_clock, staff_page  # noqa: F401
from tests.kiosk.test_vtm_turn_browser import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_customer_stops_the_recording_mid_call(
        chromium, asgi_server, vtm_device, account_open, remote_teller, open_branch_clock):  # noqa: F811
    kiosk = kiosk_page(chromium, asgi_server, vtm_device[1])
    begin(kiosk)
    kiosk.click("[data-testid=menu-remote]")
    kiosk.click(f"[data-service={account_open.code}]")
    kiosk.wait_for_selector("[data-testid=recording-consent]:not([hidden])")
    assert kiosk.is_hidden("[data-testid=recording-withdraw]")  # nothing to stop before agreeing
    kiosk.click("[data-testid=consent-yes]")
    call = wait_for(lambda: VtmSession.objects.filter(recording_consent=RecordingConsent.GIVEN).first(),
                    "the customer's consent")
    assert kiosk.is_hidden("[data-testid=recording-withdraw]")  # nothing is recorded while waiting

    teller = staff_page(chromium, asgi_server, remote_teller)
    teller.goto(f"{asgi_server}/kiosk/remote-teller/")
    teller.click(f"[data-accept='{call.public_id}']")
    teller.wait_for_url(f"**/kiosk/remote-teller/{call.public_id}/")
    kiosk.wait_for_selector("[data-testid=recording-withdraw]:not([hidden])")  # the teller joined
    teller.wait_for_selector("[data-testid=recording-state][data-state=recording]", timeout=60_000)
    wait_for(lambda: VtmRecording.objects.filter(vtm=call, chunks__gte=1).exists(), "a recorded slice")
    screenshot(kiosk, "kiosk-vtm-recording-withdraw")

    kiosk.click("[data-testid=consent-withdraw]")
    kiosk.wait_for_selector("[data-testid=recording-withdrawn]:not([hidden])")
    assert "录像已停止" in kiosk.inner_text("[data-testid=recording-withdrawn]")
    assert kiosk.is_hidden("[data-testid=recording-withdraw]")
    teller.wait_for_selector("[data-testid=recording-consent-status][data-consent=withdrawn]")
    teller.wait_for_selector("[data-testid=recording-state][data-state=withdrawn]")
    assert "撤回" in teller.inner_text("[data-testid=recording-consent-status]")
    screenshot(teller, "remote-teller-consent-withdrawn")

    recording = VtmRecording.objects.get(vtm=call)
    assert recording.status == RecordingStatus.STORED and recording.size > 0
    chunks = recording.chunks
    teller.click("[data-action=hang-up]")
    teller.wait_for_url(f"{asgi_server}/kiosk/remote-teller/")
    recording.refresh_from_db()
    assert recording.chunks == chunks and recording.status == RecordingStatus.STORED  # nothing after
    call.refresh_from_db()
    assert call.recording_consent == RecordingConsent.WITHDRAWN
    assert AuditEvent.objects.get(action="vtm.recording_stored").after["reason"] == "consent withdrawn"
