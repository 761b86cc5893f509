"""Every API answers a refusal in one shape: {"code", "detail", "errors"?}, translated."""

import pytest


def test_an_unknown_object_is_a_translated_not_found(client, teller):
    client.force_login(teller)
    response = client.get("/api/queue/tickets/999999/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "未找到相应记录，或您无权查看。"}


def test_a_signed_out_caller_is_told_in_the_same_shape(client):
    response = client.get("/api/queue/tickets/1/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"code", "detail"}
    assert response.json()["code"] in ("not_authenticated", "authentication_failed")


def test_a_wrong_method_is_json_in_the_same_shape(client, teller):
    client.force_login(teller)
    response = client.delete("/api/queue/tickets/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (404, 405)
    assert set(response.json()) == {"code", "detail"}


@pytest.mark.parametrize("payload, fields", [
    ({"errors": {"id_number": ["bad check digit"]}}, {"id_number": ["bad check digit"]}),
    ({"service": ["Unknown service."]}, {"service": ["Unknown service."]}),
    ({"lines": [{"amount": ["too big"]}]}, {"lines.0.amount": ["too big"]}),
])
def test_older_validation_payloads_leave_as_fields(payload, fields):
    from rest_framework.exceptions import ValidationError

    from core.api_errors import error_body

    body = error_body(ValidationError(payload), ValidationError(payload).detail)
    assert body["code"] == "invalid" and body["errors"] == fields and body["detail"]


def test_a_state_refusal_is_a_conflict_with_one_sentence():
    from core.api_errors import error_body
    from queueing.api import Conflict

    refusal = Conflict({"detail": ["The ticket is not waiting."]})
    assert error_body(refusal, refusal.detail) == {"code": "conflict",
                                                   "detail": "The ticket is not waiting."}
