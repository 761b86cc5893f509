"""What needs a teller or lobby manager now (the staff home page): their counter, tickets they
parked, customers waiting long in their branch."""

import datetime as dt

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from branches.access import staff_branches
from branches.roles import Role
from core.attention import DUE, INFO, URGENT, AttentionItem
from queueing.models import CounterSession, Ticket, TicketStatus
from queueing.policy import settings_for
from queueing.state import business_date

SERVING_ROLES = frozenset({Role.TELLER, Role.WEALTH_MANAGER})
LOBBY_ROLES = frozenset({Role.LOBBY_MANAGER, Role.BRANCH_ADMIN})


def items(*, user, role, now: dt.datetime) -> list[AttentionItem]:
    if role in SERVING_ROLES:
        return _parked_by(user, now) + _own_counter(user, now)
    if role in LOBBY_ROLES:
        return [item for branch in staff_branches(user) for item in _lobby(branch, now)]
    return []


def _local_time(moment: dt.datetime, branch) -> str:
    return formats.time_format(moment.astimezone(branch.tz), "H:i")


def _parked_by(user, now: dt.datetime) -> list[AttentionItem]:
    parked = list(Ticket.objects.filter(status=TicketStatus.PARKED, served_by=user)
                  .select_related("branch").order_by("parked_at"))
    if not parked:
        return []
    first = parked[0]
    numbers = "、".join(ticket.number for ticket in parked[:5])
    return [AttentionItem(
        label=ngettext("%(count)d ticket you parked", "%(count)d tickets you parked",
                       len(parked)) % {"count": len(parked)},
        detail=_("%(numbers)s · parked since %(time)s: resume or re-queue them from the console.")
        % {"numbers": numbers, "time": _local_time(first.parked_at or now, first.branch)},
        url=reverse("counter:console-home"), action=_("Open the teller console"), tone=URGENT)]


def _own_counter(user, now: dt.datetime) -> list[AttentionItem]:
    session = (CounterSession.objects.current().filter(teller=user)
               .select_related("counter", "counter__branch").first())
    if session is not None:
        branch = session.counter.branch
        waiting = _waiting(branch, now)["count"]
        return [AttentionItem(
            label=_("You serve at %(counter)s") % {"counter": session.counter.name},
            detail=(ngettext("%(count)d customer waiting at %(branch)s.",
                             "%(count)d customers waiting at %(branch)s.", waiting)
                    if waiting else _("Nobody waiting at %(branch)s."))
            % {"count": waiting, "branch": branch.name},
            url=reverse("counter:console", args=[session.counter_id]),
            action=_("Back to your counter"), tone=INFO)]
    found = []
    for branch in staff_branches(user):
        if not branch.is_open_at(now):
            continue
        waiting = _waiting(branch, now)["count"]
        detail = (ngettext("%(branch)s is open; %(count)d customer is waiting.",
                           "%(branch)s is open; %(count)d customers are waiting.", waiting)
                  if waiting else _("%(branch)s is open; nobody is waiting yet."))
        found.append(AttentionItem(
            label=_("Your counter is not open"),
            detail=detail % {"branch": branch.name, "count": waiting},
            url=reverse("counter:console-home"), action=_("Open a counter"),
            tone=DUE if waiting else INFO))
    return found


def _today(branch, now: dt.datetime, status: str, since: str) -> dict:
    """How many of today's tickets are in `status`, and the earliest `since` among them."""
    return Ticket.objects.filter(
        branch=branch, business_date=business_date(branch, now), status=status,
    ).aggregate(count=Count("pk"), oldest=Min(since))


def _waiting(branch, now: dt.datetime) -> dict:
    return _today(branch, now, TicketStatus.WAITING, "queued_at")


def _lobby(branch, now: dt.datetime) -> list[AttentionItem]:
    waiting = _waiting(branch, now)
    parked = _today(branch, now, TicketStatus.PARKED, "parked_at")
    url = f"{reverse('queue-dashboard')}?branch={branch.code}"
    found = []
    limit = settings_for(branch).alert_wait_minutes
    if waiting["count"]:
        longest = (now - waiting["oldest"]).total_seconds() / 60
        found.append(AttentionItem(
            label=ngettext("%(count)d customer waiting at %(branch)s",
                           "%(count)d customers waiting at %(branch)s", waiting["count"])
            % {"count": waiting["count"], "branch": branch.name},
            detail=_("The longest has waited %(minutes)d min (alert at %(limit)d min).")
            % {"minutes": int(longest), "limit": int(limit)},
            url=url, action=_("Open the lobby dashboard"),
            tone=URGENT if longest >= limit else INFO))
    if parked["count"]:
        found.append(AttentionItem(
            label=ngettext("%(count)d parked ticket at %(branch)s",
                           "%(count)d parked tickets at %(branch)s", parked["count"])
            % {"count": parked["count"], "branch": branch.name},
            detail=_("Parked since %(time)s: the customer may be back; resume or re-queue.")
            % {"time": _local_time(parked["oldest"], branch)},
            url=url, action=_("Open the lobby dashboard"), tone=DUE))
    return found
