"""The OpenAPI schema documents each ticket step's own input (a client generated from it can send
a transfer, a park, a re-queue or a prioritisation)."""

import pytest


@pytest.fixture
def schema(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def _input_fields(schema, step: str) -> set[str] | None:
    operation = schema["paths"][f"/api/v1/queue/tickets/{{id}}/{step}/"]["post"]
    body = operation.get("requestBody")
    if body is None:
        return None
    reference = body["content"]["application/json"]["schema"]["$ref"]
    return set(schema["components"]["schemas"][reference.rsplit("/", 1)[1]]["properties"])


@pytest.mark.parametrize(("step", "fields"), [
    ("transfer", {"service", "queue", "counter_id", "keep_arrival", "note"}),
    ("park", {"note"}),
    ("requeue", {"keep_arrival"}),
    ("prioritise", {"boost_minutes"}),
])
def test_each_ticket_step_documents_its_own_input(schema, step, fields):
    assert _input_fields(schema, step) == fields


@pytest.mark.parametrize("step", ["recall", "start", "finish", "no-show", "resume", "cancel"])
def test_steps_without_input_document_no_body(schema, step):
    assert _input_fields(schema, step) is None
