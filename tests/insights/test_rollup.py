import datetime as dt

from insights.models import BranchDayStat, HourlyStat, RosterHourStat, TellerDayStat, TellerPresence
from insights.services import rollup_day, rollup_recent
from queueing.models import Ticket
from tests.insights.conftest import DAY


def counts(branch):
    return [m.objects.filter(branch=branch).count()
            for m in (BranchDayStat, HourlyStat, RosterHourStat, TellerDayStat, TellerPresence)]


def test_recomputing_a_day_replaces_it(branch, history):
    rollup_day(branch=branch, day=DAY)
    first = counts(branch)
    rollup_day(branch=branch, day=DAY)
    assert counts(branch) == first == [1, 2, 3, 1, 1]
    assert BranchDayStat.objects.get(branch=branch).arrivals == 5


def test_a_ticket_finished_later_changes_the_day_on_recompute(branch, history):
    rollup_day(branch=branch, day=DAY)
    Ticket.objects.filter(pk=history["tickets"][4].pk).delete()
    rollup_day(branch=branch, day=DAY)
    assert BranchDayStat.objects.get(branch=branch, date=DAY).arrivals == 4


def test_hourly_rows_hold_the_hour_of_issue_in_branch_time(branch, history):
    rollup_day(branch=branch, day=DAY)
    assert dict(HourlyStat.objects.values_list("hour", "arrivals")) == {9: 3, 10: 2}
    roster = {r.hour: (r.staffed_seconds, r.counters_needed) for r in RosterHourStat.objects.all()}
    assert roster == {8: (300, 0), 9: (3600, 1), 10: (3600, 1)}


def test_the_beat_task_rolls_up_today_and_yesterday(branch, other_branch, history):
    from insights.tasks import rollup_recent as task

    task.delay(days=2)
    rollup_recent(days=2, today=DAY + dt.timedelta(days=1))
    assert BranchDayStat.objects.filter(branch=branch, date=DAY).get().served == 3
    assert BranchDayStat.objects.filter(branch=other_branch).count() >= 2
