import zoneinfo

import pytest
from django.core.cache import cache

from queueing import services
from queueing.state import forget_service_times
from tests.conftest import CLOCK_START
from tests.factories import make_counter, make_service_type

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# The shared `clock` (tests/conftest.py) starts here: a Monday morning, inside the test branch's
# opening hours (09:00-17:00 every day).
OPEN_MORNING = CLOCK_START


@pytest.fixture(autouse=True)
def _fresh_service_times():
    # Learned times, alerts and refresh flags live in process memory and the (locmem) cache.
    cache.clear()
    forget_service_times()
    yield
    forget_service_times()


@pytest.fixture
def deposit(db):
    return make_service_type("DEPOSIT", name_zh_hans="存款", name_en="Deposit", target_minutes=5)


@pytest.fixture
def loan(db):
    return make_service_type("LOAN", name_zh_hans="贷款", name_en="Loan", complexity="special",
                             target_minutes=30, zone_kind="non_cash", category="loan")


@pytest.fixture
def counter(branch, deposit, loan):
    return make_counter(branch, "01", services=[deposit, loan])


@pytest.fixture
def open_counter(counter, teller, clock):
    services.counter_open(actor=teller, counter=counter)
    counter.refresh_from_db()
    return counter


@pytest.fixture
def issue(branch, deposit, clock):
    """Issue a kiosk ticket for `deposit` (or the given service) at the test branch."""

    def _issue(service_type=None, **kwargs):
        kwargs.setdefault("source", "kiosk")
        return services.ticket_issue(issue=services.IssueRequest(
            branch=kwargs.pop("at", branch), service_type=service_type or deposit, **kwargs))

    return _issue


def kiosk_ticket_at_open_counter(*, branch, service, counter, teller):
    """For a browser test (off its thread): the teller opens the counter, a kiosk issues a ticket."""
    from tests.browser import off_the_browser_thread

    off_the_browser_thread(services.counter_open, actor=teller, counter=counter)
    return off_the_browser_thread(services.ticket_issue, issue=services.IssueRequest(
        branch=branch, service_type=service, source="kiosk"))
