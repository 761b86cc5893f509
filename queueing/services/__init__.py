"""Every write of the queueing app: issuing tickets, their lifecycle, and counters.

Each function owns its transaction, records a TicketEvent and an audit event, and pushes live
events after commit: a masked call to the lobby group, the full ticket to the staff group, the
customer's own view to the ticket group. Bad input raises `ValidationError` (HTTP 400); a step
the ticket or counter is not ready for raises `TicketStateError` (HTTP 409). Nothing is changed
in either case.

Callers import from here (`from queueing.services import IssueRequest, ticket_issue`); the modules of this
package group the functions by subject.
"""

from queueing.services.calling import (
    counter_has_skill,
    ticket_call,
    ticket_call_next,
    ticket_customer_left,
    ticket_finish,
    ticket_no_show,
    ticket_recall,
    ticket_self_serve,
    ticket_start_serving,
)
from queueing.services.common import (
    CURRENT,
    DEFAULT_APPOINTMENT_WINDOW,
    MANAGER_ROLES,
    WALK_IN_SOURCES,
    request_refresh,
)
from queueing.services.counters import (
    counter_close,
    counter_open,
    counter_pause,
    counter_set_work_profile,
)
from queueing.services.issuing import (
    IssueRequest,
    distance_km,
    engine_epoch,
    take_numbers,
    ticket_issue,
    ticket_recommend,
)
from queueing.services.moving import (
    ticket_cancel,
    ticket_park,
    ticket_prioritise,
    ticket_requeue,
    ticket_resume,
    ticket_transfer,
    ticket_transfer_back,
    transferred_from,
)
from queueing.services.notices import (
    turn_notice_choose,
    turn_notice_send,
    turn_notices_due,
    turn_notices_send_due,
)
from queueing.services.offline import (
    OfflineService,
    ticket_issue_offline,
    ticket_record_served_offline,
)
from queueing.services.refresh import (
    positions_for,
    queue_refresh,
    stable_positions,
    ticket_mark_no_shows,
)

__all__ = [
    "CURRENT",
    "DEFAULT_APPOINTMENT_WINDOW",
    "IssueRequest",
    "MANAGER_ROLES",
    "OfflineService",
    "WALK_IN_SOURCES",
    "counter_close",
    "counter_has_skill",
    "counter_open",
    "counter_pause",
    "counter_set_work_profile",
    "distance_km",
    "engine_epoch",
    "positions_for",
    "queue_refresh",
    "request_refresh",
    "stable_positions",
    "take_numbers",
    "ticket_call",
    "ticket_call_next",
    "ticket_cancel",
    "ticket_customer_left",
    "ticket_finish",
    "ticket_issue",
    "ticket_issue_offline",
    "ticket_mark_no_shows",
    "ticket_no_show",
    "ticket_park",
    "ticket_prioritise",
    "ticket_recall",
    "ticket_recommend",
    "ticket_record_served_offline",
    "ticket_requeue",
    "ticket_resume",
    "ticket_self_serve",
    "ticket_start_serving",
    "ticket_transfer",
    "ticket_transfer_back",
    "turn_notice_choose",
    "turn_notice_send",
    "turn_notices_due",
    "turn_notices_send_due",
    "transferred_from",
]
