"""A Korean customer at the kiosk in Chromium: chooses 한국어 on the language screen, takes a ticket
with every screen on the way in Korean, and the ticket remembers the language."""

import pytest
import time_machine

from queueing.models import Ticket
from tests.browser import KIOSK_SCREEN, device_page, screenshot
from tests.kiosk.conftest import OPEN_MORNING

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_branch_clock():
    with time_machine.travel(OPEN_MORNING, tick=True) as traveller:
        yield traveller


def test_a_korean_customer_takes_a_ticket_in_korean(
    chromium, asgi_server, kiosk_device, deposit, open_branch_clock
):
    page = device_page(chromium, asgi_server, kiosk_device[1], **KIOSK_SCREEN)
    page.wait_for_selector("body[data-ready='1']")
    page.click("[data-action=start]")
    heading = page.inner_text("[data-screen=language] h1")
    assert "언어를 선택하세요" in heading and "言語を選択してください" in heading and "请选择语言" in heading
    page.click("[data-action=language][data-language=ko]")
    page.wait_for_selector("html[lang=ko] [data-screen=menu]:not([hidden])")
    assert "번호표 받기" in page.inner_text("[data-screen=menu]")
    screenshot(page, "kiosk-menu-korean")
    page.click("[data-testid=menu-ticket]")
    page.click(f"[data-service={deposit.code}]")
    page.wait_for_selector("[data-testid=take-kiosk]")
    page.click("[data-testid=take-kiosk]")
    page.wait_for_selector("[data-testid=ticket-qr] svg")
    assert "번호표" in page.inner_text("[data-screen=ticket]")
    screenshot(page, "kiosk-ticket-korean")
    assert Ticket.objects.get().language == "ko"
