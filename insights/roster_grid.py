"""The roster as the branch manager reads it: tellers down, half-hours across, each cell the
counter or the break, beside who actually signed in to a counter (queueing's counter sessions)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from branches.models import Zone
from insights import rosters
from insights.models import Roster, RosterSlot, SlotKind
from insights.roster_services import roster_demand, roster_staffed
from queueing.models import CounterSession


@dataclass
class Cell:
    slot: int
    kind: str = ""  # "counter", "break" or "" (not at a counter)
    counter: str = ""
    signed_in: str = ""  # the counter the teller had open in this half-hour, if any
    state: str = ""  # "absent": rostered, not signed in; "unplanned": signed in, not rostered


@dataclass
class Row:
    teller: rosters.Teller
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Column:
    slot: int
    label: str
    needed: int
    rostered: int
    signed_in: int | None
    short: bool
    missing_zones: list[str]


def signed_in(roster: Roster, slots: list[int], now: dt.datetime) -> dict[tuple[int, int], str]:
    """(teller, slot) → code of the counter the teller had open for any part of that half-hour."""
    tz = roster.branch.tz
    if not slots:
        return {}
    start = rosters.slot_start(roster.date, slots[0], tz)
    end = rosters.slot_start(roster.date, slots[-1] + 1, tz)
    sessions = (CounterSession.objects.filter(counter__branch=roster.branch, opened_at__lt=end)
                .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=start))
                .select_related("counter").order_by("opened_at"))
    result = {}
    for session in sessions:
        closed = session.closed_at or now
        for slot in slots:
            slot_from = rosters.slot_start(roster.date, slot, tz)
            slot_to = slot_from + dt.timedelta(minutes=rosters.SLOT_MINUTES)
            if session.opened_at < slot_to and closed > slot_from:
                result[(session.teller_id, slot)] = session.counter.code
    return result


def roster_grid(roster: Roster, *, now: dt.datetime) -> dict:
    demand = roster_demand(roster)
    slots = [d.slot for d in demand]
    tz = roster.branch.tz
    # Only half-hours that have begun can be compared with the sign-ins.
    begun = {s for s in slots if rosters.slot_start(roster.date, s, tz) <= now}
    planned = {(r.teller_id, r.slot): r for r in
               RosterSlot.objects.filter(roster=roster).select_related("counter")}
    actual = signed_in(roster, slots, now)
    rows = []
    for teller in rosters.branch_tellers(roster.branch):
        row = Row(teller)
        for slot in slots:
            plan = planned.get((teller.id, slot))
            cell = Cell(slot, plan.kind if plan else "", plan.counter.code if plan and plan.counter else "",
                        actual.get((teller.id, slot), ""))
            if slot in begun:
                if cell.kind == SlotKind.COUNTER and not cell.signed_in:
                    cell.state = "absent"
                elif cell.kind != SlotKind.COUNTER and cell.signed_in:
                    cell.state = "unplanned"
            row.cells.append(cell)
        rows.append(row)
    staffed = roster_staffed(roster)
    gaps = rosters.coverage_gaps(demand=demand, staffed=staffed)
    present: dict[int, int] = defaultdict(int)
    for (_teller, slot) in actual:
        present[slot] += 1
    columns = [Column(d.slot, rosters.slot_label(d.slot), d.needed, len(staffed.get(d.slot, [])),
                      present[d.slot] if d.slot in begun else None,
                      any(g.slot == d.slot and g.kind == "short" for g in gaps),
                      [str(Zone.Kind(g.zone).label) for g in gaps
                       if g.slot == d.slot and g.kind == "zone"])
               for d in demand]
    return {"rows": rows, "columns": columns, "gaps": gaps,
            "short_slots": sum(1 for c in columns if c.short or c.missing_zones),
            "absent": sum(1 for r in rows for c in r.cells if c.state == "absent"),
            "unplanned": sum(1 for r in rows for c in r.cells if c.state == "unplanned")}
