"""Pure queueing engine: routing, call-next, wait estimates, Erlang C and the branch simulator.

No Django here: production (``queueing.services``) and the simulator drive the same functions.
"""

from .erlang import erlang_c, servers_needed, service_level
from .estimate import estimate_wait, estimate_waits
from .routing import recommend_route, ticket_priority
from .scoring import pick_next, pick_next_ticket, ticket_score
from .service_times import ServiceTimeModel
from .types import (
    AppointmentInfo,
    Channel,
    Complexity,
    CounterState,
    CustomerProfile,
    LiveState,
    PolicyWeights,
    PriorityClass,
    ProfileMode,
    Reason,
    Recommendation,
    ServiceProfile,
    WaitingTicket,
    WorkProfile,
    minutes_since,
)

__all__ = [
    "AppointmentInfo",
    "Channel",
    "Complexity",
    "CounterState",
    "CustomerProfile",
    "LiveState",
    "PolicyWeights",
    "PriorityClass",
    "ProfileMode",
    "Reason",
    "Recommendation",
    "ServiceProfile",
    "ServiceTimeModel",
    "WaitingTicket",
    "WorkProfile",
    "erlang_c",
    "estimate_wait",
    "estimate_waits",
    "minutes_since",
    "pick_next",
    "pick_next_ticket",
    "recommend_route",
    "servers_needed",
    "service_level",
    "ticket_priority",
    "ticket_score",
]
