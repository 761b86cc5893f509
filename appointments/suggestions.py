"""Personalised suggestions shown while booking: rule-based, explainable, never intrusive.

Each rule looks at plain facts about the customer and the visit and may return one suggestion,
which always carries the fact that triggered it (``reason``) so the customer and staff can see why
it appears. No product promotion: only things that save the customer a second trip. At most
``MAX_SUGGESTIONS`` are shown and the customer can switch any rule off (``dismissed``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

MAX_SUGGESTIONS = 2
SOON = timedelta(days=30)
DEPOSIT_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class DepositFact:
    """A time deposit that matures on a date; comes from core banking, not from this system."""

    product: str
    matures_on: date


@dataclass(frozen=True)
class VisitFacts:
    visit_day: date
    service_needs_risk_assessment: bool = False
    # None: no risk assessment on file.
    risk_assessment_expires_on: date | None = None
    id_document_expires_on: date | None = None
    deposits: tuple[DepositFact, ...] = ()
    dismissed: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Suggestion:
    code: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code]) % self.params

    @property
    def reason(self) -> str:
        return str(REASONS[self.code]) % self.params


MESSAGES = {
    "risk_assessment_expired": _("Your risk assessment expired: you can renew it at this visit."),
    "risk_assessment_expiring": _(
        "Your risk assessment expires on %(date)s: you can renew it at this visit."
    ),
    "risk_assessment_missing": _(
        "This service needs a risk assessment: allow about 15 minutes more to complete it."
    ),
    "deposit_matures": _(
        "Your time deposit %(product)s matures on %(date)s: you can choose how to renew it at this visit."
    ),
    "id_document_expiring": _("Your ID card on file expires on %(date)s: please bring your new ID card."),
}
REASONS = {
    "risk_assessment_expired": _("Risk assessment on file expired on %(date)s."),
    "risk_assessment_expiring": _("Risk assessment on file valid until %(date)s."),
    "risk_assessment_missing": _("No risk assessment on file; the chosen service requires one."),
    "deposit_matures": _("Time deposit %(product)s matures on %(date)s, within a week of the visit."),
    "id_document_expiring": _("ID card on file valid until %(date)s."),
}


def _risk_assessment(facts: VisitFacts) -> Suggestion | None:
    expires = facts.risk_assessment_expires_on
    if expires is None:
        if facts.service_needs_risk_assessment:
            return Suggestion("risk_assessment_missing")
        return None
    if expires < facts.visit_day:
        return Suggestion("risk_assessment_expired", {"date": expires.isoformat()})
    if expires <= facts.visit_day + SOON:
        return Suggestion("risk_assessment_expiring", {"date": expires.isoformat()})
    return None


def _deposit_matures(facts: VisitFacts) -> Suggestion | None:
    due = sorted(
        (d for d in facts.deposits if abs(d.matures_on - facts.visit_day) <= DEPOSIT_WINDOW),
        key=lambda d: d.matures_on,
    )
    if not due:
        return None
    return Suggestion("deposit_matures", {"product": due[0].product, "date": due[0].matures_on.isoformat()})


def _id_document(facts: VisitFacts) -> Suggestion | None:
    expires = facts.id_document_expires_on
    if expires is not None and expires <= facts.visit_day + SOON:
        return Suggestion("id_document_expiring", {"date": expires.isoformat()})
    return None


# In order of importance: the first rules win when more than MAX_SUGGESTIONS apply.
RULES: list[Callable[[VisitFacts], Suggestion | None]] = [_risk_assessment, _id_document, _deposit_matures]


def suggest(facts: VisitFacts) -> list[Suggestion]:
    found = []
    for rule in RULES:
        suggestion = rule(facts)
        if suggestion is not None and not (_family(suggestion.code) & facts.dismissed):
            found.append(suggestion)
    return found[:MAX_SUGGESTIONS]


def _family(code: str) -> set[str]:
    # Dismissing "risk_assessment" switches off all three risk-assessment variants.
    return {code, code.rsplit("_", 1)[0]}
