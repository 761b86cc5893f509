"""Scenario files are validated against the published JSON Schema, with errors naming the field."""

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from queueing.engine.simulation import SCHEMA_PATH, ScenarioError, load_scenario, scenario_from_dict

LEGACY = Path(__file__).resolve().parent / "legacy_scenarios"
SHIPPED = Path(__file__).resolve().parents[3] / "bench" / "simulate" / "scenarios"


@pytest.fixture
def day():
    return json.loads((LEGACY / "normal_day.json").read_text())


def test_the_schema_is_a_valid_json_schema():
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.validators.validator_for(schema).check_schema(schema)


@pytest.mark.parametrize(
    "path", sorted(LEGACY.glob("*.json")) + sorted(SHIPPED.rglob("*.json")), ids=lambda p: p.stem
)
def test_every_shipped_and_first_format_scenario_is_valid(path):
    assert load_scenario(path).points


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.pop("services"), "(top level)"),
        (lambda d: d.pop("arrivals_per_hour"), "(top level)"),
        (lambda d: d["points"][1].update(kind="desk"), "points[1].kind"),
        (lambda d: d["services"][0].update(complexity="easy"), "services[0].complexity"),
        (lambda d: d["services"][2]["duration"].update(teleport={"mean": 1}), "services[2].duration"),
        (lambda d: d["segments"][1].update(acceptance=1.5), "segments[1].acceptance"),
        (lambda d: d.update(arrivals_per_hour=[30, -1]), "arrivals_per_hour[1]"),
        (lambda d: d.update(patience={"mean": 0}), "patience.mean"),
        (lambda d: d.update(balking={"lobby_length": 10, "per_exta": 0.1}), "balking"),
        (
            lambda d: d["points"][0].update(work_profile={"queues": ["A"], "mode": "sometimes"}),
            "points[0].work_profile.mode",
        ),
    ],
)
def test_an_invalid_scenario_is_refused_naming_the_field(day, change, field):
    broken = copy.deepcopy(day)
    change(broken)
    with pytest.raises(ScenarioError) as error:
        scenario_from_dict(broken)
    assert str(error.value).startswith(f"{field}:")


def test_a_reference_to_an_unknown_skill_set_names_the_point(day):
    day["points"][3]["skills"] = "juggling"
    with pytest.raises(ScenarioError, match=r"points\[3\]\.skills: no skill set named 'juggling'"):
        scenario_from_dict(day)


def test_a_ratio_work_profile_needs_a_ratio_per_queue(day):
    day["points"][0]["work_profile"] = {"queues": ["A", "B"], "mode": "ratio", "ratios": [2]}
    with pytest.raises(ScenarioError, match=r"points\[0\]\.work_profile"):
        scenario_from_dict(day)


def test_unknown_notes_are_ignored_so_converted_files_keep_loading(day):
    day["source"] = "converted from a branch's ticket log"
    assert scenario_from_dict(day).name == "normal_day"


def test_a_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "day.json"
    path.write_text("{ not json")
    with pytest.raises(ScenarioError, match="not JSON"):
        load_scenario(path)
