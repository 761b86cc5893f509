"""Article versions waiting for a compliance officer's review (the staff home page)."""

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.attention import DUE, URGENT, AttentionItem
from knowledge.access import REVIEWERS
from knowledge.models import ArticleVersion


def items(*, user, role, now: dt.datetime) -> list[AttentionItem]:
    if role not in REVIEWERS:
        return []
    waiting = ArticleVersion.objects.filter(status=ArticleVersion.Status.SUBMITTED).aggregate(
        count=Count("pk"), late=Count("pk", filter=Q(review_due_at__lt=now)))
    if not waiting["count"]:
        return []
    detail = (ngettext("%(late)d is past its 24-hour review deadline.",
                       "%(late)d are past their 24-hour review deadline.", waiting["late"])
              % {"late": waiting["late"]}
              if waiting["late"] else _("Each must be reviewed within 24 hours of submission."))
    return [AttentionItem(
        label=ngettext("%(count)d article version waiting for review",
                       "%(count)d article versions waiting for review", waiting["count"])
        % {"count": waiting["count"]},
        detail=detail, url=reverse("knowledge-review"), action=_("Open the review queue"),
        tone=URGENT if waiting["late"] else DUE)]
