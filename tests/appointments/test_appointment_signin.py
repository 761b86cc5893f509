"""Customers sign in with their phone and a one-time code; no passwords."""

import re
from urllib.parse import unquote

import pytest

from appointments import signin
from branches.roles import Role


@pytest.fixture
def sms(monkeypatch):
    sent = []
    monkeypatch.setattr(signin, "notify", lambda **kw: sent.append(kw))
    return sent


def last_code(sms):
    return re.search(r"\d{6}", sms[-1]["body"]).group()


def ask_code(client, phone, ip="10.0.0.1"):
    return client.post("/api/me/login/code/", {"phone": phone}, REMOTE_ADDR=ip)


def test_a_customer_signs_in_with_the_code_from_the_sms(
    client, stranger, sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/me/login/", {"phone": "137 0000 0000", "next": "/appointments/"})
    assert response.status_code == 302
    assert sms[0]["to"] == "13700000000"

    response = client.post("/me/login/code/", {"code": last_code(sms), "next": "/appointments/"})

    assert response.status_code == 302 and response["Location"] == "/appointments/"
    stranger.refresh_from_db()
    assert stranger.user.groups.filter(name=Role.CUSTOMER).exists()
    assert not stranger.user.has_usable_password()
    assert client.get("/appointments/").status_code == 200


def test_the_second_sign_in_reuses_the_customers_user(
    client, customer, sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client, "13912345678")

    response = client.post("/api/me/login/", {"phone": "13912345678", "code": last_code(sms)})

    assert response.status_code == 200
    assert int(client.session["_auth_user_id"]) == customer.user.pk


def test_a_wrong_code_is_refused_and_five_wrong_codes_burn_the_right_one(
    client, stranger, sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client, "13700000000")
    right = last_code(sms)
    wrong = "000000" if right != "000000" else "111111"

    for _ in range(5):
        response = client.post("/api/me/login/", {"phone": "13700000000", "code": wrong})
        assert response.status_code == 400
        assert "code" in response.json()

    assert client.post("/api/me/login/", {"phone": "13700000000", "code": right}).status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_phone_gets_at_most_five_codes_an_hour(client, stranger, sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [ask_code(client, "13700000000", ip=f"10.0.0.{i}").status_code for i in range(6)]

    assert answers == [202] * 5 + [429]
    assert len(sms) == 5


def test_one_network_gets_at_most_twenty_codes_an_hour(client, sms, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [ask_code(client, f"1380000{i:04d}", ip="10.9.9.9").status_code for i in range(21)]

    assert answers == [202] * 20 + [429]


def test_unknown_phones_get_the_same_answer_and_learn_only_after_the_code(
    client, sms, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert ask_code(client, "13600000000").status_code == 202

    response = client.post("/api/me/login/", {"phone": "13600000000", "code": last_code(sms)})

    assert response.status_code == 400
    assert "phone" in response.json()["errors"]


def test_a_malformed_phone_is_refused_with_a_field_message(client, sms, db):
    response = ask_code(client, "12345")

    assert response.status_code == 400
    assert response.json()["errors"]["phone"]
    assert sms == []


def test_the_sms_code_is_never_stored_in_clear(client, stranger, sms, django_capture_on_commit_callbacks):
    from appointments.models import SignInCode

    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client, "13700000000")

    row = SignInCode.objects.get()
    assert last_code(sms) not in row.code_hash
    assert "13700000000" not in row.phone_digest


def test_the_page_asked_for_comes_back_after_sign_in_with_its_query(
    client, customer, sms, django_capture_on_commit_callbacks
):
    wanted = "/appointments/book/BJ501/?q=取现&category=deposit"

    first = client.get(wanted)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(first["Location"], {"phone": "13912345678", "next": wanted})
    signed_in = client.post(sent["Location"], {"code": last_code(sms), "next": wanted})

    assert unquote(signed_in["Location"]) == wanted


def test_sign_in_never_sends_the_customer_to_another_site(
    client, customer, sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/login/", {"phone": "13912345678"})

    response = client.post("/me/login/code/", {"code": last_code(sms), "next": "https://evil.example/"})

    assert response["Location"] == "/appointments/"


def test_a_customer_over_the_limit_is_told_how_long_to_wait(client, stranger, sms,
                                                            django_capture_on_commit_callbacks):
    import time_machine

    with time_machine.travel("2026-11-23 10:00:00+08:00", tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            for minute in range(5):
                ask_code(client, "13700000000", ip=f"10.0.0.{minute}")
                clock.shift(60 * 10)
        refused = ask_code(client, "13700000000", ip="10.0.1.1")
    assert refused.status_code == 429
    # The first code (10:00) stops counting at 11:00; it is 10:50.
    assert "10 minutes" in str(refused.json()) or "10分钟" in str(refused.json())
