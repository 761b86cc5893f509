"""How fast the compliance controls answer; prints JSON.

- `run_checks` for a wealth sale (4 rules), pure Python: what the teller's console pays per refresh;
- `record_evaluation` (rows + audit event) per evaluation;
- building an evidence bundle (ZIP with JSON, PDF and chain verification) for N evaluations.

Embedded profile by default (a fresh SQLite file); set DATABASE_URL (and DEBUG=1 or SECRET_KEY +
FIELD_ENCRYPTION_KEY) to run it on PostgreSQL.

    .venv/bin/python bench/compliance/checks_bench.py [--evaluations 500]
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.embedded import setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evaluations", type=int, default=500)
    args = parser.parse_args()
    setup_django()
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from compliance.checks import Facts, record_evaluation, run_checks
    from compliance.evidence import EvidenceFilters, evidence_bundle

    today = timezone.localdate()
    facts = Facts(today=today, now=timezone.now(), customer_risk_level="C3",
                  assessment_expires_on=today + dt.timedelta(days=200),
                  first_assessment_in_person=True, customer_age=70, recording_ref="REC")

    rounds = 20000
    started = time.perf_counter()
    for _ in range(rounds):
        results = run_checks(service_code="WEALTH_PRODUCT", product_risk_level="R4", facts=facts)
    run_us = (time.perf_counter() - started) / rounds * 1e6

    user_model = get_user_model()
    teller = user_model.objects.filter(username="bench-teller").first() or \
        user_model.objects.create_user("bench-teller")
    officer = user_model.objects.filter(username="bench-officer").first() or \
        user_model.objects.create_superuser("bench-officer")
    started = time.perf_counter()
    for index in range(args.evaluations):
        record_evaluation(actor=teller, branch_code="BJ001", customer_id=index % 50 + 1,
                          service_record_ref=f"bench:{index}", service_code="WEALTH_PRODUCT",
                          results=results, product_risk_level="R4")
    record_ms = (time.perf_counter() - started) / args.evaluations * 1000

    started = time.perf_counter()
    bundle = evidence_bundle(user=officer, filters=EvidenceFilters(branch_code="BJ001"))
    export_s = time.perf_counter() - started

    print(json.dumps({
        "run_checks_wealth_sale_us": round(run_us, 1),
        "record_evaluation_ms": round(record_ms, 2),
        "evidence_bundle": {"evaluations": args.evaluations, "seconds": round(export_s, 2),
                            "zip_kb": round(len(bundle) / 1024)},
        "database": connection.vendor,
    }, indent=2))


if __name__ == "__main__":
    main()
