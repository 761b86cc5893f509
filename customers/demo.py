"""A few hundred demo customers with realistic names, ages, segments and risk levels.

Phone numbers and ID numbers are generated (valid check digits, not real people's)."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from branches.models import Branch
from customers.models import Customer, RiskAssessment
from customers.validators import resident_id_check_char

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩"
            "冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
         "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "玉兰", "志强", "海燕", "国庆",
         "建国", "淑珍", "子涵", "欣怡", "浩然", "宇轩", "梓萱", "一诺"]
ENGLISH = ["James Miller", "Emma Wilson", "Lucas Schmidt", "Sofia Rossi", "Kenji Sato",
           "Olivia Brown", "Noah Martin", "Chloe Dubois"]
AREA_CODES = ["110101", "110105", "110108", "310115", "310104", "320102", "440106", "330106"]

DEMO_CUSTOMER_PHONE = "13800138000"


def make_resident_id(rng: random.Random, birth: dt.date) -> str:
    first17 = f"{rng.choice(AREA_CODES)}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + resident_id_check_char(first17)


def make_phone(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"


@transaction.atomic
def seed(*, stdout, count: int = 300) -> None:
    rng = random.Random(20261122)
    branches = list(Branch.objects.order_by("code"))
    today = timezone.localdate()
    for index in range(count):
        english = rng.random() < 0.03
        name = rng.choice(ENGLISH) if english else rng.choice(SURNAMES) + rng.choice(GIVEN)
        age = rng.choice([rng.randint(20, 64)] * 4 + [rng.randint(65, 88)])
        birth = today.replace(year=today.year - age) - dt.timedelta(days=rng.randint(1, 360))
        vip = rng.choices([0, 1, 2, 3], weights=[88, 7, 4, 1])[0]
        segment = {0: rng.choice(["mass", "mass", "affluent"]), 1: "affluent",
                   2: "high_net_worth", 3: "private"}[vip]
        customer = Customer(
            customer_no=f"C{100001 + index}", name=name, birth_date=birth, segment=segment,
            vip_tier=vip, preferred_language="en" if english else "zh-hans",
            id_type="passport" if english else "resident_id",
            id_expiry=today + dt.timedelta(days=rng.randint(-60, 3650)),
            needs_wheelchair=rng.random() < 0.02, needs_hearing=rng.random() < 0.02,
            needs_visual=rng.random() < 0.01, needs_interpreter=english and rng.random() < 0.5,
            home_branch=branches[0] if rng.random() < 0.8 else branches[-1])
        customer.set_phone(DEMO_CUSTOMER_PHONE if index == 0 else make_phone(rng))
        customer.set_id_number(f"E{rng.randint(10_000_000, 99_999_999)}" if english
                               else make_resident_id(rng, birth))
        customer.save()
        if rng.random() < 0.6:
            assessed = today - dt.timedelta(days=rng.randint(0, 500))
            RiskAssessment.objects.create(
                customer=customer, level=rng.choice(["C1", "C2", "C3", "C3", "C4", "C5"]),
                assessed_on=assessed, expires_on=assessed + dt.timedelta(days=365),
                in_person=True, branch=customer.home_branch, questionnaire_version="2025.1")
    stdout.write(f"customers: {count} demo customers (demo sign-in phone {DEMO_CUSTOMER_PHONE})")
