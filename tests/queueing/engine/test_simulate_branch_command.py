import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

PEAK = Path(__file__).resolve().parents[3] / "bench" / "simulate" / "scenarios" / "month_end_peak.json"


def run(**options):
    out = StringIO()
    call_command("simulate_branch", scenario=str(PEAK), stdout=out, **options)
    return json.loads(out.getvalue())


def test_it_prints_a_day_of_one_policy_as_json():
    report = run(policy="fifo", seed=3, hours=1)
    assert report["policy"] == "fifo" and report["customers"] > 0
    assert {"mean", "p50", "p95", "max", "within_15_min_pct"} <= set(report["wait"])


def test_it_compares_both_policies_on_the_same_customers():
    result = run(compare=True, seed=3, hours=1)
    assert result["smart"]["customers"] == result["fifo"]["customers"]
    assert "mean_wait_lower_pct" in result["improvement"]


def test_it_refuses_a_missing_scenario():
    with pytest.raises(CommandError):
        call_command("simulate_branch", scenario="no/such/file.json", stdout=StringIO())
