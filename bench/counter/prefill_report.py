#!/usr/bin/env python
"""Handling time at the counter with a pre-filled form vs without one. Prints JSON.

    .venv/bin/python bench/counter/prefill_report.py            # simulated (labelled so)
    .venv/bin/python bench/counter/prefill_report.py --records  # from real service records

Simulated: for each demo service's form schema (branches/demo.py), a keystroke-level model of
the teller's form work. Without a pre-filled form the teller asks or reads each field and types
it; with one the teller only confirms each field against the document, retyping the few that need
a correction. The rest of the service (identify, operate, hand over) is the same in both cases
and is drawn from the service's complexity target. Every figure of this mode is simulated.

Records: the same comparison over finished `counter.ServiceRecord`s (`had_prefilled_form`),
excluding simulated ones; it needs a database with served customers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branchsvc.settings")

# Keystroke-level model (Card, Moran & Newell), seconds.
KEYSTROKE = 0.28  # an average skilled typist, per character
FIELD_SWITCH = 1.2  # point/tab to the next field
ASK_OR_READ = 3.0  # ask the customer or read the value off the document
CONFIRM = 2.0  # compare a pre-filled value with the document and press confirm
CORRECTION_RATE = 0.06  # share of pre-filled fields the teller corrects
TYPICAL_CHARS = {
    "text": 6,
    "address": 18,
    "number": 4,
    "money": 6,
    "date": 10,
    "choice": 1,
    "phone": 11,
    "resident_id": 18,
    "card_number": 19,
    "document_photo": 0,
}


def form_seconds(fields: list[dict], prefilled: bool, rng: np.random.Generator) -> float:
    total = 0.0
    for field in fields:
        chars = TYPICAL_CHARS.get(field["type"], 6) * rng.uniform(0.7, 1.3)
        typing = FIELD_SWITCH + ASK_OR_READ + chars * KEYSTROKE
        if field["type"] == "document_photo":
            typing = ASK_OR_READ + 10.0  # scan the document at the counter
        if prefilled:
            total += CONFIRM + (typing if rng.random() < CORRECTION_RATE else 0.0)
        else:
            total += typing
    return total


def simulate(customers: int, seed: int) -> dict:
    import django

    django.setup()
    from branches.demo import IDENTITY, SERVICES

    rng = np.random.default_rng(seed)
    services = {}
    for code, _zh, _en, _cat, _complexity, minutes, *_rest, fields in SERVICES:
        schema = [*IDENTITY, *fields]
        rest = rng.gamma(shape=4.0, scale=minutes * 60 * 0.6 / 4.0, size=customers)
        without = rest + np.array([form_seconds(schema, False, rng) for _ in range(customers)])
        with_form = rest + np.array([form_seconds(schema, True, rng) for _ in range(customers)])
        services[code] = {
            "fields": len(schema),
            "without_prefilled": {
                "customers": customers,
                "mean_handling_seconds": round(float(without.mean()), 1),
            },
            "with_prefilled": {
                "customers": customers,
                "mean_handling_seconds": round(float(with_form.mean()), 1),
            },
            "seconds_saved": round(float(without.mean() - with_form.mean()), 1),
            "share_saved": round(float(1 - with_form.mean() / without.mean()), 3),
        }
    saved = [s["share_saved"] for s in services.values()]
    return {
        "source": "simulated",
        "simulated": True,
        "model": {
            "keystroke_s": KEYSTROKE,
            "field_switch_s": FIELD_SWITCH,
            "ask_or_read_s": ASK_OR_READ,
            "confirm_s": CONFIRM,
            "correction_rate": CORRECTION_RATE,
            "customers_per_service": customers,
            "seed": seed,
        },
        "mean_share_saved": round(float(np.mean(saved)), 3),
        "services": services,
    }


def from_records() -> dict:
    import django

    django.setup()
    from counter.measures import prefill_comparison
    from counter.models import ServiceRecord

    records = ServiceRecord.objects.filter(simulated=False)
    return {
        "source": "service_records",
        "simulated": False,
        "records": records.count(),
        "services": prefill_comparison(records),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", action="store_true", help="use real service records from the database")
    parser.add_argument("--customers", type=int, default=2000, help="simulated customers per service")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    report = from_records() if args.records else simulate(args.customers, args.seed)
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
