"""In Chromium on a phone: the customer asks to be told when their turn is near, gets a field
message in Chinese for a bad number, then sees the notice the refresh sent."""

import time_machine
from django.core import mail

from tests.browser import PHONE, new_page, screenshot
from tests.queueing.conftest import OPEN_MORNING, kiosk_ticket_at_open_counter


def test_the_customer_chooses_a_turn_near_notice_on_the_phone(
        chromium, asgi_server, branch, deposit, counter, teller):
    url = asgi_server
    with time_machine.travel(OPEN_MORNING, tick=True):
        ticket = kiosk_ticket_at_open_counter(branch=branch, service=deposit, counter=counter, teller=teller)
        phone = new_page(chromium, url, **PHONE)
        phone.goto(f"{url}/queue/t/{ticket.public_token}/")
        notice = phone.locator("[data-testid=turn-notice]")
        assert "快轮到我时提醒我" in notice.inner_text()

        notice.locator("select[name=kind]").select_option("minutes")
        notice.locator("input[name=threshold]").fill("0")
        notice.locator("select[name=channel]").select_option("email")
        notice.locator("input[name=address]").fill("wang@example.com")
        notice.locator("button[type=submit]").click()
        phone.wait_for_load_state()
        assert "请选择 1 到 120 之间的数字。" in phone.locator("[data-testid=turn-notice]").inner_text()

        notice = phone.locator("[data-testid=turn-notice]")
        notice.locator("input[name=threshold]").fill("5")
        notice.locator("button[type=submit]").click()
        phone.wait_for_selector("#notice-chosen")
        # The choice asked for a refresh; with one customer and an open counter it is crossed.
        phone.reload()
        phone.wait_for_selector("#notices-sent li[data-outcome=sent]")
        assert "已发送" in phone.locator("#notices-sent").inner_text()
        assert "预计约剩 5 分钟时，通过电子邮件提醒" in phone.locator("#notice-chosen").inner_text()
        phone.locator("#notices-sent").scroll_into_view_if_needed()
        screenshot(phone, "queue-turn-near-notice")
    assert [message.to for message in mail.outbox] == [["wang@example.com"]]
