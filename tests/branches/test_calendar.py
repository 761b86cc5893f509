import datetime as dt
import zoneinfo

import pytest

from branches.calendar import DayKind, calendar_day, confirmed_until, day_kind, is_working_day
from branches.models import CalendarException, ScheduleDay, ScheduleYear
from tests.factories import make_branch

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "kind"), [
    (dt.date(2026, 10, 1), DayKind.HOLIDAY),          # National Day
    (dt.date(2026, 10, 10), DayKind.MAKEUP_WORKDAY),  # Saturday worked for the Golden Week
    (dt.date(2026, 10, 9), DayKind.WORKDAY),
    (dt.date(2026, 10, 11), DayKind.WEEKEND),
    (dt.date(2026, 2, 17), DayKind.HOLIDAY),          # Spring Festival
    (dt.date(2026, 2, 28), DayKind.MAKEUP_WORKDAY),
])
def test_public_holidays_and_make_up_days_follow_the_state_calendar(day, kind):
    assert day_kind(day) == kind


@pytest.mark.django_db
@pytest.mark.parametrize(("day", "name"), [
    (dt.date(2027, 1, 1), "元旦"),
    (dt.date(2027, 2, 8), "春节"),          # Monday of Spring Festival (lunar new year 2027-02-06)
    (dt.date(2027, 2, 9), "春节（补假）"),  # the Saturday and Sunday of the festival given back
    (dt.date(2027, 10, 1), "国庆节"),
    (dt.date(2027, 10, 4), "国庆节（补假）"),
    (dt.date(2031, 1, 22), "农历除夕"),     # Chinese New Year's Eve, from the lunar calendar
])
def test_holidays_of_a_year_without_a_published_schedule_are_computed_by_rule(day, name):
    known = calendar_day(day)
    assert known.kind == DayKind.HOLIDAY
    assert known.name == name
    assert known.provisional


@pytest.mark.django_db
def test_a_provisional_year_has_ordinary_working_days_and_weekends_around_the_holidays():
    assert day_kind(dt.date(2027, 2, 11)) == DayKind.WORKDAY   # Thursday after the festival
    assert day_kind(dt.date(2027, 2, 13)) == DayKind.WEEKEND
    assert not calendar_day(dt.date(2026, 6, 1)).provisional    # 2026 is published


@pytest.mark.django_db
def test_branch_shows_closed_in_spring_festival_week_of_a_provisional_year():
    branch = make_branch(weekdays=range(5))
    assert branch.hours_on(dt.date(2027, 2, 8)) == []
    assert branch.hours_on(dt.date(2027, 2, 11)) != []


@pytest.mark.django_db
def test_a_confirmed_year_follows_head_office_entries_only():
    ScheduleYear.objects.create(year=2031, status=ScheduleYear.Status.CONFIRMED)
    ScheduleDay.objects.create(date=dt.date(2031, 1, 1), kind="holiday", name="元旦")
    ScheduleDay.objects.create(date=dt.date(2031, 1, 4), kind="makeup_workday", name="元旦调休")
    assert not is_working_day(dt.date(2031, 1, 1))
    assert day_kind(dt.date(2031, 1, 4)) == DayKind.MAKEUP_WORKDAY
    # The rule would give New Year's Eve off; the confirmed schedule does not list it.
    assert day_kind(dt.date(2031, 1, 22)) == DayKind.WORKDAY
    assert not calendar_day(dt.date(2031, 1, 22)).provisional


@pytest.mark.django_db
def test_confirmed_horizon_runs_to_the_last_confirmed_year_in_a_row():
    assert confirmed_until() == dt.date(2026, 12, 31)
    ScheduleYear.objects.create(year=2028, status=ScheduleYear.Status.CONFIRMED)
    assert confirmed_until() == dt.date(2026, 12, 31)
    ScheduleYear.objects.create(year=2027, status=ScheduleYear.Status.CONFIRMED)
    assert confirmed_until() == dt.date(2028, 12, 31)


@pytest.mark.django_db
def test_regional_and_branch_exceptions_apply_on_top_of_the_national_calendar():
    guangxi = make_branch(weekdays=range(5))
    guangxi.region = "广西"
    guangxi.save(update_fields=["region"])
    beijing = make_branch(weekdays=range(5))
    # 壮族三月三 is a holiday in Guangxi only (2027-04-09 is a Friday).
    ScheduleDay.objects.create(date=dt.date(2027, 4, 9), kind="holiday", name="三月三",
                               scope="region", region="广西")
    ScheduleDay.objects.create(date=dt.date(2027, 4, 10), kind="makeup_workday", name="网点调休",
                               scope="branch", branch=beijing)
    assert day_kind(dt.date(2027, 4, 9), branch=guangxi) == DayKind.HOLIDAY
    assert day_kind(dt.date(2027, 4, 9), branch=beijing) == DayKind.WORKDAY
    assert day_kind(dt.date(2027, 4, 9)) == DayKind.WORKDAY
    assert beijing.hours_on(dt.date(2027, 4, 10)) != []
    assert guangxi.hours_on(dt.date(2027, 4, 10)) == []


@pytest.mark.django_db
def test_branch_is_closed_on_a_public_holiday_even_though_it_opens_weekends():
    branch = make_branch(weekdays=range(7))
    assert branch.hours_on(dt.date(2026, 10, 1)) == []
    assert not branch.is_open_at(dt.datetime(2026, 10, 1, 10, tzinfo=SHANGHAI))


@pytest.mark.django_db
def test_make_up_saturday_keeps_regular_weekday_hours():
    branch = make_branch(weekdays=range(5), opens=dt.time(9), closes=dt.time(17))
    assert branch.hours_on(dt.date(2026, 10, 10)) == [(dt.time(9), dt.time(17))]
    assert branch.hours_on(dt.date(2026, 10, 17)) == []  # an ordinary Saturday: closed


@pytest.mark.django_db
def test_lunch_break_splits_the_day_and_closes_the_branch():
    branch = make_branch(weekdays=[])
    branch.opening_hours.create(weekday=0, opens=dt.time(9), closes=dt.time(17),
                                break_start=dt.time(12), break_end=dt.time(13))
    monday = dt.date(2026, 11, 23)
    assert branch.hours_on(monday) == [(dt.time(9), dt.time(12)), (dt.time(13), dt.time(17))]
    assert branch.is_open_at(dt.datetime(2026, 11, 23, 11, 59, tzinfo=SHANGHAI))
    assert not branch.is_open_at(dt.datetime(2026, 11, 23, 12, 30, tzinfo=SHANGHAI))
    assert not branch.is_open_at(dt.datetime(2026, 11, 23, 17, 0, tzinfo=SHANGHAI))


@pytest.mark.django_db
def test_branch_special_hours_and_closures_override_the_week():
    branch = make_branch()
    CalendarException.objects.create(branch=branch, date=dt.date(2026, 11, 24), kind="closed")
    CalendarException.objects.create(branch=branch, date=dt.date(2026, 10, 2),
                                     kind="special_hours", opens=dt.time(10), closes=dt.time(15))
    assert branch.hours_on(dt.date(2026, 11, 24)) == []
    assert branch.hours_on(dt.date(2026, 10, 2)) == [(dt.time(10), dt.time(15))]


@pytest.mark.django_db
def test_opening_hours_must_open_before_they_close():
    from django.db import IntegrityError, transaction

    branch = make_branch(weekdays=[])
    with pytest.raises(IntegrityError), transaction.atomic():
        branch.opening_hours.create(weekday=0, opens=dt.time(17), closes=dt.time(9))
