"""How many database queries the hot paths make, through HTTP as a kiosk, a teller and a lobby
screen do. Today's counts are pinned: a change that adds a query to a path every customer and
teller takes fails here and says by how much. When a change lowers one, lower its number in
QUERIES — one edit, with a word in the commit on what removed the queries.

The counts include the session and device-token lookups of each request, and differ between
SQLite and PostgreSQL only where the code asks the database something different (none today)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from queueing import services
from queueing.config import configuration
from tests.factories import make_device

# Pinned on 2026-12-06 (branch tidy, #23). Lower these when a change removes queries.
# issue 26 -> 24: the ticket number is taken in one statement (was insert, locking select, update);
# 24 -> 25: an emergency plan may pause or limit ticketing (continuity), read before issuing.
# Issue 27 (branch scale), counted with the branch's configuration already cached (queueing.config:
# counters, zones, hours, services and skills are read once per version, not per request):
# issue 25 -> 13 (configuration 9, the API's service lookup, the position count from the rows
# already read, no push to the page of a ticket nobody can have open yet: its timeline);
# call_next 23 -> 18 (configuration 4, the current tickets' rows); start and
# finish 15 -> 14 (the ticket is locked and its counter checked in one query, not reloaded).
# Issue 27, fourth pass (branch scale2): issue 13 -> 12 (the waiting and current tickets' rows in
# one query).
# Issue 27, fifth pass (branch wt-scale): issue 12 -> 10 (the kiosk's device and the branch's
# emergency-plan state remembered per version, like the configuration).
# Issue 27, sixth pass (branch wt-scale): call_next 18 -> 17, start and finish 14 -> 13 (the view
# reads the counter or ticket locked in the step's transaction, which then neither reads it again
# nor takes a savepoint); lobby_state 11 -> 10 (the zones' names kept with the branch's
# configuration). Seventh pass: call_next 17 -> 16, start and finish 13 -> 12 (the audit chain's
# head locked and the actor's role read in one statement).
QUERIES = {
    "issue": 10,
    "call_next": 16,
    "start": 12,
    "finish": 12,
    "lobby_state": 10,
}


def assert_queries(path: str, capture: CaptureQueriesContext, pins: dict | None = None) -> None:
    made = len(capture.captured_queries)
    pinned = (pins or QUERIES)[path]
    assert made == pinned, (
        f"{path}: {made} queries, pinned at {pinned}"
        + (" — more than before: find the new query (N+1?)" if made > pinned else
           " — fewer than before: lower the pin in QUERIES")
        + "\n" + "\n".join(q["sql"][:160] for q in capture.captured_queries))


@pytest.fixture
def waiting(issue):
    """Three customers waiting, so the paths below read a real queue."""
    return [issue() for _ in range(3)]


def test_a_kiosk_issues_a_ticket_in_a_pinned_number_of_queries(client, branch, deposit, open_counter,
                                                               waiting):
    _device, token = make_device(branch, "kiosk")
    warm = client.post(reverse("api-queue-issue", args=[branch.code]), {"service": "DEPOSIT"},
                       content_type="application/json", HTTP_AUTHORIZATION=f"Device {token}")
    assert warm.status_code == 201  # the branch's configuration is read once, then cached
    with CaptureQueriesContext(connection) as capture:
        response = client.post(reverse("api-queue-issue", args=[branch.code]), {"service": "DEPOSIT"},
                               content_type="application/json", HTTP_AUTHORIZATION=f"Device {token}")
    assert response.status_code == 201, response.content
    assert_queries("issue", capture)


def test_a_teller_calls_starts_and_finishes_in_pinned_numbers_of_queries(client, teller, open_counter,
                                                                         waiting):
    client.force_login(teller)
    client.get("/")  # the session exists before the counted requests
    configuration(open_counter.branch)  # an earlier request read the branch's configuration
    with CaptureQueriesContext(connection) as capture:
        response = client.post(reverse("api-queue-call-next", args=[open_counter.pk]))
    assert response.status_code == 200, response.content
    assert_queries("call_next", capture)
    ticket_id = response.json()["id"]

    with CaptureQueriesContext(connection) as capture:
        response = client.post(reverse("api-queue-start", args=[ticket_id]))
    assert response.status_code == 200, response.content
    assert_queries("start", capture)

    with CaptureQueriesContext(connection) as capture:
        response = client.post(reverse("api-queue-finish", args=[ticket_id]))
    assert response.status_code == 200, response.content
    assert_queries("finish", capture)


def test_the_lobby_screen_reads_its_state_in_a_pinned_number_of_queries(client, branch, teller,
                                                                         open_counter, waiting):
    services.ticket_call_next(actor=teller, counter=open_counter)  # one number on the screen
    _device, token = make_device(branch, "lobby_screen")
    with CaptureQueriesContext(connection) as capture:
        response = client.get(reverse("api-queue-lobby-state", args=[branch.code]),
                              HTTP_AUTHORIZATION=f"Device {token}")
    assert response.status_code == 200, response.content
    assert_queries("lobby_state", capture)


def test_a_ticket_number_is_taken_in_one_statement(client, branch, deposit, open_counter):
    _device, token = make_device(branch, "kiosk")
    numbers = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as capture:
            response = client.post(reverse("api-queue-issue", args=[branch.code]), {"service": "DEPOSIT"},
                                   content_type="application/json", HTTP_AUTHORIZATION=f"Device {token}")
        numbers.append(response.json()["number"])
    assert numbers == ["A001", "A002"]
    numbering = [q["sql"] for q in capture.captured_queries if "ticketsequence" in q["sql"].lower()]
    assert len(numbering) == 1, numbering
