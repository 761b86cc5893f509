"""Booking under contention: many customers race for few places; prints JSON.

Checks that no slot is ever overbooked and measures booking and slot-listing latency.
Embedded profile by default (a fresh SQLite file); set DATABASE_URL (and DEBUG=1 or SECRET_KEY +
FIELD_ENCRYPTION_KEY) to run it on PostgreSQL, where bookings really run in parallel.

    .venv/bin/python bench/appointments/booking_race.py [--customers 60] [--threads 8]
"""

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.embedded import setup_django  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=60)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--slots", type=int, default=5, help="how many slots everyone aims at")
    return parser.parse_args()


def make_bench_branch(customer_count: int):
    """A fresh branch with two counters for one complex service, and its customers."""
    from tests.factories import make_branch, make_counter, make_customer, make_service_type

    code = f"BN{int(time.time()) % 100000:05d}"
    branch = make_branch(code)
    service = make_service_type(f"BENCH_{code}", complexity="complex", target_minutes=15)
    for number in ("01", "02"):
        make_counter(branch, number, services=[service])
    customers = [make_customer(branch=branch) for _ in range(customer_count)]
    return branch, service, customers


def time_slot_listing(branch, service) -> tuple[list[float], list]:
    """Ten timed listings of the 14-day horizon; returns their latencies and the last listing."""
    from appointments.capacity import open_slots

    listing = []
    for _ in range(10):
        started = time.perf_counter()
        slots = open_slots(branch=branch, service_type=service)
        listing.append((time.perf_counter() - started) * 1000)
    return listing, slots


def race(branch, service, customers, targets, thread_count: int):
    """Every customer books one of the targets from `thread_count` threads at once."""
    from django.db import connection

    from appointments.services import BookingError, appointment_book

    latencies: list[float] = []
    outcomes = {"booked": 0, "refused": 0, "errors": 0}
    lock = threading.Lock()
    queue = list(enumerate(customers))

    def worker():
        while True:
            with lock:
                if not queue:
                    break
                index, customer = queue.pop()
            slot = targets[index % len(targets)]
            started = time.perf_counter()
            try:
                appointment_book(actor=None, customer=customer, branch=branch, service_type=service,
                                 start=slot.start)
                kind = "booked"
            except BookingError:
                kind = "refused"
            except Exception:  # noqa: BLE001 - counted and reported, never hidden
                kind = "errors"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                outcomes[kind] += 1
                latencies.append(elapsed)
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(thread_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return latencies, outcomes, wall


def main() -> None:
    args = parse_args()
    setup_django()
    from django.db import connection

    from appointments.capacity import days_with_slots, open_slots
    from appointments.models import SlotCapacity

    branch, service, customers = make_bench_branch(args.customers)
    listing, slots = time_slot_listing(branch, service)
    day = days_with_slots(branch=branch, service_type=service)[1]
    targets = [s for s in open_slots(branch=branch, service_type=service, day=day)][: args.slots]
    places = sum(s.capacity for s in targets)
    latencies, outcomes, wall = race(branch, service, customers, targets, args.threads)

    rows = SlotCapacity.objects.filter(branch=branch, service_type=service)
    overbooked = sum(1 for row in rows if row.booked > row.capacity)
    latencies.sort()
    print(json.dumps({
        "benchmark": "appointments.booking_race",
        "database": connection.vendor,
        "customers": args.customers,
        "threads": args.threads,
        "slots_targeted": len(targets),
        "places": places,
        "booked": outcomes["booked"],
        "refused_with_alternatives": outcomes["refused"],
        "errors": outcomes["errors"],
        "overbooked_slots": overbooked,
        "all_places_filled_exactly": outcomes["booked"] == min(places, args.customers),
        "booking_ms_p50": round(statistics.median(latencies), 1),
        "booking_ms_p95": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
        "bookings_per_second": round(len(latencies) / wall, 1),
        "slot_list_14_days_ms_median": round(statistics.median(listing), 1),
        "slots_in_horizon": len(slots),
    }, indent=2))


if __name__ == "__main__":
    main()
