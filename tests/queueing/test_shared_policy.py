"""The live branch and the branch simulator run one policy: the same defaults, the same choice."""

import dataclasses
import datetime as dt
from pathlib import Path

from queueing import services
from queueing.engine import PolicyWeights, pick_next_ticket
from queueing.engine.simulation import load_scenario
from queueing.policy import QueueSettings, settings_for
from queueing.state import branch_snapshot
from tests.factories import make_customer

LEGACY = Path(__file__).parent / "engine" / "legacy_scenarios" / "normal_day.json"
# Live-only settings: the simulator's scenarios set these themselves (queue letters come from the
# branch's zones; the language bound and alert threshold are branch operations, not routing).
LIVE_ONLY = {"language_wait_minutes", "long_wait_alert_minutes", "vip_queue_prefix",
             "kiosk_queue_prefix", "vtm_queue_prefix", "default_language", "elderly_age",
             "vip_queue_min_tier"}


def test_a_branch_without_settings_runs_the_policy_the_simulator_measures(branch):
    live = settings_for(branch).weights()
    simulated = load_scenario(LEGACY).weights
    for field in dataclasses.fields(PolicyWeights):
        if field.name not in LIVE_ONLY:
            assert getattr(live, field.name) == getattr(simulated, field.name), field.name


def test_every_routing_weight_the_engine_has_is_a_branch_setting():
    settable = {field.name for field in dataclasses.fields(QueueSettings)}
    engine = {field.name for field in dataclasses.fields(PolicyWeights)} - LIVE_ONLY
    assert engine <= settable


def test_the_live_call_next_and_the_simulator_call_the_same_ticket(
        branch, deposit, loan, open_counter, teller, issue, clock):
    elderly = make_customer(branch=branch, birth_date=dt.date(1950, 5, 1))
    issue(service_type=loan)
    clock.shift(dt.timedelta(minutes=2))
    issue()
    clock.shift(dt.timedelta(minutes=3))
    issue(customer=elderly)
    clock.shift(dt.timedelta(minutes=1))
    issue(service_type=loan)
    clock.shift(dt.timedelta(minutes=4))

    snapshot = branch_snapshot(branch)
    state = next(c for c in snapshot.live.counters if c.id == open_counter.pk)
    scenario_weights = dataclasses.replace(
        load_scenario(LEGACY).weights,
        **{name: getattr(snapshot.weights, name) for name in LIVE_ONLY})
    expected = pick_next_ticket(state, snapshot.live.waiting, snapshot.live.now, scenario_weights,
                                snapshot.live.service_times)

    called = services.ticket_call_next(actor=teller, counter=open_counter)

    assert called is not None and called.pk == expected.id
    assert called.customer == elderly  # the older customer's ticket, though issued later
