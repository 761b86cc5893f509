"""Two call-next rules tuned on the simulated branch days: the service-level bonus and a counter's
primary queue first (docs/queueing-engine.md, "What was tuned")."""

from queueing.engine import PolicyWeights, PriorityClass, estimate_waits, pick_next
from queueing.engine.scoring import service_level_bonus

PLAIN = PolicyWeights(short_job_weight=0)


def test_a_ticket_about_to_pass_the_service_level_goes_before_one_already_past_it(
        make_ticket, make_counter):
    tickets = [make_ticket("past", arrived_at=0), make_ticket("about to pass", arrived_at=5)]
    # At minute 17 "past" has waited 17 (over 15, under the 22-minute cap), the other 12.
    assert pick_next(make_counter("c1"), tickets, 17, PLAIN) == "about to pass"
    without = PolicyWeights(short_job_weight=0, service_level_weight=0)
    assert pick_next(make_counter("c1"), tickets, 17, without) == "past"


def test_the_hard_cap_still_beats_the_service_level(make_ticket, make_counter):
    tickets = [make_ticket("capped", arrived_at=0), make_ticket("about to pass", arrived_at=10)]
    assert pick_next(make_counter("c1"), tickets, PLAIN.max_wait_minutes + 1, PLAIN) == "capped"


def test_the_bonus_holds_only_in_the_window_before_the_level(make_ticket):
    ticket = make_ticket(1, arrived_at=0)
    level, window = PLAIN.service_level_minutes, PLAIN.service_level_window_minutes
    assert service_level_bonus(ticket, level - window - 0.1, PLAIN) == 0.0
    assert service_level_bonus(ticket, level - 0.1, PLAIN) == PLAIN.service_level_weight
    assert service_level_bonus(ticket, level, PLAIN) == 0.0


def test_an_on_time_appointment_stays_ahead_of_the_service_level_bonus(make_ticket, make_counter):
    tickets = [
        make_ticket("walk-in", arrived_at=0),
        make_ticket("booked", arrived_at=12, priority_class=PriorityClass.APPOINTMENT,
                    appointment_window=(10, 25)),
    ]
    assert pick_next(make_counter("c1"), tickets, 13, PLAIN) == "booked"


def test_the_vip_room_calls_its_primary_queue_first(make_ticket, make_counter):
    tickets = [
        make_ticket("elderly", arrived_at=0, priority_class=PriorityClass.ELDERLY),
        make_ticket("vip", arrived_at=4, queue_prefix="V", vip_tier=2, priority_class=PriorityClass.VIP),
    ]
    vip_room = make_counter("v1", queue_prefixes=("V", "A"), primary_queue="V")
    general = make_counter("c1", queue_prefixes=("V", "A"))
    assert pick_next(vip_room, tickets, 6, PLAIN) == "vip"
    assert pick_next(general, tickets, 6, PLAIN) == "elderly"
    # A ticket past the hard cap anywhere still comes first.
    late = PLAIN.max_wait_minutes + 1
    assert pick_next(vip_room, tickets, late, PLAIN) == "elderly"


def test_the_estimator_follows_the_primary_queue_rule(make_ticket, make_counter, service_times):
    tickets = [
        make_ticket("elderly", arrived_at=0, priority_class=PriorityClass.ELDERLY),
        make_ticket("vip", arrived_at=4, queue_prefix="V", vip_tier=2, priority_class=PriorityClass.VIP),
    ]
    vip_room = make_counter("v1", queue_prefixes=("V", "A"), primary_queue="V")
    waits = estimate_waits(tickets, [vip_room], service_times, 6, PLAIN)
    assert waits["vip"] == 0.0 and waits["elderly"] > 0.0
