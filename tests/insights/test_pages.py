import csv
import io

import pytest

from branches.people import person_name
from branches.roles import Role
from insights.services import rollup_day
from tests.insights.conftest import DAY, build_history

PERIOD = {"start": DAY.isoformat(), "end": DAY.isoformat()}


@pytest.fixture
def rolled_up(branch, other_branch, history):
    other_branch.region = "South"
    other_branch.save(update_fields=["region"])
    branch.region = "North"
    branch.save(update_fields=["region"])
    build_history(other_branch)
    for b in (branch, other_branch):
        rollup_day(branch=b, day=DAY)


def get(client, user, url, **params):
    if user is not None:
        client.force_login(user)
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")


def test_head_office_sees_every_region_then_drills_into_a_branch(client, head_office_admin, rolled_up,
                                                                 branch):
    page = get(client, head_office_admin, "/insights/", **PERIOD).content.decode()
    assert "North" in page and "South" in page
    page = get(client, head_office_admin, "/insights/", region="North", **PERIOD).content.decode()
    assert branch.code in page and f"/insights/branch/{branch.code}/" in page


def test_branch_page_drills_down_to_zone_service_and_teller(client, head_office_admin, rolled_up,
                                                            branch, history):
    service = history["service"]
    page = get(client, head_office_admin, f"/insights/branch/{branch.code}/", **PERIOD).content.decode()
    assert f"zone={service.zone_kind}" in page
    page = get(client, head_office_admin, f"/insights/branch/{branch.code}/", zone=service.zone_kind,
               service=service.pk, **PERIOD).content.decode()
    assert service.name in page
    assert person_name(history["teller"]) in page
    assert page.count("<svg class=\"chart\"") == 3  # heatmap, wait distribution, trend (not the icons)


@pytest.mark.parametrize("role", [Role.LOBBY_MANAGER, Role.BRANCH_ADMIN])
def test_branch_staff_see_only_their_branch(client, users_by_role, role, rolled_up, branch, other_branch):
    user = users_by_role[role]
    assert get(client, user, f"/insights/branch/{branch.code}/", **PERIOD).status_code == 200
    assert get(client, user, f"/insights/branch/{other_branch.code}/").status_code == 404
    assert get(client, user, f"/insights/branch/{other_branch.code}/staffing/").status_code == 404
    response = get(client, user, "/insights/")
    assert response.status_code == 302 and response.url == f"/insights/branch/{branch.code}/"


@pytest.mark.parametrize("role", [Role.TELLER, Role.WEALTH_MANAGER, Role.COMPLIANCE_OFFICER,
                                  Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD, Role.CUSTOMER])
def test_other_roles_are_refused(client, users_by_role, role, branch):
    user = users_by_role[role]
    assert get(client, user, "/insights/").status_code == 403
    assert get(client, user, f"/insights/branch/{branch.code}/").status_code == 403


def test_visitors_are_sent_to_sign_in(client, branch):
    assert get(client, None, f"/insights/branch/{branch.code}/").status_code == 302


def test_head_office_may_open_any_branch(client, head_office_admin, other_branch):
    assert get(client, head_office_admin, f"/insights/branch/{other_branch.code}/").status_code == 200


def test_every_table_exports_as_csv(client, head_office_admin, rolled_up, branch):
    response = get(client, head_office_admin, f"/insights/branch/{branch.code}/", export="waits",
                   **PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1] == ["< 5", "2"] and rows[5] == ["< 30", "2"]
    page = get(client, head_office_admin, "/insights/", export="rows", **PERIOD).content.decode("utf-8-sig")
    assert "North" in page and "South" in page


def test_an_unknown_export_is_not_found(client, head_office_admin, branch):
    assert get(client, head_office_admin, f"/insights/branch/{branch.code}/", export="x").status_code == 404


def test_a_reversed_period_is_refused_with_a_message(client, head_office_admin):
    response = get(client, head_office_admin, "/insights/", start="2026-03-05", end="2026-03-01")
    assert response.status_code == 400
    assert "start date" in response.content.decode()


def staffing_rows(client, user, branch):
    response = get(client, user, f"/insights/branch/{branch.code}/staffing/", weekday=1, weeks=52,
                   export="staffing")
    return {r[0]: r for r in list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]}


def test_staffing_page_recommends_counters_beside_the_roster(client, branch_admin, branch, rolled_up):
    rows = staffing_rows(client, branch_admin, branch)
    # 09:00: 3 arrivals, 6.7 minutes each → 1 counter recommended, 1 was open: fine.
    assert rows["09:00"][3:] == ["1", "1.0", ""]
    page = get(client, branch_admin, f"/insights/branch/{branch.code}/staffing/", weekday=1,
               weeks=52).content.decode()
    assert "<svg" in page and "Counters recommended" in page and "Under-staffed" not in page


def test_hours_without_an_open_counter_are_understaffed(client, branch_admin, branch, history):
    from queueing.models import CounterSession

    CounterSession.objects.filter(counter=history["counter"]).delete()
    rollup_day(branch=branch, day=DAY)
    rows = staffing_rows(client, branch_admin, branch)
    assert rows["09:00"][3:] == ["1", "0.0", "under"]


def test_the_heatmap_averages_over_the_open_days_of_each_weekday(client, head_office_admin, branch, history):
    import datetime as dt

    build_history(branch, day=DAY + dt.timedelta(days=7))  # a second Monday, same tickets
    for day in (DAY, DAY + dt.timedelta(days=7)):
        rollup_day(branch=branch, day=day)
    response = get(client, head_office_admin, f"/insights/branch/{branch.code}/", export="heatmap",
                   start=DAY.isoformat(), end=(DAY + dt.timedelta(days=7)).isoformat())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1:] == ["09", "10"]
    assert rows[1][1:] == ["3.0", "2.0"]  # Monday: 3 tickets at 09:00 and 2 at 10:00 each week
    assert rows[2][1:] == ["0", "0"]
