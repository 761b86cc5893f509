import datetime as dt

import pytest

from servicedesk.sla_clock import (
    ROUND_THE_CLOCK,
    SHANGHAI,
    BusinessCalendar,
    add_business_days,
    add_business_hours,
    business_time_between,
    chinese_day_kind,
    fraction_used,
    regulatory_ceiling,
)

CAL = BusinessCalendar(day_kind=chinese_day_kind)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_calendar_knows_2026_make_up_working_days():
    for day in ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]:
        assert chinese_day_kind(dt.date.fromisoformat(day)) == "makeup_workday"


def test_calendar_computes_holidays_by_rule_for_unknown_years():
    assert chinese_day_kind(dt.date(2031, 3, 7)) == "workday"  # a Friday
    assert chinese_day_kind(dt.date(2031, 3, 8)) == "weekend"
    assert chinese_day_kind(dt.date(2027, 2, 8)) == "holiday"  # Monday of Spring Festival


def test_hours_within_one_working_day_skip_the_lunch_break():
    assert add_business_hours(at("2026-03-04T11:00"), 2, CAL) == at("2026-03-04T14:00")


def test_deadline_runs_over_a_weekend():
    # Friday 16:00 + 4 business hours: two hours on Friday, two on Monday morning.
    assert add_business_hours(at("2026-03-06T16:00"), 4, CAL) == at("2026-03-09T11:00")


def test_deadline_runs_over_the_national_day_holiday():
    # Wednesday 30 Sept 16:00 + 1 business day: 1 Oct–7 Oct are public holidays.
    assert add_business_days(at("2026-09-30T16:00"), 1, CAL) == at("2026-10-08T16:00")


def test_make_up_working_saturday_counts():
    # Friday 13 Feb 16:00 + 3 business hours lands on the make-up working Saturday.
    assert add_business_hours(at("2026-02-13T16:00"), 3, CAL) == at("2026-02-14T10:00")


def test_make_up_saturday_then_spring_festival():
    # Saturday 14 Feb is worked, then the Spring Festival runs until Monday 23 Feb.
    assert add_business_days(at("2026-02-14T10:00"), 1, CAL) == at("2026-02-24T10:00")


def test_start_outside_hours_counts_from_next_opening():
    assert add_business_hours(at("2026-03-07T20:00"), 1, CAL) == at("2026-03-09T10:00")


def test_elapsed_time_excludes_nights_weekends_and_lunch():
    elapsed = business_time_between(at("2026-03-06T16:00"), at("2026-03-09T10:30"), CAL)
    assert elapsed == dt.timedelta(hours=3, minutes=30)


def test_pause_moves_the_deadline_by_the_paused_business_time():
    start = at("2026-03-09T09:00")
    pauses = [(at("2026-03-09T10:00"), at("2026-03-09T11:00"))]
    assert add_business_hours(start, 4, CAL, pauses=pauses) == at("2026-03-09T15:00")


def test_open_pause_has_no_deadline_and_stops_elapsed_time():
    start = at("2026-03-09T09:00")
    pauses = [(at("2026-03-09T10:00"), None)]
    assert add_business_hours(start, 4, CAL, pauses=pauses) is None
    assert business_time_between(start, at("2026-03-10T16:00"), CAL, pauses=pauses) == dt.timedelta(hours=1)


def test_overlapping_pauses_are_counted_once():
    start = at("2026-03-09T09:00")
    pauses = [
        (at("2026-03-09T09:30"), at("2026-03-09T10:30")),
        (at("2026-03-09T10:00"), at("2026-03-09T11:00")),
    ]
    assert business_time_between(start, at("2026-03-09T12:00"), CAL, pauses=pauses) == dt.timedelta(
        hours=1, minutes=30
    )


def test_fraction_used_reaches_eighty_percent():
    start = at("2026-03-09T09:00")
    assert fraction_used(start, dt.timedelta(hours=5), at("2026-03-09T13:00"), CAL) == pytest.approx(0.6)
    assert fraction_used(start, dt.timedelta(hours=5), at("2026-03-09T14:00"), CAL) == pytest.approx(0.8)


def test_regulatory_ceiling_is_calendar_days_and_extends_once():
    received = at("2026-09-30T16:00")
    assert regulatory_ceiling(received) == at("2026-10-15T16:00")
    assert regulatory_ceiling(received, complex_case=True) == at("2026-10-30T16:00")
    assert regulatory_ceiling(received, complex_case=True, extended=True) == at("2026-11-29T16:00")


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_business_hours(dt.datetime(2026, 3, 9, 9), 1, CAL)


def test_custom_calendar_and_hours():
    every_day = BusinessCalendar(day_kind=lambda day: "workday", periods=((dt.time(8), dt.time(20)),))
    assert add_business_hours(at("2026-10-01T19:00"), 2, every_day) == at("2026-10-02T09:00")


def test_round_the_clock_calendar_counts_calendar_hours_with_pauses():
    start = at("2026-10-01T20:00")
    assert add_business_hours(start, 48, ROUND_THE_CLOCK) == at("2026-10-03T20:00")
    pauses = [(at("2026-10-02T00:00"), at("2026-10-02T06:00"))]
    assert add_business_hours(start, 48, ROUND_THE_CLOCK, pauses=pauses) == at("2026-10-04T02:00")
