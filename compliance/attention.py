"""Maker-checker requests waiting for this checker's decision (the staff home page)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from compliance.makerchecker import CHECKER_PERMISSION, can_check, change_requests_for_user
from compliance.models import ChangeStatus
from core.attention import DUE, URGENT, AttentionItem

# A request older than this has kept a maker (and often a customer) waiting too long.
STALE_AFTER = dt.timedelta(hours=4)


def items(*, user, role, now: dt.datetime) -> list[AttentionItem]:
    if not user.has_perm(CHECKER_PERMISSION):
        return []
    pending = (change_requests_for_user(user).filter(status=ChangeStatus.PENDING)
               .exclude(maker=user).order_by("created_at"))
    mine = [change for change in pending if can_check(user, change)]
    if not mine:
        return []
    waited = now - mine[0].created_at
    return [AttentionItem(
        label=ngettext("%(count)d change waiting for your approval",
                       "%(count)d changes waiting for your approval", len(mine))
        % {"count": len(mine)},
        detail=_("The oldest was requested %(hours)d h %(minutes)02d min ago.")
        % {"hours": waited.seconds // 3600 + waited.days * 24,
           "minutes": waited.seconds % 3600 // 60},
        url=reverse("compliance-approvals"), action=_("Open approvals"),
        tone=URGENT if waited >= STALE_AFTER else DUE)]
