"""Stranded tickets: waiting for something no staffed counter will ever call, with the one-click
fixes the lobby manager's dashboard offers (let a counter serve the queue, open a counter,
re-route the ticket)."""

from dataclasses import replace

from queueing import engine
from queueing.state import BranchSnapshot


def _will_call(counter: engine.CounterState, ticket: engine.WaitingTicket) -> bool:
    """Could this counter call the ticket at some point (a language preference only delays it)?"""
    if not counter.open or not counter.can_serve(ticket, language_waived=True):
        return False
    profile = counter.work_profile
    return profile is None or ticket.queue_prefix in profile.queues or ticket.counter_id == counter.id


def _fixes(snapshot: BranchSnapshot, ticket: engine.WaitingTicket) -> list[dict]:
    fixes = []
    points = {p.pk: p for p in snapshot.points}
    unblocked = replace(ticket, counter_id=None)  # the same ticket, not tied to one counter
    for counter in snapshot.live.counters:
        point = points[counter.id]
        if counter.open and counter.can_serve(unblocked, language_waived=True):
            if ticket.counter_id is not None and ticket.counter_id != counter.id:
                fixes.append({"action": "reroute", "queue": ticket.queue_prefix,
                              "counter": point.code})
            elif counter.work_profile is not None:
                fixes.append({"action": "add_queue", "queue": ticket.queue_prefix,
                              "counter": point.code, "counter_id": point.pk})
        elif not counter.open and counter.kind == ticket.channel and _has_skill(point, ticket):
            fixes.append({"action": "open", "counter": point.code, "counter_id": point.pk})
    return fixes


def _has_skill(point, ticket: engine.WaitingTicket) -> bool:
    # A counter with no configured services takes them all (as in `state._skills`).
    codes = {s.code for s in point.service_types.all()}
    return not codes or ticket.service_code in codes


def stranded_tickets(snapshot: BranchSnapshot, estimates=None) -> list[dict]:
    """Waiting tickets no open, staffed counter can call, each with what would unblock it."""
    rows = []
    by_id = {t.pk: t for t in snapshot.waiting}
    for ticket in snapshot.live.waiting:
        if ticket.channel == engine.Channel.KIOSK:
            continue  # self-service: the customer serves themselves
        if any(_will_call(counter, ticket) for counter in snapshot.live.counters):
            continue
        row = by_id[ticket.id]
        rows.append({"id": row.pk, "number": row.number, "queue": row.queue,
                     "service": ticket.service_code, "fixes": _fixes(snapshot, ticket)})
    return rows
