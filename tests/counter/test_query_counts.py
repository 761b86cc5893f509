"""How many database queries the teller's console page makes while serving a customer with a
pre-filled form. Pinned like the queueing paths (tests/queueing/test_query_counts.py): more fails
and lists the queries; fewer asks you to lower the pin in QUERIES."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.counter.test_console import serve
from tests.queueing.test_query_counts import assert_queries

# Pinned on 2026-12-06 (branch tidy, #23). Lower it when a change removes queries.
# 40 -> 41: the console shows the fee of the service being served (fees, #25).
QUERIES = {"console_page": 41}


def test_the_console_page_of_a_teller_serving_renders_in_a_pinned_number_of_queries(
    clock, prefilled, teller_client, point, ticket
):
    serve(teller_client, point)
    with CaptureQueriesContext(connection) as capture:
        response = teller_client.get(reverse("counter:console", args=[point.pk]))
    assert response.status_code == 200 and ticket.number in response.content.decode()
    assert_queries("console_page", capture, QUERIES)
