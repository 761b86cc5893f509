"""The business done at the customer's home, recorded as at a counter.

The visit's lead staff serve it through the counter's own path, so insights, receipts, the
signature and compliance checks treat it like any counter service: a ticket (source walk-in) is
issued, called to the branch's home-visit service point, served, signed and finished. It all runs
in one transaction, so no teller can call the ticket in between and a refusal leaves nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.models import Branch, ServicePoint, Zone
from branches.points import HOME_VISIT_CODE
from compliance.audit import audit_record
from counter.models import ServiceRecord
from counter.services import record_finish, record_sign, service_start
from queueing.models import Source
from queueing.services import IssueRequest, counter_close, counter_open, ticket_call, ticket_issue

HOME_VISIT_POINT = HOME_VISIT_CODE


def home_visit_point(*, actor, branch: Branch) -> ServicePoint:
    """The branch's service point for home visits (created on first use, closed between visits;
    it lists no services, so it never counts as appointment capacity)."""
    point = ServicePoint.objects.filter(branch=branch, code=HOME_VISIT_POINT).first()
    if point is not None:
        return point
    zone = Zone.objects.filter(branch=branch).exclude(kind=Zone.Kind.SELF_SERVICE).order_by("pk").first()
    if zone is None:
        raise ValidationError({"branch": [_("The branch has no counter zone for its home-visit counter.")]})
    point = ServicePoint.objects.create(
        branch=branch,
        zone=zone,
        kind=ServicePoint.Kind.COUNTER,
        code=HOME_VISIT_POINT,
        name_zh_hans="上门服务",
        name_en="Home visits",
    )
    audit_record(
        actor=actor,
        action="outreach.home_visit_point",
        obj=point,
        branch=branch,
        after={"code": HOME_VISIT_POINT, "name": _("Home visits")},
    )
    return point


@transaction.atomic
def record_at_counter(*, actor, visit, signature_data_url: str) -> ServiceRecord:
    """Serve the visit's business through the counter services; returns the finished record."""
    point = home_visit_point(actor=actor, branch=visit.branch)
    counter_open(actor=actor, counter=point)
    ticket = ticket_issue(
        issue=IssueRequest(
            branch=visit.branch,
            service_type=visit.service_type,
            source=Source.WALK_IN,
            customer=visit.customer,
            actor=actor,
            enforce_hours=False,
        )
    )
    ticket_call(actor=actor, counter=point, ticket=ticket)
    record = service_start(actor=actor, ticket=ticket, counter=point)
    record = record_sign(actor=actor, record=record, data_url=signature_data_url)
    record_finish(actor=actor, record=record, outcome="done")
    counter_close(actor=actor, counter=point)
    record.refresh_from_db()
    return record
