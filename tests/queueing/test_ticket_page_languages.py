"""The customer's ticket page in Japanese and Korean: live pushes carry the page's language, and
the labels are translated once per process, not once per ticket pushed."""

from unittest import mock

import pytest

from queueing import payloads


@pytest.fixture
def waiting(issue):
    issue()
    return issue()


def test_a_ticket_push_carries_japanese_and_korean_labels(waiting):
    page = payloads.ticket_page(waiting)
    assert page["status_label"] == {"zh-hans": "等候中", "en": "Waiting", "ja": "待機中", "ko": "대기 중"}
    assert page["timeline"][0]["label"]["ja"] == "発券"
    # The bank's own names stay Chinese and English: a ja/ko page shows the English one.
    assert set(page["service"]) == {"zh-hans", "en"}


def test_a_japanese_position_reason_reaches_the_page(waiting):
    assert payloads.position_reason("rerouted")["ja"] == "お客様の整理券は別の列に移されました。"


def test_labels_are_translated_once_not_per_ticket(issue, waiting):
    payloads.ticket_page(waiting)
    others = [issue() for _ in range(3)]
    with mock.patch.object(payloads.translation, "override", wraps=payloads.translation.override) as override:
        for ticket in others:
            payloads.ticket_page(ticket)
    assert override.call_count == 0


def test_staff_payloads_stay_in_chinese_and_english(waiting):
    assert set(payloads.staff_ticket(waiting)["status_label"]) == {"zh-hans", "en"}
