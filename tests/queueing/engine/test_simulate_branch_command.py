import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

LEGACY_PEAK = Path(__file__).resolve().parent / "legacy_scenarios" / "month_end_peak.json"


def run(scenario=LEGACY_PEAK, **options):
    out = StringIO()
    call_command("simulate_branch", scenario=str(scenario), stdout=out, **options)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("policy", ["smart", "fifo", "fifo_greeter"])
def test_it_prints_a_day_of_one_policy_as_json(policy):
    report = run(policy=policy, seed=3, hours=1)
    assert report["policy"] == policy and report["customers"] > 0
    assert {"mean", "p50", "p95", "max", "within_15_min_pct"} <= set(report["wait"])
    assert {"reneged", "balked", "abandonment_pct", "stranded"} <= set(report)


def test_it_compares_smart_with_every_baseline_on_the_same_customers():
    result = run(compare=True, seed=3, hours=1)
    assert result["smart"]["customers"] == result["fifo"]["customers"] == result["fifo_greeter"]["customers"]
    assert set(result["smart_versus"]) == {"fifo", "fifo_greeter"}
    assert "mean_at_most_0.7_fifo_greeter" in result["targets"]


def test_it_refuses_a_missing_scenario():
    with pytest.raises(CommandError):
        call_command("simulate_branch", scenario="no/such/file.json", stdout=StringIO())


def test_it_refuses_an_invalid_scenario_naming_the_field(tmp_path):
    data = json.loads(LEGACY_PEAK.read_text())
    data["points"][2]["kind"] = "desk"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError, match=r"points\[2\]\.kind"):
        run(scenario=path)
