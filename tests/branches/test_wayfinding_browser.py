"""Wayfinding in Chromium: the branch admin's floor-plan page, a customer's ticket page on a phone
that moves the highlight from the waiting zone to the counter when the ticket is called, the kiosk
slip, and the lobby's "now calling" with the counter's direction."""

import pytest
import time_machine

from branches.demo_floorplan import seed_floor_plan
from branches.roles import Role
from queueing import services as queue
from tests.browser import (  # noqa: F401 (fixtures)
    DESK,
    KIOSK_SCREEN,
    LOBBY_SCREEN,
    PHONE,
    axe_violations,
    device_page,
    new_page,
    off_the_browser_thread,
    screenshot,
    signed_in_page,
)
from tests.conftest import CLOCK_START
from tests.factories import make_counter, make_device, make_service_type, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_morning():
    with time_machine.travel(CLOCK_START, tick=True) as traveller:
        yield traveller


@pytest.fixture
def hall(branch):
    cash = branch.zones.get(kind="cash")
    cash.name_zh_hans, cash.name_en = "现金业务区", "Cash zone"
    cash.save(update_fields=["name_zh_hans", "name_en"])
    withdraw = make_service_type("WITHDRAW", name_zh_hans="取款", name_en="Withdrawal", keywords="cash 取款")
    counter = make_counter(branch, "02", services=[withdraw])
    counter.name_zh_hans, counter.name_en = "2号窗口", "Counter 2"
    counter.save(update_fields=["name_zh_hans", "name_en"])
    kiosk = make_counter(branch, "K1", zone_kind="self_service", kind="kiosk", status="open",
                         capabilities={"printer": True})
    admin = make_staff(Role.BRANCH_ADMIN, branch, username="badmin")
    seed_floor_plan(branch, actor=admin)
    return {"withdraw": withdraw, "counter": counter, "kiosk": kiosk, "admin": admin}


def test_the_branch_admin_sees_the_plan_and_its_markers(chromium, asgi_server, branch, hall):  # noqa: F811
    page = signed_in_page(chromium, asgi_server, hall["admin"], **DESK)
    page.goto(f"{asgi_server}/branches/floor-plan/")
    page.wait_for_selector("[data-floor-plan-editor] svg .floor-marker")
    assert page.locator(".floor-marker").count() == 8  # five zones, counter 02, kiosk K1, the entrance
    screenshot(page, "wayfinding-floor-plan-admin")
    box = page.locator("[data-floor-plan-editor] svg").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert (page.input_value("#id_x"), page.input_value("#id_y")) == ("400", "260")
    assert axe_violations(page) == []


def test_the_ticket_page_on_a_phone_leads_to_the_zone_then_the_counter(chromium, asgi_server, branch, hall,  # noqa: F811
                                                                       teller, open_morning):
    ticket = queue.ticket_issue(issue=queue.IssueRequest(
        branch=branch, service_type=hall["withdraw"], source="kiosk"))
    page = new_page(chromium, asgi_server, **PHONE)
    page.goto(f"{asgi_server}/queue/t/{ticket.public_token}/")
    caption = page.locator("[data-testid=ticket-where] [data-where]")
    assert caption.inner_text() == "请在现金业务区等候（A区，左手边）"
    assert page.locator(".floor-marker.highlight text").text_content() == "现金业务区"
    off_the_browser_thread(queue.counter_open, actor=teller, counter=hall["counter"])
    off_the_browser_thread(queue.ticket_call_next, actor=teller, counter=hall["counter"])
    page.wait_for_selector("[data-where] >> text=请前往2号窗口（A区，左手边）")
    assert page.locator(".floor-marker.highlight text").text_content() == "2号窗口"
    page.locator("[data-testid=ticket-where]").scroll_into_view_if_needed()
    screenshot(page, "wayfinding-ticket-phone")
    assert axe_violations(page) == []


def test_the_kiosk_slip_says_where_to_wait(chromium, asgi_server, branch, hall, open_morning):  # noqa: F811
    _device, token = make_device(branch, "kiosk", actor=hall["admin"], service_point=hall["kiosk"])
    page = device_page(chromium, asgi_server, token, **KIOSK_SCREEN)
    page.wait_for_selector("body[data-ready='1']")
    page.click("[data-action=start]")
    page.click("[data-action=language][data-language=zh-hans]")
    page.click("[data-testid=menu-ticket]")
    page.fill("[data-testid=service-search]", "取款")
    page.click(f"[data-service={hall['withdraw'].code}]")
    page.click("[data-testid=take-counter]")
    page.wait_for_selector("[data-testid=ticket-where]:has-text('请在现金业务区等候')")
    assert page.inner_text("[data-testid=ticket-where]") == "请在现金业务区等候（A区，左手边）"
    assert page.locator(".ticket-slip .floor-marker.highlight text").text_content() == "现金业务区"
    screenshot(page, "wayfinding-kiosk-slip")
