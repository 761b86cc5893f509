"""Gathers the facts the suggestion rules (``suggestions.py``) judge, from the database."""

import datetime as dt

from appointments.models import CustomerFact, CustomerFactKind, SuggestionDismissal
from appointments.suggestions import DEPOSIT_WINDOW, DepositFact, Suggestion, VisitFacts, suggest


def visit_facts(*, customer, service_type, visit_day: dt.date, user=None) -> VisitFacts:
    assessment = customer.current_risk_assessment()
    deposits = CustomerFact.objects.filter(
        customer=customer,
        kind=CustomerFactKind.DEPOSIT_MATURITY,
        due_on__range=(visit_day - DEPOSIT_WINDOW, visit_day + DEPOSIT_WINDOW),
    )
    dismissed = SuggestionDismissal.objects.filter(user=user).values_list("rule", flat=True) if user else []
    return VisitFacts(
        visit_day=visit_day,
        service_needs_risk_assessment=bool(service_type.risk_level),
        risk_assessment_expires_on=assessment.expires_on if assessment else None,
        id_document_expires_on=customer.id_expiry,
        deposits=tuple(DepositFact(d.label or d.get_kind_display(), d.due_on) for d in deposits),
        dismissed=frozenset(dismissed),
    )


def suggestions_for(*, customer, service_type, visit_day: dt.date, user=None) -> list[Suggestion]:
    return suggest(visit_facts(customer=customer, service_type=service_type, visit_day=visit_day, user=user))
