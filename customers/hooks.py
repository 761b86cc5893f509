"""Callbacks that higher apps register (customers may not import them)."""

from collections.abc import Callable

# Called inside the withdrawing transaction with (customer, consent): e.g. face enrolment deletes
# the customer's encodings at once.
consent_withdrawn: list[Callable] = []
# Each returns extra branch ids where `customer` has business today (a ticket, an appointment),
# so that branch's staff may open the customer.
customer_branch_ids: list[Callable] = []
