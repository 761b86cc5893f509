"""The live queue state: positions, the refresh pushed to every surface, no-show marking."""

import datetime as dt
from typing import cast

from django.db import connection, transaction
from django.utils import timezone

from core.live import groups, push_all
from queueing import payloads
from queueing.alerts import recent_alerts
from queueing.errors import TicketStateError
from queueing.models import (
    Ticket,
    TicketStatus,
    TurnNoticeChoice,
)
from queueing.policy import settings_for
from queueing.services.calling import ticket_no_show
from queueing.state import (
    branch_snapshot,
)

# --- estimates, alerts and no-shows (Celery) ---------------------------------------------

def positions_for(waiting: list[Ticket], estimates: dict) -> dict[int, int]:
    """Place in line per channel, in the order the engine expects to call them."""
    positions: dict[int, int] = {}
    by_channel: dict[str, list[Ticket]] = {}
    for ticket in waiting:
        by_channel.setdefault(ticket.channel, []).append(ticket)
    for tickets in by_channel.values():
        tickets.sort(key=lambda t: (estimates.get(t.pk) is None, estimates.get(t.pk) or 0,
                                    t.queued_at, t.pk))
        positions.update({t.pk: index for index, t in enumerate(tickets, start=1)})
    return positions


def stable_positions(waiting: list[Ticket], estimates: dict) -> dict[int, tuple[int, str]]:
    """Each waiting ticket's place in line and, when it went back, why. A place only goes back
    for a reason the customer is shown: a later customer with priority went ahead ("priority"),
    a customer who had stepped away came back ahead ("returned"), or the ticket itself was
    re-routed ("rerouted"). Anything else (estimates shuffling) keeps the earlier place."""
    computed = positions_for(waiting, estimates)
    by_channel: dict[str, list[Ticket]] = {}
    for ticket in waiting:
        by_channel.setdefault(ticket.channel, []).append(ticket)
    result = {}
    for ticket in waiting:
        new, old = computed[ticket.pk], ticket.position
        if old is None:
            result[ticket.pk] = (new, ticket.position_reason)
            continue
        if new <= old:
            result[ticket.pk] = (new, "" if new < old else ticket.position_reason)
            continue
        ahead = [other for other in by_channel[ticket.channel] if computed[other.pk] < new]
        later = [other for other in ahead if other.queued_at > ticket.queued_at]
        returned = [other for other in ahead if other.position is None]
        if later:
            result[ticket.pk] = (new, "priority")
        elif returned:
            result[ticket.pk] = (new, "returned")
        else:
            result[ticket.pk] = (old, ticket.position_reason)
    return result


@transaction.atomic
def queue_refresh(*, branch) -> None:
    """Recompute every waiting ticket's estimate and position, store and push what changed,
    and raise the dashboard's alerts (long waits, idle counters, rising estimates). The stored
    values are the one estimate every surface shows (`payloads.stored_estimates`)."""
    from queueing import scans

    snapshot = branch_snapshot(branch)
    waiting = cast(list[Ticket], snapshot.waiting)  # a full snapshot holds the Ticket rows
    estimates = snapshot.estimates()
    positions = stable_positions(waiting, estimates)
    changed: list[Ticket] = []
    before = {}
    for ticket in waiting:
        minutes = estimates.get(ticket.pk)
        seconds = None if minutes is None else round(minutes * 60)
        row = (seconds, *positions[ticket.pk])
        current = (ticket.estimated_wait_seconds, ticket.position, ticket.position_reason)
        if row != current:
            before[ticket.pk] = current
            ticket.estimated_wait_seconds, ticket.position, ticket.position_reason = row
            changed.append(ticket)
    if changed:
        # Estimates are advice, refreshed again at the next change: rows another transaction
        # holds (a call locking the queue, a concurrent refresh) are skipped, not waited for, so
        # a refresh never deadlocks with a call or with another refresh.
        free = set(Ticket.objects.filter(pk__in=[ticket.pk for ticket in changed])
                   .select_for_update(skip_locked=True).values_list("pk", flat=True))
        for ticket in changed:
            if ticket.pk not in free:
                (ticket.estimated_wait_seconds, ticket.position,
                 ticket.position_reason) = before[ticket.pk]
        changed = [ticket for ticket in changed if ticket.pk in free]
        _store_estimates(changed)
    pushes = _page_pushes(branch, changed)
    shown = payloads.stored_estimates(snapshot)
    scans.raise_alerts(snapshot, shown)
    payloads.forget_lobby_state(branch.code)
    pushes.append((groups.lobby(branch.code), "queue.state",
                   {"queues": payloads.queue_summaries(snapshot, shown)}))
    pushes.append((groups.staff(branch.code), "queue.state",
                   payloads.staff_state(snapshot, shown, alerts=recent_alerts(branch))))
    push_all(pushes)  # one send after commit (concurrently on the layer), not one per page
    if TurnNoticeChoice.objects.filter(ticket__branch=branch,
                                       ticket__status=TicketStatus.WAITING).exists():
        # Sent after this commit, each in its own transaction (a task, so retries are safe).
        from queueing.tasks import send_turn_notices

        branch_id = branch.pk
        transaction.on_commit(lambda: send_turn_notices.delay(branch_id))


_STORE_ROWS = 200  # rows per statement: 4 parameters each, within SQLite's parameter limit


def _store_estimates(tickets: list[Ticket]) -> None:
    """Write each ticket's estimate, place and reason: one UPDATE joined to a VALUES list per
    200 tickets (PostgreSQL and SQLite). `bulk_update` wrote the same rows but built a CASE
    expression per ticket and field, 60 % of a refresh's CPU with 200 waiting."""
    table = connection.ops.quote_name(Ticket._meta.db_table)
    for start in range(0, len(tickets), _STORE_ROWS):
        chunk = tickets[start:start + _STORE_ROWS]
        rows = ", ".join(["(CAST(%s AS integer), CAST(%s AS integer), CAST(%s AS integer), "
                          "CAST(%s AS varchar(20)))"] * len(chunk))
        params = [value for t in chunk for value in
                  (t.pk, t.estimated_wait_seconds, t.position, t.position_reason)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH v (id, wait, place, reason) AS (VALUES {rows}) "  # noqa: S608 - no input
                f'UPDATE {table} SET "estimated_wait_seconds" = v.wait, "position" = v.place, '
                f'"position_reason" = v.reason FROM v WHERE {table}."id" = v.id', params)


def _page_pushes(branch, changed: list[Ticket]) -> list[tuple[str, str, dict]]:
    """The ticket pages' new state, their timelines read in one query (not one per page)."""
    events = payloads.timeline_events(changed)
    pushes = []
    for ticket in changed:
        ticket.branch = branch
        pushes.append((groups.ticket(ticket.public_token), "ticket.updated",
                       payloads.ticket_page(ticket, events=events[ticket.pk])))
    return pushes


def ticket_mark_no_shows(*, branch, now: dt.datetime | None = None) -> list[Ticket]:
    """Called tickets whose recalls are used up and whose last call is older than the branch's
    `no_show_after_seconds` become no-shows (0 turns this off)."""
    settings = settings_for(branch)
    if not settings.no_show_after_seconds:
        return []
    now = now or timezone.now()
    overdue = Ticket.objects.filter(
        branch=branch, status=TicketStatus.CALLED, recall_count__gte=settings.recall_limit,
        called_at__lte=now - dt.timedelta(seconds=settings.no_show_after_seconds))
    marked = []
    for ticket in overdue:
        try:
            marked.append(ticket_no_show(actor=None, ticket=ticket))
        except TicketStateError:
            continue  # served or cancelled meanwhile
    return marked
