"""What needs a member of staff now in the service desk (the staff home page): work orders past
their deadline, assigned to them, or new in their department and not yet taken."""

import datetime as dt

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from branches.roles import STAFF_ROLES
from core.attention import DUE, INFO, URGENT, AttentionItem
from servicedesk.access import DEPARTMENT_ROLES, work_orders_for_user
from servicedesk.models import Status

SOON = dt.timedelta(hours=4)


def items(*, user, role, now: dt.datetime) -> list[AttentionItem]:
    if role not in STAFF_ROLES:
        return []
    # A clock waiting for the customer is paused: those are not late.
    running = work_orders_for_user(user).filter(status__in=(Status.OPEN, Status.IN_PROGRESS))
    queue = reverse("servicedesk:queue")
    counts = running.aggregate(
        late=Count("pk", filter=Q(resolution_due__lt=now)),
        mine=Count("pk", filter=Q(assignee=user)),
        mine_late=Count("pk", filter=Q(assignee=user, resolution_due__lt=now)),
        mine_next=Min("resolution_due", filter=Q(assignee=user, resolution_due__gte=now)),
        mine_soon=Count("pk", filter=Q(assignee=user, resolution_due__gte=now,
                                       resolution_due__lt=now + SOON)))
    found = []
    if counts["late"] > counts["mine_late"]:  # one's own late ones are said just below
        found.append(AttentionItem(
            label=ngettext("%(count)d work order past its deadline",
                           "%(count)d work orders past their deadline", counts["late"])
            % {"count": counts["late"]},
            detail=_("The customer was promised an answer by now; the most urgent are listed first."),
            url=queue, action=_("Open the work orders"), tone=URGENT))
    if counts["mine"]:
        found.append(_assigned(counts, queue))
    if role in DEPARTMENT_ROLES:
        found.extend(_untaken(user, running, queue))
    return found


def _assigned(counts: dict, queue: str) -> AttentionItem:
    if counts["mine_late"]:
        detail = ngettext("%(late)d of them is past its deadline.",
                          "%(late)d of them are past their deadline.", counts["mine_late"])
    elif counts["mine_soon"]:
        detail = ngettext("%(soon)d due in the next 4 hours; the next at %(time)s.",
                          "%(soon)d due in the next 4 hours; the next at %(time)s.",
                          counts["mine_soon"])
    else:
        detail = _("Nothing due in the next 4 hours.")
    when = counts["mine_next"]
    return AttentionItem(
        label=ngettext("%(count)d work order assigned to you",
                       "%(count)d work orders assigned to you", counts["mine"])
        % {"count": counts["mine"]},
        detail=detail % {"late": counts["mine_late"], "soon": counts["mine_soon"],
                         "time": formats.date_format(timezone.localtime(when), "SHORT_DATETIME_FORMAT")
                         if when else ""},
        url=f"{queue}?mine=1", action=_("Open my work orders"),
        tone=URGENT if counts["mine_late"] else DUE if counts["mine_soon"] else INFO)


def _untaken(user, running, queue: str) -> list[AttentionItem]:
    department_id = user.staff_profile.department_id
    if department_id is None:
        return []
    untaken = running.filter(department_id=department_id, assignee__isnull=True).count()
    if not untaken:
        return []
    return [AttentionItem(
        label=ngettext("%(count)d new work order for your department",
                       "%(count)d new work orders for your department", untaken)
        % {"count": untaken},
        detail=_("Not yet taken by anyone."),
        url=f"{queue}?department={department_id}", action=_("Take one"), tone=DUE)]
