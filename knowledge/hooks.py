"""The registry of hand-off handlers: who takes over a question the FAQ assistant hands to a person.

The service desk (below knowledge in the app order) opens a work order for it; knowledge's
`wiring.connect()` registers `servicedesk.services.work_order_from_handoff` at start-up. Tests
register their own handlers to watch hand-offs:
    def open_work_order(handoff: Handoff) -> str | None:
        ...create the work order...
        return work_order.ref          # shown to the customer, stored on the exchange

    register_handoff(open_work_order)

A handler that sets something in motion the customer must hear about returns a `HandoffTaken`
naming it (continuity's fraud path: `HandoffTaken(actions=(CARD_FREEZE_SENT,))`); the assistant
words its reply from those actions instead of telling the customer to do it themselves.

Handlers run inside the assistant's transaction (so a failure leaves no half-made hand-off) and
must not call the customer back synchronously.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Handoff:
    reason: str  # "fraud" | "complaint" | "own_account" | "advice"
    urgent: bool  # True for fraud: the lobby manager has been flagged already
    question: str
    channel: str  # "kiosk" | "web" | "staff"
    conversation: list[dict] = field(default_factory=list)  # [{"role": "customer"|"assistant", "text"}]
    tags: list[str] = field(default_factory=list)
    exchange_id: int | None = None  # knowledge.AssistantExchange
    branch_code: str = ""
    customer_id: int | None = None
    user_id: int | None = None
    device_id: int | None = None


# What a handler may report it did. The assistant owns the (translated) words for each.
CARD_FREEZE_SENT = "card_freeze_sent"  # freeze and dispute hold sent to core banking
CARD_FREEZE_AFTER_IDENTITY = "card_freeze_after_identity"  # staff check the ID, then freeze


@dataclass(frozen=True)
class HandoffTaken:
    ref: str = ""  # a work order's reference, if the handler opened one
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class HandoffOutcome:
    ref: str  # the first reference any handler returned ("" if none)
    actions: tuple[str, ...]  # every action the handlers reported, in order


HandoffHandler = Callable[[Handoff], "str | HandoffTaken | None"]
_handoff_handlers: list[HandoffHandler] = []


def register_handoff(fn: HandoffHandler) -> HandoffHandler:
    """fn(handoff) -> reference of the work order it created, a `HandoffTaken`, or None. Usable as
    a decorator."""
    if fn not in _handoff_handlers:
        _handoff_handlers.append(fn)
    return fn


def unregister_handoff(fn: HandoffHandler) -> None:
    if fn in _handoff_handlers:
        _handoff_handlers.remove(fn)


def hand_off(handoff: Handoff) -> HandoffOutcome:
    """Run every handler; the first reference returned names the work order."""
    refs: list[str] = []
    actions: list[str] = []
    for fn in list(_handoff_handlers):
        taken = fn(handoff)
        if isinstance(taken, HandoffTaken):
            refs += [taken.ref] if taken.ref else []
            actions += [a for a in taken.actions if a not in actions]
        elif taken:
            refs.append(taken)
    return HandoffOutcome(ref=refs[0] if refs else "", actions=tuple(actions))
