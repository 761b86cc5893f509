"""Customer updates by SMS and satisfaction surveys (after a work order is closed, and after a
service visit); a low score opens a follow-up work order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from branches.models import Department
from compliance.audit import audit_record
from core.live import groups, push
from core.pii import mask_personal_numbers
from servicedesk.models import (
    Category,
    Channel,
    Survey,
    Update,
    VisitSurvey,
    WorkOrderKind,
)
from servicedesk.services.common import (
    FOLLOW_UP_BELOW,
)
from servicedesk.services.work_orders import (
    department_of_kind,
    work_order_create,
)

# Customers: updates and surveys -----------------------------------------------------------------


def customer_update_send(*, update_id: int) -> None:
    from core.notifications import notify

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
    from core.notifications import notify

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


# Service visits: the survey offered on the e-receipt --------------------------------------------

VISIT_FOLLOW_UP_CATEGORY = "branch.visit.low_score"
# Customer service follows up on satisfaction (the category's handling department, kept here too
# so the routing holds even where the category was removed).
VISIT_FOLLOW_UP_DEPARTMENT = Department.Kind.CUSTOMER_SERVICE


@dataclass(frozen=True)
class VisitSurveyPolicy:
    """`settings.SERVICEDESK_VISIT_SURVEY` may override these, e.g. {"follow_up_at_most": 3}."""

    follow_up_at_most: int = 2  # scores up to this (of 5) open a follow-up work order
    valid_days: int = 7


def visit_survey_policy() -> VisitSurveyPolicy:
    overrides = getattr(settings, "SERVICEDESK_VISIT_SURVEY", {}) or {}
    return VisitSurveyPolicy(**overrides)


@transaction.atomic
def visit_survey_invite(
    *,
    visit_ref: str,
    branch,
    service_name: str,
    customer=None,
    ticket_number: str = "",
    receipt_number: str = "",
    now: dt.datetime | None = None,
) -> VisitSurvey:
    """Offer the customer a rating of one service visit; inviting the same visit again changes
    nothing. The link is the visit's e-receipt, so nothing is sent from here."""
    now = now or timezone.now()
    survey, created = VisitSurvey.objects.get_or_create(
        visit_ref=visit_ref,
        defaults={
            "branch": branch,
            "customer": customer,
            "service_name": service_name[:100],
            "ticket_number": ticket_number[:20],
            "receipt_number": receipt_number[:40],
            "invited_at": now,
            "expires_at": now + dt.timedelta(days=visit_survey_policy().valid_days),
        },
    )
    if created:
        audit_record(
            actor=None,
            action="visit_survey.invite",
            obj=survey,
            branch=branch,
            customer=customer,
            after={"visit": visit_ref, "expires_at": survey.expires_at.isoformat()},
        )
    return survey


class SurveyClosed(ValidationError):
    """The survey cannot take an answer any more: answered already (`code="answered"`) or expired
    (`code="expired"`). API views answer 409 and 410."""


@transaction.atomic
def visit_survey_answer(*, survey: VisitSurvey, score, comment: str = "", actor=None) -> VisitSurvey:
    """Record the customer's rating of a visit, once; a low score opens a follow-up work order
    for the department that follows up on customer satisfaction, its SLA clock running."""
    survey = (
        VisitSurvey.objects.select_for_update(of=("self",))
        .select_related("branch", "customer")
        .get(pk=survey.pk)
    )
    if survey.answered_at is not None:
        raise SurveyClosed(_("This survey was already answered. Thank you!"), code="answered")
    if survey.is_expired():
        raise SurveyClosed(_("This survey has expired. Thank you all the same!"), code="expired")
    if isinstance(score, bool) or not isinstance(score, int) or score not in VisitSurvey.Score.values:
        raise ValidationError({"score": _("Choose a score from 1 to 5.")})
    survey.score, survey.answered_at = score, timezone.now()
    survey.comment = mask_personal_numbers(comment.strip()[:2000])
    if score <= visit_survey_policy().follow_up_at_most:
        survey.follow_up = _visit_follow_up(survey)
    survey.save(update_fields=["score", "comment", "answered_at", "follow_up"])
    audit_record(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action="visit_survey.answer",
        obj=survey,
        branch=survey.branch,
        customer=survey.customer_id,
        after={"score": score, "follow_up": survey.follow_up.number if survey.follow_up else None},
    )
    push(
        groups.staff(survey.branch.code),
        "visit_survey.answered",
        {"score": score, "follow_up": survey.follow_up.number if survey.follow_up else None},
    )
    return survey


def _visit_follow_up(survey: VisitSurvey):
    category = Category.objects.filter(code=VISIT_FOLLOW_UP_CATEGORY).first()
    with translation.override(settings.LANGUAGE_CODE):
        title = gettext("Low score %(score)d/5 after a visit: %(service)s, ticket %(ticket)s") % {
            "score": survey.score,
            "service": survey.service_name,
            "ticket": survey.ticket_number or "—",
        }
        lines = [
            title,
            gettext("Receipt %(number)s.") % {"number": survey.receipt_number or "—"},
            gettext("The customer's comment: %(comment)s") % {"comment": survey.comment or "—"},
        ]
    return work_order_create(
        actor=None,
        kind=WorkOrderKind.FOLLOW_UP,
        channel=Channel.SURVEY,
        branch=survey.branch,
        customer=survey.customer,
        title=title,
        description="\n".join(lines),
        category=category,
        department=department_of_kind(VISIT_FOLLOW_UP_DEPARTMENT, survey.branch),
    )
