"""One-tap arrival actions that higher apps offer to a customer the face greeting recognised.

customers sits below queueing, appointments and kiosk, so it cannot call them. Instead each of
them registers an action here (in its AppConfig.ready):

    from customers.face.hooks import Offer, register_arrival_action

    register_arrival_action(
        key="appointment.check_in",
        offer=lambda arrival: Offer(label=_("Check in for 10:30"), detail="10:30 Wealth management",
                                    is_appointment=True, staff_hint=_("Meet at zone B")),
        perform=lambda arrival: {"message": _("Checked in. Your ticket is A012.")},
    )

`offer` is called for every recognised arrival and returns an Offer, or None when the action does
not apply (no appointment today, ...). It must be quick and read-only. `perform` runs when the
customer taps the offer on the kiosk; it does its own writes through its app's services and
returns what the kiosk shows ({"message": ...}). Keys are unique; the first registered offer is
shown first. See docs/face.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Arrival:
    """A recognised customer at a branch device (the kiosk or entrance camera that saw them)."""

    customer: Any  # customers.models.Customer
    branch: Any  # branches.models.Branch
    device: Any  # branches.models.Device


@dataclass(frozen=True)
class Offer:
    label: str | Promise  # the button on the kiosk
    detail: str | Promise = ""  # e.g. the appointment's time and service; also shown to staff
    staff_hint: str | Promise = ""  # the suggested action for the lobby manager
    is_appointment: bool = False  # makes the staff alert an "appointment customer arrived"


@dataclass(frozen=True)
class ArrivalAction:
    key: str
    offer: Callable[[Arrival], Offer | None]
    perform: Callable[[Arrival], dict]


_actions: dict[str, ArrivalAction] = {}


def register_arrival_action(
    *, key: str, offer: Callable[[Arrival], Offer | None], perform: Callable[[Arrival], dict]
) -> None:
    """Register (or, on a repeated key — e.g. autoreload — replace) a one-tap arrival action."""
    _actions[key] = ArrivalAction(key=key, offer=offer, perform=perform)


def unregister_arrival_action(key: str) -> None:
    _actions.pop(key, None)


def arrival_offers(arrival: Arrival) -> list[tuple[str, Offer]]:
    """(key, offer) for every registered action that applies to this arrival, in order."""
    found = []
    for action in list(_actions.values()):
        offer = action.offer(arrival)
        if offer is not None:
            found.append((action.key, offer))
    return found


def arrival_action(key: str) -> ArrivalAction | None:
    return _actions.get(key)
