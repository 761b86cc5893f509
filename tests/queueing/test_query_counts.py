"""The hot paths' database statements, pinned: a change that adds queries to issuing a ticket or
calling the next one fails here, not in a bench run weeks later (issue 27)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_device

# Measured on SQLite (the suite's default database) through HTTP, with auditing, the live push's
# reads and the estimate refresh the eager worker runs: issue 26 -> 24 when numbering became one
# statement (it was an insert, a locking select and an update); call-next 23.
ISSUE_QUERIES = 24
CALL_NEXT_QUERIES = 23


@pytest.fixture
def kiosk_token(branch):
    return make_device(branch, "kiosk")[1]


def _issue(client, branch, token):
    return client.post(reverse("api-queue-issue", args=[branch.code]), {"service": "DEPOSIT"},
                       content_type="application/json", HTTP_AUTHORIZATION=f"Device {token}")


def test_a_ticket_number_is_taken_in_one_statement(client, branch, deposit, kiosk_token,
                                                   open_counter):
    _issue(client, branch, kiosk_token)
    with CaptureQueriesContext(connection) as queries:
        response = _issue(client, branch, kiosk_token)
    assert response.json()["number"] == "A002"
    numbering = [q["sql"] for q in queries.captured_queries if "ticketsequence" in q["sql"].lower()]
    assert len(numbering) == 1, numbering


def test_issuing_and_calling_stay_within_their_query_budget(client, branch, deposit, kiosk_token,
                                                            open_counter, teller):
    for _ in range(3):
        _issue(client, branch, kiosk_token)
    with CaptureQueriesContext(connection) as issued:
        assert _issue(client, branch, kiosk_token).status_code == 201
    client.force_login(teller)
    with CaptureQueriesContext(connection) as called:
        assert client.post(reverse("api-queue-call-next", args=[open_counter.pk])).status_code == 200
    assert len(issued) <= ISSUE_QUERIES
    assert len(called) <= CALL_NEXT_QUERIES
