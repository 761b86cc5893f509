"""Plain factory functions for the actors and objects most tests need."""

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from branches.models import Branch, OpeningHours, ServicePoint, ServiceType, StaffProfile, Zone
from branches.roles import Role
from branches.services import device_issue_token
from customers.models import Customer
from customers.validators import resident_id_check_char

_seq = itertools.count(1)

# Named as the demo names them (branches.demo): the screens tests photograph show these names.
ZONES = [("cash", "A", "现金区", "Cash"), ("non_cash", "B", "非现金区", "Non-cash"),
         ("vip", "V", "贵宾区", "VIP"), ("wealth", "W", "理财区", "Wealth"),
         ("self_service", "S", "自助区", "Self-service")]


def make_branch(code: str | None = None, *, opens=dt.time(9), closes=dt.time(17),
                weekdays=range(7), **fields) -> Branch:
    code = code or f"T{next(_seq):03d}"
    fields.setdefault("name_zh_hans", f"测试支行{code}")
    fields.setdefault("name_en", f"Test branch {code}")
    branch = Branch.objects.create(code=code, **fields)
    for kind, prefix, zh, en in ZONES:
        Zone.objects.create(branch=branch, kind=kind, name_zh_hans=zh, name_en=en, ticket_prefix=prefix)
    for weekday in weekdays:
        OpeningHours.objects.create(branch=branch, weekday=weekday, opens=opens, closes=closes)
    return branch


def make_service_type(code: str | None = None, **fields) -> ServiceType:
    code = code or f"SVC{next(_seq)}"
    defaults = {"name_zh_hans": f"业务{code}", "name_en": f"Service {code}", "category": "deposit",
                "complexity": "instant", "target_minutes": 5, "zone_kind": "cash",
                "allow_counter": True}
    return ServiceType.objects.create(code=code, **{**defaults, **fields})


def make_counter(branch: Branch, code: str | None = None, *, zone_kind: str = "cash",
                 services=(), kind: str = "counter", **fields) -> ServicePoint:
    code = code or f"{next(_seq):02d}"
    point = ServicePoint.objects.create(branch=branch, zone=branch.zones.get(kind=zone_kind),
                                        kind=kind, code=code, name_zh_hans=f"{code}号窗口",
                                        name_en=f"Counter {code}", **fields)
    point.service_types.set(services)
    return point


def make_user(username: str | None = None, **fields):
    username = username or f"user{next(_seq)}"
    return get_user_model().objects.create_user(username, password="pw", **fields)


def make_staff(role: Role, branch: Branch | None = None, *, username: str | None = None,
               skills=(), department=None, **profile):
    user = make_user(username or f"{role}{next(_seq)}", first_name="测试", last_name=str(role))
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    staff = StaffProfile.objects.create(user=user, role=role, branch=branch,
                                        employee_no=f"E{next(_seq):05d}", department=department,
                                        **profile)
    staff.skills.set(skills)
    return user


def resident_id(birth: dt.date = dt.date(1990, 3, 7), area: str = "110101", serial: int = 123) -> str:
    first17 = f"{area}{birth:%Y%m%d}{serial:03d}"
    return first17 + resident_id_check_char(first17)


def make_customer(*, branch: Branch | None = None, phone: str | None = None,
                  id_number: str | None = None, user=None, **fields) -> Customer:
    number = next(_seq)
    fields.setdefault("name", "张三丰")
    fields.setdefault("birth_date", dt.date(1990, 3, 7))
    customer = Customer(customer_no=f"C{900000 + number}", home_branch=branch, user=user, **fields)
    customer.set_phone(phone or f"139{number:08d}")
    customer.set_id_number(id_number or resident_id(customer.birth_date, serial=number % 1000))
    customer.save()
    return customer


def make_customer_user(customer: Customer | None = None, **customer_fields):
    user = make_user()
    user.groups.add(Group.objects.get_or_create(name=Role.CUSTOMER)[0])
    if customer is None:
        customer = make_customer(user=user, **customer_fields)
    else:
        customer.user = user
        customer.save(update_fields=["user"])
    return user


def make_device(branch: Branch, kind: str = "kiosk", *, actor=None, service_point=None):
    """Returns (device, token)."""
    actor = actor or make_staff(Role.BRANCH_ADMIN, branch)
    return device_issue_token(actor=actor, branch=branch, kind=kind, name=f"{kind} {next(_seq)}",
                              service_point=service_point)
