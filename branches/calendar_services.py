"""Writes to the official calendar: head office's yearly schedule (imported from the State
Council's notice, approved by a second person), regional and branch exceptions, and the alert
that the confirmed horizon is running out."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.calendar import confirmed_until, statutory_holidays
from branches.models import Branch, ScheduleDay, ScheduleYear
from branches.roles import Role
from branches.schedule_import import ParsedSchedule, ScheduleRow, schedule_parse
from compliance.audit import audit_record
from compliance.makerchecker import change_request_create, register_applier
from compliance.models import ChangeKind, ChangeRequest
from core.live import groups, push
from core.notifications import notify

HORIZON_NOTICE = dt.timedelta(days=60)
SCHEDULE_LABEL = "branches.scheduleyear"


class ScheduleFileInvalid(ValidationError):
    """The file has problems; `lines` lists (line number, message). Nothing was imported."""

    def __init__(self, lines: list[tuple[int, str]]):
        self.lines = lines
        super().__init__([_("Line %(line)s: %(message)s") % {"line": line, "message": message}
                          if line else message for line, message in lines])


def _year_lines(year: int) -> str:
    days = ScheduleDay.objects.filter(scope=ScheduleDay.Scope.NATIONAL, date__year=year)
    return "\n".join(ScheduleRow(day.date, day.kind, day.name).as_line() for day in days)


def _schedule_snapshot(year: ScheduleYear) -> dict:
    return {"status": year.status, "source": year.source, "days": _year_lines(year.year)}


def _load_year(target_id: str) -> ScheduleYear:
    year, _created = ScheduleYear.objects.get_or_create(year=int(target_id))
    return year


def _parsed_or_refuse(data: bytes | str) -> ParsedSchedule:
    parsed = schedule_parse(data)
    if parsed.errors:
        raise ScheduleFileInvalid(parsed.errors)
    return parsed


def _schedule_apply(year: ScheduleYear, after: dict, *, actor) -> None:
    """Replace the year's national days with the approved file and confirm the year."""
    parsed = _parsed_or_refuse(after["days"])
    ScheduleDay.objects.filter(scope=ScheduleDay.Scope.NATIONAL, date__year=year.year).delete()
    ScheduleDay.objects.bulk_create(
        ScheduleDay(date=row.date, kind=row.kind, name=row.name,
                    scope=ScheduleDay.Scope.NATIONAL) for row in parsed.rows)
    year.status, year.source = ScheduleYear.Status.CONFIRMED, after.get("source", "")
    year.confirmed_at, year.confirmed_by = timezone.now(), actor
    year.save(update_fields=["status", "source", "confirmed_at", "confirmed_by"])
    audit_record(actor=actor, action="calendar.schedule_confirm", obj=year,
                 after={"year": year.year, "holidays": len(parsed.holidays),
                        "makeup_workdays": len(parsed.makeup_workdays)},
                 summary=f"{year.year} {year.source}")


register_applier(ChangeKind.CALENDAR_SCHEDULE, SCHEDULE_LABEL, _schedule_apply,
                 _schedule_snapshot, load_fn=_load_year,
                 validate_fn=lambda year, after: _parsed_or_refuse(after["days"]))


def schedule_import_request(*, maker, data: bytes | str, source: str = "") -> ChangeRequest:
    """Ask a second person to approve a year's official schedule; nothing changes until then."""
    parsed = _parsed_or_refuse(data)
    return change_request_create(
        maker=maker, kind=ChangeKind.CALENDAR_SCHEDULE, target_label=SCHEDULE_LABEL,
        target_id=str(parsed.year), reason=source or _("Official schedule %(year)s") % {
            "year": parsed.year},
        after={"status": ScheduleYear.Status.CONFIRMED, "source": source.strip()[:200],
               "days": "\n".join(row.as_line() for row in parsed.rows)})


def schedule_preview(data: bytes | str) -> ParsedSchedule:
    """The parsed file, plus the rule-based holidays it leaves out (a likely typo)."""
    return schedule_parse(data)


def missing_statutory_days(parsed: ParsedSchedule) -> list[tuple[dt.date, str]]:
    listed = {row.date for row in parsed.rows}
    return [(day, name) for day, name in statutory_holidays(parsed.year).items()
            if day not in listed and day.weekday() < 5] if parsed.year else []


@transaction.atomic
def schedule_exception_set(*, actor, date: dt.date, kind: str, name: str, region: str = "",
                           branch: Branch | None = None) -> ScheduleDay:
    """A regional or one-branch holiday or make-up working day, on top of the national one."""
    if bool(region) == bool(branch):
        raise ValidationError({"region": _("Give either a region or a branch.")})
    if kind not in ScheduleDay.Kind.values:
        raise ValidationError({"kind": _("Choose holiday or make-up working day.")})
    if not name.strip():
        raise ValidationError({"name": _("Give the day's name.")})
    if region and not Branch.objects.filter(region=region).exists():
        raise ValidationError({"region": _("No branch is in this region.")})
    scope = ScheduleDay.Scope.BRANCH if branch else ScheduleDay.Scope.REGION
    day, created = ScheduleDay.objects.update_or_create(
        date=date, scope=scope, region=region, branch=branch,
        defaults={"kind": kind, "name": name.strip()[:100]})
    audit_record(actor=actor, action="calendar.exception_set", obj=day, branch=branch,
                 after={"date": date.isoformat(), "kind": kind, "name": day.name,
                        "region": region, "created": created})
    return day


@transaction.atomic
def schedule_exception_remove(*, actor, day: ScheduleDay) -> None:
    if day.scope == ScheduleDay.Scope.NATIONAL:
        raise ValidationError(_("National days change only through an approved schedule."))
    audit_record(actor=actor, action="calendar.exception_remove", obj=day, branch=day.branch,
                 before={"date": day.date.isoformat(), "kind": day.kind, "name": day.name,
                         "region": day.region})
    day.delete()


def calendar_horizon_alert(*, now: dt.datetime | None = None) -> bool:
    """Warn head office, once a day from 60 days before the confirmed horizon ends, that the
    next year's official schedule is not entered yet (Celery beat). Returns whether it alerted."""
    today = timezone.localdate(now or timezone.now())  # head office's date (settings.TIME_ZONE)
    horizon = confirmed_until()
    if today < horizon - HORIZON_NOTICE:
        return False
    with transaction.atomic():
        year, _created = ScheduleYear.objects.select_for_update().get_or_create(
            year=horizon.year + 1)
        if year.alerted_on == today:
            return False
        year.alerted_on = today
        year.save(update_fields=["alerted_on"])
        audit_record(actor=None, action="calendar.horizon_alert", obj=year,
                     after={"confirmed_until": horizon.isoformat()})
        _alert_head_office(year.year, horizon)
    return True


def _alert_head_office(year: int, horizon: dt.date) -> None:
    admins = list(get_user_model().objects.filter(staff_profile__role=Role.HEAD_OFFICE_ADMIN,
                                                  is_active=True))
    subject = _("The official calendar of %(year)s is not entered yet") % {"year": year}
    body = _("The confirmed calendar ends on %(date)s. Until the State Council's notice for "
             "%(year)s is imported and approved, booking and SLA clocks use the statutory "
             "holidays by rule, without make-up working days.") % {"date": horizon, "year": year}
    payload = {"year": year, "confirmed_until": horizon.isoformat(), "message": str(body)}
    for user in admins:
        push(groups.user(user.pk), "calendar.horizon", payload)
        if user.email:
            transaction.on_commit(lambda to=user.email: notify(channel="email", to=to,
                                                               subject=str(subject),
                                                               body=str(body)))
