"""Receipt numbers carry the branch's date, not the server's (UTC) date."""

from tests.counter.conftest import make_ticket
from tests.counter.test_receipt_and_measures import finish_one
from tests.factories import make_counter


def test_a_visit_finished_after_midnight_in_beijing_has_that_days_receipt_number(
    clock, client, teller, branch, service_type, customer
):
    # 02:43 on 7 December in Beijing is still 6 December in UTC.
    clock.move_to("2026-12-07 02:43:00+08:00")
    ticket = make_ticket(branch, service_type, customer)
    client.force_login(teller)
    point = make_counter(branch, "05", zone_kind="non_cash", services=[service_type])
    record = finish_one(client, point, ticket)
    assert record.receipt.number.startswith(f"R20261207-{branch.code}-")
    assert "2026-12-07 02:43" in str(record.receipt.content)
