"""The fraud emergency path against the fake core-banking process, with injected failures."""

import datetime as dt

import pytest
from celery.exceptions import Retry

from branches.roles import Role
from compliance.models import AuditEvent
from continuity import services, tasks
from continuity.models import CoreOperation, CoreRequest, CoreRequestStatus, FraudCase, FraudCaseStatus
from tests.factories import make_branch, make_customer, make_customer_user, make_device, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(customer_user):
    return customer_user.customer


def report_on_phone(client, user, capture, **form):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(
            "/continuity/fraud/report/",
            {"description": "我的卡被盗刷了，刚刚被转走两万", "amount": "20000", **form},
        )
    return response


def open_case(customer):
    return services.fraud_case_open(
        actor=customer.user,
        branch=customer.home_branch,
        customer=customer,
        channel="phone",
        description="卡被盗刷",
    )


def freeze_request(case) -> CoreRequest:
    return case.core_requests.get(operation=CoreOperation.FREEZE_CARD)


def test_a_customer_reports_fraud_on_the_phone_and_sees_the_card_frozen_and_the_hold_placed(
    client, customer, fake_core, sms, clock, django_capture_on_commit_callbacks
):
    response = report_on_phone(client, customer.user, django_capture_on_commit_callbacks)
    case = FraudCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/continuity/fraud/mine/{case.ref}/"
    page = client.get(response["Location"]).content.decode()
    assert case.ref in page and "冻结银行卡" in page and "止付争议款项" in page
    assert fake_core.ledger()["freezes"][customer.customer_no] == 1
    assert fake_core.ledger()["holds"][customer.customer_no] == 1
    case.refresh_from_db()
    assert case.status == FraudCaseStatus.HELD and case.frozen_at <= case.freeze_due_at
    # The customer was told at each step, by text.
    assert ["收到" in sms[0][1], "已冻结" in sms[1][1], "已止付" in sms[2][1]] == [True, True, True]
    assert all(to == customer.phone for to, _ in sms) and all(case.ref in body for _, body in sms)


def test_a_lost_reply_is_retried_with_backoff_and_the_card_is_frozen_once(customer, fake_core, clock):
    case = open_case(customer)
    request = freeze_request(case)
    fake_core.faults(fail_next=1, lose_next_replies=1)

    first = services.core_request_attempt(request_id=request.pk)  # 503 before core did anything
    second = services.core_request_attempt(request_id=request.pk)  # frozen, but the reply was lost
    third = services.core_request_attempt(request_id=request.pk)  # answered from the idempotency key

    assert (first.outcome, first.retry_in) == ("retry", 10)
    assert (second.outcome, second.retry_in) == ("retry", 20)
    assert third.outcome == "confirmed"
    assert fake_core.ledger()["freezes"][customer.customer_no] == 1
    request.refresh_from_db()
    assert request.status == CoreRequestStatus.CONFIRMED and request.attempts == 3
    actions = list(
        AuditEvent.objects.filter(object_type="continuity.corerequest", object_id=str(request.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "continuity.core_request.attempt",
        "continuity.core_request.fail",
        "continuity.core_request.attempt",
        "continuity.core_request.fail",
        "continuity.core_request.attempt",
        "continuity.core_request.confirm",
    ]
    confirm = AuditEvent.objects.get(action="continuity.core_request.confirm", object_id=str(request.pk))
    assert confirm.after["replayed"] is True


def test_a_confirmed_request_is_never_sent_again(customer, fake_core, clock):
    case = open_case(customer)
    request = freeze_request(case)
    assert services.core_request_attempt(request_id=request.pk).outcome == "confirmed"
    sent = fake_core.ledger()["requests"]
    assert services.core_request_attempt(request_id=request.pk).outcome == "nothing to do"
    assert fake_core.ledger()["requests"] == sent
    assert fake_core.ledger()["freezes"][customer.customer_no] == 1


def test_the_task_hands_a_failure_back_to_celery_with_the_backoff_and_a_later_run_confirms(
    customer, fake_core, clock, monkeypatch
):
    case = open_case(customer)
    request = freeze_request(case)
    retries = []

    def retry(countdown):
        retries.append(countdown)
        return Retry(when=countdown)

    monkeypatch.setattr(tasks.send_core_request, "retry", retry)
    fake_core.faults(fail_next=2)
    for _ in range(2):
        with pytest.raises(Retry):
            tasks.send_core_request.run(request.pk)
    assert retries == [10, 20]
    assert tasks.send_core_request.run(request.pk) == "confirmed"
    assert tasks.send_core_request.run(request.pk) == "nothing to do"  # a redelivered message
    assert fake_core.ledger()["freezes"][customer.customer_no] == 1


def test_the_reliable_tasks_are_acknowledged_late(db):
    assert tasks.send_core_request.acks_late and tasks.send_core_request.reject_on_worker_lost


def test_the_backoff_doubles_and_stops_at_its_cap(settings):
    settings.CORE_BANKING_RETRY_BASE_SECONDS, settings.CORE_BANKING_RETRY_MAX_SECONDS = 10, 60
    assert [services.backoff_seconds(n) for n in range(1, 6)] == [10, 20, 40, 60, 60]


def test_a_refusal_stops_retrying_alerts_the_branch_and_staff_can_send_it_again(
    client, customer, lobby_manager, fake_core, clock
):
    case = open_case(customer)
    request = freeze_request(case)
    fake_core.faults(refuse_next=1)
    assert services.core_request_attempt(request_id=request.pk).outcome == "refused"
    case.refresh_from_db()
    assert case.status == FraudCaseStatus.REFUSED
    client.force_login(lobby_manager)
    page = client.get(f"/continuity/fraud/{case.ref}/").content.decode()
    assert "核心系统已拒绝" in page and "account closed" in page and "重新发送" in page

    client.post(f"/continuity/fraud/{case.ref}/requests/{request.pk}/resend/")
    request.refresh_from_db()
    assert request.status == CoreRequestStatus.QUEUED
    assert services.core_request_attempt(request_id=request.pk).outcome == "confirmed"
    assert fake_core.ledger()["freezes"][customer.customer_no] == 1


def test_clocks_escalate_to_the_branch_when_at_risk_and_to_head_office_when_breached(
    client,
    customer,
    lobby_manager,
    head_office_admin,
    clock,
    live_events,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    case = open_case(customer)  # its tasks were lost
    resent = []
    monkeypatch.setattr(services, "_send_later", resent.append)

    def watch(minutes):
        with django_capture_on_commit_callbacks(execute=True):
            return services.fraud_clocks_watch(now=case.reported_at + dt.timedelta(minutes=minutes))

    assert watch(29) == 0
    assert sorted(resent) == sorted(case.core_requests.values_list("pk", flat=True))  # sent again
    assert watch(31) == 1
    case.refresh_from_db()
    assert case.escalation_level == 1
    clock.shift(minutes=31)
    client.force_login(lobby_manager)
    assert "有超时风险" in client.get("/continuity/fraud/").content.decode()

    assert watch(61) == 1
    case.refresh_from_db()
    assert case.escalation_level == 2
    toasts = [(group, payload["text"]) for group, event, payload in live_events if event == "toast"]
    assert any(group == f"user.{lobby_manager.pk}" and "有超时风险" in text for group, text in toasts)
    assert any(group == f"user.{head_office_admin.pk}" and "已超时" in text for group, text in toasts)
    assert watch(90) == 0  # escalated once per level


def test_a_kiosk_report_waits_for_staff_to_identify_the_customer(
    client, branch, lobby_manager, fake_core, clock, django_capture_on_commit_callbacks, live_events
):
    device, token = make_device(branch)
    customer = make_customer(branch=branch)
    sent_before = fake_core.ledger()["requests"]
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(
            "/api/continuity/fraud-cases/",
            {"description": "卡被偷了"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Device {token}",
        )
    assert reply.status_code == 201 and reply.json()["status"] == FraudCaseStatus.NEEDS_CUSTOMER
    assert fake_core.ledger()["requests"] == sent_before  # nobody to freeze yet
    assert (f"user.{lobby_manager.pk}", "toast") in [event[:2] for event in live_events]

    ref = reply.json()["ref"]
    client.force_login(lobby_manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/continuity/fraud/{ref}/identify/", {"customer_no": customer.customer_no})
    case = FraudCase.objects.get(ref=ref)
    assert case.customer == customer and case.status == FraudCaseStatus.HELD
    assert fake_core.ledger()["freezes"][customer.customer_no] == 1


def test_identifying_an_unknown_customer_number_is_refused_and_changes_nothing(
    client, branch, lobby_manager, clock
):
    case = services.fraud_case_open(actor=None, branch=branch, channel="kiosk", description="卡被偷了")
    client.force_login(lobby_manager)
    response = client.post(f"/continuity/fraud/{case.ref}/identify/", {"customer_no": "NOPE"})
    assert response.status_code == 400 and "没有此客户号。" in response.content.decode()
    case.refresh_from_db()
    assert case.customer is None


def test_the_assistant_raises_the_freeze_when_a_signed_in_customer_reports_fraud(
    client, customer, fake_core, clock, django_capture_on_commit_callbacks
):
    client.force_login(customer.user)
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(
            "/api/knowledge/assistant",
            {"question": "我的卡被盗刷了，刚刚被转走两万"},
            content_type="application/json",
        ).json()
    assert reply["kind"] == "handoff" and reply["urgent"] is True
    # The reply says the freeze is under way rather than sending the customer to the app.
    assert "无需再自行冻结" in " ".join(reply["steps"])
    case = FraudCase.objects.get(customer=customer)
    assert case.channel == "assistant" and case.status == FraudCaseStatus.HELD
    assert fake_core.ledger()["freezes"][customer.customer_no] == 1


def test_staff_see_only_their_branch_and_customers_only_their_own_cases(client, customer, clock):
    case = open_case(customer)
    elsewhere = make_branch("SH777")
    client.force_login(make_staff(Role.LOBBY_MANAGER, elsewhere, username="lobby_sh"))
    assert client.get(f"/continuity/fraud/{case.ref}/").status_code == 404
    assert case.ref not in client.get("/continuity/fraud/").content.decode()
    client.force_login(make_customer_user(branch=customer.home_branch))
    assert client.get(f"/continuity/fraud/mine/{case.ref}/").status_code == 404
    assert (
        client.post(f"/api/continuity/fraud-cases/{case.ref}/identify/", {"customer_no": "x"}).status_code
        == 404
    )


def test_bad_input_is_refused_with_a_translated_message_and_nothing_is_opened(client, customer, clock):
    client.force_login(customer.user)
    response = client.post("/continuity/fraud/report/", {"description": " ", "amount": "-5"})
    assert response.status_code == 400
    assert FraudCase.objects.count() == 0
    client.cookies["django_language"] = "zh-hans"
    reply = client.post(
        "/api/continuity/fraud-cases/",
        {"description": ""},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert reply.status_code == 400 and "description" in reply.json()["errors"]


def test_a_visitor_cannot_report_through_the_api(client, db):
    reply = client.post("/api/continuity/fraud-cases/", {"description": "x"}, content_type="application/json")
    assert reply.status_code == 403 and reply.json()["code"] == "not_allowed"


def test_a_teller_freezes_the_cards_of_the_customer_at_the_counter_from_the_console(
    client, branch, teller, fake_core, clock, django_capture_on_commit_callbacks
):
    from queueing import services as queueing
    from tests.factories import make_counter, make_service_type

    deposit = make_service_type("DEPOSIT")
    counter = make_counter(branch, "01", services=[deposit])
    customer = make_customer(branch=branch)
    queueing.counter_open(actor=teller, counter=counter)
    queueing.ticket_issue(
        issue=queueing.IssueRequest(
            branch=branch, service_type=deposit, source="kiosk", customer=customer, enforce_hours=False)
    )
    queueing.ticket_call_next(actor=teller, counter=counter)
    client.force_login(teller)
    assert 'id="fraud-slot"' in client.get(f"/counter/console/{counter.pk}/").content.decode()
    panel = client.get(f"/continuity/console/{counter.pk}/fraud/").content.decode()
    assert customer.masked_name in panel and customer.name not in panel

    with django_capture_on_commit_callbacks(execute=True):
        panel = client.post(
            f"/continuity/console/{counter.pk}/fraud/",
            {"description": "客户称卡被盗刷两万", "amount": "20000"},
        ).content.decode()
    case = FraudCase.objects.get(customer=customer)
    assert f"已创建欺诈案件 {case.ref}" in panel
    assert case.channel == "counter" and case.reported_by == teller and case.status == FraudCaseStatus.HELD
    assert fake_core.ledger()["freezes"][customer.customer_no] == 1


def test_the_console_panel_refuses_a_report_with_no_customer_called(client, branch, teller, clock):
    from tests.factories import make_counter

    counter = make_counter(branch, "01")
    client.force_login(teller)
    response = client.post(f"/continuity/console/{counter.pk}/fraud/", {"description": "卡被盗"})
    assert response.status_code == 400 and FraudCase.objects.count() == 0


def test_the_kiosk_shows_the_fraud_button(client, branch):
    device, token = make_device(branch)
    client.post("/device/login/", {"token": token})
    page = client.get("/kiosk/").content.decode()
    assert 'data-go="fraud"' in page and "continuity/kiosk-fraud.js" in page


def test_a_kiosk_may_report_five_frauds_an_hour_and_is_then_refused(client, branch, clock):
    device, token = make_device(branch)

    def report():
        return client.post("/api/continuity/fraud-cases/", {"description": "卡被盗刷"},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Device {token}")

    assert [report().status_code for _ in range(5)] == [201] * 5
    refused = report()
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    assert FraudCase.objects.count() == 5
    clock.shift(hours=1, minutes=1)
    assert report().status_code == 201
