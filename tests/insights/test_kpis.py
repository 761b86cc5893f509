from pathlib import Path

import pytest

from insights import kpis
from insights.models import BranchDayStat
from insights.services import rollup_day
from tests.insights.conftest import DAY


def figures(branch):
    row = rollup_day(branch=branch, day=DAY)
    totals = {f.name: getattr(row, f.name) for f in BranchDayStat._meta.get_fields()
              if f.get_internal_type().endswith("IntegerField")}
    return {kpi.key: value for kpi, value in kpis.evaluate(totals)}


@pytest.fixture
def day(branch, history):
    return figures(branch)


def test_it_counts_arrivals_and_customers_served(day):
    assert day["arrivals"] == 5
    assert day["served"] == 3


def test_no_shows_and_cancellations_are_abandonment(day):
    assert day["abandonment_rate"] == pytest.approx(2 / 5)


def test_waits_are_measured_from_issue_to_first_call(day):
    # 4, 20, 20 and 2 minutes.
    assert day["mean_wait"] == pytest.approx(11.5)
    assert day["within_target"] == pytest.approx(0.5)


def test_p90_wait_is_interpolated_inside_its_histogram_bucket(day):
    # Rank 3.6 of 4 falls in the 20–30 minute bucket holding 2 waits: 20 + 10 × 1.6 / 2.
    assert day["p90_wait"] == pytest.approx(28.0)


def test_handling_time_is_compared_with_the_service_target(day):
    # 6 + 4 + 10 minutes over 3 tickets with a 5-minute target.
    assert day["mean_handling"] == pytest.approx(20 / 3)
    assert day["handling_vs_target"] == pytest.approx(20 / 15)


def test_utilisation_is_serving_time_over_staffed_time(day):
    # Counter open 08:55–11:00 = 7,500 s; serving 1,200 s.
    assert day["utilisation"] == pytest.approx(1200 / 7500)


def test_counters_open_are_compared_with_the_counters_erlang_c_needed(day):
    # One counter needed at 09:00 and at 10:00; 2.083 counter-hours staffed.
    assert day["counters_open_vs_needed"] == pytest.approx((7500 / 3600) / 2)


def test_appointment_share_punctuality_and_no_shows(day):
    assert day["appointment_share"] == pytest.approx(1 / 5)
    assert day["punctuality"] == pytest.approx(1.0)
    assert day["appointment_no_show"] == pytest.approx(1 / 2)  # the cancelled one is not due


def test_wait_estimate_accuracy_is_the_mean_absolute_error(day):
    # Quoted 5 min, waited 4; quoted 10, waited 20.
    assert day["wait_estimate_mae"] == pytest.approx(5.5)


def test_complaints_are_per_ten_thousand_served(day):
    assert day["complaints_per_10k"] == pytest.approx(10_000 / 3)


def test_sla_attainment_counts_resolutions_by_their_deadline(day):
    assert day["sla_attainment"] == pytest.approx(0.5)


def test_survey_score_and_net_promoter_score(day):
    assert day["survey_score"] == pytest.approx(8.0)
    assert day["nps"] == pytest.approx(100 / 3)


def test_compliance_coverage_counts_records_that_ran_their_required_rules(day):
    # The risk-rated service needed a suitability check that never ran.
    assert day["compliance_coverage"] == pytest.approx(0.5)


def test_an_empty_day_has_no_rates_rather_than_zeros(branch):
    day = figures(branch)
    assert day["arrivals"] == 0
    assert day["mean_wait"] is None and day["abandonment_rate"] is None


def test_every_kpi_is_documented():
    text = (Path(__file__).resolve().parents[2] / "docs" / "insights.md").read_text(encoding="utf-8")
    assert all(f"`{kpi.key}`" in text for kpi in kpis.KPIS)
