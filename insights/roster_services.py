"""Roster writes: generate from the forecast, edit a half-hour, publish, and the day-ahead gap check.
Each accepted write is audited; a refused one changes nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Branch, ServicePoint, StaffProfile
from branches.people import person_name
from branches.roles import Role
from compliance.audit import audit_record
from core.live import groups, push
from core.notifications import notify
from insights import rosters
from insights.models import Roster, RosterGapAlert, RosterSlot, RosterStatus, SlotKind
from queueing.config import bump_branch_config

# Who runs the branch's roster and hears about its gaps.
ROSTER_MANAGERS = (Role.BRANCH_ADMIN, Role.LOBBY_MANAGER)
BREAK_MESSAGES = {
    "outside": lambda: _("a lunch break must lie between 11:00 and 14:00"),
    "too_long": lambda: _("a lunch break lasts at most 60 minutes"),
    "missing": lambda: _("more than six hours at the counter without a lunch break"),
}


def _forecast_json(demand: list[rosters.SlotDemand]) -> dict:
    return {str(d.slot): {"needed": d.needed, "zones": sorted(d.zones),
                          "arrivals": round(d.arrivals_per_hour, 2),
                          "handling": round(d.handling_minutes, 2)} for d in demand}


def roster_demand(roster: Roster) -> list[rosters.SlotDemand]:
    return [rosters.SlotDemand(int(slot), v["arrivals"], v["handling"], v["needed"], frozenset(v["zones"]))
            for slot, v in sorted(roster.forecast.items(), key=lambda kv: int(kv[0]))]


def roster_generate(*, branch: Branch, day: dt.date, actor,
                    demand: list[rosters.SlotDemand] | None = None) -> Roster:
    """Plan ``day`` from the forecast (or the given one). A draft is planned anew; a published
    roster is not replaced: the managers edit it instead."""
    demand = rosters.forecast_day(branch=branch, day=day) if demand is None else demand
    if not demand:
        raise ValidationError(_("The branch is closed that day or has no history to forecast from."))
    plan = rosters.plan_day(demand=demand, tellers=rosters.branch_tellers(branch),
                            counters=rosters.branch_counters(branch))
    with transaction.atomic():
        roster, _created = Roster.objects.select_for_update().get_or_create(branch=branch, date=day)
        if roster.status == RosterStatus.PUBLISHED:
            raise ValidationError(_("This roster is published; change its half-hours instead."))
        roster.slots.all().delete()
        roster.forecast = _forecast_json(demand)
        roster.save(update_fields=["forecast"])
        RosterSlot.objects.bulk_create(
            [RosterSlot(roster=roster, slot=s, teller_id=t, kind=SlotKind.BREAK)
             for t, slots in plan.breaks.items() for s in slots]
            + [RosterSlot(roster=roster, slot=s, teller_id=t, kind=SlotKind.COUNTER, counter_id=c)
               for (t, s), c in plan.work.items()])
        audit_record(actor=actor, action="insights.roster.generate", obj=roster, branch=branch,
                     after={"date": day.isoformat(), "counter_half_hours": len(plan.work),
                            "breaks": sum(len(b) for b in plan.breaks.values())})
    return roster


def _roster_teller(roster: Roster, teller_id: int):
    profile = (StaffProfile.objects.filter(user_id=teller_id, branch_id=roster.branch_id,
                                           role__in=rosters.ROSTER_ROLES)
               .select_related("user").prefetch_related("skills").first())
    if profile is None:
        raise ValidationError({"teller": _("This person is not a teller of the branch.")})
    return profile


def _check_counter(roster: Roster, profile: StaffProfile, slot: int, counter: ServicePoint | None):
    if counter is None or counter.branch_id != roster.branch_id or counter.kind != ServicePoint.Kind.COUNTER:
        raise ValidationError({"counter": _("Choose a counter of this branch.")})
    skills = frozenset(s.pk for s in profile.skills.all())
    services = frozenset(counter.service_types.values_list("pk", flat=True))
    if not services <= skills:
        raise ValidationError({"counter": _("%(name)s lacks the skills counter %(code)s needs.")
                               % {"name": person_name(profile.user), "code": counter.code}})
    other = (RosterSlot.objects.filter(roster=roster, slot=slot, counter=counter)
             .exclude(teller_id=profile.user_id).select_related("teller").first())
    if other is not None:
        raise ValidationError({"counter": _("Counter %(code)s already has %(name)s at %(time)s.")
                               % {"code": counter.code, "name": person_name(other.teller),
                                  "time": rosters.slot_label(slot)}})


def _day_slots(roster: Roster) -> list[int]:
    return rosters.open_slots(roster.branch.hours_on(roster.date))


def teller_break_problems(roster: Roster, teller_id: int) -> list[str]:
    rows = list(RosterSlot.objects.filter(roster=roster, teller_id=teller_id).values_list("slot", "kind"))
    return rosters.break_problems(
        slots=_day_slots(roster), breaks=[s for s, k in rows if k == SlotKind.BREAK],
        at_counter=[s for s, k in rows if k == SlotKind.COUNTER])


def roster_assign(*, roster: Roster, teller_id: int, slot: int, kind: str,
                  counter: ServicePoint | None = None, actor) -> RosterSlot | None:
    """Put a teller at a counter or on a break for one half-hour, or (kind "off") take them off
    it. A published roster stays published; every change is audited with its before and after."""
    if slot not in _day_slots(roster):
        raise ValidationError({"slot": _("The branch is not open in that half-hour.")})
    if kind not in (SlotKind.COUNTER, SlotKind.BREAK, "off"):
        raise ValidationError({"kind": _("Choose a counter, a break or off.")})
    with transaction.atomic():
        roster = Roster.objects.select_for_update().get(pk=roster.pk)
        profile = _roster_teller(roster, teller_id)
        if kind == SlotKind.COUNTER:
            _check_counter(roster, profile, slot, counter)
        current = RosterSlot.objects.filter(roster=roster, slot=slot, teller_id=teller_id).first()
        before = {"kind": current.kind, "counter": current.counter_id} if current else {"kind": "off"}
        if current is not None:
            current.delete()
        row = None
        if kind != "off":
            row = RosterSlot.objects.create(roster=roster, slot=slot, teller_id=teller_id, kind=kind,
                                            counter=counter if kind == SlotKind.COUNTER else None)
        if kind == SlotKind.BREAK:
            problems = [p for p in teller_break_problems(roster, teller_id) if p != "missing"]
            if problems:
                raise ValidationError({"kind": str(BREAK_MESSAGES[problems[0]]())})
        audit_record(actor=actor, action="insights.roster.assign", obj=roster, branch=roster.branch,
                     before={"teller": teller_id, "slot": slot, **before},
                     after={"teller": teller_id, "slot": slot, "kind": kind,
                            "counter": counter.pk if row and counter else None})
        if roster.status == RosterStatus.PUBLISHED:
            # The wait estimates read the published roster with the branch's configuration.
            transaction.on_commit(lambda: bump_branch_config(branch_id=roster.branch_id))
    return row


def roster_break_problems(roster: Roster) -> list[tuple[object, str]]:
    """(teller, message) for everyone whose day breaks the lunch rule."""
    rows: dict[int, list[tuple[int, str]]] = {}
    slots = RosterSlot.objects.filter(roster=roster).values_list("teller_id", "slot", "kind")
    for teller_id, slot, kind in slots:
        rows.setdefault(teller_id, []).append((slot, kind))
    day = _day_slots(roster)
    problems = []
    for teller in rosters.branch_tellers(roster.branch):
        mine = rows.get(teller.id, [])
        found = rosters.break_problems(slots=day, breaks=[s for s, k in mine if k == SlotKind.BREAK],
                                       at_counter=[s for s, k in mine if k == SlotKind.COUNTER])
        problems += [(teller, str(BREAK_MESSAGES[p]())) for p in found]
    return problems


def roster_publish(*, roster: Roster, actor, now: dt.datetime | None = None) -> Roster:
    """Publish for the tellers. Refused while someone's day breaks the lunch rule; short counters
    are the manager's call and stay flagged on the page."""
    problems = roster_break_problems(roster)
    if problems:
        raise ValidationError([_("%(name)s: %(problem)s") % {"name": t.name, "problem": p}
                               for t, p in problems])
    with transaction.atomic():
        roster = Roster.objects.select_for_update().get(pk=roster.pk)
        if roster.status == RosterStatus.PUBLISHED:
            return roster
        roster.status = RosterStatus.PUBLISHED
        roster.published_at = now or timezone.now()
        roster.published_by = actor
        roster.save(update_fields=["status", "published_at", "published_by"])
        audit_record(actor=actor, action="insights.roster.publish", obj=roster, branch=roster.branch,
                     after={"date": roster.date.isoformat()})
        tellers = set(roster.slots.values_list("teller_id", flat=True))
        payload = {"date": roster.date.isoformat(), "branch": roster.branch.code}
        transaction.on_commit(lambda: [push(groups.user(t), "roster.published", payload) for t in tellers])
        transaction.on_commit(lambda: bump_branch_config(branch_id=roster.branch_id))
    return roster


def roster_staffed(roster: Roster | None) -> dict[int, list[str]]:
    """Zone kinds of the counters staffed in each half-hour of a roster."""
    staffed: dict[int, list[str]] = {}
    if roster is None:
        return staffed
    for slot, zone in (RosterSlot.objects.filter(roster=roster, kind=SlotKind.COUNTER)
                       .values_list("slot", "counter__zone__kind")):
        staffed.setdefault(slot, []).append(zone)
    return staffed


def roster_gap_check(*, branch: Branch, day: dt.date, now: dt.datetime) -> RosterGapAlert | None:
    """Compare ``day``'s published roster with its forecast; on gaps, alert the branch's managers
    once for that day (a later run of the beat finds the alert and stays quiet)."""
    demand = rosters.forecast_day(branch=branch, day=day)
    if not any(d.needed for d in demand):
        return None
    roster = Roster.objects.filter(branch=branch, date=day, status=RosterStatus.PUBLISHED).first()
    if roster is None:
        gaps = [{"kind": "no_roster"}]
    else:
        gaps = [{"kind": g.kind, "slot": g.slot, "needed": g.needed, "rostered": g.rostered, "zone": g.zone}
                for g in rosters.coverage_gaps(demand=demand, staffed=roster_staffed(roster))]
    if not gaps:
        return None
    with transaction.atomic():
        alert, created = RosterGapAlert.objects.get_or_create(
            branch=branch, date=day, defaults={"raised_at": now, "gaps": gaps})
        if not created:
            return None
        audit_record(actor=None, action="insights.roster.gap_alert", obj=alert, branch=branch,
                     after={"date": day.isoformat(), "gaps": len(gaps)})
        _alert_managers(branch, day, gaps)
    return alert


def gap_summary(day: dt.date, gaps: list[dict]) -> str:
    if gaps and gaps[0]["kind"] == "no_roster":
        return _("No roster is published for %(date)s.") % {"date": day.isoformat()}
    slots = sorted({g["slot"] for g in gaps})
    return _("The roster for %(date)s is short of the forecast in %(count)d half-hours, from %(first)s.") % {
        "date": day.isoformat(), "count": len(slots), "first": rosters.slot_label(slots[0])}


def _alert_managers(branch: Branch, day: dt.date, gaps: list[dict]) -> None:
    managers = list(get_user_model().objects.filter(
        staff_profile__branch=branch, staff_profile__role__in=ROSTER_MANAGERS, is_active=True))
    body = gap_summary(day, gaps)
    subject = _("Roster gaps at %(branch)s tomorrow") % {"branch": branch.name}
    payload = {"branch": branch.code, "date": day.isoformat(), "message": body}
    transaction.on_commit(lambda: push(groups.staff(branch.code), "roster.gaps", payload))
    for user in managers:
        transaction.on_commit(lambda u=user: push(groups.user(u.pk), "roster.gaps", payload))
        if user.email:
            transaction.on_commit(lambda to=user.email: notify(channel="email", to=to, subject=subject,
                                                               body=body))


def roster_check_tomorrow(*, now: dt.datetime | None = None) -> int:
    """Beat: check every open branch's roster for its own tomorrow. Returns the alerts raised."""
    now = now or timezone.now()
    raised = 0
    for branch in Branch.objects.filter(is_active=True, is_demo=False).order_by("pk"):
        tomorrow = now.astimezone(ZoneInfo(branch.timezone)).date() + dt.timedelta(days=1)
        raised += roster_gap_check(branch=branch, day=tomorrow, now=now) is not None
    return raised
