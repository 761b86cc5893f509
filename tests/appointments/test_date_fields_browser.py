"""A date the customer enters while booking on a phone reads in the page's language, whatever
the phone's: Chromium's picker shows the phone's own order (mm/dd/yyyy on an English phone), and
the date chosen is spelled out beside it in Chinese, English, Japanese or Korean."""

import datetime as dt

import pytest
import time_machine

from appointments.models import Appointment
from branches.models import FormSchema
from tests.appointments.conftest import FORM_FIELDS, SHANGHAI
from tests.browser import DESK, PHONE, axe_violations, date_note, screenshot, signed_in_page

pytestmark = pytest.mark.django_db(transaction=True)

NOW = dt.datetime(2025, 10, 9, 8, 0, tzinfo=SHANGHAI)
ID_EXPIRY = {"name": "id_expiry", "type": "date",
             "label": {"zh-hans": "证件有效期至", "en": "ID valid until"}}
# page language, the phone's own locale, what the empty field says, and 4 March 2031 spelled out
SEEN = {
    "zh-hans": ("en-US", "本机的日期顺序：月 / 日 / 年", "2031年3月4日 星期二"),
    "en": ("zh-CN", "Date order on this computer: year / month / day", "Tuesday, 4 March 2031"),
    "ja": ("en-US", "このパソコンの日付の順序：月 / 日 / 年", "2031年3月4日 火曜日"),
    "ko": ("en-US", "이 컴퓨터의 날짜 순서: 월 / 일 / 년", "2031년 3월 4일 화요일"),
}


def _to_the_form(page, server, branch, service, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": server}])
    page.goto(f"{server}/appointments/book/{branch.code}/{service.code}/")
    page.check("input[name=slot][value='20251009T1030']")
    page.click("main button[type=submit]")
    page.wait_for_selector("#f-id_expiry + .date-echo")


@pytest.mark.parametrize("language", SEEN)
def test_the_booking_form_spells_the_date_out_in_the_pages_language(
    chromium, live_server, appt_branch, deposit, customer, language
):
    FormSchema.objects.filter(service_type=deposit).update(fields=[*FORM_FIELDS, ID_EXPIRY])
    locale, hint, spelled = SEEN[language]
    with time_machine.travel(NOW, tick=True):
        phone = signed_in_page(chromium, live_server.url, customer.user, locale=locale, **PHONE)
        _to_the_form(phone, live_server.url, appt_branch, deposit, language)
        field = phone.locator("#f-id_expiry")
        assert date_note(field) == hint
        if language == "zh-hans":
            screenshot(phone, "date-booking-phone-zh-hans-empty")
        phone.fill("input[name=amount]", "60000")
        phone.fill("input[name=purpose]", "装修付款")
        field.fill("2031-03-04")
        assert date_note(field) == spelled
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        assert not axe_violations(phone)
        screenshot(phone, f"date-booking-phone-{language}")
        if language == "zh-hans":
            phone.click("main button[type=submit]")
            phone.click("button:has-text('确认预约')")
            phone.wait_for_selector(".qr svg")
            form = Appointment.objects.get(customer=customer).prefilled_form
            assert form.values["id_expiry"] == "2031-03-04"


def test_the_booking_form_on_a_desk_browser(chromium, live_server, appt_branch, deposit, customer):
    FormSchema.objects.filter(service_type=deposit).update(fields=[*FORM_FIELDS, ID_EXPIRY])
    with time_machine.travel(NOW, tick=True):
        desk = signed_in_page(chromium, live_server.url, customer.user, locale="en-US", **DESK)
        _to_the_form(desk, live_server.url, appt_branch, deposit, "zh-hans")
        desk.locator("#f-id_expiry").focus()
        desk.keyboard.type("03")
        desk.locator("input[name=purpose]").focus()
        assert date_note(desk.locator("#f-id_expiry")) == "日期还没有填完整。"
        desk.locator("#f-id_expiry").focus()
        desk.keyboard.type("03042031")  # the English picker's order: March 4th
        assert date_note(desk.locator("#f-id_expiry")) == "2031年3月4日 星期二"
        assert not axe_violations(desk)
        screenshot(desk, "date-booking-desk-zh-on-en-pc")
