"""The compliance officer's recordings page in Chromium (zh): rows readable, the hold error shown
next to its form, no serious accessibility violation."""

import datetime as dt

import pytest

from branches.roles import Role
from kiosk.models import RecordingStatus, VtmRecording
from tests.browser import DESK_HD, off_the_browser_thread, screenshot, signed_in_page
from tests.browser import axe_violations as axe
from tests.factories import make_staff
from tests.kiosk.test_vtm import waiting_call  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def stored(vtm):
    VtmRecording.objects.create(
        vtm=vtm, status=RecordingStatus.STORED, chunks=40, size=23_456_789, sha256="ab12" * 16,
        stored_at=vtm.requested_at, incomplete=True, retain_until=vtm.requested_at + dt.timedelta(days=3653))


def test_the_recordings_page_reads_well(waiting_call, branch, chromium, asgi_server):  # noqa: F811
    off_the_browser_thread(stored, vtm=waiting_call)
    officer = off_the_browser_thread(make_staff, role=Role.COMPLIANCE_OFFICER, branch=branch,
                                     username="officer")
    page = signed_in_page(chromium, asgi_server, officer, **DESK_HD)
    page.goto(f"{asgi_server}/kiosk/recordings/")
    screenshot(page, "kiosk-recordings")
    row = page.locator("tbody tr").first
    assert "已保存" in row.inner_text() and "不完整" in row.inner_text()
    page.click("tbody tr button[type=submit]")  # hold without a reason
    page.wait_for_selector(".errorlist")
    assert "请说明保全该录像的原因" in page.locator(".errorlist").inner_text()
    screenshot(page, "kiosk-recordings-hold-error")
    assert axe(page) == []
