"""Share of work orders a supervisor would reassign after auto-assignment; prints JSON.

Usage: .venv/bin/python bench/servicedesk/assignment_eval.py
Runs on a throw-away SQLite database (embedded profile). Every held-out text becomes a work order
of a random customer (VIP tiers as in the demo) without a category, so the classifier proposes
one and assignment follows it; about ten work orders are open at any time. A supervisor is taken
to reassign when the assignee has no skill for the true problem type, or a Platinum/Diamond
customer got a junior while a skilled senior existed.
"""

import json
import os
import random
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)
os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branchsvc.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from branches.models import Branch, Department, StaffProfile  # noqa: E402
from branches.roles import Role  # noqa: E402
from customers.models import Customer  # noqa: E402
from servicedesk import services  # noqa: E402
from servicedesk.models import Category, Channel, StaffSkill, WorkOrderKind  # noqa: E402

# Department kind → staff: (username, seniority, problem-type or business-line skills)
STAFF = {
    "fx": [
        ("fx_senior", "senior", ["fx.remit", "fx.compliance"]),
        ("fx_junior", "junior", ["fx.compliance"]),
    ],
    "credit": [("credit_a", "senior", ["loan.approval"]), ("credit_b", "junior", ["loan.repay"])],
    "wealth": [("wealth_a", "senior", ["wealth"]), ("wealth_b", "junior", ["wealth.returns"])],
    "operations": [("ops_card", "junior", ["card"]), ("ops_digital", "senior", ["digital"])],
    "customer_service": [("cs_a", "junior", ["branch"]), ("cs_b", "senior", ["branch.staff"])],
}


OPEN_AT_ONCE = 10


def _setup() -> tuple[Branch, list[Customer]]:
    call_command("migrate", verbosity=0)
    branch = Branch.objects.create(code="BENCH", name_zh_hans="基准支行")
    User = get_user_model()
    for number, (kind, members) in enumerate(STAFF.items()):
        department = Department.objects.create(code=f"D{number}", kind=kind, name_zh_hans=kind, branch=branch)
        for username, seniority, skills in members:
            user = User.objects.create_user(username)
            StaffProfile.objects.create(
                user=user,
                role=Role.DEPARTMENT_STAFF,
                branch=branch,
                department=department,
                employee_no=username,
                seniority=seniority,
            )
            for code in skills:
                StaffSkill.objects.create(user=user, category=Category.objects.get(code=code))
    rng = random.Random(9)
    customers = [
        Customer.objects.create(
            customer_no=f"B{i:04d}", name="客户", vip_tier=rng.choices([0, 1, 2, 3], weights=[88, 7, 4, 1])[0]
        )
        for i in range(60)
    ]
    return branch, customers


def _skills(user) -> set[str]:
    return set(StaffSkill.objects.filter(user=user).values_list("category__code", flat=True))


def _would_reassign(work_order, true_code: str) -> bool:
    if work_order.assignee is None:
        return True
    problem_type, line = true_code.rsplit(".", 1)[0], true_code.split(".")[0]
    skills = _skills(work_order.assignee)
    if not ({problem_type, line} & skills):
        return True
    if work_order.customer.vip_tier >= Customer.VipTier.PLATINUM:
        senior_exists = StaffProfile.objects.filter(
            department=work_order.department,
            seniority="senior",
            user__servicedesk_skills__category__code__in=[problem_type, line],
        ).exists()
        return senior_exists and work_order.assignee.staff_profile.seniority != "senior"
    return False


def main() -> None:
    branch, customers = _setup()
    heldout = json.loads((HERE / "heldout.json").read_text(encoding="utf-8"))
    rng = random.Random(22)
    reassign = 0
    open_orders: deque = deque()
    started = time.perf_counter()
    for text, true_code in heldout:
        work_order = services.work_order_create(
            actor=None,
            kind=WorkOrderKind.COMPLAINT,
            channel=Channel.WEB,
            branch=branch,
            customer=rng.choice(customers),
            description=text,
        )
        reassign += _would_reassign(work_order, true_code)
        open_orders.append(work_order)
        # Steady state: the oldest work order is resolved as new ones arrive (about one open per
        # staff member), instead of piling all of them up at once.
        if len(open_orders) > OPEN_AT_ONCE:
            oldest = open_orders.popleft()
            services.work_order_resolve(actor=oldest.assignee, work_order=oldest, resolution="已处理")
    per_order_ms = (time.perf_counter() - started) / len(heldout) * 1000
    print(
        json.dumps(
            {
                "benchmark": "servicedesk.assignment",
                "work_orders": len(heldout),
                "share_reassigned_after_auto_assignment": round(reassign / len(heldout), 3),
                "create_classify_assign_ms_per_work_order": round(per_order_ms, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
