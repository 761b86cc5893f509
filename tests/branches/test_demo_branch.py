"""The demo can be tried at any hour: a clearly marked demo branch is open around the clock, real
branches keep their hours."""

import datetime as dt
import io
import zoneinfo

import pytest
from django.urls import reverse

from branches import demo
from branches.models import Branch

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
NIGHT_OF_SPRING_FESTIVAL = dt.datetime(2027, 2, 8, 3, 0, tzinfo=BEIJING)


@pytest.mark.django_db
def test_the_demo_branch_is_open_at_night_on_a_holiday_and_real_branches_are_not(
        tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "DEMO_TOKENS_FILE", tmp_path / "tokens.json")
    demo.seed(stdout=io.StringIO())
    demo_branch = Branch.objects.get(code=demo.DEMO_BRANCH)
    assert demo_branch.is_demo and "演示" in demo_branch.name_zh_hans
    assert demo_branch.is_open_at(NIGHT_OF_SPRING_FESTIVAL)
    assert demo_branch.is_open_at(dt.datetime(2026, 12, 7, 23, 59, 59, tzinfo=BEIJING))
    for real in Branch.objects.filter(is_demo=False):
        assert not real.is_open_at(NIGHT_OF_SPRING_FESTIVAL)
        assert not real.is_open_at(dt.datetime(2026, 12, 7, 3, 0, tzinfo=BEIJING))


@pytest.mark.django_db
def test_the_branch_list_shows_the_demo_branch_open_at_3am(client, clock):
    demo_branch = Branch.objects.create(code="DEMO01", name_zh_hans="演示网点（24小时营业）",
                                        is_demo=True)
    clock.move_to("2026-12-07T03:00")
    branches = client.get(reverse("api-branch-list")).json()["results"]
    assert [b["is_open_now"] for b in branches if b["code"] == demo_branch.code] == [True]
