"""In Chromium: a Japanese customer's ticket page hears its call in Japanese, without a reload."""

import time_machine

from queueing import services
from tests.browser import new_page, off_the_browser_thread
from tests.conftest import wait_for_js
from tests.queueing.conftest import OPEN_MORNING


def test_a_japanese_ticket_page_gets_a_japanese_live_update(
    chromium, asgi_server, branch, deposit, counter, teller
):
    with time_machine.travel(OPEN_MORNING, tick=True):
        off_the_browser_thread(services.counter_open, actor=teller, counter=counter)
        ticket = off_the_browser_thread(
            services.ticket_issue,
            issue=services.IssueRequest(branch=branch, service_type=deposit, source="kiosk"),
        )
        phone = new_page(chromium, asgi_server, locale="ja-JP", viewport={"width": 390, "height": 844})
        phone.goto(f"{asgi_server}/queue/t/{ticket.public_token}/")
        phone.wait_for_selector("html[lang=ja] #ticket[data-status=waiting]")
        assert phone.inner_text("#ticket-status") == "待機中"

        off_the_browser_thread(services.ticket_call_next, actor=teller, counter=counter)

        phone.wait_for_selector("#ticket[data-status=called]")
        wait_for_js(phone, "document.getElementById('ticket-status').textContent === '呼び出し済み'")
        assert "呼び出し済み" in phone.locator("#ticket-timeline").text_content()  # in the closed <details>
