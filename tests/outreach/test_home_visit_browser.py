"""In Chromium: an elderly customer asks for a home visit on the phone, the lobby manager
schedules two staff at the desk, and a visitor walks the checklist on a phone to the signature."""

import datetime as dt

import pytest
import time_machine

from counter.models import ServiceRecord
from outreach.models import HomeVisit, VisitStatus
from tests.browser import DESK, PHONE, screenshot, signed_in_page
from tests.outreach.conftest import photo_bytes

BEIJING = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2026, 12, 7, 10, 0, tzinfo=BEIJING)


@pytest.mark.django_db(transaction=True)
def test_a_home_visit_from_the_phone_request_to_the_signature(
    chromium, live_server, branch, pension, elderly, staff
):
    url = live_server.url
    with time_machine.travel(MONDAY, tick=True):
        phone = signed_in_page(chromium, url, elderly.user, **PHONE)
        phone.goto(f"{url}/outreach/home-visits/")
        phone.click("a[href='/outreach/home-visits/request/']")
        phone.select_option("select[name=branch]", str(branch.pk))
        phone.select_option("select[name=service_type]", str(pension.pk))
        phone.check("input[name=eligibility][value=age]")
        phone.fill("input[name=address]", "北京市海淀区学院路 1 号 3 单元 502")
        screenshot(phone, "outreach-request-phone")
        phone.click("main button[type=submit]")
        phone.wait_for_selector("[data-visit]")
        visit = HomeVisit.objects.get()
        assert "2026-12-10 17:00" in phone.inner_text("main")  # due in 3 working days
        screenshot(phone, "outreach-requested-phone")

        desk = signed_in_page(chromium, url, staff["manager"], **DESK)
        desk.goto(f"{url}/outreach/home-visits/{visit.pk}/")
        desk.fill("input[name=scheduled_at]", "2026-12-09T10:00")
        desk.select_option("select[name=lead_staff]", str(staff["a"].pk))
        desk.select_option("select[name=second_staff]", str(staff["a"].pk))
        desk.click("main form[novalidate] button[type=submit]")
        desk.wait_for_selector(".errorlist")
        assert "两名不同的员工" in desk.inner_text(".errorlist")  # the two-person rule
        desk.select_option("select[name=second_staff]", str(staff["b"].pk))
        desk.click("main form[novalidate] button[type=submit]")
        desk.wait_for_selector(".status-scheduled")
        screenshot(desk, "outreach-scheduled-desk")

        visitor = signed_in_page(chromium, url, staff["a"], **PHONE)
        visitor.goto(f"{url}/outreach/home-visits/{visit.pk}/checklist/")
        visitor.click("input[value=start] + button")
        visitor.wait_for_selector("input[name=method]")
        visitor.check("input[name=method][value=id_card_reader]")
        visitor.check("input[name=both_present]")
        visitor.click("input[value=identity] ~ button")
        visitor.wait_for_selector("li.done >> nth=1")
        visitor.set_input_files(
            "input[name=photo]", files=[{"name": "id.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}]
        )
        visitor.click("input[value=photo] ~ button")
        visitor.wait_for_selector("li.done >> nth=2")
        visitor.locator("#visit-signature").scroll_into_view_if_needed()
        box = visitor.locator("#visit-signature").bounding_box()  # in the viewport, where the mouse is
        visitor.mouse.move(box["x"] + 20, box["y"] + 120)
        visitor.mouse.down()
        for x, y in [(80, 40), (140, 130), (220, 50), (300, 110)]:
            visitor.mouse.move(box["x"] + x, box["y"] + y, steps=5)
        visitor.mouse.up()
        screenshot(visitor, "outreach-checklist-phone")
        visitor.click("#sign-form button[type=submit]")
        visitor.wait_for_selector(".status-completed, p.error")
        assert not visitor.locator("p.error").count(), visitor.inner_text("p.error")
        done = HomeVisit.objects.get(status=VisitStatus.COMPLETED)
        assert ServiceRecord.objects.get().signature_sha256 == done.signature_sha256 != ""
        screenshot(visitor, "outreach-completed-phone")
