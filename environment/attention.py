"""Sensor alerts nobody has acknowledged yet (the staff home page of whoever watches them)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from branches.access import staff_branches
from branches.roles import Role
from core.attention import URGENT, AttentionItem
from environment.access import WATCH_ROLES
from environment.models import SensorAlert

# A head-office admin watches the whole network from the environment page, not from home.
HOME_ROLES = frozenset(WATCH_ROLES) - {Role.HEAD_OFFICE_ADMIN}


def items(*, user, role, now: dt.datetime) -> list[AttentionItem]:
    if role not in HOME_ROLES:
        return []
    found = []
    for branch in staff_branches(user):
        open_alerts = SensorAlert.objects.filter(
            branch=branch, resolved_at__isnull=True, acknowledged_at__isnull=True)
        count = open_alerts.count()
        if not count:
            continue
        first = open_alerts.select_related("sensor", "sensor__branch").order_by("raised_at").first()
        found.append(AttentionItem(
            label=ngettext("%(count)d sensor alert at %(branch)s",
                           "%(count)d sensor alerts at %(branch)s", len(open_alerts))
            % {"count": count, "branch": branch.name},
            detail=_("The first: %(alert)s") % {"alert": first.text},
            url=reverse("environment-branch", args=[branch.code]),
            action=_("Look and acknowledge"), tone=URGENT))
    return found
