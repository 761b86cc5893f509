"""In Chromium: the lobby manager resumes a parked ticket, sees a stranded one with its fix and a
ticket's history; the teller calls a chosen ticket from the console's waiting list."""

import time_machine

from queueing import services
from tests.browser import DESK, off_the_browser_thread, screenshot, signed_in_page
from tests.factories import make_counter, make_service_type
from tests.queueing.conftest import OPEN_MORNING


def _morning(branch, deposit, counter, teller):
    wealth = make_service_type("WEALTHB", zone_kind="wealth", complexity="special",
                               target_minutes=30, category="wealth")
    make_counter(branch, "06", zone_kind="wealth", services=[wealth])
    services.counter_open(actor=teller, counter=counter)
    first = services.ticket_issue(issue=services.IssueRequest(
        branch=branch, service_type=deposit, source="kiosk"))
    second = services.ticket_issue(issue=services.IssueRequest(
        branch=branch, service_type=deposit, source="kiosk"))
    stranded = services.ticket_issue(issue=services.IssueRequest(
        branch=branch, service_type=wealth, source="kiosk"))
    called = services.ticket_start_serving(
        actor=teller, ticket=services.ticket_call(actor=teller, counter=counter, ticket=first))
    services.ticket_park(actor=teller, ticket=called, note="取身份证")
    services.queue_refresh(branch=branch)
    return first, second, stranded


def test_the_lobby_manager_resumes_a_parked_ticket_and_sees_the_stranded_one(
        chromium, asgi_server, branch, deposit, counter, teller, lobby_manager):
    url = asgi_server
    with time_machine.travel(OPEN_MORNING, tick=True):
        parked, _second, stranded = off_the_browser_thread(
            _morning, branch=branch, deposit=deposit, counter=counter, teller=teller)
        page = signed_in_page(chromium, url, lobby_manager, **DESK)
        page.goto(f"{url}/queue/dashboard/")
        page.wait_for_selector(f"[data-parked='{parked.number}']")
        stranded_row = page.locator(f"[data-stranded='{stranded.number}']")
        assert "06" in stranded_row.inner_text()  # the fix: open counter 06
        stranded_row.scroll_into_view_if_needed()
        screenshot(page, "queue-dashboard-parked-stranded")

        page.locator(f"[data-parked='{parked.number}'] button", has_text="恢复排队").click()
        page.wait_for_selector(f"#part-waiting tr[data-ticket='{parked.number}']")
        assert page.locator(f"[data-parked='{parked.number}']").count() == 0

        page.locator(f"[data-timeline='{parked.number}']").first.click()
        page.wait_for_selector("#timeline-panel [data-step='resumed']")
        assert page.locator("#timeline-panel [data-step='parked']").is_visible()
        page.locator("#timeline-panel").scroll_into_view_if_needed()
        screenshot(page, "queue-dashboard-timeline")


def test_the_teller_calls_a_chosen_ticket_from_the_console(
        chromium, asgi_server, branch, deposit, counter, teller):
    url = asgi_server
    with time_machine.travel(OPEN_MORNING, tick=True):
        _parked, second, _stranded = off_the_browser_thread(
            _morning, branch=branch, deposit=deposit, counter=counter, teller=teller)
        page = signed_in_page(chromium, url, teller, **DESK)
        page.goto(f"{url}/counter/console/{counter.pk}/")
        page.wait_for_selector(f"#queue-panel [data-call='{second.number}']")
        screenshot(page, "queue-console-panel")
        page.locator(f"#queue-panel [data-call='{second.number}']").click()
        page.wait_for_selector("[data-testid=current-ticket]")
        assert second.number in page.locator("[data-testid=current-ticket]").inner_text()
        page.wait_for_selector("#queue-panel [data-testid=current-visit] [data-step='called']")
        screenshot(page, "queue-console-timeline")
