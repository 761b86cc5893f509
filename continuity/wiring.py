"""What continuity registers in the hooks of lower apps; called from `ContinuityConfig.ready`."""

import continuity.ledger_review  # noqa: F401 - registers the paper slip's maker-checker applier
from continuity.emergency import ticketing_refusal
from continuity.services import fraud_case_from_handoff
from knowledge.hooks import register_handoff
from queueing.issue_checks import register_issue_check


def connect() -> None:
    # Continuity sits above knowledge: it registers itself on the assistant's hand-off hook, so
    # "my card was just skimmed" also raises a card freeze and a dispute hold, not only a work order.
    register_handoff(fraud_case_from_handoff)
    # An active emergency plan pauses or limits ticketing inside queueing's ticket_issue.
    register_issue_check(ticketing_refusal)
