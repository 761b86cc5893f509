"""The OpenAPI schema lists the input of every new queue step."""

import json

import pytest


@pytest.fixture
def schema(client, db):
    response = client.get("/api/schema/?format=json", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return json.loads(response.content)


def _request_properties(schema, path: str, method: str) -> set[str]:
    body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    name = body["$ref"].rsplit("/", 1)[1]
    return set(schema["components"]["schemas"][name]["properties"])


def test_customer_left_and_transfer_back_take_a_note(schema):
    assert _request_properties(schema, "/api/v1/queue/tickets/{id}/customer-left/", "post") == {"note"}
    assert _request_properties(schema, "/api/v1/queue/tickets/{id}/transfer-back/", "post") == {"note"}


def test_the_work_profile_lists_queues_mode_and_ratios(schema):
    assert _request_properties(schema, "/api/v1/queue/counters/{id}/work-profile/", "put") == {
        "queues", "mode", "ratios"}


def test_the_timeline_and_the_branch_state_are_described(schema):
    timeline = schema["paths"]["/api/v1/queue/tickets/{id}/timeline/"]["get"]["responses"]["200"]
    page = timeline["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][page]["properties"]["results"]["type"] == "array"
    state = schema["components"]["schemas"]["QueueState"]["properties"]
    assert {"parked", "no_shows", "stranded"} <= set(state)
