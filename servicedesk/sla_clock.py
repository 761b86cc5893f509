"""Business-hours arithmetic for SLA clocks.

Pure Python: the calendar (which days are worked, and the working periods of a worked day) is
passed in, so this module needs neither Django nor a database and is easy to test with frozen
dates. `branches.calendar.day_kind` is the production calendar; `chinese_day_kind` below is a
stand-alone one for tests and benchmarks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

# A bank's back office works 09:00–12:00 and 13:00–18:00: eight business hours a day.
DEFAULT_PERIODS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(9, 0), dt.time(12, 0)),
    (dt.time(13, 0), dt.time(18, 0)),
)
WORKING_KINDS = frozenset({"workday", "makeup_workday"})
# No real target spans more than a few months; the cap stops a calendar with no working days
# from looping forever.
MAX_DAYS_SCANNED = 3 * 366

Pause = tuple[dt.datetime, dt.datetime | None]


def chinese_day_kind(day: dt.date) -> str:
    """Day kind from `chinesecalendar`; for years it does not know, the statutory holidays by rule
    (the `holidays` package) without make-up working days, as `branches.calendar` does."""
    import chinese_calendar
    import holidays

    try:
        _, holiday_name = chinese_calendar.get_holiday_detail(day)
        is_workday = chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day in holidays.China(years=day.year):
            return "holiday"
        return "workday" if day.weekday() < 5 else "weekend"
    if is_workday:
        return "workday" if day.weekday() < 5 else "makeup_workday"
    # The package reports plain weekends as "holidays" too; only named ones are public holidays.
    return "holiday" if holiday_name else "weekend"


def _kind_value(kind: object) -> str:
    return str(getattr(kind, "value", kind)).lower()


@dataclass(frozen=True)
class BusinessCalendar:
    day_kind: Callable[[dt.date], object] = chinese_day_kind
    periods: Sequence[tuple[dt.time, dt.time]] = field(default=DEFAULT_PERIODS)
    tz: dt.tzinfo = SHANGHAI

    def is_working_day(self, day: dt.date) -> bool:
        return _kind_value(self.day_kind(day)) in WORKING_KINDS

    @property
    def hours_per_day(self) -> dt.timedelta:
        return sum((_span(a, b) for a, b in self.periods), dt.timedelta())


def _span(start: dt.time, end: dt.time) -> dt.timedelta:
    day = dt.date(2000, 1, 1)
    # A period that "closes" at or before it opens runs past midnight (00:00–00:00 is all day).
    end_day = day + dt.timedelta(days=1) if end <= start else day
    return dt.datetime.combine(end_day, end) - dt.datetime.combine(day, start)


def _require_aware(*moments: dt.datetime | None) -> None:
    for moment in moments:
        if moment is not None and moment.tzinfo is None:
            raise ValueError("SLA clocks need timezone-aware datetimes")


def working_intervals(
    start: dt.datetime, calendar: BusinessCalendar
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Working periods from `start` onwards, the first one clipped to start at `start`."""
    _require_aware(start)
    local = start.astimezone(calendar.tz)
    day = local.date()
    for _ in range(MAX_DAYS_SCANNED):
        if calendar.is_working_day(day):
            for opens, closes in calendar.periods:
                begin = dt.datetime.combine(day, opens, tzinfo=calendar.tz)
                end = begin + _span(opens, closes)
                if end > local:
                    yield max(begin, local), end
        day += dt.timedelta(days=1)


def next_working_moment(moment: dt.datetime, calendar: BusinessCalendar) -> dt.datetime:
    """`moment` if it falls in a working period, else the start of the next one."""
    for begin, _end in working_intervals(moment, calendar):
        return begin
    return moment


def _merged_pauses(pauses: Iterable[Pause]) -> list[tuple[dt.datetime, dt.datetime | None]]:
    ordered = sorted(((s, e) for s, e in pauses), key=lambda p: p[0])
    merged: list[tuple[dt.datetime, dt.datetime | None]] = []
    for start, end in ordered:
        _require_aware(start, end)
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            last_start, last_end = merged[-1]
            new_end = None if end is None or last_end is None else max(last_end, end)
            merged[-1] = (last_start, new_end)
        else:
            merged.append((start, end))
    return merged


def _running_intervals(
    start: dt.datetime, calendar: BusinessCalendar, pauses: Iterable[Pause]
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Working intervals from `start` with paused spans cut out; stops at an open (ongoing) pause."""
    merged = _merged_pauses(pauses)
    for begin, end in working_intervals(start, calendar):
        cursor = begin
        for p_start, p_end in merged:
            if p_end is not None and p_end <= cursor:
                continue
            if p_start >= end:
                break
            if p_start > cursor:
                yield cursor, p_start
            if p_end is None:
                return
            cursor = max(cursor, p_end)
        if cursor < end:
            yield cursor, end


def _every_day(day: dt.date) -> str:
    return "workday"


# Calendar hours expressed as a calendar, so pauses work the same way on both clocks.
ROUND_THE_CLOCK = BusinessCalendar(day_kind=_every_day, periods=((dt.time(0), dt.time(0)),))


def add_business_time(
    start: dt.datetime,
    duration: dt.timedelta,
    calendar: BusinessCalendar,
    *,
    pauses: Iterable[Pause] = (),
) -> dt.datetime | None:
    """The instant at which `duration` of running business time has passed since `start`.

    Paused spans do not count. Returns None while a pause is still open: the clock is stopped and
    has no deadline until it resumes.
    """
    remaining = duration
    if remaining <= dt.timedelta():
        return start
    for begin, end in _running_intervals(start, calendar, pauses):
        if end - begin >= remaining:
            return begin + remaining
        remaining -= end - begin
    return None


def add_business_hours(
    start: dt.datetime, hours: float, calendar: BusinessCalendar, **kw
) -> dt.datetime | None:
    return add_business_time(start, dt.timedelta(hours=hours), calendar, **kw)


def add_business_days(
    start: dt.datetime, days: float, calendar: BusinessCalendar, **kw
) -> dt.datetime | None:
    """A business day is one full working day's hours, so Friday 10:00 + 1 day is Monday 10:00."""
    return add_business_time(start, calendar.hours_per_day * days, calendar, **kw)


def business_time_between(
    start: dt.datetime,
    end: dt.datetime,
    calendar: BusinessCalendar,
    *,
    pauses: Iterable[Pause] = (),
) -> dt.timedelta:
    """Running business time in [start, end), excluding paused spans (an open pause runs to `end`)."""
    _require_aware(start, end)
    total = dt.timedelta()
    if end <= start:
        return total
    for begin, stop in _running_intervals(start, calendar, pauses):
        if begin >= end:
            break
        total += min(stop, end) - begin
    return total


def fraction_used(
    start: dt.datetime,
    target: dt.timedelta,
    now: dt.datetime,
    calendar: BusinessCalendar,
    *,
    pauses: Iterable[Pause] = (),
) -> float:
    """Share of a target's business time used so far (1.0 = due now, above 1.0 = breached)."""
    if target <= dt.timedelta():
        return 1.0
    return business_time_between(start, now, calendar, pauses=pauses) / target


# The regulator's limits on handling a consumer complaint are calendar days from receipt.
REGULATORY_DAYS = 15
REGULATORY_DAYS_COMPLEX = 30
REGULATORY_EXTENSION_DAYS = 30


def regulatory_ceiling(
    received_at: dt.datetime, *, complex_case: bool = False, extended: bool = False
) -> dt.datetime:
    """The hard latest resolution time for a complaint; pauses never move it."""
    _require_aware(received_at)
    days = REGULATORY_DAYS_COMPLEX if complex_case else REGULATORY_DAYS
    if extended:
        days += REGULATORY_EXTENSION_DAYS
    return received_at + dt.timedelta(days=days)
