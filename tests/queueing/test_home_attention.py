"""The staff home page says what needs a teller or lobby manager now, and where to act on it."""

import datetime as dt

import pytest

from queueing import services
from tests.staff_home import staff_home

pytestmark = pytest.mark.django_db


def test_a_ticket_the_teller_parked_stays_on_their_home_page_until_it_is_resumed(
        client, issue, open_counter, teller, clock):
    ticket = issue()
    services.ticket_call_next(actor=teller, counter=open_counter)
    services.ticket_park(actor=teller, ticket=ticket, note="取身份证")
    page = staff_home(client, teller)
    assert "您暂挂的号有 1 张" in page and ticket.number in page
    assert "自 10:00 起暂挂" in page          # Beijing time, the branch's
    assert "/counter/console/" in page
    services.ticket_resume(actor=teller, ticket=ticket)
    assert "您暂挂的号" not in staff_home(client, teller)


def test_a_teller_at_a_counter_sees_it_and_the_queue(client, issue, open_counter, teller):
    issue()
    issue()
    page = staff_home(client, teller)
    assert f"您正在 {open_counter.name} 办理业务" in page
    assert "有 2 位客户在等候" in page
    assert f"/counter/console/{open_counter.pk}/" in page


def test_a_teller_without_a_counter_in_opening_hours_is_told_customers_wait(
        client, issue, counter, teller):
    issue()
    page = staff_home(client, teller)
    assert "您的窗口尚未开启" in page
    assert "有 1 位客户在等候" in page


def test_the_lobby_manager_sees_a_long_wait_as_urgent(client, issue, lobby_manager, clock):
    issue()
    clock.shift(dt.timedelta(minutes=3))
    page = staff_home(client, lobby_manager)
    assert "有 1 位客户在等候" in page and "最长已等候 3 分钟" in page
    assert 'attention-item info' in page
    clock.shift(dt.timedelta(minutes=20))
    page = staff_home(client, lobby_manager)
    assert "最长已等候 23 分钟（15 分钟告警）" in page
    assert 'attention-item urgent' in page and "?branch=" in page


def test_nothing_to_do_is_said_plainly(client, branch, lobby_manager, clock):
    assert "目前没有需要您处理的事项。" in staff_home(client, lobby_manager)
