import pytest

from queueing.engine import Channel, ServiceTimeModel


def test_without_history_it_uses_the_catalog_target(catalog):
    model = ServiceTimeModel(catalog)
    assert model.expected("card", Channel.COUNTER) == 12
    assert model.expected("cash", Channel.KIOSK) == 3


def test_an_unknown_service_gets_a_default(catalog):
    assert ServiceTimeModel(catalog).expected("mystery", Channel.COUNTER) == 10


def test_with_much_history_it_follows_what_tellers_actually_take(catalog):
    model = ServiceTimeModel.from_history(catalog, [("card", "counter", 8.0)] * 50)
    assert model.expected("card", Channel.COUNTER) == pytest.approx(8 + (12 - 8) * 5 / 55)


def test_with_little_history_it_stays_near_the_catalog(catalog):
    model = ServiceTimeModel.from_history(catalog, [("card", "counter", 6.0)])
    assert model.expected("card", Channel.COUNTER) == pytest.approx((6 + 5 * 12) / 6)


def test_one_forgotten_ticket_does_not_ruin_the_estimate(catalog):
    samples = [("cash", "counter", m) for m in (3.5, 4.0, 4.5, 3.8, 4.2, 4.1, 3.9, 4.0, 4.3, 3.7)]
    clean = ServiceTimeModel.from_history(catalog, samples, prior_weight=0)
    messy = ServiceTimeModel.from_history(catalog, [*samples, ("cash", "counter", 180.0)], prior_weight=0)
    assert messy.expected("cash", Channel.COUNTER) == pytest.approx(clean.expected("cash", Channel.COUNTER))


def test_it_forgets_samples_older_than_its_window(catalog):
    model = ServiceTimeModel(catalog, window=10, prior_weight=0)
    for _ in range(10):
        model.record("cash", Channel.COUNTER, 10.0)
    for _ in range(10):
        model.record("cash", Channel.COUNTER, 2.0)
    assert model.expected("cash", Channel.COUNTER) == 2.0
    assert model.sample_count("cash", Channel.COUNTER) == 10


def test_channels_are_learned_separately(catalog):
    model = ServiceTimeModel.from_history(catalog, [("cash", "kiosk", 1.0)] * 20, prior_weight=0)
    assert model.expected("cash", Channel.KIOSK) == 1.0
    assert model.expected("cash", Channel.COUNTER) == 4
