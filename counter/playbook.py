"""The standard procedure at a counter: steps, and what to do when something is wrong.

Each exception has a standard script (what the teller says), an alternative (what can still be
done today) and an escalation (who decides). Texts are translated like any UI string.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from counter.models import ExceptionKind, Step

STEPS: tuple[str, ...] = tuple(Step.values)


def next_step(step: str) -> str | None:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


@dataclass(frozen=True)
class Exceptional:
    kind: str
    script: str
    alternative: str
    escalation: str


EXCEPTIONS = {
    ExceptionKind.EXPIRED_ID: Exceptional(
        ExceptionKind.EXPIRED_ID,
        script=_(
            "Your ID card has expired, so by regulation we cannot complete this service with "
            "it today. We are sorry for the trouble."
        ),
        alternative=_(
            "Accept a temporary resident ID card or a valid passport where the service "
            "allows it; otherwise book an appointment for after the renewal."
        ),
        escalation=_(
            "Ask the lobby manager or branch supervisor to approve an exception under the "
            "identity verification policy."
        ),
    ),
    ExceptionKind.MISMATCH: Exceptional(
        ExceptionKind.MISMATCH,
        script=_(
            "Some details on the form differ from your document. Let us check them together "
            "before we continue."
        ),
        alternative=_(
            "Correct the form field by field from the original document (each correction "
            "is recorded), or update the customer's information first."
        ),
        escalation=_(
            "If the document itself is in doubt, stop and refer to the branch supervisor "
            "and compliance (possible identity fraud)."
        ),
    ),
    ExceptionKind.MISSING_DOCUMENT: Exceptional(
        ExceptionKind.MISSING_DOCUMENT,
        script=_("For this service we also need a document you do not have with you today."),
        alternative=_(
            "Keep the verified form: book an appointment so the customer need not fill it "
            "again, or offer the parts of the service that need no document."
        ),
        escalation=_("Open a follow-up work order so the back office can contact the customer."),
    ),
}

ACTIONS = ("script", "alternative", "escalation")


def complexity_target_seconds(service_type) -> int:
    """The service's time target from its complexity class (≤5 / ≤15 / ≥30 minutes)."""
    return int(service_type.target_minutes) * 60
