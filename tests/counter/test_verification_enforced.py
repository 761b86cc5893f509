"""A pre-filled field must be confirmed or corrected before the service is done; only a supervisor
may override, with a reason, and the receipt and the measures say per field what happened."""

from django.test import Client
from django.urls import reverse

from compliance.models import AuditEvent
from counter.models import FieldVerification, Receipt, RecordStatus, ServiceRecord
from tests.counter.test_console import confirm_the_rest, serve_and_sign


def _confirm(client, record, field):
    return client.post(
        reverse("counter:record-verify", args=[record.pk]), {"field": field}, HTTP_HX_REQUEST="true"
    )


def _finish(client, record, outcome="done", **data):
    return client.post(
        reverse("counter:record-finish", args=[record.pk]),
        {"outcome": outcome, **data},
        HTTP_HX_REQUEST="true",
    )


def test_finishing_is_refused_while_a_prefilled_field_is_unchecked(
    clock, prefilled, teller_client, point, ticket
):
    record = serve_and_sign(teller_client, point, ticket)
    _confirm(teller_client, record, "full_name")
    page = teller_client.get(reverse("counter:console-current", args=[point.pk])).content.decode()
    assert 'data-testid="finish-refused"' in page and "身份证号码" in page
    assert 'data-testid="pending-id_number"' in page and 'data-testid="pending-full_name"' not in page

    refused = _finish(teller_client, record)

    assert refused.status_code == 400
    assert "尚未确认或更正" in refused.content.decode() and "手机号码" in refused.content.decode()
    assert ServiceRecord.objects.get(pk=record.pk).status == RecordStatus.IN_PROGRESS
    assert not Receipt.objects.exists()


def test_once_every_field_is_checked_the_service_is_done_and_the_receipt_says_so(
    clock, prefilled, teller_client, point, ticket
):
    record = serve_and_sign(teller_client, point, ticket)
    teller_client.post(
        reverse("counter:record-verify", args=[record.pk]),
        {"field": "mobile", "value": "13912345678", "correct": "1"},
        HTTP_HX_REQUEST="true",
    )
    confirm_the_rest(teller_client, record)
    assert _finish(teller_client, record).status_code == 200
    rows = {label: check for label, _value, check in Receipt.objects.get().content["form_rows"]}
    assert rows["手机号码"] == "已更正" and rows["姓名"] == "已核验"


def test_a_lobby_manager_overrides_with_a_reason_and_it_is_audited(
    clock, prefilled, teller_client, point, ticket, lobby_manager
):
    record = serve_and_sign(teller_client, point, ticket)
    _confirm(teller_client, record, "full_name")
    manager = Client()
    manager.force_login(lobby_manager)
    detail = manager.get(reverse("counter:record-detail", args=[record.pk])).content.decode()
    assert 'data-testid="override-form"' in detail and "身份证号码" in detail
    url = reverse("counter:record-override", args=[record.pk])
    assert manager.post(url, {"reason": "  "}).status_code == 400
    assert not FieldVerification.objects.filter(outcome="overridden").exists()

    manager.post(url, {"reason": "读卡器故障，已人工核对原件"})

    event = AuditEvent.objects.get(action="service.verification_override")
    assert event.actor_id == lobby_manager.pk and event.after["reason"] == "读卡器故障，已人工核对原件"
    assert "id_number" in event.after["fields"] and "full_name" not in event.after["fields"]
    assert _finish(teller_client, record).status_code == 200
    finished = ServiceRecord.objects.get(pk=record.pk)
    assert finished.fields_overridden == len(event.after["fields"]) and finished.fields_unverified == 0
    rows = {label: check for label, _value, check in Receipt.objects.get().content["form_rows"]}
    assert rows["姓名"] == "已核验" and rows["身份证号码"] == "未核验（主管特批）"
    measures = teller_client.get(reverse("counter:console-measures", args=[point.pk])).content.decode()
    assert "(0/0)" in measures and 'data-testid="forms-not-verified"' in measures


def test_a_teller_cannot_override_their_own_checks(clock, prefilled, teller_client, point, ticket):
    record = serve_and_sign(teller_client, point, ticket)
    response = teller_client.post(reverse("counter:record-override", args=[record.pk]), {"reason": "busy"})
    assert response.status_code == 403
    api = teller_client.post(
        reverse("counter:api-record-override", args=[record.pk]),
        {"reason": "busy"},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert not FieldVerification.objects.exists()


def test_the_api_override_answers_with_the_state_of_each_field(
    clock, prefilled, teller_client, point, ticket, branch_admin
):
    record = serve_and_sign(teller_client, point, ticket)
    _confirm(teller_client, record, "full_name")
    admin = Client()
    admin.force_login(branch_admin)
    url = reverse("counter:api-record-override", args=[record.pk])
    assert admin.post(url, {}, content_type="application/json").json()["errors"]["reason"]
    answer = admin.post(url, {"reason": "客户急需，原件已看"}, content_type="application/json").json()
    assert answer["field_checks"]["full_name"] == "confirmed"
    assert answer["field_checks"]["id_number"] == "overridden"


def test_a_service_not_done_never_calls_its_unchecked_fields_verified(
    clock, prefilled, teller_client, point, ticket
):
    record = serve_and_sign(teller_client, point, ticket)
    assert _finish(teller_client, record, "not_done", reason="客户改日再来").status_code == 200
    checks = {check for _label, _value, check in Receipt.objects.get().content["form_rows"]}
    assert checks == {"未核验"}
    assert ServiceRecord.objects.get(pk=record.pk).fields_unverified > 0
    page = teller_client.get(reverse("counter:receipt", args=[Receipt.objects.get().public_token]))
    assert "已核验" not in page.content.decode()


def test_the_teller_asks_the_branchs_supervisors_who_get_a_link_to_the_record(
    clock, prefilled, teller_client, point, ticket, lobby_manager, monkeypatch
):
    from counter.services import records

    sent = []
    monkeypatch.setattr(records, "push", lambda group, event, payload: sent.append((group, event, payload)))
    record = serve_and_sign(teller_client, point, ticket)

    response = teller_client.post(
        reverse("counter:record-ask-override", args=[record.pk]), HTTP_HX_REQUEST="true"
    )

    assert 'data-testid="console-notice"' in response.content.decode()
    toast = next(payload for group, event, payload in sent if group == f"user.{lobby_manager.pk}")
    assert (
        toast["url"] == reverse("counter:record-detail", args=[record.pk]) and ticket.number in toast["text"]
    )
    assert AuditEvent.objects.filter(action="service.override_asked").exists()
