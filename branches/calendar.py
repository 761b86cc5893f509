"""Working days in mainland China: weekends, public holidays and make-up working days.

`chinesecalendar` carries the State Council's published calendar. Years it does not know yet fall
back to Monday–Friday, and head office enters that year's holidays and make-up days as
CalendarException rows without a branch, which always take precedence.
"""

import datetime as dt
import logging

import chinese_calendar
from django.db import models
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("Working day")
    WEEKEND = "weekend", _("Weekend")
    HOLIDAY = "holiday", _("Public holiday")
    MAKEUP_WORKDAY = "makeup_workday", _("Make-up working day")


def _package_kind(day: dt.date) -> DayKind:
    try:
        working = chinese_calendar.is_workday(day)
        is_holiday, holiday_name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        log.warning("chinesecalendar has no data for %s; assuming Monday-Friday", day.year)
        return DayKind.WORKDAY if day.weekday() < 5 else DayKind.WEEKEND
    if working:
        return DayKind.MAKEUP_WORKDAY if day.weekday() >= 5 else DayKind.WORKDAY
    if is_holiday and holiday_name:
        return DayKind.HOLIDAY
    return DayKind.WEEKEND


def day_kind(day: dt.date) -> DayKind:
    from branches.models import CalendarException

    override = CalendarException.objects.filter(branch__isnull=True, date=day).first()
    if override is not None and override.kind in (DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY,
                                                  DayKind.WORKDAY, DayKind.WEEKEND):
        return DayKind(override.kind)
    return _package_kind(day)


def is_working_day(day: dt.date) -> bool:
    return day_kind(day) in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)
