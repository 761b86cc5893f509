"""Demo data: department staff skills, a history of past work orders, and open work orders in
several SLA states (running, warned, breached and escalated, waiting for the customer)."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from branches.demo import DEMO_PASSWORD
from branches.models import Branch, Department, StaffProfile
from branches.roles import Role
from customers.models import Customer
from servicedesk import services, sla, sla_clock
from servicedesk.history import demo_history
from servicedesk.models import (
    Category,
    Channel,
    Priority,
    StaffSkill,
    Status,
    Survey,
    WorkOrder,
    WorkOrderKind,
)

SKILLS = {
    "dept_fx1": ["fx.remit", "fx.compliance"],
    "dept_fx2": ["fx.compliance"],
    "dept_credit1": ["loan"],
    "dept_ops1": ["card", "digital"],
    "dept_wealth1": ["wealth"],
    "dept_cs1": ["branch"],
}
# username, given name, surname, role, employee number, department code, seniority
EXTRA_STAFF = [
    ("dept_fx2", "婷", "罗", Role.DEPARTMENT_STAFF, "H0203", "HO-FX", "junior"),
    ("dept_head_fx", "斌", "高", Role.DEPARTMENT_HEAD, "H0302", "HO-FX", "senior"),
    ("dept_ops1", "鹏", "林", Role.DEPARTMENT_STAFF, "H0204", "HO-OPS", "junior"),
    ("dept_wealth1", "欣", "马", Role.DEPARTMENT_STAFF, "H0205", "HO-WEALTH", "senior"),
    ("dept_cs1", "雪", "郭", Role.DEPARTMENT_STAFF, "H0206", "HO-CS", "junior"),
]


def _extra_staff() -> None:
    User = get_user_model()
    for username, first, last, role, number, department_code, seniority in EXTRA_STAFF:
        if User.objects.filter(username=username).exists():
            continue
        user = User.objects.create_user(
            username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@bank.example",
        )
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        department = Department.objects.get(code=department_code)
        StaffProfile.objects.create(
            user=user, role=role, employee_no=number, department=department, seniority=seniority
        )
        if role == Role.DEPARTMENT_HEAD and department.head is None:
            department.head = user
            department.save(update_fields=["head"])


def _skills() -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=SKILLS)}
    for username, codes in SKILLS.items():
        for code in codes:
            if username in users:
                StaffSkill.objects.get_or_create(
                    user=users[username], category=Category.objects.get(code=code)
                )


def _history(rng: random.Random, branches: list[Branch], customers: list[Customer]) -> int:
    """Closed work orders of the last 60 days, written directly: they are the past, not new work."""
    categories = {c.code: c for c in Category.objects.filter(level=3)}
    now = timezone.now()
    created = 0
    for text, code in demo_history()[:180]:
        received = now - dt.timedelta(days=rng.uniform(2, 60))
        handled = dt.timedelta(hours=rng.choice([2, 5, 20, 30, 70, 120]))
        category = categories[code]
        work_order = WorkOrder.objects.create(
            number=f"H{created + 1:05d}",
            kind=WorkOrderKind.COMPLAINT if rng.random() < 0.7 else WorkOrderKind.REQUEST,
            channel=rng.choice([Channel.COUNTER, Channel.PHONE, Channel.WEB, Channel.LOBBY]),
            status=Status.CLOSED,
            title=text[:200],
            description=text,
            category=category,
            category_confirmed=True,
            customer=rng.choice(customers) if customers and rng.random() < 0.9 else None,
            branch=rng.choice(branches),
            department=services.department_for(category, branches[0]),
            received_at=received,
            first_responded_at=received + dt.timedelta(minutes=rng.choice([10, 40, 90, 300])),
            first_response_due=received + dt.timedelta(hours=4),
            resolution_due=received + dt.timedelta(hours=rng.choice([24, 40, 72])),
            resolved_at=received + handled,
            closed_at=received + handled + dt.timedelta(hours=1),
            auto_assigned=True,
            reassigned_after_auto=rng.random() < 0.12,
        )
        if work_order.customer_id and rng.random() < 0.6:
            Survey.objects.create(
                work_order=work_order,
                sent_at=work_order.closed_at,
                score=rng.choice([10, 10, 9, 9, 8, 8, 7, 6, 4]),
                answered_at=work_order.closed_at + dt.timedelta(hours=3),
            )
        created += 1
    return created


def _business_hours_ago(hours: float) -> dt.datetime:
    """The latest instant from which `hours` business hours have run until now."""
    calendar, now = sla.business_calendar(), timezone.now()
    start = now
    while sla_clock.business_time_between(start, now, calendar) < dt.timedelta(hours=hours):
        start -= dt.timedelta(minutes=30)
    return start


def _age(work_order: WorkOrder, *, hours: float, business: bool = False) -> None:
    """Move an open work order's receipt back so its clocks show a realistic state whatever the
    time of day the demo is seeded."""
    now = timezone.now()
    work_order.received_at = _business_hours_ago(hours) if business else now - dt.timedelta(hours=hours)
    fields = ["received_at", *sla.refresh_deadlines(work_order)]
    work_order.save(update_fields=fields)


def _open_work_orders(bj: Branch, customers: list[Customer]) -> list[WorkOrder]:
    User = get_user_model()
    teller = User.objects.get(username="teller1")
    lobby = User.objects.get(username="lobby1")
    vip = next((c for c in customers if c.vip_tier >= Customer.VipTier.PLATINUM), customers[0])
    ordinary = customers[1]
    created = [
        services.work_order_create(
            actor=teller,
            kind=WorkOrderKind.REQUEST,
            channel=Channel.COUNTER,
            branch=bj,
            customer=vip,
            description="贵宾客户汇往英国的学费被退回，请国际业务部协查退汇原因",
        ),
        services.work_order_create(
            actor=lobby,
            kind=WorkOrderKind.COMPLAINT,
            channel=Channel.LOBBY,
            branch=bj,
            customer=ordinary,
            description="客户在大厅排队两个小时，只开了一个窗口，非常不满意",
        ),
        services.work_order_create(
            actor=teller,
            kind=WorkOrderKind.COMPLAINT,
            channel=Channel.PHONE,
            branch=bj,
            customer=customers[2],
            description="家人住院急用钱，理财赎回一周了还没到账，再不处理就向监管投诉！",
        ),
        services.work_order_create(
            actor=teller,
            kind=WorkOrderKind.REQUEST,
            channel=Channel.COUNTER,
            branch=bj,
            description="房贷客户询问审批进度，开发商催放款",
            priority=Priority.URGENT,
        ),
        services.work_order_create(
            actor=teller,
            kind=WorkOrderKind.COMPLAINT,
            channel=Channel.LETTER,
            branch=bj,
            customer=customers[3],
            description="客户来信：卡在身上却被境外盗刷三笔",
            priority=Priority.MAJOR,
        ),
    ]
    _age(created[1], hours=20)  # a complaint past 80% of its 24-hour resolution target
    _age(created[3], hours=3, business=True)  # an urgent request well past its one business hour
    waiting = created[0]
    services.work_order_wait_for_customer(
        actor=waiting.assignee or teller, work_order=waiting, message="请提供退汇通知书和收款人完整英文名"
    )
    return created


@transaction.atomic
def _seed(stdout) -> None:
    rng = random.Random(9)
    branches = list(Branch.objects.order_by("code"))
    customers = list(Customer.objects.order_by("customer_no")[:200])
    if not branches or len(customers) < 4:
        stdout.write("servicedesk: no branches or customers, nothing seeded")
        return
    _extra_staff()
    _skills()
    history = _history(rng, branches, customers)
    open_orders = _open_work_orders(branches[0], customers)
    stdout.write(f"servicedesk: {history} past work orders, {len(open_orders)} open ones")


def seed(*, stdout) -> None:
    _seed(stdout)
    escalations = services.sla_scan()
    model = services.classifier_retrain()
    stdout.write(
        f"servicedesk: {escalations} SLA warnings/escalations; classifier trained on {model.samples} texts"
    )
