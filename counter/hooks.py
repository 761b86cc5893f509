"""Callbacks higher apps register so the console can show their data.

Each callback takes one argument and returns a list of dicts with at least `label` and `url`
(`when` for appointments), already masked where they contain personal data.
"""

from collections.abc import Callable

# fn(customer) -> [{"when": aware datetime, "label": str, "url": str}]  (appointments)
upcoming_appointments: list[Callable] = []
# fn(customer) -> [{"when": aware datetime, "label": str, "url": str}]  (kiosk self-service)
self_service_records: list[Callable] = []
# fn(record) -> None, called after a service record is finished, in its transaction
# (e.g. appointments completes the appointment whose ticket it was)
service_finished: list[Callable] = []
