"""The teller's timers count on the server's clock: a counter PC whose clock is days off still shows
a visit just started as seconds, not as "20059:45"."""

import datetime as dt

import pytest
import time_machine

from tests.browser import DESK, console_call_and_start, signed_in_page
from tests.conftest import CLOCK_START
from tests.counter.conftest import make_ticket
from tests.factories import make_counter


@pytest.mark.parametrize("pc_clock_off_by", [dt.timedelta(days=14), -dt.timedelta(hours=5)])
@pytest.mark.django_db(transaction=True)
def test_the_handling_timer_ignores_a_wrong_pc_clock(
    chromium, asgi_server, branch, service_type, customer, teller, pc_clock_off_by
):
    url = asgi_server
    make_counter(branch, "05", zone_kind="non_cash", services=[service_type])
    with time_machine.travel(CLOCK_START, tick=True) as server_clock:
        ticket = make_ticket(branch, service_type, customer)
        desk = signed_in_page(chromium, url, teller, **DESK)
        desk.clock.set_fixed_time(CLOCK_START + pc_clock_off_by)
        console_call_and_start(desk, url, ticket)
        desk.wait_for_selector("[data-since]")

        # A live update redraws the visit: the timer takes the server's time from it.
        server_clock.shift(dt.timedelta(seconds=90))
        desk.wait_for_function("typeof htmx !== 'undefined'")  # a deferred script, maybe still loading
        desk.evaluate("htmx.trigger(document.body, 'counter-refresh')")
        desk.wait_for_selector("[data-since]:text-matches('^01:[3-5][0-9]$')")

        # A reload takes it from the page.
        server_clock.shift(dt.timedelta(seconds=60))
        desk.reload()
        desk.wait_for_selector("[data-since]:text-matches('^02:[3-5][0-9]$')")
