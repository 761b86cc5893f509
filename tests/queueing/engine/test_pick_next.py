from queueing.engine import Channel, PolicyWeights, PriorityClass, pick_next

NO_SHORT_JOBS = PolicyWeights(short_job_weight=0)


def test_it_calls_the_longest_waiting_among_equals(weights, make_ticket, make_counter):
    tickets = [
        make_ticket(1, arrived_at=5),
        make_ticket(2, arrived_at=1),
        make_ticket(3, arrived_at=3),
    ]
    assert pick_next(make_counter("c1"), tickets, 10, weights) == 2


def test_it_calls_only_what_the_counter_is_skilled_for(weights, make_ticket, make_counter):
    tickets = [
        make_ticket(1, service="wealth", arrived_at=0),
        make_ticket(2, arrived_at=5),
    ]
    assert pick_next(make_counter("c1", skills=("cash",)), tickets, 10, weights) == 2
    assert pick_next(make_counter("c2", skills=("card",)), tickets, 10, weights) is None


def test_a_closed_counter_calls_nobody(weights, make_ticket, make_counter):
    assert pick_next(make_counter("c1", open=False), [make_ticket(1)], 10, weights) is None


def test_a_counter_does_not_call_kiosk_tickets(weights, make_ticket, make_counter):
    kiosk_ticket = make_ticket(1, channel=Channel.KIOSK, queue_prefix="S")
    assert pick_next(make_counter("c1"), [kiosk_ticket], 10, weights) is None
    kiosk = make_counter("k1", skills=("cash",), kind=Channel.KIOSK)
    assert pick_next(kiosk, [kiosk_ticket], 10, weights) == 1


def test_a_required_language_needs_a_counter_speaking_it(weights, make_ticket, make_counter):
    tickets = [
        make_ticket(1, arrived_at=0, language="en"),
        make_ticket(2, arrived_at=5),
    ]
    mandarin_only = make_counter("c1")
    bilingual = make_counter("c2", languages=frozenset({"zh-hans", "en"}))
    assert pick_next(mandarin_only, tickets, 10, weights) == 2
    assert pick_next(bilingual, tickets, 10, weights) == 1


def test_a_ticket_transferred_to_a_counter_is_called_only_there(weights, make_ticket, make_counter):
    tickets = [
        make_ticket(1, arrived_at=0, counter_id="c2"),
        make_ticket(2, arrived_at=5),
    ]
    assert pick_next(make_counter("c1"), tickets, 10, weights) == 2
    assert pick_next(make_counter("c2"), tickets, 10, weights) == 1


def test_a_vip_overtakes_a_normal_customer_who_came_a_little_earlier(weights, make_ticket, make_counter):
    tickets = [
        make_ticket(1, arrived_at=0),
        make_ticket(2, arrived_at=4, priority_class=PriorityClass.VIP, vip_tier=2),
    ]
    assert pick_next(make_counter("c1"), tickets, 6, weights) == 2


def test_ageing_means_a_normal_customer_is_not_overtaken_forever(make_ticket, make_counter):
    # The VIP head start is 12 points: after waiting 12 minutes longer, the normal ticket wins.
    weights = PolicyWeights(short_job_weight=0, max_wait_minutes=1000)
    counter = make_counter("c1")
    normal = make_ticket("normal", arrived_at=0)
    for minutes_later in (1, 5, 11):
        vip = make_ticket(
            "vip",
            arrived_at=minutes_later,
            priority_class=PriorityClass.VIP,
            vip_tier=2,
        )
        assert pick_next(counter, [normal, vip], 30, weights) == "vip"
    vip = make_ticket("vip", arrived_at=13, priority_class=PriorityClass.VIP, vip_tier=2)
    assert pick_next(counter, [normal, vip], 30, weights) == "normal"


def test_a_steady_stream_of_vips_does_not_starve_anyone(make_ticket, make_counter):
    # One counter, a new VIP every 4 minutes, each served in 4 minutes: the normal customer is
    # still called once their age outweighs the VIP head start.
    weights = PolicyWeights(short_job_weight=0, max_wait_minutes=1000)
    counter = make_counter("c1")
    waiting = [make_ticket("normal", arrived_at=0)]
    called_at = None
    for step in range(50):
        now = step * 4.0
        waiting.append(
            make_ticket(
                f"vip{step}",
                arrived_at=now,
                priority_class=PriorityClass.VIP,
                vip_tier=3,
            )
        )
        chosen = pick_next(counter, waiting, now, weights)
        waiting = [t for t in waiting if t.id != chosen]
        if chosen == "normal":
            called_at = now
            break
    assert called_at is not None and called_at <= 20


def test_a_ticket_past_the_hard_cap_goes_first_whatever_the_scores(weights, make_ticket, make_counter):
    weights = PolicyWeights(max_wait_minutes=20)
    tickets = [
        make_ticket("old", arrived_at=0),
        make_ticket("disabled", arrived_at=15, priority_class=PriorityClass.DISABILITY, boost=50),
    ]
    assert pick_next(make_counter("c1"), tickets, 21, weights) == "old"
    assert pick_next(make_counter("c1"), tickets, 19, weights) == "disabled"


def test_an_on_time_appointment_goes_ahead_of_walk_ins(weights, make_ticket, make_counter):
    tickets = [
        make_ticket("walk-in", arrived_at=0),
        make_ticket(
            "booked",
            arrived_at=8,
            priority_class=PriorityClass.APPOINTMENT,
            appointment_window=(5, 20),
        ),
    ]
    assert pick_next(make_counter("c1"), tickets, 10, weights) == "booked"


def test_an_early_appointment_waits_like_a_walk_in_until_its_window_opens(make_ticket, make_counter):
    weights = NO_SHORT_JOBS
    tickets = [
        make_ticket("walk-in", arrived_at=0),
        make_ticket(
            "early",
            arrived_at=2,
            priority_class=PriorityClass.APPOINTMENT,
            appointment_window=(30, 45),
        ),
    ]
    assert pick_next(make_counter("c1"), tickets, 10, weights) == "walk-in"
    assert (
        pick_next(
            make_counter("c1"),
            tickets,
            31,
            PolicyWeights(short_job_weight=0, max_wait_minutes=100),
        )
        == "early"
    )


def test_a_late_appointment_routed_as_normal_gets_no_priority(weights, make_ticket, make_counter):
    tickets = [make_ticket("walk-in", arrived_at=0), make_ticket("late", arrived_at=3)]
    assert pick_next(make_counter("c1"), tickets, 10, weights) == "walk-in"


def test_a_lobby_manager_boost_moves_a_ticket_up(weights, make_ticket, make_counter):
    tickets = [make_ticket(1, arrived_at=0), make_ticket(2, arrived_at=5, boost=10)]
    assert pick_next(make_counter("c1"), tickets, 6, weights) == 2


def test_short_services_go_first_when_waits_are_similar(weights, service_times, make_ticket, make_counter):
    tickets = [
        make_ticket("card", service="card", arrived_at=0),
        make_ticket("cash", arrived_at=2),
    ]
    counter = make_counter("c1")
    assert pick_next(counter, tickets, 5, weights, service_times) == "cash"
    assert pick_next(counter, tickets, 5, NO_SHORT_JOBS, service_times) == "card"


def test_past_the_hard_cap_any_skilled_teller_calls_a_customer_waiting_for_a_language(
    make_ticket, make_counter
):
    weights = PolicyWeights(max_wait_minutes=20)
    tickets = [make_ticket("english", arrived_at=0, language="en"), make_ticket(2, arrived_at=5)]
    mandarin_only = make_counter("c1")
    assert pick_next(mandarin_only, tickets, 15, weights) == 2
    assert pick_next(mandarin_only, tickets, 21, weights) == "english"


def test_past_the_hard_cap_a_counter_calls_over_a_customer_stuck_at_the_video_teller(
    make_ticket, make_counter
):
    weights = PolicyWeights(max_wait_minutes=20)
    stuck = make_ticket("stuck", service="card", arrived_at=0, channel=Channel.VTM)
    counter = make_counter("c1")
    assert pick_next(counter, [stuck], 15, weights) is None
    assert pick_next(counter, [stuck], 21, weights) == "stuck"
