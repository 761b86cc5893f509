"""Dashboard alerts found by looking at the branch: long waits, idle counters, rising estimates.

Called from `services.queue_refresh`; each alert is raised once per ticket, counter or queue and
period (`alert_raise(once_key=...)`), so running a scan twice raises nothing new.
"""

import datetime as dt

from django.core.cache import cache
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from branches.models import ServicePoint
from queueing import payloads
from queueing.alerts import Level, alert_raise
from queueing.models import Ticket
from queueing.state import BranchSnapshot


def raise_alerts(snapshot: BranchSnapshot, estimates: dict) -> None:
    _long_waits(snapshot)
    _idle_counters(snapshot)
    _rising_estimates(snapshot, estimates)


def _long_waits(snapshot: BranchSnapshot) -> None:
    threshold = dt.timedelta(minutes=snapshot.settings.alert_wait_minutes)
    for ticket in snapshot.waiting:
        waited = snapshot.now - ticket.queued_at
        if waited < threshold:
            continue
        alert_raise(
            branch=snapshot.branch, kind="long_wait", level=Level.WARNING, ticket=ticket.number,
            once_key=f"long_wait:{ticket.pk}", once_seconds=12 * 3600,
            text=payloads.both_format(_("Ticket %(number)s has waited %(minutes)d minutes (%(service)s)."),
                       number=ticket.number, minutes=int(waited.total_seconds() // 60),
                       service=ticket.service_type))


def _idle_counters(snapshot: BranchSnapshot) -> None:
    limit = dt.timedelta(minutes=snapshot.settings.alert_idle_minutes)
    last_activity = dict(
        Ticket.objects.of_day(snapshot.branch, snapshot.day).filter(counter__isnull=False)
        .values("counter").annotate(last=Max("called_at")).values_list("counter", "last"))
    for point in snapshot.points:
        session = snapshot.sessions.get(point.pk)
        state = snapshot.counter_state(point.pk)
        if (point.kind == ServicePoint.Kind.KIOSK or session is None or state is None
                or not state.open or point.pk in snapshot.current):
            continue
        # What it would call now: its skills, its work profile, languages within their bound.
        servable = [t for t in snapshot.live.waiting if calls_now(state, t, snapshot)]
        if not servable:
            continue
        since = max(filter(None, [session.opened_at, last_activity.get(point.pk)]))
        if snapshot.now - since < limit:
            continue
        alert_raise(
            branch=snapshot.branch, kind="idle_counter", level=Level.WARNING,
            once_key=f"idle:{point.pk}:{since.isoformat()}", once_seconds=3600,
            text=payloads.both_format(_("Counter %(counter)s is idle while %(count)d customers it can serve "
                         "are waiting."), counter=point.code, count=len(servable)))


def calls_now(counter, ticket, snapshot: BranchSnapshot) -> bool:
    waived = snapshot.weights.language_waived(ticket, snapshot.live.now)
    if not counter.can_serve(ticket, language_waived=waived):
        return False
    profile = counter.work_profile
    return profile is None or ticket.queue_prefix in profile.queues or ticket.counter_id == counter.id


def _rising_estimates(snapshot: BranchSnapshot, estimates: dict) -> None:
    rise = snapshot.settings.alert_estimate_rise_minutes
    summaries = payloads.queue_summaries(snapshot, estimates)
    keys = {summary["queue"]: f"queueing:estimate-baseline:{snapshot.branch.code}:{summary['queue']}"
            for summary in summaries}
    baselines = cache.get_many(list(keys.values()))  # one round trip, not one per queue
    now = snapshot.now.timestamp()
    reset = {}
    for summary in summaries:
        key = keys[summary["queue"]]
        baseline = baselines.get(key)
        current = summary["estimated_minutes"] or 0
        if baseline is None or now - baseline[0] > 15 * 60 or current < baseline[1]:
            reset[key] = (now, current)
            continue
        # A queue going from empty to a few minutes is normal; warn when it grows long.
        if current - baseline[1] >= rise and current >= snapshot.settings.alert_wait_minutes / 2:
            reset[key] = (now, current)
            alert_raise(
                branch=snapshot.branch, kind="estimate_rising", level=Level.WARNING,
                text=payloads.both_format(_("Queue %(queue)s: the estimated wait rose from %(before)d to "
                             "%(after)d minutes."), queue=summary["queue"], before=baseline[1],
                           after=current))

    if reset:
        cache.set_many(reset, 3600)
