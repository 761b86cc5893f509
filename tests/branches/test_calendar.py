import datetime as dt
import zoneinfo

import pytest

from branches.calendar import DayKind, day_kind, is_working_day
from branches.models import CalendarException
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
def test_years_the_calendar_package_does_not_know_fall_back_to_weekdays():
    assert day_kind(dt.date(2031, 1, 6)) == DayKind.WORKDAY
    assert day_kind(dt.date(2031, 1, 4)) == DayKind.WEEKEND


@pytest.mark.django_db
def test_head_office_can_declare_a_future_holiday_and_make_up_day():
    CalendarException.objects.create(date=dt.date(2031, 1, 1), kind="holiday")
    CalendarException.objects.create(date=dt.date(2031, 1, 4), kind="makeup_workday")
    assert not is_working_day(dt.date(2031, 1, 1))
    assert is_working_day(dt.date(2031, 1, 4))


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
