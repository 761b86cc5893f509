"""Slot generation, checked against cases computed by hand."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from appointments.slots import (
    Counter,
    SlotRules,
    generate_slots,
    next_free,
    slot_capacity,
    slots_on,
    weekly_periods,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
MORNING_AND_AFTERNOON = [(time(9), time(12)), (time(13), time(17))]
DEPOSIT = frozenset({"deposit"})
ONE_PLACE = SlotRules(slot_minutes=30, service_minutes=30, walk_in_share=0.0, lead_time=timedelta(0))


def counters(n, skills=DEPOSIT, **kw):
    return [Counter(id=i, skills=skills, **kw) for i in range(1, n + 1)]


def day_slots(periods=MORNING_AND_AFTERNOON, *, staff=None, rules=ONE_PLACE, skills=DEPOSIT):
    return slots_on(
        date(2025, 9, 30),
        periods=periods,
        counters=staff if staff is not None else counters(1),
        required_skills=skills,
        rules=rules,
        tz=SHANGHAI,
    )


def test_nine_to_five_with_lunch_gives_fourteen_half_hour_slots():
    slots = day_slots()

    assert len(slots) == 14
    assert [s.start.strftime("%H:%M") for s in slots][5:7] == ["11:30", "13:00"]
    assert slots[0].start == datetime(2025, 9, 30, 9, 0, tzinfo=SHANGHAI)
    assert slots[-1].end == datetime(2025, 9, 30, 17, 0, tzinfo=SHANGHAI)


def test_a_branch_wide_break_removes_the_slots_it_touches():
    rules = SlotRules(**{**ONE_PLACE.__dict__, "breaks": ((time(12), time(13)),)})

    slots = day_slots([(time(9), time(17))], rules=rules)

    assert len(slots) == 14


def test_a_period_that_does_not_fill_the_last_slot_drops_it():
    assert len(day_slots([(time(9), time(10, 45))])) == 3


def test_capacity_keeps_the_walk_in_share_of_counter_time():
    # 3 counters x 30 min x (1 - 0.5) = 45 counter-minutes, 15 min per appointment -> 3 places.
    assert slot_capacity(counters=3, rules=SlotRules(service_minutes=15, walk_in_share=0.5)) == 3
    # 1 counter x 30 min x 0.3 = 9 minutes: not enough for one 15-minute appointment.
    assert slot_capacity(counters=1, rules=SlotRules(service_minutes=15, walk_in_share=0.7)) == 0
    assert slot_capacity(counters=2, rules=SlotRules(service_minutes=20, walk_in_share=0.0)) == 3


def test_only_counters_whose_skills_cover_the_service_count():
    staff = counters(2) + [Counter(id=9, skills=frozenset({"foreign_exchange"}))]
    rules = SlotRules(service_minutes=30, walk_in_share=0.0, lead_time=timedelta(0))

    assert {s.capacity for s in day_slots(staff=staff, rules=rules)} == {2}
    assert day_slots(staff=staff, rules=rules, skills=frozenset({"deposit", "wealth"})) == []


def test_a_counter_on_break_gives_no_capacity_during_its_break():
    staff = counters(1) + [Counter(id=2, skills=DEPOSIT, breaks=((time(15), time(15, 30)),))]

    by_start = {s.start.time(): s.capacity for s in day_slots(staff=staff)}

    assert by_start[time(14, 30)] == 2
    assert by_start[time(15)] == 1
    assert by_start[time(15, 30)] == 2


def test_lead_time_hides_slots_starting_too_soon():
    rules = SlotRules(
        slot_minutes=30, service_minutes=30, walk_in_share=0.0, lead_time=timedelta(hours=2), horizon_days=0
    )
    now = datetime(2025, 9, 30, 10, 10, tzinfo=SHANGHAI)

    slots = generate_slots(
        now=now, periods_on=lambda d: MORNING_AND_AFTERNOON, counters=counters(1), rules=rules, tz=SHANGHAI
    )

    # 10:10 + 2 h = 12:10: the morning is gone, the afternoon (13:00-17:00) gives 8 slots.
    assert [s.start.time() for s in slots][:1] == [time(13)]
    assert len(slots) == 8


def test_slots_cover_the_booking_horizon_across_national_day_and_a_makeup_saturday():
    # National Day 2025: 1-8 October off; Saturday 11 October is a make-up working day.
    holidays = {date(2025, 10, d) for d in range(1, 9)}
    makeup = {date(2025, 9, 28), date(2025, 10, 11)}

    def day_kind(day):
        if day in holidays:
            return "holiday"
        if day in makeup:
            return "makeup_workday"
        return "weekend" if day.weekday() >= 5 else "workday"

    periods_on = weekly_periods({wd: MORNING_AND_AFTERNOON for wd in range(5)}, day_kind=day_kind)
    rules = SlotRules(
        slot_minutes=30, service_minutes=30, walk_in_share=0.0, lead_time=timedelta(hours=2), horizon_days=14
    )
    now = datetime(2025, 9, 30, 8, 0, tzinfo=SHANGHAI)

    slots = generate_slots(now=now, periods_on=periods_on, counters=counters(1), rules=rules, tz=SHANGHAI)

    per_day = {}
    for s in slots:
        per_day[s.start.date()] = per_day.get(s.start.date(), 0) + 1
    assert per_day == {
        date(2025, 9, 30): 12,  # from 10:00 (08:00 + lead time)
        date(2025, 10, 9): 14,
        date(2025, 10, 10): 14,
        date(2025, 10, 11): 14,  # make-up Saturday
        date(2025, 10, 13): 14,
        date(2025, 10, 14): 14,  # last day of the 14-day horizon
    }


def test_a_chosen_day_narrows_but_never_widens_the_range():
    rules = SlotRules(
        slot_minutes=30, service_minutes=30, walk_in_share=0.0, lead_time=timedelta(0), horizon_days=3
    )
    now = datetime(2025, 9, 29, 8, 0, tzinfo=SHANGHAI)
    common = dict(
        now=now, periods_on=lambda d: MORNING_AND_AFTERNOON, counters=counters(1), rules=rules, tz=SHANGHAI
    )

    assert {
        s.start.date()
        for s in generate_slots(**common, first_day=date(2025, 10, 1), last_day=date(2025, 10, 1))
    } == {date(2025, 10, 1)}
    assert generate_slots(**common, first_day=date(2025, 10, 5)) == []


def test_naive_now_is_refused():
    with pytest.raises(ValueError):
        generate_slots(
            now=datetime(2025, 9, 30, 8), periods_on=lambda d: (), counters=[], rules=ONE_PLACE, tz=SHANGHAI
        )


def test_next_free_skips_full_slots():
    slots = day_slots()
    booked = {slots[0].start: 1, slots[1].start: 1}

    assert [s.start.time() for s in next_free(slots, booked, after=slots[0].start, limit=2)] == [
        time(10),
        time(10, 30),
    ]


def test_distance_between_tiananmen_and_zhongguancun_is_about_twelve_km():
    from appointments.geo import distance_km

    assert 11.0 < distance_km(39.9042, 116.3975, 39.9834, 116.3162) < 12.5
    assert distance_km(39.9, 116.4, 39.9, 116.4) == 0
