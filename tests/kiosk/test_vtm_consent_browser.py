"""In Chromium: the customer agrees to the dual recording (双录) at the VTM, the teller's console
records, then the customer touches 停止录像 — the kiosk says the recording stopped and what that
means, the console stops recording and says why, and what was recorded before is stored."""

import pytest

from branches.roles import Role
from compliance.models import AuditEvent
from kiosk.models import RecordingConsent, RecordingStatus, VtmRecording, VtmSession
from tests.browser import DESK_HD, screenshot, signed_in_page
from tests.factories import make_customer, make_staff
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


def test_after_stopping_the_customer_agrees_again_when_the_teller_asks(
        chromium, asgi_server, vtm_device, account_open, remote_teller, open_branch_clock, branch):  # noqa: F811
    kiosk = kiosk_page(chromium, asgi_server, vtm_device[1])
    begin(kiosk)
    kiosk.click("[data-testid=menu-remote]")
    kiosk.click(f"[data-service={account_open.code}]")
    kiosk.click("[data-testid=consent-yes]")
    call = wait_for(lambda: VtmSession.objects.filter(recording_consent=RecordingConsent.GIVEN).first(),
                    "the customer's consent")
    teller = staff_page(chromium, asgi_server, remote_teller)
    teller.goto(f"{asgi_server}/kiosk/remote-teller/")
    teller.click(f"[data-accept='{call.public_id}']")
    teller.wait_for_url(f"**/kiosk/remote-teller/{call.public_id}/")
    teller.wait_for_selector("[data-testid=recording-state][data-state=recording]", timeout=60_000)
    wait_for(lambda: VtmRecording.objects.filter(vtm=call, chunks__gte=1).exists(), "a recorded slice")
    assert teller.is_hidden("[data-testid=consent-ask]")  # nothing to ask while they agree
    kiosk.click("[data-testid=consent-withdraw]")
    teller.wait_for_selector("[data-testid=recording-state][data-state=withdrawn]")
    first = VtmRecording.objects.get(vtm=call)

    teller.click("[data-testid=consent-ask]")  # 请客户重新同意录像
    teller.wait_for_selector("[data-testid=recording-consent-status][data-consent=requested]")
    kiosk.wait_for_selector("[data-testid=recording-consent]:not([hidden])")
    assert "业务需要双录" in kiosk.inner_text("[data-testid=recording-consent-again]")
    assert kiosk.is_hidden("[data-testid=recording-withdrawn]")
    screenshot(kiosk, "kiosk-vtm-recording-consent-again")
    kiosk.click("[data-testid=consent-yes]")
    kiosk.wait_for_selector("[data-testid=recording-withdraw]:not([hidden])")  # may stop again
    teller.wait_for_selector("[data-testid=recording-consent-status][data-consent=given]")
    teller.wait_for_selector("[data-testid=recording-state][data-state=recording]", timeout=60_000)
    second = wait_for(lambda: VtmRecording.objects.filter(vtm=call, chunks__gte=1).exclude(pk=first.pk)
                      .first(), "a slice of the new recording")
    assert teller.is_hidden("[data-testid=consent-ask]")
    screenshot(teller, "remote-teller-consent-again")

    teller.click("[data-action=hang-up]")
    teller.wait_for_url(f"{asgi_server}/kiosk/remote-teller/")
    first_before = (first.status, first.chunks, first.sha256)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.chunks, first.sha256) == first_before  # kept as it was
    assert second.status == RecordingStatus.STORED and second.size > 0 and not second.withdrawn_at
    assert AuditEvent.objects.filter(action="vtm.recording_consent_requested").count() == 1

    customer = make_customer(branch=branch, phone="13912345678", name="李四")
    VtmSession.objects.filter(pk=call.pk).update(customer=customer)
    officer = make_staff(Role.COMPLIANCE_OFFICER, branch, username="officer")
    page = signed_in_page(chromium, asgi_server, officer, **DESK_HD)
    page.goto(f"{asgi_server}/kiosk/recordings/")
    page.fill("#recording-customer", "139 1234 5678")  # the officer finds the customer's calls
    page.click("[data-testid=recording-customer-search] button[type=submit]")
    page.wait_for_selector("[data-testid=recording-customer]")
    assert "139****5678" in page.inner_text("[data-testid=recording-customer]")
    assert "13912345678" not in page.content() and "13912345678" not in page.url
    assert page.locator("tbody tr").count() == 2
    assert page.locator(f"#recording-{second.public_id} [data-this-recording]").inner_text().startswith(
        page.locator(f"#recording-{second.public_id} [data-testid=consent-history] li").nth(3).inner_text())
    assert page.locator(f"#recording-{first.public_id} [data-testid=consent-withdrawn]").count() == 1
    screenshot(page, "kiosk-recordings-consent-again")
