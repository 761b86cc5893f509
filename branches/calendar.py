"""Working days in mainland China: weekends, public holidays and make-up working days (调休).

`day_kind(day, branch=...)` is the one entry point every app uses (opening hours, booking slots,
SLA clocks). A day's kind comes from the first source that knows it:

1. head office's entries for the branch, then for the branch's region (ScheduleDay);
2. head office's national entries (ScheduleDay), imported from the State Council's notice;
3. a year head office confirmed: every other day is a plain weekday or weekend;
4. the published calendar bundled in `chinesecalendar` (the notices up to the year it knows);
5. otherwise the year is *provisional*: the statutory holidays computed by rule by the `holidays`
   package (fixed dates and the lunar ones, with weekend days given back on the next working
   days), and no make-up working days, since only the notice announces those.

An unknown year is never all working days.
"""

import datetime as dt
import functools
from dataclasses import dataclass

import chinese_calendar
import holidays
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

FIRST_RULE_YEAR = 2000


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("Working day")
    WEEKEND = "weekend", _("Weekend")
    HOLIDAY = "holiday", _("Public holiday")
    MAKEUP_WORKDAY = "makeup_workday", _("Make-up working day")


class Source(models.TextChoices):
    BRANCH = "branch", _("Branch exception")
    REGION = "region", _("Regional exception")
    NATIONAL = "national", _("Official schedule")
    CONFIRMED = "confirmed", _("Official schedule")
    PUBLISHED = "published", _("Published calendar")
    RULE = "rule", _("Statutory rule (provisional)")


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    kind: DayKind
    name: str
    source: Source
    provisional: bool

    @property
    def is_working(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)


def _plain(day: dt.date) -> DayKind:
    return DayKind.WORKDAY if day.weekday() < 5 else DayKind.WEEKEND


@functools.cache
def published_years() -> frozenset[int]:
    """Years whose official schedule the bundled `chinesecalendar` carries."""
    known = set()
    for year in range(2004, 2101):
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            continue
        known.add(year)
    return frozenset(known)


@functools.lru_cache(maxsize=64)
def _statutory(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year, language="zh_CN")


def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The statutory holidays of `year` by rule, with weekend days given back as days off."""
    return dict(sorted(_statutory(year).items()))


def _published_day(day: dt.date) -> CalendarDay:
    working = chinese_calendar.is_workday(day)
    _is_holiday, holiday_name = chinese_calendar.get_holiday_detail(day)
    if working:
        kind = DayKind.MAKEUP_WORKDAY if day.weekday() >= 5 else DayKind.WORKDAY
    else:
        kind = DayKind.HOLIDAY if holiday_name else DayKind.WEEKEND
    name = _statutory(day.year).get(day, "") if kind == DayKind.HOLIDAY else ""
    return CalendarDay(day, kind, name, Source.PUBLISHED, provisional=False)


def _rule_day(day: dt.date) -> CalendarDay:
    name = _statutory(day.year).get(day) if day.year >= FIRST_RULE_YEAR else None
    kind = DayKind.HOLIDAY if name else _plain(day)
    return CalendarDay(day, kind, name or "", Source.RULE, provisional=True)


def _entries_for(day: dt.date, branch) -> dict[str, object]:
    from branches.models import ScheduleDay

    match = Q(scope=ScheduleDay.Scope.NATIONAL)
    if branch is not None:
        match |= Q(scope=ScheduleDay.Scope.BRANCH, branch=branch)
        if branch.region:
            match |= Q(scope=ScheduleDay.Scope.REGION, region=branch.region)
    return {entry.scope: entry for entry in ScheduleDay.objects.filter(match, date=day)}


def confirmed_years() -> set[int]:
    from branches.models import ScheduleYear

    return set(ScheduleYear.objects.filter(status=ScheduleYear.Status.CONFIRMED)
               .values_list("year", flat=True))


def calendar_day(day: dt.date, *, branch=None) -> CalendarDay:
    entries = _entries_for(day, branch)
    for scope in (Source.BRANCH, Source.REGION, Source.NATIONAL):
        entry = entries.get(scope.value)
        if entry is not None:
            return CalendarDay(day, DayKind(entry.kind), entry.name, scope,
                               provisional=not is_confirmed(day.year))
    if day.year in confirmed_years():
        return CalendarDay(day, _plain(day), "", Source.CONFIRMED, provisional=False)
    if day.year in published_years():
        return _published_day(day)
    return _rule_day(day)


def day_kind(day: dt.date, *, branch=None) -> DayKind:
    return calendar_day(day, branch=branch).kind


def is_working_day(day: dt.date, *, branch=None) -> bool:
    return calendar_day(day, branch=branch).is_working


def is_confirmed(year: int) -> bool:
    return year in published_years() or year in confirmed_years()


def confirmed_until() -> dt.date:
    """The last day of the confirmed horizon: every year up to it has its official schedule."""
    known = published_years() | confirmed_years()
    year = min(known) if known else dt.date.today().year - 1
    while year + 1 in known:
        year += 1
    return dt.date(year, 12, 31)
