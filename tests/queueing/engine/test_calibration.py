from queueing.engine import Channel
from queueing.engine.calibration import QuoteCalibration


def test_a_new_branch_shows_the_estimator_quote_unchanged():
    assert QuoteCalibration().adjust(Channel.COUNTER, 6.0) == 6.0


def test_quotes_that_came_out_optimistic_are_stretched_on_that_channel_only():
    calibration = QuoteCalibration(prior_minutes=10)
    for _ in range(20):
        calibration.record(Channel.COUNTER, quoted=4.0, waited=6.0)
    assert calibration.adjust(Channel.COUNTER, 10.0) == 14.4  # x (120 + 10) / (80 + 10)
    assert calibration.adjust(Channel.KIOSK, 10.0) == 10.0


def test_the_correction_is_bounded_and_no_quote_stays_no_quote():
    calibration = QuoteCalibration(bounds=(0.8, 2.0))
    for _ in range(50):
        calibration.record(Channel.VTM, quoted=1.0, waited=20.0)
    assert calibration.adjust(Channel.VTM, 5.0) == 10.0
    assert calibration.adjust(Channel.VTM, None) is None
