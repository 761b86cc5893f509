"""The rating of a counter visit, offered on its e-receipt.

The service desk keeps the survey and opens a follow-up work order on a low score; the counter
invites it when the receipt is issued and shows it on the receipt page. servicedesk sits below
counter, but a deployment may leave it out: ask the app registry first (as the panel does)."""

from __future__ import annotations

from django.apps import apps
from django.utils import translation


def _installed() -> bool:
    return apps.is_installed("servicedesk")


def invite(*, record, receipt) -> None:
    """Called in the finishing transaction, right after the receipt is issued."""
    if not _installed():
        return
    from servicedesk.services import visit_survey_invite

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
    """The visit's survey, or None (issued before surveys existed, or no service desk)."""
    if not _installed():
        return None
    from servicedesk.models import VisitSurvey

    return VisitSurvey.objects.filter(visit_ref=receipt.record.ref).first()
