"""The rating of a counter visit, offered on its e-receipt.

The service desk keeps the survey and opens a follow-up work order on a low score; the counter
invites it when the receipt is issued and shows it on the receipt page (servicedesk sits below
counter)."""

from __future__ import annotations

from django.utils import translation

from servicedesk.models import VisitSurvey
from servicedesk.services import visit_survey_invite


def invite(*, record, receipt) -> None:
    """Called in the finishing transaction, right after the receipt is issued."""
    with translation.override(receipt.content.get("language", "zh-hans")):
        service_name = record.service_type.name
    visit_survey_invite(
        visit_ref=record.ref,
        branch=record.branch,
        customer=record.customer,
        service_name=service_name,
        ticket_number=record.ticket.number,
        receipt_number=receipt.number,
        now=receipt.issued_at,
    )


def for_receipt(receipt):
    """The visit's survey, or None (the receipt was issued before surveys existed)."""
    return VisitSurvey.objects.filter(visit_ref=receipt.record.ref).first()
