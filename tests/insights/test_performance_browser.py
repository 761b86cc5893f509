"""At her desk, 王芳 opens 我的业绩 from her navigation and reads March: her stars and figures, in
Chinese, with no serious or critical accessibility violation."""

import pytest

from tests.browser import DESK, axe_violations, screenshot, signed_in_page
from tests.insights.test_performance import month  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_teller_reads_her_month_from_her_navigation(chromium, asgi_server, month):  # noqa: F811
    page = signed_in_page(chromium, asgi_server, month.wang, **DESK)
    page.goto(f"{asgi_server}/")
    page.get_by_role("link", name="我的业绩").first.click()
    page.wait_for_url("**/insights/my-performance/**")
    page.fill("input[name=month]", "2026-03")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**month=2026-03**")
    assert page.get_attribute(".perf-overall .stars", "aria-label") == "2星"
    cards = page.inner_text(".perf-cards")
    assert "服务客户数\n3" in cards and "7.0 / 7.5" in cards and "83.3 %" in cards
    assert "3.50 (2)" in cards and "叫号未到\n1" in cards
    assert "李明" not in page.content()
    screenshot(page, "insights-my-performance")
    assert axe_violations(page) == []


def test_the_lobby_manager_compares_the_branchs_tellers(chromium, asgi_server, month,  # noqa: F811
                                                        branch):
    page = signed_in_page(chromium, asgi_server, month.supervisor, **DESK)
    page.goto(f"{asgi_server}/insights/branch/{branch.code}/performance/?month=2026-03")
    rows = page.locator(".perf-table tbody tr")
    assert rows.count() == 2
    assert page.get_attribute(".perf-table tbody tr:has-text('李明') td .stars", "aria-label") == "4星"
    screenshot(page, "insights-teller-performance")
    assert axe_violations(page) == []
