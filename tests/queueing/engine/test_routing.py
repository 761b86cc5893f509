from dataclasses import replace

from queueing.engine import (
    AppointmentInfo,
    Channel,
    CustomerProfile,
    LiveState,
    PriorityClass,
    Reason,
    recommend_route,
    ticket_priority,
)

WALK_IN = CustomerProfile()
ELDERLY = CustomerProfile(age=72)


def lobby(make_counter, service_times, *, waiting=(), now=100.0, kiosks=2, vtms=1, counters=2, **kw):
    points = [make_counter(f"c{i}", ("cash", "card"), **kw) for i in range(counters)]
    points += [make_counter(f"k{i}", ("cash",), kind=Channel.KIOSK) for i in range(kiosks)]
    points += [make_counter(f"vtm{i}", ("card",), kind=Channel.VTM) for i in range(vtms)]
    return LiveState(now=now, waiting=tuple(waiting), counters=tuple(points), service_times=service_times)


def busy_queue(make_ticket, count, service="cash"):
    return [make_ticket(f"q{i}", service=service, arrived_at=90 + i * 0.1) for i in range(count)]


def test_an_idle_branch_sends_a_card_customer_straight_to_a_counter(
    catalog, make_counter, service_times, weights
):
    live = lobby(make_counter, service_times)
    route = recommend_route(catalog["card"], WALK_IN, None, live, weights)
    assert route.channel == Channel.COUNTER and route.queue_prefix == "B"
    assert route.estimated_wait_minutes == 0
    assert route.reasons == (Reason.NEEDS_TELLER,)
    assert route.alternative.channel == Channel.VTM


def test_a_long_counter_queue_sends_instant_services_to_the_kiosk(
    catalog, make_ticket, make_counter, service_times, weights
):
    live = lobby(make_counter, service_times, waiting=busy_queue(make_ticket, 8))
    route = recommend_route(catalog["cash"], WALK_IN, None, live, weights)
    assert route.channel == Channel.KIOSK and route.queue_prefix == "S"
    assert route.reasons[0] == Reason.SELF_SERVICE_FASTER
    assert route.alternative.channel == Channel.COUNTER
    assert route.alternative.estimated_wait_minutes > route.estimated_wait_minutes


def test_elderly_customers_keep_a_teller_with_the_kiosk_as_the_alternative(
    catalog, make_ticket, make_counter, service_times, weights
):
    live = lobby(make_counter, service_times, waiting=busy_queue(make_ticket, 8))
    route = recommend_route(catalog["cash"], ELDERLY, None, live, weights)
    assert route.channel == Channel.COUNTER and route.priority_class == PriorityClass.ELDERLY
    assert route.alternative.channel == Channel.KIOSK


def test_the_estimate_counts_work_ahead_not_heads(catalog, make_ticket, make_counter, service_times, weights):
    weights = replace(weights, overtaking_window_minutes=0)  # the tickets waiting now only
    cash_ahead = lobby(make_counter, service_times, waiting=busy_queue(make_ticket, 4), vtms=0)
    card_ahead = lobby(make_counter, service_times, waiting=busy_queue(make_ticket, 4, "card"), vtms=0)
    quick = recommend_route(catalog["card"], WALK_IN, None, cash_ahead, weights)
    slow = recommend_route(catalog["card"], WALK_IN, None, card_ahead, weights)
    assert quick.estimated_wait_minutes < slow.estimated_wait_minutes


def test_a_busy_counter_queue_sends_complex_services_to_the_video_teller(
    catalog, make_ticket, make_counter, service_times, weights
):
    live = lobby(make_counter, service_times, waiting=busy_queue(make_ticket, 6, "card"))
    route = recommend_route(catalog["card"], WALK_IN, None, live, weights)
    assert route.channel == Channel.VTM and route.queue_prefix == "T"
    assert route.reasons[0] == Reason.VTM_FASTER


def test_a_service_no_open_counter_offers_has_no_estimate(catalog, make_counter, service_times, weights):
    live = lobby(make_counter, service_times)
    route = recommend_route(catalog["wealth"], WALK_IN, None, live, weights)
    assert route.estimated_wait_minutes is None
    assert route.reasons[0] == Reason.NO_OPEN_CHANNEL


def test_a_specialist_service_says_so(catalog, make_counter, service_times, weights):
    live = lobby(make_counter, service_times)
    live = LiveState(
        now=live.now,
        waiting=(),
        counters=(*live.counters, make_counter("w1", ("wealth",))),
        service_times=service_times,
    )
    route = recommend_route(catalog["wealth"], WALK_IN, None, live, weights)
    assert route.queue_prefix == "W" and route.reasons[0] == Reason.SPECIALIST_COUNTER


def test_top_tier_vips_get_the_vip_queue(catalog, make_counter, service_times, weights):
    live = lobby(make_counter, service_times)
    route = recommend_route(catalog["card"], CustomerProfile(vip_tier=2), None, live, weights)
    assert route.queue_prefix == "V" and route.priority_class == PriorityClass.VIP
    low_tier = recommend_route(catalog["card"], CustomerProfile(vip_tier=1), None, live, weights)
    assert low_tier.queue_prefix == "B"


def test_an_english_speaker_gets_a_teller_who_speaks_english_when_one_is_on_duty(
    catalog, make_counter, service_times, weights
):
    english = CustomerProfile(language="en")
    mandarin_only = lobby(make_counter, service_times, kiosks=0)
    assert recommend_route(catalog["card"], english, None, mandarin_only, weights).language_required is None
    bilingual = lobby(make_counter, service_times, kiosks=0, languages=frozenset({"zh-hans", "en"}))
    route = recommend_route(catalog["card"], english, None, bilingual, weights)
    assert route.language_required == "en" and Reason.LANGUAGE in route.reasons


def test_appointment_punctuality_decides_the_priority(weights):
    window = AppointmentInfo(window_start=50, window_end=65)
    assert ticket_priority(WALK_IN, window, 55, weights) == (
        PriorityClass.APPOINTMENT,
        (Reason.APPOINTMENT_ON_TIME,),
    )
    assert ticket_priority(WALK_IN, window, 40, weights)[1] == (Reason.APPOINTMENT_EARLY,)
    assert ticket_priority(WALK_IN, window, 70, weights) == (
        PriorityClass.NORMAL,
        (Reason.APPOINTMENT_LATE,),
    )
    assert ticket_priority(ELDERLY, window, 70, weights)[0] == PriorityClass.ELDERLY


def test_disability_outranks_age_and_vip_tier_for_the_label(weights):
    customer = CustomerProfile(age=80, vip_tier=3, needs=frozenset({"wheelchair"}))
    assert ticket_priority(customer, None, 0, weights)[0] == PriorityClass.DISABILITY


def test_a_kiosk_a_little_slower_than_an_idle_counter_is_still_recommended_for_a_simple_task(
    catalog, make_counter, service_times, weights
):
    # cash: 4 min at a counter, 3 at a kiosk; with a kiosk queue of one the kiosk finishes
    # later, but within the slack: the teller stays free for someone who needs one.
    live = lobby(make_counter, service_times, kiosks=1)
    slower_kiosk = LiveState(
        now=live.now, waiting=(), counters=tuple(
            replace(c, busy_until=live.now + 4) if c.kind == Channel.KIOSK else c for c in live.counters),
        service_times=service_times)
    route = recommend_route(catalog["cash"], WALK_IN, None, slower_kiosk, weights)
    assert route.channel == Channel.KIOSK
    no_slack = recommend_route(catalog["cash"], WALK_IN, None, slower_kiosk,
                               replace(weights, self_service_slack_minutes=0))
    assert no_slack.channel == Channel.COUNTER


def test_the_vtm_is_recommended_within_the_slack_only_when_tellers_are_scarce(
    catalog, make_counter, service_times, weights
):
    idle = lobby(make_counter, service_times, counters=2)
    assert recommend_route(catalog["card"], WALK_IN, None, idle, weights).channel == Channel.COUNTER
    one_teller = lobby(make_counter, service_times, counters=1)
    assert recommend_route(catalog["card"], WALK_IN, None, one_teller, weights).channel == Channel.VTM
