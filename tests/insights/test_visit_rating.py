"""Visit ratings (1–5, offered on the e-receipt after a counter service) in the daily roll-up and on
the dashboards, apart from the 0–10 work-order survey score."""

import csv
import datetime as dt
import io
import itertools

import pytest
import time_machine

from insights import kpis
from insights.models import BranchDayStat
from insights.services import rollup_day
from servicedesk.models import VisitSurvey, WorkOrderKind
from servicedesk.services import visit_survey_answer, visit_survey_invite
from tests.insights.conftest import DAY, at

PERIOD = {"start": DAY.isoformat(), "end": DAY.isoformat()}
_refs = itertools.count(1)


def rated(branch, score, *, answered):
    """A visit survey answered at ``answered`` (None: invited but never answered)."""
    invited = (answered or at(9)) - dt.timedelta(hours=1)
    return VisitSurvey.objects.create(
        visit_ref=f"counter.ServiceRecord:{next(_refs)}", branch=branch, service_name="个人开户",
        invited_at=invited, expires_at=invited + dt.timedelta(days=7),
        score=score if answered else None, answered_at=answered)


def figures(branch, day=DAY):
    row = rollup_day(branch=branch, day=day)
    totals = {f.name: getattr(row, f.name) for f in BranchDayStat._meta.get_fields()
              if f.get_internal_type().endswith("IntegerField")}
    return {kpi.key: value for kpi, value in kpis.evaluate(totals)}


@pytest.fixture
def ratings(branch):
    for hour, score in zip((9, 10, 11, 14, 16), (5, 4, 5, 2, 1), strict=True):
        rated(branch, score, answered=at(hour))
    rated(branch, 5, answered=at(23, 59))  # late that evening, branch time: still the day
    rated(branch, 1, answered=at(0, 5, DAY + dt.timedelta(days=1)))  # the next day
    rated(branch, 1, answered=at(23, 50, DAY - dt.timedelta(days=1)))  # the day before
    rated(branch, 3, answered=None)  # invited, never answered


def test_the_day_gives_the_mean_rating_the_count_and_the_share_of_low_ones(branch, ratings):
    day = figures(branch)
    assert day["visits_rated"] == 6
    assert day["visit_rating"] == pytest.approx(22 / 6)
    assert day["visit_low_share"] == pytest.approx(2 / 6)  # the 2 and the 1 open a follow-up


def test_visit_ratings_do_not_change_the_work_order_survey_score(branch, ratings):
    day = figures(branch)
    assert day["survey_score"] is None and day["nps"] is None


def test_a_day_without_visit_ratings_shows_no_rating_rather_than_zero(branch, ratings):
    day = figures(branch, DAY + dt.timedelta(days=3))
    assert day["visit_rating"] is None and day["visit_low_share"] is None
    assert day["visits_rated"] == 0


def test_low_means_what_opens_a_follow_up_under_the_service_desk_policy(branch, ratings, settings):
    settings.SERVICEDESK_VISIT_SURVEY = {"follow_up_at_most": 1}
    assert figures(branch)["visit_low_share"] == pytest.approx(1 / 6)


def test_another_branch_ratings_never_count_in_this_branch(branch, other_branch, ratings):
    for score in (1, 1, 1):
        rated(other_branch, score, answered=at(12))
    assert figures(branch)["visit_rating"] == pytest.approx(22 / 6)
    other = figures(other_branch)
    assert (other["visits_rated"], other["visit_rating"], other["visit_low_share"]) == (3, 1, 1)


def test_a_rating_answered_through_the_service_desk_is_counted(branch):
    with time_machine.travel(at(10, 30), tick=False):
        good = visit_survey_invite(visit_ref="counter.ServiceRecord:901", branch=branch,
                                   service_name="个人开户", ticket_number="A001", now=at(10, 20))
        low = visit_survey_invite(visit_ref="counter.ServiceRecord:902", branch=branch,
                                  service_name="个人开户", ticket_number="A002", now=at(10, 25))
        visit_survey_answer(survey=good, score=5)
        low = visit_survey_answer(survey=low, score=2, comment="等太久了")
    assert low.follow_up is not None and low.follow_up.kind == WorkOrderKind.FOLLOW_UP
    day = figures(branch)
    assert (day["visits_rated"], day["visit_rating"], day["visit_low_share"]) == (2, 3.5, 0.5)


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def rolled_up(branch, other_branch, ratings):
    branch.region, other_branch.region = "North", "South"
    branch.save(update_fields=["region"])
    other_branch.save(update_fields=["region"])
    rated(other_branch, 1, answered=at(12))
    for b in (branch, other_branch):
        rollup_day(branch=b, day=DAY)


def kpi_rows(client, user, url, **params):
    response = get(client, user, url, export="kpis", **PERIOD, **params)
    return {r[0]: r[1] for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))}


def test_the_branch_dashboard_shows_the_visit_rating_of_its_own_visits(client, branch_admin, branch,
                                                                      rolled_up):
    page = get(client, branch_admin, f"/insights/branch/{branch.code}/", **PERIOD).content.decode()
    assert "Visit rating" in page and "3.7" in page and "Low visit ratings" in page
    figures = kpi_rows(client, branch_admin, f"/insights/branch/{branch.code}/")
    assert figures["Visit rating"] == str(round(22 / 6, 4))
    assert figures["Visits rated"] == "6"
    assert figures["Low visit ratings"] == str(round(2 / 6, 4))


def test_head_office_sees_the_visit_rating_per_region_and_drills_into_a_branch(
        client, head_office_admin, branch, other_branch, rolled_up):
    page = get(client, head_office_admin, "/insights/", **PERIOD).content.decode()
    assert "Visit rating" in page
    assert kpi_rows(client, head_office_admin, "/insights/")["Visit rating"] == str(round(23 / 7, 4))
    response = get(client, head_office_admin, "/insights/", export="rows", **PERIOD)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    column = rows[0].index("Visit rating")
    by_region = {row[0]: row[column] for row in rows[1:]}
    assert by_region == {"North": str(round(22 / 6, 4)), "South": "1.0"}
    south = kpi_rows(client, head_office_admin, f"/insights/branch/{other_branch.code}/")
    assert south["Visit rating"] == "1.0" and south["Visits rated"] == "1"


def test_the_indicator_reads_in_chinese(client, head_office_admin, branch, rolled_up):
    client.force_login(head_office_admin)
    page = client.get(f"/insights/branch/{branch.code}/", PERIOD,
                      HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "到店服务评分" in page and "低分评价占比" in page


def test_past_days_get_their_ratings_back_with_the_rollup_command(branch, ratings, other_branch):
    """After an upgrade that adds an indicator, operators recompute past days in one command."""
    from django.core.management import CommandError, call_command

    BranchDayStat.objects.all().delete()
    with time_machine.travel(at(12, 0, DAY + dt.timedelta(days=5)), tick=False):
        call_command("insights_rollup", "--days", "7", "--branch", branch.code, stdout=io.StringIO())
        with pytest.raises(CommandError):
            call_command("insights_rollup", "--branch", "NOPE", stdout=io.StringIO())
    row = BranchDayStat.objects.get(branch=branch, date=DAY)
    assert (row.visit_surveys, row.visit_score_sum) == (6, 22)
    assert not BranchDayStat.objects.filter(branch=other_branch).exists()
