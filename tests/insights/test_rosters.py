"""Half-hour rosters from the Erlang C forecast, on the simulator's ordinary Tuesday."""

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from compliance.models import AuditEvent
from insights import rosters
from insights.models import Roster, RosterSlot, RosterStatus, SlotKind
from insights.roster_services import roster_assign, roster_generate, roster_publish
from tests.insights.roster_day import DAY, Day, scenario_demand


@pytest.fixture
def day(db):
    return Day()


def _plan_of(day: Day, demand):
    return rosters.plan_day(demand=demand, tellers=rosters.branch_tellers(day.branch),
                            counters=rosters.branch_counters(day.branch))


def _staffed(plan, counters):
    zone = {c.id: c.zone_kind for c in counters}
    staffed: dict[int, list[str]] = {}
    for (_teller, slot), counter in plan.work.items():
        staffed.setdefault(slot, []).append(zone[counter])
    return staffed


def test_the_ordinary_day_needs_six_counters_at_the_late_morning_peak():
    demand = scenario_demand()
    assert [rosters.slot_label(d.slot) for d in (demand[0], demand[-1])] == ["09:00", "16:30"]
    assert max(d.needed for d in demand) == 6
    assert next(d for d in demand if d.needed == 6).slot == 21  # 10:30
    assert all({"cash", "non_cash"} <= d.zones for d in demand)


def test_a_realistic_day_is_covered_with_staggered_hour_long_lunch_breaks(day):
    demand = scenario_demand()
    plan = _plan_of(day, demand)
    counters = rosters.branch_counters(day.branch)
    assert rosters.coverage_gaps(demand=demand, staffed=_staffed(plan, counters)) == []
    assert len(plan.breaks) == 7
    for teller_id, slots in plan.breaks.items():
        assert slots == list(range(slots[0], slots[0] + len(slots)))
        assert 1 <= len(slots) <= 2 and 22 <= slots[0] and slots[-1] <= 27  # 11:00–14:00
        assert not any((teller_id, s) in plan.work for s in slots)
    on_break = Counter(s for slots in plan.breaks.values() for s in slots)
    assert max(on_break.values()) <= 3  # staggered, not everyone at noon


def test_every_teller_sits_only_at_counters_their_skills_cover(day):
    plan = _plan_of(day, scenario_demand())
    tellers = {t.id: t for t in rosters.branch_tellers(day.branch)}
    counters = {c.id: c for c in rosters.branch_counters(day.branch)}
    assert all(rosters.can_staff(tellers[t], counters[c]) for (t, _s), c in plan.work.items())
    per_slot = Counter((s, c) for (_t, s), c in plan.work.items())
    assert max(per_slot.values()) == 1
    wealth1 = day.staff["wealth1"].pk
    assert {counters[c].code for (t, _s), c in plan.work.items() if t == wealth1} == {"06"}


def test_without_the_floater_the_lunch_hours_are_short_and_flagged(db):
    short_day = Day(floaters=0)
    demand = scenario_demand()
    plan = _plan_of(short_day, demand)
    counters = rosters.branch_counters(short_day.branch)
    gaps = rosters.coverage_gaps(demand=demand, staffed=_staffed(plan, counters))
    assert gaps
    # Six people for a day that peaks at six counters: only the lunch hours and the peak run short.
    assert all(21 <= g.slot <= 27 for g in gaps)


def test_the_forecast_is_the_same_weekday_of_the_last_four_weeks(day):
    day.seed_history()
    forecast = rosters.forecast_day(branch=day.branch, day=DAY)
    assert [d.slot for d in forecast] == list(range(18, 34))
    eleven = next(d for d in forecast if d.slot == 22)
    assert eleven.arrivals_per_hour == pytest.approx(34, abs=1)  # 11:00–12:00: 18 + 16 customers
    assert eleven.needed == rosters.staffing.counters_for(arrivals_per_hour=eleven.arrivals_per_hour,
                                                          handling_minutes=eleven.handling_minutes)
    assert rosters.forecast_day(branch=day.branch, day=DAY.replace(day=4)) == []  # no Wednesdays


def _cell(roster, teller, slot):
    return RosterSlot.objects.filter(roster=roster, teller=teller, slot=slot).first()


def test_the_manager_moves_a_teller_and_the_change_is_audited(day, django_user_model):
    manager = day.staff["teller1"]
    roster = roster_generate(branch=day.branch, day=DAY, actor=manager, demand=scenario_demand())
    teller3 = day.staff["teller3"]
    roster_assign(roster=roster, teller_id=teller3.pk, slot=18, kind="off", actor=manager)
    assert _cell(roster, teller3, 18) is None
    roster_assign(roster=roster, teller_id=teller3.pk, slot=18, kind="counter",
                  counter=day.counters["04"] if _cell(roster, day.staff["teller4"], 18) is None
                  else day.counters["03"], actor=manager)
    assert _cell(roster, teller3, 18).kind == SlotKind.COUNTER
    events = AuditEvent.objects.filter(action="insights.roster.assign").order_by("id")
    assert [e.after["kind"] for e in events] == ["off", "counter"]


def test_an_unskilled_teller_cannot_take_the_wealth_desk(day):
    roster = roster_generate(branch=day.branch, day=DAY, actor=None, demand=scenario_demand())
    before = list(RosterSlot.objects.filter(roster=roster).values_list("slot", "teller", "counter"))
    with pytest.raises(ValidationError, match="06"):
        roster_assign(roster=roster, teller_id=day.staff["teller1"].pk, slot=20, kind="counter",
                      counter=day.counters["06"], actor=None)
    assert list(RosterSlot.objects.filter(roster=roster).values_list("slot", "teller", "counter")) == before


def test_a_lunch_break_after_two_is_refused(day):
    roster = roster_generate(branch=day.branch, day=DAY, actor=None, demand=scenario_demand())
    with translation.override("en"), pytest.raises(ValidationError, match="11:00"):
        roster_assign(roster=roster, teller_id=day.staff["teller1"].pk, slot=30, kind="break", actor=None)
    assert _cell(roster, day.staff["teller1"], 30).kind == SlotKind.COUNTER


def test_publishing_waits_for_everyones_lunch_break(day):
    roster = roster_generate(branch=day.branch, day=DAY, actor=None, demand=scenario_demand())
    teller1 = day.staff["teller1"]
    for row in RosterSlot.objects.filter(roster=roster, teller=teller1, kind=SlotKind.BREAK):
        roster_assign(roster=roster, teller_id=teller1.pk, slot=row.slot, kind="off", actor=None)
    with translation.override("en"), pytest.raises(ValidationError, match="without a lunch break"):
        roster_publish(roster=roster, actor=None)
    assert Roster.objects.get(pk=roster.pk).status == RosterStatus.DRAFT
