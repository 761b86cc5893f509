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
    from core.api_errors import exception_handler
    from queueing.errors import TicketStateError

    response = exception_handler(TicketStateError("The ticket is not waiting."), {})
    assert response.status_code == 409
    assert response.data == {"code": "conflict", "detail": "The ticket is not waiting."}


@pytest.mark.parametrize("refusal", ["django", "form"])
def test_a_services_field_refusal_is_a_400_with_its_fields(refusal):
    from django.core.exceptions import ValidationError

    from core.api_errors import exception_handler
    from counter.services import FormInvalid

    errors = {"id_number": ["bad check digit"]}
    error = ValidationError(errors) if refusal == "django" else FormInvalid(errors)
    response = exception_handler(error, {})
    assert response.status_code == 400
    assert response.data == {"code": "invalid", "detail": "bad check digit", "errors": errors}


def test_context_beside_a_refusal_keeps_the_one_shape():
    from core.api_errors import Invalid, exception_handler

    response = exception_handler(Invalid({"file": ["2 errors; nothing was imported."]},
                                         {"lines": [{"line": 3, "message": "no title"}]}), {})
    assert response.data == {"code": "invalid", "detail": "2 errors; nothing was imported.",
                             "errors": {"file": ["2 errors; nothing was imported."]},
                             "lines": [{"line": 3, "message": "no title"}]}
