"""Customer updates by SMS and satisfaction surveys; a low score opens a follow-up work order."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from branchsvc.live import groups, push
from compliance.audit import audit_record
from servicedesk.models import (
    Channel,
    Survey,
    Update,
    WorkOrderKind,
)
from servicedesk.services.common import (
    FOLLOW_UP_BELOW,
)
from servicedesk.services.work_orders import (
    work_order_create,
)

# Customers: updates and surveys -----------------------------------------------------------------


def customer_update_send(*, update_id: int) -> None:
    from branchsvc.notifications import notify

    update = Update.objects.select_related("work_order__customer").get(pk=update_id)
    customer = update.work_order.customer
    if customer is None:
        return
    with translation.override(customer.preferred_language):
        body = gettext("Your work order %(number)s has an update: %(text)s") % {
            "number": update.work_order.number,
            "text": update.body[:200],
        }
    notify(channel="sms", to=customer.phone, subject="", body=body)


@transaction.atomic
def survey_send(*, survey_id: int) -> bool:
    from branchsvc.notifications import notify

    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("work_order__customer")
        .get(pk=survey_id)
    )
    if survey.sent_at is not None or survey.work_order.customer is None:
        return False
    customer = survey.work_order.customer
    link = f"{settings.PUBLIC_BASE_URL.rstrip('/')}/sd/survey/{survey.token}/"
    with translation.override(customer.preferred_language):
        body = gettext("How satisfied are you with how we handled %(number)s? Rate us 0–10: %(link)s") % {
            "number": survey.work_order.number,
            "link": link,
        }
        notify(channel="sms", to=customer.phone, subject="", body=body)
        if customer.email:
            notify(channel="email", to=customer.email, subject=gettext("Your opinion, please"), body=body)
    survey.sent_at = timezone.now()
    survey.save(update_fields=["sent_at"])
    if customer.user_id:
        push(groups.user(customer.user_id), "toast", {"text": body, "url": f"/sd/survey/{survey.token}/"})
    return True


def surveys_send_pending() -> int:
    ids = Survey.objects.filter(sent_at__isnull=True).values_list("pk", flat=True)
    return sum(survey_send(survey_id=pk) for pk in list(ids))


@transaction.atomic
def survey_answer(*, survey: Survey, score: int, comment: str = "", actor=None) -> Survey:
    """Record the customer's score; below 8 opens a follow-up work order for the owner."""
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("work_order__branch", "work_order__customer")
        .get(pk=survey.pk)
    )
    if survey.answered_at is not None:
        raise ValidationError(_("This survey was already answered. Thank you!"))
    if not isinstance(score, int) or not 0 <= score <= 10:
        raise ValidationError({"score": _("Choose a score from 0 to 10.")})
    survey.score, survey.comment, survey.answered_at = score, comment.strip()[:2000], timezone.now()
    original = survey.work_order
    if score < FOLLOW_UP_BELOW:
        with translation.override(settings.LANGUAGE_CODE):
            text = gettext("Satisfaction score %(score)d/10 on %(number)s. %(comment)s") % {
                "score": score,
                "number": original.number,
                "comment": survey.comment,
            }
        survey.follow_up = work_order_create(
            actor=None,
            kind=WorkOrderKind.FOLLOW_UP,
            channel=Channel.SURVEY,
            branch=original.branch,
            customer=original.customer,
            description=text,
            category=original.category,
            department=original.department,
            assignee=original.owner,
            parent=original,
        )
    survey.save(update_fields=["score", "comment", "answered_at", "follow_up"])
    audit_record(
        actor=actor,
        action="survey.answer",
        obj=survey.work_order,
        branch=original.branch,
        customer=original.customer_id,
        after={"score": score},
    )
    return survey
